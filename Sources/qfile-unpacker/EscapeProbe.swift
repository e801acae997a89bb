#if DEBUG
import Glibc
import SystemIO
import SystemPackage

/// Debug builds only (what the tests run): proves confinement from the inside. With
/// `INTERVM_DEBUG_ESCAPE_DIR=/some/outside/folder`, the receiver opens that folder before it
/// confines itself and, once confined, tries to create a file, a folder and a symlink in it
/// through the held descriptor, reporting each outcome on stderr as `escape-probe KIND: RESULT`.
enum EscapeProbe {
    static func prepare() -> FileDescriptor? {
        guard let path = getenv("INTERVM_DEBUG_ESCAPE_DIR") else { return nil }
        return try? FileDescriptor.open(FilePath(String(cString: path)), .readOnly, options: [.directory, .closeOnExec])
    }

    static func attempt(_ outside: FileDescriptor?) {
        guard let outside else { return }
        report("file", openat(outside.rawValue, "escaped-file", O_CREAT | O_WRONLY | O_EXCL, 0o644))
        report("directory", mkdirat(outside.rawValue, "escaped-directory", 0o755))
        report("symlink", symlinkat("/etc/passwd", outside.rawValue, "escaped-symlink"))
    }

    private static func report(_ kind: String, _ result: Int32) {
        let outcome = result >= 0 ? "CREATED" : "refused \(Errno(rawValue: errno))"
        printError("escape-probe \(kind): \(outcome)")
    }
}
#endif
