import Foundation
import Testing
import TestSupport

/// The built programs speak every language in po/LINGUAS: run from the build folder they find the
/// catalogues `make mo` compiled into build/locale, and glibc picks the language from `LANGUAGE`
/// (honoured because LANG is C.UTF-8 rather than C or POSIX, so no generated locale is needed).
/// Each expected text is read from po/<lang>.po, independently of the compiled catalogue.
@Suite("Localization: programs in every language")
struct LocalizationTests {
    static let languages: [String] = {
        let text = (try? String(contentsOfFile: Programs.projectRoot + "/po/LINGUAS", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }()

    /// The environment that selects `language` for the messages, whatever the caller's locale.
    static func environment(language: String?) -> [String: String] {
        var environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        if let language { environment["LANGUAGE"] = language }
        return environment
    }

    /// `qvm-copy-to-vm` with an invalid VM name: one translated line on stderr, nothing sent.
    static func invalidTarget(language: String?) throws -> Finished {
        let scratch = try TemporaryDirectory()
        let alias = scratch.path + "/qvm-copy-to-vm"
        try FileManager.default.createSymbolicLink(atPath: alias, withDestinationPath: Programs.path("qvm-copy"))
        return try run([alias, "bad name!", "/etc/hostname"], environment: environment(language: language))
    }

    @Test func everyLanguageHasACompiledCatalogue() {
        #expect(Self.languages.count >= 8, "po/LINGUAS: \(Self.languages)")
        for language in Self.languages {
            let catalogue = Programs.projectRoot + "/build/locale/\(language)/LC_MESSAGES/intervm-copy.mo"
            #expect(FileManager.default.fileExists(atPath: catalogue), "\(catalogue) is missing: run make mo")
        }
    }

    @Test func withoutALanguageTheMessageIsEnglish() throws {
        let result = try Self.invalidTarget(language: nil)
        #expect(result.status == 2)
        #expect(result.stderr == "qvm-copy-to-vm: \"bad name!\" is not a valid VM name.\n", "\(result.stderr)")
    }

    @Test("a command-line error in the user's language", arguments: languages)
    func commandLineError(_ language: String) throws {
        let catalogue = try POFile(language: language)
        let english = "\"%s\" is not a valid VM name."
        let translated = try #require(catalogue.translations[english], "\(language): no translation")
        #expect(translated != english)
        let result = try Self.invalidTarget(language: language)
        #expect(result.status == 2)
        #expect(result.stderr == "qvm-copy-to-vm: " + translated.replacingOccurrences(of: "%s", with: "bad name!") + "\n",
            "\(language): \(result.stderr)")
    }

    /// The help of qfile-agent: its summary and its multi-line discussion (a Swift `"""` literal,
    /// which xgettext only reads through scripts/swift-for-xgettext.pl), compared without the
    /// line breaks and indentation that the argument parser adds.
    @Test("help texts in the user's language", arguments: languages)
    func helpText(_ language: String) throws {
        let catalogue = try POFile(language: language)
        let result = try run([Programs.path("qfile-agent"), "--help"], environment: Self.environment(language: language))
        #expect(result.status == 0)
        let shown = Self.withoutSpaces(String(decoding: result.stdout, as: UTF8.self))
        let summary = "Send files and folders as a qubes.Filecopy stream on standard output."
        let discussion = try #require(catalogue.translations.keys.first { $0.hasPrefix("Each PATH is sent") })
        for english in [summary, discussion, "Skip symbolic links instead of sending them."] {
            let translated = try #require(catalogue.translations[english], "\(language): no translation")
            #expect(translated != english)
            #expect(shown.contains(Self.withoutSpaces(translated)), "\(language): \(translated) not in the help")
            #expect(!shown.contains(Self.withoutSpaces(english)))
        }
    }

    static func withoutSpaces(_ text: String) -> String {
        String(text.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) })
    }
}

/// The translated entries of po/<language>.po (msgid -> msgstr, escapes decoded; the header,
/// fuzzy and obsolete entries left out).
struct POFile {
    var translations: [String: String] = [:]

    init(language: String) throws {
        let text = try String(contentsOfFile: Programs.projectRoot + "/po/\(language).po", encoding: .utf8)
        var msgid: String?
        var msgstr: String?
        var fuzzy = false
        var reading = ""
        func finish() {
            if let id = msgid, let str = msgstr, !id.isEmpty, !str.isEmpty, !fuzzy { translations[id] = str }
            msgid = nil
            msgstr = nil
            fuzzy = false
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("\"") {
                if reading == "id" { msgid? += Self.unquote(line) } else if reading == "str" { msgstr? += Self.unquote(line) }
                continue
            }
            if msgstr != nil && !line.hasPrefix("msgstr") { finish() }
            reading = ""
            if line.hasPrefix("msgid ") {
                msgid = Self.unquote(line.dropFirst(6))
                reading = "id"
            } else if line.hasPrefix("msgstr ") {
                msgstr = Self.unquote(line.dropFirst(7))
                reading = "str"
            } else if line.hasPrefix("#,") && line.contains("fuzzy") {
                fuzzy = true
            }
        }
        finish()
    }

    /// The text of one quoted PO string: `"a \"b\"\n"` -> `a "b"` and a line break.
    static func unquote(_ quoted: Substring) -> String {
        var result = ""
        var characters = quoted.dropFirst().dropLast().makeIterator()
        while let character = characters.next() {
            guard character == "\\", let escaped = characters.next() else {
                result.append(character)
                continue
            }
            switch escaped {
            case "n": result.append("\n")
            case "t": result.append("\t")
            default: result.append(escaped)
            }
        }
        return result
    }
}
