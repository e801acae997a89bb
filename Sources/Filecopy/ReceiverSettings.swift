import DisplayText
import Glibc
import Localization
import SystemIO
import SystemPackage

/// The receiving user's settings: `/etc/intervm/receiver.conf`, then
/// `$XDG_CONFIG_HOME/intervm/receiver.conf` (default `~/.config/...`), each line `key = value`,
/// `#` starts a comment. Later files override earlier ones; command-line options override both.
///
///     incoming-dir = ~/Downloads/From VMs   # the source VM's folder is made inside it
///     on-conflict = rename                  # or fail (the default, as in Qubes)
///     max-bytes = 20G                       # K, M, G, T: powers of 1024
///     max-files = 100000
///     idle-timeout = 600                    # seconds without data from the sender; 0: none
public struct ReceiverSettings: Sendable, Equatable {
    /// Base folder for incoming files; nil means `~/QubesIncoming`.
    public var incomingDirectory: String?
    public var onConflict: ConflictPolicy?
    public var maxBytes: UInt64?
    public var maxFiles: UInt64?
    public var idleTimeout: UInt32?

    public init() {}

    public static let systemFile = "/etc/intervm/receiver.conf"

    /// The per-user settings file for a home folder and optional XDG_CONFIG_HOME.
    public static func userFile(home: String, configHome: String?) -> String {
        let base = configHome.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? home + "/.config"
        return base + "/intervm/receiver.conf"
    }

    /// Reads each existing file in order; a missing file is skipped, a malformed one throws.
    public static func load(files: [String], home: String) throws -> ReceiverSettings {
        var settings = ReceiverSettings()
        for file in files {
            guard let text = try readIfPresent(file) else { continue }
            try settings.apply(text, file: file, home: home)
        }
        return settings
    }

    /// Applies one file's text; throws `SettingsError` naming the file and line.
    public mutating func apply(_ text: String, file: String, home: String) throws {
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.prefix { $0 != "#" }.trimmed
            if line.isEmpty { continue }
            let fail = { (message: String) in SettingsError(file: file, line: index + 1, message: message) }
            guard let equals = line.firstIndex(of: "=") else {
                // TRANSLATORS: key = value is the literal syntax of a settings line.
                throw fail(tr("expected \"key = value\""))
            }
            let key = line[..<equals].trimmed
            let value = line[line.index(after: equals)...].trimmed
            guard !value.isEmpty else {
                // TRANSLATORS: %s is a setting's name as written in the file.
                throw fail(tr("\"%s\" has no value", DisplayText.escaped(key.utf8)))
            }
            switch key {
            case "incoming-dir":
                let expanded = value.hasPrefix("~/") ? home + value.dropFirst(1) : String(value)
                guard expanded.hasPrefix("/") else {
                    // TRANSLATORS: incoming-dir is the setting's literal name; ~/ is literal.
                    throw fail(tr("incoming-dir must be absolute or start with ~/"))
                }
                incomingDirectory = expanded
            case "on-conflict":
                guard let policy = ConflictPolicy(rawValue: String(value)) else {
                    // TRANSLATORS: on-conflict, fail and rename are literal.
                    throw fail(tr("on-conflict must be \"fail\" or \"rename\""))
                }
                onConflict = policy
            case "max-bytes":
                guard let bytes = parseSize(value) else {
                    // TRANSLATORS: max-bytes is literal; K, M, G and T are the suffixes accepted.
                    throw fail(tr("max-bytes must be a number with an optional K, M, G or T"))
                }
                maxBytes = bytes
            case "max-files":
                guard let count = UInt64(value) else {
                    // TRANSLATORS: max-files is the setting's literal name.
                    throw fail(tr("max-files must be a whole number"))
                }
                maxFiles = count
            case "idle-timeout":
                guard let seconds = UInt32(value) else {
                    // TRANSLATORS: idle-timeout is the setting's literal name.
                    throw fail(tr("idle-timeout must be a whole number of seconds"))
                }
                idleTimeout = seconds
            default:
                // TRANSLATORS: %s is the setting's name as written in the file.
                throw fail(tr("unknown setting \"%s\"", DisplayText.escaped(key.utf8)))
            }
        }
    }

    /// Command-line options win over settings; settings win over defaults.
    public func merged(into options: ReceiveOptions, explicit: Set<String>) -> ReceiveOptions {
        var result = options
        if let onConflict, !explicit.contains("on-conflict") { result.onConflict = onConflict }
        if let maxBytes, !explicit.contains("max-bytes") { result.maxBytes = maxBytes }
        if let maxFiles, !explicit.contains("max-files") { result.maxFiles = maxFiles }
        if let idleTimeout, !explicit.contains("idle-timeout") { result.idleTimeout = idleTimeout }
        return result
    }

    /// The file's text, nil when it is missing (`FileSystem.readWholeFile`, at most 1 MiB). A
    /// FIFO or a device is refused without waiting on it: the sender waits for an answer.
    private static func readIfPresent(_ path: String) throws -> String? {
        do {
            return try FileSystem.readWholeFile(at: path, limit: 1 << 20, regularOnly: true).map {
                String(decoding: $0, as: UTF8.self)
            }
        } catch is FileSystem.FileTooLarge {
            // TRANSLATORS: follows the file's name and a colon.
            throw SettingsError(file: path, line: 0, message: tr("is larger than 1 MiB"))
        } catch is FileSystem.NotRegularFile {
            // TRANSLATORS: follows the file's name and a colon.
            throw SettingsError(file: path, line: 0, message: tr("is not a regular file"))
        } catch {
            // TRANSLATORS: follows the file's name and a colon; %s is the system's reason.
            throw SettingsError(file: path, line: 0, message: tr("cannot be read (%s)", String(describing: error)))
        }
    }
}

/// "10", "64K", "20G": a byte count with an optional binary suffix; nil if malformed or too large.
public func parseSize(_ text: some StringProtocol) -> UInt64? {
    let multipliers: [Character: UInt64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
    var digits = Substring(text)
    var multiplier: UInt64 = 1
    if let last = digits.last, let factor = multipliers[Character(last.uppercased())] {
        multiplier = factor
        digits = digits.dropLast()
    }
    guard let number = UInt64(digits) else { return nil }
    let (product, overflow) = number.multipliedReportingOverflow(by: multiplier)
    return overflow ? nil : product
}

/// A malformed settings file: where and what (`message` in the user's language; the
/// `file:line:` prefix is the same in every language, as compilers print it). The path comes
/// from HOME or XDG_CONFIG_HOME and is shown escaped (`DisplayText.escaped`), as is any key quoted in
/// `message`.
public struct SettingsError: Error, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public var description: String {
        let shownFile = DisplayText.escaped(file.utf8)
        return line > 0 ? "\(shownFile):\(line): \(message)" : "\(shownFile): \(message)"
    }
}

extension StringProtocol {
    fileprivate var trimmed: Substring {
        let text = Substring(self)
        let isSpace = { (c: Character) in c == " " || c == "\t" || c == "\r" }
        guard let first = text.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = text.lastIndex(where: { !isSpace($0) })!
        return text[first...last]
    }
}
