import DisplayText
import Localization

/// qfile-agent's command line, parsed by hand from argv's raw bytes: file names need not be
/// valid UTF-8, and the sender must not link the argument parser (or Foundation, which it
/// pulls in) on the path every transfer takes.
/// `qfile-agent [--ignore-symlinks] [-v|--verbose] [--remove-sent] [--] PATH...`
struct AgentArguments {
    var ignoreSymlinks = false
    var verbose = false
    var removeSent = false
    var paths: [[UInt8]] = []
    var help = false

    /// Parses `arguments` (argv without the program name); throws a one-line message.
    init(_ arguments: [[UInt8]]) throws(UsageError) {
        var afterTerminator = false
        for argument in arguments {
            if afterTerminator || argument.first != UInt8(ascii: "-") || argument == [UInt8(ascii: "-")] {
                paths.append(argument)
                continue
            }
            switch String(decoding: argument, as: UTF8.self) {
            case "--": afterTerminator = true
            case "--ignore-symlinks": ignoreSymlinks = true
            case "-v", "--verbose": verbose = true
            case "--remove-sent": removeSent = true
            case "-h", "--help": help = true
            default:
                // TRANSLATORS: %s is the option as typed.
                throw UsageError(tr("unknown option %s (see --help)", DisplayText.escaped(argument)))
            }
        }
        if !help && paths.isEmpty { throw UsageError(tr("name at least one file or folder to send (see --help)")) }
    }

    /// The `--help` text, in the user's language (option names stay literal).
    static var usage: String {
        var text = "usage: qfile-agent [--ignore-symlinks] [-v|--verbose] [--remove-sent] [--] PATH...\n\n"
        text += tr("Send files and folders as a qubes.Filecopy stream on standard output.") + "\n\n"
        text += tr(
            // TRANSLATORS: PATH is the arguments' placeholder; variable names are literal.
            """
            Each PATH is sent under its last component; folders are sent with everything in \
            them. Symbolic links are sent as links, never followed; FIFOs, sockets and devices \
            are skipped. The receiving VM's answer is read from standard input.

            Progress: PROGRESS_TYPE=console with FILECOPY_TOTAL_BYTES redraws one progress line \
            on standard error when it is a terminal; PROGRESS_TYPE=gui with SAVED_FD_1 writes \
            byte counts to that descriptor.

            Exit status: 0 when the receiving VM confirmed the whole transfer, 1 when the \
            transfer failed, 64 for an invalid command line.
            """) + "\n\n"
        text += "  PATH...             " + tr("Files and folders to send.") + "\n"
        text += "  --ignore-symlinks   " + tr("Skip symbolic links instead of sending them.") + "\n"
        text += "  -v, --verbose       " + tr("Say which entries were skipped.") + "\n"
        text += "  -h, --help          " + tr("Show this help.") + "\n"
        text += "  --remove-sent       " + tr("Once the receiving VM confirmed the transfer, delete what was sent if it is still exactly as it was sent (for qvm-move); exit status 3 when something was kept.") + "\n"
        return text
    }
}

struct UsageError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
