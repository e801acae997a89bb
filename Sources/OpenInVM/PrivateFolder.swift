import Glibc
import SystemIO
import SystemPackage

/// A fresh folder only this user can enter (mkdtemp(3), mode 0700), held open, and removed
/// with everything applications left in it.
final class PrivateFolder {
    /// Its resolved absolute path (realpath(3)), as `/proc/PID/fd` links show it.
    let path: String
    let descriptor: FileDescriptor

    /// Creates `vm-file-editor-XXXXXX` in `$TMPDIR` (default `/tmp`).
    init() throws {
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/vm-file-editor-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard let made else { throw OpenInVMError.cannotCreateTemporaryFolder(path: base, Errno(rawValue: errno)) }
        let created = String(cString: made)
        guard let resolved = realpath(created, nil) else {
            let error = Errno(rawValue: errno)
            rmdir(created)
            throw OpenInVMError.cannotCreateTemporaryFolder(path: base, error)
        }
        let resolvedPath = String(cString: resolved)
        free(resolved)
        do {
            descriptor = FileDescriptor(
                rawValue: try syscallRetrying { open(resolvedPath, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) })
        } catch {
            rmdir(resolvedPath)
            throw OpenInVMError.cannotCreateTemporaryFolder(path: base, error as? Errno ?? .ioError)
        }
        path = resolvedPath
    }

    /// Deletes everything beneath the folder (unlinkat(2), never following a symlink), then
    /// the folder itself. Best effort: it runs on every way out, errors included.
    func remove() {
        Self.empty(descriptor, depth: 0)
        descriptor.closeQuietly()
        rmdir(path)
    }

    /// Deepest folder tree an application might leave that is still cleared.
    static let maximumDepth = 64

    private static func empty(_ folder: FileDescriptor, depth: Int) {
        let listed = dup(folder.rawValue)
        guard listed >= 0, let stream = fdopendir(listed) else { return }
        defer { closedir(stream) }
        var names: [[CChar]] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                raw.prefix { $0 != 0 }.map { CChar(bitPattern: $0) }
            }
            if name == [46] || name == [46, 46] { continue }  // "." and ".."
            names.append(name + [0])
        }
        for name in names {
            if unlinkat(folder.rawValue, name, 0) == 0 || errno != EISDIR { continue }
            guard depth < maximumDepth else { continue }
            let child = openat(folder.rawValue, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard child >= 0 else { continue }
            fchmod(child, 0o700)  // an application may have left it read-only
            empty(FileDescriptor(rawValue: child), depth: depth + 1)
            close(child)
            unlinkat(folder.rawValue, name, AT_REMOVEDIR)
        }
    }
}
