#!/bin/sh
# Demo: two local VMs, work and personal; work copies a sample folder to personal through
# the qrexec stand-in, the receiver running in personal's bubblewrap sandbox.
# Usage: scripts/demo.sh BIN_DIR [ROOT]
#   BIN_DIR  the built programs (e.g. .build/release)
#   ROOT     where the VMs go (default build/demo-vms; a previous demo there is replaced)
set -eu
if [ "$#" -lt 1 ] || [ ! -x "$1/qrexec-local" ] || [ ! -x "$1/qvm-copy" ]; then
    echo "usage: $0 BIN_DIR [ROOT]   (BIN_DIR must hold the built qrexec-local and qvm-copy)" >&2
    exit 2
fi
if ! command -v bwrap >/dev/null 2>&1; then
    echo "$0: bubblewrap is needed for the sandbox: apt-get install bubblewrap" >&2
    exit 1
fi
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "$1" && pwd)
root=${2:-build/demo-vms}

if [ -e "$root" ]; then
    if [ -f "$root/.intervm-demo" ]; then
        rm -rf "$root"
    elif [ -n "$(ls -A "$root")" ]; then
        echo "$0: $root exists and was not made by this demo; give another ROOT" >&2
        exit 1
    fi
fi
mkdir -p "$root"
touch "$root/.intervm-demo"
root=$(cd "$root" && pwd)

"$here/link-aliases.sh" "$bin"
qrexec_local="$bin/qrexec-local"
"$qrexec_local" --root "$root" create work personal >/dev/null
# The shipped default asks on the terminal; the demo allows work -> personal outright.
printf 'qubes.Filecopy  *  work  personal  allow\n' >"$root/policy.d/10-demo.policy"

home="$root/work/home"
mkdir -p "$home/sample/sub"
printf 'Meeting notes\n' >"$home/sample/notes.txt"
printf 'Quarterly figures\n' >"$home/sample/sub/report.csv"
printf 'UTF-8 works too\n' >"$home/sample/Zażółć gęślą jaźń.txt"
head -c 3000000 /dev/urandom >"$home/sample/sub/photo.bin"
ln -s ../notes.txt "$home/sample/sub/link-to-notes"

echo "== work: qvm-copy-to-vm personal ~/sample"
"$qrexec_local" --root "$root" run work -- sh -c 'qvm-copy-to-vm personal ~/sample'
echo
incoming="$root/personal/home/QubesIncoming/work"
echo "== arrived in personal: $incoming"
(cd "$incoming" && ls -lR sample)
echo
echo "== sub/link-to-notes reads: $(cat "$incoming/sample/sub/link-to-notes")"
if diff -r --no-dereference "$home/sample" "$incoming/sample" >/dev/null; then
    echo "== the copy is identical to work's ~/sample"
else
    echo "== the copy differs from work's ~/sample" >&2
    exit 1
fi
echo

# A disposable VM starts as a copy of default-dvm: its "browser" is a script that says what
# it was asked to open (qubes.OpenURL hands it the link as one argument).
"$qrexec_local" --root "$root" create default-dvm >/dev/null
mkdir -p "$root/default-dvm/home/.config/intervm"
printf '#!/bin/sh\necho "the browser in the disposable VM opened $1"\n' >"$root/default-dvm/home/browser.sh"
chmod 755 "$root/default-dvm/home/browser.sh"
echo /home/user/browser.sh >"$root/default-dvm/home/.config/intervm/opener"
echo "== work: qvm-open-in-dvm https://www.qubes-os.org/"
"$qrexec_local" --root "$root" run work -- qvm-open-in-dvm https://www.qubes-os.org/
