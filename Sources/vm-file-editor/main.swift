// vm-file-editor: the qubes.OpenInVM service (`/etc/qubes-rpc/qubes.OpenInVM`).
// stdin: the request from the client (name block + file); stdout: the reply (edited file or nothing).
import Glibc
import Localization
import OpenInVM

Localization.setUp()
signal(SIGPIPE, SIG_IGN)  // a client that went away is a write error, not a silent death

// Run by qrexec with no arguments; --help is for a person reading about the service.
let words = CommandLine.arguments.dropFirst()
if words == ["--help"] || words == ["-h"] {
    // TRANSLATORS: qubes.OpenInVM is a service name (literal).
    print("usage: vm-file-editor\n\n" + tr("The qubes.OpenInVM service: reads a file from standard input, opens it with the default application and writes it back to standard output if it was changed. Run by qrexec; it takes no arguments."))
    exit(0)
}
if !words.isEmpty {
    printLine(program: "vm-file-editor", tr("takes no arguments (see --help)"))
    exit(64)
}

do {
    let connection = try ServiceStdio.takeConnection()
    let outcome = try EditorService(input: connection.input, output: connection.output).run()
    if outcome == .fileGone {
        printLine(program: "vm-file-editor", tr("The application removed the file; nothing was sent back."))
    }
    exit(0)
} catch {
    printLine(program: "vm-file-editor", String(describing: error))
    exit(1)
}
