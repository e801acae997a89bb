import FilecopyWire
import Foundation
import Testing
import TestSupport

/// The receiver speaks the user's language too: its help, its command-line errors, the errors
/// about receiver.conf (with the `file:line:` prefix kept as compilers print it) and, after it
/// has shut itself into the incoming folder, its confinement notes.
extension LocalizationTests {
    /// A one-file stream, ended.
    static var oneFile: [UInt8] {
        var builder = StreamBuilder()
        builder.file("x", "1")
        builder.end()
        return builder.bytes
    }

    /// `translated` (a PO msgstr) with each `%s` replaced in order, as `tr` fills it.
    static func filled(_ translated: String, _ arguments: String...) -> String {
        var result = translated
        for argument in arguments {
            guard let marker = result.range(of: "%s") else { break }
            result.replaceSubrange(marker, with: argument)
        }
        return result
    }

    /// The receiver as the qubes.Filecopy service with `settings` as the user's receiver.conf.
    static func receiveWithSettings(_ settings: String, language: String?) throws -> (finished: Finished, file: String) {
        let home = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: home(".config/intervm"), withIntermediateDirectories: true)
        let file = home(".config/intervm/receiver.conf")
        try settings.write(toFile: file, atomically: true, encoding: .utf8)
        var environment = Self.environment(language: language)
        environment["HOME"] = home.path
        environment["QREXEC_REMOTE_DOMAIN"] = "work"
        let finished = try run([Programs.path("qfile-unpacker")], stdin: Self.oneFile, environment: environment)
        #expect(!FileManager.default.fileExists(atPath: home("QubesIncoming/work/x")))
        return (finished, file)
    }

    @Test func receiverSettingsErrorWithoutALanguageIsEnglish() throws {
        let (finished, file) = try Self.receiveWithSettings("colour = blue\n", language: nil)
        #expect(finished.stderr == "qfile-unpacker: invalid settings: \(file):1: unknown setting \"colour\"\n", "\(finished.stderr)")
    }

    /// A malformed receiver.conf: one line on stderr, translated around the untouched
    /// `FILE:LINE:` prefix, and the same I/O-error answer on stdout in every language.
    @Test("receiver.conf errors in the user's language", arguments: languages)
    func receiverSettingsError(_ language: String) throws {
        let catalogue = try POFile(language: language)
        let invalid = try #require(catalogue.translations["invalid settings: %s"], "\(language): no translation")
        let english = "max-bytes must be a number with an optional K, M, G or T"
        let reason = try #require(catalogue.translations[english], "\(language): no translation")
        #expect(reason != english)
        let (finished, file) = try Self.receiveWithSettings("\n\nmax-bytes = lots\n", language: language)
        #expect(finished.status != 0)
        #expect(decodeResult(finished.stdout)?.code == .ioError)
        #expect(finished.stderr == "qfile-unpacker: " + Self.filled(invalid, "\(file):3: " + reason) + "\n", "\(language): \(finished.stderr)")
    }

    @Test("the receiver's help in the user's language", arguments: languages)
    func receiverHelp(_ language: String) throws {
        let catalogue = try POFile(language: language)
        let result = try run([Programs.path("qfile-unpacker"), "--help"], environment: Self.environment(language: language))
        #expect(result.status == 0)
        let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
        let usage = try #require(catalogue.translations["usage: %s [OPTIONS] [UID DIR]"])
        #expect(lines.first == Self.filled(usage, "qfile-unpacker"), "\(language): \(lines)")
        for english in ["Receives a qubes.Filecopy stream on stdin and answers with the result on stdout.", "refuse more than N entries"] {
            let translated = try #require(catalogue.translations[english], "\(language): no translation")
            #expect(translated != english)
            #expect(lines.contains { $0 == translated || $0.hasSuffix(" " + translated) }, "\(language): \(translated) not in \(lines)")
        }
        #expect(lines.contains { $0.hasPrefix("  --max-files N ") }, "option names stay literal: \(lines)")
    }

    @Test("the receiver's command-line errors in the user's language", arguments: languages)
    func receiverCommandLineError(_ language: String) throws {
        let catalogue = try POFile(language: language)
        let translated = try #require(catalogue.translations["unknown option %s (see --help)"], "\(language): no translation")
        let result = try run([Programs.path("qfile-unpacker"), "--bogus"], environment: Self.environment(language: language))
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "qfile-unpacker: " + Self.filled(translated, "--bogus") + "\n", "\(language): \(result.stderr)")
    }

    /// With Landlock taken away (bubblewrap's seccomp), `-v` notes its absence once the
    /// receiver is inside its chroot, where the catalogues are out of reach: the note is still
    /// translated because the receiver loaded its catalogue before confining itself (without
    /// that, both the note and the per-entry lines stay English).
    @Test("a confinement note after the chroot, translated", .enabled(if: LayerRemover.isAvailable && getuid() == 0, "needs bubblewrap and root"),
        arguments: ["de", "ja"])
    func confinementNoteAfterChroot(_ language: String) throws {
        let catalogue = try POFile(language: language)
        let english = "Landlock unavailable on this kernel"
        let translated = try #require(catalogue.translations[english], "\(language): no translation")
        let fixture = try HostileFixture(without: [.landlock])
        let environment = fixture.receiverEnvironment.merging(Self.environment(language: language)) { _, chosen in chosen }
        let result = try run(fixture.receiverArguments(["-v"]), stdin: Self.oneFile, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.contents(atPath: fixture.incoming + "/x") == Data("1".utf8))
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("chroot yes") }, "the receiver is really chrooted: \(lines)")
        #expect(lines.contains("qfile-unpacker: " + translated), "\(language): \(lines)")
        #expect(!result.stderr.contains(english))
        // Each entry's -v line comes later still, while the stream is read.
        let received = try #require(catalogue.translations["received %s"], "\(language): no translation")
        #expect(lines.contains(Self.filled(received, "x")), "\(language): \(lines)")
    }
}

/// Inside its chroot the receiver's "/usr/share/locale" is a folder in the incoming folder,
/// which earlier transfers from the same sender filled. A catalogue there is the sender's
/// input, and glibc trusts catalogues (a charset named in one makes it load a converter
/// library): the receiver must never open one once confined.
extension LocalizationTests {
    /// Compiles a catalogue translating `english` to `planted` into `folder/<domain>.mo`.
    static func plantCatalogue(domain: String, _ english: String, _ planted: String, in folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let source = folder + "/" + domain + ".po"
        let entries = [("", "Content-Type: text/plain; charset=UTF-8\\n"), (english, planted)]
        try entries.map { "msgid \"\($0.0)\"\nmsgstr \"\($0.1)\"\n" }.joined(separator: "\n").write(toFile: source, atomically: true, encoding: .utf8)
        let compiled = try run(["/usr/bin/msgfmt", "-o", folder + "/" + domain + ".mo", source])
        #expect(compiled.status == 0, "\(compiled.stderr)")
    }

    /// Catalogues for glibc's own messages (strerror) and ours, planted where the chrooted
    /// receiver would look for German: with Landlock refused after the chroot (its note carries
    /// strerror's reason) and -v, nothing of them shows; the notes are still German, from
    /// the catalogue read before confinement.
    @Test(.enabled(if: LayerRemover.isAvailable && getuid() == 0 && access("/usr/bin/msgfmt", X_OK) == 0, "needs bubblewrap, root and msgfmt"))
    func plantedCataloguesAreNeverRead() throws {
        let catalogue = try POFile(language: "de")
        let fixture = try HostileFixture(without: [.landlockRestriction])
        let planted = fixture.incoming + "/usr/share/locale/de/LC_MESSAGES"
        try Self.plantCatalogue(domain: "libc", "Function not implemented", "PLANTED-LIBC", in: planted)
        try Self.plantCatalogue(domain: "intervm-copy", "received %s", "PLANTED %s", in: planted)
        let environment = fixture.receiverEnvironment.merging(Self.environment(language: "de")) { _, chosen in chosen }
        let result = try run(fixture.receiverArguments(["-v"]), stdin: Self.oneFile, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("PLANTED"), "a planted catalogue was read: \(result.stderr)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("chroot yes") }, "the receiver is really chrooted: \(lines)")
        let refused = try #require(catalogue.translations["Landlock refused: %s"])
        #expect(lines.contains("qfile-unpacker: " + Self.filled(refused, "Function not implemented")), "\(lines)")
        let received = try #require(catalogue.translations["received %s"])
        #expect(lines.contains(Self.filled(received, "x")), "\(lines)")
    }
}
