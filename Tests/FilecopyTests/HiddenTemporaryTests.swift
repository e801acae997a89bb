import FilecopyWire
import Foundation
import Testing
import TestSupport

/// The receiver's own temporary names: `.intervm-receiving-` and 12 letters or digits.
func isReceiverTemporary(_ name: String) -> Bool {
    let prefix = ".intervm-receiving-"
    guard name.hasPrefix(prefix) else { return false }
    let suffix = name.dropFirst(prefix.count)
    return suffix.count == 12 && suffix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
}

/// The filter refuses openat(O_TMPFILE) by its x86_64 number.
private let unnamedFilesFilterable: Bool = {
    #if arch(x86_64)
        LayerRemover.isAvailable
    #else
        false
    #endif
}()

/// Destinations whose file system refuses O_TMPFILE (FUSE, some network file systems): files
/// with data are written under a hidden, exclusive, unguessable name in the incoming folder and
/// renamed (or linked) into place without replacing anything. O_TMPFILE is taken away by a
/// seccomp filter (EOPNOTSUPP, as FUSE answers), and in the last test by a real FUSE mount.
@Suite("Receiver: destinations without O_TMPFILE", .enabled(if: unnamedFilesFilterable, "needs bubblewrap on x86_64"))
struct HiddenTemporaryTests {
    static let setups: [ReceiverSetup] =
        [ReceiverSetup(removed: [.unnamedFiles])]
        + (ReceiverSetup.nobodyCanRunReceiver ? [ReceiverSetup(removed: [.unnamedFiles], unprivileged: true)] : [])

    /// Issue 14 item 6: with O_TMPFILE refused, files with data arrive whole at every depth
    /// with their mode and times (the temporary is made with mode 0000); a name taken is
    /// refused and renaming on conflict still works; no temporary is left.
    @Test(arguments: setups) func filesArriveWithoutUnnamedFiles(_ setup: ReceiverSetup) throws {
        let fixture = try HostileFixture(setup)
        try fixture.makeFile("incoming/taken.txt", "mine")
        let wire = stream {
            $0.file("first.txt", "one", mode: 0o100640)
            $0.directory("folder")
            $0.file("folder/second.txt", "two")
            $0.file("folder/empty", "")
            $0.directory("folder")
            $0.file("taken.txt", "theirs")
            $0.file("taken.txt", "again")
        }
        let received = try fixture.receive(wire, options: ["--on-conflict", "rename"])
        expectAnswer(received, wire: wire, codes: [0], lastName: bytes("taken.txt"))
        #expect(fixture.incomingTree() == ["first.txt", "folder/", "folder/second.txt", "folder/empty", "taken.txt", "taken (1).txt", "taken (2).txt"])
        #expect(fixture.contents("incoming/first.txt") == "one")
        #expect(fixture.contents("incoming/folder/second.txt") == "two")
        #expect(fixture.contents("incoming/taken.txt") == "mine")
        #expect(fixture.contents("incoming/taken (1).txt") == "theirs")
        #expect(fixture.contents("incoming/taken (2).txt") == "again")
        let first = try #require(lstatOrNil(fixture.root("incoming/first.txt")))
        #expect(first.st_mode & 0o7777 == 0o640)
        #expect(first.st_mtim.tv_sec == 1_600_000_000)

        let again = stream { $0.file("first.txt", "other") }
        let refused = try fixture.receive(again)
        expectAnswer(refused, wire: again, codes: [17], lastName: bytes("first.txt"))
        #expect(fixture.contents("incoming/first.txt") == "one")
        #expect(!fixture.incomingTree().contains(where: isReceiverTemporary))
    }

    /// Issue 14 item 6: a transfer that fails with a file half-received (the stream cut in its
    /// body, a missing parent) removes the file's temporary.
    @Test(arguments: setups) func aFailedFileLeavesNoTemporary(_ setup: ReceiverSetup) throws {
        let fixture = try HostileFixture(setup)
        var cut = StreamBuilder()
        cut.record(name: bytes("big.bin"), mode: 0o100644, fileLength: 100_000, body: [UInt8](repeating: 1, count: 50_000))
        let truncated = try fixture.receive(cut.bytes)
        expectAnswer(truncated, wire: cut.bytes, codes: [ResultCode.truncatedInsideRecord.rawValue], lastName: nil)
        let orphan = stream { $0.file("missing/x", "data") }
        let missingParent = try fixture.receive(orphan)
        expectAnswer(missingParent, wire: orphan, codes: [2], lastName: nil)
        #expect(fixture.incomingTree() == [])
    }

    /// Issue 14 item 6: killed (SIGKILL) in the middle of a body, the receiver leaves only a
    /// hidden temporary of its own naming, never a file under the final name; the next
    /// transfer into the folder removes it, and nothing that merely looks like one: a symlink,
    /// a folder, another user's file, a name one letter longer.
    @Test(.enabled(if: getuid() == 0, "needs root to plant another user's file"))
    func aTemporaryLeftByAKillIsRemovedByTheNextTransfer() throws {
        let fixture = try HostileFixture(without: [.unnamedFiles])
        let receiver = try fixture.start()
        var builder = StreamBuilder()
        builder.record(name: bytes("big.bin"), mode: 0o100644, fileLength: 1 << 20, body: [UInt8](repeating: 7, count: 300_000))
        receiver.write(builder.bytes)
        let pid = try #require(waitForReceiver(under: receiver), "the receiver never waited for more input")
        kill(pid, SIGKILL)
        _ = receiver.finish()
        let left = fixture.incomingTree()
        #expect(left.count == 1 && left.allSatisfy(isReceiverTemporary), "\(left)")

        try fixture.makeSymlink("incoming/.intervm-receiving-AAAAAAAAAAAA", to: "big.bin")
        try fixture.makeDirectory("incoming/.intervm-receiving-BBBBBBBBBBBB")
        try fixture.makeFile("incoming/.intervm-receiving-CCCCCCCCCCCC", "another user's")
        chown(fixture.root("incoming/.intervm-receiving-CCCCCCCCCCCC"), ReceiverSetup.nobody, ReceiverSetup.nobody)
        try fixture.makeFile("incoming/.intervm-receiving-DDDDDDDDDDDDD", "longer")
        let next = stream { $0.file("small.txt", "hello") }
        expectAnswer(try fixture.receive(next), wire: next, codes: [0], lastName: bytes("small.txt"))
        #expect(fixture.incomingTree() == [
            "small.txt", ".intervm-receiving-AAAAAAAAAAAA@", ".intervm-receiving-BBBBBBBBBBBB/",
            ".intervm-receiving-CCCCCCCCCCCC", ".intervm-receiving-DDDDDDDDDDDDD",
        ])
    }

    /// Issue 14 item 6: the temporary of a transfer still running is not stale: a second
    /// transfer into the same folder leaves it alone, and the first then completes.
    @Test func aRunningTransfersTemporaryIsLeftAlone() throws {
        let fixture = try HostileFixture(without: [.unnamedFiles])
        let forward = try ExclusivePipe()
        let backward = try ExclusivePipe()
        let first = try SpawnedProgram(
            fixture.receiverArguments(), environment: fixture.receiverEnvironment, stdin: forward.readEnd, stdout: backward.writeEnd)
        close(forward.readEnd)
        close(backward.writeEnd)
        defer { close(backward.readEnd) }
        let body = [UInt8](repeating: 9, count: 200_000)
        var head = StreamBuilder()
        head.record(name: bytes("slow.bin"), mode: 0o100644, fileLength: UInt64(body.count), body: Array(body[..<100_000]))
        #expect(FaultTools.writeAll(forward.writeEnd, head.bytes))
        var waiting = false
        _ = waitUntil {
            let pid = WaitingReceiver.process(named: "qfile-unpacker", from: first.pid)
            waiting = pid.map(FaultTools.isBlockedReadingPipe) ?? false
            return waiting && fixture.incomingTree().contains(where: isReceiverTemporary)
        }
        let temporaries = fixture.incomingTree().filter(isReceiverTemporary)
        #expect(waiting && temporaries.count == 1, "\(fixture.incomingTree())")

        let other = stream { $0.file("quick.txt", "quick") }
        expectAnswer(try fixture.receive(other), wire: other, codes: [0], lastName: bytes("quick.txt"))
        #expect(fixture.incomingTree().filter(isReceiverTemporary) == temporaries)

        var rest = StreamBuilder()
        rest.raw(Array(body[100_000...]))
        rest.end()
        #expect(FaultTools.writeAll(forward.writeEnd, rest.bytes))
        close(forward.writeEnd)
        #expect(first.wait(timeout: 60) != nil, "\(first.stderr)")
        var answer = [UInt8](repeating: 0, count: 4096)
        let count = read(backward.readEnd, &answer, answer.count)
        #expect(decodeResult(Array(answer.prefix(max(count, 0))))?.code == .success, "\(first.stderr)")
        #expect(fixture.incomingTree() == ["slow.bin", "quick.txt"])
        #expect(FileManager.default.contents(atPath: fixture.root("incoming/slow.bin")).map(Array.init) == body)
    }

    /// Issue 14 item 6: on a real FUSE file system (bindfs, which refuses O_TMPFILE with
    /// EOPNOTSUPP and renameat2 flags with EINVAL), files arrive at every depth and nothing
    /// else is left; a stream cut in a body leaves nothing either.
    @Test(.enabled(if: FuseMount.isAvailable, "needs root, /dev/fuse and bindfs (Debian package bindfs)"))
    func filesArriveOnFUSE() throws {
        let root = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: root("backing"), withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: root("mounted"), withIntermediateDirectories: false)
        let mount = try FuseMount(root("backing"), at: root("mounted"))
        defer { mount.unmount() }
        let receiver = [Programs.path("qfile-unpacker"), "--on-conflict", "rename", String(getuid()), root("mounted")]
        let environment = ["HOME": root.path, "PATH": "/usr/bin:/bin"]
        let wire = stream {
            $0.file("a.txt", "alpha")
            $0.directory("folder")
            $0.file("folder/b.txt", "beta")
            $0.directory("folder")
            $0.file("a.txt", "again")
        }
        let received = Received(try run(receiver, stdin: wire, environment: environment))
        expectAnswer(received, wire: wire, codes: [0], lastName: bytes("a.txt"))
        var cut = StreamBuilder()
        cut.record(name: bytes("cut.bin"), mode: 0o100644, fileLength: 10_000, body: [UInt8](repeating: 1, count: 5_000))
        let truncated = Received(try run(receiver, stdin: cut.bytes, environment: environment))
        expectAnswer(truncated, wire: cut.bytes, codes: [ResultCode.truncatedInsideRecord.rawValue], lastName: nil)
        #expect(entryTree(root("backing")) == ["a.txt", "a (1).txt", "folder/", "folder/b.txt"])
        #expect(FileManager.default.contents(atPath: root("backing/folder/b.txt")) == Data("beta".utf8))
        #expect(FileManager.default.contents(atPath: root("backing/a (1).txt")) == Data("again".utf8))
    }
}

/// The receiver (started by `started`, perhaps under setpriv or bubblewrap) once it waits for
/// more input: its pid, or nil if it never does.
func waitForReceiver(under started: Started) -> pid_t? {
    var found: pid_t?
    _ = waitUntil {
        found = WaitingReceiver.process(named: "qfile-unpacker", from: started.process.processIdentifier)
        return found.map(FaultTools.isBlockedReadingPipe) ?? false
    }
    return found
}

/// A bindfs mount of one folder on another, for the length of a test.
struct FuseMount {
    static let bindfs = "/usr/bin/bindfs"
    let mountPoint: String

    /// True when bindfs can mount here (root, /dev/fuse, the program installed).
    static let isAvailable: Bool = {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: bindfs),
            let probe = try? TemporaryDirectory()
        else { return false }
        try? FileManager.default.createDirectory(atPath: probe("a"), withIntermediateDirectories: false)
        try? FileManager.default.createDirectory(atPath: probe("b"), withIntermediateDirectories: false)
        guard let mount = try? FuseMount(probe("a"), at: probe("b")) else { return false }
        mount.unmount()
        return true
    }()

    init(_ source: String, at mountPoint: String) throws {
        guard Self.spawnAndWait([Self.bindfs, source, mountPoint]) else { throw POSIXError(.EIO) }
        self.mountPoint = mountPoint
    }

    func unmount() {
        _ = Self.spawnAndWait(["/bin/umount", mountPoint])
    }

    /// Runs `arguments` with /dev/null as stdin and stdout and waits for it: bindfs leaves a
    /// daemon behind, which must not hold a pipe the test would wait on.
    private static func spawnAndWait(_ arguments: [String]) -> Bool {
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(null) }
        guard let program = try? SpawnedProgram(arguments, stdin: null, stdout: null) else { return false }
        return program.wait(timeout: 30).map { !$0.signalled && $0.status == 0 } ?? false
    }
}
