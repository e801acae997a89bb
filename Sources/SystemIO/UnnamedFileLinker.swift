import CLinux
import Glibc
import SystemPackage

/// Gives unnamed (O_TMPFILE) files their names with one linkat(2) each: AT_EMPTY_PATH where the
/// kernel allows it, else through `/proc/self/fd` (held open as `procFD`, since a confined
/// process cannot open it later). The first refusal of AT_EMPTY_PATH is remembered, so a
/// receiver without the capability for it pays one failed call per transfer, not per file.
///
/// With `owningProcFD`, the linker takes `procFD` over and closes it once AT_EMPTY_PATH has
/// worked: from then on it is never needed, and a confined process is better off without a
/// way back to the real root (`/proc/self/fd/../../1/root`) should Landlock be missing.
public final class UnnamedFileLinker {
    private var procFD: FileDescriptor?
    private let owningProcFD: Bool
    private var emptyPathRefused = false

    public init(procFD: FileDescriptor?, owningProcFD: Bool = false) {
        self.procFD = procFD
        self.owningProcFD = owningProcFD
    }

    /// Finds out, before any file arrives, whether linkat(AT_EMPTY_PATH) works for this
    /// process as it is now (confined, without capabilities: kernels from 6.10 on allow it for a
    /// file the process opened itself), and if so closes an owned `procFD` at once, so a
    /// stream of only folders and links never holds it. The probe links an unnamed file of
    /// `directory` as `.`, which can never succeed: EEXIST means the link was allowed up to the
    /// name, ENOENT that AT_EMPTY_PATH is refused. Nothing is created.
    public func releaseProcFolderIfUnneeded(probingIn directory: FileDescriptor) {
        guard owningProcFD, let procFD else { return }
        let probe = Glibc.openat(directory.rawValue, ".", csys_O_TMPFILE | O_WRONLY | O_CLOEXEC, 0)
        guard probe >= 0 else { return }
        defer { _ = Glibc.close(probe) }
        if Glibc.linkat(probe, "", directory.rawValue, ".", csys_AT_EMPTY_PATH) == 0 { return }
        switch errno {
        case EEXIST:
            procFD.closeQuietly()
            self.procFD = nil
        case ENOENT, EPERM:
            emptyPathRefused = true
        default:
            break
        }
    }

    /// Names `fd` `name` in `parent`; fails with EEXIST rather than replace anything.
    public func link(_ fd: FileDescriptor, asCName name: UnsafePointer<CChar>, in parent: FileDescriptor) throws {
        if !emptyPathRefused || procFD == nil {
            do {
                _ = try syscallRetrying { Glibc.linkat(fd.rawValue, "", parent.rawValue, name, csys_AT_EMPTY_PATH) }
                if owningProcFD, let procFD {
                    procFD.closeQuietly()
                    self.procFD = nil
                }
                return
            } catch let error as Errno where (error == .noSuchFileOrDirectory || error == .notPermitted) && procFD != nil {
                emptyPathRefused = true
            }
        }
        _ = try syscallRetrying {
            Glibc.linkat(procFD!.rawValue, String(fd.rawValue), parent.rawValue, name, AT_SYMLINK_FOLLOW)
        }
    }
}
