import CLinux
import Foundation

/// A pipe whose ends are close-on-exec from the start (pipe2(2) O_CLOEXEC): a program that
/// another test starts, even at the same moment, cannot inherit an end and keep it open, so
/// closing our ends is seen as the end of input (or as EPIPE) by the program at the other side.
public struct ExclusivePipe: Sendable {
    public let readEnd: Int32
    public let writeEnd: Int32

    public init() throws {
        var ends: [Int32] = [0, 0]
        guard csys_pipe_cloexec(&ends) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        readEnd = ends[0]
        writeEnd = ends[1]
    }
}

/// A program started with posix_spawn(3) whose stdin, stdout and stderr are descriptors the
/// test chose (dup2 in the child) and which inherits no other descriptor; the test knows its pid, may signal it, and reaps it with
/// `wait`. stderr goes to a file in a private scratch folder.
public final class SpawnedProgram: @unchecked Sendable {
    public let pid: pid_t
    private let scratch: TemporaryDirectory
    private var exit: (status: Int32, signalled: Bool)?

    public init(_ arguments: [String], environment: [String: String]? = nil, stdin: Int32, stdout: Int32) throws {
        signal(SIGPIPE, SIG_IGN)
        scratch = try TemporaryDirectory()
        let stderr = open(scratch.path + "/stderr", O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard stderr >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        defer { close(stderr) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        // Nothing else of the test runner's (its sockets, other tests' pipes) reaches the
        // program: every descriptor open now is closed in the child (glibc ignores EBADF there).
        for fd in Self.openDescriptors() where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        let argv = arguments.map { strdup($0) } + [nil]
        let environmentList = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            environmentList.forEach { free($0) }
        }
        var child: pid_t = 0
        let error = posix_spawn(&child, arguments[0], &actions, nil, argv, environmentList)
        guard error == 0 else { throw POSIXError(.init(rawValue: error) ?? .EIO) }
        pid = child
    }

    deinit {
        if exit == nil {
            kill(pid, SIGKILL)
            _ = wait(timeout: 5)
        }
    }

    /// The test runner's open descriptors (/proc/self/fd).
    private static func openDescriptors() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
    }

    /// Sends `signal` to the program (kill(2)); false once it is gone.
    @discardableResult
    public func send(_ signal: Int32) -> Bool { exit == nil && kill(pid, signal) == 0 }

    /// Waits up to `timeout` seconds for the program to end (waitpid(2) with WNOHANG, polled);
    /// nil if it is still running.
    public func wait(timeout: Double) -> (status: Int32, signalled: Bool)? {
        if let exit { return exit }
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid {
                let signalled = status & 0x7F != 0
                exit = (signalled ? status & 0x7F : (status >> 8) & 0xFF, signalled)
                return exit
            }
            if reaped < 0 && errno != EINTR { return nil }
            usleep(2_000)
        } while Date() < deadline
        return nil
    }

    /// Everything the program wrote on stderr so far.
    public var stderr: String {
        (try? String(contentsOfFile: scratch.path + "/stderr", encoding: .utf8)) ?? ""
    }
}

/// A sender and a receiver joined as qrexec joins them (sender stdout -> receiver stdin,
/// receiver stdout -> sender stdin) through exclusive pipes, both under the test's control.
public final class JoinedPrograms: @unchecked Sendable {
    public let sender: SpawnedProgram
    public let receiver: SpawnedProgram

    public init(
        sender senderArguments: [String], receiver receiverArguments: [String],
        senderEnvironment: [String: String]? = nil, receiverEnvironment: [String: String]? = nil
    ) throws {
        let forward = try ExclusivePipe()
        let backward = try ExclusivePipe()
        defer { [forward.readEnd, forward.writeEnd, backward.readEnd, backward.writeEnd].forEach { close($0) } }
        receiver = try SpawnedProgram(
            receiverArguments, environment: receiverEnvironment, stdin: forward.readEnd, stdout: backward.writeEnd)
        sender = try SpawnedProgram(
            senderArguments, environment: senderEnvironment, stdin: backward.readEnd, stdout: forward.writeEnd)
    }
}
