import Foundation
import Glibc
import Testing
import TestSupport

/// A kernel feature the receiver relies on, which a test can take away to check that the other
/// layers still hold on their own (as on an older or differently configured kernel).
enum KernelLayer: String, Sendable, CaseIterable, CustomTestStringConvertible {
    /// Landlock (`landlock_create_ruleset`, `landlock_add_rule`, `landlock_restrict_self`).
    case landlock
    /// `openat2` (the receiver then walks paths one component at a time with `O_NOFOLLOW`).
    case openat2
    /// `landlock_restrict_self` alone: the ruleset is made but cannot be enforced, so the
    /// receiver notes "Landlock refused" with the system's reason, from inside its chroot.
    case landlockRestriction
    /// `linkat(AT_EMPTY_PATH)`, refused with ENOENT as for a process without CAP_DAC_READ_SEARCH
    /// (a receiver on a kernel that does not count the one in its own user namespace): unnamed
    /// files are then linked through the held `/proc/self/fd`. x86_64 only (the filter names
    /// linkat by its x86_64 number).
    case emptyPathLink
    /// `openat(O_TMPFILE)`, refused with EOPNOTSUPP as on FUSE and other file systems without
    /// unnamed files: the receiver then writes under a hidden temporary name. x86_64 only (the
    /// filter names openat by its x86_64 number).
    case unnamedFiles

    /// Syscall numbers made to fail with ENOSYS; the same on every Linux architecture (they
    /// postdate the unified table). `emptyPathLink` is filtered on its flags instead.
    var syscalls: [UInt32] {
        switch self {
        case .landlock: [444, 445, 446]
        case .openat2: [437]
        case .landlockRestriction: [446]
        case .emptyPathLink, .unnamedFiles: []
        }
    }

    var testDescription: String { "without \(rawValue)" }

    /// Layers named in `$INTERVM_HOSTILE_WITHOUT` (comma-separated, e.g. `landlock,openat2`):
    /// the whole hostile suite then runs with them taken away.
    static let removedByEnvironment: Set<KernelLayer> = {
        let names = ProcessInfo.processInfo.environment["INTERVM_HOSTILE_WITHOUT"] ?? ""
        return Set(names.split(separator: ",").compactMap { KernelLayer(rawValue: String($0)) })
    }()
}

/// How the receiver runs in a hostile test: which kernel layers are taken away, and whether it
/// runs as an unprivileged user (nobody, through `setpriv`) instead of root.
struct ReceiverSetup: Hashable, Sendable, CustomTestStringConvertible {
    var removed: Set<KernelLayer> = []
    var unprivileged = false

    static let nobody: uid_t = 65534

    /// From the environment: `$INTERVM_HOSTILE_WITHOUT` (see `KernelLayer`) and
    /// `$INTERVM_HOSTILE_AS_NOBODY=1` (only honoured when the tests run as root).
    static let fromEnvironment = ReceiverSetup(
        removed: KernelLayer.removedByEnvironment,
        unprivileged: getuid() == 0 && ProcessInfo.processInfo.environment["INTERVM_HOSTILE_AS_NOBODY"] == "1")

    var testDescription: String {
        let layers = removed.isEmpty ? "all layers" : "without " + removed.map(\.rawValue).sorted().joined(separator: ", ")
        return layers + (unprivileged ? ", as nobody" : ", as root")
    }

    /// The setups a race test runs under: as is, then with Landlock and openat2 taken away
    /// (bubblewrap), then unprivileged (setpriv, when the tests run as root).
    static let raceVariants: [ReceiverSetup] =
        [ReceiverSetup()]
        + (LayerRemover.isAvailable ? [ReceiverSetup(removed: [.landlock, .openat2])] : [])
        + (nobodyCanRunReceiver ? [ReceiverSetup(unprivileged: true)] : [])

    /// True when the tests run as root and `nobody` can start the receiver. (On a shared
    /// machine another suite's clean-up can make `/` unreadable for others: TemporaryDirectory
    /// chmods through symlinks.)
    static let nobodyCanRunReceiver: Bool = {
        guard getuid() == 0 else { return false }
        let probe = try? run(
            ["/usr/bin/setpriv", "--reuid=\(nobody)", "--regid=\(nobody)", "--clear-groups", Programs.path("qfile-unpacker"), "--help"])
        return probe?.status == 0
    }()
}

/// Runs programs with some kernel layers made to fail with ENOSYS, through bubblewrap's
/// `--seccomp` (a classic BPF program read from a file descriptor).
enum LayerRemover {
    static let bubblewrap = "/usr/bin/bwrap"
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: bubblewrap) }

    /// Writes the BPF program that makes the syscalls of `removed` fail with ENOSYS.
    static func writeFilter(removing removed: Set<KernelLayer>, to filterPath: String) throws {
        let program = filter(
            denying: removed.flatMap(\.syscalls).sorted(), refusingEmptyPathLink: removed.contains(.emptyPathLink),
            refusingUnnamedFiles: removed.contains(.unnamedFiles))
        try Data(program).write(to: URL(fileURLWithPath: filterPath))
    }

    /// `arguments` wrapped to run under the filter at `filterPath` (see `writeFilter`).
    static func wrap(_ arguments: [String], filterPath: String) -> [String] {
        // bwrap drops capabilities even for root unless told otherwise; the receiver needs
        // CAP_SYS_CHROOT to confine itself as it would outside.
        let script = "exec \(bubblewrap) --dev-bind / / --cap-add ALL --seccomp 9 \"$@\" 9< \"$0\""
        return ["/bin/sh", "-c", script, filterPath] + arguments
    }

    /// A seccomp program: load the syscall number, answer ENOSYS for `denied`, ENOENT for a
    /// linkat(2) whose flags hold AT_EMPTY_PATH when `refusingEmptyPathLink`, and EOPNOTSUPP
    /// for an openat(2) whose flags hold O_TMPFILE when `refusingUnnamedFiles`; allow the rest.
    static func filter(denying denied: [UInt32], refusingEmptyPathLink: Bool = false, refusingUnnamedFiles: Bool = false) -> [UInt8] {
        let loadWord: UInt16 = 0x20  // BPF_LD | BPF_W | BPF_ABS: a word of struct seccomp_data
        let jumpIfEqual: UInt16 = 0x15  // BPF_JMP | BPF_JEQ | BPF_K
        let jumpIfAnyBit: UInt16 = 0x45  // BPF_JMP | BPF_JSET | BPF_K
        let returnValue: UInt16 = 0x06  // BPF_RET | BPF_K
        let allow: UInt32 = 0x7FFF_0000  // SECCOMP_RET_ALLOW
        let enosys: UInt32 = 0x0005_0000 | 38  // SECCOMP_RET_ERRNO | ENOSYS
        let enoent: UInt32 = 0x0005_0000 | 2  // SECCOMP_RET_ERRNO | ENOENT
        let linkat: UInt32 = 265  // x86_64
        let flagsOffset: UInt32 = 16 + 4 * 8  // seccomp_data.args[4], low word (little-endian)
        let atEmptyPath: UInt32 = 0x1000

        var program = instruction(loadWord, 0, 0, 0)  // seccomp_data.nr
        if refusingEmptyPathLink {
            // Not linkat: skip the four instructions for it (the number is still loaded).
            program += instruction(jumpIfEqual, 0, 4, linkat)
            program += instruction(loadWord, 0, 0, flagsOffset)
            program += instruction(jumpIfAnyBit, 1, 0, atEmptyPath)
            program += instruction(returnValue, 0, 0, allow)
            program += instruction(returnValue, 0, 0, enoent)
        }
        if refusingUnnamedFiles {
            let openat: UInt32 = 257  // x86_64
            let openFlagsOffset: UInt32 = 16 + 2 * 8  // seccomp_data.args[2], low word
            let tmpfileBit: UInt32 = 0o20000000  // __O_TMPFILE
            let eopnotsupp: UInt32 = 0x0005_0000 | 95
            program += instruction(jumpIfEqual, 0, 4, openat)
            program += instruction(loadWord, 0, 0, openFlagsOffset)
            program += instruction(jumpIfAnyBit, 1, 0, tmpfileBit)
            program += instruction(returnValue, 0, 0, allow)
            program += instruction(returnValue, 0, 0, eopnotsupp)
        }
        for (index, number) in denied.enumerated() {
            // On a match, skip the remaining tests and the "allow" to reach "ENOSYS".
            program += instruction(jumpIfEqual, UInt8(denied.count - index), 0, number)
        }
        program += instruction(returnValue, 0, 0, allow)
        program += instruction(returnValue, 0, 0, enosys)
        return program
    }

    /// One `struct sock_filter`: u16 code, u8 jt, u8 jf, u32 k (host order: little-endian here).
    private static func instruction(_ code: UInt16, _ jumpTrue: UInt8, _ jumpFalse: UInt8, _ value: UInt32) -> [UInt8] {
        withUnsafeBytes(of: code.littleEndian, Array.init) + [jumpTrue, jumpFalse] + withUnsafeBytes(of: value.littleEndian, Array.init)
    }
}
