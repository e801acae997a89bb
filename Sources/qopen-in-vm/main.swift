// qopen-in-vm: the qubes.OpenInVM client, run by qrexec-client-vm.
// stdout goes to the service, stdin comes from it; messages go to stderr.
import ArgumentParser
import CommandLineErrors
import Glibc
import Localization
import OpenInVM

struct QOpenInVM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qopen-in-vm",
        // TRANSLATORS: FILE is the argument's placeholder; qubes.OpenInVM is a service name (literal).
        abstract: tr("Sends FILE to the qubes.OpenInVM service on stdout and puts the edited file it answers with in place of the original."))

    @Flag(name: .long, help: ArgumentHelp(tr("Open the file read-only; whatever comes back is discarded.")))
    var viewOnly = false

    // TRANSLATORS: $INTERVM_OPEN_MAX_REPLY is an environment variable (literal).
    @Option(name: .long, help: ArgumentHelp(tr("Largest edited file accepted, in bytes (default 4 GiB, or $INTERVM_OPEN_MAX_REPLY).")))
    var maxReplyBytes: UInt64?

    @Argument(help: ArgumentHelp(tr("The file to open.")))
    var file: String

    func run() throws {
        var client = EditClient()
        if let limit = maxReplyBytes ?? Self.limitFromEnvironment() { client.maximumReplySize = limit }
        do {
            switch try client.run(path: file, viewOnly: viewOnly) {
            case .unchanged, .viewOnly, .replaced:
                break
            case .savedBeside(let path):
                printLine(program: "qopen-in-vm", tr("\"%s\" was replaced or changed while it was open in the other VM, so your edit was saved as \"%s\".", displayed(file), displayed(path)))
            case .savedElsewhere(let path):
                printLine(program: "qopen-in-vm", tr("The folder of \"%s\" is not writable, so your edit was saved as \"%s\".", displayed(file), displayed(path)))
            }
        } catch {
            printLine(program: "qopen-in-vm", String(describing: error))
            throw ExitCode(1)
        }
    }

    static func limitFromEnvironment() -> UInt64? {
        getenv(EditClient.maximumReplySizeVariable).flatMap { UInt64(String(cString: $0)) }
    }
}

Localization.setUp()
signal(SIGPIPE, SIG_IGN)  // a service that went away is a write error, not a silent death
QOpenInVM.mainEscapingErrors()
