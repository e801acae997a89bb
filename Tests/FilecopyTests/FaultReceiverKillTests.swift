import Foundation
import Testing
import TestSupport

/// The receiver dies (SIGKILL) during a transfer from the real qfile-agent: in the middle of a
/// file, and while the agent waits for the answer after the end header. The agent must exit
/// with status 1 and one clear line within a second, never hang.
@Suite("Fault: receiver killed mid-transfer")
struct FaultReceiverKillTests {
    enum Moment: String, CaseIterable, Sendable {
        /// The receiver has a file's unnamed O_TMPFILE open; it is stopped so the agent fills
        /// the pipe and blocks writing, then killed.
        case insideAFile = "inside a file"
        /// The whole (small) stream is in the pipe and the agent waits for the answer.
        case awaitingTheAnswer = "while the agent awaits the answer"
    }

    @Test(arguments: Moment.allCases)
    func agentEndsPromptlyWithAClearMessage(_ moment: Moment) throws {
        let source = try TemporaryDirectory()
        let root = try TemporaryDirectory()
        try AgentTools.makeDirectory(root("incoming"))
        try AgentTools.makeDirectory(root("home"))
        let size = moment == .insideAFile ? 64 << 20 : 100
        try AgentTools.write(source("file.bin"), [UInt8](repeating: 0x42, count: size))
        let joined = try JoinedPrograms(
            sender: [FaultTools.agent, source("file.bin")],
            receiver: [FaultTools.unpacker, String(getuid()), root("incoming")],
            receiverEnvironment: FaultTools.receiverEnvironment(home: root("home")))
        switch moment {
        case .insideAFile:
            let midFile = waitUntil(seconds: 20) { FaultTools.openDescriptors(joined.receiver.pid).contains { $0.hasSuffix("(deleted)") } }
            #expect(midFile, "the receiver never started the file")
            joined.receiver.send(SIGSTOP)
            // The agent blocks writing into the full pipe.
            #expect(waitUntil(seconds: 20) { FaultTools.isBlockedWritingPipe(joined.sender.pid) })
        case .awaitingTheAnswer:
            // The receiver is stopped before it answers; the agent sent everything and waits.
            joined.receiver.send(SIGSTOP)
            #expect(waitUntil(seconds: 20) { FaultTools.waitChannel(joined.sender.pid) == "do_sys_poll" || FaultTools.isBlockedReadingPipe(joined.sender.pid) })
        }
        #expect(joined.sender.wait(timeout: 0) == nil, "the agent ended before the receiver was killed")
        joined.receiver.send(SIGKILL)
        let killed = Date()
        let exit = try #require(joined.sender.wait(timeout: 10), "the agent hangs after the receiver died")
        let elapsed = Date().timeIntervalSince(killed)
        #expect(elapsed < 1, "the agent took \(elapsed) s to notice")
        #expect(exit.status == 1 && !exit.signalled)
        #expect(joined.sender.stderr == "qfile-agent: The receiving VM ended the transfer without an answer\n")
        #expect(joined.receiver.wait(timeout: 10)?.signalled == true)
        #expect(entryTree(root("incoming")).isEmpty, "a file was published by a receiver that died")
    }
}
