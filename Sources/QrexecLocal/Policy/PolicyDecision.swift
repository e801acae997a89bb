import Localization

/// What the policy says about one call.
public enum PolicyDecision: Sendable, Equatable {
    /// Refused; `reason` is a sentence for the caller's stderr.
    case deny(reason: String)
    /// Allowed to this target (a VM name, `@dispvm` or `@dispvm:NAME`).
    case allow(PolicyToken)
    /// The user must pick one of `choices` (in the order listed); `preselected` if any.
    case ask(choices: [PolicyToken], preselected: PolicyToken?)
}

/// A policy: the rules of every file, in order; the first matching rule decides.
public struct Policy: Sendable, Equatable {
    public var rules: [PolicyRule]

    public init(rules: [PolicyRule]) { self.rules = rules }

    /// The first rule covering the call, if any.
    public func firstMatch(service: String, argument: String, source: String, target: PolicyToken) -> PolicyRule? {
        rules.first { $0.matches(service: service, argument: argument, source: source, target: target) }
    }

    /// Decides a call of `service`+`argument` from `source` to the requested `target` (a VM name,
    /// `@default`, `@dispvm` or `@dispvm:NAME`), where `vms` are the VMs that exist.
    public func decide(
        service: String, argument: String, source: String, target: PolicyToken, vms: [String]
    ) -> PolicyDecision {
        let call = argument.isEmpty ? service : service + "+" + argument
        guard let rule = firstMatch(service: service, argument: argument, source: source, target: target) else {
            // TRANSLATORS: the qrexec call (service name, e.g. qubes.Filecopy), the calling VM, the target VM.
            return .deny(reason: tr("No policy rule allows %s from %s to %s.", call, source, target.description))
        }
        let place = "\(rule.file):\(rule.line)"
        switch rule.action {
        case .deny:
            // TRANSLATORS: call, calling VM, target VM, then the policy file and line of the rule (FILE:LINE).
            return .deny(reason: tr("The policy denies %s from %s to %s (%s).", call, source, target.description, place))
        case .allow(let redirect):
            let resolved = redirect ?? target
            if resolved == .defaultTarget {
                // TRANSLATORS: "@default" and "target=" are policy syntax: keep them. Last %s: FILE:LINE of the rule.
                return .deny(reason: tr("The policy allows %s to @default without naming a target= (%s).", call, place))
            }
            return .allow(resolved)
        case .ask(let redirect, let defaultTarget):
            if let redirect { return .ask(choices: [redirect], preselected: redirect) }
            let choices = askChoices(service: service, argument: argument, source: source, vms: vms)
            if choices.isEmpty {
                return .deny(reason: tr("The policy asks about %s from %s, but allows no target (%s).", call, source, place))
            }
            let wanted = target == .defaultTarget ? defaultTarget : target
            return .ask(choices: choices, preselected: wanted.flatMap { choices.contains($0) ? $0 : nil })
        }
    }

    /// The targets a user may pick when asked: every other VM, then `@dispvm`, for which the
    /// policy itself would allow or ask.
    func askChoices(service: String, argument: String, source: String, vms: [String]) -> [PolicyToken] {
        let candidates = vms.filter { $0 != source }.map(PolicyToken.vm) + [.dispVM]
        return candidates.filter { candidate in
            guard let rule = firstMatch(service: service, argument: argument, source: source, target: candidate) else {
                return false
            }
            if case .deny = rule.action { return false }
            return true
        }
    }
}
