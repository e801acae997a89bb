// vm-url-opener: the qubes.OpenURL service (`/etc/qubes-rpc/qubes.OpenURL`).
// stdin: one URL and a newline from the client; nothing is sent back.
// The URL is opened with the same opener as files (INTERVM_OPENER, ~/.config/intervm/opener,
// else xdg-open), as one argument of an argv, never through a shell.
import Glibc
import Localization
import OpenInVM
import SystemIO

Localization.setUp()
signal(SIGPIPE, SIG_IGN)

do {
    let connection = try ServiceStdio.takeConnection()
    guard let untrustedLine = try URLRequest.readLine(from: connection.input),
        let url = URLRequest.acceptedURL(untrustedLine)
    else {
        // TRANSLATORS: the whole answer of the qubes.OpenURL service to anything but an
        // http, https or ftp URL on one line.
        printLine(program: "vm-url-opener", tr("Invalid URL"))
        exit(1)
    }
    let opener = try OpenerCommand.resolve()
    let status = try Spawn.run(opener.program, arguments: opener.arguments + [url])
    exit(status.shellStatus)
} catch {
    printLine(program: "vm-url-opener", String(describing: error))
    exit(1)
}
