import DisplayText
import Localization
import Qrexec

/// What the program does, decided by the name it was called with (argv[0]), as in Qubes.
enum Operation: Sendable {
    case copy, move

    /// The operation and whether the target comes first, for each name the program answers to.
    static func from(programName: String) -> (operation: Operation, targetFirst: Bool)? {
        switch programName {
        case "qvm-copy": (.copy, false)
        case "qvm-move": (.move, false)
        case "qvm-copy-to-vm": (.copy, true)
        case "qvm-move-to-vm": (.move, true)
        default: nil
        }
    }
}

/// How progress is shown by the sender (`PROGRESS_TYPE` for qfile-agent).
enum ProgressStyle: String, Sendable {
    case console, none, gui
}

/// The parsed command line.
struct Invocation: Sendable {
    var operation: Operation
    var programName: String
    var target: String
    var files: [String]
    var progress: ProgressStyle = .console
    var ignoreSymlinks = false

    /// What parsing the command line produced.
    enum Parsed {
        case run(Invocation)
        case help(String)
        case usageError(String)
    }

    /// Parses `arguments` (without argv[0]) the way Qubes' qvm-copy script does: options first,
    /// `--` ends them, then `[VM] FILE...`. A trailing `/` on a file is dropped.
    static func parse(programName: String, arguments: [String]) -> Parsed {
        guard let (operation, targetFirst) = Operation.from(programName: programName) else {
            return .usageError(tr("Called as \"%s\": cannot tell which operation to perform.", programName))
        }
        var progress = ProgressStyle.console
        var ignoreSymlinks = false
        var rest = arguments[...]
        while let first = rest.first, first.hasPrefix("-"), first != "-" {
            rest = rest.dropFirst()
            if first == "--" { break }
            switch first {
            case "--with-progress": progress = .console
            case "--without-progress": progress = .none
            case "--gui": progress = .gui
            case "--ignore-symlinks": ignoreSymlinks = true
            case "--no-ignore-symlinks": ignoreSymlinks = false
            case "-h", "--help": return .help(usage(programName, operation: operation, targetFirst: targetFirst))
            default:
                return .usageError(
                    tr("Unknown option \"%s\".", first) + "\n" + usage(programName, operation: operation, targetFirst: targetFirst))
            }
        }
        guard rest.count >= (targetFirst ? 2 : 1) else {
            return .usageError(usage(programName, operation: operation, targetFirst: targetFirst))
        }
        let target = targetFirst ? rest.removeFirst() : "@default"
        guard TargetName.isValidTarget(target) else {
            return .usageError(tr("\"%s\" is not a valid VM name.", DisplayText.escaped(target)))
        }
        let files = rest.map(Self.droppingTrailingSlashes)
        return .run(
            Invocation(
                operation: operation, programName: programName, target: target, files: files, progress: progress,
                ignoreSymlinks: ignoreSymlinks))
    }

    /// qfile-agent's arguments: a move has the sender remove what it sent, once it arrived.
    var agentArguments: [String] {
        (ignoreSymlinks ? ["--ignore-symlinks"] : []) + (operation == .move ? ["--remove-sent"] : []) + ["--"] + files
    }

    /// `dir/` and `dir//` name `dir`; `/` stays `/`.
    static func droppingTrailingSlashes(_ path: String) -> String {
        var result = Substring(path)
        while result.count > 1 && result.hasSuffix("/") { result = result.dropLast() }
        return String(result)
    }

    static func usage(_ programName: String, operation: Operation, targetFirst: Bool) -> String {
        var text = targetFirst
            // TRANSLATORS: %s is the program name. OPTIONS, VM and FILE are placeholders: translate them like the help text below.
            ? tr("usage: %s [OPTIONS] VM FILE [FILE...]", programName)
            : tr("usage: %s [OPTIONS] FILE [FILE...]", programName)
        text += "\n\n"
        text += operation == .move
            // TRANSLATORS: FILE as in the usage line; ~/QubesIncoming/ is a real folder name (keep it), [THIS VM'S NAME] a placeholder.
            ? tr("Move FILE to ~/QubesIncoming/[THIS VM'S NAME]/ in the destination VM.")
            : tr("Copy FILE to ~/QubesIncoming/[THIS VM'S NAME]/ in the destination VM.")
        text += "\n"
        if !targetFirst { text += tr("You will be asked to choose the destination VM.") + "\n" }
        text += tr("Folders are copied with everything in them.") + "\n\n"
        text += tr("Options:") + "\n"
        text += "  --with-progress       " + tr("show progress (default)") + "\n"
        text += "  --without-progress    " + tr("do not show progress") + "\n"
        text += "  --ignore-symlinks     " + tr("leave symbolic links out") + "\n"
        text += "  --no-ignore-symlinks  " + tr("send symbolic links (default); unsafe ones stop the copy") + "\n"
        text += "  --gui                 " + tr("report progress for the desktop helper") + "\n"
        text += "  -h, --help            " + tr("show this help")
        return text
    }
}
