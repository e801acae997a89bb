#if DEBUG
import Glibc
import SystemIO
import SystemPackage

/// Debug builds only (what the tests run): proves confinement from the inside. With
/// `INTERVM_DEBUG_ESCAPE_DIR=/some/outside/folder`, the receiver opens that folder before it
/// confines itself and, once confined, tries to get out, reporting each outcome on stderr as
/// `escape-probe KIND: RESULT`:
/// - `file`, `directory`, `symlink`: create one in the outside folder through the held descriptor;
/// - `read`: open `secret` in it for reading; `list`: open the folder itself again to list it;
/// - `dotdot`: create `../NAME/escaped-dotdot` relative to the destination (NAME is the
///   outside folder's name, so this is a sibling of the destination before the chroot);
/// - `proc-root`: read `secret` through `/proc/1/root` (the real root) from the
///   `/proc/self/fd` descriptor the receiver holds for linking.
enum EscapeProbe {
    struct Outside {
        var folder: FileDescriptor
        var path: String
    }

    static func prepare() -> Outside? {
        guard let path = getenv("INTERVM_DEBUG_ESCAPE_DIR").map({ String(cString: $0) }),
            let folder = try? FileDescriptor.open(FilePath(path), .readOnly, options: [.directory, .closeOnExec])
        else { return nil }
        return Outside(folder: folder, path: path)
    }

    static func attempt(_ outside: Outside?, destination: FileDescriptor, procFD: FileDescriptor?) {
        guard let outside else { return }
        let held = outside.folder.rawValue
        report("file", openat(held, "escaped-file", O_CREAT | O_WRONLY | O_EXCL, 0o644))
        report("directory", mkdirat(held, "escaped-directory", 0o755))
        report("symlink", symlinkat("/etc/passwd", held, "escaped-symlink"))
        report("read", openat(held, "secret", O_RDONLY))
        report("list", openat(held, ".", O_RDONLY | O_DIRECTORY))
        let name = outside.path.split(separator: "/").last.map(String.init) ?? ""
        report("dotdot", openat(destination.rawValue, "../\(name)/escaped-dotdot", O_CREAT | O_WRONLY | O_EXCL, 0o644))
        if let procFD {
            report("proc-root", openat(procFD.rawValue, "../../1/root" + outside.path + "/secret", O_RDONLY))
        }
    }

    private static func report(_ kind: String, _ result: Int32) {
        let outcome = result >= 0 ? "ESCAPED" : "refused \(Errno(rawValue: errno))"
        printError("escape-probe \(kind): \(outcome)")
    }
}
#endif
