# fish completion for qrexec-local (InterVM Copy). VM names come from the root folder:
# --root DIR on the command line, else $XDG_STATE_HOME/intervm.

function __intervm_local_vms
    set -l words (commandline -opc)
    set -l root
    set -l index (contains -i -- --root $words)
    if test -n "$index"; and test (count $words) -gt $index
        set root (string replace -r -- '^~' $HOME $words[(math $index + 1)])
    else
        set -l state $XDG_STATE_HOME
        string match -q -- '/*' "$state"; or set state $HOME/.local/state
        set root $state/intervm
    end
    for home in $root/*/home/
        basename (dirname $home)
    end
end

# True for `run` before its VM name is given.
function __intervm_run_needs_vm
    set -l words (commandline -opc)
    set -l seen_run 0
    set -l skip 0
    for word in $words[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch $word
            case --root
                set skip 1
            case '-*'
            case run
                test $seen_run = 0; and set seen_run 1; or return 1
            case '*'
                test $seen_run = 1; and return 1
        end
    end
    test $seen_run = 1
end

set -l subcommands create list remove run help
complete -c qrexec-local -f
complete -c qrexec-local -l root -x -a '(__fish_complete_directories)' -d 'Folder holding the local VMs'
complete -c qrexec-local -s h -l help -d 'Show help'
complete -c qrexec-local -n "not __fish_seen_subcommand_from $subcommands" -a create -d 'Create local VMs'
complete -c qrexec-local -n "not __fish_seen_subcommand_from $subcommands" -a list -d 'List the local VMs'
complete -c qrexec-local -n "not __fish_seen_subcommand_from $subcommands" -a remove -d 'Delete local VMs'
complete -c qrexec-local -n "not __fish_seen_subcommand_from $subcommands" -a run -d 'Run a command as a local VM'
complete -c qrexec-local -n "not __fish_seen_subcommand_from $subcommands" -a help -d 'Show help for a subcommand'
complete -c qrexec-local -n '__fish_seen_subcommand_from help' -a 'create list remove run'
complete -c qrexec-local -n '__fish_seen_subcommand_from remove' -a '(__intervm_local_vms)' -d 'Local VM'
complete -c qrexec-local -n __intervm_run_needs_vm -a '(__intervm_local_vms)' -d 'Local VM'
complete -c qrexec-local -n '__fish_seen_subcommand_from run' -l no-sandbox -d 'Run services without the bubblewrap sandbox'
