import Glibc

/// The fuzzer's scratch space: `/tmp/fuzz-receiver-PID/dest`, emptied after every input.
enum Scratch {
    static let base = "/tmp/fuzz-receiver-\(getpid())"
    static let destination = base + "/dest"

    static func make() -> String {
        if mkdir(base, 0o700) == 0 { atexit { _ = rmdir(Scratch.base) } }
        mkdir(destination, 0o700)
        return destination
    }

    /// How many entries besides `dest` the base folder holds (0 unless something escaped).
    static func entriesBesideDestination() -> Int {
        guard let directory = opendir(base) else { return 0 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." && name != "dest" { count += 1 }
        }
        return count
    }

    /// Removes everything in `path` and `path` itself, making read-only folders writable first.
    static func remove(_ path: String) {
        removeContents(of: AT_FDCWD, path)
        rmdir(path)
    }

    private static func removeContents(of parent: Int32, _ name: String) {
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return }
        fchmod(fd, 0o700)
        guard let directory = fdopendir(fd) else {
            close(fd)
            return
        }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let child = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if child == "." || child == ".." { continue }
            if entry.pointee.d_type == UInt8(DT_DIR) {
                removeContents(of: fd, child)
                unlinkat(fd, child, AT_REMOVEDIR)
            } else {
                unlinkat(fd, child, 0)
            }
        }
    }
}
