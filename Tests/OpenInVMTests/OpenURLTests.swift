import Foundation
import OpenInVM
import Testing
import TestSupport

/// Issue 16 §1: qubes.OpenURL. The front ends' rule for telling a URL from a file name, and the
/// service `vm-url-opener`, which opens only http, https and ftp URLs, with the URL as one
/// argument of the opener.
@Suite("qubes.OpenURL")
struct OpenURLTests {
    static let service = Programs.path("vm-url-opener")

    @Test("what the front ends take for a URL", arguments: [
        ("http://example.org", true), ("HTTP://x", true), ("https://a/b?c", true), ("x://", true),
        ("svn+ssh://host/repo", true), ("a1://b", true),
        ("1http://x", false), ("http:/x", false), ("://x", false), ("ht-tp://x", false), ("http:", false),
        ("report.pdf", false), ("dir/http://x", false), ("", false),
    ])
    func urlDetection(argument: String, isURL: Bool) {
        #expect(URLRequest.looksLikeURL(argument) == isURL)
    }

    /// An opener that records its arguments, one a line, in $OPENER_LOG.
    static func recordingOpener(in folder: TemporaryDirectory) throws -> String {
        let path = folder("opener.sh")
        try "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$OPENER_LOG\"\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    static func serve(_ input: [UInt8]) throws -> (Finished, [String]?) {
        let folder = try TemporaryDirectory()
        let log = folder("opener.log")
        let finished = try run(
            [service], stdin: input,
            environment: ["PATH": "/usr/bin:/bin", "HOME": folder.path, "INTERVM_OPENER": try recordingOpener(in: folder), "OPENER_LOG": log])
        let arguments = (try? String(contentsOfFile: log, encoding: .utf8)).map { $0.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
        return (finished, arguments)
    }

    @Test("accepted URLs reach the opener as one argument", arguments: [
        "https://example.org/a b?c=d&e=$(touch x);f", "http://x", "ftp://host/file", "HTTPS://Example.org",
    ])
    func acceptedURL(url: String) throws {
        let (finished, arguments) = try Self.serve(Array((url + "\n").utf8))
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(arguments == [url])
    }

    @Test func onlyTheFirstLineIsRead() throws {
        let (finished, arguments) = try Self.serve(Array("http://first\nhttp://second\n".utf8))
        #expect(finished.status == 0)
        #expect(arguments == ["http://first"])
    }

    @Test("anything else is refused and nothing is started", arguments: [
        "javascript:alert(1)\n", "file:///etc/passwd\n", "data:text/html,x\n", "http://a\u{1B}]0;x\u{07}\n",
        "http://a\rb\n", "http://a\u{85}b\n", "http://no-newline", "\n", "", "mailto:a@b\n", "http:/x\n",
        "http://" + String(repeating: "a", count: 1 << 20) + "\n",
    ])
    func refused(input: String) throws {
        let (finished, arguments) = try Self.serve(Array(input.utf8))
        #expect(finished.status != 0)
        #expect(finished.stderr.contains("Invalid URL"), "\(finished.stderr)")
        #expect(arguments == nil, "the opener ran")
    }

    @Test func invalidUTF8IsRefused() throws {
        let (finished, arguments) = try Self.serve(Array("http://a".utf8) + [0xFF, 0x0A])
        #expect(finished.status != 0)
        #expect(arguments == nil)
    }
}

/// Issue 16 §1: `qvm-open-in-vm VM URL` and `qvm-open-in-dvm URL` end to end under qrexec-local,
/// with VM `browser` whose opener records the link it was given.
@Suite("qubes.OpenURL end to end")
struct OpenURLEndToEndTests {
    static let qrexecLocal = Programs.path("qrexec-local")

    struct VMs {
        let scratch: TemporaryDirectory
        var root: String { scratch("vms") }
        func home(_ vm: String) -> String { root + "/" + vm + "/home" }
        func run(as vm: String, _ command: [String], environment: [String: String]? = nil) throws -> Finished {
            try TestSupport.run([OpenURLEndToEndTests.qrexecLocal, "--root", root, "run", vm, "--"] + command, environment: environment)
        }
        var opened: String? { try? String(contentsOfFile: home("browser") + "/opened", encoding: .utf8) }
    }

    static func makeVMs(policy: String = "qubes.OpenURL * work browser allow\n") throws -> VMs {
        let vms = VMs(scratch: try TemporaryDirectory())
        let created = try run([qrexecLocal, "--root", vms.root, "create", "work", "browser"])
        try #require(created.status == 0, "create: \(created.stderr)")
        try policy.write(toFile: vms.root + "/policy.d/10-test.policy", atomically: true, encoding: .utf8)
        let settings = vms.home("browser") + "/.config/intervm"
        try FileManager.default.createDirectory(atPath: settings, withIntermediateDirectories: true)
        try "/home/user/record.sh\n".write(toFile: settings + "/opener", atomically: true, encoding: .utf8)
        let script = vms.home("browser") + "/record.sh"
        try "#!/bin/sh\nprintf '%s' \"$1\" > /home/user/opened\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        return vms
    }

    @Test func linkOpensInTheOtherVM() throws {
        let vms = try Self.makeVMs()
        let url = "https://example.org/a b?c=$(id)&d='e'"
        let result = try vms.run(as: "work", ["qvm-open-in-vm", "browser", url])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(vms.opened == url)
    }

    @Test func refusedSchemeIsAFailureAndOpensNothing() throws {
        let vms = try Self.makeVMs()
        let result = try vms.run(as: "work", ["qvm-open-in-vm", "browser", "javascript://alert(1)"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("Invalid URL"), "\(result.stderr)")
        #expect(vms.opened == nil)
    }

    @Test func neitherFileNorURLIsOneClearError() throws {
        let vms = try Self.makeVMs()
        let result = try vms.run(as: "work", ["qvm-open-in-vm", "browser", "no-such-file"])
        #expect(result.status != 0)
        #expect(result.stderr == "qvm-open-in-vm: \"no-such-file\" is neither a file nor a URL (such as https://example.org).\n")
    }

    /// A file that exists is a file, even when its path reads like a URL: `http://x` here is the
    /// file `x` in the folder `http:`, so it goes to qubes.OpenInVM (which this policy refuses).
    @Test func anExistingFileIsNeverTakenForAURL() throws {
        let vms = try Self.makeVMs()
        try FileManager.default.createDirectory(atPath: vms.home("work") + "/http:", withIntermediateDirectories: true)
        try "x\n".write(toFile: vms.home("work") + "/http:/x", atomically: true, encoding: .utf8)
        let result = try vms.run(as: "work", ["qvm-open-in-vm", "browser", "http://x"])
        #expect(result.status == 126, "\(result.stderr)")
        #expect(vms.opened == nil)
    }

    /// Qubes' loop guard: inside an OpenInVM or OpenURL service, a call to a new disposable VM
    /// needs a yes in a dialog; with no display it is refused, and nothing is called.
    @Test(arguments: ["qubes.OpenInVM", "qubes.OpenURL+", "qubes.OpenInVM+x"])
    func nestedDisposableIsRefusedWithoutADisplay(service: String) throws {
        let scratch = try TemporaryDirectory()
        let alias = scratch("qvm-open-in-dvm")
        try FileManager.default.createSymbolicLink(atPath: alias, withDestinationPath: Programs.path("qvm-open-in-vm"))
        let result = try run(
            [alias, "https://example.org"],
            environment: ["PATH": scratch.path + ":/usr/bin:/bin", "QREXEC_SERVICE_FULL_NAME": service, "HOME": scratch.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("Not opening another disposable VM from inside one"), "\(result.stderr)")
    }

    @Test func outsideTheServicesTheGuardStaysOut() throws {
        let scratch = try TemporaryDirectory()
        let alias = scratch("qvm-open-in-dvm")
        try FileManager.default.createSymbolicLink(atPath: alias, withDestinationPath: Programs.path("qvm-open-in-vm"))
        // No qrexec-client-vm on PATH: the call itself fails, after the guard let it through.
        let result = try run([alias, "https://example.org"], environment: ["PATH": scratch.path + ":/usr/bin:/bin", "HOME": scratch.path])
        #expect(result.status != 0)
        #expect(!result.stderr.contains("Not opening another disposable VM"), "\(result.stderr)")
        #expect(result.stderr.contains("qrexec-client-vm"), "\(result.stderr)")
    }
}
