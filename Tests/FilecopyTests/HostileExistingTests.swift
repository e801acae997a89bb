import Foundation
import Testing
import TestSupport

/// Names that already exist in the incoming folder: never overwritten, never followed.
/// A planted `incoming/evil -> outside` symlink must not carry a single byte outside.
@Suite("Hostile streams against existing names")
struct HostileExistingTests {
    static let refused: [HostileCase] = [
        HostileCase(
            label: "existing file is not overwritten",
            prepare: { try $0.makeFile("incoming/report.pdf", "mine") },
            stream: { _ in stream { $0.file("report.pdf", "theirs") } },
            codes: [17], lastName: bytes("report.pdf"), tree: ["report.pdf"]),
        HostileCase(
            label: "existing directory is not replaced by a file",
            prepare: { try $0.makeDirectory("incoming/d") },
            stream: { _ in stream { $0.file("d", "theirs") } },
            codes: [17], lastName: bytes("d"), tree: ["d/"]),
        HostileCase(
            label: "existing file is not replaced by a directory",
            prepare: { try $0.makeFile("incoming/f", "mine") },
            stream: { _ in stream { $0.directory("f"); $0.file("f/x", "theirs") } },
            codes: [17], lastName: bytes("f"), tree: ["f"]),
        HostileCase(
            label: "existing file is not a parent",
            prepare: { try $0.makeFile("incoming/f", "mine") },
            stream: { _ in stream { $0.file("f/x", "theirs") } },
            codes: [20], tree: ["f"]),
        HostileCase(
            // Directories merge, but a symlink is not a directory: refused as a clash (17) or as
            // a symlink in the path (40); protocol.md allows either. Nothing may land outside.
            label: "existing symlink to outside is not merged as a directory",
            prepare: { try $0.makeSymlink("incoming/evil", to: $0.outside) },
            stream: { _ in stream { $0.directory("evil"); $0.file("evil/x", "pwned"); $0.directory("evil") } },
            codes: [17, 40], tree: ["evil@"], absent: ["outside/x"]),
        HostileCase(
            label: "existing dangling symlink is not followed when creating a file",
            prepare: { try $0.makeSymlink("incoming/evil", to: $0.outside + "/created") },
            stream: { _ in stream { $0.file("evil", "pwned") } },
            codes: [17], lastName: bytes("evil"), tree: ["evil@"], absent: ["outside/created"]),
        HostileCase(
            label: "existing symlink to an outside file is not written through",
            prepare: { fixture in
                try fixture.makeFile("outside/victim", "original")
                try fixture.makeSymlink("incoming/evil", to: fixture.outside + "/victim")
            },
            stream: { _ in stream { $0.file("evil", "pwned") } },
            codes: [17], lastName: bytes("evil"), tree: ["evil@"]),
        HostileCase(
            label: "existing symlink is not replaced by a symlink",
            prepare: { fixture in
                try fixture.makeDirectory("incoming/d")
                try fixture.makeSymlink("incoming/d/l", to: fixture.outside)
            },
            stream: { _ in stream { $0.directory("d"); $0.symlink("d/l", to: "x") } },
            codes: [17], lastName: bytes("d/l"), tree: ["d/", "d/l@"]),
        HostileCase(
            label: "--on-conflict fail refuses an existing name",
            options: ["--on-conflict", "fail"],
            prepare: { try $0.makeFile("incoming/report.pdf", "mine") },
            stream: { _ in stream { $0.file("report.pdf", "theirs") } },
            codes: [17], lastName: bytes("report.pdf"), tree: ["report.pdf"]),
    ]

    @Test(arguments: refused) func existingNamesAreProtected(_ hostile: HostileCase) throws {
        try expectRefusal(hostile)
    }

    /// The pre-existing file keeps its content when the stream tries to overwrite it.
    @Test func existingFileKeepsItsContent() throws {
        let fixture = try HostileFixture()
        try fixture.makeFile("incoming/report.pdf", "mine")
        _ = try fixture.receive(stream { $0.file("report.pdf", "theirs") })
        #expect(fixture.contents("incoming/report.pdf") == "mine")
    }

    /// Existing directories merge: old content stays, new content arrives.
    @Test func existingDirectoryMerges() throws {
        let fixture = try HostileFixture()
        try fixture.makeDirectory("incoming/d")
        try fixture.makeFile("incoming/d/keep", "old")
        let wire = stream { $0.directory("d"); $0.file("d/new", "new"); $0.directory("d") }
        let received = try fixture.receive(wire)
        expectAnswer(received, wire: wire, codes: [0], lastName: bytes("d"))
        #expect(fixture.incomingTree() == ["d/", "d/keep", "d/new"])
        #expect(fixture.contents("incoming/d/keep") == "old")
        #expect(fixture.contents("incoming/d/new") == "new")
    }

    /// `--on-conflict rename`: an existing `report.pdf` makes the incoming ones arrive as
    /// `report (1).pdf` and `report (2).pdf`; the original is untouched.
    @Test func renameOnConflictNumbersCopies() throws {
        let fixture = try HostileFixture()
        try fixture.makeFile("incoming/report.pdf", "mine")
        let wire = stream { $0.file("report.pdf", "first"); $0.file("report.pdf", "second") }
        let received = try fixture.receive(wire, options: ["--on-conflict", "rename"])
        expectAnswer(received, wire: wire, codes: [0], lastName: nil)
        #expect(fixture.incomingTree() == ["report.pdf", "report (1).pdf", "report (2).pdf"])
        #expect(fixture.contents("incoming/report.pdf") == "mine")
        #expect(fixture.contents("incoming/report (1).pdf") == "first")
        #expect(fixture.contents("incoming/report (2).pdf") == "second")
    }

    /// `--on-conflict rename` next to a planted symlink: the file arrives under a new name, the
    /// link's target is never created.
    @Test func renameOnConflictDoesNotFollowAPlantedSymlink() throws {
        let fixture = try HostileFixture()
        try fixture.makeSymlink("incoming/evil", to: fixture.outside + "/created")
        let before = fixture.outsideSnapshot()
        let wire = stream { $0.file("evil", "data") }
        let received = try fixture.receive(wire, options: ["--on-conflict", "rename"])
        expectAnswer(received, wire: wire, codes: [0], lastName: nil)
        #expect(fixture.incomingTree() == ["evil@", "evil (1)"])
        #expect(fixture.contents("incoming/evil (1)") == "data")
        #expect(fixture.outsideSnapshot() == before)
        #expect(!pathExists(fixture.outside + "/created"))
    }
}
