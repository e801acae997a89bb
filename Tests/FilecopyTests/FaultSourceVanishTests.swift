import FilecopyWire
import Foundation
import Testing
import TestSupport

/// Source entries that vanish while the real qfile-agent sends them, received by the real
/// qfile-unpacker (the grow, shrink and rewrite cases are in AgentRobustnessTests).
@Suite("Fault: source entries vanish while being sent")
struct FaultSourceVanishTests {
    /// A folder with `first.bin` (larger than the agent's buffer, so the agent is blocked inside
    /// it) and the entries named in `later`, passed to the agent in that order.
    static func start(_ later: [String]) throws -> (TemporaryDirectory, PipedProgram, [UInt8]) {
        let source = try TemporaryDirectory()
        let content = AgentTools.pattern(AgentRobustnessTests.bigSize)
        try AgentTools.write(source("first.bin"), content)
        try AgentTools.makeDirectory(source("folder"))
        for name in later { try AgentTools.write(source("folder/" + name), Array(name.utf8)) }
        let agent = try PipedProgram([AgentTools.agent, "--verbose", source("first.bin"), source("folder")])
        #expect(agent.read(64 << 10).count == 64 << 10)
        return (source, agent, content)
    }

    /// Receives what the agent wrote, answering as the real receiver does.
    static func receive(_ stream: [UInt8]) throws -> (TemporaryDirectory, Finished) {
        let root = try TemporaryDirectory()
        try AgentTools.makeDirectory(root("incoming"))
        let finished = try run(
            [FaultTools.unpacker, String(getuid()), root("incoming")], stdin: stream,
            environment: FaultTools.receiverEnvironment(home: root.path))
        return (root, finished)
    }

    /// Reads the agent's whole stream, receives it and hands the receiver's answer back; returns
    /// the receiving root, the receiver's and the agent's ends.
    static func receiveToTheEnd(_ agent: PipedProgram) throws -> (TemporaryDirectory, Finished, Finished) {
        agent.read(until: { decodeStream($0).ended })
        let (root, received) = try receive(agent.received)
        agent.write(received.stdout)
        agent.closeInput()
        return (root, received, try #require(agent.wait(timeout: 10)))
    }

    /// Deleted while it is read: the agent holds it open, so the whole file as it was is sent,
    /// complete and with its own size; the receiver gets an exact copy.
    @Test func fileDeletedWhileSentArrivesWhole() throws {
        let (source, agent, content) = try Self.start(["x"])
        #expect(unlink(source("first.bin")) == 0)
        let (root, received, finished) = try Self.receiveToTheEnd(agent)
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(received.status == 0, "\(received.stderr)")
        #expect(FileManager.default.contents(atPath: root("incoming/first.bin")) == Data(content))
        #expect(entryTree(root("incoming")) == ["first.bin", "folder/", "folder/x"])
    }

    /// Deleted after its folder was listed but before the agent reached it: skipped with a
    /// note (with `--verbose`), and everything else arrives. The folder holds three files
    /// larger than the agent's buffer; whichever comes first in readdir order holds the agent
    /// while the other two are deleted.
    @Test func filesDeletedAfterTheirFolderWasListedAreSkipped() throws {
        let source = try TemporaryDirectory()
        try AgentTools.makeDirectory(source("folder"))
        var contents: [String: [UInt8]] = [:]
        // Each file is larger than the agent's buffer and its 1 MiB pipe together, so at most
        // one of them can have started when the agent stops to wait for the reader.
        for name in ["b1", "b2", "b3"] {
            contents[name] = AgentTools.pattern(3 << 20)
            try AgentTools.write(source("folder/" + name), contents[name]!)
        }
        let agent = try PipedProgram([AgentTools.agent, "--verbose", source("folder")])
        agent.read(64 << 10)
        Thread.sleep(forTimeInterval: 0.3)  // let the agent fill the pipe and block
        let started = String(decoding: agent.received, as: UTF8.self)
        let first = try #require(["b1", "b2", "b3"].first { started.contains("folder/" + $0) })
        let others = ["b1", "b2", "b3"].filter { $0 != first }
        for name in others { #expect(unlink(source("folder/" + name)) == 0) }
        let (root, received, finished) = try Self.receiveToTheEnd(agent)
        #expect(finished.status == 0, "\(finished.stderr)")
        for name in others {
            #expect(finished.stderr.contains("Skipped \"folder/\(name)\": it was removed while its folder was being sent"), "\(finished.stderr)")
        }
        #expect(received.status == 0)
        #expect(entryTree(root("incoming")) == ["folder/", "folder/" + first])
        #expect(FileManager.default.contents(atPath: root("incoming/folder/" + first)) == Data(contents[first]!))
    }

    /// A whole folder argument removed before the agent reaches it: a clear error, the stream
    /// is cut (no end header), and the receiver publishes only what was complete.
    @Test func folderArgumentRemovedBeforeItIsReachedIsAnError() throws {
        let (source, agent, content) = try Self.start(["x"])
        #expect(unlink(source("folder/x")) == 0 && rmdir(source("folder")) == 0)
        agent.readToEnd()
        let finished = try #require(agent.wait(timeout: 10))
        #expect(finished.status == 1)
        #expect(finished.stderr.contains("folder") && finished.stderr.contains("No such file"), "\(finished.stderr)")
        #expect(!decodeStream(finished.stdout).ended)
        let (root, received) = try Self.receive(finished.stdout)
        #expect(decodeResult(received.stdout)?.code == .truncatedBetweenRecords)
        #expect(FileManager.default.contents(atPath: root("incoming/first.bin")) == Data(content))
        #expect(entryTree(root("incoming")) == ["first.bin"])
    }
}
