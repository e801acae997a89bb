import Glibc
import SystemIO

/// The command that opens a file with its default application; the file's path is appended
/// as the last argument.
///
/// Chosen in this order:
/// 1. env `INTERVM_OPENER`: the path of an executable, or an argv prefix split on spaces
///    (`sh /path/editor.sh append`);
/// 2. the first line that is neither empty nor a `#` comment of `$XDG_CONFIG_HOME/intervm/opener`
///    (default `~/.config/intervm/opener`), read the same way;
/// 3. `xdg-open` found on `PATH`, as Qubes' own service does.
public struct OpenerCommand: Sendable, Equatable {
    /// The program's absolute (or as-given, when it contains `/`) path.
    public var program: String
    /// argv, `program`'s name first, without the file.
    public var arguments: [String]

    public static let environmentVariable = "INTERVM_OPENER"
    public static let defaultProgram = "xdg-open"

    /// Resolves the opener from the environment, the configuration file or PATH.
    public static func resolve() throws -> OpenerCommand {
        if let configured = environment(environmentVariable), !configured.isEmpty {
            return try parse(configured)
        }
        if let configured = configurationLine() {
            return try parse(configured)
        }
        guard let program = ProgramLocation.onPath(defaultProgram) else { throw OpenInVMError.noOpener }
        return OpenerCommand(program: program, arguments: [defaultProgram])
    }

    /// A configured value: an executable's path as is (spaces allowed), else words split on spaces.
    static func parse(_ value: String) throws -> OpenerCommand {
        if value.contains("/"), access(value, X_OK) == 0 {
            return OpenerCommand(program: value, arguments: [value])
        }
        let words = value.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let first = words.first else { throw OpenInVMError.noOpener }
        let program = first.contains("/") ? first : ProgramLocation.onPath(first)
        guard let program, access(program, X_OK) == 0 else { throw OpenInVMError.openerNotFound(program: first) }
        return OpenerCommand(program: program, arguments: words)
    }

    static func configurationLine() -> String? {
        let base: String
        if let configHome = environment("XDG_CONFIG_HOME"), configHome.hasPrefix("/") {
            base = configHome
        } else if let home = environment("HOME"), !home.isEmpty {
            base = home + "/.config"
        } else {
            return nil
        }
        guard let stream = fopen(base + "/intervm/opener", "re") else { return nil }
        defer { fclose(stream) }
        var buffer = [CChar](repeating: 0, count: 4096)
        while fgets(&buffer, Int32(buffer.count), stream) != nil {
            let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            let line = String(decoding: bytes, as: UTF8.self).trimmingSpaces()
            if !line.isEmpty && !line.hasPrefix("#") { return line }
        }
        return nil
    }

    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
