import DialogClient
import FilecopySend
import Glibc
import Localization
import Qrexec
import QrexecClient
import SystemIO

/// `--gui`, for the desktop integration: the GTK helper picks the target when none was named,
/// shows progress with Cancel, and tells the outcome in a notification or an error dialog.
/// Without a display or the helper, the same transfer runs with `@default` and plain stderr.
enum GuiTransfer {
    static func run(_ invocation: Invocation, selection: Selection, agent: String) -> Int32 {
        let count = invocation.files.count
        let moving = invocation.operation == .move
        var target = invocation.target
        if target == "@default" {
            let title = moving
                ? fill(trn("Move %s file to VM", "Move %s files to VM", count), [String(count)])
                : fill(trn("Copy %s file to VM", "Copy %s files to VM", count), [String(count)])
            switch DialogHelper.pickTarget(title: title, action: moving ? "move" : "copy") {
            case .chosen(let chosen) where TargetName.isValidTarget(chosen): target = chosen
            case .chosen, .cancelled: return 1  // nothing was sent
            case .unavailable: break  // dom0 (or the stand-in's policy) asks
            }
        }
        guard let client = ProgramLocation.onPath(ClientCall.clientName) else {
            return fail(ClientCallError.clientMissing.description, details: nil, invocation)
        }
        let call = ClientCall(
            target: target, service: selection.needsAllowAllNames ? "qubes.Filecopy+allow-all-names" : "qubes.Filecopy",
            localProgram: agent,
            localArguments: invocation.agentArguments)
        setenv("PROGRESS_TYPE", "gui", 1)
        setenv("FILECOPY_TOTAL_BYTES", String(selection.totalBytes), 1)

        let outcome: Outcome
        do {
            outcome = try transfer(call, client: client, total: selection.totalBytes, moving: moving)
        } catch {
            return fail(String(describing: error), details: nil, invocation)
        }
        switch outcome.ending {
        case .cancelled:
            // Issue 15 item 2: the person chose this; a neutral note, not an error, and the
            // shell's status for an interrupted command.
            var note = (moving ? tr("The move to %s was cancelled.", target) : tr("The copy to %s was cancelled.", target))
                + " " + tr("Files that had arrived completely stay in the target VM; the file being sent was not kept.")
            if moving { note += " " + tr("Nothing was deleted.") }
            FrontEnd.report(note, programName: invocation.programName)
            DialogHelper.showNote(note)
            return 130
        case .finished(let status) where moving && status == .exited(Packer.sourcesKeptStatus):
            // The sender removed what it could and named the rest on stderr.
            let details = outcome.errorText.split(separator: "\n").filter { $0.hasPrefix("qfile-agent: ") }
                .map { ChildErrorText.droppingProgramPrefix($0) }
            return fail(tr("The files arrived, but some sources could not be deleted."), details: details.joined(separator: "\n"), invocation)
        case .finished(let status) where status == .exited(0):
            DialogHelper.showSuccess(successSummary(count: count, target: target, moving: moving))
            return 0
        case .finished(let status):
            let sentence = call.explanation(of: status) ?? outcome.lastSentence
                ?? (moving ? tr("The move failed.") : tr("The copy failed."))
            var details = outcome.errorText
            if moving { details += (details.isEmpty ? "" : "\n") + tr("Nothing was deleted.") }
            _ = fail(sentence, details: details.isEmpty ? nil : details, invocation)
            return status.shellStatus
        }
    }

    // MARK: - The transfer

    struct Outcome {
        enum Ending { case finished(ExitStatus), cancelled }
        var ending: Ending
        /// What qrexec-client-vm and qfile-agent wrote on stderr.
        var errorText: String
        /// The sender's last line (else the last line), without the program prefix: the
        /// sentence for the user. Under qrexec-local the receiver's own log line comes here too.
        var lastSentence: String? { ChildErrorText.lastSentence(of: errorText, preferring: "qfile-agent") }
    }

    /// Runs the call in a process group of its own with its stdout (where the agent writes its
    /// progress, through SAVED_FD_1) feeding the progress window; Cancel ends the whole group,
    /// so the receiver sees a cut stream and publishes nothing half-written.
    static func transfer(_ call: ClientCall, client: String, total: UInt64, moving: Bool) throws -> Outcome {
        let progress = try Spawn.closeOnExecPipe()
        let errors = try ScratchFile()
        let title = moving ? tr("Moving to %s", call.target) : tr("Copying to %s", call.target)
        let window = DialogHelper.startProgress(title: title, target: call.target, totalBytes: total, input: progress.read)
        close(progress.read)
        // Without a window the byte counts go to our own stdout, as Qubes' --gui callers expect.
        let redirect: [(from: Int32, to: Int32)] = window == nil ? [(errors.fd, Int32(2))] : [(progress.write, Int32(1)), (errors.fd, Int32(2))]
        let transfer: pid_t
        do {
            transfer = try Spawn.start(client, arguments: call.arguments, redirect: redirect, newProcessGroup: true)
        } catch {
            close(progress.write)
            if let window { kill(window, SIGTERM); _ = try? Spawn.wait(window) }
            throw error
        }
        close(progress.write)
        var ending: Outcome.Ending?
        var windowOpen = window != nil
        while ending == nil || windowOpen {
            var raw: Int32 = 0
            let pid = waitpid(-1, &raw, 0)
            if pid < 0 {
                if errno == EINTR { continue }
                break
            }
            let status: ExitStatus = raw & 0x7F == 0 ? .exited((raw >> 8) & 0xFF) : .signalled(raw & 0x7F)
            if pid == transfer {
                if ending == nil { ending = .finished(status) }
            } else if pid == window {
                windowOpen = false
                if status == .exited(DialogHelper.progressCancelled), ending == nil {
                    ending = .cancelled
                    end(group: transfer)
                }
            }
        }
        return Outcome(ending: ending ?? .cancelled, errorText: errors.contents())
    }

    /// Ends the transfer's whole process group: SIGTERM, then SIGKILL if it is still there
    /// after two seconds; reaped here, so a slow shutdown is not mistaken for a result.
    private static func end(group leader: pid_t) {
        kill(-leader, SIGTERM)
        for _ in 0..<40 {
            var raw: Int32 = 0
            if waitpid(leader, &raw, WNOHANG) == leader { return }
            usleep(50_000)
        }
        kill(-leader, SIGKILL)
        _ = try? Spawn.wait(leader)
    }

    private static func successSummary(count: Int, target: String, moving: Bool) -> String {
        let number = String(count)
        guard !target.hasPrefix("@") else {
            return fill(moving ? trn("%s file moved", "%s files moved", count) : trn("%s file copied", "%s files copied", count), [number])
        }
        let ownName = getenv("QREXEC_LOCAL_DOMAIN").map { String(cString: $0) }
        guard let ownName else {
            return fill(moving ? trn("%s file moved to %s", "%s files moved to %s", count) : trn("%s file copied to %s", "%s files copied to %s", count), [number, target])
        }
        let place = "QubesIncoming/" + ownName
        return fill(
            // TRANSLATORS: the number of files, the target VM, then the folder they are in there (QubesIncoming/NAME).
            moving ? trn("%s file moved to %s: %s", "%s files moved to %s: %s", count) : trn("%s file copied to %s: %s", "%s files copied to %s: %s", count),
            [number, target, place])
    }

    /// stderr for the terminal (if any) and an error dialog for the desktop.
    private static func fail(_ sentence: String, details: String?, _ invocation: Invocation) -> Int32 {
        FrontEnd.report(sentence, programName: invocation.programName)
        DialogHelper.showError(sentence, details: details)
        return 1
    }
}
