import CLinux
import FilecopyWire
import Glibc
import Localization
import SystemIO
import SystemPackage

/// A directory whose children are being sent: its stream (fdopendir(3)), the header to send
/// again after them, and the length of `path` before its name was appended.
struct OpenDirectory {
    let stream: OpaquePointer
    let header: FileHeader
    let parentPathLength: Int
}

/// The walk: every entry is looked up with fstatat(AT_SYMLINK_NOFOLLOW) and opened with openat
/// relative to its parent's held descriptor, with O_NOFOLLOW. Renaming or swapping a path
/// while it is walked therefore cannot lead the sender out of the tree or through a link; an
/// entry that is no longer what was looked up counts as changed.
extension Packer {
    /// Sends one command-line argument and everything beneath it.
    func sendArgument(_ untrimmed: [UInt8]) throws {
        argument = untrimmed
        while argument.count > 1 && argument.last == UInt8(ascii: "/") { argument.removeLast() }
        guard var (directory, name) = Self.split(argument) else { throw TransferFailure.unsendablePath(name: untrimmed) }
        if name == Array(".".utf8) || name == Array("..".utf8) {
            // "." has no name of its own to send: use the real one.
            guard let resolved = Self.realPath(argument), let split = Self.split(resolved) else {
                throw TransferFailure.cannotRead(name: argument, Errno(rawValue: errno))
            }
            (directory, name) = split
        }
        let parent = try withCPath(directory) { cPath in
            do {
                return try syscallRetrying { Glibc.open(cPath, csys_O_PATH | O_DIRECTORY | O_CLOEXEC) }
            } catch let error as Errno {
                throw TransferFailure.cannotRead(name: argument, error)
            }
        }
        defer { _ = Glibc.close(parent) }
        if sentLog != nil {
            do {
                let folder = try FileSystem.status(of: FileDescriptor(rawValue: parent))
                record(.argument(folder: directory, device: UInt64(folder.st_dev), inode: UInt64(folder.st_ino)))
            } catch let error as Errno {
                throw TransferFailure.cannotRead(name: argument, error)
            }
        }
        path = name
        try withCPath(name) { cName in try sendEntry(cName, in: parent, parentPathLength: 0, isArgument: true) }
        try sendOpenDirectories()
    }

    /// Splits an argument without trailing slashes into its directory and last component;
    /// nil for "/" and the empty path.
    static func split(_ path: [UInt8]) -> (directory: [UInt8], name: [UInt8])? {
        guard !path.isEmpty, path != [UInt8(ascii: "/")] else { return nil }
        guard let slash = path.lastIndex(of: UInt8(ascii: "/")) else { return (Array(".".utf8), path) }
        let directory = slash == 0 ? [UInt8(ascii: "/")] : Array(path[..<slash])
        return (directory, Array(path[(slash + 1)...]))
    }

    /// realpath(3).
    static func realPath(_ path: [UInt8]) -> [UInt8]? {
        guard let resolved = withCPath(path, { Glibc.realpath($0, nil) }) else { return nil }
        defer { free(resolved) }
        return Array(UnsafeRawBufferPointer(start: resolved, count: strlen(resolved)))
    }

    /// Sends the entry `name` of the directory `parent` (its wire name is in `path`, which was
    /// `parentPathLength` bytes long before the name was added). A directory's header is sent
    /// and the directory joins `openDirectories`.
    func sendEntry(_ name: UnsafePointer<CChar>, in parent: Int32, parentPathLength: Int, isArgument: Bool) throws {
        recordStart = nil
        var info = stat()
        do {
            _ = try syscallRetrying { Glibc.fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) }
        } catch let error as Errno {
            if isArgument { throw TransferFailure.cannotRead(name: argument, error) }
            if error == .noSuchFileOrDirectory { return note(tr("Skipped \"%s\": it was removed while its folder was being sent", displayPath)) }
            throw TransferFailure.cannotRead(name: path, error)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            try sendRegularFile(name, in: parent, looked: info)
        case S_IFDIR:
            try openDirectory(name, in: parent, looked: info, parentPathLength: parentPathLength)
        case S_IFLNK:
            if options.ignoreSymlinks { return note(tr("Skipped the link \"%s\"", displayPath)) }
            try sendSymlink(name, in: parent, looked: info)
        default:
            note(tr("Skipped \"%s\": not a regular file, folder or link", displayPath))
        }
    }

    /// Opens a directory (O_DIRECTORY | O_NOFOLLOW), sends its header and starts reading it.
    private func openDirectory(_ name: UnsafePointer<CChar>, in parent: Int32, looked: stat, parentPathLength: Int) throws {
        let descriptor = try openChecked(name, in: parent, flags: O_RDONLY | O_DIRECTORY)
        let header: FileHeader
        do {
            let opened = try FileSystem.status(of: FileDescriptor(rawValue: descriptor))
            guard Self.isSameEntry(opened, looked) else { throw TransferFailure.fileChanged(name: path) }
            header = Self.header(for: opened, fileLength: 0)
            try beginRecord(header)
            recordStart = nil
            record(.folder(name: Self.bytes(of: name), device: UInt64(opened.st_dev), inode: UInt64(opened.st_ino)))
        } catch {
            _ = Glibc.close(descriptor)
            throw Self.asFailure(error, path)
        }
        guard let stream = fdopendir(descriptor) else {
            let error = Errno(rawValue: errno)
            _ = Glibc.close(descriptor)
            throw TransferFailure.cannotRead(name: path, error)
        }
        // The directory's name stays in `path` until its last child is sent.
        openDirectories.append(OpenDirectory(stream: stream, header: header, parentPathLength: parentPathLength))
    }

    /// Sends the children of the open directories, depth first, and each directory's header
    /// again after its children, until none is left open.
    func sendOpenDirectories() throws {
        while let top = openDirectories.last {
            errno = 0
            guard let entry = readdir(top.stream) else {
                let error = errno
                if error != 0 { throw TransferFailure.cannotRead(name: path, Errno(rawValue: error)) }
                if sentLog != nil {
                    // The folder as it was once read to its end.
                    let read = try Self.statusOrCannotRead(FileDescriptor(rawValue: dirfd(top.stream)), path)
                    record(.folderEnd(state: SentState(read)))
                }
                closedir(top.stream)
                openDirectories.removeLast()
                try beginRecord(top.header)
                recordStart = nil
                path.removeLast(path.count - top.parentPathLength)
                continue
            }
            let name = UnsafeRawPointer(entry).advanced(by: MemoryLayout<dirent>.offset(of: \dirent.d_name)!)
                .assumingMemoryBound(to: CChar.self)
            let nameBytes = UnsafeRawBufferPointer(start: name, count: strlen(name))
            if Self.isDotOrDotDot(nameBytes) { continue }
            let lengthBefore = path.count
            path.append(UInt8(ascii: "/"))
            path.append(contentsOf: nameBytes)
            let depth = openDirectories.count
            try sendEntry(name, in: dirfd(top.stream), parentPathLength: lengthBefore, isArgument: false)
            // A directory keeps its name in `path` until its children are done.
            if openDirectories.count == depth { path.removeLast(path.count - lengthBefore) }
        }
    }

    /// Releases every directory still open (after a failure).
    func closeOpenDirectories() {
        for directory in openDirectories { closedir(directory.stream) }
        openDirectories.removeAll()
    }

    /// openat(2) with O_NOFOLLOW | O_CLOEXEC. An entry that became a link or vanished since it
    /// was looked up counts as changed.
    func openChecked(_ name: UnsafePointer<CChar>, in parent: Int32, flags: Int32) throws -> Int32 {
        do {
            return try syscallRetrying { Glibc.openat(parent, name, flags | O_NOFOLLOW | O_CLOEXEC) }
        } catch let error as Errno {
            switch error {
            case .tooManySymbolicLinkLevels, .notDirectory, .noSuchFileOrDirectory:
                throw TransferFailure.fileChanged(name: path)
            default:
                throw TransferFailure.cannotRead(name: path, error)
            }
        }
    }

    /// Sends a symlink as a link: its target is the body. The link itself is opened (O_PATH |
    /// O_NOFOLLOW) and read through that descriptor (readlinkat(2) with an empty name), so the
    /// target and the record of what was sent come from the same link.
    private func sendSymlink(_ name: UnsafePointer<CChar>, in parent: Int32, looked: stat) throws {
        let link: FileDescriptor
        do {
            link = try FileSystem.openEntry(Self.bytes(of: name), in: FileDescriptor(rawValue: parent))
        } catch let error as Errno {
            if error == .noSuchFileOrDirectory { throw TransferFailure.fileChanged(name: path) }
            throw TransferFailure.cannotRead(name: path, error)
        }
        defer { link.closeQuietly() }
        var target = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let count: Int
        do {
            count = try target.withUnsafeMutableBytes { buffer in try FileSystem.readLink(link, into: buffer) }
        } catch let error as Errno {
            // EINVAL or ENOENT: no longer a link.
            if error == .invalidArgument || error == .noSuchFileOrDirectory { throw TransferFailure.fileChanged(name: path) }
            throw TransferFailure.cannotRead(name: path, error)
        }
        guard count < target.count, UInt64(count) <= FileHeader.maxLinkTargetLength else {
            throw TransferFailure.cannotRead(name: path, .fileNameTooLong)
        }
        let read = try Self.statusOrCannotRead(link, path)
        guard Self.isSameEntry(read, looked) else { throw TransferFailure.fileChanged(name: path) }
        try beginRecord(Self.header(for: looked, fileLength: UInt64(count)), bodyCount: count)
        target.withUnsafeBytes { output.append(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        recordStart = nil
        record(.file(name: Self.bytes(of: name), state: SentState(read)))
    }

    /// The wire header for `info`: full st_mode, times as unsigned 32-bit seconds plus
    /// nanoseconds (the name length is filled in by `beginRecord`).
    static func header(for info: stat, fileLength: UInt64) -> FileHeader {
        FileHeader(
            nameLength: 0, mode: UInt32(info.st_mode), fileLength: fileLength,
            atime: UInt32(truncatingIfNeeded: info.st_atim.tv_sec),
            atimeNanoseconds: UInt32(truncatingIfNeeded: info.st_atim.tv_nsec),
            mtime: UInt32(truncatingIfNeeded: info.st_mtim.tv_sec),
            mtimeNanoseconds: UInt32(truncatingIfNeeded: info.st_mtim.tv_nsec))
    }

    /// True when two stat results describe the same file of the same type.
    static func isSameEntry(_ a: stat, _ b: stat) -> Bool {
        a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_mode & S_IFMT == b.st_mode & S_IFMT
    }

    static func isDotOrDotDot(_ name: UnsafeRawBufferPointer) -> Bool {
        (name.count == 1 && name[0] == UInt8(ascii: ".")) || (name.count == 2 && name[0] == UInt8(ascii: ".") && name[1] == UInt8(ascii: "."))
    }

    /// Adds `item` to the record of what was sent, when one is kept.
    func record(_ item: @autoclosure () -> SentItem) {
        guard sentLog != nil else { return }
        sentLog!.append(item())
    }

    /// The bytes of a C name.
    static func bytes(of name: UnsafePointer<CChar>) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: name, count: strlen(name)))
    }

    /// fstat(2), failing as "cannot read `name`".
    static func statusOrCannotRead(_ fd: FileDescriptor, _ name: [UInt8]) throws -> stat {
        do {
            return try FileSystem.status(of: fd)
        } catch let error as Errno {
            throw TransferFailure.cannotRead(name: name, error)
        }
    }

    /// `error` as a TransferFailure: an Errno becomes "cannot read `name`".
    static func asFailure(_ error: any Error, _ name: [UInt8]) -> any Error {
        if let errno = error as? Errno { return TransferFailure.cannotRead(name: name, errno) }
        return error
    }
}
