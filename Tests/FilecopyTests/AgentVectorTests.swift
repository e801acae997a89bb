import FilecopyWire
import Foundation
import Testing
import TestSupport

/// The agent must write exactly what Qubes' sender wrote for the same files, and accept only
/// a correct answer.
@Suite("Agent: Qubes vectors and answers")
struct AgentVectorTests {
    /// Recreates the single entry of vector `name` in `folder`; returns the path to pass to the agent.
    static func recreate(_ name: String, in folder: TemporaryDirectory) throws -> String {
        let records = decodeStream(try AgentTools.vector(name + ".stream")).records
        try #require(records.count == 1)
        try AgentTools.materialize(records, in: folder.path)
        return folder(records[0].nameString)
    }

    @Test("byte-identical stream and success", arguments: ["single", "empty", "utf8"])
    func sameStreamAsQubes(_ name: String) throws {
        let folder = try TemporaryDirectory()
        let path = try Self.recreate(name, in: folder)
        let finished = try run([AgentTools.agent, path], stdin: try AgentTools.vector(name + ".result"))
        #expect(finished.stdout == (try AgentTools.vector(name + ".stream")))
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(finished.stderr.isEmpty)
    }

    @Test func treeHasTheSameRecordsInAValidOrder() throws {
        let folder = try TemporaryDirectory()
        let expected = decodeStream(try AgentTools.vector("tree.stream"))
        try AgentTools.materialize(expected.records, in: folder.path)
        let (finished, stream) = try AgentTools.sendAndAnswer([folder("tree")])
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(stream.ended && stream.trailing == 0)
        #expect(AgentTools.multiset(stream.records) == AgentTools.multiset(expected.records))
        #expect(stream.records.first?.nameString == "tree" && stream.records.last?.nameString == "tree")
        AgentTools.expectDirectoryOrder(stream.records)
    }

    @Test func resultWithoutTheNameExtensionIsAccepted() throws {
        let folder = try TemporaryDirectory()
        let path = try Self.recreate("single", in: folder)
        let result = Array(try AgentTools.vector("single.result").prefix(TransferResult.fixedSize))
        let finished = try run([AgentTools.agent, path], stdin: result)
        #expect(finished.status == 0, "\(finished.stderr)")
    }

    @Test func wrongChecksumFails() throws {
        let folder = try TemporaryDirectory()
        let path = try Self.recreate("single", in: folder)
        var result = try AgentTools.vector("single.result")
        result[8] ^= 0x01
        let finished = try run([AgentTools.agent, path], stdin: result)
        #expect(finished.status == 1)
        #expect(finished.stderr.contains("checksums"), "\(finished.stderr)")
    }

    @Test func errorCodeIsReportedInWordsNamingTheFile() throws {
        let folder = try TemporaryDirectory()
        let path = try Self.recreate("single", in: folder)
        let answer = TransferResult(code: .exists, crc32: 0, lastName: Array("single.txt".utf8))
        let finished = try run([AgentTools.agent, path], stdin: answer.encoded)
        #expect(finished.status == 1)
        #expect(finished.stderr.hasPrefix("qfile-agent: A file named \"single.txt\" already exists in the target VM's QubesIncoming folder and was left alone; to keep both, set on-conflict = rename in"))
    }

    @Test func hostileNameInTheAnswerIsEscaped() throws {
        let folder = try TemporaryDirectory()
        let path = try Self.recreate("single", in: folder)
        let hostile = Array("x\nqfile-agent: all fine\u{1B}[2K\u{202E}txt.exe".utf8) + [0xFF]
        let answer = TransferResult(code: .invalidName, crc32: 0, lastName: hostile)
        let finished = try run([AgentTools.agent, path], stdin: answer.encoded)
        #expect(finished.status == 1)
        #expect(finished.stderr.filter { $0 == "\n" }.count == 1, "one line only: \(finished.stderr)")
        #expect(finished.stderr.contains("x\\nqfile-agent: all fine\\u{001B}[2K\\u{202E}txt.exe\\xFF"), "\(finished.stderr)")
    }

    @Test("a malformed or missing answer fails", arguments: [
        ("incomplete", 10), ("without an answer", 0),
    ])
    func brokenAnswer(_ message: String, _ length: Int) throws {
        let folder = try TemporaryDirectory()
        let path = try Self.recreate("single", in: folder)
        let result = Array(try AgentTools.vector("single.result").prefix(length))
        let finished = try run([AgentTools.agent, path], stdin: result)
        #expect(finished.status == 1)
        #expect(finished.stderr.contains(message), "\(finished.stderr)")
    }

    @Test func absurdNameLengthInTheAnswerIsInvalid() throws {
        let folder = try TemporaryDirectory()
        let path = try Self.recreate("single", in: folder)
        var result = Array(try AgentTools.vector("single.result").prefix(TransferResult.fixedSize))
        result += [0xFF, 0xFF, 0xFF, 0x7F]
        let finished = try run([AgentTools.agent, path], stdin: result)
        #expect(finished.status == 1)
        #expect(finished.stderr.contains("invalid answer"), "\(finished.stderr)")
    }

    @Test func checksumFieldAbove32BitsIsInvalid() throws {
        let folder = try TemporaryDirectory()
        let path = try Self.recreate("single", in: folder)
        var result = try AgentTools.vector("single.result")
        result[12] = 1
        let finished = try run([AgentTools.agent, path], stdin: result)
        #expect(finished.status == 1)
        #expect(finished.stderr.contains("invalid answer"), "\(finished.stderr)")
    }
}
