import Qrexec

/// A VM or `@keyword` in a policy rule or a call's target, as Qubes policy v5 spells them.
/// `@tag:`, `@type:`, `@adminvm` and `@dispvm:@tag:` have no meaning for local VMs and are
/// refused by the parser.
public enum PolicyToken: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// A VM by name.
    case vm(String)
    /// `@anyvm`: every VM (source or target), including `@default` and `@dispvm` requests.
    case anyVM
    /// `@default`: the caller named no target and leaves the choice to the policy.
    case defaultTarget
    /// `@dispvm`: a new disposable VM.
    case dispVM
    /// `@dispvm:NAME`: a new disposable VM based on NAME.
    case dispVMTemplate(String)

    public var description: String {
        switch self {
        case .vm(let name): name
        case .anyVM: "@anyvm"
        case .defaultTarget: "@default"
        case .dispVM: "@dispvm"
        case .dispVMTemplate(let name): "@dispvm:" + name
        }
    }

    /// Where a token stands; each place accepts a subset, as in Qubes.
    public enum Place: Sendable {
        case source, target, redirect, request
    }

    /// Parses `text` for `place`; the error is a sentence saying what is wrong.
    public static func parse(_ text: String, as place: Place) -> Result<PolicyToken, PolicyTokenError> {
        let token: PolicyToken
        if text == "@anyvm" {
            token = .anyVM
        } else if text == "@default" {
            token = .defaultTarget
        } else if text == "@dispvm" {
            token = .dispVM
        } else if text.hasPrefix("@dispvm:@") {
            return .failure(.unsupported(text))
        } else if text.hasPrefix("@dispvm:") {
            let name = String(text.dropFirst("@dispvm:".count))
            guard TargetName.isValidVMName(name) else { return .failure(.invalid(text)) }
            token = .dispVMTemplate(name)
        } else if text.hasPrefix("@tag:") || text.hasPrefix("@type:") || text == "@adminvm" || text == "dom0" {
            return .failure(.unsupported(text))
        } else if text.hasPrefix("@") {
            return .failure(.invalid(text))
        } else {
            guard TargetName.isValidVMName(text) else { return .failure(.invalid(text)) }
            token = .vm(text)
        }
        guard token.isAllowed(in: place) else { return .failure(.misplaced(text)) }
        return .success(token)
    }

    private func isAllowed(in place: Place) -> Bool {
        switch (self, place) {
        case (.vm, _): true
        case (.anyVM, .source), (.anyVM, .target): true
        case (.defaultTarget, .target), (.defaultTarget, .request): true
        case (.dispVM, .target), (.dispVM, .redirect), (.dispVM, .request): true
        case (.dispVMTemplate, .target), (.dispVMTemplate, .redirect), (.dispVMTemplate, .request): true
        default: false
        }
    }

    /// True when this rule column (source or target) covers `other`, a VM name or a requested keyword.
    public func matches(_ other: PolicyToken) -> Bool {
        switch self {
        case .anyVM: true
        default: self == other
        }
    }
}

/// Why a token was refused.
public enum PolicyTokenError: Error, Equatable, Sendable {
    case invalid(String)
    case unsupported(String)
    case misplaced(String)
}
