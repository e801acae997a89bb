import Glibc
import SystemIO
import SystemPackage

/// The file the user asked to open, pinned at the start: its folder held open, the entry under
/// the name the user chose (a regular file, or a symlink to one), and the content opened.
///
/// A symlink is never resolved into another folder: its target's content is sent, and a changed
/// reply replaces the link itself, in the link's own folder (`Replacement`), as Qubes does. So
/// `notes.txt -> ../.bashrc` planted by an archive can never get another VM's reply into
/// `~/.bashrc`.
struct OriginalFile {
    /// The path as the user gave it, for messages.
    let displayPath: String
    /// The folder holding the name (its path resolved, for messages) and its descriptor
    /// (O_DIRECTORY); every later step is relative to it.
    let folderPath: String
    let folder: FileDescriptor
    /// The name the user chose inside `folder`: the only name the reply may ever replace.
    let name: [UInt8]
    /// The content sent: the file itself, or the file the symlink `name` points to.
    let file: FileDescriptor
    /// What `name` was (lstat(2)) when the content was opened, and a symlink's target text.
    let entry: stat
    let linkTarget: [UInt8]?
    /// The content's identity (fstat(2) of `file`): device, inode, size, mtime, mode, owner.
    let snapshot: stat

    /// Opens the folder of `path` (symlinks in the folder part are the user's own choice and
    /// followed), then the entry named by its last component: a regular file with O_NOFOLLOW,
    /// or a symlink, noted, then opened through to a regular file. Refuses folders and anything
    /// but regular files; refuses an entry that changed between the look and the open.
    static func open(_ path: String) throws -> OriginalFile {
        guard let (folderPart, name) = split(path) else {
            // "", "dir/", ".", "..": never names a file; say what it is.
            var info = stat()
            if stat(path, &info) != 0 { throw OpenInVMError.cannotOpenOriginal(path: path, Errno(rawValue: errno)) }
            if info.st_mode & S_IFMT == S_IFDIR { throw OpenInVMError.isDirectory(path: path) }
            throw OpenInVMError.notRegularFile(path: path)
        }
        guard let resolved = realpath(folderPart, nil) else {
            throw OpenInVMError.cannotOpenOriginal(path: path, Errno(rawValue: errno))
        }
        let folderPath = String(cString: resolved)
        free(resolved)
        let folder: FileDescriptor
        do {
            folder = FileDescriptor(rawValue: try syscallRetrying {
                Glibc.open(folderPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            })
        } catch {
            throw OpenInVMError.cannotOpenOriginal(path: path, error as? Errno ?? .ioError)
        }
        do {
            let (entry, linkTarget, file, snapshot) = try openEntry(name, in: folder, path: path)
            return OriginalFile(
                displayPath: path, folderPath: folderPath, folder: folder, name: name, file: file, entry: entry,
                linkTarget: linkTarget, snapshot: snapshot)
        } catch let error as Errno {
            folder.closeQuietly()
            throw OpenInVMError.cannotOpenOriginal(path: path, error)
        } catch {
            folder.closeQuietly()
            throw error
        }
    }

    /// The entry `name` in `folder` (lstat, and readlinkat for a link), the content opened
    /// (openat; O_NOFOLLOW unless the entry is a link) and its fstat, checked to belong together.
    private static func openEntry(_ name: [UInt8], in folder: FileDescriptor, path: String) throws
        -> (stat, [UInt8]?, FileDescriptor, stat)
    {
        let entry = try FileSystem.status(of: name, in: folder)
        let isLink = entry.st_mode & S_IFMT == S_IFLNK
        if entry.st_mode & S_IFMT == S_IFDIR { throw OpenInVMError.isDirectory(path: path) }
        if !isLink && entry.st_mode & S_IFMT != S_IFREG { throw OpenInVMError.notRegularFile(path: path) }
        let linkTarget = isLink ? try FileSystem.linkTarget(of: name, in: folder) : nil
        if isLink {
            // Look through the link before opening it: a device or FIFO is never opened.
            let target = try FileSystem.followedStatus(of: name, in: folder)
            if target.st_mode & S_IFMT == S_IFDIR { throw OpenInVMError.isDirectory(path: path) }
            if target.st_mode & S_IFMT != S_IFREG { throw OpenInVMError.notRegularFile(path: path) }
        }
        let file = FileDescriptor(rawValue: try withCPath(name) { cName in
            try syscallRetrying {
                openat(folder.rawValue, cName, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (isLink ? 0 : O_NOFOLLOW))
            }
        })
        do {
            let snapshot = try FileSystem.status(of: file)
            if snapshot.st_mode & S_IFMT == S_IFDIR { throw OpenInVMError.isDirectory(path: path) }
            if snapshot.st_mode & S_IFMT != S_IFREG { throw OpenInVMError.notRegularFile(path: path) }
            // The name must still be what was looked at: the same file, or the same link.
            let after = try FileSystem.status(of: name, in: folder)
            let unchanged =
                isLink
                ? isSameEntry(after, entry) && (try? FileSystem.linkTarget(of: name, in: folder)) == linkTarget
                : isSameEntry(after, entry) && isSameEntry(snapshot, entry)
            guard unchanged else { throw OpenInVMError.changedWhileOpening(path: path) }
            return (entry, linkTarget, file, snapshot)
        } catch {
            file.closeQuietly()
            throw error
        }
    }

    /// `path` as (folder, last component), or nil when it names no entry of its own.
    static func split(_ path: String) -> (folder: String, name: [UInt8])? {
        let bytes = Array(path.utf8)
        guard let last = bytes.last, last != UInt8(ascii: "/") else { return nil }
        let slash = bytes.lastIndex(of: UInt8(ascii: "/"))
        let name = Array(bytes[(slash.map { $0 + 1 } ?? 0)...])
        if name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")] { return nil }
        guard let slash else { return (".", name) }
        return (slash == 0 ? "/" : String(decoding: bytes[..<slash], as: UTF8.self), name)
    }

    /// True when `name` in the folder is still what was sent: the same entry (the same file, or
    /// the same link with the same target text) and, through it, the same content (same device
    /// and inode, size and modification time).
    func isStillInPlace() -> Bool {
        guard let now = try? FileSystem.status(of: name, in: folder), isUnchangedEntry(now) else { return false }
        guard let content = try? FileSystem.followedStatus(of: name, in: folder) else { return false }
        return content.st_mode & S_IFMT == S_IFREG && Self.isSameEntry(content, snapshot)
            && content.st_size == snapshot.st_size && content.st_mtim.tv_sec == snapshot.st_mtim.tv_sec
            && content.st_mtim.tv_nsec == snapshot.st_mtim.tv_nsec
    }

    /// True when `other` (lstat of some name in the folder) is the entry noted at the start:
    /// same type, device and inode, and for a symlink the same target text (`other` being named
    /// `otherName`, read again).
    func isUnchangedEntry(_ other: stat, named otherName: [UInt8]? = nil) -> Bool {
        guard other.st_mode & S_IFMT == entry.st_mode & S_IFMT, Self.isSameEntry(other, entry) else { return false }
        guard let linkTarget else { return true }
        return (try? FileSystem.linkTarget(of: otherName ?? name, in: folder)) == linkTarget
    }

    static func isSameEntry(_ one: stat, _ other: stat) -> Bool {
        one.st_dev == other.st_dev && one.st_ino == other.st_ino
    }

    /// The content's permission bits (mode & 0777) for the edited copy; setuid, setgid and
    /// sticky bits are dropped, since the content now comes from another VM.
    var permissions: mode_t { snapshot.st_mode & 0o777 }
}
