import FilecopyWire
import Foundation
import Glibc
import Testing
import TestSupport

/// Issue 15 item 6: a copy that fails because the name is taken fails before the data is
/// sent. The sender cannot see the target, so the receiver refuses a long body for a taken
/// name from its header, and the sender stops at the early answer.
@Suite("A taken name is refused before its data")
struct EarlyRefusalTests {
    /// The receiver answers EEXIST after the header and name of a 300 MB file whose name is
    /// taken, with the sender still holding the stream open and nothing of the body sent
    /// (without the check it would wait for the body, here until its idle timeout: 110).
    @Test func receiverAnswersFromTheHeader() throws {
        let sender = try FaultIdleTimeoutTests.SilentSender(["--idle-timeout", "5"])
        try Data("mine".utf8).write(to: URL(fileURLWithPath: sender.root("incoming/report.pdf")))
        var wire = StreamBuilder()
        wire.record(name: Array("report.pdf".utf8), mode: 0o100644, fileLength: 300_000_000)
        sender.send(wire.bytes)
        let (status, result) = try sender.outcome(within: 4)
        #expect(status == 17, "\(sender.receiver.stderr)")
        #expect(result.code == ResultCode(rawValue: 17))
        #expect(result.lastName == Array("report.pdf".utf8))
        #expect(try String(contentsOfFile: sender.root("incoming/report.pdf"), encoding: .utf8) == "mine")
    }

    /// `--on-conflict rename` takes the body in as before and stores it under another name.
    @Test func renameStillReceivesTheBody() throws {
        let sender = try FaultIdleTimeoutTests.SilentSender(["--on-conflict", "rename"])
        try Data("mine".utf8).write(to: URL(fileURLWithPath: sender.root("incoming/big.bin")))
        var wire = StreamBuilder()
        let body = AgentTools.pattern(1 << 20)
        wire.record(name: Array("big.bin".utf8), mode: 0o100644, fileLength: UInt64(body.count))
        wire.raw(body)
        wire.end()
        sender.send(wire.bytes)
        sender.closeInput()
        let (status, _) = try sender.outcome()
        #expect(status == 0, "\(sender.receiver.stderr)")
        #expect(FileManager.default.contents(atPath: sender.root("incoming/big (1).bin")) == Data(body))
    }

    /// End to end: qfile-agent sending a 64 MiB file to a receiver where the name is taken
    /// writes a few buffers, not the file (write(2) calls counted with strace).
    @Test(.enabled(if: access("/usr/bin/strace", X_OK) == 0, "needs strace"))
    func senderStopsAtTheEarlyAnswer() throws {
        let scratch = try TemporaryDirectory()
        try AgentTools.makeDirectory(scratch("incoming"))
        try Data("mine".utf8).write(to: URL(fileURLWithPath: scratch("incoming/big.bin")))
        let big = scratch("big.bin")
        _ = FileManager.default.createFile(atPath: big, contents: nil)
        truncate(big, 64 << 20)
        let (sender, receiver) = try runJoined(
            sender: ["/usr/bin/strace", "-f", "-c", "-e", "trace=write", "-o", scratch("writes"), AgentTools.agent, big],
            receiver: [Programs.path("qfile-unpacker"), String(getuid()), scratch("incoming")])
        #expect(receiver.status == 17, "\(receiver.stderr)")
        #expect(sender.status != 0)
        #expect(sender.stderr.contains("already exists"), "\(sender.stderr)")
        let summary = try String(contentsOfFile: scratch("writes"), encoding: .utf8)
        let calls = summary.split(separator: "\n").first { $0.hasSuffix(" write") }
            .flatMap { $0.split(separator: " ").dropLast().last.map { Int($0) } } ?? nil
        let writes = try #require(calls, "\(summary)")
        #expect(writes < 64, "the sender wrote \(writes) times (512 writes carry the whole file)")
    }
}
