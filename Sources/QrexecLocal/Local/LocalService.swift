import DisplayText
import Qrexec
import Localization
import SystemIO

/// The program that answers a call in a local VM: the VM's own `rpc/SERVICE+ARG` or
/// `rpc/SERVICE`, else one of the services the project builds itself.
public struct LocalService: Sendable, Equatable {
    /// The executable as seen from outside the sandbox.
    public var executable: String
    /// Arguments after the program name.
    public var arguments: [String]
    /// True for a VM's own script, which the sandbox binds in at `/run/qubes-rpc/NAME`.
    public var isVMScript: Bool

    /// Finds the service `environment.service` for VM folder `vm` of `vms`; throws a sentence
    /// when there is none or the argument is not one the built-in service accepts.
    public static func locate(_ environment: ServiceEnvironment, in vm: String, of vms: LocalVMs) throws(LocalCallError)
        -> LocalService
    {
        let folder = vms.servicesFolder(of: vm)
        let extra = environment.argument.isEmpty ? [] : [environment.argument]
        for name in [environment.fullName, environment.service] {
            let path = folder + "/" + name
            if LocalFiles.isExecutableFile(path) {
                return LocalService(executable: path, arguments: extra, isVMScript: true)
            }
        }
        switch environment.service {
        case "qubes.Filecopy":
            guard environment.argument.isEmpty || environment.argument == "allow-all-names" else {
                throw .noSuchService(tr("qubes.Filecopy does not accept the argument \"%s\".", DisplayText.escaped(environment.argument)))
            }
            guard let unpacker = ProgramLocation.helper("qfile-unpacker") else {
                throw .noSuchService(tr("The receiver qfile-unpacker is not installed."))
            }
            return LocalService(
                executable: unpacker, arguments: environment.argument.isEmpty ? [] : ["--allow-all-names"],
                isVMScript: false)
        case "qubes.OpenInVM":
            guard environment.argument.isEmpty else {
                throw .noSuchService(tr("qubes.OpenInVM does not accept the argument \"%s\".", DisplayText.escaped(environment.argument)))
            }
            guard let editor = ProgramLocation.helper("vm-file-editor") else {
                throw .noSuchService(tr("The service program vm-file-editor is not installed."))
            }
            return LocalService(executable: editor, arguments: [], isVMScript: false)
        case "qubes.OpenURL":
            guard environment.argument.isEmpty else {
                throw .noSuchService(tr("qubes.OpenURL does not accept the argument \"%s\".", DisplayText.escaped(environment.argument)))
            }
            guard let opener = ProgramLocation.helper("vm-url-opener") else {
                throw .noSuchService(tr("The service program vm-url-opener is not installed."))
            }
            return LocalService(executable: opener, arguments: [], isVMScript: false)
        default:
            throw .noSuchService(tr("The service %s does not exist in the VM \"%s\".", DisplayText.escaped(environment.fullName), DisplayText.escaped(vm)))
        }
    }
}

/// Why a local call did not run; each carries one line for stderr.
public enum LocalCallError: Error, Equatable, CustomStringConvertible {
    /// The policy or the user refused (exit 126).
    case refused(String)
    /// The target has no such service, or not with that argument (exit 127).
    case noSuchService(String)
    /// Anything else (exit 125).
    case failed(String)

    public var exitStatus: Int32 {
        switch self {
        case .refused: 126
        case .noSuchService: 127
        case .failed: 125
        }
    }

    public var description: String {
        switch self {
        case .refused(let text), .noSuchService(let text), .failed(let text): text
        }
    }
}
