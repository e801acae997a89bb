import Foundation
import Testing
import TestSupport

/// Runs the client where the file system refuses O_TMPFILE, as FUSE (bindfs) and some others
/// do: a seccomp filter (bubblewrap `--seccomp`) answers EOPNOTSUPP to every openat(2) whose
/// flags hold O_TMPFILE. x86_64 only: the filter names openat by its x86_64 number.
enum TmpfileRefusal {
    static let bubblewrap = "/usr/bin/bwrap"
    static var isAvailable: Bool {
        #if arch(x86_64)
            FileManager.default.isExecutableFile(atPath: bubblewrap)
        #else
            false
        #endif
    }

    /// Writes the filter into `scratch` and returns the argv prefix that runs a program under it.
    /// bubblewrap stays as the sandboxed program's parent and keeps every descriptor it was
    /// given, so it never gets the real stdout: the program writes into a FIFO that `cat`
    /// copies to stdout, and the service sees the end of the request when the client closes it.
    static func prefix(in scratch: TemporaryDirectory) throws -> [String] {
        try Data(filter).write(to: URL(fileURLWithPath: scratch("no-tmpfile.bpf")))
        mkfifo(scratch("stdout"), 0o600)
        let script = """
            fifo=$1; shift; cat "$fifo" & exec \(bubblewrap) --dev-bind / / --cap-add ALL --die-with-parent --seccomp 9 \
                /bin/sh -c 'exec "$@" > "$0"' "$fifo" "$@" 9< "$0" > /dev/null
            """
        return ["/bin/sh", "-c", script, scratch("no-tmpfile.bpf"), scratch("stdout")]
    }

    /// load nr; openat? load flags (args[2]); O_TMPFILE bit set? EOPNOTSUPP : allow.
    static var filter: [UInt8] {
        let openat: UInt32 = 257  // x86_64
        let tmpfileBit: UInt32 = 0o20000000  // __O_TMPFILE
        return instruction(0x20, 0, 0, 0)  // BPF_LD|BPF_W|BPF_ABS: seccomp_data.nr
            + instruction(0x15, 0, 3, openat)  // BPF_JEQ: else to "allow"
            + instruction(0x20, 0, 0, 16 + 2 * 8)  // seccomp_data.args[2], low word
            + instruction(0x45, 0, 1, tmpfileBit)  // BPF_JSET
            + instruction(0x06, 0, 0, 0x0005_0000 | 95)  // SECCOMP_RET_ERRNO | EOPNOTSUPP
            + instruction(0x06, 0, 0, 0x7FFF_0000)  // SECCOMP_RET_ALLOW
    }

    /// One `struct sock_filter`: u16 code, u8 jt, u8 jf, u32 k (little-endian on x86_64).
    private static func instruction(_ code: UInt16, _ jumpTrue: UInt8, _ jumpFalse: UInt8, _ value: UInt32) -> [UInt8] {
        withUnsafeBytes(of: code.littleEndian, Array.init) + [jumpTrue, jumpFalse]
            + withUnsafeBytes(of: value.littleEndian, Array.init)
    }
}

/// The client's temporary copy of the reply where O_TMPFILE is missing: a hidden
/// `.intervm-edit-` + 16 hex digits name, created with O_EXCL, locked (flock) while in use;
/// leftovers of a killed client are removed by the next run in that folder.
extension EndToEndTests {
    static func hiddenCopies(in folder: String) -> [String] {
        Fixture.contents(of: folder).filter { $0.hasPrefix(".intervm-edit-") }
    }

    /// Issue 14 item 6 (client): with O_TMPFILE refused, an edit still replaces the original and
    /// no `.intervm-edit-*` file is left (the `edit` helper checks the folder).
    @Test(.enabled(if: TmpfileRefusal.isAvailable, "needs bubblewrap on x86_64"))
    func editWithoutTmpfileLeavesNoTemporaryFile() throws {
        let folder = try TemporaryDirectory()
        let scratch = try TemporaryDirectory()
        let file = makeOriginal(in: folder)
        let prefix = try TmpfileRefusal.prefix(in: scratch)
        let (client, service) = try edit(file, with: "append", clientPrefix: prefix)
        #expect(client.status == 0, "\(client.stderr)")
        #expect(service.status == 0, "\(service.stderr)")
        #expect(Fixture.bytes(file) == Fixture.appended)
        #expect(Fixture.contents(of: folder.path) == ["report.txt"])
    }

    /// Starts the client under the O_TMPFILE refusal with a reply that stops after one line, and
    /// waits for its hidden copy. Returns the bubblewrap process, the client's pid, the reply
    /// pipe and the hidden names seen.
    func clientStuckMidReply(on file: String, scratch: TemporaryDirectory) throws -> (Process, pid_t, Pipe, [String]) {
        let folder = (file as NSString).deletingLastPathComponent
        let prefix = try TmpfileRefusal.prefix(in: scratch)
        let client = Process()
        client.executableURL = URL(fileURLWithPath: prefix[0])
        client.arguments = Array(prefix.dropFirst()) + [Fixture.client, "--", file]
        let reply = Pipe()
        client.standardInput = reply
        client.standardOutput = FileHandle.nullDevice
        client.standardError = FileHandle.nullDevice
        try client.run()
        reply.fileHandleForWriting.write(Data("the first part of an edit\n".utf8))  // and no more
        var hidden: [String] = []
        for _ in 0..<400 where hidden.isEmpty {  // up to 20 s on a loaded machine
            hidden = Self.hiddenCopies(in: folder)
            if hidden.isEmpty { usleep(50_000) }
        }
        // bubblewrap's children are `cat` and the client.
        let bubblewrap = client.processIdentifier
        let children = (try? String(contentsOfFile: "/proc/\(bubblewrap)/task/\(bubblewrap)/children", encoding: .utf8)) ?? ""
        let clientID = try #require(children.split(separator: " ").compactMap { pid_t($0) }.first { child in
            (try? String(contentsOfFile: "/proc/\(child)/comm", encoding: .utf8)) == "qopen-in-vm\n"
        })
        return (client, clientID, reply, hidden)
    }

    /// Issue 14 item 6 (client): stopped by SIGTERM, SIGINT or SIGHUP in the middle of the reply
    /// (a desktop session ending, Ctrl-C), the client removes its hidden copy before it dies.
    @Test(.enabled(if: TmpfileRefusal.isAvailable, "needs bubblewrap on x86_64"), arguments: [SIGTERM, SIGINT, SIGHUP])
    func stopSignalMidReplyLeavesNothing(signal: Int32) throws {
        let folder = try TemporaryDirectory()
        let scratch = try TemporaryDirectory()
        let file = makeOriginal(in: folder)
        let (client, clientID, reply, hidden) = try clientStuckMidReply(on: file, scratch: scratch)
        kill(clientID, signal)
        // The test runner starts programs with these signals blocked; a client that does not
        // unblock them never ends: give up on it after 20 s rather than hang.
        for _ in 0..<400 where client.isRunning { usleep(50_000) }
        let ended = !client.isRunning
        if !ended { kill(clientID, SIGKILL) }
        client.waitUntilExit()
        try? reply.fileHandleForWriting.close()
        #expect(ended, "the client ended on the signal")
        #expect(hidden.count == 1, "the client's hidden copy appeared mid-reply: \(hidden)")
        #expect(Fixture.contents(of: folder.path) == ["report.txt"])
        #expect(Fixture.bytes(file) == Fixture.original)
    }

    /// Issue 14 item 6 (client): killed with SIGKILL in the middle of the reply, the client leaves
    /// the original as it was, nothing under any other visible name, and one hidden temporary
    /// file of its own naming, which the next run in that folder removes.
    @Test(.enabled(if: TmpfileRefusal.isAvailable, "needs bubblewrap on x86_64"))
    func killMidReplyLeavesOnlyAHiddenCopyThatTheNextRunRemoves() throws {
        let folder = try TemporaryDirectory()
        let scratch = try TemporaryDirectory()
        let file = makeOriginal(in: folder)
        let (client, clientID, reply, hidden) = try clientStuckMidReply(on: file, scratch: scratch)
        kill(clientID, SIGKILL)
        client.waitUntilExit()
        try? reply.fileHandleForWriting.close()

        #expect(hidden.count == 1, "the client's hidden copy appeared mid-reply: \(hidden)")
        let name = try #require(hidden.first)
        #expect(name.count == ".intervm-edit-".count + 16)
        #expect(name.dropFirst(".intervm-edit-".count).allSatisfy { "0123456789abcdef".contains($0) })
        #expect(Fixture.bytes(file) == Fixture.original)
        #expect(Fixture.contents(of: folder.path) == [name, "report.txt"])

        // The next run in that folder (here one whose reply says "unchanged") removes it.
        let next = try run([Fixture.client, "--", file])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(Fixture.contents(of: folder.path) == ["report.txt"])
        #expect(Fixture.bytes(file) == Fixture.original)
    }

    /// Issue 14 item 6 (client): the next run removes only regular files of exactly its naming,
    /// owned by the user and locked by no running client; never through a symlink.
    @Test func staleHiddenCopiesOfItsOwnNamingAreRemovedAndNothingElse() throws {
        let folder = try TemporaryDirectory()
        let elsewhere = try TemporaryDirectory()
        let file = makeOriginal(in: folder)
        let stale = [".intervm-edit-0123456789abcdef", ".intervm-edit-fedcba9876543210"]
        for name in stale { Fixture.write(Array("half an edit".utf8), to: folder(name), mode: 0o600) }
        let keptFiles = [
            ".intervm-edit-0123456789ABCDEF", ".intervm-edit-0123456789abcde", ".intervm-edit-0123456789abcdef0",
            ".intervm-edit-", "intervm-edit-0123456789abcdef", ".intervm-edit-0123456789abcdeg",
        ]
        for name in keptFiles { Fixture.write(Array("not ours".utf8), to: folder(name), mode: 0o600) }
        let victim = elsewhere("victim")
        Fixture.write(Array("victim\n".utf8), to: victim, mode: 0o600)
        #expect(symlink(victim, folder(".intervm-edit-1111111111111111")) == 0)
        mkdir(folder(".intervm-edit-2222222222222222"), 0o700)
        let foreign = folder(".intervm-edit-3333333333333333")
        Fixture.write(Array("another user's".utf8), to: foreign, mode: 0o600)
        chown(foreign, 65534, 65534)
        mkfifo(folder(".intervm-edit-4444444444444444"), 0o600)
        // A copy another client is still writing: it holds the lock.
        let inUse = folder(".intervm-edit-5555555555555555")
        Fixture.write(Array("in progress".utf8), to: inUse, mode: 0o600)
        let holder = open(inUse, O_RDONLY | O_CLOEXEC)
        #expect(holder >= 0 && flock(holder, LOCK_EX) == 0)
        defer { close(holder) }

        let (client, _) = try edit(file, with: "append")
        #expect(client.status == 0, "\(client.stderr)")
        #expect(Fixture.bytes(file) == Fixture.appended)
        let expected = keptFiles + [
            ".intervm-edit-1111111111111111", ".intervm-edit-2222222222222222", ".intervm-edit-3333333333333333",
            ".intervm-edit-4444444444444444", ".intervm-edit-5555555555555555", "report.txt",
        ]
        #expect(Fixture.contents(of: folder.path) == expected.sorted())
        #expect(Fixture.bytes(victim) == Array("victim\n".utf8))
        #expect(Fixture.bytes(inUse) == Array("in progress".utf8))
    }

    /// Issue 14 item 6 (client), on a real FUSE mount (bindfs refuses O_TMPFILE with
    /// EOPNOTSUPP): the edit replaces the original, a stale hidden copy goes, nothing is left.
    @Test(.enabled(if: getuid() == 0 && access("/usr/bin/bindfs", X_OK) == 0 && access("/dev/fuse", R_OK) == 0,
        "needs root, bindfs and /dev/fuse"))
    func editOnFuseMount() throws {
        let base = try TemporaryDirectory()
        mkdir(base("backing"), 0o755)
        mkdir(base("mounted"), 0o755)
        let mounted = base("mounted")
        // In the foreground (-f), so it stays our child: a daemon would keep the descriptor
        // through which Foundation sees a child end, and `run` would never return.
        let bindfs = Process()
        bindfs.executableURL = URL(fileURLWithPath: "/usr/bin/bindfs")
        bindfs.arguments = ["-f", base("backing"), mounted]
        bindfs.standardOutput = FileHandle.nullDevice
        bindfs.standardError = FileHandle.nullDevice
        try bindfs.run()
        defer {
            _ = try? run(["/bin/umount", mounted])
            bindfs.waitUntilExit()
        }
        for _ in 0..<400 where Fixture.status(mounted).st_dev == Fixture.status(base.path).st_dev && bindfs.isRunning {
            usleep(50_000)  // until the mount is there (up to 20 s on a loaded machine)
        }
        try #require(Fixture.status(mounted).st_dev != Fixture.status(base.path).st_dev, "bindfs could not mount")
        let file = mounted + "/report.txt"
        Fixture.write(Fixture.original, to: file, mode: 0o640)
        Fixture.write(Array("half an edit".utf8), to: mounted + "/.intervm-edit-0123456789abcdef", mode: 0o600)
        let (client, service) = try edit(file, with: "append")
        #expect(client.status == 0, "\(client.stderr)")
        #expect(service.status == 0, "\(service.stderr)")
        #expect(Fixture.bytes(file) == Fixture.appended)
        #expect(Fixture.status(file).st_mode & 0o777 == 0o640)
        #expect(Fixture.contents(of: mounted) == ["report.txt"])
    }
}
