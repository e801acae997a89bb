import DisplayText
import Glibc
import Localization
import QrexecClient
import SystemIO
import SystemPackage

/// `qrexec-local run NAME -- COMMAND...`: the command runs as VM NAME, with its home as HOME
/// and a PATH that starts with the project's front ends and `qrexec-client-vm` (this program).
public enum LocalRun {
    /// Variables that tell nested `qrexec-client-vm` calls where they are.
    public static let rootVariable = "QREXEC_LOCAL_ROOT"
    public static let domainVariable = "QREXEC_LOCAL_DOMAIN"
    public static let noSandboxVariable = "QREXEC_LOCAL_NO_SANDBOX"

    /// Program names put on the VM's PATH, each with the built program it runs.
    static let frontEnds: [(name: String, program: String)] = [
        ("qvm-copy", "qvm-copy"), ("qvm-move", "qvm-copy"), ("qvm-copy-to-vm", "qvm-copy"),
        ("qvm-move-to-vm", "qvm-copy"), ("qvm-open-in-vm", "qvm-open-in-vm"), ("qvm-open-in-dvm", "qvm-open-in-vm"),
    ]

    /// Replaces this process with `command` running as VM `name`; returns a status only on failure.
    public static func exec(vms: LocalVMs, name: String, command: [String], sandboxed: Bool) -> Int32 {
        guard vms.exists(name) else {
            writeError(tr("There is no VM named \"%s\".", DisplayText.escaped(name)))
            return 125
        }
        guard !command.isEmpty else {
            writeError(tr("No command to run."))
            return 2
        }
        let binFolder: String
        do {
            binFolder = try prepareBinFolder(vms)
        } catch {
            writeError(tr("Cannot prepare %s: %s", DisplayText.escaped(vms.root + "/.bin"), String(describing: error)))
            return 125
        }
        let path = binFolder + ":" + (getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin")
        let replaced = ["HOME", "PATH", rootVariable, domainVariable, noSandboxVariable]
        var environment = Spawn.currentEnvironment().filter { variable in
            !replaced.contains { variable.hasPrefix($0 + "=") }
        }
        environment += [
            "HOME=" + vms.home(of: name), "PATH=" + path, rootVariable + "=" + vms.root, domainVariable + "=" + name,
        ]
        if !sandboxed { environment.append(noSandboxVariable + "=1") }
        _ = chdir(vms.home(of: name))
        guard let program = locate(command[0], path: path) else {
            writeError(tr("%s: command not found.", DisplayText.escaped(command[0])))
            return 127
        }
        let error = Spawn.exec(program, arguments: command, environment: environment)
        writeError(tr("Cannot run %s: %s", DisplayText.escaped(program), String(describing: error)))
        return 126
    }

    /// `ROOT/.bin` with a symlink for each front end beside this program and
    /// `qrexec-client-vm` pointing at this program. Each link is made under a temporary
    /// name and renamed into place, so parallel runs never see a missing link.
    static func prepareBinFolder(_ vms: LocalVMs) throws -> String {
        guard let current = ProgramLocation.currentExecutable() else { throw Errno.noSuchFileOrDirectory }
        let folder = vms.root + "/.bin"
        try LocalFiles.makeDirectory(folder)
        let builtFolder = ProgramLocation.directory(of: current)
        var links = [(ClientCall.clientName, current)]
        for frontEnd in frontEnds {
            let program = builtFolder + "/" + frontEnd.program
            if LocalFiles.isExecutableFile(program) { links.append((frontEnd.name, program)) }
        }
        for (name, target) in links {
            let path = folder + "/" + name
            if currentLinkTarget(path) == target { continue }
            let temporary = path + ".\(getpid())"
            _ = unlink(temporary)
            guard symlink(target, temporary) == 0, rename(temporary, path) == 0 else { throw Errno(rawValue: errno) }
        }
        return folder
    }

    private static func currentLinkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `name` itself when it holds a `/`, else the first executable of that name in `path`.
    static func locate(_ name: String, path: String) -> String? {
        if name.contains("/") { return name }
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = folder + "/" + name
            if LocalFiles.isExecutableFile(candidate) { return candidate }
        }
        return nil
    }

    /// The call context a nested `qrexec-client-vm` finds in its environment; nil outside `run`.
    public static func callContext() -> (vms: LocalVMs, source: String, sandboxed: Bool)? {
        guard let root = getenv(rootVariable).map({ String(cString: $0) }), !root.isEmpty,
            let source = getenv(domainVariable).map({ String(cString: $0) }), !source.isEmpty
        else { return nil }
        let sandboxed = getenv(noSandboxVariable).map { String(cString: $0) } != "1"
        return (LocalVMs(root: root), source, sandboxed)
    }
}
