#!/bin/sh
# Creates the front ends' other names beside their programs in BIN_DIR:
# qvm-move, qvm-copy-to-vm, qvm-move-to-vm -> qvm-copy; qvm-open-in-dvm -> qvm-open-in-vm.
set -eu
bin=${1:?usage: link-aliases.sh BIN_DIR}
for alias in qvm-move qvm-copy-to-vm qvm-move-to-vm; do ln -sfn qvm-copy "$bin/$alias"; done
ln -sfn qvm-open-in-vm "$bin/qvm-open-in-dvm"
