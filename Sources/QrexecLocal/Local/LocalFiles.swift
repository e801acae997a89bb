import Glibc
import SystemIO
import SystemPackage

/// The few path-based file operations the local stand-in needs for its own folders
/// (VM homes, policy files). Never used on data that arrives from another VM.
enum LocalFiles {
    /// The most `read` accepts: far beyond any policy file or /proc/self/maps.
    static let readLimit = 64 << 20

    /// The whole content of the file at `path` (`FileSystem.readWholeFile`); a missing file
    /// throws ENOENT, one over `readLimit` bytes `FileSystem.FileTooLarge`.
    static func read(_ path: String) throws -> [UInt8] {
        guard let bytes = try FileSystem.readWholeFile(at: path, limit: readLimit) else {
            throw Errno.noSuchFileOrDirectory
        }
        return bytes
    }

    /// Creates or replaces the file at `path` with `bytes` (open(2) with O_TRUNC + write(2)).
    static func write(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws {
        let fd = try FileDescriptor.open(
            path, .writeOnly, options: [.create, .truncate, .closeOnExec], permissions: FilePermissions(rawValue: mode))
        defer { fd.closeQuietly() }
        try fd.writeFully(bytes)
    }

    /// mkdir(2); an existing directory is fine.
    static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws {
        if mkdir(path, mode) != 0 && !(errno == EEXIST && isDirectory(path)) { throw Errno(rawValue: errno) }
    }

    /// Creates `path` and its missing parents.
    static func makeDirectories(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            try makeDirectory(prefix)
        }
    }

    /// True for a directory (stat(2), following symlinks).
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// True for an executable regular file (stat(2) + access(2)).
    static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG && access(path, X_OK) == 0
    }

    /// The names in directory `path` (not a symbolic link), without `.` and `..`, sorted bytewise
    /// (open(2) with O_NOFOLLOW, readdir(3)).
    static func names(in path: String) throws -> [String] {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 { throw Errno(rawValue: errno) }
        guard let directory = fdopendir(fd) else {
            close(fd)
            throw Errno(rawValue: errno)
        }
        defer { closedir(directory) }
        var result: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { result.append(name) }
        }
        return result.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// Removes `path` and everything beneath it, never following symbolic links
    /// (unlinkat(2), rmdir through unlinkat with AT_REMOVEDIR). A missing path is fine.
    static func removeTree(_ path: String) throws {
        var info = stat()
        if lstat(path, &info) != 0 {
            if errno == ENOENT { return }
            throw Errno(rawValue: errno)
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            // Our own VM folders may hold read-only directories the services made.
            _ = chmod(path, 0o700)
            for name in try names(in: path) { try removeTree(path + "/" + name) }
            if rmdir(path) != 0 { throw Errno(rawValue: errno) }
        } else if unlink(path) != 0 {
            throw Errno(rawValue: errno)
        }
    }
}
