// vm-file-editor: the qubes.OpenInVM service (`/etc/qubes-rpc/qubes.OpenInVM`).
// stdin: the request from the client (name block + file); stdout: the reply (edited file or nothing).
import Glibc
import Localization
import OpenInVM

Localization.setUp()
signal(SIGPIPE, SIG_IGN)  // a client that went away is a write error, not a silent death

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
