import ArgumentParser
import Dialogs
import Localization
import Qrexec

/// `ask`: the confirmation for a qrexec call; prints the allowed target (exit 0), or exit 1.
struct Ask: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            abstract: tr("Ask whether a VM may run a service, and in which target."),
            discussion: tr("Exit status 0: allowed, the target was printed; 1: denied; 2: no display."))
    }

    @Option(help: ArgumentHelp(tr("The calling VM.")))
    var source: String

    @Option(help: ArgumentHelp(tr("The qrexec service, e.g. qubes.Filecopy.")))
    var service: String

    @Option(help: ArgumentHelp(tr("The targets to offer, separated by commas.")))
    var targets: String

    @Option(name: .customLong("default"), help: ArgumentHelp(tr("The target chosen at start.")))
    var preselected: String?

    var targetList: [String] { targets.split(separator: ",").map(String.init) }

    func validate() throws {
        guard TargetName.isValidVMName(source) || source == "dom0" else {
            throw ValidationError(tr("not a VM name: %s", source))
        }
        guard ServiceName.isValid(service) else { throw ValidationError(tr("not a service name: %s", service)) }
        guard !targetList.isEmpty else { throw ValidationError(tr("no target to offer")) }
        for target in targetList + (preselected.map { [$0] } ?? []) where !TargetName.isValidTarget(target) {
            throw ValidationError(tr("not a valid target: %s", target))
        }
    }

    func run() throws {
        let status = MainActor.assumeIsolated { () -> Int32 in
            openDisplayOrExit()
            let loop = MainLoop()
            let dialog = AskDialog(source: source, service: service, targets: targetList, preselected: preselected)
            dialog.show(
                allowed: { target in
                    printAnswer(target)
                    loop.finish(Status.done)
                },
                denied: { loop.finish(Status.cancelled) })
            // The dialog must outlive the loop: its signal handlers refer to it unowned.
            return withExtendedLifetime(dialog) { loop.run() }
        }
        try finish(status)
    }
}
