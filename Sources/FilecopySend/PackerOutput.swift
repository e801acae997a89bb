import FilecopyWire
import Glibc
import SystemIO
import SystemPackage

/// The stream on its way to the receiver: records gather in one large buffer that leaves with a
/// single write(2), so thousands of small files cost a handful of system calls. Keeps the
/// CRC-32 and the count of every byte actually written.
final class PackerOutput {
    /// Size of the buffer: one write carries 32 records of 4 KiB, and the bytes are still in the
    /// CPU's cache when they are written (the receiver reads in the same size).
    static let defaultCapacity = StreamSizes.buffer

    let descriptor: FileDescriptor
    private let storage: UnsafeMutableRawBufferPointer
    /// Bytes gathered and not yet written.
    private(set) var pending = 0
    /// Bytes written so far.
    private(set) var written: UInt64 = 0
    /// CRC-32 of the bytes written so far.
    private(set) var crc = CRC32()
    private(set) var isClosed = false

    init(descriptor: FileDescriptor, capacity: Int = defaultCapacity) {
        self.descriptor = descriptor
        storage = .allocate(byteCount: capacity, alignment: 16)
        FileSystem.enlargePipe(descriptor, to: StreamSizes.pipe)
    }

    deinit { storage.deallocate() }

    var capacity: Int { storage.count }
    var freeCount: Int { storage.count - pending }

    /// Stream offset of the next byte appended.
    var position: UInt64 { written + UInt64(pending) }

    /// The unused part of the buffer, to be filled in place and then `commit`ted.
    var freeSpace: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: storage[pending...])
    }

    /// Adds `count` bytes just placed in `freeSpace` to the pending bytes.
    func commit(_ count: Int) {
        precondition(count <= freeCount)
        pending += count
    }

    /// Copies `bytes` into the buffer; the caller has made room for them.
    func append(_ bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count <= freeCount)
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        (storage.baseAddress! + pending).copyMemory(from: base, byteCount: bytes.count)
        pending += bytes.count
    }

    /// Writes the first `count` pending bytes (write(2), all of them, retrying on EINTR) and
    /// keeps the rest for later. Throws the write's Errno (EPIPE when the receiver is gone).
    func write(_ count: Int) throws {
        precondition(count <= pending && !isClosed)
        guard count > 0 else { return }
        let chunk = UnsafeRawBufferPointer(rebasing: storage[..<count])
        var done = 0
        defer {
            // Whatever reached the pipe is part of the stream, even when a later write fails.
            crc.update(UnsafeRawBufferPointer(rebasing: chunk[..<done]))
            written += UInt64(done)
            let rest = pending - done
            if rest > 0 && done > 0 {
                _ = memmove(storage.baseAddress!, storage.baseAddress! + done, rest)
            }
            pending = rest
        }
        while done < count {
            done += try syscallRetrying { Glibc.write(descriptor.rawValue, chunk.baseAddress! + done, count - done) }
        }
    }

    /// Forgets pending bytes from stream offset `offset` on: they will never be written.
    func discard(from offset: UInt64) {
        pending = offset <= written ? 0 : min(pending, Int(offset - written))
    }

    /// close(2): the receiver sees the end of the stream now.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        descriptor.closeQuietly()
    }
}
