# fish completion for qvm-copy, qvm-move, qvm-copy-to-vm and qvm-move-to-vm (InterVM Copy).

# VM names come from __intervm_vm_names (vendor_functions.d/__intervm_vm_names.fish, autoloaded).

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
