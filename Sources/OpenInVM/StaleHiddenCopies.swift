import Glibc
import SystemIO
import SystemPackage

/// Removes what a client killed in the middle of a reply left in a folder: its hidden copy
/// (`HiddenCopyName`), which only exists where the file system lacks O_TMPFILE or between
/// naming a finished copy and putting it in place.
///
/// A name is removed only if it is exactly of that form, a regular file (lstat(2), then opened
/// with O_NOFOLLOW and checked again with fstat(2)) owned by this user, and not locked: every
/// running client holds flock(2) on its copy from the moment it exists, so a copy still being
/// written is never taken for a stale one. Best effort: errors leave the name alone.
enum StaleHiddenCopies {
    static func remove(in folder: FileDescriptor) {
        guard let names = try? DirectoryListing.names(in: folder) else { return }
        for name in names where HiddenCopyName.matches(name) { removeIfStale(name, in: folder) }
    }

    private static func removeIfStale(_ name: [UInt8], in folder: FileDescriptor) {
        guard let looked = try? FileSystem.status(of: name, in: folder), isOwnRegularFile(looked) else { return }
        guard
            let fd = try? withCPath(name, { cName in
                try syscallRetrying {
                    openat(folder.rawValue, cName, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
                }
            })
        else { return }
        let file = FileDescriptor(rawValue: fd)
        defer { file.closeQuietly() }
        guard let opened = try? FileSystem.status(of: file), isOwnRegularFile(opened), isSame(opened, looked),
            FileSystem.tryLockExclusively(file)
        else { return }
        // Locked: no client writes it any more. Remove the name only if it still is this file.
        guard let now = try? FileSystem.status(of: name, in: folder), isSame(now, opened) else { return }
        _ = withCPath(name) { unlinkat(folder.rawValue, $0, 0) }
    }

    private static func isOwnRegularFile(_ info: stat) -> Bool {
        info.st_mode & S_IFMT == S_IFREG && info.st_uid == geteuid()
    }

    private static func isSame(_ one: stat, _ other: stat) -> Bool {
        one.st_dev == other.st_dev && one.st_ino == other.st_ino
    }
}
