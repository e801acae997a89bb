import CLinux
import Glibc
import SystemPackage

/// The handful of directory-relative file system calls the programs use, each a thin wrapper
/// that names the system call, takes names as bytes and throws `Errno`.
public enum FileSystem {
    /// mkdirat(2).
    public static func makeDirectory(_ name: some Collection<UInt8>, in parent: FileDescriptor, mode: mode_t) throws {
        _ = try withCPath(name) { cName in
            try syscallRetrying { Glibc.mkdirat(parent.rawValue, cName, mode) }
        }
    }

    /// symlinkat(2).
    public static func makeSymlink(
        _ name: some Collection<UInt8>, in parent: FileDescriptor, target: some Collection<UInt8>
    ) throws {
        _ = try withCPath(target) { cTarget in
            try withCPath(name) { cName in
                try syscallRetrying { Glibc.symlinkat(cTarget, parent.rawValue, cName) }
            }
        }
    }

    /// fstatat(2) with AT_SYMLINK_NOFOLLOW.
    public static func status(of name: some Collection<UInt8>, in parent: FileDescriptor) throws -> stat {
        var info = stat()
        _ = try withCPath(name) { cName in
            try syscallRetrying { Glibc.fstatat(parent.rawValue, cName, &info, AT_SYMLINK_NOFOLLOW) }
        }
        return info
    }

    /// fstat(2).
    public static func status(of fd: FileDescriptor) throws -> stat {
        var info = stat()
        _ = try syscallRetrying { Glibc.fstat(fd.rawValue, &info) }
        return info
    }

    /// openat(2) with O_TMPFILE: an unnamed regular file in `directory`, invisible until linked.
    public static func openUnnamedFile(in directory: FileDescriptor, mode: mode_t) throws -> FileDescriptor {
        let fd = try syscallRetrying {
            Glibc.openat(directory.rawValue, ".", csys_O_TMPFILE | O_WRONLY | O_CLOEXEC, mode)
        }
        return FileDescriptor(rawValue: fd)
    }

    /// Gives the unnamed file `fd` the name `name` in `parent`; fails with EEXIST rather than
    /// replace anything (`UnnamedFileLinker`, for one file).
    public static func linkUnnamedFile(
        _ fd: FileDescriptor, as name: some Collection<UInt8>, in parent: FileDescriptor, procFD: FileDescriptor?
    ) throws {
        try withCPath(name) { cName in
            try UnnamedFileLinker(procFD: procFD).link(fd, asCName: cName, in: parent)
        }
    }

    /// fchmod(2).
    public static func setPermissions(_ fd: FileDescriptor, _ mode: mode_t) throws {
        _ = try syscallRetrying { Glibc.fchmod(fd.rawValue, mode) }
    }

    /// futimens(2) with access and modification times in seconds and nanoseconds.
    public static func setTimes(_ fd: FileDescriptor, access: timespec, modification: timespec) throws {
        let times = [access, modification]
        _ = try syscallRetrying { Glibc.futimens(fd.rawValue, times) }
    }

    /// fallocate(2) (mode 0) for `length` bytes from `offset`, so a lack of space shows before
    /// that data is written. Returns false where the file system cannot preallocate.
    public static func preallocate(_ fd: FileDescriptor, offset: Int64 = 0, length: Int64) throws -> Bool {
        do {
            _ = try syscallRetrying { csys_fallocate(fd.rawValue, offset, length) }
            return true
        } catch let error as Errno where error == .notSupported || error == .invalidArgument {
            return false
        }
    }

    /// Whether `fd` lives on tmpfs, where fallocate(2) clears every page up front: memory is
    /// written twice and no fragmentation is avoided, so preallocation there only costs time.
    public static func isOnTmpfs(_ fd: FileDescriptor) -> Bool {
        csys_is_on_tmpfs(fd.rawValue) == 1
    }

    /// Asks the pipe behind `fd` to hold `bytes` (F_SETPIPE_SZ), so the writer can run a whole
    /// buffer ahead of the reader instead of the two taking turns. A hint: a descriptor that is
    /// not a pipe (a socket under qrexec) or a limit below `bytes` leaves things as they were.
    public static func enlargePipe(_ fd: FileDescriptor, to bytes: Int) {
        _ = csys_set_pipe_size(fd.rawValue, Int32(bytes))
    }

    /// syncfs(2): one flush of the whole file system at the end of a transfer.
    public static func syncFileSystem(_ fd: FileDescriptor) throws {
        _ = try syscallRetrying { csys_syncfs(fd.rawValue) }
    }
}
