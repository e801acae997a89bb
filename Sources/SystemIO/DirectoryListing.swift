import Glibc
import SystemPackage

/// Reading a directory's entries by descriptor.
public enum DirectoryListing {
    /// The names in the directory `fd`, without `.` and `..` (fdopendir(3) on a duplicate, readdir(3)).
    public static func names(in fd: FileDescriptor) throws -> [[UInt8]] {
        let copy = try syscallRetrying { fcntl(fd.rawValue, F_DUPFD_CLOEXEC, Int32(0)) }
        guard let stream = fdopendir(copy) else {
            close(copy)
            throw Errno(rawValue: errno)
        }
        defer { closedir(stream) }
        // Read from the start, wherever an earlier reader of `fd` left the shared offset.
        rewinddir(stream)
        var names: [[UInt8]] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 { throw Errno(rawValue: errno) }
                return names
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name != [UInt8(ascii: ".")] && name != [UInt8(ascii: "."), UInt8(ascii: ".")] { names.append(name) }
        }
    }
}
