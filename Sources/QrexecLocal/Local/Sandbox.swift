import Glibc
import SystemIO
import Localization

/// The bubblewrap sandbox a local VM's service runs in: the system read-only, the target
/// VM's home as the only writable folder (at `/home/user`), no other VM's folder, a private
/// `/tmp`, and every namespace unshared.
public struct Sandbox: Sendable {
    /// Where the target VM's home appears inside the sandbox, as in a Qubes VM.
    public static let home = "/home/user"
    /// Where a VM's own service script appears inside the sandbox.
    public static let servicesFolder = "/run/qubes-rpc"

    /// The absolute path of `bwrap`.
    public let bwrap: String

    /// Finds `bwrap` on PATH; nil when it is not installed.
    public static func find() -> Sandbox? {
        guard let path = ProgramLocation.onPath("bwrap") else { return nil }
        return Sandbox(bwrap: path)
    }

    /// Top-level system folders bound read-only (or recreated as symlinks on merged-/usr systems).
    static let systemFolders = ["/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]

    /// The full bwrap command line that runs `command` (absolute path first) with `home` as
    /// the only writable folder. `readOnly` folders (the built programs, the Swift runtime)
    /// are bound at their own paths; `hidden` folders (the VM root) are covered by an empty
    /// tmpfs wherever a binding would have exposed them; `files` are single read-only files
    /// bound at a chosen path inside.
    public func arguments(
        command: [String], home: String, environment: [String], readOnly: [String], hidden: [String],
        files: [(source: String, destination: String)]
    ) -> [String] {
        var result = [bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--clearenv"]
        if geteuid() == 0 {
            // Run as root, bwrap would leave the service every capability inside its namespace.
            // Only chroot stays, which the receiver uses to shut itself into the incoming folder.
            result += ["--cap-drop", "ALL", "--cap-add", "CAP_SYS_CHROOT"]
        }
        for folder in Self.systemFolders {
            var info = stat()
            guard lstat(folder, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFLNK {
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
                let count = readlink(folder, &buffer, buffer.count - 1)
                guard count > 0 else { continue }
                let target = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                result += ["--symlink", target, folder]
            } else if info.st_mode & S_IFMT == S_IFDIR {
                result += ["--ro-bind", folder, folder]
            }
        }
        // Mounts apply in order: the private /tmp first, so built programs under /tmp stay visible.
        result += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
        var bound = Self.systemFolders
        for folder in readOnly where !bound.contains(where: { Self.isBeneath(folder, $0) }) {
            result += ["--ro-bind", folder, folder]
            bound.append(folder)
        }
        for folder in hidden where bound.contains(where: { Self.isBeneath(folder, $0) }) {
            result += ["--tmpfs", folder]
        }
        result += ["--bind", home, Self.home]
        for file in files { result += ["--ro-bind", file.source, file.destination] }
        for variable in environment {
            guard let equals = variable.firstIndex(of: "=") else { continue }
            result += ["--setenv", String(variable[..<equals]), String(variable[variable.index(after: equals)...])]
        }
        result += ["--chdir", Self.home, "--"] + command
        return result
    }

    /// True when `path` is `folder` or lies beneath it.
    static func isBeneath(_ path: String, _ folder: String) -> Bool {
        path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }

    /// Runs a trivial command in a sandbox like the real one; nil when it works, otherwise a
    /// sentence saying why the sandbox cannot be used here.
    public func unavailability() -> String? {
        let probe = arguments(
            command: ["/bin/sh", "-c", "exit 0"], home: "/tmp", environment: [], readOnly: [], hidden: [], files: [])
        let nullFD = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { if nullFD >= 0 { close(nullFD) } }
        guard nullFD >= 0,
            let pid = try? ChildProcess.start(
                bwrap, arguments: probe, environment: [], descriptors: [(nullFD, 0), (nullFD, 1), (nullFD, 2)]),
            let status = try? Spawn.wait(pid)
        else {
            return tr("bubblewrap (%s) could not be started.", bwrap)
        }
        if status == .exited(0) { return nil }
        return tr("bubblewrap cannot create a sandbox here (user namespaces may be disabled).")
    }

    /// The folders holding shared libraries this process loaded from outside the system
    /// folders (the Swift runtime under /opt, say), read from /proc/self/maps: the
    /// programs a service runs need them too.
    public static func libraryFolders() -> [String] {
        guard let maps = try? LocalFiles.read("/proc/self/maps") else { return [] }
        var folders: [String] = []
        for line in String(decoding: maps, as: UTF8.self).split(separator: "\n") {
            guard let slash = line.firstIndex(of: "/") else { continue }
            let path = String(line[slash...])
            guard path.contains(".so") else { continue }
            let folder = ProgramLocation.directory(of: path)
            if !systemFolders.contains(where: { isBeneath(folder, $0) }) && !folders.contains(folder) {
                folders.append(folder)
            }
        }
        return folders
    }
}
