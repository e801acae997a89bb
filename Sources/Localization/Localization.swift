import CLinux
import Glibc

/// The project's gettext text domain, shared by the programs, the GTK helper and the C extension.
public let textDomain = "intervm-copy"

/// The translation of `message` in the user's language (gettext `dgettext`).
/// Call `Localization.setUp()` once at start-up.
public func tr(_ message: StaticString) -> String {
    // gettext returns its argument itself when there is no translation, so the argument must
    // outlive the call: a string literal's bytes are static and NUL-terminated.
    String(cString: csys_dgettext(textDomain, staticCString(message)))
}

/// The NUL-terminated bytes of a string literal, valid for the whole run.
private func staticCString(_ message: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(message.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// The plural form for `count` (gettext `dngettext`), e.g. "1 file" / "3 files".
public func trn(_ singular: StaticString, _ plural: StaticString, _ count: Int) -> String {
    String(cString: csys_dngettext(textDomain, staticCString(singular), staticCString(plural), UInt(max(count, 0))))
}

public enum Localization {
    /// Selects the user's locale (`setlocale(LC_ALL, "")`) and binds the text domain to the
    /// translations that belong to this program: `$INTERVM_LOCALEDIR` if set; beside a build
    /// (`.build/...` -> the checkout's `build/locale`, where `make` compiles them); otherwise the
    /// install prefix's `share/locale` (`PREFIX/bin/x` or `PREFIX/lib/qubes/x`).
    public static func setUp() {
        setlocale(LC_ALL, "")
        setUp(localeDirectory: localeDirectory(forExecutable: currentExecutable()))
    }

    /// Where the translations for the program at `executable` are (see `setUp()`).
    public static func localeDirectory(forExecutable executable: String?) -> String {
        if let overridden = getenv("INTERVM_LOCALEDIR"), overridden.pointee != 0 {
            return String(cString: overridden)
        }
        guard let executable, let slash = executable.lastIndex(of: "/") else { return "/usr/share/locale" }
        let folder = String(executable[..<slash])
        if let build = folder.firstRange(of: "/.build") {
            return String(folder[..<build.lowerBound]) + "/build/locale"
        }
        for suffix in ["/lib/qubes", "/bin", "/libexec"] where folder.hasSuffix(suffix) {
            return String(folder.dropLast(suffix.count)) + "/share/locale"
        }
        return "/usr/share/locale"
    }

    private static func currentExecutable() -> String? {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return count > 0 ? String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) : nil
    }

    /// Binds the text domain to `localeDirectory` (the install prefix's `share/locale`) and
    /// asks for UTF-8 output. Locale selection itself is the program's `setlocale` call.
    public static func setUp(localeDirectory: String) {
        _ = csys_bindtextdomain(textDomain, localeDirectory)
        _ = csys_bind_textdomain_codeset(textDomain, "UTF-8")
    }
}

/// The translation of `message` with each `%s` replaced, in order, by `arguments`
/// (a C-format string for translators, filled without printf).
public func tr(_ message: StaticString, _ arguments: String...) -> String {
    fill(tr(message), arguments)
}

/// Replaces each `%s` in `template`, in order, with `arguments`.
public func fill(_ template: String, _ arguments: [String]) -> String {
    var result = ""
    var remaining = arguments[...]
    var rest = template[...]
    while let marker = rest.firstRange(of: "%s") {
        result += rest[..<marker.lowerBound]
        result += remaining.popFirst() ?? "%s"
        rest = rest[marker.upperBound...]
    }
    return result + rest
}
