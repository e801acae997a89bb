import FilecopyWire
import Foundation
import Glibc
import Testing
import TestSupport

/// A sender that stops sending but keeps the stream open: without an idle timeout the receiver
/// (and the unnamed file of a body in progress) would wait forever. The test holds the write
/// end of the receiver's stdin open and never writes again.
@Suite("Fault: the sender goes silent")
struct FaultIdleTimeoutTests {
    /// The receiver on an exclusive pipe the test writes into and keeps open.
    final class SilentSender {
        let root: TemporaryDirectory
        private let joined: PipeJoinedProgram
        var receiver: SpawnedProgram { joined.program }

        init(_ options: [String], home: String? = nil) throws {
            root = try TemporaryDirectory()
            try AgentTools.makeDirectory(root("incoming"))
            joined = try PipeJoinedProgram(
                [FaultTools.unpacker] + options + [String(getuid()), root("incoming")],
                environment: FaultTools.receiverEnvironment(home: home ?? root.path))
        }

        func send(_ bytes: [UInt8]) { #expect(FaultTools.writeAll(joined.input, bytes)) }

        func closeInput() { joined.closeInput() }

        /// The receiver's exit and answer once it has ended by itself (within `seconds`).
        func outcome(within seconds: Double = 60) throws -> (status: Int32, result: TransferResult) {
            let exit = try #require(receiver.wait(timeout: seconds), "the receiver is still waiting: \(receiver.stderr)")
            #expect(!exit.signalled)
            let result = try #require(joined.readAnswer(), "no result: \(receiver.stderr)")
            return (exit.status, result)
        }
    }

    static let pageOfData = AgentTools.pattern(300_000)

    /// `done.txt` complete, then where the sender goes silent, and the name the answer must
    /// carry: the previous record's between records, the one in progress inside a body.
    static let silences: [(label: String, prefix: [UInt8], lastName: String?)] = {
        var done = StreamBuilder()
        done.file("done.txt", "complete")
        var big = StreamBuilder()
        big.record(name: Array("big.bin".utf8), mode: 0o100644, fileLength: 1 << 20)
        let header = Array(big.bytes.prefix(32))
        return [
            ("before any byte", [], nil),
            ("after a whole record", done.bytes, "done.txt"),
            ("inside a header", done.bytes + header.prefix(16), "done.txt"),
            ("after a header, before its name", done.bytes + header, "done.txt"),
            ("after a name, before its body", done.bytes + big.bytes, "big.bin"),
            ("in the middle of a body", done.bytes + big.bytes + pageOfData, "big.bin"),
        ]
    }()

    /// Issue 14 item 3: a sender that sends nothing for `--idle-timeout` seconds ends the
    /// transfer with ETIMEDOUT (110) in the answer and the exit status, one line on stderr, the
    /// CRC-32 of everything sent, and nothing half-written left: only `done.txt` is there.
    @Test("a silent sender is ended with ETIMEDOUT", arguments: 0..<silences.count)
    func silentSenderIsEnded(_ index: Int) throws {
        let silence = Self.silences[index]
        let started = Date()
        let sender = try SilentSender(["--idle-timeout", "1"])
        sender.send(silence.prefix)
        let (status, result) = try sender.outcome()
        #expect(Date().timeIntervalSince(started) >= 1, "\(silence.label): ended before the timeout")
        #expect(status == 110, "\(silence.label): \(sender.receiver.stderr)")
        #expect(result.code == ResultCode(rawValue: 110), "\(silence.label)")
        #expect(result.lastName == silence.lastName.map { Array($0.utf8) }, "\(silence.label)")
        #expect(result.crc32 == CRC32.checksum(silence.prefix), "\(silence.label): CRC is not that of everything sent")
        #expect(
            sender.receiver.stderr == "qfile-unpacker: nothing arrived from the sender for 1 s (idle-timeout)\n",
            "\(silence.label): \(sender.receiver.stderr)")
        let expected: [String] = silence.prefix.isEmpty ? [] : ["done.txt"]
        #expect(entryTree(sender.root("incoming")) == Set(expected), "\(silence.label)")
    }

    /// Issue 14 item 3: `idle-timeout` in receiver.conf sets the timeout.
    @Test func settingsSetTheIdleTimeout() throws {
        let home = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: home(".config/intervm"), withIntermediateDirectories: true)
        try "idle-timeout = 1\n".write(toFile: home(".config/intervm/receiver.conf"), atomically: true, encoding: .utf8)
        let sender = try SilentSender([], home: home.path)
        let (status, result) = try sender.outcome()
        #expect(status == 110, "\(sender.receiver.stderr)")
        #expect(result.code == ResultCode(rawValue: 110))
    }

    /// Issue 14 item 3: `--idle-timeout 0` waits however long the sender is silent (and wins
    /// over receiver.conf's 1 second): still waiting after 3 seconds, then the rest arrives.
    @Test func zeroWaitsForever() throws {
        let home = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: home(".config/intervm"), withIntermediateDirectories: true)
        try "idle-timeout = 1\n".write(toFile: home(".config/intervm/receiver.conf"), atomically: true, encoding: .utf8)
        let sender = try SilentSender(["--idle-timeout", "0"], home: home.path)
        var wire = StreamBuilder()
        wire.file("late.txt", "at last")
        sender.send(Array(wire.bytes.prefix(40)))
        #expect(sender.receiver.wait(timeout: 3) == nil, "the receiver gave up: \(sender.receiver.stderr)")
        wire.end()
        sender.send(Array(wire.bytes.dropFirst(40)))
        sender.closeInput()
        let (status, result) = try sender.outcome()
        #expect(status == 0, "\(sender.receiver.stderr)")
        #expect(result.code == .success)
        #expect(FileManager.default.contents(atPath: sender.root("incoming/late.txt")) == Data("at last".utf8))
    }

    /// Issue 14 item 3: malformed values are one clear error.
    @Test("a bad --idle-timeout is a usage error", arguments: [["--idle-timeout", "soon"], ["--idle-timeout", "-1"], ["--idle-timeout"]])
    func badIdleTimeoutOption(_ words: [String]) throws {
        let finished = try run([FaultTools.unpacker] + words)
        #expect(finished.status == 2)
        #expect(finished.stderr.hasPrefix("qfile-unpacker: --idle-timeout "), "\(finished.stderr)")
        #expect(finished.stderr.split(separator: "\n").count == 1)
    }

    @Test func badIdleTimeoutSetting() throws {
        let home = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: home(".config/intervm"), withIntermediateDirectories: true)
        try "idle-timeout = 10m\n".write(toFile: home(".config/intervm/receiver.conf"), atomically: true, encoding: .utf8)
        let folder = try TemporaryDirectory()
        let finished = try run(
            [FaultTools.unpacker, String(getuid()), folder.path], environment: FaultTools.receiverEnvironment(home: home.path))
        #expect(finished.status == 5)
        #expect(decodeResult(finished.stdout)?.code == .ioError)
        #expect(finished.stderr.hasSuffix("receiver.conf:1: idle-timeout must be a whole number of seconds\n"), "\(finished.stderr)")
    }
}
