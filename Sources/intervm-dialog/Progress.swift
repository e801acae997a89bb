import ArgumentParser
import Dialogs
import Localization

/// `progress`: follows progress lines on stdin; exit 0 at end of input, 3 when cancelled.
struct Progress: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            abstract: tr("Show a transfer's progress from lines on stdin (bytes sent, or \"name PATH\")."),
            discussion: tr("Exit status 3: the user cancelled; the caller ends the transfer."))
    }

    @Option(help: ArgumentHelp(tr("The window title.")))
    var title: String

    @Option(help: ArgumentHelp(tr("The VM receiving the files.")))
    var target: String

    @Option(help: ArgumentHelp(tr("Total bytes to send, when known.")))
    var total: UInt64?

    func run() throws {
        let status = MainActor.assumeIsolated { () -> Int32 in
            openDisplayOrExit()
            let loop = MainLoop()
            let dialog = ProgressDialog(title: title, target: target, total: total)
            dialog.start(
                finished: { loop.finish(Status.done) },
                cancelled: { loop.finish(Status.transferCancelled) })
            ProgressFeed { update in dialog.apply(update) }.start()
            // The dialog must outlive the loop: its signal handlers refer to it unowned.
            return withExtendedLifetime(dialog) { loop.run() }
        }
        try finish(status)
    }
}
