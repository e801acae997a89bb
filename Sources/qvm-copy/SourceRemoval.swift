import Glibc
import Localization
import SystemIO
import SystemPackage

/// Deleting the sources of a move, only after the receiver reported success. Only entries the
/// pre-check saw (same device and inode, same type) are deleted, bottom-up, never following a
/// symbolic link; a folder that gained anything meanwhile is kept with the new content.
enum SourceRemoval {
    /// Deletes what was sent; returns one line for each thing kept.
    static func removeSent(_ selection: Selection) -> [String] {
        var kept: [String] = []
        for source in selection.sources {
            guard let entry = source.entry else { continue }
            let parentPath = ProgramLocation.directory(of: source.path)
            guard let parent = try? FileDescriptor.open(parentPath, .readOnly, options: [.directory, .closeOnExec]) else {
                kept.append(tr("Kept \"%s\": its folder can no longer be opened.", source.path))
                continue
            }
            remove(entry, in: parent, display: source.path, kept: &kept)
            parent.closeQuietly()
        }
        return kept
    }

    private static func remove(_ entry: SentEntry, in parent: FileDescriptor, display: String, kept: inout [String]) {
        guard let info = try? FileSystem.status(of: entry.name, in: parent),
            UInt64(info.st_dev) == entry.device, UInt64(info.st_ino) == entry.inode,
            kindMatches(entry.kind, info.st_mode)
        else {
            kept.append(tr("Kept \"%s\": it changed after the copy started.", display))
            return
        }
        if entry.kind == .directory {
            let opened = withCPath(entry.name) { cName in
                openat(parent.rawValue, cName, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            guard opened >= 0 else {
                kept.append(tr("Kept \"%s\": %s.", display, String(describing: Errno(rawValue: errno))))
                return
            }
            let directory = FileDescriptor(rawValue: opened)
            for child in entry.children {
                remove(child, in: directory, display: display + "/" + String(decoding: child.name, as: UTF8.self), kept: &kept)
            }
            directory.closeQuietly()
        }
        let flags = entry.kind == .directory ? AT_REMOVEDIR : 0
        let result = withCPath(entry.name) { cName in unlinkat(parent.rawValue, cName, flags) }
        if result != 0 {
            let error = Errno(rawValue: errno)
            if entry.kind == .directory && (error == .directoryNotEmpty || error == .fileExists) {
                kept.append(tr("Kept the folder \"%s\": it holds files that were not sent.", display))
            } else {
                // TRANSLATORS: after a move: the source file that was not deleted, then the system's error text.
                kept.append(tr("Kept \"%s\": %s.", display, String(describing: error)))
            }
        }
    }

    private static func kindMatches(_ kind: SentEntry.Kind, _ mode: mode_t) -> Bool {
        switch kind {
        case .file: mode & S_IFMT == S_IFREG
        case .directory: mode & S_IFMT == S_IFDIR
        case .symlink: mode & S_IFMT == S_IFLNK
        }
    }
}
