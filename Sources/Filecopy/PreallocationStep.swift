/// How far ahead of its data a large file is preallocated (fallocate(2), so that it gets
/// contiguous extents and a full disk shows before the data is written).
///
/// Never ahead of the data by more than has already arrived, nor by more than `maxStep`: the
/// declared length is the sender's word, and preallocating all of it up front let one 39-byte
/// header reserve the whole disk, unnamed (O_TMPFILE) and so invisible to `ls` and `du`,
/// while the sender stalled. Now a sender must send X bytes to hold at most 2X (and X + 64 MiB
/// once X is past 64 MiB). The steps double while the file is small, so a 512 MiB file makes
/// 16 fallocate calls.
struct PreallocationStep {
    static let maxStep: UInt64 = 64 << 20

    /// The declared length of the file.
    let length: UInt64
    /// Bytes [0, reserved) are preallocated or written.
    private(set) var reserved: UInt64 = 0

    init(length: UInt64) {
        self.length = length
    }

    /// The range to preallocate now that `written` bytes of the file have arrived and are
    /// written, or nil while the last range is not yet filled (or nothing is left to reserve).
    mutating func next(afterWriting written: UInt64) -> (offset: UInt64, length: UInt64)? {
        guard written >= reserved, written < length else { return nil }
        let step = min(written, Self.maxStep, length - written)
        guard step > 0 else { return nil }
        reserved = written + step
        return (written, step)
    }
}
