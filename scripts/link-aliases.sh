#!/bin/sh
# Makes the names the front ends answer to, as symlinks beside the built programs in BIN_DIR:
# qvm-move, qvm-copy-to-vm, qvm-move-to-vm -> qvm-copy; qvm-open-in-dvm -> qvm-open-in-vm.
# Usage: scripts/link-aliases.sh BIN_DIR
set -eu
if [ "$#" -ne 1 ] || [ ! -d "$1" ]; then
    echo "usage: $0 BIN_DIR (the folder holding the built qvm-copy)" >&2
    exit 2
fi
cd "$1"
link() {
    # $1 = the program, $2 = the alias; only when the program was built.
    if [ -e "$1" ]; then
        ln -sfn "$1" "$2"
    fi
}
link qvm-copy qvm-move
link qvm-copy qvm-copy-to-vm
link qvm-copy qvm-move-to-vm
link qvm-open-in-vm qvm-open-in-dvm
link qrexec-local qrexec-client-vm
