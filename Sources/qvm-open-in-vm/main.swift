// qvm-open-in-vm VM FILE, and by the name qvm-open-in-dvm FILE (a disposable VM):
// opens one file in another VM through qubes.OpenInVM, with qopen-in-vm as the local side.
import ArgumentParser
import Glibc
import Localization
import OpenInVM
import Qrexec
import SystemIO

/// The name this program was started by (argv[0]'s last component).
let invokedName = String(CommandLine.arguments.first?.split(separator: "/").last ?? "qvm-open-in-vm")
let disposable = invokedName == "qvm-open-in-dvm"

struct QvmOpenInVM: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: invokedName,
            abstract: disposable
                ? "Opens FILE in a new disposable VM; edits are saved back when its application closes."
                : "Opens FILE in the VM named VM; edits are saved back when its application closes.",
            usage: disposable ? "qvm-open-in-dvm [--view-only] [--] FILE" : "qvm-open-in-vm [--view-only] [--] VM FILE")
    }

    @Flag(name: .long, help: "Open read-only: changes made in the other VM are not saved back.")
    var viewOnly = false

    @Argument(help: ArgumentHelp("The target VM (qvm-open-in-vm only), then the file.", valueName: "VM|FILE"))
    var operands: [String] = []

    func run() throws {
        let expected = disposable ? 1 : 2
        guard operands.count == expected else {
            fail(disposable
                ? tr("Give exactly one file: qvm-open-in-dvm [--view-only] FILE.")
                : tr("Give a VM and exactly one file: qvm-open-in-vm [--view-only] VM FILE."))
        }
        let target = disposable ? "@dispvm" : operands[0]
        guard TargetName.isValidTarget(target) else {
            fail(tr("\"%s\" is not a valid VM name.", target))
        }
        let file = operands[expected - 1]
        var info = stat()
        guard stat(file, &info) == 0 else {
            fail(tr("Cannot open \"%s\": %s.", file, String(cString: strerror(errno))))
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
        let status: ExitStatus
        do {
            status = try call.run()
        } catch {
            fail(String(describing: error))
        }
        if let explanation = ClientCall.explanation(of: status, target: target) {
            printLine(program: invokedName, explanation)
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
        Glibc.exit(1)
    }
}

Localization.setUp()
QvmOpenInVM.main()
