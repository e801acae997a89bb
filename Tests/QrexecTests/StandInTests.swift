import Foundation
import Testing
import TestSupport

/// `qrexec-local` end to end: policy, service environment, pipes, exit statuses.
@Suite struct StandInTests {
    static let envService = """
        #!/bin/sh
        echo "remote=$QREXEC_REMOTE_DOMAIN"
        echo "full=$QREXEC_SERVICE_FULL_NAME"
        echo "argument=$QREXEC_SERVICE_ARGUMENT"
        echo "dollar1=$1"
        echo "home=$HOME"
        echo "pwd=$(pwd)"
        touch "$HOME/ran"

        """

    @Test func allowedCallRunsServiceWithQubesEnvironment() throws {
        let vms = try LocalVMsFixture(vms: ["work", "personal"], policy: "test.Env * work personal allow\n")
        try vms.addService("test.Env", in: "personal", script: Self.envService)
        let result = try vms.run(as: "work", ["qrexec-client-vm", "personal", "test.Env+hello"])
        #expect(result.status == 0, "\(result.stderr)")
        let output = String(decoding: result.stdout, as: UTF8.self)
        #expect(output.contains("remote=work\n"))
        #expect(output.contains("full=test.Env+hello\n"))
        #expect(output.contains("argument=hello\n"))
        #expect(output.contains("dollar1=hello\n"))
        #expect(output.contains("home=/home/user\n"))
        #expect(output.contains("pwd=/home/user\n"))
        #expect(vms.exists(vms.home("personal") + "/ran"))
    }

    @Test func localProgramIsJoinedToServiceAndGetsSavedDescriptors() throws {
        let vms = try LocalVMsFixture(vms: ["work", "personal"], policy: "test.Upper * work personal allow\n")
        try vms.addService("test.Upper", in: "personal", script: "#!/bin/sh\ntr a-z A-Z\n")
        // The local program sends a line to the service and forwards the answer to the caller's
        // stdout through SAVED_FD_1; its own stdout belongs to the service.
        let local = ["/bin/sh", "-c", "echo quiet please; exec 1>&-; cat >&\"$SAVED_FD_1\"; echo \"$QREXEC_LOCAL_DOMAIN\" >&\"$SAVED_FD_1\""]
        let result = try vms.run(as: "work", ["qrexec-client-vm", "--", "personal", "test.Upper", "/bin/sh"] + local.dropFirst())
        #expect(result.status == 0, "\(result.stderr)")
        #expect(String(decoding: result.stdout, as: UTF8.self) == "QUIET PLEASE\nwork\n")
    }

    @Test func exitStatusIsTheLocalProgramsOwn() throws {
        let vms = try LocalVMsFixture(vms: ["work", "personal"], policy: "test.Cat * work personal allow\n")
        try vms.addService("test.Cat", in: "personal", script: "#!/bin/sh\ncat\n")
        let result = try vms.run(as: "work", ["qrexec-client-vm", "personal", "test.Cat", "/bin/sh", "-c", "exit 7"])
        #expect(result.status == 7)
    }

    /// Issue 16 §2 and issue 15 item 1: as Qubes' qrexec-client-vm, the service's exit status
    /// wins when it is not zero (a failed service is a failed call, whatever the local program
    /// made of its silence).
    @Test func exitStatusIsTheServicesWhenItFailed() throws {
        let vms = try LocalVMsFixture(vms: ["work", "personal"], policy: "test.Fail * work personal allow\n")
        try vms.addService("test.Fail", in: "personal", script: "#!/bin/sh\ncat >/dev/null\necho broken >&2\nexit 3\n")
        let result = try vms.run(as: "work", ["qrexec-client-vm", "personal", "test.Fail", "/bin/sh", "-c", "exit 0"])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("broken"), "the service's stderr reaches the caller")
        let bothFailed = try vms.run(as: "work", ["qrexec-client-vm", "personal", "test.Fail", "/bin/sh", "-c", "exit 7"])
        #expect(bothFailed.status == 3)
    }

    /// Issue 16 §2: a target without the service is 127, as Qubes' qrexec-client-vm answers.
    @Test func missingServiceIs127() throws {
        let vms = try LocalVMsFixture(vms: ["work", "personal"], policy: "test.Missing * work personal allow\n")
        let result = try vms.run(as: "work", ["qrexec-client-vm", "personal", "test.Missing", "/bin/true"])
        #expect(result.status == 127, "\(result.stderr)")
        #expect(result.stderr.contains("test.Missing"))
    }

    struct Refusal: Sendable, CustomStringConvertible {
        var policy: String
        var target: String
        var status: Int32
        var mentions: String
        var description: String { "\(target) with \(policy.debugDescription)" }
    }

    static let refusals: [Refusal] = [
        Refusal(policy: "test.Env * work personal deny\n", target: "personal", status: 126, mentions: "denies"),
        Refusal(policy: "other.Service * work personal allow\n", target: "personal", status: 126, mentions: "No policy rule"),
        Refusal(policy: "test.Env * work @default allow\n", target: "@default", status: 126, mentions: "target="),
        Refusal(policy: "test.Env * @anyvm @anyvm allow\n", target: "nosuchvm", status: 125, mentions: "nosuchvm"),
        Refusal(policy: "test.Env * @anyvm @anyvm allow\n", target: "work", status: 126, mentions: "itself"),
        Refusal(policy: "test.Env * @anyvm @anyvm allow\nbroken line\n", target: "personal", status: 126, mentions: "10-test.policy:2:"),
        Refusal(policy: "test.Env * @tag:x @anyvm allow\n", target: "personal", status: 126, mentions: "10-test.policy:1:"),
        Refusal(policy: "test.Env * work personal allow\n", target: "bad/name", status: 125, mentions: "bad/name"),
    ]

    @Test(arguments: refusals)
    func refusedCallsRunNothing(_ refusal: Refusal) throws {
        let vms = try LocalVMsFixture(vms: ["work", "personal"], policy: refusal.policy)
        try vms.addService("test.Env", in: "personal", script: Self.envService)
        try vms.addService("test.Env", in: "work", script: Self.envService)
        let result = try vms.run(as: "work", ["qrexec-client-vm", refusal.target, "test.Env", "/bin/sh", "-c", "touch \"$HOME/local-ran\""])
        #expect(result.status == refusal.status)
        #expect(result.stderr.contains(refusal.mentions), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
        #expect(!vms.exists(vms.home("personal") + "/ran"))
        #expect(!vms.exists(vms.home("work") + "/ran"))
        #expect(!vms.exists(vms.home("work") + "/local-ran"))
    }

    @Test func askWithoutTerminalIsRefused() throws {
        // The shipped default policy asks; setsid leaves the call without a controlling terminal.
        let vms = try LocalVMsFixture(vms: ["work", "personal"])
        try vms.addService("qubes.Filecopy", in: "personal", script: Self.envService)
        let result = try TestSupport.run(
            ["/usr/bin/setsid", "-w", LocalVMsFixture.qrexecLocal, "--root", vms.root, "run", "work", "--",
             "qrexec-client-vm", "@default", "qubes.Filecopy"])
        #expect(result.status == 126)
        #expect(result.stderr.contains("neither a terminal nor a GUI"), "\(result.stderr)")
        #expect(!vms.exists(vms.home("personal") + "/ran"))
    }

    @Test func escapeCharactersFromServiceAreFiltered() throws {
        let vms = try LocalVMsFixture(vms: ["work", "personal"], policy: "test.Noisy * work personal allow\n")
        try vms.addService("test.Noisy", in: "personal", script: "#!/bin/sh\nprintf 'a\\033[2Jb\\302\\233c\\tok\\n' >&2\n")
        let filtered = try vms.run(as: "work", ["qrexec-client-vm", "--filter-escape-chars-stderr", "--", "personal", "test.Noisy"])
        #expect(filtered.status == 0)
        #expect(filtered.stderr == "a_[2Jb_c\tok\n")
    }

    @Test func disposableVMIsCreatedAndRemoved() throws {
        let vms = try LocalVMsFixture(vms: ["work"], policy: "qubes.Filecopy * work @dispvm allow\n")
        let stream = try Data(contentsOf: URL(fileURLWithPath: Programs.vectorsDirectory + "/filecopy/single.stream"))
        let scratch = try TemporaryDirectory()
        _ = FileManager.default.createFile(atPath: scratch("stream"), contents: stream)
        // The built-in qubes.Filecopy receives the stream in the fresh disposable VM; the local
        // program reports the result code the receiver sent back.
        let local = "cat \(scratch("stream")); od -An -tu4 -N4 | tr -d ' ' >&\"$SAVED_FD_1\""
        let result = try vms.run(as: "work", ["qrexec-client-vm", "@dispvm", "qubes.Filecopy", "/bin/sh", "-c", local])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(String(decoding: result.stdout, as: UTF8.self) == "0\n")
        #expect(try vms.rootEntries().filter { $0.hasPrefix("disp") }.isEmpty)
    }

    @Test func createListRemove() throws {
        let vms = try LocalVMsFixture(vms: ["work", "personal"])
        let listed = try TestSupport.run([LocalVMsFixture.qrexecLocal, "--root", vms.root, "list"])
        #expect(String(decoding: listed.stdout, as: UTF8.self) == "personal\nwork\n")
        #expect(vms.read(vms.root + "/policy.d/90-default.policy")?.contains("qubes.Filecopy  *  @anyvm  @anyvm  ask") == true)
        let again = try TestSupport.run([LocalVMsFixture.qrexecLocal, "create", "--root", vms.root, "work"])
        #expect(again.status != 0)
        #expect(again.stderr.contains("already exists"))
        let invalid = try TestSupport.run([LocalVMsFixture.qrexecLocal, "--root", vms.root, "create", "../evil"])
        #expect(invalid.status != 0)
        #expect(!vms.exists(vms.scratch("evil")))
        let removed = try TestSupport.run([LocalVMsFixture.qrexecLocal, "--root", vms.root, "remove", "work"])
        #expect(removed.status == 0)
        #expect(!vms.exists(vms.root + "/work"))
    }
}

/// `ask` on a terminal: `script` gives the call a pseudo-terminal and types the answer.
@Suite struct AskPromptTests {
    func ask(answer: String, target: String) throws -> (Finished, LocalVMsFixture) {
        let vms = try LocalVMsFixture(
            vms: ["work", "personal", "vault"],
            policy: "test.Env * @anyvm vault deny\ntest.Env * @anyvm @anyvm ask default_target=personal\n")
        try vms.addService("test.Env", in: "personal", script: StandInTests.envService)
        let command = "\(LocalVMsFixture.qrexecLocal) --root \(vms.root) run work -- qrexec-client-vm \(target) test.Env"
        let result = try TestSupport.run(["/usr/bin/script", "-qec", command, "/dev/null"], stdin: Array(answer.utf8))
        return (result, vms)
    }

    @Test(arguments: ["personal\n", "1\n", "\n"])
    func answerPicksTarget(_ answer: String) throws {
        let (result, vms) = try ask(answer: answer, target: "@default")
        #expect(result.status == 0)
        let screen = String(decoding: result.stdout, as: UTF8.self)
        #expect(screen.contains("1) personal"))
        #expect(!screen.contains("vault"), "denied targets are not offered")
        #expect(screen.contains("remote=work"))
        #expect(vms.exists(vms.home("personal") + "/ran"))
    }

    @Test(arguments: ["nonsense\n", "vault\n", "9\n", ""])
    func otherAnswersRefuse(_ answer: String) throws {
        let (result, vms) = try ask(answer: answer, target: "@default")
        #expect(result.status == 126)
        #expect(!vms.exists(vms.home("personal") + "/ran"))
    }
}
