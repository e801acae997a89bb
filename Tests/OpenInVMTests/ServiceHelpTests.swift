import Testing
import TestSupport

/// Issue 15 item 14: the service programs answer --help with their usage and exit 0, and refuse
/// any other argument with one line.
@Suite("Service programs' help")
struct ServiceHelpTests {
    @Test func vmFileEditorHelp() throws {
        let help = try run([Programs.path("vm-file-editor"), "--help"])
        #expect(help.status == 0, "\(help.stderr)")
        #expect(String(decoding: help.stdout, as: UTF8.self).hasPrefix("usage: vm-file-editor\n"))
        let wrong = try run([Programs.path("vm-file-editor"), "extra"])
        #expect(wrong.status == 64)
        #expect(wrong.stderr == "vm-file-editor: takes no arguments (see --help)\n")
    }
}
