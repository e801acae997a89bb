import Glibc
import SystemPackage

/// Calls on a directory entry that may be a symlink, and advisory whole-file locks: what the
/// Open-in-VM client needs to replace a name (never what it points to) and to recognise its
/// own abandoned temporary files.
extension FileSystem {
    /// readlinkat(2): the target text of the symlink `name` in `parent`.
    public static func linkTarget(of name: some Collection<UInt8>, in parent: FileDescriptor) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = try withCPath(name) { cName in
            try buffer.withUnsafeMutableBytes { raw in
                try syscallRetrying {
                    readlinkat(parent.rawValue, cName, raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count)
                }
            }
        }
        return Array(buffer[..<count])
    }

    /// fstatat(2) following a symlink `name` to what it points to.
    public static func followedStatus(of name: some Collection<UInt8>, in parent: FileDescriptor) throws -> stat {
        var info = stat()
        _ = try withCPath(name) { cName in try syscallRetrying { Glibc.fstatat(parent.rawValue, cName, &info, 0) } }
        return info
    }

    /// flock(2) LOCK_EX on `fd`: waits while another open file description holds it. The lock
    /// goes when every descriptor of this open file is closed, also when the process is killed.
    public static func lockExclusively(_ fd: FileDescriptor) throws {
        _ = try syscallRetrying { flock(fd.rawValue, LOCK_EX) }
    }

    /// flock(2) LOCK_EX | LOCK_NB: false when someone else holds a lock on the file.
    public static func tryLockExclusively(_ fd: FileDescriptor) -> Bool {
        (try? syscallRetrying { flock(fd.rawValue, LOCK_EX | LOCK_NB) }) != nil
    }
}
