@testable import Filecopy
import Testing

@Suite("Conflict names")
struct ConflictNamesTests {
    @Test("alternatives", arguments: [
        ("report.pdf", 1, "report (1).pdf"), ("report.pdf", 12, "report (12).pdf"), ("notes", 1, "notes (1)"),
        (".bashrc", 1, ".bashrc (1)"), ("archive.tar.gz", 2, "archive.tar (2).gz"), ("trailing.", 1, "trailing. (1)"),
    ])
    func alternative(leaf: String, attempt: Int, expected: String) {
        #expect(ConflictNames.alternative(for: Array(leaf.utf8), attempt: attempt) == Array(expected.utf8))
    }

    @Test func neverLongerThanAComponentMayBe() {
        let long = Array(String(repeating: "x", count: 252).utf8)
        #expect(ConflictNames.alternative(for: long, attempt: 1) == nil)
    }
}
