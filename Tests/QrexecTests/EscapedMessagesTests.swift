import Foundation
import Testing
import TestSupport

/// Issue 14 item 5: every program's error paths, fed names, link targets, VM names, options and
/// settings keys that hold terminal escapes, a C1 control and a newline: no control character
/// (other than the newline that ends a line) reaches stderr, and no line can be forged.
@Suite("Messages escape untrusted values")
struct EscapedMessagesTests {
    /// Sets the terminal title, clears the screen, starts a C1 CSI sequence, then tries to
    /// start a line of its own.
    static let hostile = "x\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m\u{7F}\nFORGED: done"

    static func expectClean(_ finished: Finished, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(finished.status != 0, "\(what) should fail", sourceLocation: sourceLocation)
        #expect(!finished.stderr.isEmpty, "\(what) said nothing", sourceLocation: sourceLocation)
        for scalar in finished.stderr.unicodeScalars where scalar != "\n" {
            let control = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
            #expect(!control, "\(what): U+\(String(scalar.value, radix: 16)) in \(finished.stderr.debugDescription)",
                sourceLocation: sourceLocation)
            if control { break }
        }
        let forged = finished.stderr.split(separator: "\n").contains { $0.hasPrefix("FORGED") }
        #expect(!forged, "\(what): a line was forged: \(finished.stderr.debugDescription)", sourceLocation: sourceLocation)
    }

    static func program(_ name: String) -> String { Programs.path(name) }

    @Test func copyFrontEnd() throws {
        let scratch = try TemporaryDirectory()
        Self.expectClean(try run([Self.program("qvm-copy-to-vm"), "personal", scratch("missing" + Self.hostile)]), "missing file")
        Self.expectClean(try run([Self.program("qvm-copy-to-vm"), "vm" + Self.hostile, "/etc/hostname"]), "VM name")
        try FileManager.default.createSymbolicLink(atPath: scratch("link"), withDestinationPath: "/abs" + Self.hostile)
        Self.expectClean(try run([Self.program("qvm-copy-to-vm"), "personal", scratch("link")]), "link target")
        try FileManager.default.createDirectory(atPath: scratch("d"), withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: scratch("d/l"), withDestinationPath: "../../out" + Self.hostile)
        Self.expectClean(try run([Self.program("qvm-copy-to-vm"), "personal", scratch("d")]), "link target in a folder")
    }

    @Test func openInVMPrograms() throws {
        let scratch = try TemporaryDirectory()
        let missing = scratch("missing" + Self.hostile)
        Self.expectClean(try run([Self.program("qvm-open-in-vm"), "personal", missing]), "qvm-open-in-vm missing file")
        Self.expectClean(try run([Self.program("qvm-open-in-vm"), "vm" + Self.hostile, "/etc/hostname"]), "qvm-open-in-vm VM")
        Self.expectClean(try run([Self.program("qvm-open-in-vm"), "--x" + Self.hostile]), "qvm-open-in-vm option")
        Self.expectClean(try run([Self.program("qopen-in-vm"), missing]), "qopen-in-vm missing file")
        Self.expectClean(try run([Self.program("qopen-in-vm"), "--x" + Self.hostile]), "qopen-in-vm option")
    }

    @Test func senderAndReceiver() throws {
        let scratch = try TemporaryDirectory()
        Self.expectClean(try run([Self.program("qfile-agent"), scratch("missing" + Self.hostile)]), "qfile-agent missing file")
        Self.expectClean(try run([Self.program("qfile-agent"), "--x" + Self.hostile]), "qfile-agent option")
        Self.expectClean(
            try run([Self.program("qfile-unpacker")], environment: ["QREXEC_REMOTE_DOMAIN": "vm" + Self.hostile, "HOME": scratch.path]),
            "qfile-unpacker source VM")
        Self.expectClean(try run([Self.program("qfile-unpacker"), "--x" + Self.hostile, "0", scratch.path]), "qfile-unpacker option")
        try FileManager.default.createDirectory(atPath: scratch(".config/intervm"), withIntermediateDirectories: true)
        try Data(("k" + Self.hostile.replacingOccurrences(of: "\n", with: "") + " = 1\n").utf8)
            .write(to: URL(fileURLWithPath: scratch(".config/intervm/receiver.conf")))
        Self.expectClean(
            try run([Self.program("qfile-unpacker")], environment: ["QREXEC_REMOTE_DOMAIN": "work", "HOME": scratch.path]),
            "qfile-unpacker settings key")
    }

    @Test func localQrexec() throws {
        let fixture = try LocalVMsFixture(vms: ["work"])
        let qrexecLocal = LocalVMsFixture.qrexecLocal
        Self.expectClean(try run([qrexecLocal, "--root", fixture.root, "run", "vm" + Self.hostile, "--", "true"]), "run in a missing VM")
        Self.expectClean(try run([qrexecLocal, "--x" + Self.hostile]), "qrexec-local option")
        Self.expectClean(try run([qrexecLocal, "--root", fixture.root, "create", "vm" + Self.hostile]), "create an invalid VM")
        Self.expectClean(try fixture.run(as: "work", ["qrexec-client-vm", "--", "personal" + Self.hostile, "qubes.Filecopy", "/bin/true"]),
            "qrexec-client-vm target")
        Self.expectClean(try fixture.run(as: "work", ["qrexec-client-vm", "--", "work", "qubes.Filecopy" + Self.hostile, "/bin/true"]),
            "qrexec-client-vm service")
    }
}
