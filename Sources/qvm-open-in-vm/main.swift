// qvm-open-in-vm VM FILE, and by the name qvm-open-in-dvm FILE (a disposable VM):
// opens one file in another VM through qubes.OpenInVM, with qopen-in-vm as the local side.
import ArgumentParser
import CommandLineErrors
import DialogClient
import DisplayText
import Glibc
import Localization
import OpenInVM
import Qrexec
import QrexecClient
import SystemIO

/// The name this program was started by (argv[0]'s last component).
let invokedName = String(CommandLine.arguments.first?.split(separator: "/").last ?? "qvm-open-in-vm")
let disposable = invokedName == "qvm-open-in-dvm"

struct QvmOpenInVM: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: invokedName,
            abstract: disposable
                // TRANSLATORS: FILE and VM are the placeholders of the usage line: translate them as there.
                ? tr("Opens FILE in a new disposable VM; edits are saved back when its application closes.")
                : tr("Opens FILE in the VM named VM; edits are saved back when its application closes."),
            usage: disposable
                // TRANSLATORS: %s is the program name; the options are literal, VM and FILE are placeholders.
                ? tr("%s [--view-only] [--gui] [--] FILE", "qvm-open-in-dvm")
                : tr("%s [--view-only] [--gui] [--] [VM] FILE", "qvm-open-in-vm"))
    }

    @Flag(name: .long, help: ArgumentHelp(tr("Open read-only: changes made in the other VM are not saved back.")))
    var viewOnly = false

    @Flag(name: .long, help: ArgumentHelp(tr("For the desktop: ask for the VM in a dialog when none is given, and show errors in dialogs.")))
    var gui = false

    // TRANSLATORS: VM and FILE in the value name are the placeholders of the usage line.
    @Argument(help: ArgumentHelp(tr("The target VM (qvm-open-in-vm only), then the file."), valueName: tr("VM|FILE")))
    var operands: [String] = []

    func run() throws {
        // With --gui, qvm-open-in-vm may leave the VM out: the picker asks for it.
        let expected = disposable ? 1 : (gui && operands.count == 1 ? 1 : 2)
        guard operands.count == expected else {
            fail(disposable
                ? tr("Give exactly one file: qvm-open-in-dvm [--view-only] FILE.")
                : tr("Give a VM and exactly one file: qvm-open-in-vm [--view-only] VM FILE."))
        }
        let file = operands[expected - 1]
        let target: String
        if disposable {
            target = "@dispvm"
        } else if expected == 2 {
            target = operands[0]
        } else {
            let title = tr("Open \"%s\" in VM", ProgramLocation.lastComponent(of: file))
            switch DialogHelper.pickTarget(title: title, action: "open") {
            case .chosen(let chosen): target = chosen
            case .cancelled: throw ExitCode(1)
            case .unavailable: fail(tr("Name the VM to open the file in: qvm-open-in-vm VM FILE."))
            }
        }
        guard TargetName.isValidTarget(target) else {
            fail(tr("\"%s\" is not a valid VM name.", DisplayText.escaped(target)))
        }
        var info = stat()
        guard stat(file, &info) == 0 else {
            fail(tr("Cannot open \"%s\": %s.", DisplayText.escaped(file), String(cString: strerror(errno))))
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            fail(tr("\"%s\" is a folder: only single files can be opened in another VM.", file))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            fail(tr("\"%s\" is not a regular file: only regular files can be opened in another VM.", file))
        }
        guard let helper = ProgramLocation.helper("qopen-in-vm") else {
            fail(tr("The helper qopen-in-vm is not installed."))
        }
        let call = ClientCall(
            target: target, service: "qubes.OpenInVM", localProgram: helper,
            localArguments: (viewOnly ? ["--view-only"] : []) + ["--", Self.absolute(file)])
        // The helpers' lines (ours, and the service's that qrexec forwards) are collected and
        // told as one sentence from this program: a person should not meet qopen-in-vm or
        // vm-file-editor by name. (A policy question asks on /dev/tty or in a dialog.)
        let status: ExitStatus
        let messages: String
        do {
            (status, messages) = try call.runCapturingErrors()
        } catch {
            fail(String(describing: error))
        }
        let childSentence = ChildErrorText.lastSentence(of: messages)
        let sentence: String?
        if let explanation = call.explanation(of: status) {
            sentence = explanation
        } else if status != .exited(0) {
            // Issue 15 item 1: the service's failure is the call's failure (qrexec returns its
            // status), and the original is only ever replaced after a successful reply.
            sentence = childSentence.map {
                tr("\"%s\" could not be opened in the other VM: %s Nothing changed here.", DisplayText.escaped(file), $0)
            } ?? tr("\"%s\" could not be opened in the other VM. Nothing changed here.", DisplayText.escaped(file))
        } else {
            sentence = childSentence
        }
        if let sentence { printLine(program: invokedName, sentence) }
        if gui {
            if status != .exited(0) {
                DialogHelper.showError(sentence ?? tr("The file could not be opened in the other VM."), details: messages.isEmpty ? nil : messages)
            } else if let sentence {
                DialogHelper.showSuccess(sentence)
            }
        }
        throw ExitCode(status.shellStatus)
    }

    /// `path` made absolute against the current folder: the helper may start elsewhere.
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        guard let cwd = getcwd(nil, 0) else { return path }
        defer { free(cwd) }
        let folder = String(cString: cwd)
        return (folder == "/" ? "" : folder) + "/" + path
    }

    func fail(_ message: String) -> Never {
        printLine(program: invokedName, message)
        if gui { DialogHelper.showError(message, details: nil) }
        Glibc.exit(1)
    }
}

Localization.setUp()
QvmOpenInVM.mainEscapingErrors()
