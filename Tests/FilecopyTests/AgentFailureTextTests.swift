import DisplayText
import FilecopySend
import FilecopyWire
import Foundation
import Testing

/// The sentences the sender (and the GUI) show for a failed transfer.
@Suite("Agent: failure texts")
struct AgentFailureTextTests {
    @Test("each receiver code names the file it reported", arguments: [
        (ResultCode.exists, "already exists"), (.invalidName, "character"), (.unsafeSymlink, "link"),
        (.invalid, "corrupted"), (.nameTooLong, "too long"), (.limitExceeded, "limits"), (.noSpace, "no space"),
        (.truncatedBetweenRecords, "ended early"), (.truncatedInsideRecord, "ended early"), (.noEntry, "folder"),
        (.notDirectory, "not a folder"), (.symlinkInPath, "link"), (.accessDenied, "not allowed"),
        (.ioError, "input/output"),
    ])
    func namedSentence(_ code: ResultCode, _ words: String) {
        let named = TransferFailure.message(for: code, untrustedName: Array("Report 2024.pdf".utf8))
        #expect(named.contains("\"Report 2024.pdf\""), "\(named)")
        #expect(named.contains(words), "\(named)")
        let anonymous = TransferFailure.message(for: code, untrustedName: nil)
        #expect(anonymous.contains(words), "\(anonymous)")
        #expect(!anonymous.contains("\"") && !anonymous.contains("%s"), "\(anonymous)")
        #expect(TransferFailure.message(for: code, untrustedName: []) == anonymous)
    }

    @Test func unknownCodeUsesTheSystemText() {
        let text = TransferFailure.message(for: ResultCode(rawValue: UInt32(EMLINK)), untrustedName: nil)
        #expect(text.contains(String(cString: strerror(EMLINK))), "\(text)")
        #expect(!text.contains(String(EMLINK)))
    }

    @Test func checkAcceptsOnlySuccessWithTheSameChecksum() {
        #expect(TransferFailure.check(TransferResult(code: .success, crc32: 7, lastName: nil), sentCRC: 7) == nil)
        #expect(TransferFailure.check(TransferResult(code: .success, crc32: 7, lastName: nil), sentCRC: 8) == .checksumMismatch)
        let refused = TransferResult(code: .exists, crc32: 8, lastName: Array("a".utf8))
        #expect(TransferFailure.check(refused, sentCRC: 8) == .receiverError(.exists, untrustedName: Array("a".utf8)))
    }

    @Test("names are shown safely", arguments: [
        (Array("plain name.txt".utf8), "plain name.txt"),
        (Array("Zażółć".utf8), "Zażółć"),
        (Array("line\nbreak".utf8), "line\\nbreak"),
        (Array("esc\u{1B}[31m".utf8), "esc\\u{001B}[31m"),
        (Array("rtl\u{202E}gpj.exe".utf8), "rtl\\u{202E}gpj.exe"),
        (Array("zero\u{200B}width".utf8), "zero\\u{200B}width"),
        ([0x61, 0xFF, 0x62], "a\\xFFb"),
        ([0xC0, 0xAF], "\\xC0\\xAF"),  // overlong "/"
        ([0xED, 0xA0, 0x80], "\\xED\\xA0\\x80"),  // surrogate
        (Array("back\\slash".utf8), "back\\\\slash"),
    ])
    func displayName(_ bytes: [UInt8], _ shown: String) {
        #expect(DisplayText.escaped(bytes) == shown)
    }

    @Test func veryLongNamesAreShortened() {
        let shown = DisplayText.escaped([UInt8](repeating: UInt8(ascii: "a"), count: 16384))
        #expect(shown.count == DisplayText.maxScalars + 1 && shown.hasSuffix("…"))
    }

    @Test func localFailuresNameTheFileInWords() {
        let changed = TransferFailure.fileChanged(name: Array("dir/log.txt".utf8)).description
        #expect(changed == "File \"dir/log.txt\" changed while it was being sent")
        let unreadable = TransferFailure.cannotRead(name: Array("x".utf8), .permissionDenied).description
        #expect(unreadable == "Cannot read \"x\": " + String(cString: strerror(EACCES)))
    }
}
