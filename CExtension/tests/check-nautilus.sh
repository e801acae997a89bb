#!/bin/bash
# Real Nautilus check: loads the built extension into Nautilus under Xvfb with
# a private D-Bus session and HOME, selects a file, opens its context menu
# with shift+F10 and activates each of our five items in turn from the
# keyboard: each must run its own helper (a recording script) with exactly
# the selected path. A screenshot of the open menu lands in SCREENSHOT_DIR.
#
#   check-nautilus.sh MODULE.so SCREENSHOT_DIR
#
# Nautilus 43 reads extensions only from its compiled-in extensiondir, so the
# check runs in a private mount namespace (unshare, root) with a folder holding
# only this module bound over that directory: the system is never changed.
# Without unshare the module is copied into the real extensiondir and removed
# on exit. Every wait has a timeout; the whole run is capped at 240 s.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
self="$here/$(basename "$0")"

fail_setup() { echo "not ok - real Nautilus: $*"; echo "nautilus: 0 passed, 1 failed"; exit 1; }

# ---- stage 3: inside the D-Bus session (env prepared by stage 2) ----
if [ "${1:-}" = --in-session ]; then
    [ -n "${INTERVM_DEBUG:-}" ] && set -x
    passed=0 failed=0
    ok() { echo "ok - $*"; passed=$((passed + 1)); }
    not_ok() { echo "not ok - $*"; failed=$((failed + 1)); }
    finish() {
        [ -n "${nautilus_pid:-}" ] && kill "$nautilus_pid" 2>/dev/null
        echo "nautilus: $passed passed, $failed failed"
        [ "$failed" = 0 ]; exit
    }
    key() { xdotool key --window "$wid" --delay 60 "$@"; }
    # Waits up to $1 tenths of a second for a helper run; prints its record.
    wait_record() {
        local record=""
        for _ in $(seq 1 "$1"); do
            record=$(find "$INTERVM_RECORD_DIR" -name '*.argv' -print -quit)
            [ -n "$record" ] && break
            sleep 0.1
        done
        [ -n "$record" ] && sleep 0.5 && echo "$record"
    }
    argv_of() { tr '\0' ' ' <"$1"; }

    nautilus --new-window --select "$SELECTED" >"$WORK/nautilus.log" 2>&1 &
    nautilus_pid=$!
    wid=$(timeout 60 xdotool search --sync --onlyvisible --class nautilus | head -1)
    if [ -z "$wid" ]; then not_ok "Nautilus window appears (see $WORK/nautilus.log)"; finish; fi
    ok "Nautilus window appears"

    # Nautilus 43's file menu ends with the extension section, then
    # Properties; shift+F10 focuses the first item and Up wraps round, so
    # Up x2 is the last extension item ("Open in VM…") and Up x6 the first.
    # Each item is activated in turn and must run its own helper.
    expected_items=("Copy to VM…" "Move to VM…" "Open in DispVM" "View in DispVM" "Open in VM…")
    expected_argv=("qvm-copy --gui --" "qvm-move --gui --" "qvm-open-in-dvm --gui --" "qvm-open-in-dvm --gui --view-only --" "qvm-open-in-vm --gui --")
    for i in 0 1 2 3 4; do
        ups=$((6 - i))
        record=""
        # The selection lands once the folder has loaded: retry a few times.
        for attempt in 1 2 3 4 5; do
            rm -f "$INTERVM_RECORD_DIR"/*.argv
            key shift+F10
            sleep 0.7
            if [ "$i" = 0 ] && [ "$attempt" = 1 ]; then sleep 1.5; fi
            if [ "$i" = 0 ]; then
                import -window root "$SHOTS/nautilus-context-menu.png" 2>/dev/null \
                    || xwd -root -silent -out "$SHOTS/nautilus-context-menu.xwd"
            fi
            key $(printf 'Up %.0s' $(seq 1 "$ups")) Return
            record=$(wait_record 50) && break
            key Escape Escape
            sleep 1
        done
        label=${expected_items[$i]}
        if [ -z "$record" ]; then
            not_ok "\"$label\" (Up x$ups in the file's context menu) ran no helper"
            continue
        fi
        read -r -a args <<<"${expected_argv[$i]}"
        args[0]="$INTERVM_BINDIR/${args[0]}"
        printf '%s\0' "${args[@]}" "$SELECTED" >"$WORK/want.argv"
        runs=$(find "$INTERVM_RECORD_DIR" -name '*.argv' | wc -l)
        if cmp -s "$record" "$WORK/want.argv" && [ "$runs" = 1 ]; then
            ok "\"$label\" in the context menu ran: $(argv_of "$record")"
        else
            not_ok "\"$label\": $runs run(s), argv [$(argv_of "$record")], expected [$(argv_of "$WORK/want.argv")]"
        fi
    done
    finish
fi

# ---- stage 2: inside the mount namespace (or with the module copied in) ----
if [ "${1:-}" = --in-namespace ]; then
    if [ "$INSTALL_MODE" = bind ]; then
        mount --bind "$WORK/ext" "$EXTDIR" || fail_setup "cannot bind $WORK/ext over $EXTDIR"
    fi
    Xvfb -displayfd 5 -screen 0 1280x800x24 -nolisten tcp 5>"$WORK/display" >"$WORK/xvfb.log" 2>&1 &
    xvfb_pid=$!
    trap 'kill $xvfb_pid 2>/dev/null' EXIT
    for _ in $(seq 1 100); do [ -s "$WORK/display" ] && break; sleep 0.1; done
    [ -s "$WORK/display" ] || fail_setup "Xvfb did not start (see $WORK/xvfb.log)"
    export DISPLAY=":$(head -1 "$WORK/display")"
    # A session bus that activates nothing (no Tracker, GVfs or a11y daemons
    # racing Nautilus' folder loading): only Nautilus itself is on it.
    cat >"$WORK/session.conf" <<'EOF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
    dbus-run-session --config-file="$WORK/session.conf" -- "$self" --in-session
    exit $?
fi

# ---- stage 1: set up a private world, then enter it ----
[ $# = 2 ] || { echo "usage: $0 MODULE.so SCREENSHOT_DIR" >&2; exit 2; }
module=$(realpath "$1") || fail_setup "no module $1"
for tool in nautilus Xvfb dbus-run-session xdotool import; do
    command -v "$tool" >/dev/null || fail_setup "$tool is not installed (run 'make deps')"
done
EXTDIR=$(pkg-config --variable=extensiondir libnautilus-extension-4)
[ -n "$EXTDIR" ] || fail_setup "pkg-config names no Nautilus extensiondir"
mkdir -p "$2" && SHOTS=$(realpath "$2")
WORK=$(mktemp -d /tmp/intervm-nautilus-XXXXXX)
start=$(date +%s)

mkdir -p "$WORK/ext" "$WORK/home" "$WORK/run" "$WORK/files" "$WORK/bin" "$WORK/records"
chmod 700 "$WORK/run"
cp "$module" "$WORK/ext/"
SELECTED="$WORK/files/report (1).txt"
echo "quarterly numbers" >"$SELECTED"
for helper in qvm-copy qvm-move qvm-open-in-dvm qvm-open-in-vm; do
    cat >"$WORK/bin/$helper" <<'EOF'
#!/bin/sh
# Records its argv (NUL-terminated entries) into $INTERVM_RECORD_DIR.
tmp="$INTERVM_RECORD_DIR/.$$.tmp"
printf '%s\0' "$0" "$@" > "$tmp" && mv "$tmp" "$INTERVM_RECORD_DIR/$$.argv"
EOF
    chmod 755 "$WORK/bin/$helper"
done

export WORK SHOTS EXTDIR SELECTED HERE="$here"
export HOME="$WORK/home" XDG_RUNTIME_DIR="$WORK/run" XDG_CONFIG_HOME="$WORK/home/.config"
export XDG_DATA_HOME="$WORK/home/.local/share" XDG_CACHE_HOME="$WORK/home/.cache"
export GDK_BACKEND=x11 GSK_RENDERER=cairo GTK_A11Y=none GSETTINGS_BACKEND=memory GIO_USE_VFS=local GIO_USE_VOLUME_MONITOR=unix LC_ALL=C.UTF-8 LANGUAGE=
export INTERVM_BINDIR="$WORK/bin" INTERVM_RECORD_DIR="$WORK/records"
unset DBUS_SESSION_BUS_ADDRESS WAYLAND_DISPLAY DISPLAY

installed_copy=""
if [ "$(id -u)" = 0 ] && unshare --mount --propagation private true 2>/dev/null && [ -d "$EXTDIR" ]; then
    export INSTALL_MODE=bind
    timeout --kill-after=10 240 unshare --mount --propagation private "$self" --in-namespace
    rc=$?
else
    export INSTALL_MODE=copy
    installed_copy="$EXTDIR/$(basename "$module")"
    [ -e "$installed_copy" ] && fail_setup "$installed_copy exists already; not overwriting it"
    trap 'rm -f "$installed_copy"' EXIT
    mkdir -p "$EXTDIR" && cp "$module" "$installed_copy" || fail_setup "cannot copy the module into $EXTDIR"
    timeout --kill-after=10 240 "$self" --in-namespace
    rc=$?
fi
[ "$rc" = 124 ] && { echo "not ok - real Nautilus check timed out after 240 s"; echo "nautilus: 0 passed, 1 failed"; }
if [ "$rc" = 0 ]; then
    rm -rf "$WORK"
    echo "# real Nautilus check took $(( $(date +%s) - start )) s; screenshot in $SHOTS"
else
    echo "# real Nautilus check took $(( $(date +%s) - start )) s; screenshot in $SHOTS; logs in $WORK"
fi
exit "$rc"
