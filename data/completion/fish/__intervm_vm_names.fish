# VM-name lister for the InterVM Copy fish completions (qvm-copy's and qvm-open-in-vm's);
# installed in vendor_functions.d, from where fish autoloads it when a completion first calls it.

# VM names: recent targets ($XDG_STATE_HOME/intervm/recent-targets), the user's list
# ($XDG_CONFIG_HOME/intervm/vms), under qrexec-local the VMs of $QREXEC_LOCAL_ROOT (not the
# one we run as), then @default and @dispvm; lines that are not valid targets are dropped.
function __intervm_vm_names
    set -l state $XDG_STATE_HOME
    string match -q -- '/*' "$state"; or set state $HOME/.local/state
    set -l config $XDG_CONFIG_HOME
    string match -q -- '/*' "$config"; or set config $HOME/.config
    set -l names
    for file in $state/intervm/recent-targets $config/intervm/vms
        test -r $file; and set -a names (string trim < $file)
    end
    if string match -q -- '/*' "$QREXEC_LOCAL_ROOT"
        for home in $QREXEC_LOCAL_ROOT/*/home/
            set -a names (basename (dirname $home))
        end
    end
    set -a names @default @dispvm
    set -l seen
    for name in (string match -r -- '^(?:@default|@dispvm(?::[A-Za-z][A-Za-z0-9_.-]{0,30})?|[A-Za-z][A-Za-z0-9_.-]{0,30})$' $names)
        test "$name" = "$QREXEC_LOCAL_DOMAIN"; and continue
        contains -- $name $seen; and continue
        set -a seen $name
        echo $name
    end
end
