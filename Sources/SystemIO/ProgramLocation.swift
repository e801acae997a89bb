import Glibc

/// Where this program and its sibling helpers live.
public enum ProgramLocation {
    /// The resolved path of the running executable (readlink(2) of `/proc/self/exe`), so a
    /// program started through a symlink such as `qvm-move` still finds its real folder.
    public static func currentExecutable() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The last component of `path` (`/a/b/c` -> `c`; `/` stays `/`).
    public static func lastComponent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), path != "/" else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// The folder part of `path` (`/a/b/c` -> `/a/b`).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The absolute path of helper `name`: beside the running executable (build folder), or in
    /// the install prefix's `lib/qubes` (`PREFIX/bin/qvm-copy` -> `PREFIX/lib/qubes/NAME`), or in
    /// `/usr/lib/qubes`. Nil when none is an executable file.
    public static func helper(_ name: String) -> String? {
        var candidates: [String] = []
        if let executable = currentExecutable() {
            let folder = directory(of: executable)
            candidates.append(folder + "/" + name)
            candidates.append(directory(of: folder) + "/lib/qubes/" + name)
        }
        candidates.append("/usr/lib/qubes/" + name)
        return candidates.first { access($0, X_OK) == 0 }
    }

    /// The first executable `name` in the folders of `$PATH`.
    public static func onPath(_ name: String) -> String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = folder + "/" + name
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
