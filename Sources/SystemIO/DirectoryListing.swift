import Glibc
import SystemPackage

/// Reading a directory's entries by descriptor.
public enum DirectoryListing {
    /// The names in the directory `fd`, without `.` and `..` (`FileSystem.forEachName`).
    public static func names(in fd: FileDescriptor) throws -> [[UInt8]] {
        var names: [[UInt8]] = []
        try FileSystem.forEachName(in: fd) { name in
            names.append(Array(UnsafeRawBufferPointer(start: name, count: strlen(name))))
        }
        return names
    }
}
