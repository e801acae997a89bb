import FilecopyWire
import Foundation
import Testing
import TestSupport

/// The destination fills up in the middle of a file body. The incoming folder is a 1 MiB tmpfs
/// (bubblewrap `--size --tmpfs`, as root). The sender sends `small/` (50 files of 2000 bytes,
/// a page each) and then `big.bin` (500 KB): all of it fits, counted in whole pages, so the
/// receiver accepts every header. Inside the receiver's mount namespace a shell passes the
/// stream on only up to 256 KiB into `big.bin`'s body, waits until the tmpfs shows all of that
/// written, then fills the tmpfs from another process (`cat /dev/zero` into a filler file) and
/// passes on the rest. The receiver must answer ENOSPC (28), link nothing half-written, and
/// leave `small/` intact.
@Suite("Fault: destination full in the middle of a file")
struct FaultDiskFullTests {
    static let smallCount = 50
    static let smallSize = 2000
    static let bigSize = 500_000
    /// How much of `big.bin`'s body the receiver writes before the tmpfs is filled.
    static let bodyBeforeFill = 256 << 10

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

    /// The stream qfile-agent sends for `small/` and `big.bin` (rebuilt from its records, so
    /// the same length and layout), and where `big.bin`'s body starts in it.
    static func stream(_ source: TemporaryDirectory) throws -> (bytes: [UInt8], bodyStart: Int) {
        let (_, decoded) = try AgentTools.sendAndAnswer([source("small"), source("big.bin")])
        var wire = StreamBuilder()
        for record in decoded.records {
            wire.record(
                name: record.name, mode: record.header.mode, body: record.body,
                times: (record.header.atime, record.header.atimeNanoseconds, record.header.mtime, record.header.mtimeNanoseconds))
        }
        let bodyStart = wire.bytes.count - Self.bigSize
        wire.end()
        return (wire.bytes, bodyStart)
    }

    /// The receiver in a fresh mount namespace with a 1 MiB tmpfs on the incoming folder, fed
    /// by a shell that stops the stream at byte `cut`, waits until `usedPages` pages of the
    /// tmpfs are taken (everything before the cut written), fills the tmpfs, notes that in
    /// `root/filled`, and passes on the rest. Afterwards, still inside the namespace, it removes
    /// the filler and writes `md5sum` of every file and a listing of every entry to
    /// `root/listing` (the tmpfs is gone once the namespace ends).
    static func receiverFilledMidBody(_ root: TemporaryDirectory, cut: Int) -> [String] {
        let pageSize = sysconf(Int32(_SC_PAGESIZE))
        let usedPages = smallCount * ((smallSize + pageSize - 1) / pageSize) + bodyBeforeFill / pageSize
        let script = """
            used() { set -- $(stat -f -c '%b %a' "$INCOMING"); echo $(($1 - $2)); }
            {
                head -c "$CUT"
                tries=0
                while [ "$(used)" -lt "$USED_PAGES" ] && [ $tries -lt 1000 ]; do sleep 0.01; tries=$((tries + 1)); done
                if [ "$(used)" -ge "$USED_PAGES" ]; then
                    cat /dev/zero > "$INCOMING/.filler" 2>/dev/null
                    stat -f -c 'used %b %a' "$INCOMING" > "$FILLED"
                fi
                cat
            } | "$@"
            status=$?
            rm -f "$INCOMING/.filler"
            cd "$INCOMING" && { find . -mindepth 1 -printf '%y %P\\n'; find . -type f -exec md5sum {} +; } > "$LISTING"
            exit $status
            """
        return [
            LayerRemover.bubblewrap, "--dev-bind", "/", "/", "--cap-add", "ALL", "--size", String(1 << 20), "--tmpfs",
            root("incoming"), "--setenv", "INCOMING", root("incoming"), "--setenv", "LISTING", root("listing"),
            "--setenv", "FILLED", root("filled"), "--setenv", "CUT", String(cut), "--setenv", "USED_PAGES", String(usedPages),
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

    /// The tmpfs was filled from outside the receiver, after everything before the cut was
    /// written, and left no page free.
    static func expectFilledMidBody(_ root: TemporaryDirectory) throws {
        let filled = try String(contentsOfFile: root("filled"), encoding: .utf8)
        #expect(filled.hasSuffix(" 0\n"), "the filler left space free: \(filled)")
    }

    @Test(.enabled(if: LayerRemover.isAvailable && getuid() == 0, "needs bubblewrap and root"))
    func realAgentReportsNoSpaceInWords() throws {
        let (source, root) = try Self.prepare()
        let layout = try Self.stream(source)
        let (sender, receiver) = try runJoined(
            sender: [FaultTools.agent, source("small"), source("big.bin")],
            receiver: Self.receiverFilledMidBody(root, cut: layout.bodyStart + Self.bodyBeforeFill),
            receiverEnvironment: FaultTools.receiverEnvironment(home: root("home")))
        try Self.expectFilledMidBody(root)
        #expect(receiver.status == 28, "\(receiver.stderr)")
        #expect(sender.status == 1)
        #expect(sender.stderr == "qfile-agent: There is no space left in the target VM for \"big.bin\"\n")
        try Self.expectNothingHalfWritten(root, source)
    }

    /// The same stream fed directly: the CRC-32 in the answer shows how far the receiver read.
    /// It must be past the cut (everything before it was written; the receiver counts a chunk
    /// as consumed before writing it) and within `big.bin`'s body: the space ran out while the
    /// body was written, not at the header.
    @Test(.enabled(if: LayerRemover.isAvailable && getuid() == 0, "needs bubblewrap and root"))
    func spaceRunsOutInsideTheBody() throws {
        let (source, root) = try Self.prepare()
        let (wire, bodyStart) = try Self.stream(source)
        let cut = bodyStart + Self.bodyBeforeFill
        let finished = try run(
            Self.receiverFilledMidBody(root, cut: cut), stdin: wire,
            environment: FaultTools.receiverEnvironment(home: root("home")))
        try Self.expectFilledMidBody(root)
        let result = try #require(decodeResult(finished.stdout), "\(finished.stderr)")
        #expect(result.code == .noSpace)
        #expect(result.lastName == Array("big.bin".utf8))
        // Find the prefix whose CRC-32 the receiver reported.
        var crc = CRC32()
        var consumed: Int?
        wire.withUnsafeBytes { raw in
            for end in 0..<raw.count {
                if crc.value == result.crc32 { consumed = end }
                crc.update(UnsafeRawBufferPointer(rebasing: raw[end..<end + 1]))
            }
        }
        let read = try #require(consumed, "the answer's CRC matches no prefix of the stream")
        #expect(read > cut && read <= bodyStart + Self.bigSize, "read \(read) bytes; the cut is at \(cut), big.bin's body ends at \(bodyStart + Self.bigSize)")
        try Self.expectNothingHalfWritten(root, source)
    }
}
