import ArgumentParser
import Dialogs
import Glibc
import Localization
import SystemIO
import SystemPackage

/// Exit statuses every subcommand shares.
enum Status {
    static let done: Int32 = 0
    static let cancelled: Int32 = 1
    static let noDisplay: Int32 = 2
    static let transferCancelled: Int32 = 3
}

struct IntervmDialog: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "intervm-dialog",
            abstract: tr("Dialogs for inter-VM file copy: target picker, progress, outcome, confirmation."),
            discussion: tr("Exit status 2: no display could be opened (the caller falls back to text)."),
            subcommands: [PickTarget.self, Progress.self, Outcome.self, Ask.self])
    }
}

/// Opens the display or ends the program with status 2 and one line on stderr.
@MainActor
func openDisplayOrExit() {
    guard MainLoop.start() else {
        printError("intervm-dialog: " + tr("cannot open the display (is DISPLAY set?)"))
        exit(Status.noDisplay)
    }
}

/// Writes `line` and a newline to stdout at once (write(2), unbuffered).
func printAnswer(_ line: String) {
    try? FileDescriptor.standardOutput.writeFully(Array((line + "\n").utf8))
}

/// Ends a subcommand with `status` (ArgumentParser exits with it).
func finish(_ status: Int32) throws {
    if status != 0 { throw ExitCode(status) }
}
