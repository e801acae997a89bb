import CLinux
import Glibc

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

    /// Stops every message lookup from here on (`setlocale(LC_ALL, "C")`): `tr` and the C
    /// library's own messages (strerror) answer in English from memory and never open a
    /// catalogue. For a program about to chroot into a folder that others fill: inside it, the
    /// catalogues' paths (and those of the charset converters glibc would load for them) would
    /// name files planted there. Translate what will be needed afterwards first.
    public static func useBuiltInMessagesOnly() {
        setlocale(LC_ALL, "C")
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
