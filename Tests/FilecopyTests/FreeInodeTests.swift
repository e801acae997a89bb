import FilecopyWire
import Foundation
import Testing
import TestSupport

/// Inodes in the free-space count: every entry (folder, link, file) takes one. The incoming
/// folder is a tmpfs mounted with `nr_inodes` in a mount namespace of its own (`unshare -m`,
/// as root), where a shell runs the receiver and then lists what it left.
@Suite("Receiver: free inodes")
struct FreeInodeTests {
    static let canMount = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")

    /// The receiver on a 1 MiB tmpfs with `nr_inodes`; the shell writes the file system's
    /// inode total (`stat -f %c`) to `root/inodes` and every entry left to `root/listing`.
    static func receiver(_ root: TemporaryDirectory, nrInodes: Int) -> [String] {
        let script = """
            mount -t tmpfs -o size=1m,nr_inodes="$NR_INODES" tmpfs "$INCOMING" || exit 99
            stat -f -c %c "$INCOMING" > "$ROOT/inodes"
            "$@"; status=$?
            cd "$INCOMING" && find . -mindepth 1 -printf '%y %P\\n' | sort > "$ROOT/listing"
            exit $status
            """
        return [
            "/usr/bin/env", "INCOMING=" + root("incoming"), "ROOT=" + root.path, "NR_INODES=" + String(nrInodes),
            "/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", script, "sh",
            FaultTools.unpacker, String(getuid()), root("incoming"),
        ]
    }

    static func prepare() throws -> TemporaryDirectory {
        let root = try TemporaryDirectory()
        try AgentTools.makeDirectory(root("incoming"))
        try AgentTools.makeDirectory(root("home"))
        return root
    }

    /// `d/`, the link `d/l` (to `f0`), then `files` files `d/f0`... of 10 bytes each.
    static func stream(files: Int) -> StreamBuilder {
        var builder = StreamBuilder()
        builder.record(name: Array("d".utf8), mode: 0o040755)
        builder.record(name: Array("d/l".utf8), mode: 0o120777, body: Array("f0".utf8))
        for index in 0..<files {
            builder.record(name: Array("d/f\(index)".utf8), mode: 0o100644, body: Array("0123456789".utf8))
        }
        return builder
    }

    static func listing(_ root: TemporaryDirectory) throws -> [String] {
        try String(contentsOfFile: root("listing"), encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// nr_inodes=8: the root takes one, leaving 7: `d`, `d/l` and `d/f0`...`d/f4`. `d/f5` is
    /// refused with ENOSPC from its header (the answer's CRC ends with its name), and nothing
    /// past it exists.
    @Test(.enabled(if: canMount, "needs root and unshare"))
    func entryWithoutAFreeInodeIsRefusedFromItsHeader() throws {
        let root = try Self.prepare()
        var wire = Self.stream(files: 8)
        wire.end()
        var upToRefused = Self.stream(files: 5)
        upToRefused.record(name: Array("d/f5".utf8), mode: 0o100644, fileLength: 10)
        let finished = try run(
            Self.receiver(root, nrInodes: 8), stdin: wire.bytes, environment: FaultTools.receiverEnvironment(home: root("home")))
        #expect(try String(contentsOfFile: root("inodes"), encoding: .utf8) == "8\n")
        let result = try #require(decodeResult(finished.stdout), "\(finished.stderr)")
        #expect(result.code == .noSpace)
        #expect(finished.status == 28)
        #expect(result.lastName == Array("d/f5".utf8))
        #expect(result.crc32 == upToRefused.crc32, "the refusal did not come right after d/f5's header")
        #expect(try Self.listing(root) == ["d d", "f d/f0", "f d/f1", "f d/f2", "f d/f3", "f d/f4", "l d/l"])
    }

    /// nr_inodes=0: the file system counts no inodes (f_files is 0, so f_favail is 0 too),
    /// which must not read as "none free": 40 entries are received.
    @Test(.enabled(if: canMount, "needs root and unshare"))
    func fileSystemWithoutInodeCountIsNotRefused() throws {
        let root = try Self.prepare()
        var wire = Self.stream(files: 38)
        wire.end()
        let finished = try run(
            Self.receiver(root, nrInodes: 0), stdin: wire.bytes, environment: FaultTools.receiverEnvironment(home: root("home")))
        #expect(try String(contentsOfFile: root("inodes"), encoding: .utf8) == "0\n")
        let result = try #require(decodeResult(finished.stdout), "\(finished.stderr)")
        #expect(result.code == .success, "\(finished.stderr)")
        #expect(result.crc32 == wire.crc32)
        #expect(try Self.listing(root).count == 40)
    }
}
