import Glibc
import Localization
import Qrexec
import QrexecLocal
import SystemIO

/// `qrexec-client-vm` inside a local VM: the calling VM and the root come from the
/// environment `qrexec-local run` set.
enum ClientMode {
    static func run(_ arguments: [String]) -> Int32 {
        guard let context = LocalRun.callContext() else {
            printError(tr("qrexec-client-vm: not inside a local VM; start the program with \"qrexec-local run VM -- ...\"."))
            return 125
        }
        switch ClientCommandLine.parse(arguments) {
        case .failure(let error):
            printError("qrexec-client-vm: " + error.message)
            return 2
        case .success(let request):
            return LocalCall(vms: context.vms, source: context.source, sandboxed: context.sandboxed).run(request)
        }
    }
}


