import CLinux
import Glibc
import SystemPackage

/// How a child process ended.
public enum ExitStatus: Sendable, Equatable {
    case exited(Int32)
    case signalled(Int32)

    /// The status a shell would show: the exit code, or 128 + the signal number.
    public var shellStatus: Int32 {
        switch self {
        case .exited(let code): code
        case .signalled(let signal): 128 + signal
        }
    }
}

/// Starting programs from an argv array (never a shell string).
public enum Spawn {
    /// Starts `path` with `arguments` (argv[0] included) and `environment` ("NAME=value"; nil
    /// keeps ours) (posix_spawn(3)); returns its pid.
    ///
    /// - Each pair in `redirect` makes our fd `from` the child's fd `to` (dup2 actions, in
    ///   order; give `from` descriptors numbered above the targets so they never collide).
    /// - `closeInherited` closes every other descriptor the child would inherit, so nothing of
    ///   ours leaks into it.
    /// - `directory`: where the child starts.
    /// - `newProcessGroup`: the child leads a process group, so it and its children can be
    ///   signalled together.
    ///
    /// The child always starts with no signal blocked and every signal at its default action,
    /// whatever its parent inherited: a blocked SIGTERM would make it impossible to cancel.
    public static func start(
        _ path: String, arguments: [String], environment: [String]? = nil, redirect: [(from: Int32, to: Int32)] = [],
        closeInherited: Bool = false, directory: String? = nil, newProcessGroup: Bool = false
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for pair in redirect {
            posix_spawn_file_actions_adddup2(&actions, pair.from, pair.to)
        }
        if closeInherited {
            let targets = Set(redirect.map(\.to))
            for fd in inheritedDescriptors() where fd > 2 && !targets.contains(fd) {
                posix_spawn_file_actions_addclose(&actions, fd)
            }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        // posix_spawn has no portable chdir action: move ourselves for the moment of the spawn.
        var previous: Int32 = -1
        if let directory {
            previous = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard chdir(directory) == 0 else {
                let error = Errno(rawValue: errno)
                if previous >= 0 { close(previous) }
                throw error
            }
        }
        defer {
            if previous >= 0 {
                _ = fchdir(previous)
                close(previous)
            }
        }
        var pid: pid_t = 0
        let status = withCStrings(arguments) { argv in
            withCStrings(environment ?? currentEnvironment()) { envp in
                posix_spawn(&pid, path, &actions, &attributes, argv, envp)
            }
        }
        if status != 0 { throw Errno(rawValue: status) }
        return pid
    }

    /// Our open descriptors that a child would inherit (not close-on-exec), from /proc/self/fd.
    public static func inheritedDescriptors() -> [Int32] {
        guard let directory = opendir("/proc/self/fd") else { return [] }
        defer { closedir(directory) }
        let own = dirfd(directory)
        var result: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            guard let fd = Int32(name), fd != own else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 && flags & FD_CLOEXEC == 0 { result.append(fd) }
        }
        return result
    }

    /// Runs `path` to completion and returns its status and everything it wrote on stdout.
    public static func capture(_ path: String, arguments: [String], environment: [String]? = nil) throws -> (ExitStatus, [UInt8]) {
        let ends = try closeOnExecPipe()
        let reader = FileDescriptor(rawValue: ends.read)
        defer { reader.closeQuietly() }
        let pid: pid_t
        do {
            pid = try start(path, arguments: arguments, environment: environment, redirect: [(ends.write, 1)])
        } catch {
            close(ends.write)
            throw error
        }
        close(ends.write)
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = (try? chunk.withUnsafeMutableBytes { try reader.readFully(into: $0) }) ?? 0
            output += chunk[..<count]
            if count < chunk.count { break }
        }
        return (try wait(pid), output)
    }

    /// A pipe with both ends close-on-exec (a child gets an end only through `redirect`), each
    /// numbered at least `lowest` so that `redirect` actions never collide with a child's low
    /// descriptors (pipe2(2) with O_CLOEXEC, then `closeOnExecDuplicate` for ends below
    /// `lowest`).
    public static func closeOnExecPipe(atLeast lowest: Int32 = 0) throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        _ = try syscallRetrying { csys_pipe_cloexec(&ends) }
        if ends[0] >= lowest && ends[1] >= lowest { return (ends[0], ends[1]) }
        defer { ends.forEach { close($0) } }
        let read = try closeOnExecDuplicate(ends[0], atLeast: lowest)
        do {
            return (read, try closeOnExecDuplicate(ends[1], atLeast: lowest))
        } catch {
            close(read)
            throw error
        }
    }

    /// A close-on-exec duplicate of `fd` numbered at least `lowest` (fcntl(2) F_DUPFD_CLOEXEC).
    public static func closeOnExecDuplicate(_ fd: Int32, atLeast lowest: Int32) throws -> Int32 {
        try syscallRetrying { fcntl(fd, F_DUPFD_CLOEXEC, lowest) }
    }

    /// Waits for `pid` to end (waitpid(2), retrying on EINTR).
    public static func wait(_ pid: pid_t) throws -> ExitStatus {
        var status: Int32 = 0
        _ = try syscallRetrying { waitpid(pid, &status, 0) }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift cannot import as macros.
        if status & 0x7F == 0 { return .exited((status >> 8) & 0xFF) }
        return .signalled(status & 0x7F)
    }

    /// Runs `path` to completion; see `start`.
    public static func run(_ path: String, arguments: [String], environment: [String]? = nil) throws -> ExitStatus {
        try wait(start(path, arguments: arguments, environment: environment))
    }

    /// Replaces this process with `path` (execve(2)); returns only on failure, with its errno.
    public static func exec(_ path: String, arguments: [String], environment: [String]? = nil) -> Errno {
        _ = withCStrings(arguments) { argv in
            withCStrings(environment ?? currentEnvironment()) { envp in execve(path, argv, envp) }
        }
        return Errno(rawValue: errno)
    }

    /// This process's environment as "NAME=value" strings.
    public static func currentEnvironment() -> [String] {
        var result: [String] = []
        var cursor = environ
        while let entry = cursor.pointee {
            result.append(String(cString: entry))
            cursor += 1
        }
        return result
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return body(pointers)
    }
}
