#!/bin/bash
# Packaging test (make check-install): installs into scratch DESTDIRs with PREFIX=/usr and
# PREFIX=/usr/local, compares every installed path, type, mode and link target with the
# expected layout, runs the installed programs (help, a copy between two qrexec-local VMs,
# translations), checks the man pages and completion scripts, then uninstalls and checks
# that nothing is left. Needs a release build (make build); prints "N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
MAKE=${MAKE:-make}
. "$top/scripts/check-tally.sh"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/intervm-check-install.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
bin=${RELEASE_BIN:?the release build folder (make check-install sets it)}

# The layout `make install PREFIX=$1 SYSCONFDIR=$2` must produce, one line a path:
# "f MODE path" for files, "l path -> target" for links (paths without the leading /).
expected_layout() {
    local p=${1#/} etc=${2#/} m=$3 name lang
    echo "f 755 $p/bin/qvm-copy"
    echo "f 755 $p/bin/qvm-open-in-vm"
    echo "f 755 $p/bin/qrexec-local"
    for name in qvm-move qvm-copy-to-vm qvm-move-to-vm; do echo "l $p/bin/$name -> qvm-copy"; done
    echo "l $p/bin/qvm-open-in-dvm -> qvm-open-in-vm"
    for name in qfile-agent qfile-unpacker qopen-in-vm vm-file-editor vm-url-opener; do echo "f 755 $p/lib/qubes/$name"; done
    echo "f 644 $p/share/applications/qvm-open-in-dvm.desktop"
    if [ -x "$bin/intervm-dialog" ]; then
        echo "f 755 $p/lib/qubes/intervm-dialog"
        echo "f 644 $p/share/applications/intervm-dialog.desktop"
    fi
    echo "f 755 $etc/qubes-rpc/qubes.Filecopy"
    echo "f 755 $etc/qubes-rpc/qubes.OpenInVM"
    echo "f 755 $etc/qubes-rpc/qubes.OpenURL"
    echo "f 644 $etc/qubes/rpc-config/qubes.Filecopy"
    echo "f 644 $etc/qubes/rpc-config/qubes.OpenInVM"
    echo "f 644 $etc/qubes/rpc-config/qubes.OpenURL"
    echo "f 644 $p/share/doc/intervm-copy/examples/30-intervm.policy"
    for name in qvm-copy qvm-move qvm-copy-to-vm qvm-move-to-vm qvm-open-in-vm qvm-open-in-dvm qrexec-local; do
        echo "f 644 $p/share/man/man1/$name.1"
    done
    for name in qfile-agent qfile-unpacker qopen-in-vm vm-file-editor vm-url-opener intervm-dialog; do echo "f 644 $p/share/man/man8/$name.8"; done
    for name in qvm-copy qvm-open-in-vm qrexec-local; do
        echo "f 644 $p/share/bash-completion/completions/$name"
        echo "f 644 $p/share/zsh/vendor-completions/_$name"
        echo "f 644 $p/share/fish/vendor_completions.d/$name.fish"
    done
    for name in qvm-move qvm-copy-to-vm qvm-move-to-vm; do
        echo "l $p/share/bash-completion/completions/$name -> qvm-copy"
        echo "l $p/share/fish/vendor_completions.d/$name.fish -> qvm-copy.fish"
    done
    echo "l $p/share/bash-completion/completions/qvm-open-in-dvm -> qvm-open-in-vm"
    echo "l $p/share/fish/vendor_completions.d/qvm-open-in-dvm.fish -> qvm-open-in-vm.fish"
    echo "f 644 $p/share/fish/vendor_functions.d/__intervm_vm_names.fish"
    for lang in po/*.po; do
        [ -e "$lang" ] || continue
        lang=${lang#po/}
        echo "f 644 $p/share/locale/${lang%.po}/LC_MESSAGES/intervm-copy.mo"
    done
    if [ -f CExtension/Makefile ]; then
        local variant pc dir
        for variant in $("$MAKE" -s -C CExtension variants); do
            case $variant in nautilus) pc=libnautilus-extension-4 ;; nemo) pc=libnemo-extension ;; caja) pc=libcaja-extension ;; esac
            dir=$(pkg-config --variable=extensiondir "$pc")
            echo "f 644 ${dir#/}/libintervm-copy.so"
        done
        echo "f 644 $p/share/intervm-copy/thunar/intervm-uca.xml"
        echo "f 755 $p/bin/intervm-thunar-actions"
        echo "f 644 $p/share/man/man1/intervm-thunar-actions.1"
        for name in data/dolphin/kf5/*.desktop; do [ -e "$name" ] && echo "f 644 $p/share/kservices5/ServiceMenus/${name##*/}"; done
        for name in data/dolphin/kf6/*.desktop; do [ -e "$name" ] && echo "f 755 $p/share/kio/servicemenus/${name##*/}"; done
    fi
    [ -z "$m" ] || echo "f 644 ${m#/}"
}

# What is under DESTDIR $1, in the same form.
actual_layout() {
    (cd "$1" && find . ! -type d -printf '%y %m %P -> %l\n') |
        sed -e 's/^f \([0-9]*\) \(.*\) -> $/f \1 \2/' -e 's/^l [0-9]* /l /'
}

install_into() { # DESTDIR PREFIX [make variables...]
    local dest=$1 prefix=$2
    shift 2
    "$MAKE" -s install DESTDIR="$dest" PREFIX="$prefix" "$@" >"$scratch/install.log" 2>&1 ||
        { fail "make install DESTDIR=$dest PREFIX=$prefix $*" "$(tail -20 "$scratch/install.log")"; return 1; }
}

compare_layout() { # DESTDIR PREFIX SYSCONFDIR MANIFEST label
    local diffs
    diffs=$(diff <(expected_layout "$2" "$3" "$4" | LC_ALL=C sort) <(actual_layout "$1" | LC_ALL=C sort))
    if [ -z "$diffs" ]; then pass "$5: installed files are exactly the expected layout"; else fail "$5: layout differs (< expected, > installed)" "$diffs"; fi
    local odd
    odd=$(find "$1" ! -type l \( -perm /6000 -o -perm /0022 \) -printf '%M %P\n')
    if [ -z "$odd" ]; then pass "$5: no setuid/setgid bits, nothing group- or world-writable"; else fail "$5: unexpected modes" "$odd"; fi
    odd=$(find "$1" -type d ! -perm 755 -printf '%M %P\n'; find "$1" -type d -empty -printf 'empty %P\n')
    if [ -z "$odd" ]; then pass "$5: every folder is 0755 and holds something"; else fail "$5: odd folders" "$odd"; fi
    odd=$(find "$1" -xtype l -printf '%P -> %l\n')
    if [ -z "$odd" ]; then pass "$5: every symbolic link resolves inside the tree"; else fail "$5: dangling links" "$odd"; fi
}

# 1. PREFIX=/usr: configuration in /etc.
root=$scratch/usr-root
if install_into "$root" /usr; then
    compare_layout "$root" /usr /etc /usr/share/intervm-copy/installed-files "PREFIX=/usr"
    for module in "$root"/usr/lib/*/*/extensions-*/libintervm-copy.so; do
        [ -e "$module" ] || continue
        check "PREFIX=/usr: ${module#"$root"/} runs the front ends in /usr/bin" bash -c "grep -qa /usr/bin '$module' && ! grep -qa /usr/local/bin '$module'"
    done
    check "PREFIX=/usr: qubes.Filecopy runs /usr/lib/qubes/qfile-unpacker" grep -qE 'exec /usr/lib/qubes/qfile-unpacker( |$)' "$root/etc/qubes-rpc/qubes.Filecopy"
    out=$(ldd "$root"/usr/bin/qvm-copy "$root"/usr/bin/qrexec-local "$root"/usr/lib/qubes/* 2>&1)
    if ! grep -q libswift <<<"$out" && ! grep -q 'not found' <<<"$out"; then pass "installed programs need no libswift*.so"; else fail "installed programs need Swift libraries" "$(grep -E 'libswift|not found' <<<"$out")"; fi
    weak=""
    for program in "$root"/usr/bin/qvm-copy "$root"/usr/bin/qvm-open-in-vm "$root"/usr/bin/qrexec-local "$root"/usr/lib/qubes/*; do
        readelf -h "$program" | grep -q 'DYN (Position-Independent' || weak="$weak ${program##*/}(not PIE)"
        readelf -d "$program" | grep -qE 'BIND_NOW|FLAGS.*\bNOW\b' || weak="$weak ${program##*/}(no BIND_NOW)"
        readelf -lW "$program" | grep -q GNU_RELRO || weak="$weak ${program##*/}(no RELRO)"
    done
    if [ -z "$weak" ]; then pass "installed programs are PIE with full RELRO"; else fail "hardening:$weak"; fi
    out=$("$root/usr/bin/qvm-copy" --help 2>&1)
    check "installed qvm-copy --help shows its usage" grep -q 'usage: qvm-copy' <<<"$out"
    out=$("$root/usr/bin/qvm-move-to-vm" --help 2>&1)
    check "installed qvm-move-to-vm (link) answers to its own name" grep -q 'usage: qvm-move-to-vm .*VM FILE' <<<"$out"

    # A copy between two local VMs with the installed programs only.
    if command -v bwrap >/dev/null; then
        vms=$scratch/vms
        saved_path=$PATH
        export PATH="$root/usr/bin:/usr/bin:/bin"
        "$root/usr/bin/qrexec-local" --root "$vms" create work personal >/dev/null
        printf 'qubes.Filecopy * work personal allow\nqubes.Filecopy * personal @anyvm deny\n' >"$vms/policy.d/10-test.policy"
        mkdir -p "$vms/work/home/folder/sub" && printf 'hello\n' >"$vms/work/home/folder/sub/note.txt"
        out=$(env -u QREXEC_LOCAL_ROOT "$root/usr/bin/qrexec-local" --root "$vms" run work -- qvm-copy-to-vm --without-progress personal folder 2>&1)
        if diff -r "$vms/work/home/folder" "$vms/personal/home/QubesIncoming/work/folder" >/dev/null 2>&1; then
            pass "installed qvm-copy-to-vm copies a folder between two qrexec-local VMs"
        else
            fail "copy between qrexec-local VMs with the installed programs" "$out"
        fi
        out=$("$root/usr/bin/qrexec-local" --root "$vms" run personal -- qvm-copy-to-vm --without-progress work nothing 2>&1)
        check "installed front end reports a missing file with status 1" test $? -eq 1
        printf 'x\n' >"$vms/personal/home/f"
        "$root/usr/bin/qrexec-local" --root "$vms" run personal -- qvm-copy-to-vm --without-progress work f </dev/null >/dev/null 2>&1
        check "a call the policy does not allow ends with status 126" test $? -eq 126
        export PATH=$saved_path
    else
        fail "bubblewrap (bwrap) is needed for the qrexec-local copy test"
    fi

    # Translations, when there are any: the installed program finds them under PREFIX/share/locale.
    for mo in "$root"/usr/share/locale/*/LC_MESSAGES/intervm-copy.mo; do
        [ -e "$mo" ] || continue
        lang=${mo#"$root"/usr/share/locale/}
        lang=${lang%%/*}
        english=$(LC_ALL=C.UTF-8 LANGUAGE= "$root/usr/bin/qvm-copy" --help 2>&1)
        translated=$(LC_ALL=C.UTF-8 LANGUAGE=$lang "$root/usr/bin/qvm-copy" --help 2>&1)
        if [ "$english" != "$translated" ]; then pass "installed qvm-copy speaks $lang from the installed catalogue"; else fail "qvm-copy --help is not translated with LANGUAGE=$lang"; fi
    done

    # Data files shown to users carry the translations `make mo` merged in (build/data).
    for localized in $(grep -s -e '^data/dolphin/kf6/' -e '^data/thunar/.*\.xml$' po/POTFILES | sed 's|^|build/|'); do
        installed=$(find "$root" -type f -name "${localized##*/}" -path '*/kio/*' -o -type f -name "${localized##*/}" -path '*/thunar/*' | head -1)
        check "installed ${installed#"$root"/} is the translated build/data copy" cmp -s "$localized" "$installed"
    done

    # Man pages: render without warnings (aliases through their .so links), and every option
    # the programs' --help lists is documented.
    man_text() { MANWIDTH=200 LC_ALL=C man --warnings -E ascii -M "$root/usr/share/man" "$@" 2>&1; }
    for page in "$root"/usr/share/man/man[18]/*; do
        name=${page##*/}
        out=$(MANWIDTH=200 LC_ALL=C man --warnings -E ascii -M "$root/usr/share/man" "${name##*.}" "${name%.*}" 2>&1 >/dev/null)
        if [ -z "$out" ]; then pass "man ${name%.*} renders without warnings"; else fail "man ${name%.*} warns" "$out"; fi
    done
    check "man qvm-move shows the qvm-copy page" grep -q 'qvm-copy-to-vm' <<<"$(man_text 1 qvm-move)"
    for spec in "1 qvm-copy $root/usr/bin/qvm-copy" "1 qvm-open-in-vm $root/usr/bin/qvm-open-in-vm" \
        "1 qrexec-local $root/usr/bin/qrexec-local" "1 qrexec-local $root/usr/bin/qrexec-local run" \
        "8 qfile-agent $root/usr/lib/qubes/qfile-agent" "8 qfile-unpacker $root/usr/lib/qubes/qfile-unpacker" \
        "8 qopen-in-vm $root/usr/lib/qubes/qopen-in-vm"; do
        read -r section name program subcommand <<<"$spec"
        text=$(man_text "$section" "$name")
        missing=""
        for option in $("$program" ${subcommand:+"$subcommand"} --help 2>&1 | grep -oE '(^|[ ,\[])--[a-z][a-z-]+' | grep -oE -- '--[a-z-]+' | sort -u); do
            grep -qe "$option" <<<"$text" || missing="$missing $option"
        done
        if [ -z "$missing" ]; then pass "$name($section) documents every option of $name ${subcommand:-}--help"; else fail "$name($section) lacks$missing"; fi
    done
    text=$(man_text 1 qvm-copy)
    for needle in 'EXIT STATUS' '126' '125' 'QubesIncoming' 'receiver.conf' 'EXAMPLES'; do
        check "man qvm-copy mentions $needle" grep -q "$needle" <<<"$text"
    done
    text=$(man_text 8 qfile-unpacker)
    for needle in 'incoming-dir' 'on-conflict' 'max-bytes' 'max-files' 'idle-timeout' '/etc/intervm/receiver.conf'; do
        check "man qfile-unpacker documents $needle" grep -q -- "$needle" <<<"$text"
    done

    # Completion: VM names from the recent list, the user's list and qrexec-local's root.
    comp=$scratch/completion
    mkdir -p "$comp/state/intervm" "$comp/config/intervm" "$comp/root/alpha/home" "$comp/root/beta/home" "$comp/root/policy.d"
    printf 'personal\n  spaced  \nbad name\n../etc\n' >"$comp/state/intervm/recent-targets"
    printf 'vault\n' >"$comp/config/intervm/vms"
    export XDG_STATE_HOME=$comp/state XDG_CONFIG_HOME=$comp/config QREXEC_LOCAL_ROOT=$comp/root QREXEC_LOCAL_DOMAIN=alpha
    want="@default @dispvm beta personal spaced vault"
    bash_complete() { # FILE WORDS...
        bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
            f=$(complete -p "${COMP_WORDS[0]}" | sed -E "s/.*-F ([^ ]+) .*/\1/"); "$f"; printf "%s\n" "${COMPREPLY[@]}"' \
            bash "$@" 2>&1 | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'
    }
    bc=$root/usr/share/bash-completion/completions
    got=$(bash_complete "$bc/qvm-copy-to-vm" qvm-copy-to-vm "")
    if [ "$got" = "$want" ]; then pass "bash: qvm-copy-to-vm completes VM names"; else fail "bash: qvm-copy-to-vm VM names" "got:  $got"$'\n'"want: $want"; fi
    got=$(bash_complete "$bc/qvm-open-in-vm" qvm-open-in-vm --view-only "")
    if [ "$got" = "$want" ]; then pass "bash: qvm-open-in-vm completes VM names after an option"; else fail "bash: qvm-open-in-vm VM names" "got: $got"; fi
    got=$(cd "$comp" && bash_complete "$bc/qvm-open-in-vm" qvm-open-in-vm --gui con)
    check "bash: qvm-open-in-vm --gui also completes a file first (the VM may be left out)" test "$got" = config
    got=$(cd "$comp" && bash_complete "$bc/qvm-move-to-vm" qvm-move-to-vm personal con)
    check "bash: qvm-move-to-vm completes files after the VM" test "$got" = config
    got=$(cd "$comp" && bash_complete "$bc/qvm-copy" qvm-copy "")
    check "bash: qvm-copy (no VM argument) completes files only" test "$got" = "config root state"
    got=$(bash_complete "$bc/qvm-copy" qvm-copy --with)
    check "bash: qvm-copy completes options" test "$got" = "--with-progress --without-progress"
    got=$(bash_complete "$bc/qrexec-local" qrexec-local --root "$comp/root" run "")
    check "bash: qrexec-local run completes the VMs of --root" test "$got" = "alpha beta"
    got=$(bash_complete "$bc/qrexec-local" qrexec-local "")
    check "bash: qrexec-local completes subcommands" test "$got" = "create help list remove run"
    if command -v fish >/dev/null; then
        fc=$root/usr/share/fish/vendor_completions.d
        # The shared VM-name lister is autoloaded from the installed vendor_functions.d.
        fish_complete() { fish --no-config -c "set -p fish_function_path $root/usr/share/fish/vendor_functions.d; source $1; complete -C '$2'" 2>&1 | cut -f1 | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'; }
        got=$(fish_complete "$fc/qvm-copy-to-vm.fish" "qvm-copy-to-vm ")
        if [ "$got" = "$want" ]; then pass "fish: qvm-copy-to-vm completes VM names"; else fail "fish: qvm-copy-to-vm VM names" "got: $got"; fi
        got=$(fish_complete "$fc/qvm-open-in-vm.fish" "qvm-open-in-vm --view-only ")
        if [ "$got" = "$want" ]; then pass "fish: qvm-open-in-vm completes VM names"; else fail "fish: qvm-open-in-vm VM names" "got: $got"; fi
        got=$(fish_complete "$fc/qrexec-local.fish" "qrexec-local --root $comp/root run ")
        check "fish: qrexec-local run completes the VMs of --root" test "$got" = "alpha beta"
    else
        fail "fish is not installed: fish completion untested (apt-get install fish)"
    fi
    if command -v zsh >/dev/null; then
        for f in "$root"/usr/share/zsh/vendor-completions/_*; do check "zsh: ${f##*/} parses" zsh -n "$f"; done
        # The name lists, with the completion system's _wanted replaced by a printer (the
        # _arguments wiring itself needs an interactive shell).
        zc=$root/usr/share/zsh/vendor-completions
        zsh_names() { # FILE FUNCTION [ARGUMENT]
            zsh -f -c '_wanted() { local -a a; a=("$@"); if [[ ${a[-2]} == -a ]]; then print -l -- ${(P)a[-1]}; else print -l -- "${(@)a[${a[(i)-]}+1,-1]}"; fi; }
                source "$1" 2>/dev/null; "$2" "${3-}"' zsh "$@" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'
        }
        got=$(zsh_names "$zc/_qvm-copy" _intervm_vm_names)
        if [ "$got" = "$want" ]; then pass "zsh: qvm-copy's VM names"; else fail "zsh: qvm-copy's VM names" "got: $got"; fi
        got=$(zsh_names "$zc/_qvm-open-in-vm" _intervm_vm_names)
        if [ "$got" = "$want" ]; then pass "zsh: qvm-open-in-vm's VM names"; else fail "zsh: qvm-open-in-vm's VM names" "got: $got"; fi
        got=$(zsh_names "$zc/_qrexec-local" _intervm_local_vms "$comp/root")
        check "zsh: qrexec-local's VMs of --root" test "$got" = "alpha beta"
    else
        fail "zsh is not installed: zsh completion untested (apt-get install zsh)"
    fi
    unset XDG_STATE_HOME XDG_CONFIG_HOME QREXEC_LOCAL_ROOT QREXEC_LOCAL_DOMAIN

    if command -v desktop-file-validate >/dev/null; then
        out=$(desktop-file-validate "$root/usr/share/applications/qvm-open-in-dvm.desktop" 2>&1)
        if [ -z "$out" ]; then pass "qvm-open-in-dvm.desktop validates"; else fail "qvm-open-in-dvm.desktop" "$out"; fi
    fi
    check "qvm-open-in-dvm.desktop is hidden and hands its argument to the installed front end" \
        grep -qx 'Exec=/usr/bin/qvm-open-in-dvm -- %u' "$root/usr/share/applications/qvm-open-in-dvm.desktop"
    check "qvm-open-in-dvm.desktop handles http and https links" \
        grep -q '^MimeType=x-scheme-handler/http;x-scheme-handler/https;' "$root/usr/share/applications/qvm-open-in-dvm.desktop"
    if [ -e "$root/usr/share/applications/intervm-dialog.desktop" ]; then
        if command -v desktop-file-validate >/dev/null; then
            out=$(desktop-file-validate "$root/usr/share/applications/intervm-dialog.desktop" 2>&1)
            if [ -z "$out" ]; then pass "intervm-dialog.desktop validates"; else fail "intervm-dialog.desktop" "$out"; fi
        fi
        check "intervm-dialog.desktop is hidden and runs the installed helper" \
            grep -qx 'Exec=/usr/lib/qubes/intervm-dialog pick-target' "$root/usr/share/applications/intervm-dialog.desktop"
    fi

    # Uninstall: everything goes, but a file someone else put there stays with its folder.
    printf 'not ours\n' >"$root/usr/bin/someone-elses"
    "$MAKE" -s uninstall DESTDIR="$root" PREFIX=/usr >/dev/null 2>&1
    left=$(cd "$root" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort | tr '\n' ' ')
    check "make uninstall leaves only the foreign file and its folders" test "$left" = "usr usr/bin usr/bin/someone-elses "
fi

# 2. PREFIX=/usr/local: configuration in /usr/local/etc, services point into /usr/local/lib/qubes.
root=$scratch/local-root
if install_into "$root" /usr/local; then
    compare_layout "$root" /usr/local /usr/local/etc /usr/local/share/intervm-copy/installed-files "PREFIX=/usr/local"
    for module in "$root"/usr/lib/*/*/extensions-*/libintervm-copy.so; do
        [ -e "$module" ] || continue
        check "PREFIX=/usr/local: ${module#"$root"/} runs the front ends in /usr/local/bin" grep -qa '/usr/local/bin' "$module"
    done
    check "PREFIX=/usr/local: qubes.Filecopy runs /usr/local/lib/qubes/qfile-unpacker" \
        grep -qE 'exec /usr/local/lib/qubes/qfile-unpacker( |$)' "$root/usr/local/etc/qubes-rpc/qubes.Filecopy"
    check "PREFIX=/usr/local: qubes.OpenInVM runs /usr/local/lib/qubes/vm-file-editor" \
        grep -q 'exec /usr/local/lib/qubes/vm-file-editor$' "$root/usr/local/etc/qubes-rpc/qubes.OpenInVM"
    # Installing twice (an upgrade) and uninstalling once leaves nothing.
    install_into "$root" /usr/local && pass "a second install over the first succeeds"
    "$MAKE" -s uninstall DESTDIR="$root" PREFIX=/usr/local >/dev/null 2>&1
    left=$(cd "$root" && find . -mindepth 1 -printf '%P\n')
    if [ -z "$left" ]; then pass "make uninstall after two installs leaves nothing"; else fail "uninstall left files" "$left"; fi
fi

# 3. SYSCONFDIR given: the services go there, and uninstall still finds everything.
root=$scratch/sysconf-root
if install_into "$root" /opt/intervm SYSCONFDIR=/etc; then
    check "SYSCONFDIR=/etc with PREFIX=/opt/intervm puts the services in /etc/qubes-rpc" test -x "$root/etc/qubes-rpc/qubes.Filecopy"
    "$MAKE" -s uninstall DESTDIR="$root" PREFIX=/opt/intervm >/dev/null 2>&1
    left=$(cd "$root" && find . -mindepth 1 -printf '%P\n')
    if [ -z "$left" ]; then pass "uninstall with SYSCONFDIR=/etc leaves nothing"; else fail "uninstall left files" "$left"; fi
fi

tally check-install
