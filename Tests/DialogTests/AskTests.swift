import Foundation
import Testing
import TestSupport

/// The qrexec confirmation: Allow prints the chosen target, Deny and Escape refuse.
@Suite(.enabled(if: VirtualDesktop.isAvailable, VirtualDesktop.unavailableReason))
struct AskTests {
    static let title = "Allow inter-VM operation?"

    func startAsk(_ desktop: VirtualDesktop, preselect: String?) throws -> DialogRun {
        try DialogRun(
            ["ask", "--source", "work", "--service", "qubes.Filecopy", "--targets", "personal,vault,@dispvm"]
                + (preselect.map { ["--default", $0] } ?? []),
            on: desktop)
    }

    @Test func allowPrintsTheChosenTarget() throws {
        let desktop = try VirtualDesktop()
        let ask = try startAsk(desktop, preselect: "personal")
        #expect(desktop.waitForWindow(named: Self.title) != nil)
        desktop.screenshot("ask")
        try desktop.key("alt+a")
        let result = ask.finish()
        #expect(result.status == 0)
        #expect(result.output == "personal\n")
    }

    @Test func anotherTargetChosenByKeyboard() throws {
        let desktop = try VirtualDesktop()
        let ask = try startAsk(desktop, preselect: nil)
        #expect(desktop.waitForWindow(named: Self.title) != nil)
        // Nothing chosen yet: Allow is disabled.
        try desktop.key("alt+a")
        Thread.sleep(forTimeInterval: 0.3)
        #expect(ask.isRunning)
        // The combo box has the focus: open it, take the second target.
        try desktop.key("space")
        Thread.sleep(forTimeInterval: 0.3)
        try desktop.key("Down", "Return")
        Thread.sleep(forTimeInterval: 0.2)
        try desktop.key("alt+a")
        let result = ask.finish()
        #expect(result.output == "vault\n")
        #expect(result.status == 0)
    }

    @Test(arguments: ["alt+d", "Escape"])
    func denyEscapeAndEnterRefuse(key: String) throws {
        let desktop = try VirtualDesktop()
        let ask = try startAsk(desktop, preselect: "personal")
        #expect(desktop.waitForWindow(named: Self.title) != nil)
        try desktop.key(key)
        let result = ask.finish()
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
    }

    @Test func enterAloneNeverAllows() throws {
        let desktop = try VirtualDesktop()
        let ask = try startAsk(desktop, preselect: "personal")
        #expect(desktop.waitForWindow(named: Self.title) != nil)
        try desktop.key("Return")
        Thread.sleep(forTimeInterval: 0.5)
        try desktop.key("Escape")
        Thread.sleep(forTimeInterval: 0.2)
        if ask.isRunning { try desktop.key("Escape") }
        let result = ask.finish()
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
    }

    @Test(arguments: [
        ["--source", "bad name", "--service", "qubes.Filecopy", "--targets", "a"],
        ["--source", "work", "--service", "qubes/Filecopy", "--targets", "a"],
        ["--source", "work", "--service", "qubes.Filecopy", "--targets", "a,9b"],
        ["--source", "work", "--service", "qubes.Filecopy", "--targets", ""],
    ])
    func invalidArgumentsAreRefusedWithoutADialog(arguments: [String]) throws {
        let result = try run([Programs.path("intervm-dialog"), "ask"] + arguments, environment: ["PATH": "/usr/bin:/bin"])
        #expect(result.status != 0 && result.status != 1)
        #expect(result.stdout.isEmpty)
        #expect(!result.stderr.isEmpty)
    }
}
