#!/bin/bash
# Tries the built Debian packages without installing them on the system: checks their
# contents and dependencies, installs them with dpkg --root into a scratch root, and runs
# the programs from there only (PATH and the helper lookup point into ROOT/usr):
# qvm-copy --help and a copy between two qrexec-local VMs. Prints "N passed, N failed".
# Usage: check-deb.sh DEB_DIR   (after scripts/build-deb.sh DEB_DIR)
set -uo pipefail
debs=$(cd "${1:?usage: check-deb.sh DEB_DIR}" && pwd)
. "$(dirname "$0")/check-tally.sh"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/intervm-check-deb.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
deb() { ls "$debs"/"$1"_*.deb 2>/dev/null | grep -v dbgsym | head -1; }

# Which package holds what, and what it pulls in.
packages="intervm-copy intervm-copy-gui"
# The file-manager packages come from CExtension/ (debian/rules leaves them out without it).
[ -f "$(dirname "$0")/../CExtension/Makefile" ] &&
    packages="$packages intervm-copy-nautilus intervm-copy-nemo intervm-copy-caja intervm-copy-thunar intervm-copy-dolphin"
for package in $packages; do
    file=$(deb "$package")
    if [ -z "$file" ]; then fail "$package was built"; continue; fi
    pass "$package was built ($(du -k "$file" | cut -f1) KiB)"
    depends=$(dpkg-deb -f "$file" Depends)
    if grep -q swift <<<"$depends"; then fail "$package depends on no Swift runtime" "$depends"; else pass "$package depends on no Swift runtime"; fi
    odd=$(dpkg-deb -c "$file" | awk '$2 != "root/root" || $1 ~ /^-..[sS]|^-.....[sS]/')
    if [ -z "$odd" ]; then pass "$package: every file root/root, no setuid/setgid"; else fail "$package: owners or modes" "$odd"; fi
done
core=$(deb intervm-copy)
gui=$(deb intervm-copy-gui)
if [ -n "$core" ]; then
    check "intervm-copy needs no GTK (headless VMs)" bash -c "! dpkg-deb -f '$core' Depends | grep -q gtk"
    contents=$(dpkg-deb -c "$core" | awk '{ print $6 }')
    for path in ./usr/bin/qvm-copy ./usr/bin/qvm-move ./usr/bin/qvm-copy-to-vm ./usr/bin/qvm-move-to-vm ./usr/bin/qvm-open-in-vm \
        ./usr/bin/qvm-open-in-dvm ./usr/bin/qrexec-local ./usr/lib/qubes/qfile-agent ./usr/lib/qubes/qfile-unpacker \
        ./usr/lib/qubes/qopen-in-vm ./usr/lib/qubes/vm-file-editor ./usr/lib/qubes/vm-url-opener ./etc/qubes-rpc/qubes.Filecopy \
        ./etc/qubes-rpc/qubes.OpenInVM ./etc/qubes-rpc/qubes.OpenURL \
        ./etc/qubes/rpc-config/qubes.Filecopy ./usr/share/man/man1/qvm-copy.1.gz ./usr/share/man/man8/qfile-unpacker.8.gz \
        ./usr/share/bash-completion/completions/qvm-copy ./usr/share/zsh/vendor-completions/_qvm-copy \
        ./usr/share/fish/vendor_completions.d/qvm-copy.fish \
        ./usr/share/fish/vendor_functions.d/__intervm_vm_names.fish ./usr/share/doc/intervm-copy/examples/30-intervm.policy; do
        grep -qxF "$path" <<<"$contents" || missing="${missing-} $path"
    done
    if [ -z "${missing-}" ]; then pass "intervm-copy holds the front ends, helpers, services, man pages, completion and the policy example"
    else fail "intervm-copy lacks$missing"; fi
    for po in "$(dirname "$0")"/../po/*.po; do
        [ -e "$po" ] || continue
        lang=${po##*/}
        lang=${lang%.po}
        check "intervm-copy holds the $lang translations" grep -qxF "./usr/share/locale/$lang/LC_MESSAGES/intervm-copy.mo" <<<"$contents"
    done
    check "intervm-copy marks the qrexec service files as conffiles" bash -c "dpkg-deb -I '$core' conffiles | grep -qx /etc/qubes-rpc/qubes.Filecopy"
fi
if [ -n "$gui" ]; then
    check "intervm-copy-gui holds intervm-dialog" bash -c "dpkg-deb -c '$gui' | grep -q ' ./usr/lib/qubes/intervm-dialog$'"
    check "intervm-copy-gui depends on GTK 3" bash -c "dpkg-deb -f '$gui' Depends | grep -q libgtk-3-0"
fi
for fm in nautilus nemo caja thunar dolphin; do
    file=$(deb "intervm-copy-$fm")
    [ -n "$file" ] || continue
    check "intervm-copy-$fm depends on $fm and the core" bash -c "dpkg-deb -f '$file' Depends | grep -qw $fm && dpkg-deb -f '$file' Depends | grep -q 'intervm-copy '"
done

# Install everything into a scratch root with its own dpkg database (dependencies are the
# host's, so they are not checked there; maintainer scripts run without chroot), then run
# the programs from that root only.
root=$scratch/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
touch "$root/var/lib/dpkg/status"
dpkg_root() { dpkg --root="$root" --force-depends --force-script-chrootless "$@"; }
files=$(ls "$debs"/*.deb | grep -v dbgsym)
out=$(dpkg_root -i $files 2>&1)
check "dpkg --root installs every package" dpkg --root="$root" -s $packages
for module in "$root"/usr/lib/*/*/extensions-*/libintervm-copy.so; do
    [ -e "$module" ] || continue
    check "${module#"$root"/} runs the front ends in /usr/bin" bash -c "grep -qa /usr/bin '$module' && ! grep -qa /usr/local/bin '$module'"
done
saved_path=$PATH
export PATH="$root/usr/bin:/usr/bin:/bin"
out=$(qvm-copy --help 2>&1)
check "installed qvm-copy --help runs and shows its usage" grep -q 'usage: qvm-copy' <<<"$out"
check "qvm-copy on PATH is the one in the scratch root" test "$(command -v qvm-copy)" = "$root/usr/bin/qvm-copy"
out=$(ldd "$root"/usr/bin/qvm-copy "$root"/usr/lib/qubes/* 2>&1)
if grep -qE 'libswift|not found' <<<"$out"; then fail "installed programs find every library" "$(grep -E 'libswift|not found' <<<"$out")"; else pass "installed programs need no Swift runtime"; fi
if command -v bwrap >/dev/null; then
    vms=$scratch/vms
    qrexec-local --root "$vms" create work personal >/dev/null
    printf 'qubes.Filecopy * work personal allow\n' >"$vms/policy.d/10-test.policy"
    mkdir -p "$vms/work/home/sample/sub"
    printf 'notes\n' >"$vms/work/home/sample/notes.txt"
    head -c 200000 /dev/urandom >"$vms/work/home/sample/sub/data.bin"
    ln -s ../notes.txt "$vms/work/home/sample/sub/link"
    out=$(env -u QREXEC_LOCAL_ROOT qrexec-local --root "$vms" run work -- qvm-copy-to-vm --without-progress personal sample 2>&1)
    if diff -r --no-dereference "$vms/work/home/sample" "$vms/personal/home/QubesIncoming/work/sample" >/dev/null 2>&1; then
        pass "installed qvm-copy-to-vm copies a folder between two qrexec-local VMs"
    else
        fail "copy between qrexec-local VMs with the installed programs" "$out"
    fi
    printf 'move me\n' >"$vms/work/home/moved.txt"
    qrexec-local --root "$vms" run work -- qvm-move-to-vm --without-progress personal moved.txt >/dev/null 2>&1
    check "installed qvm-move-to-vm moves a file" bash -c "[ ! -e '$vms/work/home/moved.txt' ] && [ -f '$vms/personal/home/QubesIncoming/work/moved.txt' ]"
else
    fail "bubblewrap (bwrap) is needed for the qrexec-local copy"
fi
# Purging every package leaves nothing but dpkg's own database (dpkg needs /sbin on PATH).
export PATH=$saved_path
dpkg_root --purge $(for f in $files; do dpkg-deb -f "$f" Package; done) >/dev/null 2>&1
left=$(cd "$root" && find . -mindepth 1 ! -path './var/lib/dpkg*' ! -path ./var/lib ! -path ./var -printf '%P\n')
if [ -z "$left" ]; then pass "dpkg --purge of every package leaves nothing behind"; else fail "purge left files" "$left"; fi
tally check-deb
