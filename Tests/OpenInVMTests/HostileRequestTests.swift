import Foundation
import Testing
import TestSupport

/// Requests written by hand and sent raw to the service, as a hostile client could.
@Suite struct HostileRequestTests {
    static func block(_ name: [UInt8]) -> [UInt8] {
        name + [UInt8](repeating: 0, count: 256 - name.count)
    }

    /// The service, fed `request`, with an editor that records the path it was given.
    func serve(_ request: [UInt8]) throws -> (result: Finished, openedPath: String?, tmp: TemporaryDirectory) {
        let scripts = try TemporaryDirectory()
        let tmp = try TemporaryDirectory()
        let log = scripts("opened")
        let result = try run(
            [Fixture.service], stdin: request,
            environment: Fixture.environment([
                "TMPDIR": tmp.path, "INTERVM_OPENER": try Fixture.editor("record", in: scripts), "EDITOR_LOG": log,
            ]))
        #expect(Fixture.contents(of: tmp.path) == [], "temporary folder left behind")
        let opened = Fixture.bytes(log).map { String(decoding: $0, as: UTF8.self) }
        return (result, opened, tmp)
    }

    static let longName: [UInt8] = [UInt8](repeating: UInt8(ascii: "n"), count: 251) + Array(".txt".utf8)
    static let hostileNames: [([UInt8], String)] = [
        (Array("../x".utf8), ".._x"),
        (Array("..".utf8), "file"),
        ([], "file"),
        (Array("/etc/passwd".utf8), "_etc_passwd"),
        (Array("a\u{1B}[31mred\n\t.txt".utf8), "a__31mred__.txt"),
        (longName, String(decoding: longName, as: UTF8.self)),
    ]

    @Test(arguments: hostileNames)
    func nameStaysInsideTheTemporaryFolder(untrustedName: [UInt8], expected: String) throws {
        let (result, opened, tmp) = try serve(Self.block(untrustedName) + Fixture.original)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let path = try #require(opened)
        let url = URL(fileURLWithPath: path)
        #expect(url.lastPathComponent == expected)
        let folder = url.deletingLastPathComponent()
        let realTmp = URL(fileURLWithPath: tmp.path).resolvingSymlinksInPath().path
        #expect(folder.deletingLastPathComponent().path == realTmp, "not directly inside TMPDIR: \(path)")
        #expect(folder.lastPathComponent.hasPrefix("vm-file-editor-"))
    }

    /// Byte 255 is not a NUL and the name fills the block: still cut at 255 bytes.
    @Test func unterminatedBlock() throws {
        let request = [UInt8](repeating: UInt8(ascii: "z"), count: 256) + Fixture.original
        let (result, opened, _) = try serve(request)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(URL(fileURLWithPath: try #require(opened)).lastPathComponent == String(repeating: "z", count: 255))
    }

    @Test(arguments: [0, 1, 100, 255])
    func shortBlockIsAnErrorAndLeavesNothing(size: Int) throws {
        let (result, opened, _) = try serve([UInt8](repeating: UInt8(ascii: "a"), count: size))
        #expect(result.status != 0)
        #expect(result.stderr.contains("request ended before the file name was complete"))
        #expect(result.stdout.isEmpty)
        #expect(opened == nil, "the application must not run")
    }

    /// The file handed to the application is private: folder 0700, file 0600 (0400 view-only).
    @Test(arguments: [false, true])
    func temporaryFileIsPrivate(viewOnly: Bool) throws {
        let scripts = try TemporaryDirectory()
        let tmp = try TemporaryDirectory()
        let log = scripts("modes")
        try ("#!/bin/sh\nstat -c '%a' \"${1%/*}\" \"$1\" > \"$EDITOR_LOG\"\n").write(
            toFile: scripts("modes.sh"), atomically: true, encoding: .utf8)
        chmod(scripts("modes.sh"), 0o755)
        let name = (viewOnly ? "view-only-" : "") + "a.txt"
        let result = try run(
            [Fixture.service], stdin: Self.block(Array(name.utf8)) + Fixture.original,
            environment: Fixture.environment(["TMPDIR": tmp.path, "INTERVM_OPENER": scripts("modes.sh"), "EDITOR_LOG": log]))
        #expect(result.status == 0, "\(result.stderr)")
        let modes = String(decoding: try #require(Fixture.bytes(log)), as: UTF8.self)
        #expect(modes == "700\n" + (viewOnly ? "400" : "600") + "\n")
    }

    /// The application cannot write into the reply: it gets /dev/null as stdin and stderr as
    /// stdout, never the connection.
    @Test func applicationOutputNeverReachesTheReply() throws {
        let scripts = try TemporaryDirectory()
        let tmp = try TemporaryDirectory()
        try "#!/bin/sh\necho noise\nprintf 'edited in dispvm\\n' >> \"$1\"\ncat\n".write(
            toFile: scripts("noisy.sh"), atomically: true, encoding: .utf8)
        chmod(scripts("noisy.sh"), 0o755)
        let result = try run(
            [Fixture.service], stdin: Self.block(Array("a.txt".utf8)) + Fixture.original,
            environment: Fixture.environment(["TMPDIR": tmp.path, "INTERVM_OPENER": scripts("noisy.sh")]))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Fixture.appended)
        #expect(result.stderr.contains("noise"))
    }
}
