import Glibc

/// The environment qrexec gives a service: who called, and which service with which argument.
/// Read by the services (`processRemoteDomain`, ...) and written by the local stand-in
/// (`variables`), so the names of the variables live here only.
public struct ServiceEnvironment: Sendable, Equatable {
    /// The calling VM (`QREXEC_REMOTE_DOMAIN`), untrusted until checked with `TargetName`.
    public var remoteDomain: String
    public var service: String
    /// The argument after `+`, empty when none (`QREXEC_SERVICE_ARGUMENT`).
    public var argument: String

    public init(remoteDomain: String, service: String, argument: String) {
        self.remoteDomain = remoteDomain
        self.service = service
        self.argument = argument
    }

    static let remoteDomainVariable = "QREXEC_REMOTE_DOMAIN"
    static let fullNameVariable = "QREXEC_SERVICE_FULL_NAME"
    static let argumentVariable = "QREXEC_SERVICE_ARGUMENT"

    /// What qrexec gave this process, each nil when unset: the calling VM (untrusted until
    /// checked with `TargetName`), the service's argument, and the full name of the service this
    /// process (or the program that started it) runs under.
    public static var processRemoteDomain: String? { processVariable(remoteDomainVariable) }
    public static var processArgument: String? { processVariable(argumentVariable) }
    public static var processFullName: String? { processVariable(fullNameVariable) }

    private static func processVariable(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    /// `SERVICE+ARG`, or `SERVICE` without an argument (`QREXEC_SERVICE_FULL_NAME`).
    public var fullName: String { argument.isEmpty ? service : service + "+" + argument }

    /// The variables as "NAME=value".
    public var variables: [String] {
        [
            Self.remoteDomainVariable + "=" + remoteDomain,
            Self.fullNameVariable + "=" + fullName,
            Self.argumentVariable + "=" + argument,
        ]
    }

    /// Splits `SERVICE[+ARG]`; nil when either part has characters qrexec refuses
    /// (letters, digits and `_.-` only; the service name must not be empty).
    public static func splitCall(_ call: String) -> (service: String, argument: String)? {
        let parts = call.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)
        let service = String(parts[0])
        let argument = parts.count > 1 ? String(parts[1]) : ""
        guard !service.isEmpty, service.utf8.count + argument.utf8.count < 64,
            service.utf8.allSatisfy(isNameByte), argument.utf8.allSatisfy(isNameByte)
        else { return nil }
        return (service, argument)
    }

    /// Letters, digits and `_.-` as Qubes allows in service names and arguments (no `+`).
    public static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
    }
}
