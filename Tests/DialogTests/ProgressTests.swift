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
