import FilecopyWire
import Glibc
import SystemIO
import SystemPackage

/// What came back from the receiver on the sender's stdin.
enum ReceiverAnswer: Equatable {
    /// A well-formed result (with or without the name extension).
    case answered(TransferResult)
    /// End of input before the first byte.
    case none
    /// End of input (or the wait ran out) inside the fixed part.
    case incomplete
    /// A checksum field above 2^32 - 1 or an absurd name length.
    case invalid
}

/// Reads the receiver's result: `u32 code, u32 pad, u64 crc32`, then, when the receiver sends
/// it, `u32 last_namelen` and the name.
enum PackerAnswer {
    /// True when reading `input` would not block: an answer (or end of input) is waiting.
    /// poll(2) with a zero timeout.
    static func isWaiting(on input: FileDescriptor) -> Bool {
        var entry = pollfd(fd: input.rawValue, events: Int16(POLLIN), revents: 0)
        let ready = (try? syscallRetrying { Glibc.poll(&entry, 1, 0) }) ?? 0
        return ready > 0
    }

    /// Reads one answer. With `timeoutMilliseconds`, gives up waiting for each further piece
    /// after that long (the receiver is known to be gone or going); without, waits as long as
    /// the receiver keeps the pipe open.
    static func read(from input: FileDescriptor, timeoutMilliseconds: Int32? = nil) -> ReceiverAnswer {
        var fixed = [UInt8](repeating: 0, count: TransferResult.fixedSize)
        let fixedCount = readUpTo(&fixed, from: input, timeoutMilliseconds: timeoutMilliseconds)
        if fixedCount == 0 { return .none }
        if fixedCount < fixed.count { return .incomplete }
        guard let (code, crc) = fixed.withUnsafeBytes({ TransferResult.decodeFixed($0) }) else { return .invalid }

        // The extension is optional: older receivers end the answer after the fixed part.
        var lengthBytes = [UInt8](repeating: 0, count: 4)
        guard readUpTo(&lengthBytes, from: input, timeoutMilliseconds: timeoutMilliseconds) == 4 else {
            return .answered(TransferResult(code: code, crc32: crc, lastName: nil))
        }
        guard let nameLength = lengthBytes.withUnsafeBytes({ TransferResult.decodeNameLength($0) }) else {
            return .invalid
        }
        var untrustedName = [UInt8](repeating: 0, count: nameLength)
        let nameCount = readUpTo(&untrustedName, from: input, timeoutMilliseconds: timeoutMilliseconds)
        // A name cut short is still worth showing; it is only ever displayed, sanitised.
        return .answered(TransferResult(code: code, crc32: crc, lastName: Array(untrustedName[..<nameCount])))
    }

    /// read(2) until `buffer` is full, the input ends, fails, or (with a timeout) poll(2) finds
    /// nothing for that long. Returns how many bytes arrived.
    private static func readUpTo(_ buffer: inout [UInt8], from input: FileDescriptor, timeoutMilliseconds: Int32?) -> Int {
        var done = 0
        while done < buffer.count {
            if let timeoutMilliseconds {
                var entry = pollfd(fd: input.rawValue, events: Int16(POLLIN), revents: 0)
                let ready = (try? syscallRetrying { Glibc.poll(&entry, 1, timeoutMilliseconds) }) ?? 0
                if ready == 0 { break }
            }
            let count = buffer.withUnsafeMutableBytes { raw in
                try? syscallRetrying { Glibc.read(input.rawValue, raw.baseAddress! + done, raw.count - done) }
            }
            guard let count, count > 0 else { break }
            done += count
        }
        return done
    }
}
