import FilecopyWire
import Foundation
import Testing
import TestSupport

/// The sender dies (SIGKILL) at 50 seeded-random points of a real qfile-agent stream, half of
/// them inside a 32-byte header and half inside a name or a file body. The "sender" is a shell
/// that writes the stream's first N bytes into the receiver's pipe and then waits; once the
/// receiver has read them all and blocks for more, the shell is killed. The receiver must
/// answer 121 (cut between records or inside a header) or 31415926 (inside a record), keep
/// exactly the complete records, and leave no temporary file: its unnamed O_TMPFILE is seen
/// in /proc/PID/fd while the body is cut, and is gone with the process.
@Suite("Fault: sender killed mid-header and mid-file")
struct FaultSenderKillTests {
    static let seed: UInt64 = 0x5EED_F11E_C0DE
    static let runs = 50

    /// A real agent-made stream of a tree (folders, files of 200 KB to 1.5 MB, a link, an
    /// empty file), recorded once, with the start of every record.
    static let recorded: (bytes: [UInt8], starts: [Int], records: [StreamRecord]) = {
        let source = try! TemporaryDirectory()
        try! FaultTools.makeTree(in: source.path, name: "tree", files: 5, size: 200_000)
        try! AgentTools.write(source("tree/d1/large.bin"), AgentTools.pattern(3 << 19))
        let (finished, stream) = try! AgentTools.sendAndAnswer([source("tree")])
        precondition(finished.status == 0 && stream.ended, finished.stderr)
        var starts: [Int] = []
        var offset = 0
        for record in stream.records {
            starts.append(offset)
            offset += FileHeader.size + record.name.count + 1 + record.body.count
        }
        return (finished.stdout, starts, stream.records)
    }()

    /// The cut points: even runs, a byte inside the header of any record (or just before it);
    /// odd runs, a byte inside the name or body of a non-empty file.
    static let cuts: [Int] = {
        var random = SeededRandom(seed: seed)
        let (bytes, starts, records) = recorded
        let files = records.indices.filter { records[$0].kind == .regular && !records[$0].body.isEmpty }
        return (0..<runs).map { run in
            let index = run % 2 == 0 ? Int.random(in: 0..<starts.count, using: &random) : files.randomElement(using: &random)!
            let start = starts[index]
            let end = index + 1 < starts.count ? starts[index + 1] : bytes.count - FileHeader.size
            if run % 2 == 0 { return start + Int.random(in: 0..<FileHeader.size, using: &random) }
            return Int.random(in: (start + FileHeader.size)..<end, using: &random)
        }
    }()

    @Test func killedSenderLeavesOnlyCompleteEntries() throws {
        let streamFile = try TemporaryDirectory()
        try Data(Self.recorded.bytes).write(to: URL(fileURLWithPath: streamFile("stream")))
        var cutInsideBody = 0
        for (run, cut) in Self.cuts.enumerated() {
            try Self.killSender(at: cut, run: run, streamFile: streamFile("stream"), cutInsideBody: &cutInsideBody)
        }
        // The seeded cuts cover both kinds of interesting point.
        #expect(cutInsideBody >= 20)
    }

    static func killSender(at cut: Int, run: Int, streamFile: String, cutInsideBody: inout Int) throws {
        let root = try TemporaryDirectory()
        try AgentTools.makeDirectory(root("incoming"))
        try AgentTools.makeDirectory(root("home"))
        let wire = Array(recorded.bytes.prefix(cut))
        let decoded = decodeStream(wire)
        let insideRecord = decoded.truncatedRecord != nil
        let expectedCode: ResultCode = insideRecord ? .truncatedInsideRecord : .truncatedBetweenRecords
        // An unnamed file is open while a regular file's body is cut after its name.
        let bodyCut = decoded.truncatedRecord.map { $0.kind == .regular && $0.fileLength > 0 && decoded.truncatedRecordBytes >= Int($0.nameLength) } ?? false
        if bodyCut { cutInsideBody += 1 }

        let forward = try ExclusivePipe()
        let answer = try ExclusivePipe()
        let receiver = try SpawnedProgram(
            [FaultTools.unpacker, String(getuid()), root("incoming")],
            environment: FaultTools.receiverEnvironment(home: root("home")), stdin: forward.readEnd, stdout: answer.writeEnd)
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        let sender = try SpawnedProgram(
            ["/bin/sh", "-c", "head -c \(cut) \"$0\" && exec sleep 1000", streamFile], stdin: devNull, stdout: forward.writeEnd)
        close(devNull)
        close(forward.readEnd)
        close(forward.writeEnd)
        close(answer.writeEnd)
        defer { close(answer.readEnd) }

        // Wait until the shell has written everything (it became `sleep`) and the receiver has
        // read it all and blocks for more.
        let settled = waitUntil(seconds: 20) {
            (try? String(contentsOfFile: "/proc/\(sender.pid)/comm", encoding: .utf8)) == "sleep\n"
                && FaultTools.isBlockedReadingPipe(receiver.pid)
        }
        #expect(settled, "run \(run), cut \(cut): receiver never blocked for more input")
        let descriptors = FaultTools.openDescriptors(receiver.pid)
        if bodyCut {
            #expect(descriptors.contains { $0.hasSuffix("(deleted)") }, "run \(run): no unnamed file open mid-body: \(descriptors)")
        }
        sender.send(SIGKILL)
        _ = sender.wait(timeout: 10)
        let exit = try #require(receiver.wait(timeout: 20), "run \(run): receiver did not end after the sender died")
        var answerBytes = [UInt8](repeating: 0, count: 1 << 16)
        let count = answerBytes.withUnsafeMutableBytes { read(answer.readEnd, $0.baseAddress!, $0.count) }
        let result = try #require(decodeResult(Array(answerBytes.prefix(max(count, 0)))), "run \(run): no result")

        let label = "run \(run), cut at \(cut) of \(recorded.bytes.count)"
        #expect(!exit.signalled, "\(label): \(receiver.stderr)")
        #expect(result.code == expectedCode, "\(label): code \(result.code)")
        #expect(exit.status == expectedCode.exitStatus, "\(label)")
        #expect(result.crc32 == CRC32.checksum(wire), "\(label): CRC is not that of everything sent")
        // Only complete records, each exactly as sent; no temporary or partial name.
        #expect(entryTree(root("incoming")) == FaultTools.tree(of: decoded.records), "\(label)")
        for record in decoded.records where record.kind == .regular {
            #expect(FileManager.default.contents(atPath: root("incoming/" + record.nameString)) == Data(record.body), "\(label): \(record.nameString)")
        }
        #expect(!FileManager.default.fileExists(atPath: "/proc/\(receiver.pid)/fd"), "\(label): receiver still has descriptors")
    }
}
