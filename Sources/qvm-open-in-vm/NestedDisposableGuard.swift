import DialogClient
import Glibc
import Qrexec

/// Qubes' guard against a loop of disposable VMs: a document or page opened in a disposable VM
/// (inside a qubes.OpenInVM or qubes.OpenURL service) could itself ask for a new disposable VM
/// to open a file or link in, and that one the next. So from inside those services a call to
/// `@dispvm` goes ahead only when the person says yes in a dialog; with no display to ask on,
/// it is refused.
enum NestedDisposableGuard {
    static let servicesThatOpen = ["qubes.OpenInVM", "qubes.OpenURL"]

    /// True when `target` is a disposable VM and this program runs inside one of those services.
    static func applies(to target: String) -> Bool {
        guard target == "@dispvm" || target.hasPrefix("@dispvm:") else { return false }
        guard let service = ServiceEnvironment.processFullName else { return false }
        return servicesThatOpen.contains { service == $0 || service.hasPrefix($0 + "+") }
    }

    /// Asks in the qrexec confirmation dialog whether this VM may call `service` in `target`.
    static func userAgrees(target: String, service: String) -> Bool {
        guard case .chosen = DialogHelper.confirm(source: ownName, service: service, targets: [target], preselected: target) else {
            return false
        }
        return true
    }

    /// This VM's name as the dialog shows it: qrexec-local's, else the host name (a Qubes VM's
    /// host name is its name).
    static var ownName: String {
        if let local = getenv("QREXEC_LOCAL_DOMAIN").map({ String(cString: $0) }), TargetName.isValidVMName(local) { return local }
        var buffer = [CChar](repeating: 0, count: 256)
        if gethostname(&buffer, buffer.count - 1) == 0 {
            let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if TargetName.isValidVMName(name) { return name }
        }
        return "dom0"
    }
}
