import Glibc
import SystemIO
import SystemPackage

/// Finding and opening the folder a transfer lands in.
public enum IncomingFolder {
    /// Opens `base/sourceDomain`, creating missing folders with mode 0700. The base may pass
    /// through symlinks the user set up (say `/home -> /var/home`); the source VM's own folder
    /// may not be one. A relative base is refused (EINVAL): the folders are made from "/" down,
    /// so "relhome/QubesIncoming" would land at the root.
    public static func open(base: String, sourceDomain: String) throws -> FileDescriptor {
        guard base.hasPrefix("/") else { throw Errno.invalidArgument }
        let baseFD = try makePath(base)
        defer { baseFD.closeQuietly() }
        return try openChild(Array(sourceDomain.utf8), in: baseFD)
    }

    /// Opens an existing folder given on the command line.
    public static func openExisting(_ path: String) throws -> FileDescriptor {
        try FileDescriptor.open(FilePath(path), .readOnly, options: [.directory, .closeOnExec])
    }

    /// `mkdir -p` with mode 0700, returning the last folder opened.
    private static func makePath(_ path: String) throws -> FileDescriptor {
        var current = try FileDescriptor.open("/", .readOnly, options: [.directory, .closeOnExec])
        for component in path.utf8.split(separator: UInt8(ascii: "/")) {
            let next: FileDescriptor
            do {
                next = try openChild(Array(component), in: current, followSymlinks: true)
            } catch {
                current.closeQuietly()
                throw error
            }
            current.closeQuietly()
            current = next
        }
        return current
    }

    private static func openChild(_ name: [UInt8], in parent: FileDescriptor, followSymlinks: Bool = false) throws -> FileDescriptor {
        do {
            try FileSystem.makeDirectory(name, in: parent, mode: 0o700)
        } catch Errno.fileExists {
            // Already there: open it below.
        }
        let flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (followSymlinks ? 0 : O_NOFOLLOW)
        let fd = try withCPath(name) { cName in try syscallRetrying { openat(parent.rawValue, cName, flags) } }
        return FileDescriptor(rawValue: fd)
    }
}
