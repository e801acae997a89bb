import CLinux
import Glibc
import SystemPackage

/// Opens paths strictly beneath a held directory: never through a symlink, never outside it.
///
/// Uses `openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)`; where the kernel
/// lacks openat2 it walks the path one component at a time with `O_NOFOLLOW`. Paths given here
/// must already be validated names (no `..`, no empty component).
public struct BeneathResolver: Sendable {
    public let usesOpenat2: Bool

    /// Probes the kernel for openat2 once.
    public init() {
        let fd = csys_openat_beneath(AT_FDCWD, ".", csys_O_PATH | O_DIRECTORY | O_CLOEXEC, 0)
        usesOpenat2 = fd >= 0 || errno != ENOSYS
        if fd >= 0 { Glibc.close(fd) }
    }

    public init(forceFallback: Bool) {
        usesOpenat2 = false
    }

    /// Opens `path` beneath `directory` with `flags` (O_NOFOLLOW and O_CLOEXEC are added).
    /// A symlink anywhere in the path gives ELOOP.
    public func open(
        _ path: some Collection<UInt8>, in directory: FileDescriptor, flags: Int32, mode: mode_t = 0
    ) throws -> FileDescriptor {
        let flags = flags | O_NOFOLLOW | O_CLOEXEC
        if usesOpenat2 {
            let fd = try withCPath(path) { cPath in
                try syscallRetrying { csys_openat_beneath(directory.rawValue, cPath, flags, mode) }
            }
            return FileDescriptor(rawValue: fd)
        }
        return try walk(path, in: directory, flags: flags, mode: mode)
    }

    private func walk(
        _ path: some Collection<UInt8>, in directory: FileDescriptor, flags: Int32, mode: mode_t
    ) throws -> FileDescriptor {
        let components = path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        var current = directory
        defer { if current != directory { current.closeQuietly() } }
        for (position, component) in components.enumerated() {
            let last = position == components.count - 1
            let stepFlags = last ? flags : (csys_O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let fd = try withCPath(component) { cName in
                try syscallRetrying { Glibc.openat(current.rawValue, cName, stepFlags, mode) }
            }
            if last { return FileDescriptor(rawValue: fd) }
            if current != directory { current.closeQuietly() }
            current = FileDescriptor(rawValue: fd)
        }
        throw Errno.invalidArgument  // an empty path: never a validated name
    }
}
