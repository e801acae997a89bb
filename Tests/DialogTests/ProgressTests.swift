import Foundation
import Testing
import TestSupport

/// The progress window: shown only for transfers longer than about a second, cancellable.
@Suite(.enabled(if: VirtualDesktop.isAvailable, VirtualDesktop.unavailableReason))
struct ProgressTests {
    static let title = "Copying 2 files to work"

    func startProgress(_ desktop: VirtualDesktop, total: Int = 10_000_000) throws -> DialogRun {
        try DialogRun(["progress", "--title", Self.title, "--target", "work", "--total", String(total)], on: desktop)
    }

    @Test func slowTransferShowsTheWindowAndCancelExitsThree() throws {
        let desktop = try VirtualDesktop()
        let progress = try startProgress(desktop)
        progress.started.write(Array("name Documents/report.pdf\n0\n".utf8))
        for step in 1...8 {
            Thread.sleep(forTimeInterval: 0.2)
            progress.started.write(Array("\(step * 400_000)\n".utf8))
        }
        #expect(desktop.waitForWindow(named: Self.title) != nil, "the window must appear after about a second")
        Thread.sleep(forTimeInterval: 0.3)
        desktop.screenshot("progress")
        // Cancel is the only button and has the focus: Return presses it.
        try desktop.key("Return")
        let result = progress.finish(within: 5)
        #expect(result.status == 3)
        #expect(result.stdout.isEmpty)
    }

    @Test(.enabled(if: Accessibility.isAvailable, Accessibility.unavailableReason))
    func windowShowsTargetAmountRateAndFile() throws {
        let desktop = try VirtualDesktop()
        try desktop.startSessionBus()
        let progress = try startProgress(desktop)
        progress.started.write(Array("name Photos/summer.jpg\n0\n".utf8))
        for step in 1...7 {
            Thread.sleep(forTimeInterval: 0.2)
            progress.started.write(Array("\(step * 1_000_000)\n".utf8))
        }
        #expect(desktop.waitForWindow(named: Self.title) != nil)
        Thread.sleep(forTimeInterval: 0.4)
        let labels = try Accessibility.nodes(on: desktop).filter { $0.role == "label" }.map(\.name)
        #expect(labels.contains("To work"), "labels: \(labels)")
        #expect(labels.contains("Photos/summer.jpg"))
        // "7.0 MB of 10.0 MB — 5.0 MB/s — About 1 second left" (GLib puts a no-break space before units).
        let status = labels.first { $0.contains(" of 10.0\u{A0}MB") }
        #expect(status != nil, "labels: \(labels)")
        #expect(status?.contains("MB/s") == true)
        #expect(status?.contains("left") == true)
        try desktop.key("Escape")
        #expect(progress.finish(within: 5).status == 3)
    }

    @Test func escapeCancelsToo() throws {
        let desktop = try VirtualDesktop()
        let progress = try startProgress(desktop)
        progress.started.write(Array("name a\n100\n".utf8))
        #expect(desktop.waitForWindow(named: Self.title) != nil)
        try desktop.key("Escape")
        #expect(progress.finish(within: 5).status == 3)
    }

    @Test func fastTransferNeverShowsAWindow() throws {
        let desktop = try VirtualDesktop()
        let progress = try startProgress(desktop, total: 300)
        progress.started.write(Array("name a.txt\n100\nname b.txt\n300\nsomething else\n".utf8))
        Thread.sleep(forTimeInterval: 0.3)
        let shownBeforeEnd = desktop.windows(named: Self.title)
        let result = progress.started.finish()
        #expect(result.status == 0)
        #expect(shownBeforeEnd.isEmpty)
        #expect(desktop.windows(named: Self.title).isEmpty)
    }

    @Test func endOfInputClosesAShownWindow() throws {
        let desktop = try VirtualDesktop()
        let progress = try startProgress(desktop, total: 1000)
        progress.started.write(Array("500\n".utf8))
        #expect(desktop.waitForWindow(named: Self.title) != nil)
        progress.started.write(Array("1000\n".utf8))
        let result = progress.started.finish()
        #expect(result.status == 0)
        #expect(desktop.windows(named: Self.title).isEmpty)
    }
}
