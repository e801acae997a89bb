import FilecopyWire
import FuzzSupport

/// The sender's decoding of the receiver's answer: the fixed part refuses a CRC field above
/// 2^32 - 1, the name length is capped, and what decodes encodes back to the same bytes.
enum ResultOracle {
    static func check(_ bytes: UnsafeRawBufferPointer) {
        func field(_ offset: Int, _ width: Int) -> UInt64 {
            (0..<width).reduce(UInt64(0)) { value, index in value | UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        }
        let fixed = TransferResult.decodeFixed(bytes)
        if bytes.count < TransferResult.fixedSize {
            if fixed != nil { violated("decoded a result from fewer than 16 bytes") }
            return
        }
        let crcField = field(8, 8)
        guard let fixed else {
            if crcField <= UInt64(UInt32.max) { violated("refused a result whose CRC field fits 32 bits") }
            return
        }
        if crcField > UInt64(UInt32.max) { violated("accepted a CRC field above 2^32 - 1") }
        if UInt64(fixed.code.rawValue) != field(0, 4) || UInt64(fixed.crc32) != crcField { violated("fixed part misread") }
        let tail = UnsafeRawBufferPointer(rebasing: bytes[TransferResult.fixedSize...])
        let length = TransferResult.decodeNameLength(tail)
        if tail.count >= 4 {
            let declared = field(16, 4)
            if (length == nil) != (declared > UInt64(TransferResult.maxLastNameLength)) { violated("name length cap misapplied") }
            if let length, length != Int(declared) { violated("name length misread") }
        } else if length != nil {
            violated("decoded a name length from fewer than 4 bytes")
        }
        // Encoding what was decoded gives the same bytes (the pad is always written as 0); the
        // name only when all of it is there.
        let name = length.flatMap { tail.count - 4 >= $0 ? Array(tail.dropFirst(4).prefix($0)) : nil }
        let encoded = TransferResult(code: fixed.code, crc32: fixed.crc32, lastName: name).encoded
        let padZero = field(4, 4) == 0
        if padZero && Array(bytes.prefix(encoded.count)) != encoded { violated("result does not encode back to its bytes") }
        if encoded.count >= 8 && encoded[4..<8] != [0, 0, 0, 0] { violated("pad is not zero") }
    }
}
