import Foundation
import Testing
import TestSupport

/// The end of a transfer: a notification, or a dialog.
@Suite(.enabled(if: VirtualDesktop.isAvailable, VirtualDesktop.unavailableReason))
struct OutcomeTests {
    static let sentence = "The files could not be copied to work: its disk is full."
    static let details = "qfile-unpacker: writing QubesIncoming/personal/big.iso: No space left on device (ENOSPC)"

    @Test(.enabled(if: Accessibility.isAvailable, Accessibility.unavailableReason))
    func errorDialogShowsTheSentenceAndDetails() throws {
        let desktop = try VirtualDesktop()
        try desktop.startSessionBus()
        let dialog = try DialogRun(["outcome", "--error", "--summary", Self.sentence, "--details", Self.details], on: desktop)
        #expect(desktop.waitForWindow(named: "Transfer failed") != nil)
        let nodes = try Accessibility.nodes(on: desktop)
        #expect(nodes.contains { $0.role == "label" && $0.name == Self.sentence }, "sentence missing in \(nodes)")
        #expect(nodes.contains { $0.role == "toggle button" && $0.name == "Details" })
        #expect(nodes.contains { $0.role == "label" && $0.name == Self.details })
        desktop.screenshot("outcome-error")
        // Open the expander by its mnemonic for the screenshot, then close with Escape.
        try desktop.key("alt+d")
        Thread.sleep(forTimeInterval: 0.3)
        desktop.screenshot("outcome-error-details")
        try desktop.key("Escape")
        let result = dialog.finish()
        #expect(result.status == 0)
    }

    @Test("an error dialog closes with Return, with or without details", arguments: [false, true])
    func errorDialogClosesWithReturn(withDetails: Bool) throws {
        let desktop = try VirtualDesktop()
        let details = withDetails ? ["--details", "qfile-agent: error 17"] : []
        let dialog = try DialogRun(["outcome", "--error", "--summary", Self.sentence] + details, on: desktop)
        #expect(desktop.waitForWindow(named: "Transfer failed") != nil)
        #expect(dialog.isRunning)
        try desktop.key("Return")
        #expect(dialog.finish(within: 3).status == 0)
    }

    @Test func successWithoutNotificationServiceShowsADialog() throws {
        let desktop = try VirtualDesktop()
        let dialog = try DialogRun(["outcome", "--success", "--summary", "3 files copied to personal: QubesIncoming/work"], on: desktop)
        #expect(desktop.waitForWindow(named: "Transfer complete") != nil)
        desktop.screenshot("outcome-success-dialog")
        try desktop.key("Return")
        #expect(dialog.finish().status == 0)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: NotificationService.daemon), "notification-daemon missing (test skipped)"))
    func successIsANotification() throws {
        let desktop = try VirtualDesktop()
        try desktop.startSessionBus()
        let service = try NotificationService(on: desktop)
        let summary = "3 files copied to personal: QubesIncoming/work"
        let result = try DialogRun(["outcome", "--success", "--summary", summary], on: desktop).finish()
        #expect(result.status == 0)
        #expect(desktop.windows(named: "Transfer complete").isEmpty, "no dialog when the notification went out")
        let calls = service.notifications()
        #expect(calls.contains(summary), "Notify calls seen: \(calls)")
        // The hints: "desktop-entry" with the installed desktop file's id.
        let hint = calls.firstIndex(of: "desktop-entry")
        #expect(hint.map { calls.indices.contains($0 + 1) && calls[$0 + 1] == "intervm-dialog" } == true, "Notify calls seen: \(calls)")
        desktop.screenshot("outcome-success-notification")
    }

    /// The dialog's window names the desktop file (data/intervm-dialog.desktop) in its
    /// WM_CLASS, which GTK makes from the program name, whatever name the program was started
    /// under (here a symlink called `copy-helper`: GLib would otherwise take that).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/xprop"), "xprop missing (test skipped)"))
    func dialogWindowCarriesTheDesktopFileId() throws {
        let desktop = try VirtualDesktop()
        let folder = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: folder("copy-helper"), withDestinationPath: Programs.path("intervm-dialog"))
        let dialog = try Started([folder("copy-helper"), "outcome", "--error", "--summary", Self.sentence], environment: desktop.environment)
        defer {
            stop(dialog.process)
            _ = dialog.finish()
        }
        let window = try #require(desktop.waitForWindow(named: "Transfer failed"))
        let property = try desktop.tool(["/usr/bin/xprop", "-id", window, "WM_CLASS"])
        #expect(String(decoding: property.stdout, as: UTF8.self) == "WM_CLASS(STRING) = \"intervm-dialog\", \"Intervm-dialog\"\n")
        try desktop.key("Return")
        let deadline = Date().addingTimeInterval(3)
        while dialog.process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!dialog.process.isRunning, "the dialog did not close on Return")
    }
}

/// notification-daemon on the desktop's bus, and dbus-monitor recording the Notify calls.
final class NotificationService: @unchecked Sendable {
    static let daemon = "/usr/lib/notification-daemon/notification-daemon"
    private let server = Process()
    private let monitor = Process()
    private let log: TemporaryDirectory

    init(on desktop: VirtualDesktop) throws {
        log = try TemporaryDirectory()
        monitor.executableURL = URL(fileURLWithPath: "/usr/bin/dbus-monitor")
        monitor.arguments = ["--session", "interface='org.freedesktop.Notifications',member='Notify'"]
        monitor.environment = desktop.environment
        _ = FileManager.default.createFile(atPath: log("monitor"), contents: nil)
        monitor.standardOutput = FileHandle(forWritingAtPath: log("monitor"))
        try monitor.run()
        server.executableURL = URL(fileURLWithPath: Self.daemon)
        server.arguments = ["--replace"]
        server.environment = desktop.environment
        server.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try server.run()
        // Wait until the service owns its name.
        for _ in 0..<50 {
            let owner = try desktop.tool([
                "/usr/bin/dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.Notifications",
            ])
            if String(decoding: owner.stdout, as: UTF8.self).contains("boolean true") { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// The string arguments of the Notify calls seen so far.
    func notifications() -> [String] {
        Thread.sleep(forTimeInterval: 0.2)
        let text = (try? String(contentsOfFile: log("monitor"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let start = line.range(of: "string \"") else { return nil }
            return String(line[start.upperBound...].dropLast())
        }
    }

    deinit {
        for process in [server, monitor] { stop(process) }
    }
}
