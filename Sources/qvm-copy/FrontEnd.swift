import DialogClient
import FilecopySend
import Glibc
import Localization
import Qrexec
import QrexecClient
import SystemIO

/// Checks the selection, calls qrexec with qfile-agent as the local program, and for a move
/// deletes the sources once the receiver reported success.
enum FrontEnd {
    static func main(_ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, count: Int) -> Int32 {
        // Arguments are taken as raw bytes: a name that is not UTF-8 would be silently
        // altered by a String conversion, and the wrong file would be sent or deleted.
        var arguments: [String] = []
        for index in 0..<count {
            guard let raw = argv[index], let text = String(validatingCString: raw) else {
                report(tr("An argument is not valid UTF-8; such names cannot be sent."))
                return 2
            }
            arguments.append(text)
        }
        let programName = Selection.lastComponent(of: arguments.first ?? "qvm-copy")
        switch Invocation.parse(programName: programName, arguments: Array(arguments.dropFirst())) {
        case .help(let text):
            print(text)
            return 0
        case .usageError(let text):
            report(text, programName: programName)
            return 2
        case .run(let invocation):
            return run(invocation)
        }
    }

    static func run(_ invocation: Invocation) -> Int32 {
        let name = invocation.programName
        let selection: Selection
        do {
            selection = try Selection.check(invocation.files, ignoreSymlinks: invocation.ignoreSymlinks)
        } catch {
            report(error.description, programName: name)
            if invocation.progress == .gui { DialogHelper.showError(error.description, details: nil) }
            return 1
        }
        guard let agent = ProgramLocation.helper("qfile-agent") else {
            report(tr("The sender qfile-agent is not installed."), programName: name)
            if invocation.progress == .gui { DialogHelper.showError(tr("The sender qfile-agent is not installed."), details: nil) }
            return 1
        }
        if invocation.progress == .gui {
            return GuiTransfer.run(invocation, selection: selection, agent: agent)
        }
        setenv("PROGRESS_TYPE", invocation.progress.rawValue, 1)
        setenv("INTERVM_PROGRAM_NAME", name, 1)  // the sender signs its messages with our name
        if invocation.progress != .none {
            setenv("FILECOPY_TOTAL_BYTES", String(selection.totalBytes), 1)
        } else {
            unsetenv("FILECOPY_TOTAL_BYTES")
        }
        let call = ClientCall(
            target: invocation.target,
            service: selection.needsAllowAllNames ? "qubes.Filecopy+allow-all-names" : "qubes.Filecopy",
            localProgram: agent,
            localArguments: invocation.agentArguments)
        let status: ExitStatus
        do {
            status = try call.run()
        } catch {
            report(String(describing: error), programName: name)
            return 1
        }
        if invocation.operation == .move && status == .exited(Packer.sourcesKeptStatus) {
            // It arrived; the sender removed the rest and named what it kept.
            report(tr("The files arrived, but some sources could not be deleted."), programName: name)
            return 1
        }
        guard status == .exited(0) else {
            if let sentence = call.explanation(of: status) {
                report(sentence, programName: name)
            }
            if invocation.operation == .move {
                report(tr("Nothing was deleted."), programName: name)
            }
            return status.shellStatus
        }
        return 0
    }

    /// One line on stderr, prefixed with the program's name.
    static func report(_ line: String, programName: String = "qvm-copy") {
        printError(programName + ": " + line)
    }
}
