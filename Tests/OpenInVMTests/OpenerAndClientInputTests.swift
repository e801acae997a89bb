import Foundation
import Testing
import TestSupport

/// How the service finds the application, and what the client refuses to send.
@Suite struct OpenerTests {
    static let request = Array("a.txt".utf8) + [UInt8](repeating: 0, count: 251) + Fixture.original

    /// The service with `environment` on top of ours, minus INTERVM_OPENER unless given.
    func serve(_ environment: [String: String]) throws -> Finished {
        var merged = Fixture.environment(environment)
        if environment["INTERVM_OPENER"] == nil { merged["INTERVM_OPENER"] = nil }
        return try run([Fixture.service], stdin: Self.request, environment: merged)
    }

    @Test func configurationFileNamesTheOpener() throws {
        let home = try TemporaryDirectory()
        let tmp = try TemporaryDirectory()
        let editor = try Fixture.editor("append", in: home)
        try FileManager.default.createDirectory(atPath: home(".config/intervm"), withIntermediateDirectories: true)
        try "# the editor for tests\n\nsh \(editor)\n".write(toFile: home(".config/intervm/opener"), atomically: true, encoding: .utf8)
        let result = try serve(["HOME": home.path, "TMPDIR": tmp.path, "XDG_CONFIG_HOME": ""])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Fixture.appended)
    }

    @Test func environmentWinsOverConfigurationFile() throws {
        let home = try TemporaryDirectory()
        let tmp = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: home(".config/intervm"), withIntermediateDirectories: true)
        try "\(try Fixture.editor("fail", in: home))\n".write(toFile: home(".config/intervm/opener"), atomically: true, encoding: .utf8)
        let opener = "sh " + (try Fixture.editor("append", in: home))
        let result = try serve(["HOME": home.path, "TMPDIR": tmp.path, "INTERVM_OPENER": opener])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Fixture.appended)
    }

    /// With nothing configured, `xdg-open` from PATH opens the file, as in Qubes.
    @Test func xdgOpenOnPathByDefault() throws {
        let home = try TemporaryDirectory()
        let tmp = try TemporaryDirectory()
        let bin = home("bin")
        mkdir(bin, 0o755)
        let editor = try Fixture.editor("append", in: home)
        try FileManager.default.copyItem(atPath: editor, toPath: bin + "/xdg-open")
        let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let result = try serve(["HOME": home.path, "TMPDIR": tmp.path, "PATH": path, "XDG_CONFIG_HOME": ""])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Fixture.appended)
    }

    @Test(arguments: ["/nonexistent/editor", "no-such-editor-program --flag"])
    func missingOpenerIsAClearError(opener: String) throws {
        let tmp = try TemporaryDirectory()
        let result = try serve(["TMPDIR": tmp.path, "INTERVM_OPENER": opener])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("was not found"))
        #expect(Fixture.contents(of: tmp.path) == [])
    }
}

@Suite struct ClientInputTests {
    @Test func folderIsRefusedAndNothingSent() throws {
        let folder = try TemporaryDirectory()
        let result = try run([Fixture.client, "--", folder.path])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("is a folder"))
    }

    @Test func fifoIsRefusedWithoutBlocking() throws {
        let folder = try TemporaryDirectory()
        mkfifo(folder("pipe"), 0o600)
        let result = try run([Fixture.client, "--", folder("pipe")])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("not a regular file"))
    }

    @Test func missingFileIsRefused() throws {
        let folder = try TemporaryDirectory()
        let result = try run([Fixture.client, "--", folder("missing.txt")])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("No such file or directory"))
    }

    /// Issue 14 item 2: now that a link is opened through rather than resolved first, a link to a
    /// folder or a FIFO is still refused, without blocking and with nothing sent.
    @Test(arguments: [("folder", "is a folder"), ("pipe", "not a regular file")])
    func symlinkToFolderOrFifoIsRefused(target: String, message: String) throws {
        let folder = try TemporaryDirectory()
        if target == "folder" { mkdir(folder(target), 0o755) } else { mkfifo(folder(target), 0o600) }
        #expect(symlink(target, folder("link")) == 0)
        let result = try run([Fixture.client, "--", folder("link")])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    /// Issue 14 item 2 (messages): a planted name with a newline and a terminal escape is shown
    /// escaped, so the error stays one line and cannot act on the terminal.
    @Test func nameWithControlCharactersIsShownEscapedOnOneLine() throws {
        let folder = try TemporaryDirectory()
        let result = try run([Fixture.client, "--", folder("gone\n\u{1B}[2Jnotes.txt")])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(!result.stderr.contains("\u{1B}"))
        #expect(result.stderr.contains(#"gone\n\u{001B}[2Jnotes.txt"#))
    }

    /// Issue 14 item 2: a symlink the user names sends its target's content under the link's
    /// name; the reply (Qubes' recording) replaces the link with a regular file, never its target.
    @Test func symlinkNamedByTheUserIsReplacedNotWrittenThrough() throws {
        let folder = try TemporaryDirectory()
        let target = folder("real.txt")
        Fixture.write(Fixture.original, to: target)
        try FileManager.default.createSymbolicLink(atPath: folder("link.txt"), withDestinationPath: "real.txt")
        let reply = try #require(Fixture.bytes(Fixture.vectors + "/append.reply"))
        let result = try run([Fixture.client, "--", folder("link.txt")], stdin: reply)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Array(result.stdout.prefix(9)) == Array("link.txt".utf8) + [0])
        #expect(Array(result.stdout.dropFirst(256)) == Fixture.original)
        #expect(Fixture.bytes(target) == Fixture.original)
        #expect(Fixture.status(folder("link.txt")).st_mode & S_IFMT == S_IFREG)
        #expect(Fixture.bytes(folder("link.txt")) == reply)
        #expect(Fixture.contents(of: folder.path) == ["link.txt", "real.txt"])
    }
}
