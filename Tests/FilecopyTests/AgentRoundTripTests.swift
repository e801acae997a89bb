import FilecopyWire
import Foundation
import Testing
import TestSupport

/// qfile-agent and qfile-unpacker joined as qrexec joins them: the tree that arrives must be
/// the tree that was sent.
@Suite("Agent and receiver: round trip")
struct AgentRoundTripTests {
    enum Kind { case directory, file([UInt8]), link(String) }

    struct Entry {
        var path: String
        var kind: Kind
        var mode: mode_t
        var atime: (Int, Int)
        var mtime: (Int, Int)
    }

    /// Nested and read-only directories, empty and multi-megabyte files, UTF-8 names and
    /// relative links, each with its own mode and nanosecond times.
    static func entries() -> [Entry] {
        var entries: [Entry] = []
        func add(_ path: String, _ kind: Kind, _ mode: mode_t) {
            let second = 1_600_000_000 + entries.count * 1000
            entries.append(Entry(
                path: path, kind: kind, mode: mode, atime: (second + 500, 100_000_000 + entries.count * 7 + 1),
                mtime: (second, 900_000_000 + entries.count * 13 + 3)))
        }
        add("tree", .directory, 0o755)
        add("tree/empty", .file([]), 0o644)
        add("tree/big.bin", .file(AgentTools.pattern(3 << 20 + 4321)), 0o640)
        add("tree/Zażółć gęślą jaźń.txt", .file(Array("zażółć\n".utf8)), 0o600)
        add("tree/sub", .directory, 0o750)
        add("tree/sub/deeper", .directory, 0o700)
        add("tree/sub/deeper/n.txt", .file(Array("nested\n".utf8)), 0o664)
        add("tree/sub/link-to-empty", .link("../empty"), 0o777)
        add("tree/sub/deeper/up", .link("../../big.bin"), 0o777)
        add("tree/ro", .directory, 0o555)
        add("tree/ro/kept", .file(Array("read only\n".utf8)), 0o444)
        add("tree/ro/inner", .directory, 0o500)
        add("tree/ro/inner/x", .file([0, 1, 2, 255]), 0o400)
        add("tree/Ελληνικά", .directory, 0o755)
        add("tree/Ελληνικά/файл.txt", .file(Array("кириллица\n".utf8)), 0o644)
        return entries
    }

    static func create(_ entries: [Entry], in folder: TemporaryDirectory) throws {
        for entry in entries {
            switch entry.kind {
            case .directory: try AgentTools.makeDirectory(folder(entry.path))
            case .file(let content): try AgentTools.write(folder(entry.path), content)
            case .link(let target): #expect(symlink(target, folder(entry.path)) == 0)
            }
        }
        for entry in entries.reversed() {
            if case .link = entry.kind {} else { #expect(chmod(folder(entry.path), entry.mode) == 0) }
            try AgentTools.setTimes(folder(entry.path), atime: entry.atime, mtime: entry.mtime)
        }
    }

    @Test func treeArrivesIdentical() throws {
        let source = try TemporaryDirectory()
        let destination = try TemporaryDirectory()
        let entries = Self.entries()
        try Self.create(entries, in: source)

        let (sender, receiver) = try runJoined(
            sender: [AgentTools.agent, source("tree")],
            receiver: [Programs.path("qfile-unpacker"), String(getuid()), destination.path])
        #expect(sender.status == 0, "\(sender.stderr)")
        #expect(receiver.status == 0, "\(receiver.stderr)")
        #expect(sender.stderr.isEmpty, "\(sender.stderr)")

        // Every lstat before any read, so reading cannot disturb the access times compared.
        var arrived: [String: stat] = [:]
        for entry in entries {
            var info = stat()
            #expect(lstat(destination(entry.path), &info) == 0, "\(entry.path) missing")
            arrived[entry.path] = info
        }
        #expect(
            (try FileManager.default.subpathsOfDirectory(atPath: destination.path)).count == entries.count,
            "nothing extra arrived")
        for entry in entries {
            guard let info = arrived[entry.path] else { continue }
            switch entry.kind {
            case .directory:
                #expect(info.st_mode & S_IFMT == S_IFDIR, "\(entry.path)")
            case .file(let content):
                #expect(info.st_mode & S_IFMT == S_IFREG, "\(entry.path)")
                #expect(FileManager.default.contents(atPath: destination(entry.path)) == Data(content), "\(entry.path)")
            case .link(let target):
                #expect(info.st_mode & S_IFMT == S_IFLNK, "\(entry.path)")
                #expect(try FileManager.default.destinationOfSymbolicLink(atPath: destination(entry.path)) == target)
                continue  // link modes and times are not carried over
            }
            #expect(info.st_mode & 0o777 == entry.mode, "\(entry.path) mode \(String(info.st_mode, radix: 8))")
            #expect(info.st_atim.tv_sec == entry.atime.0 && info.st_atim.tv_nsec == entry.atime.1, "\(entry.path) atime")
            #expect(info.st_mtim.tv_sec == entry.mtime.0 && info.st_mtim.tv_nsec == entry.mtime.1, "\(entry.path) mtime")
        }
    }

    @Test func receiverRefusalReachesTheUserInWords() throws {
        let source = try TemporaryDirectory()
        let destination = try TemporaryDirectory()
        try AgentTools.write(source("taken.txt"), Array("new".utf8))
        try AgentTools.write(destination("taken.txt"), Array("old".utf8))
        let (sender, receiver) = try runJoined(
            sender: [AgentTools.agent, source("taken.txt")],
            receiver: [Programs.path("qfile-unpacker"), String(getuid()), destination.path])
        #expect(receiver.status != 0)
        #expect(sender.status == 1)
        #expect(sender.stderr.hasPrefix("qfile-agent: A file named \"taken.txt\" already exists in the target VM's QubesIncoming folder and was left alone; to keep both, set on-conflict = rename in"))
        #expect(FileManager.default.contents(atPath: destination("taken.txt")) == Data("old".utf8))
    }

    @Test func fileChangedWhileSentIsNotPublishedByTheReceiver() throws {
        // The agent cuts the stream inside the record; the receiver must publish nothing for it.
        let source = try TemporaryDirectory()
        let destination = try TemporaryDirectory()
        try AgentTools.write(source("big.bin"), AgentTools.pattern(8 << 20))
        let agent = try PipedProgram([AgentTools.agent, source("big.bin")])
        agent.read(64 << 10)
        #expect(truncate(source("big.bin"), off_t(1 << 20)) == 0)
        agent.readToEnd()
        let sent = try #require(agent.wait(timeout: 10))
        #expect(sent.status == 1)
        let received = try run([Programs.path("qfile-unpacker"), String(getuid()), destination.path], stdin: sent.stdout)
        #expect(decodeResult(received.stdout)?.code == .truncatedInsideRecord)
        #expect((try FileManager.default.contentsOfDirectory(atPath: destination.path)).isEmpty)
    }
}
