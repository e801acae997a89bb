import Glibc

/// Reads a whole file for the replayer (open(2), read(2)); exits with a message on failure.
enum ReplayFile {
    static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { fatalError("cannot open \(path): errno \(errno)") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { fatalError("cannot read \(path): errno \(errno)") }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
        }
    }
}
