import Glibc
import SystemIO
import SystemPackage

/// The file the user asked to open, pinned at the start: its folder held open, the file open
/// without following a symlink, and the identity it had (device, inode, size, mtime).
struct OriginalFile {
    /// The path as the user gave it, for messages.
    let displayPath: String
    /// The resolved folder's path and descriptor (O_DIRECTORY); every later step is relative to it.
    let folderPath: String
    let folder: FileDescriptor
    /// The resolved name inside `folder`.
    let name: [UInt8]
    let file: FileDescriptor
    let snapshot: stat

    /// Resolves `path` (realpath(3): a symlink the user names is followed once, here), refuses
    /// folders and anything but a regular file, then opens folder and file (open(2), O_NOFOLLOW).
    static func open(_ path: String) throws -> OriginalFile {
        guard let resolved = realpath(path, nil) else {
            throw OpenInVMError.cannotOpenOriginal(path: path, Errno(rawValue: errno))
        }
        let absolute = String(cString: resolved)
        free(resolved)
        let folderPath = ProgramLocation.directory(of: absolute)
        let name = Array(absolute.utf8.split(separator: UInt8(ascii: "/")).last ?? [])
        let folder: FileDescriptor
        do {
            folder = FileDescriptor(rawValue: try syscallRetrying {
                Glibc.open(folderPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            })
        } catch {
            throw OpenInVMError.cannotOpenOriginal(path: path, error as? Errno ?? .ioError)
        }
        do {
            let before = try FileSystem.status(of: name, in: folder)
            if before.st_mode & S_IFMT == S_IFDIR { throw OpenInVMError.isDirectory(path: path) }
            if before.st_mode & S_IFMT != S_IFREG { throw OpenInVMError.notRegularFile(path: path) }
            let file = FileDescriptor(rawValue: try withCPath(name) { cName in
                try syscallRetrying { openat(folder.rawValue, cName, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
            })
            let snapshot = try FileSystem.status(of: file)
            guard snapshot.st_mode & S_IFMT == S_IFREG else {
                file.closeQuietly()
                throw OpenInVMError.notRegularFile(path: path)
            }
            return OriginalFile(
                displayPath: path, folderPath: folderPath, folder: folder, name: name, file: file, snapshot: snapshot)
        } catch let error as Errno {
            folder.closeQuietly()
            throw OpenInVMError.cannotOpenOriginal(path: path, error)
        } catch {
            folder.closeQuietly()
            throw error
        }
    }

    /// True when `name` in the folder is still the very file that was sent: a regular file
    /// (not a symlink swapped in), same device and inode, same size and modification time.
    func isStillInPlace() -> Bool {
        guard let now = try? FileSystem.status(of: name, in: folder) else { return false }
        return now.st_mode & S_IFMT == S_IFREG && isSameInode(now) && now.st_size == snapshot.st_size
            && now.st_mtim.tv_sec == snapshot.st_mtim.tv_sec && now.st_mtim.tv_nsec == snapshot.st_mtim.tv_nsec
    }

    func isSameInode(_ other: stat) -> Bool {
        other.st_dev == snapshot.st_dev && other.st_ino == snapshot.st_ino
    }

    /// The original's permission bits (mode & 0777) for the edited copy; setuid, setgid and sticky
    /// bits are dropped, since the content now comes from another VM.
    var permissions: mode_t { snapshot.st_mode & 0o777 }
}
