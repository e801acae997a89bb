import Glibc
import SystemIO
import SystemPackage

/// A file whose data is still arriving, in the incoming folder itself: unnamed (O_TMPFILE), or
/// under a hidden temporary name where the file system has no unnamed files.
struct IncompleteFile {
    let descriptor: FileDescriptor
    /// The temporary name (a C string), nil for an unnamed file.
    let hiddenName: [CChar]?
    /// The mode it gets once complete (a hidden one has 0000 until then).
    let mode: mode_t
}

/// Creates the files being received and gives them their names once complete, never
/// replacing an existing name: unnamed files are linked (`UnnamedFileLinker`); where the
/// destination has no O_TMPFILE, files are written under a hidden name (`HiddenTemporaries`)
/// and renamed with RENAME_NOREPLACE, or, where the file system refuses that flag, linked and
/// the hidden name removed. A hidden name is removed on any failure.
final class IncompleteFiles {
    private let destination: FileDescriptor
    private let resolver: BeneathResolver
    private let linker: UnnamedFileLinker
    private let usesHiddenNames: Bool
    /// Set after the first EINVAL (or ENOSYS) from renameat2(RENAME_NOREPLACE).
    private var renameRefused = false

    init(destination: FileDescriptor, resolver: BeneathResolver, linker: UnnamedFileLinker, usesHiddenNames: Bool) {
        self.destination = destination
        self.resolver = resolver
        self.linker = linker
        self.usesHiddenNames = usesHiddenNames
    }

    func create(mode: mode_t) throws -> IncompleteFile {
        guard usesHiddenNames else {
            return IncompleteFile(descriptor: try FileSystem.openUnnamedFile(in: destination, mode: mode), hiddenName: nil, mode: mode)
        }
        // O_EXCL | O_NOFOLLOW: a name that exists, whatever it is, is never opened; another
        // random name is tried (a clash is all but impossible unless planted).
        var attempts = 0
        while true {
            let name = try HiddenTemporaries.newName()
            do {
                let fd = try name.withUnsafeBufferPointer { cName in
                    try resolver.open(
                        cPath: cName.baseAddress!, length: name.count - 1, in: destination,
                        flags: O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_NOCTTY, mode: 0)
                }
                return IncompleteFile(descriptor: fd, hiddenName: name, mode: mode)
            } catch Errno.fileExists where attempts < 8 {
                attempts += 1
            }
        }
    }

    /// Called once all data is written: a hidden file gets its mode.
    func complete(_ file: IncompleteFile) throws {
        if file.hiddenName != nil { try FileSystem.setPermissions(file.descriptor, file.mode) }
    }

    /// Names `file` `name` in `parent`; fails with EEXIST rather than replace anything.
    func publish(_ file: IncompleteFile, asCName name: UnsafePointer<CChar>, in parent: FileDescriptor) throws {
        guard let hiddenName = file.hiddenName else {
            return try linker.link(file.descriptor, asCName: name, in: parent)
        }
        try hiddenName.withUnsafeBufferPointer { hidden in
            let hidden = hidden.baseAddress!
            if !renameRefused {
                do {
                    return try FileSystem.renameWithoutReplacing(cName: hidden, in: destination, to: name, in: parent)
                } catch let error as Errno where error == .invalidArgument || error == .noFunction {
                    renameRefused = true
                }
            }
            try FileSystem.link(cName: hidden, in: destination, to: name, in: parent)
            try FileSystem.removeFile(cName: hidden, in: destination)
        }
    }

    /// Closes `file`; unless it was published, its hidden name (if any) goes too.
    func close(_ file: IncompleteFile, published: Bool) {
        file.descriptor.closeQuietly()
        guard !published, let hiddenName = file.hiddenName else { return }
        hiddenName.withUnsafeBufferPointer { hidden in
            try? FileSystem.removeFile(cName: hidden.baseAddress!, in: destination)
        }
    }
}
