/// The environment qrexec gives a service: who called, and which service with which argument.
public struct ServiceEnvironment: Sendable, Equatable {
    /// The calling VM (`QREXEC_REMOTE_DOMAIN`).
    public var remoteDomain: String
    public var service: String
    /// The argument after `+`, empty when none (`QREXEC_SERVICE_ARGUMENT`).
    public var argument: String

    public init(remoteDomain: String, service: String, argument: String) {
        self.remoteDomain = remoteDomain
        self.service = service
        self.argument = argument
    }

    /// `SERVICE+ARG`, or `SERVICE` without an argument (`QREXEC_SERVICE_FULL_NAME`).
    public var fullName: String { argument.isEmpty ? service : service + "+" + argument }

    /// The variables as "NAME=value".
    public var variables: [String] {
        [
            "QREXEC_REMOTE_DOMAIN=" + remoteDomain,
            "QREXEC_SERVICE_FULL_NAME=" + fullName,
            "QREXEC_SERVICE_ARGUMENT=" + argument,
        ]
    }

    /// Splits `SERVICE[+ARG]`; nil when either part has characters qrexec refuses
    /// (letters, digits and `_.-` only; the service name must not be empty).
    public static func splitCall(_ call: String) -> (service: String, argument: String)? {
        let parts = call.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)
        let service = String(parts[0])
        let argument = parts.count > 1 ? String(parts[1]) : ""
        guard !service.isEmpty, service.utf8.count + argument.utf8.count < 64,
            service.utf8.allSatisfy(PolicyParser.isNameByte), argument.utf8.allSatisfy(PolicyParser.isNameByte)
        else { return nil }
        return (service, argument)
    }
}
