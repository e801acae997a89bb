import Qrexec

/// The targets the user chose lately, newest first, kept in `DesktopPaths.recentTargetsFile`.
public struct RecentTargets: Sendable {
    /// How many the file keeps.
    public static let limit = 10

    public let path: String

    public init(path: String) { self.path = path }

    /// The stored targets, newest first: only valid targets, each once, at most `limit`.
    /// A missing file means none.
    public func load() -> [String] {
        Self.cleaned(TextFiles.lines(at: path))
    }

    /// Puts `target` first, dropping its older entry and the oldest beyond `limit`, and
    /// rewrites the file atomically.
    public func record(_ target: String) throws(TextFileError) {
        let updated = Self.cleaned([target] + load())
        try TextFiles.replace(path, with: updated.map { $0 + "\n" }.joined())
    }

    /// `untrustedLines` (a file any program of the user may have written) reduced to valid
    /// targets, first occurrence kept, at most `limit`.
    static func cleaned(_ untrustedLines: [String]) -> [String] {
        var result: [String] = []
        for untrustedLine in untrustedLines {
            let candidate = untrustedLine.trimmingWhitespace
            guard TargetName.isValidTarget(candidate), !result.contains(candidate) else { continue }
            result.append(candidate)
            if result.count == limit { break }
        }
        return result
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and carriage returns.
    var trimmingWhitespace: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[first...last])
    }
}
