import Foundation
import Testing
import TestSupport

/// The service side runs in bubblewrap: it sees only the target VM's home, writable, and the
/// system read-only.
@Suite struct SandboxTests {
    @Test func serviceCannotReadOrWriteAnotherVMsHome() throws {
        let vms = try LocalVMsFixture(vms: ["work", "personal", "vault"], policy: "test.ReadOther * work personal allow\n")
        try vms.write("vault secret 7f3a\n", to: vms.home("vault") + "/secret.txt")
        try vms.write("personal's own note\n", to: vms.home("personal") + "/note.txt")
        let other = vms.home("vault") + "/secret.txt"
        let script = """
            #!/bin/sh
            echo "own: $(cat "$HOME/note.txt" 2>&1)"
            echo "other: $(cat '\(other)' 2>&1)"
            echo "root: $(ls '\(vms.root)' 2>&1)"
            echo "caller: $(ls '\(vms.home("work"))' 2>&1)"
            touch '\(vms.home("vault"))/planted' 2>/dev/null && echo "planted" || echo "plant refused"
            touch /usr/planted 2>/dev/null && echo "system writable" || echo "system read-only"
            echo written > "$HOME/written.txt" && echo "home writable"

            """
        try vms.addService("test.ReadOther", in: "personal", script: script)
        let result = try vms.run(as: "work", ["qrexec-client-vm", "personal", "test.ReadOther"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = String(decoding: result.stdout, as: UTF8.self)
        #expect(report.contains("own: personal's own note"))
        #expect(!report.contains("7f3a"))
        #expect(report.contains("other: cat: \(other): No such file or directory"))
        #expect(!report.contains("vault\n") && !report.contains("policy.d"))
        #expect(report.contains("plant refused"))
        #expect(report.contains("system read-only"))
        #expect(report.contains("home writable"))
        #expect(!vms.exists(vms.home("vault") + "/planted"))
        #expect(!vms.exists("/usr/planted"))
        #expect(vms.read(vms.home("personal") + "/written.txt") == "written\n")
    }

    @Test func noSandboxIsOnlyOnRequest() throws {
        let vms = try LocalVMsFixture(vms: ["work", "personal"], policy: "test.Home * work personal allow\n")
        try vms.addService("test.Home", in: "personal", script: "#!/bin/sh\necho \"$HOME\"\n")
        let sandboxed = try vms.run(as: "work", ["qrexec-client-vm", "personal", "test.Home"])
        #expect(String(decoding: sandboxed.stdout, as: UTF8.self) == "/home/user\n")
        let bare = try vms.run(as: "work", ["qrexec-client-vm", "personal", "test.Home"], options: ["--no-sandbox"])
        #expect(String(decoding: bare.stdout, as: UTF8.self) == vms.home("personal") + "\n")
    }

    @Test func serviceKeepsNoCapabilityButChroot() throws {
        let vms = try LocalVMsFixture(vms: ["work", "personal"], policy: "test.Caps * work personal allow\n")
        try vms.addService("test.Caps", in: "personal", script: "#!/bin/sh\ngrep CapEff /proc/self/status\n")
        let result = try vms.run(as: "work", ["qrexec-client-vm", "personal", "test.Caps"])
        let expected = geteuid() == 0 ? "0000000000040000" : "0000000000000000"
        #expect(String(decoding: result.stdout, as: UTF8.self) == "CapEff:\t\(expected)\n")
    }

    @Test func unusableSandboxRefusesUnlessNoSandbox() throws {
        let vms = try LocalVMsFixture(vms: ["work", "personal"], policy: "test.Home * work personal allow\n")
        try vms.addService("test.Home", in: "personal", script: "#!/bin/sh\necho ran\n")
        // A bwrap that always fails stands for a kernel without user namespaces.
        try vms.write("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n", to: vms.scratch("fakebin/bwrap"))
        chmod(vms.scratch("fakebin/bwrap"), 0o755)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = vms.scratch("fakebin") + ":/usr/bin:/bin"
        let command = [LocalVMsFixture.qrexecLocal, "--root", vms.root, "run"]
        let refused = try TestSupport.run(command + ["work", "--", "qrexec-client-vm", "personal", "test.Home"], environment: environment)
        #expect(refused.status == 125)
        #expect(refused.stderr.contains("--no-sandbox"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)
        let bare = try TestSupport.run(
            command + ["--no-sandbox", "work", "--", "qrexec-client-vm", "personal", "test.Home"], environment: environment)
        #expect(bare.status == 0)
        #expect(String(decoding: bare.stdout, as: UTF8.self) == "ran\n")
    }
}
