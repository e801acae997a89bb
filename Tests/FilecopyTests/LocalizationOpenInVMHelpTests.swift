import Foundation
import Testing
import TestSupport

/// The `--help` of the Open-in-VM programs: summary, usage line and each argument's help come
/// from the catalogue (compared without the line breaks the argument parser adds).
extension LocalizationTests {
    /// Each of `texts` has a translation in `catalogue`, different from the English, and the
    /// help `shown` contains it.
    static func expectTranslated(_ texts: [String], in shown: String, catalogue: POFile, language: String) throws {
        for english in texts {
            let translated = try #require(catalogue.translations[english], "\(language): no translation of \(english)")
            #expect(translated != english)
            #expect(shown.contains(withoutSpaces(translated)), "\(language): \(translated) not in the help")
        }
    }

    /// `program --help` in `language`, whitespace removed.
    static func help(_ program: String, language: String?) throws -> String {
        let result = try run([Programs.path(program), "--help"], environment: Self.environment(language: language))
        #expect(result.status == 0, "\(result.stderr)")
        return withoutSpaces(String(decoding: result.stdout, as: UTF8.self))
    }

    @Test func openInVMHelpWithoutALanguageIsEnglish() throws {
        #expect(try Self.help("qopen-in-vm", language: nil).contains(Self.withoutSpaces("The file to open.")))
        #expect(try Self.help("qvm-open-in-vm", language: nil).contains(Self.withoutSpaces("USAGE: qvm-open-in-vm [--view-only] [--gui] [--] [VM] FILE")))
    }

    @Test("qopen-in-vm --help in the user's language", arguments: languages)
    func qopenInVMHelp(_ language: String) throws {
        let catalogue = try POFile(language: language)
        let shown = try Self.help("qopen-in-vm", language: language)
        let texts = [
            "Sends FILE to the qubes.OpenInVM service on stdout and puts the edited file it answers with in place of the original.",
            "Open the file read-only; whatever comes back is discarded.",
            "Largest edited file accepted, in bytes (default 4 GiB, or $INTERVM_OPEN_MAX_REPLY).",
            "The file to open.",
        ]
        try Self.expectTranslated(texts, in: shown, catalogue: catalogue, language: language)
        for english in texts { #expect(!shown.contains(Self.withoutSpaces(english))) }
    }

    @Test("qvm-open-in-vm --help in the user's language", arguments: languages)
    func qvmOpenInVMHelp(_ language: String) throws {
        let catalogue = try POFile(language: language)
        let shown = try Self.help("qvm-open-in-vm", language: language)
        let texts = [
            "Opens FILE in the VM named VM; edits are saved back when its application closes.",
            "Open read-only: changes made in the other VM are not saved back.",
            "For the desktop: ask for the VM in a dialog when none is given, and show errors in dialogs.",
            "The target VM (qvm-open-in-vm only), then the file.",
        ]
        try Self.expectTranslated(texts, in: shown, catalogue: catalogue, language: language)
        let usage = try #require(catalogue.translations["%s [--view-only] [--gui] [--] [VM] FILE"])
        #expect(shown.contains(Self.withoutSpaces(Self.filled(usage, "qvm-open-in-vm"))), "\(language): usage line")
    }

    /// Called as qvm-open-in-dvm, the program describes the disposable VM in the user's language.
    @Test("qvm-open-in-dvm --help in the user's language", arguments: ["fr", "zh_CN"])
    func qvmOpenInDVMHelp(_ language: String) throws {
        let catalogue = try POFile(language: language)
        let scratch = try TemporaryDirectory()
        let alias = scratch.path + "/qvm-open-in-dvm"
        try FileManager.default.createSymbolicLink(atPath: alias, withDestinationPath: Programs.path("qvm-open-in-vm"))
        let result = try run([alias, "--help"], environment: Self.environment(language: language))
        #expect(result.status == 0)
        let shown = Self.withoutSpaces(String(decoding: result.stdout, as: UTF8.self))
        let english = "Opens FILE in a new disposable VM; edits are saved back when its application closes."
        let translated = try #require(catalogue.translations[english])
        #expect(shown.contains(Self.withoutSpaces(translated)), "\(language): \(shown)")
        let usage = try #require(catalogue.translations["%s [--view-only] [--gui] [--] FILE"])
        #expect(shown.contains(Self.withoutSpaces(Self.filled(usage, "qvm-open-in-dvm"))), "\(language): usage line")
    }
}
