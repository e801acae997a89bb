import FilecopyWire
import Testing
import TestSupport

/// Names a hostile sender can put on the wire: traversal, absolute paths, broken structure,
/// characters that deceive a reader, malformed UTF-8, and NUL tricks. Each is refused with
/// EILSEQ (84) and leaves nothing behind.
@Suite("Hostile names")
struct HostileNameTests {
    /// A one-file stream whose name is `name` (raw bytes, NUL added).
    static func file(_ name: [UInt8], after directories: [String] = []) -> @Sendable (HostileFixture) -> [UInt8] {
        { _ in
            stream { builder in
                for directory in directories { builder.directory(directory) }
                builder.record(name: name, mode: 0o100644, body: Array("payload".utf8))
            }
        }
    }

    static func invalid(
        _ label: String, _ name: [UInt8], after directories: [String] = [], absent: [String] = []
    ) -> HostileCase {
        HostileCase(
            label: label, stream: file(name, after: directories), codes: [84], lastName: name,
            tree: Set(directories.map { $0 + "/" }), absent: absent)
    }

    static let traversal: [HostileCase] = [
        invalid("parent traversal ../outside/x", bytes("../outside/x"), absent: ["outside/x"]),
        invalid("parent traversal ../x", bytes("../x"), absent: ["x"]),
        invalid("traversal after a real directory a/../../outside/x", bytes("a/../../outside/x"), after: ["a"], absent: ["outside/x"]),
        invalid("traversal that stays inside a/../b", bytes("a/../b"), after: ["a"], absent: ["incoming/b"]),
        HostileCase(
            label: "absolute path into the outside folder",
            stream: { fixture in stream { $0.file(fixture.outside + "/abs", "pwned") } },
            codes: [84], tree: [], absent: ["outside/abs"]),
        invalid("lone slash", bytes("/")),
        invalid("absolute /x", bytes("/x"), absent: ["incoming/x"]),
    ]

    static let structure: [HostileCase] = [
        invalid("empty name", []),
        invalid("double slash a//b", bytes("a//b"), after: ["a"], absent: ["incoming/a/b"]),
        invalid("dot", bytes(".")),
        invalid("dot component ./x", bytes("./x"), absent: ["incoming/x"]),
        invalid("trailing dot component a/.", bytes("a/."), after: ["a"]),
        invalid("dot-dot", bytes("..")),
        invalid("trailing slash x/", bytes("x/"), absent: ["incoming/x"]),
    ]

    static let characters: [HostileCase] = [
        invalid("newline", bytes("a\nb")),
        invalid("terminal escape sequence", bytes("\u{1B}]0;owned\u{07}x")),
        invalid("tab", bytes("a\tb")),
        invalid("DEL 0x7F", [0x61, 0x7F]),
        invalid("right-to-left override U+202E", bytes("invoice\u{202E}fdp.exe")),
        invalid("bidi isolate U+2066", bytes("a\u{2066}b")),
        invalid("zero-width space U+200B", bytes("a\u{200B}b")),
        invalid("combining acute U+0301", bytes("e\u{0301}")),
        invalid("emoji U+1F600", bytes("smile\u{1F600}")),
        invalid("no-break space U+00A0", bytes("a\u{00A0}b")),
        invalid("lone continuation byte", [0x61, 0x80, 0x62]),
        invalid("truncated two-byte sequence at the end", [0x61, 0xC3]),
        invalid("byte 0xFF", [0x61, 0xFF]),
        invalid("overlong slash C0 AF", [0x61, 0xC0, 0xAF, 0x62]),
        invalid("overlong dot-dot C0 AE C0 AE", [0xC0, 0xAE, 0xC0, 0xAE]),
        invalid("three-byte overlong slash E0 80 AF", [0x61, 0xE0, 0x80, 0xAF, 0x62]),
        invalid("UTF-16 surrogate ED A0 80", [0x61, 0xED, 0xA0, 0x80]),
        invalid("code point above U+10FFFF", [0x61, 0xF4, 0x90, 0x80, 0x80]),
        invalid("invalid name under a valid directory", bytes("d/\u{202E}x"), after: ["d"]),
    ]

    static let nulTricks: [HostileCase] = [
        // The Qubes receiver silently cut such a name at the NUL; we refuse it.
        HostileCase(
            label: "NUL before the end of the name",
            stream: file([0x61, 0x00, 0x62]), codes: [84], tree: [], absent: ["incoming/a", "incoming/a\u{0}b"]),
        HostileCase(
            label: "name not NUL-terminated",
            stream: { _ in
                stream { $0.record(name: bytes("abc"), mode: 0o100644, body: bytes("x"), terminate: false) }
            },
            codes: [84], tree: [], absent: ["incoming/abc", "incoming/ab"]),
        HostileCase(
            label: "invalid directory name gives +84",
            stream: { _ in stream { $0.directory("bad\u{202E}dir") } },
            codes: [84], lastName: bytes("bad\u{202E}dir"), tree: []),
        HostileCase(
            label: "component of 256 bytes",
            stream: { _ in stream { $0.file(String(repeating: "n", count: 256), "x") } },
            codes: [36], lastName: bytes(String(repeating: "n", count: 256)), tree: []),
    ]

    @Test(arguments: traversal) func traversalIsRefused(_ hostile: HostileCase) throws {
        try expectRefusal(hostile)
    }

    @Test(arguments: structure) func brokenStructureIsRefused(_ hostile: HostileCase) throws {
        try expectRefusal(hostile)
    }

    @Test(arguments: characters) func unsafeCharactersAreRefused(_ hostile: HostileCase) throws {
        try expectRefusal(hostile)
    }

    @Test(arguments: nulTricks) func nulAndLengthTricksAreRefused(_ hostile: HostileCase) throws {
        try expectRefusal(hostile)
    }

    /// A control: names of left-to-right scripts and a component of exactly 255 bytes arrive.
    @Test func allowedNamesArrive() throws {
        let fixture = try HostileFixture()
        let longest = String(repeating: "n", count: 255)
        let wire = stream {
            $0.file("Zażółć gęślą jaźń.txt", "pl")
            $0.file("Ελληνικά Кириллица €.txt", "el")
            $0.file(longest, "long")
        }
        let received = try fixture.receive(wire)
        expectAnswer(received, wire: wire, codes: [0], lastName: bytes(longest))
        #expect(fixture.incomingTree() == ["Zażółć gęślą jaźń.txt", "Ελληνικά Кириллица €.txt", longest])
    }

    // `--allow-all-names` lifts the character rules only: the structure is still enforced.

    static let liftedByAllowAllNames: [(label: String, name: [UInt8])] = [
        ("emoji", bytes("smile\u{1F600}")),
        ("right-to-left override", bytes("invoice\u{202E}fdp.exe")),
        ("byte 0xFF", [0x61, 0xFF]),
        ("newline", bytes("a\nb")),
    ]

    @Test(arguments: liftedByAllowAllNames)
    func allowAllNamesLiftsCharacterRules(_ lifted: (label: String, name: [UInt8])) throws {
        let fixture = try HostileFixture()
        let wire = stream { $0.record(name: lifted.name, mode: 0o100644, body: bytes("ok")) }
        let received = try fixture.receive(wire, options: ["--allow-all-names"])
        expectAnswer(received, wire: wire, codes: [0], lastName: lifted.name)
        #expect(pathExists(bytes: Array(fixture.incoming.utf8) + [0x2F] + lifted.name), "\(lifted.label) did not arrive")
        #expect(fixture.incomingTree().count == 1)
    }

    static let stillRefusedWithAllowAllNames: [HostileCase] = [
        invalid("parent traversal", bytes("../outside/x"), absent: ["outside/x"]),
        invalid("traversal after a directory", bytes("a/../../outside/x"), after: ["a"], absent: ["outside/x"]),
        invalid("double slash", bytes("a//b"), after: ["a"]),
        invalid("dot component", bytes("./x")),
        invalid("trailing slash", bytes("x/")),
        invalid("empty name", []),
        HostileCase(
            label: "absolute path",
            stream: { fixture in stream { $0.file(fixture.outside + "/abs", "pwned") } },
            codes: [84], tree: [], absent: ["outside/abs"]),
        HostileCase(
            label: "NUL before the end", stream: file([0x61, 0x00, 0x62]), codes: [84], tree: []),
        HostileCase(
            label: "component of 256 bytes",
            stream: { _ in stream { $0.file(String(repeating: "\u{1F600}", count: 64), "x") } },
            codes: [36], tree: []),
        HostileCase(
            label: "top-level symlink with an emoji target",
            stream: { _ in stream { $0.symlink("l", to: "\u{1F600}") } },
            codes: [67], lastName: bytes("\u{1F600}"), tree: []),
        HostileCase(
            label: "symlink escaping with emoji",
            stream: { _ in stream { $0.directory("d"); $0.symlink("d/l", to: "../\u{1F600}") } },
            codes: [67], lastName: bytes("../\u{1F600}"), tree: ["d/"]),
    ].map { var withOption = $0; withOption.options = ["--allow-all-names"]; return withOption }

    @Test(arguments: stillRefusedWithAllowAllNames)
    func allowAllNamesKeepsStructureRules(_ hostile: HostileCase) throws {
        try expectRefusal(hostile)
    }
}
