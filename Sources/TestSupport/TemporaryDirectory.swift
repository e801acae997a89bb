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
        // Read-only directories left by a test must become writable before they can go.
        if let walker = FileManager.default.enumerator(atPath: path) {
            for case let relative as String in walker {
                chmod(path + "/" + relative, 0o700)
            }
        }
        chmod(path, 0o700)
        try? FileManager.default.removeItem(atPath: path)
    }
}
