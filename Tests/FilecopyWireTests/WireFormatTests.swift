import FilecopyWire
import Testing

@Suite("Wire format")
struct WireFormatTests {
    @Test func headerRoundTripsLittleEndian() {
        let header = FileHeader(
            nameLength: 11, mode: 0o100644, fileLength: 0x0102_0304_0506_0708, atime: 0xA1A2_A3A4,
            atimeNanoseconds: 5, mtime: 0xB1B2_B3B4, mtimeNanoseconds: 999_999_999)
        let bytes = header.encoded
        #expect(bytes.count == 32)
        #expect(bytes[0..<4] == [11, 0, 0, 0])
        #expect(bytes[8..<16] == [8, 7, 6, 5, 4, 3, 2, 1])
        #expect(bytes.withUnsafeBytes { FileHeader(decoding: $0) } == header)
    }

    @Test func endOfTransferIsThirtyTwoZeroBytes() {
        #expect(FileHeader.endOfTransfer.encoded == [UInt8](repeating: 0, count: 32))
        #expect(FileHeader.endOfTransfer.isEndOfTransfer)
    }

    @Test("entry kinds from mode bits", arguments: [
        (UInt32(0o100644), EntryKind?.some(.regular)), (0o040755, .directory), (0o120777, .symlink),
        (0o010644, nil), (0o020644, nil), (0o060644, nil), (0o140755, nil), (0o000644, nil), (0o170000, nil),
    ])
    func kinds(mode: UInt32, kind: EntryKind?) {
        #expect(EntryKind(mode: mode) == kind)
    }

    @Test func permissionsDropSetuidSetgidSticky() {
        #expect(FileHeader(nameLength: 2, mode: 0o107777, fileLength: 0).permissions == 0o777)
    }

    @Test func nanosecondsMustBeBelowOneSecond() {
        #expect(FileHeader(nameLength: 2, mode: 0, fileLength: 0, atimeNanoseconds: 999_999_999).hasValidTimes)
        #expect(!FileHeader(nameLength: 2, mode: 0, fileLength: 0, atimeNanoseconds: 1_000_000_000).hasValidTimes)
        #expect(!FileHeader(nameLength: 2, mode: 0, fileLength: 0, mtimeNanoseconds: .max).hasValidTimes)
    }

    @Test func crcMatchesZlibCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        var chained = CRC32()
        chained.update(Array("1234".utf8))
        chained.update(Array("56789".utf8))
        #expect(chained.value == 0xCBF4_3926)
    }

    @Test func resultWithAndWithoutName() {
        let named = TransferResult(code: .exists, crc32: 0xDEAD_BEEF, lastName: Array("x".utf8)).encoded
        #expect(named == [17, 0, 0, 0, 0, 0, 0, 0, 0xEF, 0xBE, 0xAD, 0xDE, 0, 0, 0, 0, 1, 0, 0, 0, 0x78])
        let bare = TransferResult(code: .success, crc32: 1, lastName: nil).encoded
        #expect(bare.count == 16)
        let decoded = bare.withUnsafeBytes { TransferResult.decodeFixed($0) }
        #expect(decoded?.code == .success && decoded?.crc32 == 1)
    }

    @Test func resultWithCRCAbove32BitsIsRejected() {
        var bytes = TransferResult(code: .success, crc32: 0, lastName: nil).encoded
        bytes[12] = 1
        #expect(bytes.withUnsafeBytes { TransferResult.decodeFixed($0) } == nil)
    }

    @Test func lastNameLengthIsCapped() {
        let huge: [UInt8] = [0xFF, 0xFF, 0xFF, 0x7F]
        #expect(huge.withUnsafeBytes { TransferResult.decodeNameLength($0) } == nil)
        let fine: [UInt8] = [4, 0, 0, 0]
        #expect(fine.withUnsafeBytes { TransferResult.decodeNameLength($0) } == 4)
    }

    @Test func truncationCodeExitsLikeQubes() {
        #expect(ResultCode.truncatedInsideRecord.exitStatus == 118)
        #expect(ResultCode.exists.exitStatus == 17)
    }
}
