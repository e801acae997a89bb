import Glibc
import SystemIO
import SystemPackage

/// Moving bytes between descriptors in chunks, fingerprinting what passes.
enum Copying {
    static let chunkSize = 1 << 16

    /// Copies `source` to `destination` until `source` ends (read(2)/write(2)), adding every byte
    /// to `fingerprint`. Errors are wrapped by `readError` / `writeError` so the caller's
    /// message says which side failed.
    static func copy(
        from source: FileDescriptor, to destination: FileDescriptor, fingerprint: inout ContentFingerprint,
        readError: (Errno) -> OpenInVMError, writeError: (Errno) -> OpenInVMError
    ) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try wrapped(readError) { try source.readSome(into: buffer) }
            if count == 0 { return }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[..<count])
            fingerprint.add(chunk)
            try wrapped(writeError) { try destination.writeFully(chunk) }
        }
    }

    /// Adds everything `file` holds from its current offset to `fingerprint`.
    static func hash(_ file: FileDescriptor, into fingerprint: inout ContentFingerprint) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try wrapped(OpenInVMError.cannotReadBack) { try file.readSome(into: buffer) }
            if count == 0 { return }
            fingerprint.add(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
    }

    static func wrapped<T>(_ wrap: (Errno) -> OpenInVMError, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as Errno {
            throw wrap(error)
        }
    }
}

extension FileDescriptor {
    /// One read(2) into `buffer`, retrying on EINTR; 0 at end of input.
    func readSome(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try syscallRetrying { Glibc.read(rawValue, buffer.baseAddress!, buffer.count) }
    }
}
