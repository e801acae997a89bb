import Foundation
import Testing
import TestSupport

/// The refused-reply message counts bytes with trn: the real programs pick each language's
/// plural form from the catalogue in build/locale (`make mo`), by the Plural-Forms of po/<lang>.po.
@Suite("Localization: plural forms")
struct PluralFormTests {
    /// qopen-in-vm and vm-file-editor joined, the editor appending a line (26 bytes come back),
    /// the reply limit set to `limit`; returns the client's stderr.
    static func refusal(limit: Int, language: String?) throws -> String {
        let scripts = try TemporaryDirectory()
        let folder = try TemporaryDirectory()
        let file = folder("report.txt")
        Fixture.write(Fixture.original, to: file)
        var environment = [
            "PATH": "/usr/bin:/bin", "HOME": folder.path, "LANG": "C.UTF-8", "TMPDIR": scripts.path,
            "INTERVM_OPENER": try Fixture.editor("append", in: scripts), "INTERVM_OPEN_MAX_REPLY": String(limit),
        ]
        if let language { environment["LANGUAGE"] = language }
        let result = try runJoined(
            sender: [Fixture.client, "--", file], receiver: [Fixture.service],
            senderEnvironment: environment, receiverEnvironment: environment)
        #expect(result.sender.status != 0)
        #expect(Fixture.bytes(file) == Fixture.original)
        return result.sender.stderr
    }

    @Test("English: byte, bytes", arguments: [(1, "limit of 1 byte;"), (2, "limit of 2 bytes;")])
    func english(_ limit: Int, _ words: String) throws {
        let shown = try Self.refusal(limit: limit, language: nil)
        #expect(shown.contains(words), "\(shown)")
    }

    /// Russian has three forms: 1 and 21 байт, 2 to 4 байта, 5 to 20 байт.
    @Test("Russian: three forms", arguments: [(1, "в 1 байт;"), (2, "в 2 байта;"), (5, "в 5 байт;"), (21, "в 21 байт;")])
    func russian(_ limit: Int, _ words: String) throws {
        let shown = try Self.refusal(limit: limit, language: "ru")
        #expect(shown.contains(words), "\(shown)")
    }

    /// Polish: 1 bajta, then bajtów (the genitive after "limit" merges the other two forms).
    @Test("Polish: singular and plural", arguments: [(1, "limit 1 bajta;"), (2, "limit 2 bajtów;"), (5, "limit 5 bajtów;")])
    func polish(_ limit: Int, _ words: String) throws {
        let shown = try Self.refusal(limit: limit, language: "pl")
        #expect(shown.contains(words), "\(shown)")
    }
}
