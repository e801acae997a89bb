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
