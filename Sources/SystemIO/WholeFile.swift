import Glibc
import SystemPackage

extension FileSystem {
    /// A file `readWholeFile` refused because it holds more than the caller's limit.
    public struct FileTooLarge: Error, Equatable, CustomStringConvertible {
        /// The most bytes the caller accepted.
        public var limit: Int

        public init(limit: Int) { self.limit = limit }

        public var description: String { "the file is larger than \(limit) bytes" }
    }

    /// The whole content of the file at `path`, or nil when nothing is there (ENOENT).
    ///
    /// open(2) with O_RDONLY | O_CLOEXEC | O_NOCTTY, then read(2) until the end of the file,
    /// retrying on EINTR, never more than `limit` + 1 bytes. Throws `FileTooLarge` for a longer
    /// file and the `Errno` of any other failure (EISDIR for a directory, EACCES, ...). The size
    /// is not taken from fstat(2): files under /proc report 0.
    public static func readWholeFile(at path: String, limit: Int) throws -> [UInt8]? {
        precondition(limit >= 0 && limit < Int.max, "readWholeFile: limit out of range")
        let file: FileDescriptor
        do {
            file = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec, FileDescriptor.OpenOptions(rawValue: O_NOCTTY)])
        } catch Errno.noSuchFileOrDirectory {
            return nil
        }
        defer { file.closeQuietly() }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: min(limit + 1, 1 << 16))
        while true {
            // One byte past the limit is enough to tell a file that is too long.
            let wanted = min(chunk.count, limit + 1 - bytes.count)
            let count = try chunk.withUnsafeMutableBytes { buffer in
                try file.readFully(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<wanted]))
            }
            bytes += chunk[..<count]
            if bytes.count > limit { throw FileTooLarge(limit: limit) }
            if count < wanted { return bytes }
        }
    }
}
