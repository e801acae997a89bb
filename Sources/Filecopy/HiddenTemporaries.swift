import Glibc
import SystemIO
import SystemPackage

/// The receiver's own temporary names, for destinations without O_TMPFILE (FUSE, some network
/// file systems): `.intervm-receiving-` and 12 random letters and digits (62^12 names), made
/// in the incoming folder itself with O_EXCL and mode 0000, so that no one can guess, plant or
/// open one; a file is written there and gets its real name only when complete
/// (`IncompleteFiles`).
///
/// A receiver killed mid-file leaves its temporary behind. The next receiver into the folder
/// removes such stale ones: regular files of exactly this naming, directly in the folder, owned
/// by the receiving user, never through a symlink. A temporary of a transfer still running is
/// not stale: every receiver writing temporaries holds a shared flock(2) on the folder for its
/// whole run, and only one that gets the lock exclusively (no other is running) cleans up.
enum HiddenTemporaries {
    static let prefix = Array(".intervm-receiving-".utf8)
    static let randomLength = 12

    /// A new name, as a C string.
    static func newName() throws -> [CChar] {
        try RandomName.make(prefix: prefix, count: randomLength)
    }

    /// Takes the folder's lock (shared, for this process's lifetime) and, when no other
    /// receiver holds it, first removes stale temporaries. A file system without flock(2)
    /// keeps its stale temporaries: better than removing a running transfer's.
    static func claim(_ destination: FileDescriptor) {
        guard let alone = try? FileSystem.lock(destination, exclusiveIfFree: true) else { return }
        if alone { removeStale(in: destination) }
        _ = try? FileSystem.lock(destination, exclusiveIfFree: false)
    }

    private static func removeStale(in destination: FileDescriptor) {
        let owner = geteuid()
        try? FileSystem.forEachName(in: destination) { name in
            guard RandomName.matches(name, prefix: prefix, count: randomLength),
                let info = try? FileSystem.status(ofCName: name, in: destination),
                info.st_mode & S_IFMT == S_IFREG, info.st_uid == owner
            else { return }
            try? FileSystem.removeFile(cName: name, in: destination)
        }
    }
}
