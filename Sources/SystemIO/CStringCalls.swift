import CLinux
import Glibc
import SystemPackage

// Variants of the directory-relative calls for callers that already hold their names as
// NUL-terminated bytes (the receiver keeps each record's name that way): no copy and no
// allocation per call, which matters when a stream carries hundreds of thousands of entries.

extension BeneathResolver {
    /// Opens the NUL-terminated `path` (`length` bytes before the NUL) beneath `directory`,
    /// exactly as `open(_:in:flags:mode:)` does: openat2 with RESOLVE_BENEATH |
    /// RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS, or the component walk with O_NOFOLLOW where
    /// the kernel lacks openat2.
    public func open(
        cPath path: UnsafePointer<CChar>, length: Int, in directory: FileDescriptor, flags: Int32, mode: mode_t = 0
    ) throws -> FileDescriptor {
        // Without openat2, and for names longer than one openat2 takes, the general path.
        guard usesOpenat2, length < Self.pieceLimit else {
            return try open(UnsafeRawBufferPointer(start: path, count: length), in: directory, flags: flags, mode: mode)
        }
        let fd = try syscallRetrying { csys_openat_beneath(directory.rawValue, path, flags | O_CLOEXEC, mode) }
        return FileDescriptor(rawValue: fd)
    }
}

extension FileSystem {
    /// mkdirat(2) of a NUL-terminated name.
    public static func makeDirectory(cName name: UnsafePointer<CChar>, in parent: FileDescriptor, mode: mode_t) throws {
        _ = try syscallRetrying { Glibc.mkdirat(parent.rawValue, name, mode) }
    }

    /// fstatat(2) with AT_SYMLINK_NOFOLLOW of a NUL-terminated name.
    public static func status(ofCName name: UnsafePointer<CChar>, in parent: FileDescriptor) throws -> stat {
        var info = stat()
        _ = try syscallRetrying { Glibc.fstatat(parent.rawValue, name, &info, AT_SYMLINK_NOFOLLOW) }
        return info
    }

    /// symlinkat(2) of a NUL-terminated name; never replaces an existing name.
    public static func makeSymlink(
        cName name: UnsafePointer<CChar>, in parent: FileDescriptor, target: UnsafePointer<CChar>
    ) throws {
        _ = try syscallRetrying { Glibc.symlinkat(target, parent.rawValue, name) }
    }

    /// futimens(2) without allocating: access and modification times in seconds and nanoseconds.
    public static func setTimes(_ fd: FileDescriptor, _ access: timespec, _ modification: timespec) throws {
        var times = (access, modification)
        _ = try withUnsafePointer(to: &times) { pair in
            try pair.withMemoryRebound(to: timespec.self, capacity: 2) { first in
                try syscallRetrying { Glibc.futimens(fd.rawValue, first) }
            }
        }
    }

    /// posix_fadvise(2) POSIX_FADV_SEQUENTIAL for the whole file: a hint for larger read-ahead.
    /// Advice only, so failures are ignored.
    public static func adviseSequential(_ fd: FileDescriptor) {
        _ = Glibc.posix_fadvise(fd.rawValue, 0, 0, POSIX_FADV_SEQUENTIAL)
    }
}
