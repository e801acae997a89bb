import DisplayText
import FilecopyWire
import Glibc
import Localization
import SystemIO
import SystemPackage

/// The files as the sender will see them, checked before anything is sent: the names it
/// will put on the wire, the symbolic links it will send, that every file can be opened for
/// reading and every folder listed, the total size.
struct Selection: Sendable {
    /// Bytes of regular-file data (`FILECOPY_TOTAL_BYTES`).
    var totalBytes: UInt64 = 0
    /// True when some name passes Qubes' rules only with `allow-all-names`.
    var needsAllowAllNames = false

    /// Why the selection cannot be sent; nothing has been sent then.
    enum Problem: Error, CustomStringConvertible {
        case unsafeSymlink(name: String, target: [UInt8])
        case invalidName(String)
        case unreadable(String, Errno)

        var description: String {
            switch self {
            case .unsafeSymlink(let name, let target):
                tr("Refusing to send the symbolic link \"%s\" -> \"%s\": it is absolute, leads out of the copied folder, or is not inside a copied folder. Nothing was sent; use --ignore-symlinks to leave links out.",
                    DisplayText.escaped(name), DisplayText.escaped(target))
            case .invalidName(let name):
                tr("Cannot send \"%s\": the name is not allowed (empty, \".\" or \"..\", a control character, or a part longer than 255 bytes). Nothing was sent.",
                    DisplayText.escaped(name))
            case .unreadable(let path, let error):
                tr("Cannot read \"%s\": %s. Nothing was sent.", DisplayText.escaped(path), String(describing: error))
            }
        }

    }

    /// Walks every path as the sender will (lstat(2), never following symbolic links), checks
    /// each name and link with the receiver's rules, opens each regular file for reading and
    /// lists each folder: a selection that passes was all readable a moment before sending.
    static func check(_ paths: [String], ignoreSymlinks: Bool) throws(Problem) -> Selection {
        var walker = Walker(ignoreSymlinks: ignoreSymlinks, selection: Selection())
        for path in paths {
            try walker.visit(path: path, wireName: Array(lastComponent(of: path).utf8))
        }
        return walker.selection
    }

    /// The name the sender gives an argument: its last component.
    static func lastComponent(of path: String) -> String { ProgramLocation.lastComponent(of: path) }
}

/// The recursive part of `Selection.check`.
private struct Walker {
    let ignoreSymlinks: Bool
    var selection: Selection

    init(ignoreSymlinks: Bool, selection: Selection) {
        self.ignoreSymlinks = ignoreSymlinks
        self.selection = selection
    }

    /// Checks the top-level argument `path`, sent as `wireName`.
    mutating func visit(path: String, wireName: [UInt8]) throws(Selection.Problem) {
        let parentPath = ProgramLocation.directory(of: path)
        let parent: FileDescriptor
        do {
            parent = try FileDescriptor.open(parentPath, .readOnly, options: [.directory, .closeOnExec])
        } catch {
            throw .unreadable(path, error as? Errno ?? .ioError)
        }
        defer { parent.closeQuietly() }
        try visit(Array(Selection.lastComponent(of: path).utf8), in: parent, wireName: wireName, display: path)
    }

    /// Checks `name` in `parent`, which the sender will send as `wireName`.
    mutating func visit(_ name: [UInt8], in parent: FileDescriptor, wireName: [UInt8], display: String)
        throws(Selection.Problem)
    {
        let info: stat
        do {
            info = try FileSystem.status(of: name, in: parent)
        } catch {
            throw .unreadable(display, error as? Errno ?? .ioError)
        }
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG || type == S_IFDIR || (type == S_IFLNK && !ignoreSymlinks) else {
            return  // FIFOs, sockets and devices (and links with --ignore-symlinks) are skipped by the sender
        }
        try checkName(wireName, display: display)
        switch type {
        case S_IFREG:
            do {
                try FileSystem.checkReadable(name, in: parent)
            } catch {
                throw .unreadable(display, error as? Errno ?? .ioError)
            }
            selection.totalBytes = selection.totalBytes.addingReportingOverflow(UInt64(info.st_size)).partialValue
        case S_IFLNK:
            try checkSymlink(name, in: parent, wireName: wireName, display: display)
        default:
            try visitChildren(of: name, in: parent, wireName: wireName, display: display)
        }
    }

    private mutating func visitChildren(of name: [UInt8], in parent: FileDescriptor, wireName: [UInt8], display: String)
        throws(Selection.Problem)
    {
        let directory: FileDescriptor
        let names: [[UInt8]]
        do {
            let fd = try withCPath(name) { cName in
                try syscallRetrying { openat(parent.rawValue, cName, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
            }
            directory = FileDescriptor(rawValue: fd)
            names = try DirectoryListing.names(in: directory)
        } catch {
            throw .unreadable(display, error as? Errno ?? .ioError)
        }
        defer { directory.closeQuietly() }
        for child in names {
            let childDisplay = display + "/" + String(decoding: child, as: UTF8.self)
            try visit(child, in: directory, wireName: wireName + [UInt8(ascii: "/")] + child, display: childDisplay)
        }
    }

    /// Qubes' name rules; a name that only `allow-all-names` accepts selects that service argument.
    private mutating func checkName(_ wireName: [UInt8], display: String) throws(Selection.Problem) {
        if NameRules.check(wireName, allowAllNames: false) == nil { return }
        guard NameRules.check(wireName, allowAllNames: true) == nil else { throw .invalidName(display) }
        selection.needsAllowAllNames = true
    }

    /// Qubes' symlink rule, applied to the link as it will arrive.
    private mutating func checkSymlink(_ name: [UInt8], in parent: FileDescriptor, wireName: [UInt8], display: String)
        throws(Selection.Problem)
    {
        var buffer = [UInt8](repeating: 0, count: 16384)
        let count = withCPath(name) { cName in
            buffer.withUnsafeMutableBytes { readlinkat(parent.rawValue, cName, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count) }
        }
        guard count >= 0 else { throw .unreadable(display, Errno(rawValue: errno)) }
        let target = Array(buffer[..<count])
        if SymlinkRules.isSafe(name: wireName, untrustedTarget: target, allowAllNames: false) { return }
        guard SymlinkRules.isSafe(name: wireName, untrustedTarget: target, allowAllNames: true) else {
            throw .unsafeSymlink(name: display, target: target)
        }
        selection.needsAllowAllNames = true
    }
}
