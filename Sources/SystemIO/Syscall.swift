import Glibc
import SystemPackage

/// Runs a system call that returns -1 and sets errno on failure, retrying on EINTR;
/// throws the errno otherwise.
@inline(__always)
public func syscallRetrying<T: FixedWidthInteger>(_ call: () -> T) throws -> T {
    while true {
        let result = call()
        if result != -1 { return result }
        let error = Errno(rawValue: errno)
        if error != .interrupted { throw error }
    }
}

extension FileDescriptor {
    /// Reads until `buffer` is full or the input ends (read(2), retrying on EINTR);
    /// returns how many bytes were read.
    public func readFully(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var done = 0
        while done < buffer.count {
            let count = try syscallRetrying {
                Glibc.read(rawValue, buffer.baseAddress! + done, buffer.count - done)
            }
            if count == 0 { break }
            done += count
        }
        return done
    }

    /// Writes all of `buffer` (write(2), retrying on EINTR and short writes).
    public func writeFully(_ buffer: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < buffer.count {
            done += try syscallRetrying {
                Glibc.write(rawValue, buffer.baseAddress! + done, buffer.count - done)
            }
        }
    }

    public func writeFully(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in try writeFully(buffer) }
    }

    /// close(2), ignoring errors: for descriptors opened read-only or when already failing.
    public func closeQuietly() {
        _ = Glibc.close(rawValue)
    }
}
