import CLinux

/// The project's gettext text domain, shared by the programs, the GTK helper and the C extension.
public let textDomain = "intervm-copy"

/// The translation of `message` in the user's language (gettext `dgettext`).
/// Call `Localization.setUp()` once at start-up.
public func tr(_ message: StaticString) -> String {
    // dgettext returns its argument when there is no translation: read the result while the
    // C string passed in is still alive.
    String(decoding: message.withUTF8Buffer { Array($0) }, as: UTF8.self).withCString { msgid in
        String(cString: csys_dgettext(textDomain, msgid))
    }
}

/// The plural form for `count` (gettext `dngettext`), e.g. "1 file" / "3 files".
public func trn(_ singular: StaticString, _ plural: StaticString, _ count: Int) -> String {
    let one = singular.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
    let many = plural.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
    return one.withCString { cOne in
        many.withCString { cMany in
            String(cString: csys_dngettext(textDomain, cOne, cMany, UInt(max(count, 0))))
        }
    }
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
