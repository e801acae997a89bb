import ArgumentParser
import CommandLineErrors
import Glibc
import Localization
import Qrexec
import QrexecClient
import SystemIO

// One program, two faces: `qrexec-client-vm` (Qubes' command line, inside `qrexec-local run`)
// and `qrexec-local` (managing local VMs).
Localization.setUp()

let invokedAs = CommandLine.arguments.first.map { String($0.split(separator: "/").last ?? "") } ?? ""
if invokedAs == ClientCall.clientName {
    exit(ClientMode.run(Array(CommandLine.arguments.dropFirst())))
}
QrexecLocal.mainEscapingErrors()
