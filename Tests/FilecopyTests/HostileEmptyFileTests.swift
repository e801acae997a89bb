import Foundation
import Glibc
import Testing
import TestSupport

/// Empty files take a shorter road than files with data: no O_TMPFILE, but one
/// openat2(O_CREAT | O_EXCL) of the whole name beneath the incoming folder (or the O_NOFOLLOW
/// walk without openat2). The same attacks must fail in the same way, with every layer, without
/// Landlock and openat2, and unprivileged.
@Suite("Hostile streams with empty files")
struct HostileEmptyFileTests {
    static let refused: [HostileCase] = [
        HostileCase(
            label: "existing file is not truncated by an empty one",
            prepare: { try $0.makeFile("incoming/report.pdf", "mine") },
            stream: { _ in stream { $0.file("report.pdf") } },
            codes: [17], lastName: bytes("report.pdf"), tree: ["report.pdf"]),
        HostileCase(
            label: "existing directory is not replaced by an empty file",
            prepare: { try $0.makeDirectory("incoming/d") },
            stream: { _ in stream { $0.file("d") } },
            codes: [17], lastName: bytes("d"), tree: ["d/"]),
        HostileCase(
            label: "existing dangling symlink is not followed to create an empty file",
            prepare: { try $0.makeSymlink("incoming/evil", to: $0.outside + "/created") },
            stream: { _ in stream { $0.file("evil") } },
            codes: [17], lastName: bytes("evil"), tree: ["evil@"], absent: ["outside/created"]),
        HostileCase(
            label: "existing symlink to an outside file is not truncated through",
            prepare: { fixture in
                try fixture.makeFile("outside/victim", "original")
                try fixture.makeSymlink("incoming/evil", to: fixture.outside + "/victim")
            },
            stream: { _ in stream { $0.file("evil") } },
            codes: [17], lastName: bytes("evil"), tree: ["evil@"]),
        HostileCase(
            label: "existing symlink parent is not followed by an empty file",
            prepare: { try $0.makeSymlink("incoming/evil", to: $0.outside) },
            stream: { _ in stream { $0.file("evil/x") } },
            codes: [40], tree: ["evil@"], absent: ["outside/x"]),
        HostileCase(
            label: "a link the stream made is not followed by an empty file",
            stream: { _ in stream { $0.directory("d"); $0.directory("d/sub"); $0.symlink("d/l", to: "sub"); $0.file("d/l/x") } },
            codes: [40], tree: ["d/", "d/sub/", "d/l@"]),
        HostileCase(
            label: "missing parent is not created for an empty file",
            stream: { _ in stream { $0.file("nowhere/x") } },
            codes: [2], tree: []),
        HostileCase(
            label: "existing file is not a parent of an empty file",
            prepare: { try $0.makeFile("incoming/f", "mine") },
            stream: { _ in stream { $0.file("f/x") } },
            codes: [20], tree: ["f"]),
        HostileCase(
            label: "the same empty file twice",
            stream: { _ in stream { $0.file("e"); $0.file("e") } },
            codes: [17], lastName: bytes("e"), tree: ["e"]),
    ]

    @Test(arguments: refused, ReceiverSetup.raceVariants)
    func emptyFilesAreRefusedLikeOthers(_ hostile: HostileCase, _ setup: ReceiverSetup) throws {
        try expectRefusal(hostile, setup: setup)
    }

    /// An empty file arrives with its mode (without setuid) and both times, top-level and nested.
    @Test(arguments: ReceiverSetup.raceVariants) func emptyFileGetsModeAndTimes(_ setup: ReceiverSetup) throws {
        let fixture = try HostileFixture(setup)
        var builder = StreamBuilder()
        builder.record(name: bytes("top"), mode: 0o104750, fileLength: 0, times: (1_500_000_000, 5, 1_400_000_000, 123_456_789))
        builder.directory("d")
        builder.record(name: bytes("d/inner"), mode: 0o100400, fileLength: 0, times: (1_500_000_001, 0, 1_400_000_001, 7))
        builder.directory("d")
        builder.end()
        let received = try fixture.receive(builder.bytes)
        expectAnswer(received, wire: builder.bytes, codes: [0], lastName: bytes("d"))
        for (name, mode, mtime, nanoseconds) in [("top", 0o750, 1_400_000_000, 123_456_789), ("d/inner", 0o400, 1_400_000_001, 7)] {
            var info = stat()
            #expect(lstat(fixture.incoming + "/" + name, &info) == 0, "\(name)")
            #expect(info.st_mode & S_IFMT == S_IFREG && info.st_mode & 0o7777 == mode_t(mode), "\(name)")
            #expect(info.st_size == 0 && info.st_mtim.tv_sec == mtime && info.st_mtim.tv_nsec == nanoseconds, "\(name)")
        }
    }

    /// `--on-conflict rename` with empty files, top-level and nested, next to a planted symlink:
    /// copies are numbered, nothing existing changes, no link is followed.
    @Test(arguments: ReceiverSetup.raceVariants) func emptyFilesAreRenamedOnConflict(_ setup: ReceiverSetup) throws {
        let fixture = try HostileFixture(setup)
        try fixture.makeFile("incoming/report.pdf", "mine")
        try fixture.makeDirectory("incoming/d")
        try fixture.makeSymlink("incoming/d/evil", to: fixture.outside + "/created")
        let before = fixture.outsideSnapshot()
        let wire = stream {
            $0.file("report.pdf"); $0.file("report.pdf")
            $0.directory("d"); $0.file("d/evil"); $0.file("d/evil"); $0.directory("d")
        }
        let received = try fixture.receive(wire, options: ["--on-conflict", "rename"])
        expectAnswer(received, wire: wire, codes: [0], lastName: bytes("d"))
        #expect(fixture.incomingTree() == ["report.pdf", "report (1).pdf", "report (2).pdf", "d/", "d/evil@", "d/evil (1)", "d/evil (2)"])
        #expect(fixture.contents("incoming/report.pdf") == "mine")
        #expect(fixture.contents("incoming/report (1).pdf") == "")
        #expect(fixture.outsideSnapshot() == before)
        #expect(!pathExists(fixture.outside + "/created"))
    }
}
