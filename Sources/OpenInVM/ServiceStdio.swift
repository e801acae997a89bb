import CLinux
import Glibc
import SystemIO
import SystemPackage

/// Process set-up for the service before anything is read.
public enum ServiceStdio {
    /// Moves the qrexec connection off stdin/stdout onto close-on-exec descriptors
    /// (fcntl(2) F_DUPFD_CLOEXEC), then points stdin at `/dev/null` and stdout at stderr (dup2(2)),
    /// so the application and anything it forks can neither read the request, write into the
    /// reply, nor keep the connection open after we are done. Also sets no_new_privs
    /// (prctl(2)): nothing started from here gains privileges through setuid programs.
    public static func takeConnection() throws -> (input: FileDescriptor, output: FileDescriptor) {
        let input = try syscallRetrying { fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3) }
        let output = try syscallRetrying { fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3) }
        let null = try syscallRetrying { open("/dev/null", O_RDONLY | O_CLOEXEC) }
        _ = try syscallRetrying { dup2(null, STDIN_FILENO) }
        _ = try syscallRetrying { dup2(STDERR_FILENO, STDOUT_FILENO) }
        close(null)
        _ = csys_set_no_new_privs()
        return (FileDescriptor(rawValue: input), FileDescriptor(rawValue: output))
    }
}
