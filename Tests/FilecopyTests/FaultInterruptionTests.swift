import Foundation
import Testing
import TestSupport

/// Interruptions of the real qfile-agent and qfile-unpacker during a multi-megabyte transfer:
/// the copy must be identical to the source (names, types, modes, nanosecond mtimes, content,
/// link targets) however often either side is paused or its system calls are interrupted.
///
/// - A SIGSTOP/SIGCONT storm (hundreds of pauses of either side or both, at random moments):
///   neither program handles a signal, so the kernel restarts their blocking reads and writes
///   transparently, and a pause cannot produce EINTR. What the storm proves is that a
///   side frozen at any point (a paused VM, a starved scheduler, job control) never corrupts,
///   reorders or stalls the stream: short reads and writes, a full or empty pipe at every
///   boundary, and answers polled while the other side is frozen are all handled.
/// - Real EINTR: strace's fault injection makes every second read, write, pread and poll fail
///   with EINTR in both programs, from each one's 40th such call on (the dynamic loader and
///   glibc's locale loading, which run first, do not retry and are not ours). This proves
///   every such call of ours is retried (`syscallRetrying`): the case a signal handler,
///   installed by a later change or a library, would create.
@Suite("Fault: interrupted sender and receiver")
struct FaultInterruptionTests {
    static let strace = "/usr/bin/strace"

    /// A source tree of about 6 MB (24 files of ~200 KB in nested folders, a 1.5 MB file, an
    /// empty file, a link), a scratch root with `incoming/`.
    static func prepare(files: Int = 24, size: Int = 200_000) throws -> (TemporaryDirectory, TemporaryDirectory) {
        let source = try TemporaryDirectory()
        try FaultTools.makeTree(in: source.path, name: "tree", files: files, size: size)
        try AgentTools.write(source("tree/d2/large.bin"), AgentTools.pattern(3 << 19))
        let root = try TemporaryDirectory()
        try AgentTools.makeDirectory(root("incoming"))
        try AgentTools.makeDirectory(root("home"))
        return (source, root)
    }

    @Test func stopContinueStormLeavesAnIdenticalCopy() throws {
        let (source, root) = try Self.prepare()
        let joined = try JoinedPrograms(
            sender: [FaultTools.agent, source("tree")], receiver: [FaultTools.unpacker, String(getuid()), root("incoming")],
            receiverEnvironment: FaultTools.receiverEnvironment(home: root("home")))
        var random = SeededRandom(seed: 0x570B)
        var pauses = 0
        // Pause the sender, the receiver or both for up to 2 ms, let them run for up to 0.3 ms;
        // at least 300 times, and on until the transfer ends.
        while pauses < 300 || joined.sender.wait(timeout: 0) == nil {
            let targets = [[joined.sender], [joined.receiver], [joined.sender, joined.receiver]][Int.random(in: 0..<3, using: &random)]
            guard targets.allSatisfy({ $0.send(SIGSTOP) }) else { break }
            usleep(UInt32.random(in: 50...2000, using: &random))
            targets.forEach { $0.send(SIGCONT) }
            pauses += 1
            usleep(UInt32.random(in: 0...300, using: &random))
            if pauses > 200_000 { break }
        }
        joined.sender.send(SIGCONT)
        joined.receiver.send(SIGCONT)
        let sent = try #require(joined.sender.wait(timeout: 60), "the agent hangs")
        let received = try #require(joined.receiver.wait(timeout: 60), "the receiver hangs")
        #expect(pauses >= 300)
        #expect(sent.status == 0, "\(joined.sender.stderr)")
        #expect(received.status == 0, "\(joined.receiver.stderr)")
        #expect(FaultTools.digest(root("incoming")) == FaultTools.digest(source.path))
    }

    /// Not under a sanitizer: its runtime's own start-up reads shift the call counts, and the
    /// injection then lands in the Swift runtime's start-up, which does not retry (not our code,
    /// and no signal can interrupt it there: nothing is installed yet).
    @Test(
        .enabled(if: FileManager.default.isExecutableFile(atPath: strace), "needs strace"),
        .disabled(if: FaultTools.sanitizerBuild, "the sanitizer runtime's start-up shifts the injection"))
    func injectedEINTRInEveryReadWriteAndPollLeavesAnIdenticalCopy() throws {
        // Many small files: both programs move data in 1 MiB blocks, so it takes many entries
        // to make enough reads and writes (past the loader's own, which must not be hit).
        let (source, root) = try Self.prepare(files: 300, size: 10_000)
        func interrupted(_ arguments: [String], log: String) -> [String] {
            [Self.strace, "-f", "-qq", "-o", log, "-e", "trace=read,write,pread64,poll,ppoll",
             "-e", "inject=read,write,pread64,poll,ppoll:error=EINTR:when=40+2"] + arguments
        }
        let joined = try JoinedPrograms(
            sender: interrupted([FaultTools.agent, source("tree")], log: root("sender.trace")),
            receiver: interrupted([FaultTools.unpacker, String(getuid()), root("incoming")], log: root("receiver.trace")),
            receiverEnvironment: FaultTools.receiverEnvironment(home: root("home")))
        let sent = try #require(joined.sender.wait(timeout: 120), "the agent hangs")
        let received = try #require(joined.receiver.wait(timeout: 120), "the receiver hangs")
        #expect(sent.status == 0, "\(joined.sender.stderr)")
        #expect(received.status == 0, "\(joined.receiver.stderr)")
        #expect(FaultTools.digest(root("incoming")) == FaultTools.digest(source.path))
        // The injection really happened, on both sides, again and again.
        for side in ["sender", "receiver"] {
            let trace = (try? String(contentsOfFile: root("\(side).trace"), encoding: .utf8)) ?? ""
            let injected = trace.components(separatedBy: "(INJECTED)").count - 1
            #expect(injected >= 20, "\(side): only \(injected) EINTR injected")
        }
    }
}
