#!/bin/sh
# Debian packages that CExtension's build, `make check` and `make check-nautilus` need.
#   deps.sh --list      print them (one line, for `apt-get install -y $(deps.sh --list)`)
#   deps.sh --install   apt-get install the missing ones (root, or sudo)
set -eu
BUILD="gcc make pkg-config gettext libglib2.0-dev libnautilus-extension-dev libnemo-extension-dev libcaja-extension-dev"
CHECK="valgrind desktop-file-utils libxml2-utils locales"
CHECK_NAUTILUS="nautilus xvfb xdotool imagemagick dbus-daemon x11-utils util-linux"
ALL="$BUILD $CHECK $CHECK_NAUTILUS"

case "${1:---list}" in
--list)
    echo $ALL ;;
--install)
    missing=""
    for p in $ALL; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
    [ -z "$missing" ] && exit 0
    echo "Installing Debian packages:$missing"
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing ;;
*)
    echo "usage: $0 --list | --install" >&2; exit 2 ;;
esac
