import CLinux
import Glibc
import SystemPackage

/// Gives unnamed (O_TMPFILE) files their names with one linkat(2) each: AT_EMPTY_PATH where the
/// kernel allows it, else through `/proc/self/fd` (held open as `procFD`, since a confined
/// process cannot open it later). The first refusal of AT_EMPTY_PATH is remembered, so a
/// receiver without the capability for it pays one failed call per transfer, not per file.
public final class UnnamedFileLinker {
    private let procFD: FileDescriptor?
    private var emptyPathRefused = false

    public init(procFD: FileDescriptor?) {
        self.procFD = procFD
    }

    /// Names `fd` `name` in `parent`; fails with EEXIST rather than replace anything.
    public func link(_ fd: FileDescriptor, asCName name: UnsafePointer<CChar>, in parent: FileDescriptor) throws {
        if !emptyPathRefused || procFD == nil {
            do {
                _ = try syscallRetrying { Glibc.linkat(fd.rawValue, "", parent.rawValue, name, csys_AT_EMPTY_PATH) }
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
