import ArgumentParser
import Dialogs
import Glibc
import Localization
import SystemIO

/// `pick-target`: prints the chosen target (exit 0) or nothing (exit 1 on cancel).
struct PickTarget: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "pick-target",
            abstract: tr("Ask for the target VM; print it and remember it as recent."),
            discussion: tr("Exit status 0: the target was printed; 1: cancelled; 2: no display."))
    }

    @Option(help: ArgumentHelp(tr("The window title, e.g. \"Copy 3 files to VM\".")))
    var title: String

    @Option(help: ArgumentHelp(tr("The accepting button's verb.")))
    var action: PickerDialog.Action?

    func run() throws {
        let status = MainActor.assumeIsolated { () -> Int32 in
            openDisplayOrExit()
            let paths = DesktopPaths.fromEnvironment()
            let loop = MainLoop()
            let dialog = PickerDialog(title: title, action: action, choices: TargetList.choices(paths: paths))
            dialog.show(
                chosen: { target in
                    printAnswer(target)
                    do {
                        try RecentTargets(path: paths.recentTargetsFile).record(target)
                    } catch {
                        printError("intervm-dialog: " + tr("could not remember the target: %s", "\(error)"))
                    }
                    loop.finish(Status.done)
                },
                cancelled: { loop.finish(Status.cancelled) })
            // The dialog must outlive the loop: its signal handlers refer to it unowned.
            return withExtendedLifetime(dialog) { loop.run() }
        }
        try finish(status)
    }
}

extension PickerDialog.Action: ExpressibleByArgument {}
