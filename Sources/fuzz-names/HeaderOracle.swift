import FilecopyWire
import FuzzSupport

/// `FileHeader(decoding:)` against the byte layout in protocol.md: every field read from its
/// offset, little-endian; encoding gives the same 32 bytes back; the kind follows the type
/// bits; the permissions applied never include setuid, setgid or sticky.
enum HeaderOracle {
    static func check(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= FileHeader.size else { return }
        let header = FileHeader(decoding: bytes)
        func field(_ offset: Int, _ width: Int) -> UInt64 {
            (0..<width).reduce(UInt64(0)) { value, index in value | UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        }
        let fields: [(UInt64, UInt64, String)] = [
            (UInt64(header.nameLength), field(0, 4), "namelen"), (UInt64(header.mode), field(4, 4), "mode"),
            (header.fileLength, field(8, 8), "filelen"), (UInt64(header.atime), field(16, 4), "atime"),
            (UInt64(header.atimeNanoseconds), field(20, 4), "atime_nsec"), (UInt64(header.mtime), field(24, 4), "mtime"),
            (UInt64(header.mtimeNanoseconds), field(28, 4), "mtime_nsec"),
        ]
        for (decoded, expected, name) in fields where decoded != expected {
            violated("header field \(name) decoded as \(decoded), bytes say \(expected)")
        }
        if header.encoded != Array(bytes.prefix(FileHeader.size)) { violated("header does not encode back to its bytes") }
        if header.isEndOfTransfer != (field(0, 4) == 0) { violated("end of transfer is not namelen 0") }
        if header.permissions & ~0o777 != 0 { violated("permissions keep bits above 0777") }
        let typeBits = header.mode & 0o170000
        let expectedKind: EntryKind? =
            typeBits == 0o100000 ? .regular : typeBits == 0o040000 ? .directory : typeBits == 0o120000 ? .symlink : nil
        if header.kind != expectedKind { violated("kind \(String(describing: header.kind)) for type bits \(String(typeBits, radix: 8))") }
        if let kind = header.kind, kind.typeBits != typeBits { violated("kind does not give its type bits back") }
        let validTimes = field(20, 4) < 1_000_000_000 && field(28, 4) < 1_000_000_000
        if header.hasValidTimes != validTimes { violated("nanosecond check disagrees") }
    }
}
