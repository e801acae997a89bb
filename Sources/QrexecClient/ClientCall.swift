import Localization
import SystemIO

/// One call of `qrexec-client-vm`, built exactly as Qubes' own front ends build it:
/// `qrexec-client-vm --filter-escape-chars-stderr -- TARGET SERVICE[+ARG] /abs/LOCAL_PROGRAM ARGS...`.
public struct ClientCall: Sendable, Equatable {
    public var target: String
    /// The service with its argument, e.g. `qubes.Filecopy+allow-all-names`.
    public var service: String
    /// Absolute path of the local program joined to the remote service.
    public var localProgram: String
    public var localArguments: [String]

    public init(target: String, service: String, localProgram: String, localArguments: [String]) {
        self.target = target
        self.service = service
        self.localProgram = localProgram
        self.localArguments = localArguments
    }

    /// The program name found on PATH: Qubes installs it there, and so does `qrexec-local`.
    public static let clientName = "qrexec-client-vm"

    public var arguments: [String] {
        [Self.clientName, "--filter-escape-chars-stderr", "--", target, service, localProgram] + localArguments
    }

    /// Runs the call and waits for it; throws `ClientCallError` when the client is missing.
    public func run() throws -> ExitStatus {
        guard let client = ProgramLocation.onPath(Self.clientName) else { throw ClientCallError.clientMissing }
        return try Spawn.run(client, arguments: arguments)
    }

    /// Runs the call with its stderr collected instead of shown; returns the status and the text.
    public func runCapturingErrors() throws -> (ExitStatus, String) {
        guard let client = ProgramLocation.onPath(Self.clientName) else { throw ClientCallError.clientMissing }
        let errors = try ScratchFile()
        let pid = try Spawn.start(client, arguments: arguments, redirect: [(errors.fd, 2)])
        let status = try Spawn.wait(pid)
        return (status, errors.contents())
    }

    /// `explanation(of:target:service:)` for this call.
    public func explanation(of status: ExitStatus) -> String? {
        Self.explanation(of: status, target: target, service: service)
    }

    /// A sentence for qrexec's own exit statuses (126 refused, 127 no such service, 125
    /// failed), nil for others, which belong to the service or the local program.
    public static func explanation(of status: ExitStatus, target: String, service: String) -> String? {
        switch status {
        case .exited(126):
            return tr("The request to \"%s\" was refused: the qrexec policy does not allow it.", target)
        case .exited(127):
            // TRANSLATORS: the first %s is a VM, the second a qrexec service name (literal).
            return tr("\"%s\" does not offer the service %s: InterVM Copy (or Qubes' own tools) is not installed there.",
                target, service.split(separator: "+").first.map(String.init) ?? service)
        case .exited(125):
            return tr("Could not connect to \"%s\": the VM may not exist or failed to start.", target)
        case .signalled:
            return tr("The transfer was interrupted.")
        default:
            return nil
        }
    }
}

public enum ClientCallError: Error, CustomStringConvertible {
    case clientMissing

    public var description: String {
        switch self {
        case .clientMissing:
            tr("qrexec-client-vm was not found on PATH: run this inside a Qubes VM or under qrexec-local.")
        }
    }
}
