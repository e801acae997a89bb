import Foundation
import FilecopyWire
import Testing
import TestSupport

/// How the receiver is started: as a qrexec service, as another user, and with its settings.
@Suite("Receiver: service mode, users and settings")
struct ReceiverModeTests {
    static func stream(_ build: (inout StreamBuilder) -> Void) -> [UInt8] {
        var builder = StreamBuilder()
        build(&builder)
        builder.end()
        return builder.bytes
    }

    static func serviceEnvironment(home: String, domain: String = "work", argument: String? = nil) -> [String: String] {
        var environment = ["HOME": home, "QREXEC_REMOTE_DOMAIN": domain, "PATH": "/usr/bin:/bin"]
        if let argument { environment["QREXEC_SERVICE_ARGUMENT"] = argument }
        return environment
    }

    @Test func serviceModeReceivesIntoQubesIncomingOfTheSourceVM() throws {
        let home = try TemporaryDirectory()
        let finished = try run(
            [Programs.path("qfile-unpacker")], stdin: Self.stream { $0.file("note.txt", "hi") },
            environment: Self.serviceEnvironment(home: home.path))
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(FileManager.default.contents(atPath: home("QubesIncoming/work/note.txt")) == Data("hi".utf8))
        var info = stat()
        #expect(stat(home("QubesIncoming"), &info) == 0 && info.st_mode & 0o777 == 0o700)
        #expect(stat(home("QubesIncoming/work"), &info) == 0 && info.st_mode & 0o777 == 0o700)
    }

    @Test("a source VM name that is not a VM name is refused", arguments: ["../escape", "", "a/b", ".hidden", "-x"])
    func invalidSourceDomain(_ domain: String) throws {
        let home = try TemporaryDirectory()
        let finished = try run(
            [Programs.path("qfile-unpacker")], stdin: Self.stream { $0.file("x", "1") },
            environment: Self.serviceEnvironment(home: home.path, domain: domain))
        #expect(finished.status != 0)
        #expect(decodeResult(finished.stdout)?.code == .invalid)
        #expect(finished.stderr.contains("QREXEC_REMOTE_DOMAIN"))
        #expect(!FileManager.default.fileExists(atPath: home("escape")))
        #expect((try? FileManager.default.contentsOfDirectory(atPath: home.path + "/QubesIncoming")) == nil)
    }

    @Test func serviceArgumentAllowAllNamesLiftsCharacterRules() throws {
        let home = try TemporaryDirectory()
        let arabic = "تقرير.txt"
        let refused = try run(
            [Programs.path("qfile-unpacker")], stdin: Self.stream { $0.file(arabic, "x") },
            environment: Self.serviceEnvironment(home: home.path))
        #expect(decodeResult(refused.stdout)?.code == .invalidName)
        let accepted = try run(
            [Programs.path("qfile-unpacker")], stdin: Self.stream { $0.file(arabic, "x") },
            environment: Self.serviceEnvironment(home: home.path, argument: "allow-all-names"))
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(FileManager.default.fileExists(atPath: home("QubesIncoming/work/" + arabic)))
    }

    @Test func unknownServiceArgumentIsRefusedBeforeReading() throws {
        let home = try TemporaryDirectory()
        let finished = try run(
            [Programs.path("qfile-unpacker")], stdin: Self.stream { $0.file("x", "1") },
            environment: Self.serviceEnvironment(home: home.path, argument: "allow-everything"))
        #expect(finished.status != 0)
        #expect(decodeResult(finished.stdout)?.code == .invalid)
        #expect(!FileManager.default.fileExists(atPath: home("QubesIncoming/work/x")))
    }

    @Test func settingsChooseTheIncomingFolderAndConflictPolicy() throws {
        let home = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: home(".config/intervm"), withIntermediateDirectories: true)
        try "# mine\nincoming-dir = ~/Downloads/From VMs\non-conflict = rename   # keep both\n"
            .write(toFile: home(".config/intervm/receiver.conf"), atomically: true, encoding: .utf8)
        for content in ["first", "second"] {
            let finished = try run(
                [Programs.path("qfile-unpacker")], stdin: Self.stream { $0.file("report.pdf", content) },
                environment: Self.serviceEnvironment(home: home.path))
            #expect(finished.status == 0, "\(finished.stderr)")
        }
        let folder = home("Downloads/From VMs/work/")
        #expect(FileManager.default.contents(atPath: folder + "report.pdf") == Data("first".utf8))
        #expect(FileManager.default.contents(atPath: folder + "report (1).pdf") == Data("second".utf8))
    }

    @Test("malformed settings are a clear error, never ignored", arguments: [
        ("colour = blue\n", "receiver.conf:1: unknown setting \"colour\""),
        ("\n\nmax-bytes = lots\n", "receiver.conf:3: max-bytes"),
        ("on-conflict = overwrite\n", "receiver.conf:1: on-conflict"),
        ("incoming-dir = relative/path\n", "receiver.conf:1: incoming-dir"),
        ("just words\n", "receiver.conf:1: expected"),
    ])
    func malformedSettings(text: String, message: String) throws {
        let home = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: home(".config/intervm"), withIntermediateDirectories: true)
        try text.write(toFile: home(".config/intervm/receiver.conf"), atomically: true, encoding: .utf8)
        let finished = try run(
            [Programs.path("qfile-unpacker")], stdin: Self.stream { $0.file("x", "1") },
            environment: Self.serviceEnvironment(home: home.path))
        #expect(finished.status != 0)
        #expect(finished.stderr.contains(message), "\(finished.stderr)")
        #expect(finished.stderr.split(separator: "\n").count == 1)
        #expect(decodeResult(finished.stdout)?.code == .ioError)
        #expect(!FileManager.default.fileExists(atPath: home("QubesIncoming/work/x")))
    }

    @Test func commandLineOverridesSettings() throws {
        let home = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: home(".config/intervm"), withIntermediateDirectories: true)
        try "max-files = 1\n".write(toFile: home(".config/intervm/receiver.conf"), atomically: true, encoding: .utf8)
        let twoFiles = Self.stream {
            $0.file("a", "1")
            $0.file("b", "2")
        }
        let limited = try run([Programs.path("qfile-unpacker")], stdin: twoFiles, environment: Self.serviceEnvironment(home: home.path))
        #expect(decodeResult(limited.stdout)?.code == .limitExceeded)
        let overridden = try run(
            [Programs.path("qfile-unpacker"), "--max-files", "5"], stdin: twoFiles,
            environment: Self.serviceEnvironment(home: home.path + "/..", domain: "other").merging(["HOME": home.path]) { $1 })
        #expect(overridden.status == 0, "\(overridden.stderr)")
    }

    @Test func renameOnConflictCountsUpAndKeepsTheExtension() throws {
        let folder = try TemporaryDirectory()
        try "old".write(toFile: folder("report.pdf"), atomically: true, encoding: .utf8)
        try "old".write(toFile: folder("report (1).pdf"), atomically: true, encoding: .utf8)
        try "old".write(toFile: folder(".bashrc"), atomically: true, encoding: .utf8)
        let finished = try run(
            [Programs.path("qfile-unpacker"), "--on-conflict", "rename", String(getuid()), folder.path],
            stdin: Self.stream {
                $0.file("report.pdf", "new")
                $0.file(".bashrc", "new")
                $0.directory("d")
                $0.symlink("d/l", to: "x")
                $0.symlink("d/l", to: "y")
                $0.directory("d")
            })
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(FileManager.default.contents(atPath: folder("report (2).pdf")) == Data("new".utf8))
        #expect(FileManager.default.contents(atPath: folder("report.pdf")) == Data("old".utf8))
        #expect(FileManager.default.contents(atPath: folder(".bashrc (1)")) == Data("new".utf8))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder("d/l (1)")) == "y")
    }

    @Test func existingNameFailsByDefaultLikeQubes() throws {
        let folder = try TemporaryDirectory()
        try "old".write(toFile: folder("report.pdf"), atomically: true, encoding: .utf8)
        let finished = try run(
            [Programs.path("qfile-unpacker"), String(getuid()), folder.path], stdin: Self.stream { $0.file("report.pdf", "new") })
        #expect(finished.status == 17)
        let result = decodeResult(finished.stdout)
        #expect(result?.code == .exists && result?.lastName == Array("report.pdf".utf8))
        #expect(FileManager.default.contents(atPath: folder("report.pdf")) == Data("old".utf8))
    }

    @Test func readOnlyDirectoryIsFilledThenMadeReadOnly() throws {
        let folder = try TemporaryDirectory()
        let finished = try run(
            [Programs.path("qfile-unpacker"), String(getuid()), folder.path],
            stdin: Self.stream {
                $0.directory("ro", mode: 0o040555)
                $0.file("ro/inside.txt", "x", mode: 0o100444)
                $0.directory("ro", mode: 0o040555)
            })
        #expect(finished.status == 0, "\(finished.stderr)")
        var info = stat()
        #expect(stat(folder("ro"), &info) == 0 && info.st_mode & 0o777 == 0o555)
        #expect(FileManager.default.contents(atPath: folder("ro/inside.txt")) == Data("x".utf8))
    }

    @Test(.enabled(if: getuid() == 0, "needs root")) func rootReceivingForAnotherUserDropsToThatUser() throws {
        let folder = try TemporaryDirectory()
        chmod(folder.path, 0o777)
        let finished = try run(
            [Programs.path("qfile-unpacker"), "-v", "65534", folder.path], stdin: Self.stream { $0.file("owned", "x") })
        #expect(finished.status == 0, "\(finished.stderr)")
        var info = stat()
        #expect(lstat(folder("owned"), &info) == 0 && info.st_uid == 65534)
        #expect(finished.stderr.contains("chroot yes"))
    }

    @Test(.enabled(if: getuid() == 0, "needs root to become another user")) func unprivilegedReceiverConfinesItselfInAUserNamespace() throws {
        let folder = try TemporaryDirectory()
        chmod(folder.path, 0o777)
        let finished = try run(
            ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", Programs.path("qfile-unpacker"), "-v", "65534", folder.path],
            stdin: Self.stream {
                $0.directory("d")
                $0.file("d/f", "data")
                $0.symlink("d/l", to: "f")
                $0.directory("d")
            },
            environment: ["HOME": folder.path])
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(finished.stderr.contains("chroot yes"), "\(finished.stderr)")
        #expect(finished.stderr.contains("no_new_privs yes"))
        #expect(FileManager.default.contents(atPath: folder("d/f")) == Data("data".utf8))
    }

    @Test(.enabled(if: getuid() == 0, "needs root to become another user")) func anotherUsersUIDIsRefusedWhenUnprivileged() throws {
        let folder = try TemporaryDirectory()
        let finished = try run(
            ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", Programs.path("qfile-unpacker"), "0", folder.path],
            stdin: Self.stream { $0.file("x", "1") }, environment: ["HOME": folder.path])
        #expect(finished.status != 0)
        #expect(finished.stderr.contains("not yours"))
    }

    /// Issue 16 §2: Qubes' --no- forms, the later option winning; long options only in full.
    @Test(arguments: [
        (["--allow-all-names", "--no-allow-all-names"], false), (["--no-allow-all-names", "--allow-all-names"], true),
    ])
    func laterAllowAllNamesOptionWins(_ options: [String], _ accepted: Bool) throws {
        let folder = try TemporaryDirectory()
        let finished = try run(
            [Programs.path("qfile-unpacker")] + options + [String(getuid()), folder.path], stdin: Self.stream { $0.file("تقرير.txt", "x") })
        #expect(decodeResult(finished.stdout)?.code == (accepted ? .success : .invalidName), "\(finished.stderr)")
    }

    @Test func laterUnsafeSymlinkOptionWins() throws {
        let folder = try TemporaryDirectory()
        let finished = try run(
            [Programs.path("qfile-unpacker"), "--allow-unsafe-symlinks", "--no-allow-unsafe-symlinks", String(getuid()), folder.path],
            stdin: Self.stream { $0.symlink("out", to: "/etc/passwd") })
        #expect(decodeResult(finished.stdout)?.code == .unsafeSymlink, "\(finished.stderr)")
        let abbreviated = try run([Programs.path("qfile-unpacker"), "--allow-all", String(getuid()), folder.path])
        #expect(abbreviated.status == 2, "long options are taken only in full")
    }

    @Test("bad command lines get one clear line and status 2", arguments: [
        ["--max-bytes"], ["--max-bytes", "ten"], ["--on-conflict", "overwrite"], ["--frobnicate"], ["only-one"], ["x", "/tmp"],
    ])
    func badCommandLine(_ words: [String]) throws {
        let finished = try run([Programs.path("qfile-unpacker")] + words)
        #expect(finished.status == 2)
        #expect(finished.stderr.hasPrefix("qfile-unpacker: "))
        #expect(finished.stderr.split(separator: "\n").count == 1)
    }
}
