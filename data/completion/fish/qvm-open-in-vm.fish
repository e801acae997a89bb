# fish completion for qvm-open-in-vm and qvm-open-in-dvm (InterVM Copy).

# VM names come from __intervm_vm_names (vendor_functions.d/__intervm_vm_names.fish, autoloaded).

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
