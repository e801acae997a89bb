import FilecopyWire
import Foundation
import Testing
import TestSupport

/// Files that change while they are sent, receivers that answer early or vanish, and progress.
@Suite("Agent: changing files, early answers, vanished receivers, progress")
struct AgentRobustnessTests {
    static let bigSize = 8 << 20

    /// A folder holding `big.bin` of `bigSize` patterned bytes, with times that reading it will
    /// not change (atime after mtime and recent), so its record is predictable.
    static func bigFile() throws -> (TemporaryDirectory, [UInt8]) {
        let folder = try TemporaryDirectory()
        let content = AgentTools.pattern(bigSize)
        try AgentTools.write(folder("big.bin"), content)
        let now = Int(Date().timeIntervalSince1970)
        try AgentTools.setTimes(folder("big.bin"), atime: (now - 10, 5), mtime: (now - 20, 7))
        return (folder, content)
    }

    /// Starts the agent on `big.bin` and reads until it is blocked on the full pipe, holding
    /// most of the file in its buffer or still to read.
    static func startBlocked(_ folder: TemporaryDirectory) throws -> PipedProgram {
        let agent = try PipedProgram([AgentTools.agent, folder("big.bin")])
        #expect(agent.read(64 << 10).count == 64 << 10)
        return agent
    }

    @Test func fileThatShrinksWhileSentCutsTheStreamInsideItsRecord() throws {
        let (folder, _) = try Self.bigFile()
        let agent = try Self.startBlocked(folder)
        #expect(truncate(folder("big.bin"), off_t(2 << 20)) == 0)
        agent.readToEnd()
        let finished = try #require(agent.wait(timeout: 10))
        #expect(finished.status == 1)
        #expect(finished.stderr == "qfile-agent: File \"big.bin\" changed while it was being sent\n")
        let stream = decodeStream(finished.stdout)
        #expect(stream.records.isEmpty && !stream.ended)
        #expect(stream.truncatedRecord?.fileLength == UInt64(Self.bigSize))
        #expect(stream.truncatedRecordBytes <= (2 << 20) + 8)
    }

    @Test func fileThatGrowsWhileSentNeverCompletesItsRecord() throws {
        let (folder, content) = try Self.bigFile()
        let agent = try Self.startBlocked(folder)
        let handle = try #require(FileHandle(forWritingAtPath: folder("big.bin")))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([1, 2, 3]))
        try handle.close()
        agent.readToEnd()
        let finished = try #require(agent.wait(timeout: 10))
        #expect(finished.status == 1)
        #expect(finished.stderr == "qfile-agent: File \"big.bin\" changed while it was being sent\n")
        let stream = decodeStream(finished.stdout)
        #expect(stream.records.isEmpty && !stream.ended)
        #expect(stream.truncatedRecord?.fileLength == UInt64(content.count))
        // Name + NUL, then less than the whole body: the last chunk was held back.
        #expect(stream.truncatedRecordBytes < 8 + content.count)
    }

    @Test func fileRewrittenInPlaceWhileSentIsAnError() throws {
        let (folder, _) = try Self.bigFile()
        let agent = try Self.startBlocked(folder)
        let handle = try #require(FileHandle(forWritingAtPath: folder("big.bin")))
        try handle.write(contentsOf: Data([9]))
        try handle.close()
        agent.readToEnd()
        let finished = try #require(agent.wait(timeout: 10))
        #expect(finished.status == 1)
        #expect(finished.stderr.contains("changed while it was being sent"), "\(finished.stderr)")
        #expect(!decodeStream(finished.stdout).ended)
    }

    @Test func swappingTheTreeForALinkWhileItIsSentDoesNotRedirectTheWalk() throws {
        // Every file is larger than the agent's buffer, so whatever the readdir order, the agent
        // blocks inside the first file it meets and everything else is still to come.
        let folder = try TemporaryDirectory()
        let names = ["top/a.bin", "top/b.bin", "top/c.bin", "top/sub/inner.bin"]
        var contents: [String: [UInt8]] = [:]
        try AgentTools.makeDirectory(folder("top/sub"))
        try AgentTools.makeDirectory(folder("elsewhere/sub"))
        for name in names {
            contents[name] = AgentTools.pattern(3 << 19)
            try AgentTools.write(folder(name), contents[name]!)
            try AgentTools.write(folder("elsewhere" + name.dropFirst(3)), Array("planted".utf8))
        }
        try AgentTools.write(folder("elsewhere/planted.txt"), Array("planted".utf8))

        let agent = try PipedProgram([AgentTools.agent, folder("top")])
        agent.read(64 << 10)
        // While the agent is blocked, the tree is moved away and a link to other files takes its place.
        #expect(rename(folder("top"), folder("moved")) == 0)
        #expect(symlink("elsewhere", folder("top")) == 0)
        agent.read(until: { decodeStream($0).ended })
        agent.write(TransferResult(code: .success, crc32: CRC32.checksum(agent.received), lastName: nil).encoded)
        agent.closeInput()
        let finished = try #require(agent.wait())
        #expect(finished.status == 0, "\(finished.stderr)")
        let records = decodeStream(finished.stdout).records
        #expect(Set(records.map(\.nameString)) == Set(names + ["top", "top/sub"]))
        for record in records where record.kind == .regular {
            #expect(record.body == contents[record.nameString], "\(record.nameString)")
        }
    }

    @Test func receiverThatDisappearsEndsTheAgentWithoutHanging() throws {
        let (folder, _) = try Self.bigFile()
        let agent = try Self.startBlocked(folder)
        agent.closeOutput()
        agent.closeInput()
        let finished = try #require(agent.wait(timeout: 5), "the agent hung after the receiver went away")
        #expect(finished.status == 1)
        #expect(!finished.signalled)
        #expect(finished.stderr == "qfile-agent: The receiving VM ended the transfer without an answer\n")
    }

    @Test func receiverThatStopsReadingAfterAnErrorAnswerIsReported() throws {
        let (folder, _) = try Self.bigFile()
        let agent = try Self.startBlocked(folder)
        agent.write(TransferResult(code: .noSpace, crc32: 0, lastName: Array("big.bin".utf8)).encoded)
        agent.closeInput()
        agent.closeOutput()
        let finished = try #require(agent.wait(timeout: 5))
        #expect(finished.status == 1)
        #expect(finished.stderr == "qfile-agent: There is no space left in the target VM for \"big.bin\"\n")
    }

    @Test func earlyErrorAnswerStopsTheTransferPromptly() throws {
        let (folder, content) = try Self.bigFile()
        let agent = try Self.startBlocked(folder)
        agent.write(TransferResult(code: .limitExceeded, crc32: 0, lastName: Array("big.bin".utf8)).encoded)
        agent.closeInput()
        agent.readToEnd()
        let finished = try #require(agent.wait(timeout: 10))
        #expect(finished.status == 1)
        #expect(finished.stderr.contains("limits"), "\(finished.stderr)")
        let stream = decodeStream(finished.stdout)
        #expect(!stream.ended)
        // It stopped at the next buffer boundary, long before the end of the file.
        #expect(stream.truncatedRecordBytes < content.count / 2)
    }

    @Test func earlySuccessAnswerDoesNotStopTheTransfer() throws {
        let (folder, content) = try Self.bigFile()
        var info = stat()
        #expect(lstat(folder("big.bin"), &info) == 0)
        var expected = StreamBuilder()
        expected.record(
            name: Array("big.bin".utf8), mode: info.st_mode, body: content,
            times: (UInt32(info.st_atim.tv_sec), UInt32(info.st_atim.tv_nsec), UInt32(info.st_mtim.tv_sec), UInt32(info.st_mtim.tv_nsec)))
        expected.end()
        // The whole answer is waiting before the first byte is sent (a ready-made result).
        let answer = TransferResult(code: .success, crc32: expected.crc32, lastName: Array("big.bin".utf8))
        let finished = try run([AgentTools.agent, folder("big.bin")], stdin: answer.encoded)
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(finished.stdout == expected.bytes)
    }

    @Test func earlySuccessWithTheWrongChecksumStillFailsAtTheEnd() throws {
        let (folder, _) = try Self.bigFile()
        let answer = TransferResult(code: .success, crc32: 12345, lastName: Array("big.bin".utf8))
        let finished = try run([AgentTools.agent, folder("big.bin")], stdin: answer.encoded)
        #expect(finished.status == 1)
        #expect(decodeStream(finished.stdout).ended, "the transfer ran to its end")
        #expect(finished.stderr.contains("checksums"), "\(finished.stderr)")
    }

    /// Issue 15 item 7: progress is for a person at a terminal. With stderr a pipe or a log
    /// file, nothing but messages goes there: no carriage returns, no progress lines.
    @Test func consoleProgressStaysOutOfPipesAndLogs() throws {
        let (folder, content) = try Self.bigFile()
        let (finished, _) = try AgentTools.sendAndAnswer(
            [folder("big.bin")], environment: ["PROGRESS_TYPE": "console", "FILECOPY_TOTAL_BYTES": String(content.count)])
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(finished.stderr.isEmpty, "\(finished.stderr.debugDescription)")
    }

    /// Issue 15 item 7: on a terminal (a pseudo-terminal made by script(1)), one line redrawn in
    /// place with the percentage, sizes, rate and time left, ending at 100% with a newline.
    @Test(.enabled(if: access("/usr/bin/script", X_OK) == 0, "needs script(1) from util-linux"))
    func consoleProgressOnATerminal() throws {
        let (folder, content) = try Self.bigFile()
        let scratch = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: scratch("in"), withIntermediateDirectories: false)
        let shell = """
            mkfifo "$1/to-receiver" "$1/to-sender"
            "$2" "$(id -u)" "$1/in" <"$1/to-receiver" >"$1/to-sender" &
            export AGENT="$3" FILE="$4" TO_RECEIVER="$1/to-receiver" TO_SENDER="$1/to-sender"
            script -qefc '"$AGENT" "$FILE" >"$TO_RECEIVER" <"$TO_SENDER"' /dev/null >"$1/terminal"
            status=$?
            wait
            exit $status
            """
        let finished = try run(
            ["/bin/sh", "-c", shell, "sh", scratch.path, Programs.path("qfile-unpacker"), AgentTools.agent, folder("big.bin")],
            environment: ["PATH": "/usr/bin:/bin", "PROGRESS_TYPE": "console", "FILECOPY_TOTAL_BYTES": String(content.count)])
        #expect(finished.status == 0, "\(finished.stderr)")
        let terminal = String(decoding: try #require(FileManager.default.contents(atPath: scratch("terminal"))), as: UTF8.self)
        let redraws = terminal.split(separator: "\r", omittingEmptySubsequences: true).filter { $0.contains("%") }
        #expect(!redraws.isEmpty, "\(terminal.debugDescription)")
        let last = try #require(redraws.last)
        #expect(last.hasPrefix("100%  "), "\(last.debugDescription)")
        #expect(last.contains(" of ") && last.contains(" left"), "\(last.debugDescription)")
        #expect(terminal.hasSuffix("\u{1B}[K\r\n"), "the line is finished: \(terminal.debugDescription)")
    }

    @Test func guiProgressWritesCumulativeByteCounts() throws {
        let (folder, content) = try Self.bigFile()
        try AgentTools.write(folder("small"), [1, 2, 3])
        // Descriptor 2 is the captured stderr, so the counts can be read back.
        let (finished, _) = try AgentTools.sendAndAnswer(
            [folder("big.bin"), folder("small")], environment: ["PROGRESS_TYPE": "gui", "SAVED_FD_1": "2"])
        #expect(finished.status == 0, "\(finished.stderr)")
        let counts = finished.stderr.split(separator: "\n").map { UInt64($0) }
        #expect(!counts.isEmpty && counts.allSatisfy { $0 != nil }, "\(finished.stderr)")
        let values = counts.compactMap { $0 }
        #expect(values == values.sorted())
        #expect(values.last == UInt64(content.count + 3))
    }

    @Test func noProgressWithoutTheEnvironment() throws {
        let (folder, _) = try Self.bigFile()
        let (finished, _) = try AgentTools.sendAndAnswer([folder("big.bin")], environment: ["PROGRESS_TYPE": "console"])
        #expect(finished.status == 0)
        #expect(finished.stderr.isEmpty, "no total, no console progress: \(finished.stderr)")
    }
}
