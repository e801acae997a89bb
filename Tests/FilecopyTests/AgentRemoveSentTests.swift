import FilecopyWire
import Foundation
import Testing
import TestSupport

/// `qfile-agent --remove-sent` (what qvm-move runs): the test plays the receiver, reads the
/// whole stream, changes the sources, and only then answers, so each change lands exactly
/// between the sending and the removal.
@Suite struct AgentRemoveSentTests {
    /// `folder` holds: d/ (file f, empty file e, link l -> f, sub/g, empty folder empty/) and top.txt.
    func makeSources() throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory()
        try AgentTools.makeDirectory(folder("d/sub"))
        try AgentTools.makeDirectory(folder("d/empty"))
        try AgentTools.write(folder("d/f"), Array("file\n".utf8))
        try AgentTools.write(folder("d/e"), [])
        try FileManager.default.createSymbolicLink(atPath: folder("d/l"), withDestinationPath: "f")
        try AgentTools.write(folder("d/sub/g"), Array("deeper\n".utf8))
        try AgentTools.write(folder("top.txt"), Array("top\n".utf8))
        return folder
    }

    /// Runs the agent on `paths` (relative to `folder`), calls `between` once the whole stream
    /// arrived, then answers `code` with the stream's CRC-32.
    func move(_ paths: [String], in folder: TemporaryDirectory, answer code: ResultCode = .success, between: () throws -> Void)
        throws -> Finished
    {
        let agent = try PipedProgram([AgentTools.agent, "--remove-sent", "--"] + paths, currentDirectory: folder.path)
        agent.read(until: { decodeStream($0).ended })
        #expect(decodeStream(agent.received).ended)
        try between()
        agent.write(TransferResult(code: code, crc32: CRC32.checksum(agent.received), lastName: nil).encoded)
        agent.closeInput()
        return try #require(agent.wait())
    }

    func entries(_ folder: TemporaryDirectory) throws -> Set<String> {
        Set(try FileManager.default.subpathsOfDirectory(atPath: folder.path))
    }

    /// Issue 14 item 1: what is unchanged goes, every kind of entry, folders once empty; nothing is said.
    @Test func unchangedSourcesAreRemoved() throws {
        let folder = try makeSources()
        let finished = try move(["d", "top.txt"], in: folder) {}
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(finished.stderr.isEmpty, "\(finished.stderr)")
        #expect(try entries(folder).isEmpty)
    }

    /// A change between the sending and the removal, and what must be left afterwards.
    struct Change: Sendable, CustomStringConvertible {
        var description: String
        var apply: @Sendable (TemporaryDirectory) throws -> Void
        /// Entries left (beside what `apply` made outside the selection).
        var left: Set<String>
        /// Names the message must quote.
        var named: [String]
    }

    static let changes: [Change] = [
        Change(
            description: "permissions changed (ctime only)", apply: { #expect(chmod($0("d/f"), 0o600) == 0) },
            left: ["d", "d/f"], named: ["d/f", "d"]),
        Change(
            description: "same size, other mtime",
            apply: { try AgentTools.setTimes($0("d/sub/g"), atime: (1, 0), mtime: (1_000_000, 5)) },
            left: ["d", "d/sub", "d/sub/g"], named: ["d/sub/g", "d/sub", "d"]),
        Change(
            description: "empty file written to", apply: { try AgentTools.write($0("d/e"), [1]) },
            left: ["d", "d/e"], named: ["d/e", "d"]),
        Change(
            description: "link made again with the same target",
            apply: {
                #expect(unlink($0("d/l")) == 0)
                try FileManager.default.createSymbolicLink(atPath: $0("d/l"), withDestinationPath: "f")
            },
            left: ["d", "d/l"], named: ["d/l", "d"]),
        Change(
            description: "file added to a sent folder", apply: { try AgentTools.write($0("d/sub/new"), []) },
            left: ["d", "d/sub", "d/sub/new"], named: ["d/sub/new", "d/sub", "d"]),
        Change(
            description: "top-level file rewritten in place",
            apply: { try AgentTools.write($0("top.txt"), Array("TOP\n".utf8)) },
            left: ["top.txt"], named: ["top.txt"]),
        Change(
            // The removal must not follow the link to the sent entries' new place.
            description: "folder moved away, a link to it in its place",
            apply: {
                #expect(rename($0("d"), $0("moved")) == 0)
                try FileManager.default.createSymbolicLink(atPath: $0("d"), withDestinationPath: "moved")
            },
            left: ["d", "moved", "moved/f", "moved/e", "moved/l", "moved/sub", "moved/sub/g", "moved/empty"], named: ["d"]),
    ]

    /// Issue 14 item 1: an entry that is not exactly as it was sent (device, inode, type, size,
    /// mtime, ctime) is kept with every folder above it, and named in one sentence; the rest goes.
    @Test(arguments: changes)
    func changedAfterSendingIsKept(_ change: Change) throws {
        let folder = try makeSources()
        let finished = try move(["d", "top.txt"], in: folder) { try change.apply(folder) }
        #expect(finished.status == 3, "\(finished.stderr)")
        #expect(try entries(folder) == change.left, "\(finished.stderr)")
        let lines = finished.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(finished.stderr)")
        for name in change.named { #expect(finished.stderr.contains("\"\(name)\""), "\(finished.stderr)") }
    }

    /// Issue 14 item 1: names in the sentence are escaped (a newline cannot forge a line).
    @Test func keptNamesAreEscaped() throws {
        let folder = try TemporaryDirectory()
        try AgentTools.write(folder("two\nlines"), [1])
        let finished = try move(["two\nlines"], in: folder) { try AgentTools.write(folder("two\nlines"), [1, 2]) }
        #expect(finished.status == 3)
        #expect(finished.stderr.hasSuffix("\"two\\nlines\".\n"), "\(finished.stderr)")
        #expect(finished.stderr.split(separator: "\n").count == 1)
    }

    /// Issue 14 item 1: an argument whose folder went with an earlier argument (`d d/f`) is
    /// gone, not kept: nothing to name.
    @Test func argumentInsideAnEarlierOneIsNotReportedAsKept() throws {
        let folder = try makeSources()
        let finished = try move(["d", "d/f"], in: folder) {}
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(finished.stderr.isEmpty, "\(finished.stderr)")
        #expect(try entries(folder) == ["top.txt"])
    }

    /// Issue 14 item 1: two names of one file (a hard link) both go: removing the first
    /// changes the file's ctime, and that change, made by the move itself, is not a reason to
    /// keep the second.
    @Test func hardLinkedNamesAreAllRemoved() throws {
        let folder = try makeSources()
        #expect(link(folder("d/f"), folder("d/sub/f-again")) == 0)
        #expect(link(folder("d/f"), folder("top-link.txt")) == 0)
        let finished = try move(["d", "top-link.txt", "top.txt"], in: folder) {}
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(finished.stderr.isEmpty, "\(finished.stderr)")
        #expect(try entries(folder).isEmpty)
    }

    /// Issue 14 item 1: a failed transfer removes nothing.
    @Test func failedTransferRemovesNothing() throws {
        let folder = try makeSources()
        let before = try entries(folder)
        let finished = try move(["d", "top.txt"], in: folder, answer: .noSpace) {}
        #expect(finished.status == 1)
        #expect(try entries(folder) == before)
    }
}
