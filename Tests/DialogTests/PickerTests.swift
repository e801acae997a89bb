import Foundation
import Testing
import TestSupport

/// The target picker driven by keyboard on a private X display.
@Suite(.enabled(if: VirtualDesktop.isAvailable, VirtualDesktop.unavailableReason))
struct PickerTests {
    static let title = "Copy 3 files to VM"

    /// Writes the user's VM list and recent targets into the desktop's home.
    func prepare(_ desktop: VirtualDesktop, vms: [String] = [], recent: [String] = []) throws {
        let config = desktop.home(".config/intervm")
        let state = desktop.home(".local/state/intervm")
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try vms.map { $0 + "\n" }.joined().write(toFile: config + "/vms", atomically: true, encoding: .utf8)
        if !recent.isEmpty {
            try recent.map { $0 + "\n" }.joined().write(toFile: state + "/recent-targets", atomically: true, encoding: .utf8)
        }
    }

    func recentTargets(_ desktop: VirtualDesktop) -> [String] {
        let text = (try? String(contentsOfFile: desktop.home(".local/state/intervm/recent-targets"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    func startPicker(_ desktop: VirtualDesktop) throws -> DialogRun {
        try DialogRun(["pick-target", "--title", Self.title, "--action", "copy"], on: desktop)
    }

    @Test func typedNameAndEnterPrintsItAndRemembersIt() throws {
        let desktop = try VirtualDesktop()
        try prepare(desktop, vms: ["work", "personal"], recent: ["personal"])
        let picker = try startPicker(desktop)
        #expect(desktop.waitForWindow(named: Self.title) != nil)
        try desktop.type("work")
        desktop.screenshot("picker-typed")
        try desktop.key("Return")
        let result = picker.finish()
        #expect(result.status == 0)
        #expect(result.output == "work\n")
        #expect(recentTargets(desktop) == ["work", "personal"])
    }

    @Test func enterWithTheCompletionListOpenTakesTheTypedName() throws {
        let desktop = try VirtualDesktop()
        try prepare(desktop, vms: ["work", "work-2", "work-3"])
        let picker = try startPicker(desktop)
        #expect(desktop.waitForWindow(named: Self.title) != nil)
        try desktop.type("work")
        Thread.sleep(forTimeInterval: 0.3)
        desktop.screenshot("picker-completion")
        try desktop.key("Return")
        Thread.sleep(forTimeInterval: 0.3)
        // A first Return may only close the completion list; a second one accepts.
        if picker.isRunning { try desktop.key("Return") }
        let result = picker.finish()
        #expect(result.status == 0)
        #expect(result.output == "work\n")
    }

    @Test func invalidNameKeepsOKDisabledAndEnterDoesNothing() throws {
        let desktop = try VirtualDesktop()
        if Accessibility.isAvailable { try desktop.startSessionBus() }
        try prepare(desktop, vms: ["work"])
        let picker = try startPicker(desktop)
        #expect(desktop.waitForWindow(named: Self.title) != nil)
        try desktop.type("9 not a vm")
        try desktop.key("Return")
        Thread.sleep(forTimeInterval: 0.5)
        #expect(picker.isRunning, "Enter on an invalid name must not close the picker")
        if Accessibility.isAvailable {
            let nodes = try Accessibility.nodes(on: desktop)
            let copy = nodes.first { $0.role == "push button" && $0.name == "Copy" }
            #expect(copy != nil, "no Copy button in \(nodes)")
            #expect(copy?.sensitive == false)
            #expect(nodes.contains { $0.role == "push button" && $0.name == "Cancel" && $0.sensitive })
        }
        desktop.screenshot("picker-invalid")
        try desktop.key("Escape")
        let result = picker.finish()
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(recentTargets(desktop).isEmpty)
    }

    @Test func escapeCancels() throws {
        let desktop = try VirtualDesktop()
        try prepare(desktop, vms: ["work"], recent: ["work"])
        let picker = try startPicker(desktop)
        #expect(desktop.waitForWindow(named: Self.title) != nil)
        try desktop.type("personal")
        try desktop.key("Escape")
        let result = picker.finish()
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(recentTargets(desktop) == ["work"])
    }

    @Test func recentTargetComesFirstInTheList() throws {
        let desktop = try VirtualDesktop()
        try prepare(desktop, vms: ["alpha", "personal", "zed"], recent: ["personal", "@dispvm"])
        let picker = try startPicker(desktop)
        #expect(desktop.waitForWindow(named: Self.title) != nil)
        desktop.screenshot("picker-recent")
        // Tab leaves the entry for the list; Return activates its first row.
        try desktop.key("Tab", "Return")
        let result = picker.finish()
        #expect(result.status == 0)
        #expect(result.output == "personal\n")
        #expect(recentTargets(desktop) == ["personal", "@dispvm"])
    }

    @Test func specialChoiceByKeyboard() throws {
        let desktop = try VirtualDesktop()
        try prepare(desktop, vms: ["work"])
        let picker = try startPicker(desktop)
        #expect(desktop.waitForWindow(named: Self.title) != nil)
        // Rows: work, Let dom0 ask, New disposable VM.
        try desktop.key("Tab", "Down", "Down", "Return")
        let result = picker.finish()
        #expect(result.status == 0)
        #expect(result.output == "@dispvm\n")
    }

    @Test func localStandInVMsAreOffered() throws {
        let desktop = try VirtualDesktop()
        try prepare(desktop)
        let root = desktop.home("vms")
        for folder in ["beta/home", "alpha/home", "policy.d", "nohome"] {
            try FileManager.default.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
        }
        let picker = try DialogRun(
            ["pick-target", "--title", Self.title], on: desktop,
            environment: ["QREXEC_LOCAL_ROOT": root, "QREXEC_LOCAL_DOMAIN": "alpha"])
        #expect(desktop.waitForWindow(named: Self.title) != nil)
        // alpha is this VM: the first row is beta.
        try desktop.key("Tab", "Return")
        let result = picker.finish()
        #expect(result.output == "beta\n")
    }
}
