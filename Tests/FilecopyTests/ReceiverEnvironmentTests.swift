import FilecopyWire
import Foundation
import Glibc
import Testing
import TestSupport

/// The receiver's own surroundings: HOME and the settings files. Each is checked before the
/// first byte of the stream is read, with one escaped line on stderr, a failed result header
/// for the waiting sender, and nothing created.
@Suite("Receiver: local settings and environment")
struct ReceiverEnvironmentTests {
    static let stream: [UInt8] = {
        var builder = StreamBuilder()
        builder.file("x", "1")
        builder.end()
        return builder.bytes
    }()

    static func serviceEnvironment(home: String) -> [String: String] {
        ["HOME": home, "QREXEC_REMOTE_DOMAIN": "work", "PATH": "/usr/bin:/bin"]
    }

    /// Runs the receiver as the qrexec service with `home`, from `directory`; nil when it did
    /// not end within 20 seconds (it is killed then).
    static func service(home: String, in directory: String) throws -> Finished? {
        let receiver = try PipedProgram(
            [Programs.path("qfile-unpacker")], environment: serviceEnvironment(home: home), currentDirectory: directory)
        receiver.write(Self.stream)
        receiver.closeInput()
        receiver.readToEnd(timeout: 20)
        return receiver.wait(timeout: 20)
    }

    /// Everything in `directory`, recursively (relative paths).
    static func contents(_ directory: String) -> [String] {
        (FileManager.default.subpaths(atPath: directory) ?? []).sorted()
    }

    /// Issue 14 item 10: a relative HOME would make the service create `NAME/QubesIncoming/...`
    /// at the file-system root (the folder is made from "/" down). It is refused with EINVAL,
    /// the value escaped, and nothing is made at the root or in the working directory.
    @Test("a HOME that is not absolute is refused", arguments: ["relhome", "rel\u{1B}[31mhome\u{07}", ""])
    func relativeHomeIsRefused(_ prefix: String) throws {
        let unique = prefix + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let home = prefix.isEmpty ? "" : unique
        // An empty HOME made "/QubesIncoming".
        let rootEntry = prefix.isEmpty ? "/QubesIncoming" : "/" + unique
        let existedBefore = FileManager.default.fileExists(atPath: rootEntry)
        defer { if !existedBefore { try? FileManager.default.removeItem(atPath: rootEntry) } }
        let working = try TemporaryDirectory()
        let finished = try #require(try Self.service(home: home, in: working.path), "the receiver hung")
        #expect(finished.status == 22, "\(finished.stderr)")
        #expect(decodeResult(finished.stdout)?.code == .invalid)
        #expect(finished.stderr.split(separator: "\n").count == 1, "\(finished.stderr)")
        #expect(finished.stderr.hasPrefix("qfile-unpacker: HOME must be an absolute path"), "\(finished.stderr)")
        #expect(!finished.stderr.contains("\u{1B}") && !finished.stderr.contains("\u{07}"), "\(finished.stderr)")
        if prefix.contains("\u{1B}") { #expect(finished.stderr.contains("rel\\u{001B}[31mhome\\u{0007}")) }
        #expect(existedBefore || !FileManager.default.fileExists(atPath: rootEntry), "the relative HOME was made at the root")
        #expect(Self.contents(working.path) == [])
    }

    /// Issue 14 item 10: a FIFO at receiver.conf hung the receiver in open(2), before any
    /// answer. It is opened without blocking and refused as not a regular file (EIO).
    @Test func settingsFileThatIsAFIFOIsRefusedWithoutWaiting() throws {
        let home = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: home(".config/intervm"), withIntermediateDirectories: true)
        #expect(mkfifo(home(".config/intervm/receiver.conf"), 0o600) == 0)
        let finished = try #require(try Self.service(home: home.path, in: home.path), "the receiver hung on the FIFO")
        #expect(finished.status == 5, "\(finished.stderr)")
        #expect(decodeResult(finished.stdout)?.code == .ioError)
        #expect(
            finished.stderr == "qfile-unpacker: invalid settings: \(home.path)/.config/intervm/receiver.conf: is not a regular file\n")
        #expect(Self.contents(home.path) == [".config", ".config/intervm", ".config/intervm/receiver.conf"])
    }

    /// Issue 14 item 10: a character device at receiver.conf (here a symlink to /dev/zero,
    /// which would be read until the 1 MiB limit) is refused the same way.
    @Test func settingsFileThatIsADeviceIsRefused() throws {
        let home = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: home(".config/intervm"), withIntermediateDirectories: true)
        #expect(symlink("/dev/zero", home(".config/intervm/receiver.conf")) == 0)
        let finished = try #require(try Self.service(home: home.path, in: home.path), "the receiver hung")
        #expect(finished.status == 5, "\(finished.stderr)")
        #expect(decodeResult(finished.stdout)?.code == .ioError)
        #expect(finished.stderr.hasSuffix("/.config/intervm/receiver.conf: is not a regular file\n"), "\(finished.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home("QubesIncoming")))
    }

    /// Issue 14 item 10: a key with control characters (an escape sequence that would retitle
    /// the terminal, a carriage return that would hide the rest of the line) is echoed escaped,
    /// in both messages that name a key; so is a settings path with control characters.
    @Test("bad keys are escaped in the message", arguments: [
        ("col\u{1B}]0;owned\u{07}our = blue\n", "unknown setting \"col\\u{001B}]0;owned\\u{0007}our\""),
        ("max-fi\rles =\n", "\"max-fi\\rles\" has no value"),
        ("ke\u{9B}y = 1\n", "unknown setting \"ke\\u{009B}y\""),
    ])
    func controlCharactersInKeysAreEscaped(text: String, message: String) throws {
        let home = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: home(".config/intervm"), withIntermediateDirectories: true)
        try text.write(toFile: home(".config/intervm/receiver.conf"), atomically: true, encoding: .utf8)
        let finished = try #require(try Self.service(home: home.path, in: home.path), "the receiver hung")
        #expect(finished.status == 5)
        #expect(decodeResult(finished.stdout)?.code == .ioError)
        #expect(finished.stderr == "qfile-unpacker: invalid settings: \(home.path)/.config/intervm/receiver.conf:1: \(message)\n")
        #expect(!FileManager.default.fileExists(atPath: home("QubesIncoming")))
    }

    /// Issue 14 item 10: the settings file's path comes from HOME or XDG_CONFIG_HOME and is
    /// escaped in the message too.
    @Test func settingsPathWithControlCharactersIsEscaped() throws {
        let base = try TemporaryDirectory()
        let home = base("h\u{1B}[2Jome")
        try FileManager.default.createDirectory(atPath: home + "/.config/intervm", withIntermediateDirectories: true)
        try "colour = blue\n".write(toFile: home + "/.config/intervm/receiver.conf", atomically: true, encoding: .utf8)
        let finished = try #require(try Self.service(home: home, in: base.path), "the receiver hung")
        #expect(finished.status == 5)
        #expect(
            finished.stderr
                == "qfile-unpacker: invalid settings: \(base.path)/h\\u{001B}[2Jome/.config/intervm/receiver.conf:1: unknown setting \"colour\"\n")
        #expect(!FileManager.default.fileExists(atPath: home + "/QubesIncoming"))
    }
}
