# fish completion for qvm-copy, qvm-move, qvm-copy-to-vm and qvm-move-to-vm (InterVM Copy).

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

# True while the command line has no operand yet (the VM comes first for the *-to-vm names).
function __intervm_no_operand_yet
    set -l words (commandline -opc)
    set -e words[1]
    for word in $words
        test "$word" = --; and return 1
        string match -q -- '-?*' $word; or return 1
    end
    return 0
end

for command in qvm-copy qvm-move qvm-copy-to-vm qvm-move-to-vm
    complete -c $command -n __intervm_no_operand_yet -l with-progress -d 'Show progress (default)'
    complete -c $command -n __intervm_no_operand_yet -l without-progress -d 'Do not show progress'
    complete -c $command -n __intervm_no_operand_yet -l ignore-symlinks -d 'Leave symbolic links out'
    complete -c $command -n __intervm_no_operand_yet -l no-ignore-symlinks -d 'Send symbolic links (default)'
    complete -c $command -n __intervm_no_operand_yet -l gui -d 'Desktop: pick the VM, progress and outcome in dialogs'
    complete -c $command -n __intervm_no_operand_yet -s h -l help -d 'Show help'
end
for command in qvm-copy-to-vm qvm-move-to-vm
    complete -c $command -n __intervm_no_operand_yet -f -a '(__intervm_vm_names)' -d VM
end
