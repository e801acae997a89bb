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

    /// Opens `path` beneath `directory` with `flags` (O_CLOEXEC is added). A symlink anywhere in
    /// the path, the last component included, gives ELOOP.
    public func open(
        _ path: some Collection<UInt8>, in directory: FileDescriptor, flags: Int32, mode: mode_t = 0
    ) throws -> FileDescriptor {
        guard usesOpenat2 else { return try walk(path, in: directory, flags: flags | O_NOFOLLOW | O_CLOEXEC, mode: mode) }
        let bytes = Array(path)
        // One openat2 takes at most PATH_MAX bytes: a longer name (Qubes allows 16383) is
        // resolved in pieces, each beneath the folder the piece before it opened.
        var current = directory
        defer { if current != directory { current.closeQuietly() } }
        var start = 0
        while bytes.count - start >= Self.pieceLimit {
            // Components are at most 255 bytes, so a "/" is always found in the window.
            guard let cut = bytes[start..<start + Self.pieceLimit].lastIndex(of: UInt8(ascii: "/")), cut > start else {
                throw Errno.fileNameTooLong
            }
            let next = try openat2(bytes[start..<cut], in: current, flags: csys_O_PATH | O_DIRECTORY, mode: 0)
            if current != directory { current.closeQuietly() }
            current = next
            start = cut + 1
        }
        return try openat2(bytes[start...], in: current, flags: flags, mode: mode)
    }

    /// Longest piece handed to one openat2 (PATH_MAX less its NUL).
    static let pieceLimit = Int(PATH_MAX) - 1

    /// openat2 beneath `directory`. RESOLVE_NO_SYMLINKS refuses every symlink with ELOOP;
    /// O_NOFOLLOW would instead let O_PATH open a final symlink itself (then ENOTDIR).
    private func openat2(_ path: ArraySlice<UInt8>, in directory: FileDescriptor, flags: Int32, mode: mode_t) throws -> FileDescriptor {
        let fd = try withCPath(path) { cPath in
            try syscallRetrying { csys_openat_beneath(directory.rawValue, cPath, flags | O_CLOEXEC, mode) }
        }
        return FileDescriptor(rawValue: fd)
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
            let fd: Int32
            do {
                fd = try withCPath(component) { cName in
                    try syscallRetrying { Glibc.openat(current.rawValue, cName, stepFlags, mode) }
                }
            } catch Errno.notDirectory where isSymlink(component, in: current) {
                throw Errno.tooManySymbolicLinkLevels  // the same answer openat2 gives
            }
            if last { return FileDescriptor(rawValue: fd) }
            if current != directory { current.closeQuietly() }
            current = FileDescriptor(rawValue: fd)
        }
        throw Errno.invalidArgument  // an empty path: never a validated name
    }

    private func isSymlink(_ name: some Collection<UInt8>, in directory: FileDescriptor) -> Bool {
        (try? FileSystem.status(of: name, in: directory).st_mode & S_IFMT) == S_IFLNK
    }
}
