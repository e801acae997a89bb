import CLinux

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
