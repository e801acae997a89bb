import Glibc
import SystemIO
import SystemPackage

/// Starting a program with chosen descriptors as its stdin, stdout and stderr.
enum ChildProcess {
    /// Above every descriptor a child is given (0 to 4): where our own ends for it are numbered.
    static let firstFree: Int32 = 10

    /// Starts `path` with `arguments` (argv[0] included) and `environment`. Each pair in
    /// `descriptors` makes our fd `.from` the child's fd `.to` (a pair with equal numbers keeps
    /// an fd we opened close-on-exec). Give `.from` descriptors numbered `firstFree` or more
    /// (`Spawn.closeOnExecPipe(atLeast:)`, `Spawn.closeOnExecDuplicate`) so the actions never
    /// collide. The child starts in `directory` when given. Every other inherited descriptor is
    /// closed in the child, so nothing of ours leaks into a service (`Spawn.start`).
    static func start(
        _ path: String, arguments: [String], environment: [String],
        descriptors: [(from: Int32, to: Int32)], directory: String? = nil
    ) throws -> pid_t {
        try Spawn.start(
            path, arguments: arguments, environment: environment, redirect: descriptors, closeInherited: true,
            directory: directory)
    }
}
