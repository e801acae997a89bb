import CLinux
import Glibc
import SystemPackage

/// The directory-relative calls a move needs to check and remove what was sent; none follows
/// a symbolic link in the last component.
extension FileSystem {
    /// openat(2) O_RDONLY | O_DIRECTORY | O_NOFOLLOW: a folder to list and to work in.
    public static func openDirectory(_ name: some Collection<UInt8>, in parent: FileDescriptor) throws -> FileDescriptor {
        let fd = try withCPath(name) { cName in
            try syscallRetrying { Glibc.openat(parent.rawValue, cName, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        }
        return FileDescriptor(rawValue: fd)
    }

    /// open(2) O_PATH | O_DIRECTORY of a path as given (links in it are followed, as the user
    /// typed it): the folder an argument's entry is looked up in.
    public static func openFolderPath(_ path: some Collection<UInt8>) throws -> FileDescriptor {
        let fd = try withCPath(path) { cPath in
            try syscallRetrying { Glibc.open(cPath, csys_O_PATH | O_DIRECTORY | O_CLOEXEC) }
        }
        return FileDescriptor(rawValue: fd)
    }

    /// Proves `name` can be opened for reading: openat(2) O_RDONLY | O_NOFOLLOW | O_NONBLOCK
    /// (a FIFO swapped in cannot block) | O_NOCTTY, then close(2).
    public static func checkReadable(_ name: some Collection<UInt8>, in parent: FileDescriptor) throws {
        let fd = try withCPath(name) { cName in
            try syscallRetrying {
                Glibc.openat(parent.rawValue, cName, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
            }
        }
        _ = Glibc.close(fd)
    }

    /// openat(2) O_PATH | O_NOFOLLOW: the entry itself, a symbolic link included.
    public static func openEntry(_ name: some Collection<UInt8>, in parent: FileDescriptor) throws -> FileDescriptor {
        let fd = try withCPath(name) { cName in
            try syscallRetrying { Glibc.openat(parent.rawValue, cName, csys_O_PATH | O_NOFOLLOW | O_CLOEXEC) }
        }
        return FileDescriptor(rawValue: fd)
    }

    /// readlinkat(2) of the link `fd` itself (opened by `openEntry`) into `buffer`; returns
    /// the target's length. EINVAL: `fd` is not a link.
    public static func readLink(_ fd: FileDescriptor, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try syscallRetrying { Glibc.readlinkat(fd.rawValue, "", buffer.baseAddress!, buffer.count) }
    }

    /// unlinkat(2), with AT_REMOVEDIR for a folder (which must be empty).
    public static func remove(_ name: some Collection<UInt8>, in parent: FileDescriptor, isDirectory: Bool) throws {
        _ = try withCPath(name) { cName in
            try syscallRetrying { Glibc.unlinkat(parent.rawValue, cName, isDirectory ? AT_REMOVEDIR : 0) }
        }
    }
}
