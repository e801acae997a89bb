import Foundation
import Testing
import TestSupport

/// `qvm-copy --gui` and `qvm-move --gui` as the file manager starts them, on a private X
/// display, between two local VMs of `qrexec-local`: the picker, the progress window with
/// Cancel, and the outcome dialog, all driven by keyboard.
@Suite(.enabled(if: VirtualDesktop.isAvailable, VirtualDesktop.unavailableReason))
struct FrontEndGuiTests {
    struct Setup {
        let desktop: VirtualDesktop
        var root: String { desktop.home("vms") }
        func home(_ vm: String) -> String { root + "/" + vm + "/home" }

        init(policy: String = "qubes.Filecopy * work personal allow\n") throws {
            desktop = try VirtualDesktop()
            let created = try run([Programs.path("qrexec-local"), "--root", desktop.home("vms"), "create", "work", "personal"])
            try #require(created.status == 0, "\(created.stderr)")
            try policy.write(toFile: desktop.home("vms/policy.d/10-test.policy"), atomically: true, encoding: .utf8)
        }

        /// Starts a front end inside VM work, as the file manager would.
        func start(_ command: [String]) throws -> Started {
            try Started(
                [Programs.path("qrexec-local"), "--root", root, "run", "work", "--"] + command,
                environment: desktop.environment)
        }

        func incoming(_ name: String) -> String { home("personal") + "/QubesIncoming/work/" + name }
    }

    func waitForExit(_ started: Started, seconds: Double = 20) -> Finished {
        let deadline = Date().addingTimeInterval(seconds)
        while started.process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        stop(started.process)
        return started.finish()
    }

    @Test func pickTargetThenCopyAndSayItArrived() throws {
        let setup = try Setup()
        try "quarterly numbers\n".write(toFile: setup.home("work") + "/report.txt", atomically: true, encoding: .utf8)
        let copy = try setup.start(["qvm-copy", "--gui", "--", "report.txt"])
        #expect(setup.desktop.waitForWindow(named: "Copy 1 file to VM") != nil)
        try setup.desktop.type("personal")
        setup.desktop.screenshot("frontend-picker")
        try setup.desktop.key("Return")
        // No notification service on this desktop: the outcome is a short dialog.
        #expect(setup.desktop.waitForWindow(named: "Transfer complete") != nil)
        setup.desktop.screenshot("frontend-complete")
        try setup.desktop.key("Return")
        let result = waitForExit(copy)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.contents(atPath: setup.incoming("report.txt")) == Data("quarterly numbers\n".utf8))
    }

    @Test func escapeInThePickerSendsNothing() throws {
        let setup = try Setup()
        try "x".write(toFile: setup.home("work") + "/a.txt", atomically: true, encoding: .utf8)
        try "y".write(toFile: setup.home("work") + "/b.txt", atomically: true, encoding: .utf8)
        let move = try setup.start(["qvm-move", "--gui", "--", "a.txt", "b.txt"])
        #expect(setup.desktop.waitForWindow(named: "Move 2 files to VM") != nil)
        try setup.desktop.key("Escape")
        let result = waitForExit(move)
        #expect(result.status == 1)
        #expect(!FileManager.default.fileExists(atPath: setup.home("personal") + "/QubesIncoming"))
        #expect(FileManager.default.fileExists(atPath: setup.home("work") + "/a.txt"), "a cancelled move keeps its sources")
    }

    @Test func failureShowsTheSentenceAndMoveKeepsItsSource() throws {
        let setup = try Setup()
        try "new".write(toFile: setup.home("work") + "/notes.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: setup.incoming(""), withIntermediateDirectories: true)
        try "old".write(toFile: setup.incoming("notes.txt"), atomically: true, encoding: .utf8)
        let move = try setup.start(["qvm-move-to-vm", "--gui", "personal", "notes.txt"])
        #expect(setup.desktop.waitForWindow(named: "Transfer failed") != nil)
        setup.desktop.screenshot("frontend-failed")
        try setup.desktop.key("Return")
        let result = waitForExit(move)
        #expect(result.status != 0)
        #expect(result.stderr.contains("already exists"), "\(result.stderr)")
        #expect(FileManager.default.contents(atPath: setup.home("work") + "/notes.txt") == Data("new".utf8))
        #expect(FileManager.default.contents(atPath: setup.incoming("notes.txt")) == Data("old".utf8))
    }

    /// Issue 14 item 1: a file appended to after it was sent (here by the unsandboxed service,
    /// once everything arrived and before it answers) is kept, and the outcome says so.
    @Test func moveKeepsAFileChangedAfterItWasSent() throws {
        let setup = try Setup()
        let log = setup.home("work") + "/log.txt"
        try "first\n".write(toFile: log, atomically: true, encoding: .utf8)
        let service = setup.root + "/personal/rpc/qubes.Filecopy"
        let answer = setup.desktop.home("answer")
        try "#!/bin/sh\n\(Programs.path("qfile-unpacker")) > '\(answer)'\nstatus=$?\necho second >> '\(log)'\ncat '\(answer)'\nexit $status\n"
            .write(toFile: service, atomically: true, encoding: .utf8)
        chmod(service, 0o755)
        let move = try Started(
            [Programs.path("qrexec-local"), "--root", setup.root, "run", "--no-sandbox", "work", "--", "qvm-move-to-vm", "--gui", "personal", "log.txt"],
            environment: setup.desktop.environment)
        #expect(setup.desktop.waitForWindow(named: "Transfer failed") != nil)
        setup.desktop.screenshot("frontend-move-kept")
        try setup.desktop.key("Return")
        let result = waitForExit(move)
        #expect(result.status == 1)
        #expect(result.stderr.contains("some sources could not be deleted"), "\(result.stderr)")
        #expect(FileManager.default.contents(atPath: log) == Data("first\nsecond\n".utf8))
        #expect(FileManager.default.contents(atPath: setup.incoming("log.txt")) == Data("first\n".utf8))
    }

    /// A receiver that starts slowly keeps the transfer going for seconds: the progress window
    /// appears, Cancel ends the transfer, and nothing half-written arrives.
    @Test func cancelInTheProgressWindowEndsTheTransfer() throws {
        let setup = try Setup()
        let service = setup.root + "/personal/rpc/qubes.Filecopy"
        try "#!/bin/sh\nsleep 30\nexec \(Programs.path("qfile-unpacker"))\n".write(toFile: service, atomically: true, encoding: .utf8)
        chmod(service, 0o755)
        let big = setup.home("work") + "/big.bin"
        _ = FileManager.default.createFile(atPath: big, contents: Data(count: 16 << 20))
        let copy = try setup.start(["qvm-copy-to-vm", "--gui", "personal", "big.bin"])
        #expect(setup.desktop.waitForWindow(named: "Copying to personal") != nil)
        setup.desktop.screenshot("frontend-progress")
        let cancelledAt = Date()
        try setup.desktop.key("Escape")
        // Issue 15 item 2: a cancel is not an error: no "Transfer failed" dialog, a neutral
        // note (a notification where a service shows them; none runs here), status 130.
        let result = waitForExit(copy)
        #expect(Date().timeIntervalSince(cancelledAt) < 15, "Cancel does not wait for the slow receiver")
        #expect(setup.desktop.waitForWindow(named: "Transfer failed", seconds: 2) == nil, "a cancel is reported as an error")
        #expect(result.status == 130, "\(result.stderr)")
        #expect(result.stderr.contains("The copy to personal was cancelled."), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: setup.incoming("big.bin")))
    }

    /// "Open in VM…": no VM on the command line, so the picker asks; the application in the
    /// chosen VM (a scripted editor set in its opener settings) edits the file, and the edit
    /// comes back.
    @Test func openInVMAsksForTheVMAndTheEditComesBack() throws {
        let setup = try Setup(policy: "qubes.OpenInVM * work personal allow\n")
        let settings = setup.home("personal") + "/.config/intervm"
        try FileManager.default.createDirectory(atPath: settings, withIntermediateDirectories: true)
        try "sed -i s/draft/final/\n".write(toFile: settings + "/opener", atomically: true, encoding: .utf8)
        try "draft\n".write(toFile: setup.home("work") + "/letter.txt", atomically: true, encoding: .utf8)
        let open = try setup.start(["qvm-open-in-vm", "--gui", "--", "letter.txt"])
        #expect(setup.desktop.waitForWindow(named: "Open \"letter.txt\" in VM") != nil)
        try setup.desktop.type("personal")
        try setup.desktop.key("Return")
        let result = waitForExit(open)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.contents(atPath: setup.home("work") + "/letter.txt") == Data("final\n".utf8))
    }

    @Test func aFolderCannotBeOpenedAndTheDialogSaysSo() throws {
        let setup = try Setup()
        try FileManager.default.createDirectory(atPath: setup.home("work") + "/Photos", withIntermediateDirectories: true)
        let open = try setup.start(["qvm-open-in-dvm", "--gui", "--", "Photos"])
        #expect(setup.desktop.waitForWindow(named: "Transfer failed") != nil)
        setup.desktop.screenshot("frontend-open-folder")
        try setup.desktop.key("Return")
        let result = waitForExit(open)
        #expect(result.status == 1)
        #expect(result.stderr.contains("is a folder"), "\(result.stderr)")
    }
}
