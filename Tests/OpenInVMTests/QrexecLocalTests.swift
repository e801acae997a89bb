import Foundation
import Testing
import TestSupport

/// The front ends under `qrexec-local`, the local qrexec stand-in: real policy, real bubblewrap
/// sandbox for the service side, pipes joined by the stand-in.
///
/// The stand-in starts services with a cleared environment (PATH, HOME, QREXEC_* and locale
/// only). A disposable starts as a copy of the `default-dvm` template when it exists (its
/// `~/.config/intervm/opener` chooses the application), else empty, where the service refuses
/// clearly. A named VM may also set INTERVM_OPENER in its own `rpc/qubes.OpenInVM`.
@Suite struct QrexecLocalTests {
    static let qrexecLocal = Programs.path("qrexec-local")

    struct VMs {
        let scratch: TemporaryDirectory
        var root: String { scratch("vms") }
        func home(_ vm: String) -> String { root + "/" + vm + "/home" }

        func run(as vm: String, _ command: [String]) throws -> Finished {
            try TestSupport.run([QrexecLocalTests.qrexecLocal, "--root", root, "run", vm, "--"] + command)
        }

        /// VM folders left in the root (disposables are named dispN).
        var entries: [String] { Fixture.contents(of: root) }
    }

    func makeVMs(_ names: [String], policy: String? = nil) throws -> VMs {
        let vms = VMs(scratch: try TemporaryDirectory())
        let created = try run([Self.qrexecLocal, "--root", vms.root, "create"] + names)
        try #require(created.status == 0, "create: \(created.stderr)")
        if let policy {
            try policy.write(toFile: vms.root + "/policy.d/10-test.policy", atomically: true, encoding: .utf8)
        }
        return vms
    }

    /// `qvm-open-in-dvm report.txt` from VM work: the default policy allows it, a disposable VM
    /// is made, vm-file-editor runs in its sandbox and, with no application there, fails.
    /// Issue 15 item 1: that is a failure (the service's status, as Qubes' qrexec-client-vm
    /// returns it), told as one sentence from the program the user ran, with the service's
    /// reason and no helper's name; the original is untouched and the disposable is gone.
    @Test func disposableCallEndToEnd() throws {
        let vms = try makeVMs(["work"])
        let file = vms.home("work") + "/report.txt"
        Fixture.write(Fixture.original, to: file, mode: 0o640)
        let before = Fixture.status(file)
        let result = try vms.run(as: "work", ["qvm-open-in-dvm", "report.txt"])
        #expect(result.status != 0, "the service failed: \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one sentence: \(result.stderr)")
        #expect(result.stderr.hasPrefix("qvm-open-in-dvm: \"report.txt\" could not be opened in the other VM: No application"),
            "\(result.stderr)")
        #expect(result.stderr.contains("Nothing changed here."))
        #expect(!result.stderr.contains("vm-file-editor") && !result.stderr.contains("qopen-in-vm"), "\(result.stderr)")
        #expect(Fixture.bytes(file) == Fixture.original)
        #expect(Fixture.status(file).st_ino == before.st_ino)
        #expect(vms.entries.allSatisfy { !$0.hasPrefix("disp") }, "disposable left: \(vms.entries)")
    }

    /// The "done when": with a scripted editor set up in the DispVM template
    /// (`default-dvm`, which every plain `@dispvm` starts as a copy of), the edit made in the
    /// disposable lands in work's file, its mode kept, and nothing is left behind anywhere.
    @Test func editInDisposableFromDefaultTemplate() throws {
        let vms = try makeVMs(["work", "default-dvm"])
        let settings = vms.home("default-dvm") + "/.config/intervm"
        try FileManager.default.createDirectory(atPath: settings, withIntermediateDirectories: true)
        try "# the application the disposable opens files with\nsed -i s/original/edited/\n".write(
            toFile: settings + "/opener", atomically: true, encoding: .utf8)
        let file = vms.home("work") + "/report.txt"
        Fixture.write(Fixture.original, to: file, mode: 0o640)
        let result = try vms.run(as: "work", ["qvm-open-in-dvm", "report.txt"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Fixture.bytes(file) == Array("edited\n".utf8))
        #expect(Fixture.status(file).st_mode & 0o7777 == 0o640)
        #expect(Fixture.contents(of: vms.home("work")) == ["report.txt"])
        #expect(vms.entries.allSatisfy { !$0.hasPrefix("disp") }, "disposable left: \(vms.entries)")
        #expect(Fixture.contents(of: vms.home("default-dvm")) == [".config"], "the template is never changed")
    }

    func addEditorVM(_ vms: VMs) throws {
        let bin = vms.home("editor") + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixture.service, toPath: bin + "/vm-file-editor")
        let service = vms.root + "/editor/rpc/qubes.OpenInVM"
        try "#!/bin/sh\nINTERVM_OPENER='sed -i s/original/edited/' exec /home/user/bin/vm-file-editor\n".write(
            toFile: service, atomically: true, encoding: .utf8)
        chmod(service, 0o755)
    }

    @Test func editInNamedVMEndToEnd() throws {
        let vms = try makeVMs(["work", "editor"], policy: "qubes.OpenInVM * work editor allow\n")
        try addEditorVM(vms)
        let file = vms.home("work") + "/report.txt"
        Fixture.write(Fixture.original, to: file, mode: 0o640)
        let result = try vms.run(as: "work", ["qvm-open-in-vm", "editor", "report.txt"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Fixture.bytes(file) == Array("edited\n".utf8))
        #expect(Fixture.status(file).st_mode & 0o7777 == 0o640)
        #expect(Fixture.contents(of: vms.home("work")) == ["report.txt"])
    }

    @Test func viewOnlyInNamedVMEndToEnd() throws {
        let vms = try makeVMs(["work", "editor"], policy: "qubes.OpenInVM * work editor allow\n")
        try addEditorVM(vms)
        let file = vms.home("work") + "/report.txt"
        Fixture.write(Fixture.original, to: file)
        let before = Fixture.status(file)
        let result = try vms.run(as: "work", ["qvm-open-in-vm", "--view-only", "editor", "report.txt"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Fixture.bytes(file) == Fixture.original)
        #expect(Fixture.status(file).st_ino == before.st_ino)
    }

    @Test func refusedByPolicyEndToEnd() throws {
        let vms = try makeVMs(["work", "editor"], policy: "qubes.OpenInVM * work editor deny\n")
        let file = vms.home("work") + "/report.txt"
        Fixture.write(Fixture.original, to: file)
        let result = try vms.run(as: "work", ["qvm-open-in-vm", "editor", "report.txt"])
        #expect(result.status == 126)
        #expect(result.stderr.contains("refused"))
        #expect(Fixture.bytes(file) == Fixture.original)
    }
}
