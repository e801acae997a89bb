import Foundation
import Testing
import TestSupport

/// The front ends' pre-check refuses a selection the sender could not read to the end, before
/// anything is sent. Root reads anything, so the VMs run as nobody here.
@Suite struct FrontEndPreCheckTests {
    /// Issue 14 item 9: `qvm-copy-to-vm personal ok.txt BAD` with BAD a file that cannot be
    /// opened for reading (mode 000) or a folder that cannot be listed (mode 0333) fails with
    /// a message naming BAD, and ok.txt never arrives.
    @Test(.enabled(if: getuid() == 0, "needs root"), arguments: ["locked.txt", "closed", "folder/locked.txt"])
    func unreadableEntryStopsTheCopyBeforeAnythingIsSent(_ bad: String) throws {
        let vms = try LocalVMsFixture(vms: ["work", "personal"], policy: "qubes.Filecopy * work personal allow\n")
        let home = vms.home("work")
        try vms.write("fine\n", to: home + "/ok.txt")
        try vms.write("secret\n", to: home + "/locked.txt")
        try vms.write("inside\n", to: home + "/closed/inner.txt")
        try vms.write("fine too\n", to: home + "/folder/a.txt")
        try vms.write("secret\n", to: home + "/folder/locked.txt")
        #expect(chmod(vms.scratch.path, 0o755) == 0)
        #expect(try run(["/bin/chown", "-R", "65534:65534", vms.root]).status == 0)
        #expect(chmod(home + "/locked.txt", 0o000) == 0)
        #expect(chmod(home + "/folder/locked.txt", 0o000) == 0)
        #expect(chmod(home + "/closed", 0o333) == 0)
        let argument = bad == "folder/locked.txt" ? "folder" : bad

        let result = try run(
            ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", LocalVMsFixture.qrexecLocal,
             "--root", vms.root, "run", "--no-sandbox", "work", "--", "qvm-copy-to-vm", "personal", "ok.txt", argument])

        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("\"\(bad)\""), "\(result.stderr)")
        #expect(result.stderr.contains("Nothing was sent"), "\(result.stderr)")
        #expect(!vms.exists(vms.incoming("personal", from: "work") + "/ok.txt"), "\(result.stderr)")
    }

    /// Issue 14 item 9: the name in that message is escaped: a newline in it cannot start a
    /// line of its own.
    @Test(.enabled(if: getuid() == 0, "needs root"))
    func unreadableNameIsEscaped() throws {
        let vms = try LocalVMsFixture(vms: ["work", "personal"], policy: "qubes.Filecopy * work personal allow\n")
        let home = vms.home("work")
        try vms.write("secret\n", to: home + "/two\nlines.txt")
        #expect(chmod(vms.scratch.path, 0o755) == 0)
        #expect(try run(["/bin/chown", "-R", "65534:65534", vms.root]).status == 0)
        #expect(chmod(home + "/two\nlines.txt", 0o000) == 0)

        let result = try run(
            ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", LocalVMsFixture.qrexecLocal,
             "--root", vms.root, "run", "--no-sandbox", "work", "--", "qvm-copy-to-vm", "personal", "two\nlines.txt"])

        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("\"two\\nlines.txt\""), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }
}
