import DisplayText
import Testing

/// Issue 14 item 5: the one escaping function, on its own.
@Suite("DisplayText")
struct DisplayTextTests {
    @Test("control characters, DEL and C1 become escapes", arguments: [
        ("a\u{1B}]0;title\u{07}b", "a\\u{001B}]0;title\\u{0007}b"),
        ("line\nFAKE", "line\\nFAKE"),
        ("del\u{7F}", "del\\u{007F}"),
        ("csi\u{9B}31m", "csi\\u{009B}31m"),
        ("back\\slash", "back\\\\slash"),
        ("bidi\u{202E}txt.exe", "bidi\\u{202E}txt.exe"),
    ])
    func escapesWhatDrivesOrForgesTheTerminal(input: String, shown: String) {
        #expect(DisplayText.escaped(input) == shown)
    }

    /// Letters to Unicode, blanks on screen: Qubes' allowlist accepts them in names.
    @Test("Hangul fillers show as escapes", arguments: [0x115F, 0x1160, 0x3164, 0xFFA0] as [UInt32])
    func hangulFillersAreEscaped(codePoint: UInt32) {
        let name = "a" + String(Character(Unicode.Scalar(codePoint)!)) + "b"
        #expect(DisplayText.escaped(name) == "a\\u{" + String(codePoint, radix: 16, uppercase: true) + "}b")
    }

    @Test func invalidUTF8BytesShowAsHex() {
        #expect(DisplayText.escaped([0x61, 0xFF, 0xC0, 0x80, 0x62] as [UInt8]) == "a\\xFF\\xC0\\x80b")
    }

    @Test func printableNamesAreKept() {
        for name in ["report.pdf", "Zażółć gęślą jaźń", "日本語 (1).txt", "a/b ∕ c"] {
            #expect(DisplayText.escaped(name) == name)
        }
    }

    @Test func guardedKeepsEscapedTextAndLinesButNoControls() {
        let escaped = "qvm-copy: Cannot read \"" + DisplayText.escaped("x\u{1B}[2J") + "\""
        #expect(DisplayText.guarded(escaped) == escaped)
        #expect(DisplayText.guarded("one\ntwo") == "one\ntwo")
        #expect(DisplayText.guarded("a\u{1B}[2J\r\u{9B}") == "a\\u{001B}[2J\\u{000D}\\u{009B}")
    }

    @Test func longValuesAreShortened() {
        let shown = DisplayText.escaped(String(repeating: "x", count: 1000))
        #expect(shown == String(repeating: "x", count: DisplayText.maxScalars) + "…")
    }
}
