#!/bin/bash
# Checks the Thunar custom actions and Dolphin service menus:
#  - the files parse (xmllint; desktop-file-validate, where only the errors
#    that every KDE service menu gets from that freedesktop validator are let
#    through: Type=Service files may carry MimeType/Actions and all/all),
#  - each names exactly the five items with the same commands as the C
#    extension (the table below; tests/harness.c asserts the same argv),
#  - KF6 menus are executable,
#  - intervm-thunar-actions merges into a user's uca.xml, is idempotent (also
#    after Thunar rewrites the file on one line) and removes cleanly.
#   check-data.sh DATA_DIR
set -uo pipefail
data=${1:?usage: $0 DATA_DIR}
passed=0 failed=0
ok() { echo "ok - $*"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $*"; failed=$((failed + 1)); }
check() { local name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }

# Label -> command, %F = all selected paths in one run, %f = one run per file.
expected=$(cat <<'EOF'
Copy to VM…	qvm-copy --gui -- %F
Move to VM…	qvm-move --gui -- %F
Open in DispVM	qvm-open-in-dvm --gui -- %f
View in DispVM	qvm-open-in-dvm --gui --view-only -- %f
Open in VM…	qvm-open-in-vm --gui -- %f
EOF
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ---- Thunar ----
uca="$data/thunar/intervm-uca.xml"
check "thunar: intervm-uca.xml parses (xmllint)" xmllint --noout "$uca"

# "name<TAB>command" per action; Thunar's per-file loop reads as %f.
thunar_commands() {
    local n count
    count=$(xmllint --xpath 'count(/actions/action)' "$1")
    for ((n = 1; n <= count; n++)); do
        printf '%s\t%s\n' "$(xmllint --xpath "string(/actions/action[$n]/name)" "$1")" \
            "$(xmllint --xpath "string(/actions/action[$n]/command)" "$1")"
    done | sed -E 's/^(.*\t)for f in %F; do (.*) "\$f" & done$/\1\2 %f/'
}
got=$(thunar_commands "$uca")
if [ "$got" = "$expected" ]; then
    ok "thunar: the five items and their commands match the C extension"
else
    not_ok "thunar: items differ:"; diff <(echo "$expected") <(echo "$got") | sed 's/^/    /'
fi
folders=$(xmllint --xpath 'count(/actions/action[directories])' "$uca")
check "thunar: only Copy and Move are offered for folders" [ "$folders" = 2 ]

# The per-file loop really runs once per path, even for awkward names,
# the way Thunar runs it: /bin/sh -c with each %F path shell-quoted.
mkdir -p "$work/bin" "$work/rec"
cat >"$work/bin/qvm-open-in-dvm" <<'EOF'
#!/bin/sh
printf '%s\0' "$@" > "$RECORD_DIR/$$.argv"
EOF
chmod 755 "$work/bin/qvm-open-in-dvm"
cmd=$(xmllint --xpath 'string(/actions/action[name="View in DispVM"]/command)' "$uca")
q() { printf "'%s'" "${1//\'/\'\\\'\'}"; } # g_shell_quote's style
line=${cmd//%F/$(q "/tmp/a b")" "$(q "/tmp/-rf")" "$(q "/tmp/it's")}
PATH="$work/bin:$PATH" RECORD_DIR="$work/rec" /bin/sh -c "$line; wait"
runs=$(for f in "$work"/rec/*.argv; do tr '\0' '|' <"$f"; echo; done | sort)
want=$(printf '%s\n' "--gui|--view-only|--|/tmp/-rf|" "--gui|--view-only|--|/tmp/a b|" "--gui|--view-only|--|/tmp/it's|" | sort)
if [ "$runs" = "$want" ]; then
    ok "thunar: the per-file command runs once per path, paths intact"
else
    not_ok "thunar: per-file runs were: $(echo "$runs" | tr '\n' ' ')"
fi

# ---- the Thunar installer ----
installer="$data/thunar/intervm-thunar-actions"
mkdir -p "$work/home" "$work/xdg/Thunar"
cat >"$work/xdg/Thunar/uca.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<actions>
<action>
	<icon>utilities-terminal</icon>
	<name>Open Terminal Here</name>
	<unique-id>1-1</unique-id>
	<command>exo-open --working-directory %f --launch TerminalEmulator</command>
	<description>Example for a custom action</description>
	<patterns>*</patterns>
	<startup-notify/>
	<directories/>
</action>
</actions>
EOF
run_installer() { HOME="$work/home" XDG_CONFIG_HOME= XDG_CONFIG_DIRS="$work/xdg" INTERVM_UCA_SNIPPET="$uca" "$installer" "$@" >/dev/null; }
user_uca="$work/home/.config/Thunar/uca.xml"
ours() { xmllint --xpath 'count(/actions/action[starts-with(unique-id,"intervm-copy-")])' "$user_uca"; }
theirs() { xmllint --xpath 'count(/actions/action[not(starts-with(unique-id,"intervm-copy-"))])' "$user_uca"; }
system_before=$(sha256sum <"$work/xdg/Thunar/uca.xml")

run_installer install
check "thunar installer: new user file = system actions + ours, parses" \
    bash -c "xmllint --noout '$user_uca' && [ \"\$(xmllint --xpath 'count(/actions/action[starts-with(unique-id,\"intervm-copy-\")])' '$user_uca')\" = 5 ]"
check "thunar installer: keeps the stock action" [ "$(theirs)" = 1 ]
check "thunar installer: merged actions match the snippet" \
    [ "$(thunar_commands "$user_uca" | grep -v '^Open Terminal Here')" = "$expected" ]
run_installer install
check "thunar installer: install twice leaves one copy" [ "$(ours)" = 5 ]
# Thunar saves the file on one line, without whitespace between elements.
tr -d '\n\t' <"$user_uca" | sed 's|?><actions>|?>\n<actions>|' >"$user_uca.tmp" && mv "$user_uca.tmp" "$user_uca"
run_installer install
check "thunar installer: idempotent after Thunar rewrote the file" bash -c "[ $(ours) = 5 ] && [ $(theirs) = 1 ]"
run_installer remove
check "thunar installer: remove takes ours out, keeps the rest" bash -c "xmllint --noout '$user_uca' && [ $(ours) = 0 ] && [ $(theirs) = 1 ]"
check "thunar installer: never touches the system uca.xml" [ "$(sha256sum <"$work/xdg/Thunar/uca.xml")" = "$system_before" ]

# ---- Dolphin ----
allowed_validator_errors='(is an invalid MIME type: "all" is an unregistered media type|key "(MimeType|Actions)" is present in group "Desktop Entry", but the type is "Service" while this key is only valid for type "Application")'

# "Name<TAB>Exec" of each [Desktop Action] group, in file order.
desktop_actions() {
    awk '/^\[Desktop Action /{inaction=1; name=""; next} /^\[/{inaction=0}
         inaction && /^Name=/{name=substr($0,6)}
         inaction && /^Exec=/{print name "\t" substr($0,6)}' "$@"
}

for kf in kf5 kf6; do
    dir="$data/dolphin/$kf"
    for f in "$dir"/*.desktop; do
        out=$(desktop-file-validate "$f" 2>&1)
        bad=$(grep -v -E "$allowed_validator_errors" <<<"$out" | grep -v '^$')
        if [ -z "$bad" ]; then ok "dolphin $kf: $(basename "$f") validates (desktop-file-validate)"
        else not_ok "dolphin $kf: $(basename "$f"): $bad"; fi
        listed=$(sed -n 's/^Actions=//p' "$f" | tr ';' '\n' | grep -v '^$' | sort)
        groups=$(sed -n 's/^\[Desktop Action \(.*\)\]$/\1/p' "$f" | sort)
        check "dolphin $kf: $(basename "$f") lists exactly its action groups" [ "$listed" = "$groups" ]
        check "dolphin $kf: $(basename "$f") only for local files" grep -qx 'X-KDE-Protocols=file' "$f"
        if [ "$kf" = kf6 ]; then check "dolphin kf6: $(basename "$f") is executable" [ -x "$f" ]; fi
    done
    got=$(desktop_actions "$dir/intervm.desktop" "$dir/intervm-open.desktop")
    if [ "$got" = "$expected" ]; then
        ok "dolphin $kf: the five items and their commands match the C extension"
    else
        not_ok "dolphin $kf: items differ:"; diff <(echo "$expected") <(echo "$got") | sed 's/^/    /'
    fi
    check "dolphin $kf: folders get Copy and Move only" \
        bash -c "grep -qx 'MimeType=all/all;' '$dir/intervm.desktop' && grep -qx 'MimeType=all/allfiles;' '$dir/intervm-open.desktop'"
done
check "dolphin: KF5 and KF6 menus name the same items and commands" \
    [ "$(desktop_actions "$data"/dolphin/kf5/*.desktop)" = "$(desktop_actions "$data"/dolphin/kf6/*.desktop)" ]

echo "fm-data: $passed passed, $failed failed"
[ "$failed" = 0 ]
