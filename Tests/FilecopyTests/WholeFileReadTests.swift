import Filecopy
import Foundation
import SystemIO
import SystemPackage
import Testing
import TestSupport

/// `FileSystem.readWholeFile`, the one whole-file reader behind the receiver's settings, the
/// local qrexec stand-in's policy files and the fuzz replayers.
@Suite("Whole-file reads with a limit")
struct WholeFileReadTests {
    static let limit = 4096

    /// Writes `count` bytes (0, 1, 2, ... wrapping) to `path` and returns them.
    static func write(_ count: Int, to path: String) throws -> [UInt8] {
        let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return bytes
    }

    @Test func aMissingFileIsNil() throws {
        let directory = try TemporaryDirectory()
        #expect(try FileSystem.readWholeFile(at: directory("absent"), limit: Self.limit) == nil)
    }

    @Test(arguments: [0, 1, limit - 1, limit])
    func aFileUpToTheLimitIsReadWhole(_ size: Int) throws {
        let directory = try TemporaryDirectory()
        let written = try Self.write(size, to: directory("file"))
        #expect(try FileSystem.readWholeFile(at: directory("file"), limit: Self.limit) == written)
    }

    @Test(arguments: [limit + 1, 3 * limit])
    func aFileOverTheLimitIsRefused(_ size: Int) throws {
        let directory = try TemporaryDirectory()
        _ = try Self.write(size, to: directory("file"))
        #expect(throws: FileSystem.FileTooLarge(limit: Self.limit)) {
            try FileSystem.readWholeFile(at: directory("file"), limit: Self.limit)
        }
    }

    @Test func aLimitOfZeroTakesOnlyEmptyFiles() throws {
        let directory = try TemporaryDirectory()
        _ = try Self.write(0, to: directory("empty"))
        _ = try Self.write(1, to: directory("one"))
        #expect(try FileSystem.readWholeFile(at: directory("empty"), limit: 0) == [])
        #expect(throws: FileSystem.FileTooLarge(limit: 0)) { try FileSystem.readWholeFile(at: directory("one"), limit: 0) }
    }

    @Test func aDirectoryIsAnError() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: Errno.isDirectory) { try FileSystem.readWholeFile(at: directory.path, limit: Self.limit) }
    }

    /// A file under /proc reports a size of 0 but has content: read to its end all the same.
    @Test func aProcFileIsReadToItsEnd() throws {
        let bytes = try #require(try FileSystem.readWholeFile(at: "/proc/self/status", limit: 1 << 20))
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("Name:"))
    }

    /// Issue 14 item 10: with `regularOnly` a FIFO (which would block open(2) until a writer
    /// came) and a device are refused before a byte is read; a directory stays EISDIR.
    @Test func onlyRegularFilesWhenAsked() throws {
        let directory = try TemporaryDirectory()
        #expect(mkfifo(directory("fifo"), 0o600) == 0)
        #expect(throws: FileSystem.NotRegularFile()) {
            try FileSystem.readWholeFile(at: directory("fifo"), limit: Self.limit, regularOnly: true)
        }
        #expect(throws: FileSystem.NotRegularFile()) {
            try FileSystem.readWholeFile(at: "/dev/zero", limit: Self.limit, regularOnly: true)
        }
        #expect(throws: Errno.isDirectory) { try FileSystem.readWholeFile(at: directory.path, limit: Self.limit, regularOnly: true) }
        let written = try Self.write(10, to: directory("file"))
        #expect(try FileSystem.readWholeFile(at: directory("file"), limit: Self.limit, regularOnly: true) == written)
    }

    /// The receiver's settings keep their own messages for both refusals.
    @Test func settingsFilesKeepTheirMessages() throws {
        let directory = try TemporaryDirectory()
        let line = { (count: Int) in Data(repeating: UInt8(ascii: "x"), count: count) }
        try line((1 << 20) + 1).write(to: URL(fileURLWithPath: directory("large.conf")))
        #expect {
            try ReceiverSettings.load(files: [directory("large.conf")], home: directory.path)
        } throws: { error in
            String(describing: error) == directory("large.conf") + ": is larger than 1 MiB"
        }
        #expect {
            try ReceiverSettings.load(files: [directory.path], home: directory.path)
        } throws: { error in
            String(describing: error).hasPrefix(directory.path + ": cannot be read (")
        }
        try line(1 << 20).write(to: URL(fileURLWithPath: directory("limit.conf")))
        // Exactly 1 MiB is read (and then refused as malformed, not as too large).
        #expect {
            try ReceiverSettings.load(files: [directory("limit.conf")], home: directory.path)
        } throws: { error in
            !String(describing: error).contains("larger")
        }
        #expect(try ReceiverSettings.load(files: [directory("absent.conf")], home: directory.path) == ReceiverSettings())
    }
}
