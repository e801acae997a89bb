import Glibc
import SystemIO
import SystemPackage

/// The edited content being received: an unnamed file (O_TMPFILE) in the folder where it will
/// end up, or, where the file system lacks O_TMPFILE (FUSE, some network file systems), a
/// hidden name (`HiddenCopyName`) created with O_EXCL, mode 0600. Nothing is left behind unless
/// `publish` gave it a name: the descriptor closes with the value. The copy is locked (flock(2))
/// from the moment it exists until the descriptor closes, so `StaleHiddenCopies` in another
/// client never takes it for the leftover of a killed one.
final class EditedCopy {
    let folder: FileDescriptor
    /// The folder's path, for messages.
    let folderPath: String
    let file: FileDescriptor
    /// The hidden temporary name, once it has one; a stop signal removes it (`HiddenCopyCleanup`).
    private(set) var temporaryName: [UInt8]? {
        didSet { HiddenCopyCleanup.track(temporaryName, in: folder.rawValue) }
    }

    /// Creates the copy in `folder` (mode 0600 until `finish`). Throws the Errno of the failure.
    init(in folder: FileDescriptor, path folderPath: String) throws {
        self.folder = folder
        self.folderPath = folderPath
        do {
            file = try FileSystem.openUnnamedFile(in: folder, mode: 0o600)
            _ = try? FileSystem.lockExclusively(file)  // no name yet: nobody else can hold it
        } catch let error as Errno where error == .notSupported || error == .isDirectory || error == .invalidArgument {
            let (descriptor, name) = try Self.createHidden(in: folder)
            file = descriptor
            temporaryName = name
            HiddenCopyCleanup.track(name, in: folder.rawValue)  // observers do not run in init
        }
    }

    /// Sets the final permissions (and, when running as root, the original's owner), then
    /// flushes the data (fsync(2)) so a crash cannot leave a renamed but empty file.
    func finish(permissions: mode_t, owner: uid_t, group: gid_t) throws {
        try FileSystem.setPermissions(file, permissions)
        if geteuid() == 0 { _ = fchown(file.rawValue, owner, group) }
        _ = try syscallRetrying { fsync(file.rawValue) }
    }

    /// Gives the copy its hidden temporary name (linkat(2)) if it has none yet; returns it.
    func nameTemporarily() throws -> [UInt8] {
        if let temporaryName { return temporaryName }
        let proc = try? FileDescriptor.open("/proc/self/fd", .readOnly, options: [.directory, .closeOnExec])
        defer { proc?.closeQuietly() }
        while true {
            let name = HiddenCopyName.random()
            do {
                try FileSystem.linkUnnamedFile(file, as: name, in: folder, procFD: proc)
                temporaryName = name
                return name
            } catch Errno.fileExists {
                continue
            }
        }
    }

    /// Links the copy as the first free name from `candidates` (never replacing anything) and
    /// drops the hidden name. Returns the name used.
    func publish(asFirstFreeOf candidates: [[UInt8]]) throws -> [UInt8] {
        let hidden = try nameTemporarily()
        for candidate in candidates {
            do {
                _ = try withCPath(hidden) { cHidden in
                    try withCPath(candidate) { cName in
                        try syscallRetrying { linkat(folder.rawValue, cHidden, folder.rawValue, cName, 0) }
                    }
                }
                discardName()
                return candidate
            } catch Errno.fileExists {
                continue
            }
        }
        throw Errno.fileExists
    }

    /// Forgets the hidden name (unlinkat(2)); the data goes when the descriptor closes.
    func discardName() {
        if let temporaryName {
            _ = withCPath(temporaryName) { unlinkat(folder.rawValue, $0, 0) }
            self.temporaryName = nil
        }
    }

    /// The hidden name was renamed away: nothing to remove any more.
    func forgetName() { temporaryName = nil }

    deinit {
        HiddenCopyCleanup.track(nil, in: -1)  // whatever name is left is kept on purpose now
        file.closeQuietly()
    }

    /// Creates a hidden name with O_EXCL and locks it. Where flock(2) is refused, the file goes
    /// unlocked, and then no client can lock it either, so none removes it as stale.
    private static func createHidden(in folder: FileDescriptor) throws -> (FileDescriptor, [UInt8]) {
        for _ in 0..<maximumAttempts {
            let name = HiddenCopyName.random()
            let fd: FileDescriptor
            do {
                fd = FileDescriptor(rawValue: try withCPath(name) { cName in
                    try syscallRetrying {
                        openat(folder.rawValue, cName, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
                    }
                })
            } catch Errno.fileExists {
                continue
            }
            _ = try? FileSystem.lockExclusively(fd)
            // Another client cleaning this folder may have taken the name for a leftover in the
            // moment before the lock: use it only if it still is this file.
            if let named = try? FileSystem.status(of: name, in: folder), let own = try? FileSystem.status(of: fd),
                named.st_dev == own.st_dev, named.st_ino == own.st_ino
            {
                return (fd, name)
            }
            fd.closeQuietly()
        }
        throw Errno.fileExists
    }

    /// Attempts at a free hidden name before giving up (64 random bits each: never in practice).
    static let maximumAttempts = 100
}
