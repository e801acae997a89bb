import Glibc

/// An unnamed scratch file (mkstemp(3), then unlinked) to collect a child's stderr without a
/// reader that could block.
public struct ScratchFile {
    public let fd: Int32

    public init() throws {
        let folder = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((folder + "/intervm-XXXXXX").utf8CString)
        fd = try syscallRetrying { mkstemp(&template) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    }

    /// Everything written so far, trailing blanks dropped; closes the file.
    public func contents() -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = pread(fd, &chunk, chunk.count, off_t(bytes.count))
            if count <= 0 { break }
            bytes += chunk[..<count]
        }
        close(fd)
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters()
    }
}

extension String {
    fileprivate func trimmingCharacters() -> String {
        String(reversed().drop(while: { $0 == "\n" || $0 == " " }).reversed())
    }
}
