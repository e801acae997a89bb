import Foundation
import Glibc
import Testing
import TestSupport

/// Symlinks a hostile sender can send: escaping targets (ENOLINK, last_name = the target),
/// and links the stream itself created standing in the path of a later name (ELOOP).
@Suite("Hostile symlinks")
struct HostileSymlinkTests {
    static func unsafe(
        _ label: String, link: String, to target: [UInt8], directories: [String] = ["d"], code: UInt32 = 67
    ) -> HostileCase {
        HostileCase(
            label: label,
            stream: { _ in
                stream { builder in
                    for directory in directories { builder.directory(directory) }
                    builder.record(name: bytes(link), mode: 0o120777, body: target)
                }
            },
            codes: [code], lastName: code == 67 ? target : nil,
            tree: Set(directories.map { $0 + "/" }), absent: ["incoming/" + link])
    }

    static let unsafeTargets: [HostileCase] = [
        unsafe("top-level link (depth 1)", link: "l", to: bytes("x"), directories: []),
        unsafe("top-level link to /etc/passwd", link: "l", to: bytes("/etc/passwd"), directories: []),
        unsafe("absolute target at depth 2", link: "d/l", to: bytes("/etc")),
        unsafe("depth 2 link starting with ../", link: "d/l", to: bytes("../x")),
        unsafe("depth 3 link with two ../", link: "d/e/l", to: bytes("../../x"), directories: ["d", "d/e"]),
        unsafe("depth 3 link climbing out through a sibling", link: "d/e/l", to: bytes("../../../outside"), directories: ["d", "d/e"]),
        unsafe("../ after a normal component", link: "d/e/l", to: bytes("sub/../../x"), directories: ["d", "d/e"]),
        unsafe("bare .. target", link: "d/e/l", to: bytes(".."), directories: ["d", "d/e"]),
        unsafe("target with trailing slash", link: "d/l", to: bytes("x/")),
        unsafe("target .", link: "d/l", to: bytes(".")),
        unsafe("target with double slash", link: "d/l", to: bytes("a//b")),
        unsafe("empty target", link: "d/l", to: []),
        unsafe("target with a right-to-left override", link: "d/l", to: bytes("x\u{202E}txt.exe")),
        unsafe("target with a newline", link: "d/l", to: bytes("a\nb")),
        unsafe("target with malformed UTF-8", link: "d/l", to: [0x61, 0xC0, 0xAF]),
        unsafe("target with a NUL", link: "d/l", to: [0x61, 0x00, 0x62]),
        unsafe("target of 16384 bytes", link: "d/l", to: Array(repeating: 0x61, count: 16384), code: 36),
        HostileCase(
            label: "invalid link name is checked before the target",
            stream: { _ in stream { $0.directory("d"); $0.symlink("d/l\u{202E}", to: "x") } },
            codes: [84], lastName: bytes("d/l\u{202E}"), tree: ["d/"]),
    ]

    @Test(arguments: unsafeTargets) func unsafeTargetIsRefused(_ hostile: HostileCase) throws {
        try expectRefusal(hostile)
    }

    static let writesThroughLinks: [HostileCase] = [
        HostileCase(
            label: "link in the middle of a deep path",
            stream: { _ in
                stream {
                    $0.directory("d"); $0.directory("d/e"); $0.directory("d/e/f"); $0.symlink("d/l", to: "e")
                    $0.file("d/l/f/x", "pwned")
                }
            },
            codes: [40], tree: ["d/", "d/e/", "d/e/f/", "d/l@"], absent: ["incoming/d/e/f/x"]),
        HostileCase(
            label: "link replaced by a directory of the same name",
            stream: { _ in stream { $0.directory("d"); $0.symlink("d/l", to: "sub"); $0.directory("d/l") } },
            codes: [17], lastName: bytes("d/l"), tree: ["d/", "d/l@"], absent: ["incoming/d/sub"]),
        HostileCase(
            label: "link replaced by a file of the same name",
            stream: { _ in stream { $0.directory("d"); $0.symlink("d/l", to: "f"); $0.file("d/l", "pwned") } },
            codes: [17], lastName: bytes("d/l"), tree: ["d/", "d/l@"], absent: ["incoming/d/f"]),
        HostileCase(
            label: "link replaced by another link",
            stream: { _ in stream { $0.directory("d"); $0.symlink("d/l", to: "a"); $0.symlink("d/l", to: "b") } },
            codes: [17], lastName: bytes("d/l"), tree: ["d/", "d/l@"]),
    ]

    @Test(arguments: writesThroughLinks) func linksAreNeverFollowed(_ hostile: HostileCase) throws {
        try expectRefusal(hostile)
    }

    /// A control: links that stay inside their top-level entry arrive with their exact targets,
    /// even when dangling.
    @Test func safeLinksArrive() throws {
        let fixture = try HostileFixture()
        let wire = stream {
            $0.directory("d"); $0.directory("d/e")
            $0.symlink("d/e/up", to: "../f")
            $0.symlink("d/dangling", to: "missing")
            $0.file("d/f", "data")
            $0.directory("d/e"); $0.directory("d")
        }
        let received = try fixture.receive(wire)
        expectAnswer(received, wire: wire, codes: [0], lastName: bytes("d"))
        let found = entrySnapshot(fixture.incoming)
        #expect(found["d/e/up"] == "link:../f")
        #expect(found["d/dangling"] == "link:missing")
        #expect(fixture.incomingTree() == ["d/", "d/e/", "d/e/up@", "d/dangling@", "d/f"])
    }

    /// With `--allow-unsafe-symlinks` an absolute link arrives as a link (never dereferenced:
    /// the outside folder is untouched).
    @Test func allowUnsafeSymlinksKeepsLinksAsLinks() throws {
        let fixture = try HostileFixture()
        try fixture.makeFile("outside/secret", "secret")
        let before = fixture.outsideSnapshot()
        let target = fixture.outside + "/secret"
        let wire = stream { $0.symlink("top", to: target) }
        let received = try fixture.receive(wire, options: ["--allow-unsafe-symlinks"])
        expectAnswer(received, wire: wire, codes: [0], lastName: bytes("top"))
        #expect(entrySnapshot(fixture.incoming) == ["top": "link:" + target])
        #expect(fixture.outsideSnapshot() == before)
    }
}
