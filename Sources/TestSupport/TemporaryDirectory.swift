import Foundation

/// A fresh private directory, removed with everything in it when the value goes away.
/// Made under `$INTERVM_TEST_TMP` (default `/tmp`).
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    public init() throws {
        let base = ProcessInfo.processInfo.environment["INTERVM_TEST_TMP"] ?? "/tmp"
        var template = Array("\(base)/intervm-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: base])
        }
        path = String(cString: made)
    }

    /// `path/relative`.
    public func callAsFunction(_ relative: String) -> String { path + "/" + relative }

    deinit {
        Self.makeDirectoriesWritable(path)
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Read-only directories left by a test must become writable before they can go. Only real
    /// directories are changed, found with lstat: chmod follows symlinks, and a test's link to
    /// "/" or /etc/passwd must never change the host.
    private static func makeDirectoriesWritable(_ directory: String) {
        var info = stat()
        guard lstat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return }
        chmod(directory, 0o700)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            makeDirectoriesWritable(directory + "/" + name)
        }
    }
}
