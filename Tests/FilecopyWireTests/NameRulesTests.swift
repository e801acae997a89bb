import FilecopyWire
import Testing

@Suite("Name rules")
struct NameRulesTests {
    static let accepted: [String] = [
        "a", "file.txt", "dir/sub/file", "...", ".hidden", "a..b", "spaces are fine", "~tilde", "-rf",
        "Zażółć gęślą jaźń.txt", "Ελληνικά", "Кириллица", "€100", "a/b/c/d/e/f/g",
        String(repeating: "x", count: 255), String(repeating: "y", count: 255) + "/" + String(repeating: "z", count: 255),
    ]

    @Test("accepted names", arguments: accepted)
    func acceptsValidNames(_ name: String) {
        #expect(NameRules.check(Array(name.utf8), allowAllNames: false) == nil)
    }

    static let structurallyInvalid: [String] = [
        "", "/", "/etc/passwd", "a//b", "a/", ".", "..", "./a", "../a", "a/./b", "a/../b", "a/..", "a/.",
    ]

    @Test("structure rules, in every mode", arguments: structurallyInvalid, [false, true])
    func refusesBadStructure(_ name: String, allowAllNames: Bool) {
        #expect(NameRules.check(Array(name.utf8), allowAllNames: allowAllNames) == .invalidName)
    }

    static let badCharacters: [[UInt8]] = [
        [0x61, 0x0A, 0x62],  // newline
        [0x1B, 0x5B, 0x33, 0x31, 0x6D],  // ESC [ 3 1 m
        [0x7F],  // DEL
        Array("a\u{202E}txt.exe".utf8),  // right-to-left override
        Array("e\u{301}".utf8),  // combining acute accent
        Array("\u{A0}".utf8),  // no-break space
        Array("😀".utf8),  // emoji
        Array("تقرير".utf8),  // Arabic (right-to-left script)
        [0xC0, 0xAF],  // overlong "/"
        [0xE0, 0x80, 0xAF],  // overlong
        [0xED, 0xA0, 0x80],  // UTF-16 surrogate
        [0xF4, 0x90, 0x80, 0x80],  // past U+10FFFF
        [0xC3],  // truncated sequence
        [0x80],  // lone continuation byte
        [0xFF],
    ]

    @Test("character rules", arguments: badCharacters)
    func refusesUnsafeCharacters(_ name: [UInt8]) {
        #expect(NameRules.check(name, allowAllNames: false) == .invalidName)
        #expect(NameRules.check(name, allowAllNames: true) == nil, "allow-all-names lifts only character rules")
    }

    @Test func nulIsRefusedEvenWithAllowAllNames() {
        #expect(NameRules.check([0x61, 0x00, 0x62], allowAllNames: true) == .invalidName)
    }

    @Test func componentLongerThan255BytesIsTooLong() {
        let long = Array(String(repeating: "x", count: 256).utf8)
        #expect(NameRules.check(long, allowAllNames: false) == .nameTooLong)
        #expect(NameRules.check(Array("d/".utf8) + long, allowAllNames: true) == .nameTooLong)
    }

    @Test("wire names must end in their only NUL")
    func terminator() {
        #expect(NameRules.stripTerminator(Array("a\0".utf8)).map(Array.init) == Array("a".utf8))
        #expect(NameRules.stripTerminator(Array("a".utf8)) == nil)
        #expect(NameRules.stripTerminator(Array("a\0b\0".utf8)) == nil)
        #expect(NameRules.stripTerminator([]) == nil)
    }

    @Test func depthCountsComponents() {
        #expect(NameRules.depth(of: Array("a".utf8)) == 1)
        #expect(NameRules.depth(of: Array("a/b/c".utf8)) == 3)
    }
}

@Suite("Symlink rules")
struct SymlinkRulesTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var target: String
        var safe: Bool
        var testDescription: String { "\(name) -> \(target): \(safe ? "safe" : "unsafe")" }
    }

    static let cases: [Case] = [
        Case(name: "tree/sub/link-to-a", target: "../a.txt", safe: true),
        Case(name: "d/link", target: "file", safe: true),
        Case(name: "d/link", target: "sub/file", safe: true),
        Case(name: "a/b/c/link", target: "../../x", safe: true),
        Case(name: "link", target: "file", safe: false),  // directly in the incoming folder
        Case(name: "d/link", target: "../escape", safe: false),  // depth 2 allows no ..
        Case(name: "a/b/link", target: "../../x", safe: false),  // depth 3 allows one ..
        Case(name: "d/link", target: "/etc/passwd", safe: false),
        Case(name: "a/b/link", target: "x/../../y", safe: false),  // .. after a normal component
        Case(name: "a/b/link", target: "x/..", safe: false),
        Case(name: "a/b/link", target: "..", safe: false),
        Case(name: "a/b/link", target: "./x", safe: false),
        Case(name: "a/b/link", target: "x//y", safe: false),
        Case(name: "a/b/link", target: "", safe: false),
        Case(name: "a/b/link", target: "x\u{202E}y", safe: false),
        Case(name: "a/b/link", target: "x/", safe: false),
    ]

    @Test("targets", arguments: cases)
    func rule(_ testCase: Case) {
        let safe = SymlinkRules.isSafe(
            name: Array(testCase.name.utf8), untrustedTarget: Array(testCase.target.utf8), allowAllNames: false)
        #expect(safe == testCase.safe)
    }

    @Test func allowAllNamesLiftsOnlyCharacters() {
        #expect(SymlinkRules.isSafe(name: Array("d/l".utf8), untrustedTarget: Array("x\u{202E}".utf8), allowAllNames: true))
        #expect(!SymlinkRules.isSafe(name: Array("d/l".utf8), untrustedTarget: Array("../x".utf8), allowAllNames: true))
    }
}
