import ArgumentParser
import Glibc
import Localization
import Qrexec
import QrexecLocal

/// The options every subcommand takes.
struct RootOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(tr("Folder holding the local VMs (default: $XDG_STATE_HOME/intervm).")))
    var root: String?

    /// The root as an absolute path (realpath(3) when it exists).
    func vms() -> LocalVMs {
        var path = root ?? LocalVMs.defaultRoot()
        if let resolved = realpath(path, nil) {
            path = String(cString: resolved)
            free(resolved)
        } else if !path.hasPrefix("/"), let cwd = getcwd(nil, 0) {
            path = String(cString: cwd) + "/" + path
            free(cwd)
        }
        return LocalVMs(root: path)
    }
}

struct QrexecLocal: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qrexec-local",
        abstract: tr("Local VMs and a qrexec stand-in: run the Qubes front ends without Qubes."),
        discussion: tr(
            """
            Each VM is a folder ROOT/NAME with its home in ROOT/NAME/home. Calls between VMs follow \
            the Qubes policy in ROOT/policy.d/*.policy; services run in a bubblewrap sandbox that \
            sees only the target VM's home.
            """),
        subcommands: [Create.self, List.self, Remove.self, Run.self])

    /// `--root` before the subcommand.
    @OptionGroup var options: RootOptions
}

struct Create: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: tr("Create local VMs (and the default policy if none exists)."))
    @OptionGroup var ownOptions: RootOptions
    @ParentCommand var parent: QrexecLocal
    /// `--root` after the subcommand wins over one before it.
    var options: RootOptions { ownOptions.root == nil ? parent.options : ownOptions }
    @Argument(help: ArgumentHelp(tr("Names of the VMs to create."))) var names: [String]

    func run() throws {
        let vms = options.vms()
        for name in names {
            do {
                try vms.create(name)
            } catch {
                throw ValidationError(error.description)
            }
            print(vms.home(of: name))
        }
    }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: tr("List the local VMs."))
    @OptionGroup var ownOptions: RootOptions
    @ParentCommand var parent: QrexecLocal
    /// `--root` after the subcommand wins over one before it.
    var options: RootOptions { ownOptions.root == nil ? parent.options : ownOptions }

    func run() {
        for name in options.vms().list() { print(name) }
    }
}

struct Remove: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: tr("Delete local VMs with everything in their homes."))
    @OptionGroup var ownOptions: RootOptions
    @ParentCommand var parent: QrexecLocal
    /// `--root` after the subcommand wins over one before it.
    var options: RootOptions { ownOptions.root == nil ? parent.options : ownOptions }
    @Argument(help: ArgumentHelp(tr("Names of the VMs to delete."))) var names: [String]

    func run() throws {
        let vms = options.vms()
        for name in names {
            do {
                try vms.remove(name)
            } catch {
                throw ValidationError(error.description)
            }
        }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: tr("Run a command as a local VM."),
        discussion: tr("qvm-copy, qvm-move and the other front ends on its PATH call other VMs through the policy."))
    @OptionGroup var ownOptions: RootOptions
    @ParentCommand var parent: QrexecLocal
    /// `--root` after the subcommand wins over one before it.
    var options: RootOptions { ownOptions.root == nil ? parent.options : ownOptions }
    @Flag(name: .long, help: ArgumentHelp(tr("Run services without the bubblewrap sandbox (only where bwrap cannot work).")))
    var noSandbox = false
    @Argument(help: ArgumentHelp(tr("The VM to run as."))) var name: String
    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp(tr("The command, after --."))) var command: [String] = []

    func run() throws {
        let argv = command.first == "--" ? Array(command.dropFirst()) : command
        throw ExitCode(LocalRun.exec(vms: options.vms(), name: name, command: argv, sandboxed: !noSandbox))
    }
}
