#!/bin/sh
# Installs InterVM Copy (make install): stages every file in a scratch tree, records the
# list (the manifest `make uninstall` reads), then copies the tree into DESTDIR.
# Called by the Makefile with the layout in the environment:
#   BIN_DIR      the built programs (swift build --show-bin-path)
#   DESTDIR      staging root for packagers (empty: the real system)
#   PREFIX BINDIR QUBESLIBDIR DATADIR MANDIR LOCALEDIR SYSCONFDIR
#   MANIFEST     where the list of installed paths goes (empty: no list, as for .deb builds)
#   MAKE         make, for CExtension's own install
set -eu
: "${BIN_DIR:?}" "${PREFIX:?}" "${BINDIR:?}" "${QUBESLIBDIR:?}" "${DATADIR:?}" "${MANDIR:?}" "${LOCALEDIR:?}" "${SYSCONFDIR:?}"
DESTDIR=${DESTDIR-}
MANIFEST=${MANIFEST-}
MAKE=${MAKE:-make}
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$top/build"
stage=$(mktemp -d "$top/build/install-stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
s=$stage

# Programs: front ends on PATH, helpers where qrexec services and front ends look for them.
install -d "$s$BINDIR" "$s$QUBESLIBDIR"
for p in qvm-copy qvm-open-in-vm qrexec-local; do install -m 0755 "$BIN_DIR/$p" "$s$BINDIR/$p"; done
"$top/scripts/link-aliases.sh" "$s$BINDIR"
for h in qfile-agent qfile-unpacker qopen-in-vm vm-file-editor vm-url-opener intervm-dialog; do
    if [ -x "$BIN_DIR/$h" ]; then
        install -m 0755 "$BIN_DIR/$h" "$s$QUBESLIBDIR/$h"
    elif [ "$h" = intervm-dialog ]; then
        echo "install: $h was not built; skipped" >&2
    else
        echo "install: $BIN_DIR/$h is missing" >&2; exit 1
    fi
done

# qrexec services (their absolute helper paths follow QUBESLIBDIR) and their configuration.
install -d "$s$SYSCONFDIR/qubes-rpc" "$s$SYSCONFDIR/qubes/rpc-config"
for f in "$top"/data/qubes-rpc/*; do
    sed "s|/usr/lib/qubes/|$QUBESLIBDIR/|g" "$f" >"$s$SYSCONFDIR/qubes-rpc/${f##*/}"
    chmod 0755 "$s$SYSCONFDIR/qubes-rpc/${f##*/}"
done
for f in "$top"/data/qubes-rpc-config/*; do install -m 0644 "$f" "$s$SYSCONFDIR/qubes/rpc-config/"; done
install -d "$s$DATADIR/doc/intervm-copy/examples"
install -m 0644 "$top"/data/policy/*.policy "$s$DATADIR/doc/intervm-copy/examples/"

# Manual pages (the .so pages name their target: `man qvm-move` shows qvm-copy(1)).
for section in 1 8; do
    install -d "$s$MANDIR/man$section"
    for page in "$top"/data/man/*.$section; do
        # The Thunar installer's page comes with the Thunar files (CExtension's install).
        [ "${page##*/}" != intervm-thunar-actions.1 ] || [ -f "$top/CExtension/Makefile" ] || continue
        install -m 0644 "$page" "$s$MANDIR/man$section/"
    done
done

# Shell completion: one script a family, linked under every name the shell looks up.
bash_dir=$s$DATADIR/bash-completion/completions
zsh_dir=$s$DATADIR/zsh/vendor-completions
fish_dir=$s$DATADIR/fish/vendor_completions.d
# fish autoloads the VM-name lister both the qvm-copy and the qvm-open-in-vm completions call.
fish_functions_dir=$s$DATADIR/fish/vendor_functions.d
install -d "$bash_dir" "$zsh_dir" "$fish_dir" "$fish_functions_dir"
install -m 0644 "$top/data/completion/fish/__intervm_vm_names.fish" "$fish_functions_dir/__intervm_vm_names.fish"
for f in qvm-copy qvm-open-in-vm qrexec-local; do
    install -m 0644 "$top/data/completion/bash/$f" "$bash_dir/$f"
    install -m 0644 "$top/data/completion/zsh/_$f" "$zsh_dir/_$f"
    install -m 0644 "$top/data/completion/fish/$f.fish" "$fish_dir/$f.fish"
done
for alias in qvm-move qvm-copy-to-vm qvm-move-to-vm; do
    ln -s qvm-copy "$bash_dir/$alias"
    ln -s qvm-copy.fish "$fish_dir/$alias.fish"
done
ln -s qvm-open-in-vm "$bash_dir/qvm-open-in-dvm"
ln -s qvm-open-in-vm.fish "$fish_dir/qvm-open-in-dvm.fish"

# The dialog helper's desktop entry (application identity for notifications; hidden).
if [ -e "$s$QUBESLIBDIR/intervm-dialog" ]; then
    install -d "$s$DATADIR/applications"
    desktop=$top/data/intervm-dialog.desktop
    [ ! -f "$top/build/data/intervm-dialog.desktop" ] || desktop=$top/build/data/intervm-dialog.desktop
    sed "s|@QUBESLIBDIR@|$QUBESLIBDIR|g" "$desktop" >"$s$DATADIR/applications/intervm-dialog.desktop"
    chmod 0644 "$s$DATADIR/applications/intervm-dialog.desktop"
fi

# qvm-open-in-dvm as a hidden application for links and documents, so that
# `xdg-settings set default-web-browser qvm-open-in-dvm.desktop` sends links to a disposable VM.
install -d "$s$DATADIR/applications"
desktop=$top/data/qvm-open-in-dvm.desktop
[ ! -f "$top/build/data/qvm-open-in-dvm.desktop" ] || desktop=$top/build/data/qvm-open-in-dvm.desktop
sed "s|@BINDIR@|$BINDIR|g" "$desktop" >"$s$DATADIR/applications/qvm-open-in-dvm.desktop"
chmod 0644 "$s$DATADIR/applications/qvm-open-in-dvm.desktop"

# Translations, compiled by `make mo` into build/locale: one for each po/LANG.po (a catalogue
# left in build/ by another checkout state is not shipped).
for po in "$top"/po/*.po; do
    [ -e "$po" ] || continue
    lang=${po##*/}
    lang=${lang%.po}
    mo=$top/build/locale/$lang/LC_MESSAGES/intervm-copy.mo
    [ -f "$mo" ] || { echo "install: $mo is missing (make mo)" >&2; exit 1; }
    install -d "$s$LOCALEDIR/$lang/LC_MESSAGES"
    install -m 0644 "$mo" "$s$LOCALEDIR/$lang/LC_MESSAGES/intervm-copy.mo"
done

# File-manager extensions and the Thunar/Dolphin files, by CExtension's own install.
# (The modules carry BINDIR; CExtension rebuilds them when it changes.)
if [ -f "$top/CExtension/Makefile" ]; then
    "$MAKE" -C "$top/CExtension" install DESTDIR="$s" PREFIX="$PREFIX" BINDIR="$BINDIR" DATADIR="$DATADIR" LOCALEDIR="$LOCALEDIR"
fi

# Data files with every translation merged in (`make mo` writes build/data/X from data/X):
# each staged file that is a verbatim copy of data/X gets build/data/X's content, keeping its
# name and mode wherever it was installed.
# Only the files po/POTFILES lists are taken.
if [ -d "$top/build/data" ] && [ -f "$top/po/POTFILES" ]; then
    grep '^data/' "$top/po/POTFILES" | while IFS= read -r listed; do
        relative=${listed#data/}
        [ -f "$top/data/$relative" ] && [ -f "$top/build/data/$relative" ] || continue
        find "$s" -type f -name "${relative##*/}" | while IFS= read -r staged; do
            if cmp -s "$top/data/$relative" "$staged"; then cat "$top/build/data/$relative" >"$staged"; fi
        done
    done
fi

# The manifest: every file and link, then every folder this install creates (with "/"),
# plus the folders an earlier install of ours created. Files an earlier install left that
# this one no longer ships are removed first.
if [ -n "$MANIFEST" ]; then
    list=$stage.list
    trap 'rm -rf "$stage" "$list" "$list.old"' EXIT
    install -d "$s${MANIFEST%/*}"
    : >"$s$MANIFEST"
    old=$DESTDIR$MANIFEST
    : >"$list.old"
    [ -f "$old" ] && cp "$old" "$list.old"
    (cd "$s" && find . ! -type d | sed 's|^\.||') >"$list"
    (cd "$s" && find . -mindepth 1 -type d | sed 's|^\.||') | while IFS= read -r dir; do
        if [ ! -d "$DESTDIR$dir" ] || grep -qxF "$dir/" "$list.old"; then echo "$dir/"; fi
    done >>"$list"
    grep -v '/$' "$list.old" | while IFS= read -r stale; do
        grep -qxF "$stale" "$list" || rm -f "$DESTDIR$stale"
    done
    LC_ALL=C sort -u "$list" >"$s$MANIFEST"
fi

# Copy the staged tree; folders that already exist keep their owner and mode.
install -d "${DESTDIR:-/}"
tar -C "$s" -cf - . | tar -C "${DESTDIR:-/}" -xf - --no-overwrite-dir
[ -z "$MANIFEST" ] || echo "installed $(grep -vc '/$' "$DESTDIR$MANIFEST") files; list in $DESTDIR$MANIFEST"
