import CLinux
import Glibc
import SystemPackage

// Directory-relative calls on names that already exist, for files written under a temporary
// name where the file system has no O_TMPFILE: giving them their final name without replacing
// anything, and removing them. None of them follows a symlink.

extension FileSystem {
    /// renameat2(2) with RENAME_NOREPLACE: fails with EEXIST rather than replace `newName`.
    /// File systems that cannot honour the flag answer EINVAL (FUSE, for one).
    public static func renameWithoutReplacing(
        cName oldName: UnsafePointer<CChar>, in oldParent: FileDescriptor,
        to newName: UnsafePointer<CChar>, in newParent: FileDescriptor
    ) throws {
        _ = try syscallRetrying { csys_renameat2(oldParent.rawValue, oldName, newParent.rawValue, newName, renameNoReplace) }
    }

    /// linkat(2) without AT_SYMLINK_FOLLOW: a second name for the file (a symlink is linked as
    /// itself); fails with EEXIST rather than replace `newName`.
    public static func link(
        cName oldName: UnsafePointer<CChar>, in oldParent: FileDescriptor,
        to newName: UnsafePointer<CChar>, in newParent: FileDescriptor
    ) throws {
        _ = try syscallRetrying { Glibc.linkat(oldParent.rawValue, oldName, newParent.rawValue, newName, 0) }
    }

    /// unlinkat(2) of a name that is not a directory (a symlink goes, not what it points to).
    public static func removeFile(cName name: UnsafePointer<CChar>, in parent: FileDescriptor) throws {
        _ = try syscallRetrying { Glibc.unlinkat(parent.rawValue, name, 0) }
    }

    /// Whether openat(O_TMPFILE) failed because the kernel or the file system has no unnamed
    /// files (open(2): EOPNOTSUPP, or EISDIR and EINVAL from kernels without O_TMPFILE), rather
    /// than for a reason that would stop any file (no space, no permission).
    public static func refusesUnnamedFiles(_ error: Errno) -> Bool {
        error == .notSupported || error == .isDirectory || error == .invalidArgument
    }

    /// Whether `directory` takes unnamed files: one is opened (with mode 0000) and closed,
    /// which leaves nothing behind. False only for the errors of `refusesUnnamedFiles`.
    public static func allowsUnnamedFiles(in directory: FileDescriptor) -> Bool {
        do {
            try openUnnamedFile(in: directory, mode: 0).closeQuietly()
            return true
        } catch let error as Errno {
            return !refusesUnnamedFiles(error)
        } catch {
            return true
        }
    }

    private static let renameNoReplace: UInt32 = 1
}
