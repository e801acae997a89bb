import Glibc
import SystemIO
import SystemPackage

/// Starting a program with chosen descriptors as its stdin, stdout and stderr.
enum ChildProcess {
    /// Starts `path` (posix_spawn(3)) with `arguments` (argv[0] included) and `environment`.
    /// Each pair in `descriptors` makes our fd `.from` the child's fd `.to` (posix_spawn
    /// dup2 actions; a pair with equal numbers keeps an fd we opened close-on-exec).
    /// Give `.from` descriptors numbered 10 or more (`pipe`, `duplicate`) so the actions
    /// never collide. The child starts in `directory` when given. Every other inherited
    /// descriptor is closed in the child, so nothing of ours leaks into a service.
    static func start(
        _ path: String, arguments: [String], environment: [String],
        descriptors: [(from: Int32, to: Int32)], directory: String? = nil
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for pair in descriptors {
            posix_spawn_file_actions_adddup2(&actions, pair.from, pair.to)
        }
        let targets = Set(descriptors.map(\.to))
        for fd in inheritedDescriptors() where fd > 2 && !targets.contains(fd) {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
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
            withCStrings(environment) { envp in posix_spawn(&pid, path, &actions, nil, argv, envp) }
        }
        if status != 0 { throw Errno(rawValue: status) }
        return pid
    }

    /// Our open descriptors that a child would inherit (not close-on-exec), from /proc/self/fd.
    static func inheritedDescriptors() -> [Int32] {
        guard let names = try? LocalFiles.names(in: "/proc/self/fd") else { return [] }
        return names.compactMap { Int32($0) }.filter { fd in
            let flags = fcntl(fd, F_GETFD)
            return flags >= 0 && flags & FD_CLOEXEC == 0
        }
    }

    /// A pipe whose both ends are close-on-exec and numbered at least 10, so they never
    /// collide with the child's low descriptors (pipe(2), then fcntl(2) F_DUPFD_CLOEXEC).
    static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        _ = try syscallRetrying { Glibc.pipe(&fds) }
        defer {
            close(fds[0])
            close(fds[1])
        }
        return (try duplicate(fds[0]), try duplicate(fds[1]))
    }

    /// A close-on-exec duplicate of `fd` numbered at least 10 (fcntl(2) F_DUPFD_CLOEXEC).
    static func duplicate(_ fd: Int32) throws -> Int32 {
        try syscallRetrying { fcntl(fd, F_DUPFD_CLOEXEC, Int32(10)) }
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return body(pointers)
    }
}
