import Foundation
import Testing
import TestSupport

/// qopen-in-vm and vm-file-editor joined by two pipes, as qrexec joins them, with real
/// scripted editors set through INTERVM_OPENER.
@Suite struct EndToEndTests {
    /// One round trip on `file`; checks that neither the service's temporary folder nor any
    /// temporary file beside the original is left behind.
    func edit(
        _ file: String, with editorName: String, viewOnly: Bool = false, environment: [String: String] = [:],
        clientPrefix: [String] = []
    ) throws -> (client: Finished, service: Finished) {
        let scripts = try TemporaryDirectory()
        let tmp = try TemporaryDirectory()
        let editor = try Fixture.editor(editorName, in: scripts)
        let folder = (file as NSString).deletingLastPathComponent
        let before = Set(Fixture.contents(of: folder))
        let overrides = environment.merging(["TMPDIR": tmp.path, "INTERVM_OPENER": editor]) { $1 }
        let result = try runJoined(
            sender: clientPrefix + [Fixture.client] + (viewOnly ? ["--view-only"] : []) + ["--", file],
            receiver: [Fixture.service],
            senderEnvironment: Fixture.environment(overrides), receiverEnvironment: Fixture.environment(overrides))
        #expect(Fixture.contents(of: tmp.path) == [], "the service left its temporary folder")
        let leftovers = Set(Fixture.contents(of: folder)).subtracting(before).filter { $0.hasPrefix(".intervm-edit-") }
        #expect(leftovers.isEmpty, "temporary files left beside the original: \(leftovers)")
        return (result.sender, result.receiver)
    }

    func makeOriginal(in folder: TemporaryDirectory, name: String = "report.txt", mode: mode_t = 0o640) -> String {
        let path = folder(name)
        Fixture.write(Fixture.original, to: path, mode: mode)
        return path
    }

    @Test func editReplacesOriginalKeepingItsMode() throws {
        let folder = try TemporaryDirectory()
        let file = makeOriginal(in: folder)
        let before = Fixture.status(file)
        let (client, service) = try edit(file, with: "append")
        #expect(client.status == 0, "\(client.stderr)")
        #expect(service.status == 0, "\(service.stderr)")
        #expect(Fixture.bytes(file) == Fixture.appended)
        let after = Fixture.status(file)
        #expect(after.st_mode & 0o7777 == 0o640)
        #expect(after.st_ino != before.st_ino, "replaced by rename, not written in place")
        #expect(Fixture.contents(of: folder.path) == ["report.txt"])
    }

    @Test func editorThatReplacesTheFileByRename() throws {
        let folder = try TemporaryDirectory()
        let file = makeOriginal(in: folder)
        let (client, _) = try edit(file, with: "sed")
        #expect(client.status == 0, "\(client.stderr)")
        #expect(Fixture.bytes(file) == Array("rewritten\n".utf8))
    }

    @Test(arguments: ["none", "touch"])
    func unchangedContentLeavesOriginalAlone(editor: String) throws {
        let folder = try TemporaryDirectory()
        let file = makeOriginal(in: folder)
        let before = Fixture.status(file)
        let (client, service) = try edit(file, with: editor)
        #expect(client.status == 0, "\(client.stderr)")
        #expect(service.status == 0, "\(service.stderr)")
        let after = Fixture.status(file)
        #expect(Fixture.bytes(file) == Fixture.original)
        #expect(after.st_ino == before.st_ino)
        #expect(after.st_mtim.tv_sec == before.st_mtim.tv_sec && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec)
    }

    /// Qubes compares whole-second mtimes and loses such an edit; here even an edit that puts
    /// the modification time back exactly is kept.
    @Test func editWithUnchangedMtimeIsKept() throws {
        let folder = try TemporaryDirectory()
        let file = makeOriginal(in: folder)
        let (client, _) = try edit(file, with: "same-mtime")
        #expect(client.status == 0, "\(client.stderr)")
        #expect(Fixture.bytes(file) == Fixture.appended)
    }

    /// Issue 14 item 4: a file whose name starts with `view-only-` is opened for editing, and
    /// the edit comes back (the service used to read the name as the view-only flag).
    @Test func nameStartingWithViewOnlyIsEditable() throws {
        let folder = try TemporaryDirectory()
        let file = makeOriginal(in: folder, name: "view-only-notes.txt")
        let (client, service) = try edit(file, with: "append")
        #expect(client.status == 0, "\(client.stderr)")
        #expect(service.status == 0, "\(service.stderr)")
        #expect(Fixture.bytes(file) == Fixture.appended)
        #expect(Fixture.contents(of: folder.path) == ["view-only-notes.txt"])
    }

    @Test func viewOnlyLeavesOriginalAloneEvenWhenChanged() throws {
        let folder = try TemporaryDirectory()
        let file = makeOriginal(in: folder)
        let before = Fixture.status(file)
        let (client, service) = try edit(file, with: "append", viewOnly: true)
        #expect(client.status == 0, "\(client.stderr)")
        #expect(service.status == 0, "\(service.stderr)")
        #expect(Fixture.bytes(file) == Fixture.original)
        #expect(Fixture.status(file).st_ino == before.st_ino)
    }

    /// The opener returns at once; a background process holding the path in its command line
    /// edits the file two seconds later (longer than the service's settle time). The service waits for it.
    @Test func applicationThatForksAndReturnsIsWaitedFor() throws {
        let folder = try TemporaryDirectory()
        let file = makeOriginal(in: folder)
        let (client, service) = try edit(file, with: "fork")
        #expect(client.status == 0, "\(client.stderr)")
        #expect(service.status == 0, "\(service.stderr)")
        #expect(Fixture.bytes(file) == Fixture.appended)
    }

    @Test func applicationFailureLeavesOriginalAlone() throws {
        let folder = try TemporaryDirectory()
        let file = makeOriginal(in: folder)
        let before = Fixture.status(file)
        let (client, service) = try edit(file, with: "fail")
        #expect(service.status != 0)
        #expect(service.stderr.contains("failed to open the file"))
        #expect(client.status == 0, "an empty reply reads as unchanged: \(client.stderr)")
        #expect(Fixture.bytes(file) == Fixture.original)
        #expect(Fixture.status(file).st_ino == before.st_ino)
    }

    @Test func emptiedFileKeepsOriginalAndWarns() throws {
        let folder = try TemporaryDirectory()
        let file = makeOriginal(in: folder)
        let (_, service) = try edit(file, with: "truncate")
        #expect(service.status != 0)
        #expect(service.stderr.contains("emptied"))
        #expect(Fixture.bytes(file) == Fixture.original)
    }

    /// The original became a symlink while the application ran: nothing is written through it,
    /// the link stays, and the edit is saved beside it under a new name.
    @Test func originalSwappedForSymlinkIsNotWrittenThrough() throws {
        let folder = try TemporaryDirectory()
        let file = makeOriginal(in: folder)
        let decoy = folder("decoy")
        Fixture.write(Array("decoy\n".utf8), to: decoy)
        let (client, _) = try edit(file, with: "swap-original", environment: ["ORIGINAL": file, "DECOY": decoy])
        #expect(client.status == 0, "\(client.stderr)")
        #expect(Fixture.bytes(decoy) == Array("decoy\n".utf8))
        #expect(Fixture.status(file).st_mode & S_IFMT == S_IFLNK)
        let saved = folder("report (edited).txt")
        #expect(Fixture.bytes(saved) == Fixture.appended)
        #expect(client.stderr.contains(saved))
    }

    /// The original was changed on this side while it was open: both versions survive.
    @Test func originalChangedLocallyKeepsBoth() throws {
        let folder = try TemporaryDirectory()
        let file = makeOriginal(in: folder)
        let (client, _) = try edit(file, with: "touch-original", environment: ["ORIGINAL": file])
        #expect(client.status == 0, "\(client.stderr)")
        #expect(Fixture.bytes(file) == Array("original\nlocal change\n".utf8))
        #expect(Fixture.bytes(folder("report (edited).txt")) == Fixture.appended)
        #expect(client.stderr.contains("report (edited).txt"))
    }

    @Test func tooLargeReplyIsRefused() throws {
        let folder = try TemporaryDirectory()
        let file = makeOriginal(in: folder)
        let before = Fixture.status(file)
        let (client, _) = try edit(file, with: "append", environment: ["INTERVM_OPEN_MAX_REPLY": "20"])
        #expect(client.status != 0)
        #expect(client.stderr.contains("larger than the limit of 20 bytes"))
        #expect(Fixture.bytes(file) == Fixture.original)
        #expect(Fixture.status(file).st_ino == before.st_ino)
        #expect(Fixture.contents(of: folder.path) == ["report.txt"])
    }

    /// Run as an unprivileged user (root ignores folder permissions): the original's folder is
    /// read-only, so the edit goes to the home folder and the message says where.
    @Test func readOnlyFolderSavesEditInHome() throws {
        let base = try TemporaryDirectory()
        chmod(base.path, 0o755)
        let folder = base("documents")
        let home = base("home")
        mkdir(folder, 0o755)
        mkdir(home, 0o700)
        chown(home, 65534, 65534)
        let file = folder + "/report.txt"
        Fixture.write(Fixture.original, to: file, mode: 0o644)
        let asNobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        let (client, service) = try edit(file, with: "append", environment: ["HOME": home], clientPrefix: asNobody)
        #expect(service.status == 0, "\(service.stderr)")
        #expect(client.status == 0, "\(client.stderr)")
        #expect(Fixture.bytes(file) == Fixture.original)
        let saved = home + "/report (edited).txt"
        #expect(Fixture.bytes(saved) == Fixture.appended)
        #expect(client.stderr.contains(saved))
        #expect(client.stderr.contains("not writable"))
    }
}
