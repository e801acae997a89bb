import FilecopyWire
import Foundation
import Testing
import TestSupport

/// Who starts the receiver and whom it receives as.
enum ReceivingIdentity: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// `qfile-unpacker 0 DIR` run by root: it keeps uid 0 after the chroot.
    case rootAsRoot = "root receiving as root"
    /// `qfile-unpacker 65534 DIR` run by root: it drops to nobody after the chroot.
    case rootAsNobody = "root receiving as nobody"
    /// Run by nobody (setpriv): a user namespace makes its chroot possible.
    case nobody = "nobody receiving as nobody"

    var testDescription: String { rawValue }
}

/// A receiver started on a pipe that the test has not written to yet, so it waits for its
/// first header, confinement done: what it holds can be read from /proc.
final class WaitingReceiver {
    let root: TemporaryDirectory
    let started: Started

    init(_ identity: ReceivingIdentity, without removed: Set<KernelLayer> = []) throws {
        root = try TemporaryDirectory()
        chmod(root.path, 0o755)
        try FileManager.default.createDirectory(atPath: root("in"), withIntermediateDirectories: false)
        let receiving = identity == .rootAsRoot ? "0" : String(ReceiverSetup.nobody)
        if identity != .rootAsRoot { chown(root("in"), ReceiverSetup.nobody, ReceiverSetup.nobody) }
        var command = [Programs.path("qfile-unpacker"), receiving, root("in")]
        if identity == .nobody {
            let nobody = String(ReceiverSetup.nobody)
            command = ["/usr/bin/setpriv", "--reuid=\(nobody)", "--regid=\(nobody)", "--clear-groups"] + command
        }
        if !removed.isEmpty {
            try LayerRemover.writeFilter(removing: removed, to: root("seccomp.bpf"))
            command = LayerRemover.wrap(command, filterPath: root("seccomp.bpf"))
        }
        started = try Started(command, environment: ["HOME": root("in"), "PATH": "/usr/bin:/bin"])
    }

    /// The receiver's pid once it waits for input: setpriv execs it, bubblewrap forks it.
    func waitingPID() -> pid_t? {
        var found: pid_t?
        _ = waitUntil {
            found = Self.process(named: "qfile-unpacker", from: started.process.processIdentifier)
            return found.map(FaultTools.isBlockedReadingPipe) ?? false
        }
        return found
    }

    /// A field of /proc/PID/status, e.g. `CapEff`.
    static func status(_ pid: pid_t, _ field: String) -> String? {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") }
        return line.map { $0.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces) }
    }

    /// `pid` or its first descendant whose command is `name`.
    static func process(named name: String, from pid: pid_t) -> pid_t? {
        let command = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
        if command.trimmingCharacters(in: .whitespacesAndNewlines) == name { return pid }
        let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        for child in children.split(separator: " ").compactMap({ pid_t($0) }) {
            if let found = process(named: name, from: child) { return found }
        }
        return nil
    }

    func finish() -> Finished { started.finish() }
}

/// Kernels from 6.10 on let a process link a file it opened itself with
/// linkat(AT_EMPTY_PATH) without CAP_DAC_READ_SEARCH; before, a receiver without capabilities
/// links through `/proc/self/fd`.
let emptyPathLinkWorksWithoutCapabilities: Bool = {
    var names = utsname()
    uname(&names)
    let release = withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    let numbers = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
    return numbers.count == 2 && (numbers[0], numbers[1]) >= (6, 10)
}()

@Suite("Receiver: no capabilities once confined", .enabled(if: getuid() == 0, "needs root"))
struct ConfinementCapabilityTests {
    /// Issue 14 item 7: once confined (waiting for its first header), the receiver has empty
    /// effective, permitted, inheritable and ambient sets and an empty bounding set, whoever
    /// started it: root keeping uid 0 used to keep every capability.
    @Test(arguments: ReceivingIdentity.allCases) func noCapabilityIsLeft(_ identity: ReceivingIdentity) throws {
        let receiver = try WaitingReceiver(identity)
        let pid = try #require(receiver.waitingPID(), "the receiver never waited for input")
        for field in ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"] {
            let value = WaitingReceiver.status(pid, field)
            #expect(value == "0000000000000000", "\(field): \(value ?? "unreadable")")
        }
        let finished = receiver.finish()
        #expect(decodeResult(finished.stdout)?.code == .truncatedBetweenRecords, "\(finished.stderr)")
    }

    /// Issue 14 item 7: the receiver holds `/proc/self/fd` only where it links through it.
    /// Where linkat(AT_EMPTY_PATH) works for it, it is closed before the first byte is read
    /// (it used to stay open for a whole stream of folders and links).
    @Test(.enabled(if: emptyPathLinkWorksWithoutCapabilities, "kernel before 6.10"), arguments: ReceivingIdentity.allCases)
    func procFolderIsNotHeldWhenNotNeeded(_ identity: ReceivingIdentity) throws {
        let receiver = try WaitingReceiver(identity)
        let pid = try #require(receiver.waitingPID(), "the receiver never waited for input")
        let held = FaultTools.openDescriptors(pid)
        #expect(!held.contains { $0.hasPrefix("/proc/") && $0.hasSuffix("/fd") }, "\(held)")
        _ = receiver.finish()
    }

    /// The control: where the kernel refuses linkat(AT_EMPTY_PATH) (a seccomp filter here), the
    /// receiver keeps `/proc/self/fd`, which it needs to link each file.
    @Test(.enabled(if: LayerRemover.isAvailable && !HostileLayerTests.emptyPathLinkWhereFilterable.isEmpty, "needs bubblewrap on x86_64"))
    func procFolderIsHeldWhereLinkingNeedsIt() throws {
        let receiver = try WaitingReceiver(.rootAsRoot, without: [.emptyPathLink])
        let pid = try #require(receiver.waitingPID(), "the receiver never waited for input")
        let held = FaultTools.openDescriptors(pid)
        #expect(held.contains { $0.hasPrefix("/proc/") && $0.hasSuffix("/fd") }, "\(held)")
        _ = receiver.finish()
    }
}
