import CLinux
import Glibc
import SystemPackage

extension FileSystem {
    /// Calls `body` with each name in `directory` but `.` and `..` (readdir(3) on a descriptor
    /// of its own, so `directory`'s offset is untouched, and `directory` may be an O_PATH one);
    /// a failed readdir(3) is thrown. The name is only valid during the call.
    public static func forEachName(in directory: FileDescriptor, _ body: (UnsafePointer<CChar>) throws -> Void) throws {
        let fd = try syscallRetrying { Glibc.openat(directory.rawValue, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard let stream = fdopendir(fd) else {
            let error = Errno(rawValue: errno)
            _ = Glibc.close(fd)
            throw error
        }
        defer { closedir(stream) }
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 { throw Errno(rawValue: errno) }
                return
            }
            try withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                try tuple.withMemoryRebound(to: CChar.self, capacity: 256) { name in
                    if strcmp(name, ".") != 0 && strcmp(name, "..") != 0 { try body(name) }
                }
            }
        }
    }

    /// flock(2) on `fd`: an exclusive lock only if nobody holds one (true when taken), or a
    /// shared one, waiting while someone holds the exclusive lock.
    public static func lock(_ fd: FileDescriptor, exclusiveIfFree: Bool) throws -> Bool {
        do {
            _ = try syscallRetrying { csys_flock(fd.rawValue, exclusiveIfFree ? LOCK_EX | LOCK_NB : LOCK_SH) }
            return true
        } catch Errno.wouldBlock where exclusiveIfFree {
            return false
        }
    }
}
