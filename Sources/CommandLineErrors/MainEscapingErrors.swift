import ArgumentParser
import DisplayText
import Glibc
import SystemIO

extension ParsableCommand {
    /// `main()`, except that an error message (which quotes the offending argument as typed)
    /// shows every argument through `DisplayText.escaped` and reaches stderr through
    /// `printError` (which applies `DisplayText.guarded`). Help and version texts are
    /// ours and go to stdout as ArgumentParser prints them.
    public static func mainEscapingErrors(_ arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Glibc.exit(0)
        } catch {
            let code = exitCode(for: error)
            var message = fullMessage(for: error)
            // ArgumentParser quotes the offending argument as typed: show it escaped, so that
            // a newline in it cannot start a line of its own either.
            for argument in arguments ?? Array(CommandLine.arguments.dropFirst())
            where DisplayText.escaped(argument) != argument && !argument.isEmpty {
                message = message.replacing(argument, with: DisplayText.escaped(argument))
            }
            if code == .success {
                if !message.isEmpty { print(message) }
            } else if !message.isEmpty {
                printError(message)
            }
            Glibc.exit(code.rawValue)
        }
    }
}
