import FilecopyWire
import Testing

/// The CRC-32 folds large buffers with carry-less multiplication; it must give exactly the
/// bit-by-bit CRC-32 (reflected, polynomial 0xEDB88320) for every length, alignment and chain.
@Suite("CRC-32 folding")
struct CRC32FoldingTests {
    /// The definition, one bit at a time: the reference the fast path is checked against.
    static func bitwise(_ bytes: ArraySlice<UInt8>, chainedFrom start: UInt32 = 0) -> UInt32 {
        var register = ~start
        for byte in bytes {
            register ^= UInt32(byte)
            for _ in 0..<8 { register = register & 1 == 1 ? (register >> 1) ^ 0xEDB8_8320 : register >> 1 }
        }
        return ~register
    }

    static let data: [UInt8] = {
        var state: UInt32 = 0x1234_5678
        return (0..<70_000).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223  // a fixed pseudo-random sequence
            return UInt8(truncatingIfNeeded: state >> 24)
        }
    }()

    @Test(arguments: [0, 1, 15, 16, 17, 63, 64, 65, 79, 80, 127, 128, 129, 191, 255, 256, 1000, 4096, 4097, 65_536, 69_999])
    func everyLengthMatchesTheDefinition(length: Int) {
        for offset in [0, 1, 3, 8] where offset + length <= Self.data.count {
            let slice = Self.data[offset..<offset + length]
            var crc = CRC32()
            slice.withUnsafeBytes { crc.update($0) }
            #expect(crc.value == Self.bitwise(slice), "length \(length) offset \(offset)")
        }
    }

    @Test func chainedPiecesMatchOneRun() {
        var crc = CRC32()
        var position = 0
        for piece in [5, 64, 100, 33, 4096, 1, 70, 20_000] {
            Self.data[position..<position + piece].withUnsafeBytes { crc.update($0) }
            position += piece
        }
        #expect(crc.value == Self.bitwise(Self.data[..<position]))
        #expect(Self.bitwise(Self.data[100..<300], chainedFrom: Self.bitwise(Self.data[..<100])) == Self.bitwise(Self.data[..<300]))
    }
}
