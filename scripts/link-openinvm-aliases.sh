#!/bin/sh
# Makes qvm-open-in-dvm a symlink to qvm-open-in-vm in BIN_DIR (the program picks its mode
# from the name it was started by).
set -eu
if [ $# -ne 1 ]; then
    echo "usage: $0 BIN_DIR" >&2
    exit 2
fi
ln -sfn qvm-open-in-vm "$1/qvm-open-in-dvm"
