import Glibc
import SystemIO
import SystemPackage

/// Starting a program with chosen descriptors as its stdin, stdout and stderr.
enum ChildProcess {
    /// Starts `path` with `arguments` (argv[0] included) and `environment`. Each pair in
    /// `descriptors` makes our fd `.from` the child's fd `.to` (a pair with equal numbers keeps
    /// an fd we opened close-on-exec). Give `.from` descriptors numbered 10 or more (`pipe`,
    /// `duplicate`) so the actions never collide. The child starts in `directory` when given.
    /// Every other inherited descriptor is closed in the child, so nothing of ours leaks into
    /// a service (`Spawn.start`).
    static func start(
        _ path: String, arguments: [String], environment: [String],
        descriptors: [(from: Int32, to: Int32)], directory: String? = nil
    ) throws -> pid_t {
        try Spawn.start(
            path, arguments: arguments, environment: environment, redirect: descriptors, closeInherited: true,
            directory: directory)
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
}
