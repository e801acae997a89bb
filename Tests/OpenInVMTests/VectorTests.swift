import Foundation
import OpenInVM
import Testing
import TestSupport

/// The Qubes recordings in `vectors/openinvm/`: our client must send the same bytes, and our
/// service must answer what Qubes' correct cases imply.
@Suite struct VectorTests {
    static let names = ["append", "none", "touch", "truncate", "fail", "viewonly"]

    @Test(arguments: names)
    func clientSendsQubesRequest(name: String) throws {
        let folder = try TemporaryDirectory()
        let file = folder("My Doc (1).txt")
        Fixture.write(Fixture.original, to: file)
        let viewOnly = name == "viewonly"
        let result = try run([Fixture.client] + (viewOnly ? ["--view-only"] : []) + ["--", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Fixture.bytes(Fixture.vectors + "/\(name).request"))
        #expect(Fixture.bytes(file) == Fixture.original)
    }

    /// Runs our service on a recorded request with the scripted editor the vector is named after.
    func serve(_ vector: String) throws -> (Finished, tmp: TemporaryDirectory) {
        let scripts = try TemporaryDirectory()
        let tmp = try TemporaryDirectory()
        let editor = try Fixture.editor(vector == "viewonly" ? "append" : vector, in: scripts)
        let request = try #require(Fixture.bytes(Fixture.vectors + "/\(vector).request"))
        let result = try run(
            [Fixture.service], stdin: request,
            environment: Fixture.environment(["TMPDIR": tmp.path, "INTERVM_OPENER": editor]))
        #expect(Fixture.contents(of: tmp.path) == [], "temporary folder left behind")
        return (result, tmp)
    }

    @Test func appendReplyIsQubesReply() throws {
        let (result, _) = try serve("append")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Fixture.bytes(Fixture.vectors + "/append.reply"))
    }

    @Test func noChangeSendsNothing() throws {
        let (result, _) = try serve("none")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Fixture.bytes(Fixture.vectors + "/none.reply"))
        #expect(result.stdout.isEmpty)
    }

    /// Qubes sent the identical file back after a bare touch; we send nothing, which the client
    /// reads as "unchanged" (the original stays, inode and all).
    @Test func touchOnlySendsNothingWhereQubesSentTheFileBack() throws {
        let qubes = try #require(Fixture.bytes(Fixture.vectors + "/touch.reply"))
        #expect(qubes == Fixture.original)
        let (result, _) = try serve("touch")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    /// Emptying the file cannot be expressed on the wire (empty reply = unchanged): nothing is
    /// sent, as by Qubes, but the user is told.
    @Test func truncateSendsNothingAndWarns() throws {
        let (result, _) = try serve("truncate")
        #expect(result.stdout == Fixture.bytes(Fixture.vectors + "/truncate.reply"))
        #expect(result.stdout.isEmpty)
        #expect(result.status != 0)
        #expect(result.stderr.contains("emptied"))
    }

    @Test func failingApplicationSendsNothing() throws {
        let (result, _) = try serve("fail")
        #expect(result.stdout.isEmpty)
        #expect(result.status != 0)
        #expect(result.stderr.contains("failed to open the file"))
        #expect(result.stderr.contains("exit status 3"))
    }

    /// Qubes sent the edited file back in view-only mode; we never do.
    @Test func viewOnlyNeverSendsBack() throws {
        let qubes = try #require(Fixture.bytes(Fixture.vectors + "/viewonly.reply"))
        #expect(qubes == Fixture.appended)
        let (result, _) = try serve("viewonly")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    /// Issue 14 item 4: for `view-only-My Doc (1).txt` in edit mode our client sends Qubes'
    /// recorded view-only block with the prefix's `-` made `_` (so Qubes' service, which tests
    /// the first 10 bytes, opens it for editing), and takes Qubes' recorded edit back.
    @Test func editOfViewOnlyNamedFileAgainstQubesRecordings() throws {
        let folder = try TemporaryDirectory()
        let file = folder("view-only-My Doc (1).txt")
        Fixture.write(Fixture.original, to: file)
        var expected = try #require(Fixture.bytes(Fixture.vectors + "/viewonly.request"))
        expected[9] = UInt8(ascii: "_")
        let reply = try #require(Fixture.bytes(Fixture.vectors + "/append.reply"))
        let result = try run([Fixture.client, "--", file], stdin: reply)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Array(result.stdout.prefix(256)) == Array(expected.prefix(256)))
        #expect(!result.stdout.starts(with: RequestBlock.viewOnlyPrefix))
        #expect(Fixture.bytes(file) == reply)
    }

    /// Our client fed the replies Qubes' service recorded: the edit replaces the original; an
    /// empty reply or Qubes' identical file after a bare touch leaves it alone (same inode).
    @Test(arguments: ["append", "none", "touch", "truncate", "fail"])
    func clientHandlesQubesReply(name: String) throws {
        let folder = try TemporaryDirectory()
        let file = folder("My Doc (1).txt")
        Fixture.write(Fixture.original, to: file, mode: 0o640)
        let before = Fixture.status(file)
        let reply = try #require(Fixture.bytes(Fixture.vectors + "/\(name).reply"))
        let result = try run([Fixture.client, "--", file], stdin: reply)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Fixture.bytes(Fixture.vectors + "/\(name).request"))
        #expect(Fixture.contents(of: folder.path) == ["My Doc (1).txt"])
        if name == "append" {
            #expect(Fixture.bytes(file) == reply)
            #expect(Fixture.status(file).st_ino != before.st_ino)
            #expect(Fixture.status(file).st_mode & 0o7777 == 0o640)
        } else {
            #expect(Fixture.bytes(file) == Fixture.original)
            #expect(Fixture.status(file).st_ino == before.st_ino)
        }
    }
}
