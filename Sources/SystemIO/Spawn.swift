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
    /// keeps ours), sharing our stdin, stdout and stderr (posix_spawn(3)). Returns its pid.
    public static func start(_ path: String, arguments: [String], environment: [String]? = nil) throws -> pid_t {
        var pid: pid_t = 0
        let status = withCStrings(arguments) { argv in
            withCStrings(environment ?? currentEnvironment()) { envp in
                posix_spawn(&pid, path, nil, nil, argv, envp)
            }
        }
        if status != 0 { throw Errno(rawValue: status) }
        return pid
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
