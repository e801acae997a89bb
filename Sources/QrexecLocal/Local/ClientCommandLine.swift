import DisplayText
import Localization

/// The command line Qubes' `qrexec-client-vm` takes:
/// `[--filter-escape-chars-stderr] [--] TARGET SERVICE[+ARG] [LOCAL_PROGRAM [ARGS...]]`.
public enum ClientCommandLine {
    public static var usage: String {
        tr("usage: qrexec-client-vm [--filter-escape-chars-stderr] [--] TARGET SERVICE[+ARG] [LOCAL_PROGRAM [ARGS...]]")
    }

    /// The request in `arguments` (without argv[0]); nil with a message when they make no sense.
    public static func parse(_ arguments: [String]) -> Result<LocalCall.Request, CommandLineError> {
        var filterStderr = false
        var rest = arguments[...]
        while let first = rest.first, first.hasPrefix("-") {
            rest = rest.dropFirst()
            switch first {
            case "--": break
            case "--filter-escape-chars-stderr": filterStderr = true; continue
            case "--no-filter-escape-chars-stderr": filterStderr = false; continue
            // Our service output is never a terminal of its own, so these change nothing.
            case "--filter-escape-chars-stdout", "--no-filter-escape-chars-stdout": continue
            default: return .failure(CommandLineError(message: tr("Unknown option \"%s\".", DisplayText.escaped(first))))
            }
            break
        }
        guard rest.count >= 2 else { return .failure(CommandLineError(message: usage)) }
        let target = rest.removeFirst()
        let call = rest.removeFirst()
        if let program = rest.first, !program.hasPrefix("/") {
            return .failure(CommandLineError(message: tr("The local program must be an absolute path: \"%s\".", DisplayText.escaped(program))))
        }
        return .success(LocalCall.Request(target: target, call: call, localCommand: Array(rest), filterStderr: filterStderr))
    }
}

public struct CommandLineError: Error, Equatable, Sendable {
    public var message: String
}
