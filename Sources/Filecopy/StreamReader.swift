import FilecopyWire
import Glibc
import SystemIO
import SystemPackage

/// Reads the incoming stream through one large buffer and keeps the CRC-32 of every byte
/// handed out (consumed), which is what the result reports.
struct StreamReader: ~Copyable {
    /// 128 KiB: the data stays in the CPU's cache between the read and the write that follows,
    /// and a 4 KiB file still costs a fraction of a read(2). (1 MiB took half again as long for
    /// one large file: `make bench`.)
    static let bufferSize = StreamSizes.buffer

    private let input: FileDescriptor
    /// Seconds the sender may leave the input empty before a read fails with ETIMEDOUT;
    /// 0 waits forever.
    private let idleTimeout: UInt32
    private let buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private(set) var crc = CRC32()
    /// Set when a read gave up on a silent sender (ETIMEDOUT from `idleTimeout`), so the
    /// caller can tell it from an ETIMEDOUT of the file system.
    private(set) var senderWentSilent = false
    /// The parent directory of the last record, closed before every read(2), which may wait
    /// for the sender (`RecentParent`).
    var recentParent = RecentParent()

    init(input: FileDescriptor, idleTimeout: UInt32) {
        self.input = input
        self.idleTimeout = idleTimeout
        buffer = .allocate(byteCount: Self.bufferSize, alignment: 16)
        FileSystem.enlargePipe(input, to: StreamSizes.pipe)
    }

    deinit { buffer.deallocate() }

    /// The one read(2) of the input, which may wait for the sender: the kept parent directory
    /// is closed first (`RecentParent`), and a sender that sends nothing for `idleTimeout`
    /// seconds gets ETIMEDOUT (one poll(2) before each read; stdin's O_NONBLOCK is not ours
    /// to set, its file description is shared with qrexec).
    private mutating func readInput(into destination: UnsafeMutableRawPointer, count: Int) throws -> Int {
        recentParent.forget()
        if idleTimeout > 0, try !input.waitForInput(seconds: idleTimeout) {
            senderWentSilent = true
            throw Errno.timedOut
        }
        return try syscallRetrying { read(input.rawValue, destination, count) }
    }

    /// Makes at least one byte available; false at end of input.
    private mutating func refill() throws -> Bool {
        if start < end { return true }
        start = 0
        end = try readInput(into: buffer.baseAddress!, count: buffer.count)
        return end > 0
    }

    /// Hands out up to `limit` buffered bytes (reading more if none are buffered) to `body`;
    /// returns how many, 0 at end of input.
    mutating func consume(upTo limit: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        guard limit > 0, try refill() else { return 0 }
        let count = min(limit, end - start)
        let chunk = UnsafeRawBufferPointer(rebasing: buffer[start..<start + count])
        crc.update(chunk)
        start += count
        try body(chunk)
        return count
    }

    /// Exactly `count` bytes, or nil when the input ends first. Callers bound `count`.
    mutating func bytes(_ count: Int) throws -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        while result.count < count {
            let got = try consume(upTo: count - result.count) { result.append(contentsOf: $0) }
            if got == 0 { return nil }
        }
        return result
    }

    /// Exactly `count` bytes (at most `bufferSize`), consumed, as one view into the buffer that
    /// stays valid until the next call; nil when the input ends first (what did arrive is
    /// consumed). No copy: headers and names are read in place. Waits only while fewer than
    /// `count` bytes are buffered.
    mutating func contiguousBytes(_ count: Int) throws -> UnsafeRawBufferPointer? {
        precondition(count >= 0 && count <= buffer.count)
        let base = buffer.baseAddress!
        while end - start < count {
            if start == end {
                start = 0
                end = 0
            } else if buffer.count - start < count {
                // Too little room behind the partial bytes: move them to the front.
                _ = memmove(base, base + start, end - start)
                end -= start
                start = 0
            }
            let got: Int
            do {
                got = try readInput(into: base + end, count: buffer.count - end)
            } catch {
                // A silent sender or a failed read: what did arrive still counts, as at the end.
                consumeBuffered()
                throw error
            }
            if got == 0 {
                consumeBuffered()
                return nil
            }
            end += got
        }
        let view = UnsafeRawBufferPointer(rebasing: buffer[start..<start + count])
        crc.update(view)
        start += count
        return view
    }

    /// Consumes the partial bytes left in the buffer (the CRC-32 covers them).
    private mutating func consumeBuffered() {
        crc.update(UnsafeRawBufferPointer(rebasing: buffer[start..<end]))
        start = end
    }

    /// The next header, or nil when the input ends before all 32 bytes arrived.
    mutating func header() throws -> FileHeader? {
        guard let untrustedBytes = try contiguousBytes(FileHeader.size) else { return nil }
        return FileHeader(decoding: untrustedBytes)
    }
}
