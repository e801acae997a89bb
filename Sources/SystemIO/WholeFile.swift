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

    /// A file `readWholeFile(regularOnly: true)` refused because it is a FIFO, a device or a
    /// socket: reading one may block forever or never end.
    public struct NotRegularFile: Error, Equatable, CustomStringConvertible {
        public init() {}

        public var description: String { "not a regular file" }
    }

    /// The whole content of the file at `path`, or nil when nothing is there (ENOENT).
    ///
    /// open(2) with O_RDONLY | O_CLOEXEC | O_NOCTTY, then read(2) until the end of the file,
    /// retrying on EINTR, never more than `limit` + 1 bytes. Throws `FileTooLarge` for a longer
    /// file and the `Errno` of any other failure (EISDIR for a directory, EACCES, ...). The size
    /// is not taken from fstat(2): files under /proc report 0.
    ///
    /// With `regularOnly`, the open(2) adds O_NONBLOCK (a FIFO would block it until a writer
    /// comes) and fstat(2) must then show a regular file: anything else throws `NotRegularFile`
    /// (EISDIR for a directory) before a byte is read. O_NONBLOCK changes nothing for reading a
    /// regular file.
    public static func readWholeFile(at path: String, limit: Int, regularOnly: Bool = false) throws -> [UInt8]? {
        precondition(limit >= 0 && limit < Int.max, "readWholeFile: limit out of range")
        let file: FileDescriptor
        do {
            let flags = O_NOCTTY | (regularOnly ? O_NONBLOCK : 0)
            file = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec, FileDescriptor.OpenOptions(rawValue: flags)])
        } catch Errno.noSuchFileOrDirectory {
            return nil
        }
        defer { file.closeQuietly() }
        if regularOnly {
            let type = try FileSystem.status(of: file).st_mode & S_IFMT
            if type == S_IFDIR { throw Errno.isDirectory }
            guard type == S_IFREG else { throw NotRegularFile() }
        }
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
