import DialogClient
import Testing

/// `ChildErrorText`: the sentence `qvm-copy --gui` and `qvm-open-in-vm --gui` show in their
/// dialogs, taken from what their child programs wrote on stderr.
@Suite("The last stderr sentence for a dialog")
struct ChildErrorTextTests {
    @Test(arguments: [
        ("qopen-in-vm: The file was saved.", "The file was saved."),
        ("qfile-agent: cannot open \"a: b\": Permission denied", "cannot open \"a: b\": Permission denied"),
        // Text before ": " with a space is a sentence, not a program name.
        ("Request refused: policy", "Request refused: policy"),
        ("no prefix here", "no prefix here"),
        ("qopen-in-vm:no space after the colon", "qopen-in-vm:no space after the colon"),
    ])
    func theProgramPrefixIsDropped(_ line: String, _ sentence: String) {
        #expect(ChildErrorText.droppingProgramPrefix(line) == sentence)
    }

    @Test func theLastLineIsTaken() {
        #expect(ChildErrorText.lastSentence(of: "qopen-in-vm: first\nqopen-in-vm: second\n") == "second")
        #expect(ChildErrorText.lastSentence(of: "only: one") == "one")
    }

    @Test(arguments: ["", "\n", "\n\n"])
    func noLineMeansNoSentence(_ text: String) {
        #expect(ChildErrorText.lastSentence(of: text) == nil)
    }

    @Test func thePreferredProgramsLastLineWins() {
        let text = "qfile-agent: cannot read a.txt\nqfile-agent: the copy stopped\nqrexec-client-vm: exit 1\n"
        #expect(ChildErrorText.lastSentence(of: text, preferring: "qfile-agent") == "the copy stopped")
        #expect(ChildErrorText.lastSentence(of: text) == "exit 1")
        // Without a line from that program, the last line.
        #expect(ChildErrorText.lastSentence(of: "qrexec-client-vm: refused\n", preferring: "qfile-agent") == "refused")
    }
}
