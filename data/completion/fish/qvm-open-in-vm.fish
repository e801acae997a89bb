# fish completion for qvm-open-in-vm and qvm-open-in-dvm (InterVM Copy).

# VM names, as in the qvm-copy completion; defined here too, each file being loaded alone.
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

# The number of operands (not options) given so far.
function __intervm_operand_count
    set -l words (commandline -opc)
    set -e words[1]
    set -l count 0
    set -l options_done 0
    for word in $words
        if test $options_done = 0; and test "$word" = --
            set options_done 1
        else if test $options_done = 1; or not string match -q -- '-?*' $word
            set count (math $count + 1)
        end
    end
    echo $count
end

for command in qvm-open-in-vm qvm-open-in-dvm
    complete -c $command -l view-only -d 'Open read-only: changes are not saved back'
    complete -c $command -l gui -d 'Ask for the VM in a dialog when none is given'
    complete -c $command -s h -l help -d 'Show help'
end
complete -c qvm-open-in-vm -n 'test (__intervm_operand_count) = 0' -f -a '(__intervm_vm_names)' -d VM
complete -c qvm-open-in-vm -n 'test (__intervm_operand_count) -ge 2' -f
complete -c qvm-open-in-dvm -n 'test (__intervm_operand_count) -ge 1' -f
