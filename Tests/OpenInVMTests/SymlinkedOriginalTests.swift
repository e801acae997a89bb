import Foundation
import Testing
import TestSupport

/// A symlink named as the file to open, as an unpacked archive or a cloned repository can plant
/// it (`notes.txt -> ../.bashrc`): its target's content is sent, and a changed reply becomes a
/// regular file in place of the link itself, never written through it.
extension EndToEndTests {
    /// `home/.bashrc` holding "original", and `home/repo/notes.txt -> ../.bashrc`.
    func plantedLink() throws -> (home: TemporaryDirectory, link: String, target: String) {
        let home = try TemporaryDirectory()
        let target = home(".bashrc")
        Fixture.write(Fixture.original, to: target, mode: 0o640)
        mkdir(home("repo"), 0o755)
        let link = home("repo/notes.txt")
        #expect(symlink("../.bashrc", link) == 0)
        return (home, link, target)
    }

    /// Issue 14 item 2: a hostile editor rewrites the file; the reply replaces the link with a
    /// regular file holding it, and the link's target (~/.bashrc) keeps its content and inode.
    @Test func linkIsReplacedByTheReplyNeverWrittenThrough() throws {
        let (home, link, target) = try plantedLink()
        let before = Fixture.status(target)
        let (client, service) = try edit(link, with: "rewrite")
        #expect(client.status == 0, "\(client.stderr)")
        #expect(service.status == 0, "\(service.stderr)")
        #expect(Fixture.bytes(target) == Fixture.original)
        #expect(Fixture.status(target).st_ino == before.st_ino)
        #expect(Fixture.status(link).st_mode & S_IFMT == S_IFREG)
        #expect(Fixture.status(link).st_mode & 0o7777 == 0o640, "the content's permission bits")
        #expect(Fixture.bytes(link) == Fixture.rewritten)
        #expect(Fixture.contents(of: home("repo")) == ["notes.txt"])
        #expect(Fixture.contents(of: home.path) == [".bashrc", "repo"])
    }

    /// Issue 14 item 2: the link is pointed elsewhere while the application runs; neither file
    /// a link ever named is written, the link stays as it now is, and the edit is saved beside.
    @Test func linkRetargetedMeanwhileIsLeftAloneAndTheEditSavedBeside() throws {
        let (home, link, target) = try plantedLink()
        let decoy = home("decoy")
        Fixture.write(Array("decoy\n".utf8), to: decoy)
        let (client, _) = try edit(link, with: "retarget-link", environment: ["ORIGINAL": link, "DECOY": decoy])
        #expect(client.status == 0, "\(client.stderr)")
        #expect(Fixture.bytes(target) == Fixture.original)
        #expect(Fixture.bytes(decoy) == Array("decoy\n".utf8))
        #expect(Fixture.status(link).st_mode & S_IFMT == S_IFLNK)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == decoy)
        let saved = home("repo/notes (edited).txt")
        #expect(Fixture.bytes(saved) == Fixture.rewritten)
        #expect(client.stderr.contains(saved))
    }

    /// Issue 14 item 2: the link's target is changed here while the application runs: the
    /// local change stays in the target, the link stays, and the edit is saved beside.
    @Test func linkTargetChangedMeanwhileKeepsBoth() throws {
        let (home, link, target) = try plantedLink()
        let (client, _) = try edit(link, with: "change-target", environment: ["TARGET": target])
        #expect(client.status == 0, "\(client.stderr)")
        #expect(Fixture.bytes(target) == Array("original\nlocal change\n".utf8))
        #expect(Fixture.status(link).st_mode & S_IFMT == S_IFLNK)
        #expect(Fixture.bytes(home("repo/notes (edited).txt")) == Fixture.rewritten)
    }
}
