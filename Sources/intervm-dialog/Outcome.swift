import ArgumentParser
import Dialogs
import DisplayText
import Glibc
import Localization
import SystemIO

/// `outcome`: a notification on success (a dialog where none can be shown), a dialog on error,
/// and for a note (a cancelled transfer) a notification at most: a cancel is not an error.
struct Outcome: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            abstract: tr("Tell the user how a transfer ended."),
            discussion: tr("Exit status 0: shown; 2: no display and no notification service (the text went to stderr)."))
    }

    enum Kind: String, EnumerableFlag {
        case success, error, note

        static func help(for value: Kind) -> ArgumentHelp? {
            switch value {
            case .success: ArgumentHelp(tr("The transfer succeeded (a notification)."))
            case .error: ArgumentHelp(tr("The transfer failed (an error dialog)."))
            case .note: ArgumentHelp(tr("A neutral note, such as a cancelled transfer (a notification, never a dialog)."))
            }
        }
    }

    @Flag var kind: Kind

    @Option(help: ArgumentHelp(tr("One sentence for the user.")))
    var summary: String

    @Option(help: ArgumentHelp(tr("Technical details, shown folded (errors only).")))
    var details: String?

    func run() throws {
        if kind == .success && DesktopNotification.send(summary: DisplayText.guarded(summary), icon: "emblem-default") { return }
        if kind == .note {
            // Quietly: a notification where a service shows them, else nothing on the screen.
            _ = DesktopNotification.send(summary: DisplayText.guarded(summary), icon: "dialog-information")
            return
        }
        let status = MainActor.assumeIsolated { () -> Int32 in
            guard MainLoop.start() else {
                // No display: the message still reaches whoever reads stderr.
                printError("intervm-dialog: " + summary + (details.map { "\n" + $0 } ?? ""))
                return Status.noDisplay
            }
            let loop = MainLoop()
            let dialog = MessageDialog(kind: kind == .error ? .error : .success, summary: summary, details: details)
            dialog.show { loop.finish(Status.done) }
            // The dialog must outlive the loop: its signal handlers refer to it unowned.
            return withExtendedLifetime(dialog) { loop.run() }
        }
        try finish(status)
    }
}
