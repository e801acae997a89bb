/// What identifies a file's content for "did the application change it?": its size and a
/// 64-bit FNV-1a hash over every byte. Timestamps are deliberately left out: Qubes compares
/// whole-second mtimes, so an edit within the first second is lost and a bare `touch` sends an
/// identical file back; comparing content has neither defect.
public struct ContentFingerprint: Sendable, Equatable {
    public private(set) var size: UInt64 = 0
    public private(set) var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a 64 offset basis

    public init() {}

    /// Adds the next bytes of the content.
    public mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var value = hash
        for byte in bytes {
            value = (value ^ UInt64(byte)) &* 0x100_0000_01b3  // FNV-1a 64 prime
        }
        hash = value
        size += UInt64(bytes.count)
    }

    public mutating func add(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { add($0) }
    }
}
