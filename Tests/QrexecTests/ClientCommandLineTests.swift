import QrexecLocal
import Testing

/// Qubes' `qrexec-client-vm` command line, as the stand-in reads it.
@Suite struct ClientCommandLineTests {
    @Test func qubesFrontEndLine() throws {
        let parsed = try ClientCommandLine.parse(
            ["--filter-escape-chars-stderr", "--", "@default", "qubes.Filecopy+allow-all-names", "/usr/lib/qubes/qfile-agent",
             "--ignore-symlinks", "--", "-a file"]).get()
        #expect(parsed.target == "@default")
        #expect(parsed.call == "qubes.Filecopy+allow-all-names")
        #expect(parsed.localCommand == ["/usr/lib/qubes/qfile-agent", "--ignore-symlinks", "--", "-a file"])
        #expect(parsed.filterStderr)
    }

    @Test func withoutLocalProgram() throws {
        let parsed = try ClientCommandLine.parse(["work", "test.Service"]).get()
        #expect(parsed == LocalCall.Request(target: "work", call: "test.Service", localCommand: [], filterStderr: false))
    }

    @Test(arguments: [[], ["work"], ["--bogus", "work", "x"], ["--", "work"], ["work", "x", "relative/program"]])
    func refused(_ arguments: [String]) {
        #expect(throws: CommandLineError.self) { try ClientCommandLine.parse(arguments).get() }
    }
}
