import FilecopyWire
import Foundation
import Testing
import TestSupport

/// The destination fills up in the middle of a file body. The incoming folder is a 1 MiB tmpfs
/// (bubblewrap `--size --tmpfs`, as root). The sender first sends `small/` (200 files of 2000
/// bytes), then `big.bin` (500 KB). Every declared size fits the free space the receiver
/// counts at header time, and `big.bin` is under the 1 MiB preallocation threshold. But tmpfs
/// charges a whole 4 KiB page for each small file, so the space runs out inside `big.bin`'s
/// body. The receiver must answer ENOSPC (28) and link nothing half-written.
@Suite("Fault: destination full in the middle of a file")
struct FaultDiskFullTests {
    static let smallCount = 200
    static let smallSize = 2000
    static let bigSize = 500_000

    /// The source folder (`small/`, `big.bin`), a scratch root and the incoming path.
    static func prepare() throws -> (source: TemporaryDirectory, root: TemporaryDirectory) {
        let source = try TemporaryDirectory()
        try AgentTools.makeDirectory(source("small"))
        for index in 0..<smallCount { try AgentTools.write(source("small/s\(index)"), AgentTools.pattern(smallSize)) }
        try AgentTools.write(source("big.bin"), AgentTools.pattern(bigSize))
        let root = try TemporaryDirectory()
        try AgentTools.makeDirectory(root("incoming"))
        try AgentTools.makeDirectory(root("home"))
        return (source, root)
    }

    /// The receiver in a fresh mount namespace with a 1 MiB tmpfs on the incoming folder.
    /// Afterwards, still inside it, a shell writes `md5sum` of every file and a listing of
    /// every entry to `root/listing` (the tmpfs is gone once the namespace ends).
    static func receiverInTinyTmpfs(_ root: TemporaryDirectory) -> [String] {
        let script = """
            "$@"; status=$?
            cd "$INCOMING" && { find . -mindepth 1 -printf '%y %P\\n'; find . -type f -exec md5sum {} +; } > "$LISTING"
            exit $status
            """
        return [
            LayerRemover.bubblewrap, "--dev-bind", "/", "/", "--cap-add", "ALL", "--size", String(1 << 20), "--tmpfs",
            root("incoming"), "--setenv", "INCOMING", root("incoming"), "--setenv", "LISTING", root("listing"),
            "/bin/sh", "-c", script, "sh", FaultTools.unpacker, String(getuid()), root("incoming"),
        ]
    }

    /// md5sum of every file under `source`, keyed `./relative`.
    static func sourceSums(_ source: TemporaryDirectory) throws -> [String: String] {
        let finished = try run(["/bin/sh", "-c", "cd \"$0\" && find . -type f -exec md5sum {} +", source.path])
        return Self.sums(String(decoding: finished.stdout, as: UTF8.self))
    }

    static func sums(_ text: String) -> [String: String] {
        var sums: [String: String] = [:]
        for line in text.split(separator: "\n") where line.count > 34 && line.dropFirst(32).hasPrefix("  ") {
            sums[String(line.dropFirst(34))] = String(line.prefix(32))
        }
        return sums
    }

    /// Checks the listing the receiver's namespace left: `small/` complete, no `big.bin`, no
    /// other name, and every file byte for byte its source.
    static func expectNothingHalfWritten(_ root: TemporaryDirectory, _ source: TemporaryDirectory) throws {
        let listing = try String(contentsOfFile: root("listing"), encoding: .utf8)
        let entries = Set(listing.split(separator: "\n").filter { $0.hasPrefix("d ") || $0.hasPrefix("f ") || $0.hasPrefix("l ") }.map(String.init))
        let expected = Set(["d small"] + (0..<smallCount).map { "f small/s\($0)" })
        #expect(entries == expected, "unexpected \(entries.subtracting(expected).sorted()), missing \(expected.subtracting(entries).count)")
        let received = Self.sums(listing)
        let sent = try Self.sourceSums(source)
        #expect(received.count == smallCount)
        for (name, sum) in received { #expect(sent[name] == sum, "\(name) differs from its source") }
    }

    @Test(.enabled(if: LayerRemover.isAvailable && getuid() == 0, "needs bubblewrap and root"))
    func realAgentReportsNoSpaceInWords() throws {
        let (source, root) = try Self.prepare()
        let (sender, receiver) = try runJoined(
            sender: [FaultTools.agent, source("small"), source("big.bin")], receiver: Self.receiverInTinyTmpfs(root),
            receiverEnvironment: FaultTools.receiverEnvironment(home: root("home")))
        #expect(receiver.status == 28, "\(receiver.stderr)")
        #expect(sender.status == 1)
        #expect(sender.stderr == "qfile-agent: There is no space left in the target VM for \"big.bin\"\n")
        try Self.expectNothingHalfWritten(root, source)
    }

    /// The same stream fed directly: the CRC-32 in the answer shows how far the receiver read.
    /// It must be past `big.bin`'s header and into its body (the receiver counts a chunk as
    /// consumed before writing it, so up to the body's end): the space ran out while the body
    /// was written, not at the header.
    @Test(.enabled(if: LayerRemover.isAvailable && getuid() == 0, "needs bubblewrap and root"))
    func spaceRunsOutInsideTheBody() throws {
        let (source, root) = try Self.prepare()
        let (_, decoded) = try AgentTools.sendAndAnswer([source("small"), source("big.bin")])
        var wire = StreamBuilder()
        for record in decoded.records {
            wire.record(
                name: record.name, mode: record.header.mode, body: record.body,
                times: (record.header.atime, record.header.atimeNanoseconds, record.header.mtime, record.header.mtimeNanoseconds))
        }
        let bodyStart = wire.bytes.count - Self.bigSize
        wire.end()
        let finished = try run(
            Self.receiverInTinyTmpfs(root), stdin: wire.bytes, environment: FaultTools.receiverEnvironment(home: root("home")))
        let result = try #require(decodeResult(finished.stdout), "\(finished.stderr)")
        #expect(result.code == .noSpace)
        #expect(result.lastName == Array("big.bin".utf8))
        // Find the prefix whose CRC-32 the receiver reported.
        var crc = CRC32()
        var consumed: Int?
        wire.bytes.withUnsafeBytes { raw in
            for end in 0..<raw.count {
                if crc.value == result.crc32 { consumed = end }
                crc.update(UnsafeRawBufferPointer(rebasing: raw[end..<end + 1]))
            }
        }
        let read = try #require(consumed, "the answer's CRC matches no prefix of the stream")
        #expect(read > bodyStart && read <= bodyStart + Self.bigSize, "read \(read) bytes; big.bin's body is \(bodyStart)..<\(bodyStart + Self.bigSize)")
        try Self.expectNothingHalfWritten(root, source)
    }
}
