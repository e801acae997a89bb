# InterVM Copy: build, test, install, demo.
#   make            release build of every program (and the qvm-move... aliases)
#   make check      every test (installs missing Debian packages first)
#   make update-po  refresh po/ from the sources (see po/rules.mk for pot, mo, check-po)
#   make demo       copy a sample folder between two local sandboxed VMs
#   make install    DESTDIR=... PREFIX=/usr/local
SHELL := /bin/bash
PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
RELEASE_FLAGS ?= -c release
# Build: zlib, gettext, GTK 3 (the dialog helper). Tests: bubblewrap (local VMs), setpriv,
# and a virtual desktop with accessibility for the dialogs.
DEBIAN_PACKAGES := zlib1g-dev gettext libgtk-3-dev bubblewrap util-linux \
	xvfb xdotool dbus at-spi2-core python3-pyatspi notification-daemon imagemagick \
	$(shell CExtension/deps.sh --list)

release_bin = $(shell $(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)
debug_bin = $(shell $(SWIFT) build --show-bin-path)

FRONT_ENDS := qvm-copy qvm-move qvm-copy-to-vm qvm-move-to-vm qvm-open-in-vm qvm-open-in-dvm qrexec-local
HELPERS := qfile-agent qfile-unpacker qopen-in-vm vm-file-editor intervm-dialog

.PHONY: all build deps check check-nautilus demo install uninstall clean

all: build

include po/rules.mk

## Installs the Debian packages the build and tests need (root, or sudo).
deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages: $$missing"; \
		sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps mo
	$(SWIFT) build $(RELEASE_FLAGS)
	scripts/link-aliases.sh "$(release_bin)"

check: deps check-po
	$(SWIFT) build --build-tests
	scripts/link-aliases.sh "$(debug_bin)"
	$(SWIFT) test --skip-build
	$(MAKE) -C CExtension check

## The file-manager extension inside a real Nautilus under Xvfb (about 20 s).
check-nautilus: deps
	$(MAKE) -C CExtension check-nautilus

demo: build
	scripts/demo.sh "$(release_bin)"

install: build
	bin="$(release_bin)"; \
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/lib/qubes"; \
	for h in $(HELPERS); do install -m 0755 "$$bin/$$h" "$(DESTDIR)$(PREFIX)/lib/qubes/$$h"; done; \
	for p in qvm-copy qvm-open-in-vm qrexec-local; do install -m 0755 "$$bin/$$p" "$(DESTDIR)$(PREFIX)/bin/$$p"; done; \
	scripts/link-aliases.sh "$(DESTDIR)$(PREFIX)/bin"

uninstall:
	for p in $(FRONT_ENDS); do rm -f "$(DESTDIR)$(PREFIX)/bin/$$p"; done
	for h in $(HELPERS); do rm -f "$(DESTDIR)$(PREFIX)/lib/qubes/$$h"; done

clean:
	rm -rf .build build
