import Foundation
import FilecopyWire
import Testing
import SystemIO
import TestSupport

/// The receiver shuts itself in before it reads a byte. A debug-only probe compiled into the
/// test build tries to write outside through a descriptor it opened before confinement.
@Suite("Receiver: confinement")
struct ConfinementTests {
    static func probe(asUser user: UInt32?, without removed: Set<KernelLayer> = []) throws -> (Finished, [String]) {
        let root = try TemporaryDirectory()
        chmod(root.path, 0o755)
        try FileManager.default.createDirectory(atPath: root("in"), withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: root("outside"), withIntermediateDirectories: false)
        chmod(root("in"), 0o777)
        chmod(root("outside"), 0o777)
        try Data("secret".utf8).write(to: URL(fileURLWithPath: root("outside/secret")))
        var builder = StreamBuilder()
        builder.file("ok.txt", "inside")
        builder.end()
        let receiver = [Programs.path("qfile-unpacker"), String(user ?? getuid()), root("in")]
        var command = user.map { ["/usr/bin/setpriv", "--reuid=\($0)", "--regid=\($0)", "--clear-groups"] + receiver } ?? receiver
        if !removed.isEmpty {
            try LayerRemover.writeFilter(removing: removed, to: root("seccomp.bpf"))
            command = LayerRemover.wrap(command, filterPath: root("seccomp.bpf"))
        }
        let finished = try run(
            command, stdin: builder.bytes, environment: ["INTERVM_DEBUG_ESCAPE_DIR": root("outside"), "HOME": root("in")])
        #expect(FileManager.default.contents(atPath: root("in/ok.txt")) == Data("inside".utf8))
        return (finished, try FileManager.default.contentsOfDirectory(atPath: root("outside")))
    }

    /// Every way out the probe tries (see `EscapeProbe`): creating a file, folder or symlink
    /// through a descriptor held from before confinement, reading a file and listing the folder
    /// through it (Landlock handles reads too), `..` from the destination (the chroot's root),
    /// and the real root reached through the held `/proc/self/fd` as `../../1/root`.
    static let escapes = ["file", "directory", "symlink", "read", "list", "dotdot", "proc-root"]

    @Test("writes and reads outside the destination are refused after confinement")
    func escapeThroughHeldDescriptorIsRefused() throws {
        try Self.expectEveryEscapeRefused(asUser: nil)
    }

    @Test("the same, receiving as another user", .enabled(if: getuid() == 0, "needs root to become another user"))
    func escapeThroughHeldDescriptorIsRefusedForAnotherUser() throws {
        try Self.expectEveryEscapeRefused(asUser: 65534)
    }

    static func expectEveryEscapeRefused(asUser user: UInt32?) throws {
        let (finished, outside) = try Self.probe(asUser: user)
        #expect(finished.status == 0, "\(finished.stderr)")
        for kind in Self.escapes {
            #expect(finished.stderr.contains("escape-probe \(kind): refused"), "\(kind): \(finished.stderr)")
        }
        #expect(!finished.stderr.contains("ESCAPED"))
        #expect(outside == ["secret"])
    }

    /// The control: with Landlock taken away (seccomp, bubblewrap), a receiver that keeps root
    /// (UID 0) can read and write through descriptors it held from before the chroot; the
    /// probe reports these escapes, so its "refused" above means something. `..` from the
    /// chroot's root stays inside, and `/proc/1/root` is refused here by the kernel's own
    /// access check on another process's root, Landlock or not.
    @Test(.enabled(if: LayerRemover.isAvailable && getuid() == 0, "needs bubblewrap and root"))
    func probeSeesTheEscapesLandlockStops() throws {
        let (finished, outside) = try Self.probe(asUser: nil, without: [.landlock])
        #expect(finished.status == 0, "\(finished.stderr)")
        for kind in ["file", "directory", "symlink", "read", "list"] {
            #expect(finished.stderr.contains("escape-probe \(kind): ESCAPED"), "\(kind): \(finished.stderr)")
        }
        #expect(finished.stderr.contains("escape-probe dotdot: refused"), "\(finished.stderr)")
        #expect(finished.stderr.contains("escape-probe proc-root: refused"), "\(finished.stderr)")
        #expect(Set(outside) == ["secret", "escaped-file", "escaped-directory", "escaped-symlink"])
    }

    @Test(.enabled(if: getuid() == 0, "needs root")) func rootDropsToTheReceivingUserBeforeReadingInput() throws {
        let folder = try TemporaryDirectory()
        chmod(folder.path, 0o777)
        let receiver = try Started([Programs.path("qfile-unpacker"), "65534", folder.path])
        // Nothing has been sent yet: the receiver is blocked reading its first header.
        var uids: String?
        for _ in 0..<100 {
            let status = (try? String(contentsOfFile: "/proc/\(receiver.process.processIdentifier)/status", encoding: .utf8)) ?? ""
            if let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }), line.contains("65534") {
                uids = String(line)
                break
            }
            usleep(20_000)
        }
        let finished = receiver.finish()
        #expect(uids?.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().allSatisfy { $0 == "65534" } == true, "\(uids ?? "never dropped")")
        #expect(decodeResult(finished.stdout)?.code == .truncatedBetweenRecords)
    }

    @Test func killedMidFileLeavesNothingUnderItsName() throws {
        let folder = try TemporaryDirectory()
        let receiver = try Started([Programs.path("qfile-unpacker"), String(getuid()), folder.path])
        var builder = StreamBuilder()
        builder.record(name: Array("big.bin".utf8), mode: 0o100644, fileLength: 1 << 20, body: [UInt8](repeating: 7, count: 300_000))
        receiver.write(builder.bytes)
        usleep(200_000)
        kill(receiver.process.processIdentifier, SIGKILL)
        let finished = receiver.finish()
        #expect(finished.signalled)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}

/// Descriptors the receiver inherits would pass every layer (a chroot or Landlock cannot take
/// back what is already open): it closes all but stdin, stdout and stderr first.
@Suite("Receiver: inherited descriptors")
struct InheritedDescriptorTests {
    @Test func anInheritedDescriptorIsClosedBeforeAnythingElse() throws {
        let folder = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        let leaked = open(outside.path, O_RDONLY | O_DIRECTORY)  // inheritable: no O_CLOEXEC
        try #require(leaked >= 0)
        defer { close(leaked) }
        let input = try ExclusivePipe()
        let pid = try Spawn.start(
            Programs.path("qfile-unpacker"), arguments: ["qfile-unpacker", String(getuid()), folder.path],
            redirect: [(input.readEnd, 0), (leaked, 7)])
        close(input.readEnd)
        // The receiver now waits for its first header; look at what it holds.
        var descriptors: [String] = []
        for _ in 0..<100 {
            descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
            if !descriptors.contains("7") { break }
            usleep(20_000)
        }
        close(input.writeEnd)
        _ = try Spawn.wait(pid)
        #expect(!descriptors.contains("7"), "still open: \(descriptors.sorted())")
    }
}
