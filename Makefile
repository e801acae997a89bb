# InterVM Copy: build, test, install, demo.
#   make            release build of every program (and the qvm-move... aliases)
#   make test       the fast suites (under a minute): unit, in-process and quick program tests
#   make check      every test (installs missing Debian packages first), then fuzz-smoke,
#                   and the tests again under AddressSanitizer and ThreadSanitizer
#   make fuzz       libFuzzer on every fuzz target, FUZZ_SECONDS (60) each; fuzz-smoke: 20 s each
#   make check-asan / check-tsan   the tests under AddressSanitizer / ThreadSanitizer
#   make exhaustion 1M files and 8191-deep nesting into the receiver: memory, descriptors, time
#   make update-po  refresh po/ from the sources (see po/rules.mk for pot, mo, check-po)
#   make demo       copy a sample folder between two local sandboxed VMs
#   make bench      time the file copy against tar | tar and cat | cat (writes build/bench.md)
#   make install    DESTDIR=... PREFIX=/usr/local   (layout: docs/packaging.md)
#   make uninstall  removes exactly what install recorded (same DESTDIR and PREFIX)
#   make deb        Debian packages into build/deb; make check-deb builds and tries them
SHELL := /bin/bash
PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
# Release programs carry the Swift runtime inside (no libswift*.so needed where they run),
# with full RELRO (symbols bound at start, the GOT read-only).
RELEASE_FLAGS ?= -c release --static-swift-stdlib -Xlinker -z -Xlinker now
# Build: zlib, gettext, GTK 3 (the dialog helper). Tests: bubblewrap (local VMs), setpriv,
# a virtual desktop with accessibility for the dialogs, strace (EINTR injection), bindfs (a FUSE
# destination without O_TMPFILE).
DEBIAN_PACKAGES := zlib1g-dev gettext libgtk-3-dev bubblewrap util-linux strace bindfs \
	xvfb xdotool dbus at-spi2-core python3-pyatspi notification-daemon imagemagick \
	$(shell CExtension/deps.sh --list)
# Only `make bench` needs these (/usr/bin/time measures each program's peak RSS).
BENCH_PACKAGES := time strace
FUZZ_SECONDS ?= 60

release_bin = $(shell $(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)
debug_bin = $(shell $(SWIFT) build --show-bin-path)

FRONT_ENDS := qvm-copy qvm-move qvm-copy-to-vm qvm-move-to-vm qvm-open-in-vm qvm-open-in-dvm qrexec-local
HELPERS := qfile-agent qfile-unpacker qopen-in-vm vm-file-editor vm-url-opener intervm-dialog

.PHONY: all build deps bench-deps test check check-receiver check-nautilus demo bench install uninstall clean fuzz fuzz-smoke check-asan check-tsan exhaustion

# Install layout. With PREFIX=/usr the configuration goes to /etc (where qrexec looks);
# with any other prefix to PREFIX/etc, unless SYSCONFDIR is given.
BINDIR ?= $(PREFIX)/bin
QUBESLIBDIR ?= $(PREFIX)/lib/qubes
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
LOCALEDIR ?= $(DATADIR)/locale
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
MANIFEST ?= $(DATADIR)/intervm-copy/installed-files
install_env = BIN_DIR="$(release_bin)" DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" BINDIR="$(BINDIR)" \
	QUBESLIBDIR="$(QUBESLIBDIR)" DATADIR="$(DATADIR)" MANDIR="$(MANDIR)" LOCALEDIR="$(LOCALEDIR)" \
	SYSCONFDIR="$(SYSCONFDIR)" MANIFEST="$(MANIFEST)" MAKE="$(MAKE)"
# Translations are compiled first when there are any.
install_prerequisites = build $(if $(wildcard po/*.po),mo)

all: build

include po/rules.mk

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

build: deps mo
	$(SWIFT) build $(RELEASE_FLAGS)
	scripts/link-aliases.sh "$(release_bin)"

check: deps mo check-po
	python3 scripts/generate-name-allowlist.py --check
	python3 scripts/check-doc-tests.py
	$(SWIFT) build --build-tests
	scripts/link-aliases.sh "$(debug_bin)"
	$(SWIFT) test --skip-build
	SWIFT=$(SWIFT) python3 scripts/check-transfer-path.py "$(debug_bin)"
	$(MAKE) check-receiver
	$(MAKE) -C CExtension check
	$(MAKE) fuzz-smoke
	$(MAKE) check-asan
	$(MAKE) check-tsan

## The release receiver links only what it runs, within its code budget (docs/SECURITY.md).
check-receiver:
	$(SWIFT) build $(RELEASE_FLAGS) --product qfile-unpacker
	SWIFT=$(SWIFT) python3 scripts/check-receiver-footprint.py "$(release_bin)"

## Fast feedback while working (under a minute here): the unit and in-process suites and the
## quick program tests; what needs a sandbox, a display, a mount, a kill or a timeout is left
## to make check, which runs everything.
SLOW_SUITES := DialogTests|Exhaustion|Fault|FreeInode|HiddenTemporary|ConfinementCapability|ConflictRenameCost|FrontEndGui|FrontEndMoveRace|Localization|PluralForm|QrexecLocalTests|OpenURLEndToEnd|OpenInVMTests.EndToEndTests|HostileUnprivileged|HostileLayer|SandboxTests|StandIn|ServiceFile|FuzzRegression|SignalCleanup
test: mo
	$(SWIFT) build --build-tests
	scripts/link-aliases.sh "$(debug_bin)"
	$(SWIFT) test --skip-build --skip '$(SLOW_SUITES)'

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
	python3 scripts/update-figures.py

## Installs into DESTDIR/PREFIX and records the list of installed paths in MANIFEST.
install: $(install_prerequisites)
	$(install_env) scripts/install.sh

uninstall:
	DESTDIR="$(DESTDIR)" scripts/uninstall.sh "$(MANIFEST)"

.PHONY: check-install deb check-deb deps-check-install deps-deb
# Debian packages check-install needs (man pages, the completion shells, the desktop entry
# check) and those building the .deb files needs (debhelper, lintian, debian/control's
# Build-Depends).
CHECK_INSTALL_PACKAGES := man-db zsh fish desktop-file-utils bubblewrap
DEB_PACKAGES := debhelper dpkg-dev fakeroot lintian gettext pkg-config zlib1g-dev libglib2.0-dev libgtk-3-dev \
	libnautilus-extension-dev libnemo-extension-dev libcaja-extension-dev
deps-check-install:
	@$(MAKE) -s deps DEBIAN_PACKAGES="$(CHECK_INSTALL_PACKAGES)"
deps-deb:
	@$(MAKE) -s deps DEBIAN_PACKAGES="$(DEB_PACKAGES)"

## Packaging test: install into a scratch DESTDIR, compare with the expected layout, uninstall.
check-install: deps-check-install $(install_prerequisites)
	RELEASE_BIN="$(release_bin)" scripts/check-install.sh

check: check-install

## Debian packages (debian/), built with the Swift toolchain on PATH, into build/deb.
deb: deps deps-deb
	scripts/build-deb.sh build/deb

## Builds the packages, unpacks them into a scratch root and copies between two local VMs with them.
check-deb: deps-check-install deb
	scripts/check-deb.sh build/deb

clean:
	rm -rf .build build
