import Foundation
import FilecopyWire
import Testing
import TestSupport

/// Streams recorded from the Qubes sender must be received with Qubes' exact result bytes.
@Suite("Receiver: Qubes vectors")
struct ReceiverVectorTests {
    static func vector(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: Programs.vectorsDirectory + "/filecopy/" + name)))
    }

    @Test("same result bytes as Qubes", arguments: ["single", "empty", "utf8", "tree"])
    func sameResult(_ name: String) throws {
        let folder = try TemporaryDirectory()
        let finished = try run([Programs.path("qfile-unpacker"), String(getuid()), folder.path], stdin: try Self.vector(name + ".stream"))
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(finished.stdout == (try Self.vector(name + ".result")))
    }

    /// Issue 16 §2: a stream of only the end header gets Qubes' 20 bytes: the result and the
    /// extension with last_namelen = 0 (fact from Qubes' receiver, protocol notes).
    @Test func endOnlyStreamGetsTheExtensionWithAnEmptyName() throws {
        let folder = try TemporaryDirectory()
        let endOnly = FileHeader.endOfTransfer.encoded
        let finished = try run([Programs.path("qfile-unpacker"), String(getuid()), folder.path], stdin: endOnly)
        #expect(finished.status == 0, "\(finished.stderr)")
        let crc = CRC32.checksum(endOnly)
        let expected: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0] + withUnsafeBytes(of: UInt64(crc).littleEndian, Array.init) + [0, 0, 0, 0]
        #expect(finished.stdout == expected)
    }

    @Test func singleFileArrivesWithContentModeAndNanosecondTimes() throws {
        let folder = try TemporaryDirectory()
        _ = try run([Programs.path("qfile-unpacker"), String(getuid()), folder.path], stdin: try Self.vector("single.stream"))
        #expect(FileManager.default.contents(atPath: folder("single.txt")) == Data("hello world\n".utf8))
        var info = stat()
        #expect(lstat(folder("single.txt"), &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o644)
        // 2020-01-02 03:04:05.123456789 UTC
        #expect(info.st_mtim.tv_sec == 1_577_934_245 && info.st_mtim.tv_nsec == 123_456_789)
    }

    @Test func treeArrivesWithDirectoryModesLinksAndNoSetuid() throws {
        let folder = try TemporaryDirectory()
        _ = try run([Programs.path("qfile-unpacker"), String(getuid()), folder.path], stdin: try Self.vector("tree.stream"))
        var info = stat()
        #expect(lstat(folder("tree/sub"), &info) == 0 && info.st_mode & 0o7777 == 0o750)
        #expect(lstat(folder("tree/a.txt"), &info) == 0 && info.st_mode & 0o7777 == 0o755, "setuid bit dropped")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder("tree/sub/link-to-a")) == "../a.txt")
        #expect(FileManager.default.contents(atPath: folder("tree/sub/deeper/n.bin")) == Data("nested\n".utf8))
        #expect(FileManager.default.contents(atPath: folder("tree/sub/empty")) == Data())
    }
}
