import FilecopyWire
import Foundation
import Testing
import TestSupport

/// What the agent sends for a tree: names, types, links never followed, skipped entries.
@Suite("Agent: walking the selection")
struct AgentWalkTests {
    static func names(_ stream: DecodedStream) -> [String] { stream.records.map(\.nameString) }

    static func record(_ stream: DecodedStream, _ name: String) -> StreamRecord? {
        stream.records.first { $0.nameString == name }
    }

    @Test func symlinksAreSentAsLinksAndNeverFollowed() throws {
        let folder = try TemporaryDirectory()
        try AgentTools.makeDirectory(folder("d/sub"))
        try AgentTools.write(folder("d/sub/inside.txt"), Array("inside".utf8))
        #expect(symlink("sub", folder("d/to-dir")) == 0)
        // Absolute and dangling on purpose: nothing on the host may ever be reached through it.
        #expect(symlink("/nonexistent-intervm-test/target", folder("d/absolute")) == 0)
        #expect(symlink("missing", folder("d/dangling")) == 0)
        let (finished, stream) = try AgentTools.sendAndAnswer([folder("d")])
        #expect(finished.status == 0, "\(finished.stderr)")
        for (name, target) in [("d/to-dir", "sub"), ("d/absolute", "/nonexistent-intervm-test/target"), ("d/dangling", "missing")] {
            let link = try #require(Self.record(stream, name))
            #expect(link.kind == .symlink)
            #expect(link.body == Array(target.utf8) && link.header.fileLength == UInt64(target.utf8.count))
        }
        #expect(!Self.names(stream).contains { $0.hasPrefix("d/to-dir/") })
        #expect(Self.record(stream, "d/sub/inside.txt")?.body == Array("inside".utf8))
    }

    @Test func aSymlinkArgumentIsSentAsALinkEvenWithATrailingSlash() throws {
        let folder = try TemporaryDirectory()
        try AgentTools.makeDirectory(folder("real"))
        #expect(symlink("real", folder("link")) == 0)
        let (finished, stream) = try AgentTools.sendAndAnswer([folder("link") + "/"])
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(stream.records.count == 1)
        #expect(stream.records.first?.kind == .symlink && stream.records.first?.body == Array("real".utf8))
    }

    @Test func ignoreSymlinksSkipsThem() throws {
        let folder = try TemporaryDirectory()
        try AgentTools.makeDirectory(folder("d"))
        try AgentTools.write(folder("d/file"), [1, 2, 3])
        #expect(symlink("file", folder("d/link")) == 0)
        #expect(symlink("d", folder("top-link")) == 0)
        let (finished, stream) = try AgentTools.sendAndAnswer(["--ignore-symlinks", folder("d"), folder("top-link")])
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(Self.names(stream) == ["d", "d/file", "d"])
    }

    @Test func fifosAreSkippedWithoutBlocking() throws {
        let folder = try TemporaryDirectory()
        try AgentTools.makeDirectory(folder("d"))
        #expect(mkfifo(folder("d/pipe"), 0o644) == 0)
        #expect(mkfifo(folder("top-pipe"), 0o644) == 0)
        try AgentTools.write(folder("d/file"), [7])
        let (finished, stream) = try AgentTools.sendAndAnswer(["-v", folder("d"), folder("top-pipe")])
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(Self.names(stream) == ["d", "d/file", "d"])
        #expect(finished.stderr.contains("\"d/pipe\""), "\(finished.stderr)")
        #expect(finished.stderr.contains("\"top-pipe\""), "\(finished.stderr)")
    }

    @Test("a trailing slash is ignored", arguments: ["/", "//"])
    func trailingSlash(_ suffix: String) throws {
        let folder = try TemporaryDirectory()
        try AgentTools.makeDirectory(folder("dir"))
        try AgentTools.write(folder("dir/x"), [1])
        let (finished, stream) = try AgentTools.sendAndAnswer([folder("dir") + suffix])
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(Self.names(stream) == ["dir", "dir/x", "dir"])
    }

    @Test func pathsAfterTheTerminatorMayStartWithADash() throws {
        let folder = try TemporaryDirectory()
        try AgentTools.write(folder("-v"), [1])
        try AgentTools.write(folder("--ignore-symlinks"), [2])
        let (finished, stream) = try AgentTools.sendAndAnswer(["--", "-v", "--ignore-symlinks"], currentDirectory: folder.path)
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(Self.names(stream) == ["-v", "--ignore-symlinks"])
        #expect(stream.records.map(\.body) == [[1], [2]])
    }

    @Test func dotArgumentIsSentUnderTheFolderName() throws {
        let folder = try TemporaryDirectory()
        try AgentTools.makeDirectory(folder("here"))
        try AgentTools.write(folder("here/x"), [1])
        let (finished, stream) = try AgentTools.sendAndAnswer(["."], currentDirectory: folder("here"))
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(Self.names(stream) == ["here", "here/x", "here"])
    }

    @Test func readOnlyAndNestedDirectoriesKeepTheirModesAndOrder() throws {
        let folder = try TemporaryDirectory()
        try AgentTools.makeDirectory(folder("top/a/b/c"))
        try AgentTools.write(folder("top/a/b/c/deep.txt"), Array("deep".utf8), mode: 0o600)
        try AgentTools.write(folder("top/a/one"), [1], mode: 0o640)
        try AgentTools.makeDirectory(folder("top/ro"))
        try AgentTools.write(folder("top/ro/kept"), [2], mode: 0o444)
        #expect(chmod(folder("top/ro"), 0o555) == 0)
        #expect(chmod(folder("top/a/b"), 0o750) == 0)
        let (finished, stream) = try AgentTools.sendAndAnswer([folder("top")])
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(Set(Self.names(stream)) == ["top", "top/a", "top/a/b", "top/a/b/c", "top/a/b/c/deep.txt", "top/a/one", "top/ro", "top/ro/kept"])
        #expect(stream.records.count == 13)
        AgentTools.expectDirectoryOrder(stream.records)
        #expect(Self.record(stream, "top/ro")?.header.mode == 0o040555)
        #expect(Self.record(stream, "top/a/b")?.header.mode == 0o040750)
        #expect(Self.record(stream, "top/ro/kept")?.header.mode == 0o100444)
        #expect(Self.record(stream, "top/a/b/c/deep.txt")?.header.mode == 0o100600)
    }

    @Test func timesAreSentToTheNanosecond() throws {
        let folder = try TemporaryDirectory()
        try AgentTools.write(folder("f"), [1])
        try AgentTools.setTimes(folder("f"), atime: (1_700_000_001, 999_999_999), mtime: (1_500_000_000, 1))
        let (_, stream) = try AgentTools.sendAndAnswer([folder("f")])
        let header = try #require(stream.records.first?.header)
        #expect(header.atime == 1_700_000_001 && header.atimeNanoseconds == 999_999_999)
        #expect(header.mtime == 1_500_000_000 && header.mtimeNanoseconds == 1)
    }

    @Test func multiMegabyteFileArrivesWhole() throws {
        let folder = try TemporaryDirectory()
        let content = AgentTools.pattern(5 << 20 + 12345)
        try AgentTools.write(folder("big.bin"), content)
        let (finished, stream) = try AgentTools.sendAndAnswer([folder("big.bin")])
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(stream.records.count == 1)
        #expect(stream.records.first?.header.fileLength == UInt64(content.count))
        #expect(stream.records.first?.body == content)
    }

    @Test func manySmallFilesAreAllSent() throws {
        let folder = try TemporaryDirectory()
        try AgentTools.makeDirectory(folder("many"))
        for index in 0..<3000 { try AgentTools.write(folder("many/\(index)"), index % 3 == 0 ? [] : [UInt8(index & 0xFF)]) }
        let (finished, stream) = try AgentTools.sendAndAnswer([folder("many")])
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(stream.records.count == 3002)
        #expect(Set(Self.names(stream)).count == 3001)
        AgentTools.expectDirectoryOrder(stream.records)
    }

    @Test func namesThatAreNotUTF8AreSentAsTheirBytes() throws {
        let folder = try TemporaryDirectory()
        try AgentTools.makeDirectory(folder("d"))
        let path = (Array(folder("d/").utf8) + [0x66, 0xFF, 0x0A, 0]).map { CChar(bitPattern: $0) }
        let created = open(path, O_CREAT | O_WRONLY, 0o644)
        try #require(created >= 0)
        close(created)
        let (finished, stream) = try AgentTools.sendAndAnswer([folder("d")])
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(stream.records.map(\.name).contains(Array("d/".utf8) + [0x66, 0xFF, 0x0A]))
    }

    @Test func missingArgumentIsNamedAndNothingIsSent() throws {
        let folder = try TemporaryDirectory()
        let finished = try run([AgentTools.agent, folder("nope")], stdin: [])
        #expect(finished.status == 1)
        #expect(finished.stderr.contains("\"\(folder("nope"))\"") && finished.stderr.contains("No such file"), "\(finished.stderr)")
        #expect(decodeStream(finished.stdout).records.isEmpty)
        #expect(!decodeStream(finished.stdout).ended)
    }

    @Test func unreadableFileIsNamedInWords() throws {
        let folder = try TemporaryDirectory()
        #expect(chmod(folder.path, 0o755) == 0)
        try AgentTools.makeDirectory(folder("d"))
        try AgentTools.write(folder("d/secret"), [1], mode: 0o000)
        #expect(chmod(folder("d"), 0o755) == 0)
        let finished = try run(
            ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", AgentTools.agent, folder("d")], stdin: [])
        #expect(finished.status == 1)
        #expect(finished.stderr == "qfile-agent: Cannot read \"d/secret\": Permission denied\n")
        #expect(!decodeStream(finished.stdout).ended)
    }

    @Test("a path that cannot be sent is refused", arguments: ["/", ""])
    func unsendable(_ argument: String) throws {
        let finished = try run([AgentTools.agent, argument], stdin: [])
        #expect(finished.status == 1)
        #expect(finished.stderr.contains("cannot be sent"), "\(finished.stderr)")
        #expect(finished.stdout.isEmpty)
    }
}
