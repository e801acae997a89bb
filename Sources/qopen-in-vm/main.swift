// qopen-in-vm: the local side of qubes.OpenInVM and qubes.OpenURL, run by qrexec-client-vm.
// stdout goes to the service, stdin comes from it; messages go to stderr. The command line is
// parsed by hand: no argument parser, so no Foundation, on the path every open takes.
import DisplayText
import Glibc
import Localization
import OpenInVM
import SystemIO
import SystemPackage

Localization.setUp()
signal(SIGPIPE, SIG_IGN)  // a service that went away is a write error, not a silent death

/// `qopen-in-vm [--view-only] [--max-reply-bytes N] [--] FILE` or `qopen-in-vm --url [--] URL`.
struct Arguments {
    var viewOnly = false
    var url = false
    var maxReplyBytes: UInt64?
    var operand: String?
    var help = false

    init(_ words: [String]) throws(UsageError) {
        var rest = words[...]
        var afterTerminator = false
        while let word = rest.popFirst() {
            if afterTerminator || !word.hasPrefix("-") || word == "-" {
                guard operand == nil else { throw UsageError(tr("Give exactly one file.")) }
                operand = word
                continue
            }
            switch word {
            case "--": afterTerminator = true
            case "--view-only": viewOnly = true
            case "--url": url = true
            case "-h", "--help": help = true
            case "--max-reply-bytes":
                guard let value = rest.popFirst(), let limit = UInt64(value) else {
                    throw UsageError(tr("%s needs a value", "--max-reply-bytes"))
                }
                maxReplyBytes = limit
            default:
                throw UsageError(tr("unknown option %s (see --help)", DisplayText.escaped(word)))
            }
        }
        if !help && operand == nil { throw UsageError(tr("Give exactly one file.")) }
    }

    static var usage: String {
        var text = "usage: qopen-in-vm [--view-only] [--max-reply-bytes N] [--] FILE\n"
        text += "       qopen-in-vm --url [--] URL\n\n"
        // TRANSLATORS: FILE is the argument's placeholder; qubes.OpenInVM is a service name (literal).
        text += tr("Sends FILE to the qubes.OpenInVM service on stdout and puts the edited file it answers with in place of the original.") + "\n\n"
        text += "  FILE                 " + tr("The file to open.") + "\n"
        text += "  --view-only          " + tr("Open the file read-only; whatever comes back is discarded.") + "\n"
        // TRANSLATORS: $INTERVM_OPEN_MAX_REPLY is an environment variable (literal).
        text += "  --max-reply-bytes N  " + tr("Largest edited file accepted, in bytes (default 4 GiB, or $INTERVM_OPEN_MAX_REPLY).") + "\n"
        // TRANSLATORS: qubes.OpenURL is a service name (literal).
        text += "  --url                " + tr("Send the operand as a link to the qubes.OpenURL service instead.") + "\n"
        text += "  -h, --help           " + tr("Show this help.") + "\n"
        return text
    }
}

struct UsageError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

func fail(_ message: String, status: Int32) -> Never {
    printLine(program: "qopen-in-vm", message)
    exit(status)
}

let arguments: Arguments
do {
    arguments = try Arguments(Array(CommandLine.arguments.dropFirst()))
} catch {
    fail(error.message, status: 64)
}
if arguments.help {
    try? FileDescriptor.standardOutput.writeFully(Array(Arguments.usage.utf8))
    exit(0)
}
let operand = arguments.operand!

if arguments.url {
    // qubes.OpenURL: the link and a newline, then the end of input; the service answers nothing.
    do {
        try FileDescriptor.standardOutput.writeFully(URLRequest.encoded(operand))
        close(STDOUT_FILENO)
        var discard = [UInt8](repeating: 0, count: 4096)
        while (try? syscallRetrying({ read(STDIN_FILENO, &discard, discard.count) })) ?? 0 > 0 {}
    } catch {
        fail(String(describing: error), status: 1)
    }
    exit(0)
}

var client = EditClient()
let limit = arguments.maxReplyBytes ?? getenv(EditClient.maximumReplySizeVariable).flatMap { UInt64(String(cString: $0)) }
if let limit { client.maximumReplySize = limit }
do {
    switch try client.run(path: operand, viewOnly: arguments.viewOnly) {
    case .unchanged, .viewOnly, .replaced:
        break
    case .savedBeside(let path):
        printLine(program: "qopen-in-vm", tr("\"%s\" was replaced or changed while it was open in the other VM, so your edit was saved as \"%s\".", DisplayText.escaped(operand), DisplayText.escaped(path)))
    case .savedElsewhere(let path):
        printLine(program: "qopen-in-vm", tr("The folder of \"%s\" is not writable, so your edit was saved as \"%s\".", DisplayText.escaped(operand), DisplayText.escaped(path)))
    }
} catch {
    fail(String(describing: error), status: 1)
}
exit(0)
