# InterVM Copy: build, test, install, demo.
#   make            release build of every program (and the qvm-move... aliases)
#   make check      every test (installs missing Debian packages first), then fuzz-smoke,
#                   and the tests again under AddressSanitizer and ThreadSanitizer
#   make fuzz       libFuzzer on every fuzz target, FUZZ_SECONDS (60) each; fuzz-smoke: 20 s each
#   make check-asan / check-tsan   the tests under AddressSanitizer / ThreadSanitizer
#   make exhaustion 1M files and 8191-deep nesting into the receiver: memory, descriptors, time
#   make demo       copy a sample folder between two local sandboxed VMs
#   make bench      time the file copy against tar | tar and cat | cat (writes build/bench.md)
#   make install    DESTDIR=... PREFIX=/usr/local
SHELL := /bin/bash
PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
RELEASE_FLAGS ?= -c release
# Build: zlib, gettext, GTK 3 (the dialog helper). Tests: bubblewrap (local VMs), setpriv,
# a virtual desktop with accessibility for the dialogs, strace (EINTR injection).
DEBIAN_PACKAGES := zlib1g-dev gettext libgtk-3-dev bubblewrap util-linux strace \
	xvfb xdotool dbus at-spi2-core python3-pyatspi notification-daemon imagemagick \
	$(shell CExtension/deps.sh --list)
# Only `make bench` needs these (/usr/bin/time measures each program's peak RSS).
BENCH_PACKAGES := time
FUZZ_SECONDS ?= 60

release_bin = $(shell $(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)
debug_bin = $(shell $(SWIFT) build --show-bin-path)

FRONT_ENDS := qvm-copy qvm-move qvm-copy-to-vm qvm-move-to-vm qvm-open-in-vm qvm-open-in-dvm qrexec-local
HELPERS := qfile-agent qfile-unpacker qopen-in-vm vm-file-editor intervm-dialog

.PHONY: all build deps bench-deps check check-nautilus demo bench install uninstall clean fuzz fuzz-smoke check-asan check-tsan exhaustion

all: build

# Installs the Debian packages named in $(1) that are missing (root, or sudo).
define install_missing
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages: $$missing"; \
		sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

## Installs the Debian packages the build and tests need (root, or sudo).
deps:
	$(call install_missing,$(DEBIAN_PACKAGES))

## Installs the Debian packages only the benchmark needs.
bench-deps:
	$(call install_missing,$(BENCH_PACKAGES))

build: deps
	$(SWIFT) build $(RELEASE_FLAGS)
	scripts/link-aliases.sh "$(release_bin)"

check: deps
	$(SWIFT) build --build-tests
	scripts/link-aliases.sh "$(debug_bin)"
	$(SWIFT) test --skip-build
	$(MAKE) -C CExtension check
	$(MAKE) fuzz-smoke
	$(MAKE) check-asan
	$(MAKE) check-tsan

## libFuzzer over the receiver loop and the name/header rules (docs/RELIABILITY.md).
fuzz: deps
	SWIFT=$(SWIFT) scripts/fuzz.sh $(FUZZ_SECONDS)

fuzz-smoke: deps
	SWIFT=$(SWIFT) scripts/fuzz.sh 20

## The whole test suite under AddressSanitizer / ThreadSanitizer (own scratch paths).
check-asan: deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	scripts/link-aliases.sh "$$($(SWIFT) build --scratch-path .build-asan --show-bin-path)"
	$(SWIFT) test --skip-build --sanitize=address --scratch-path .build-asan

check-tsan: deps
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	scripts/link-aliases.sh "$$($(SWIFT) build --scratch-path .build-tsan --show-bin-path)"
	$(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan

## 100k / 1M empty files, limits, 8191-deep nesting: memory, descriptors, time (slow).
exhaustion: deps
	SWIFT=$(SWIFT) scripts/exhaustion.sh

## The file-manager extension inside a real Nautilus under Xvfb (about 20 s).
check-nautilus: deps
	$(MAKE) -C CExtension check-nautilus

demo: build
	scripts/demo.sh "$(release_bin)"

## Times each shape of issue 8 on tmpfs (/dev/shm) and on the working disk (build/); see README.
bench: build bench-deps
	python3 scripts/bench.py --bin "$(release_bin)"

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
