/// One line of a qrexec policy file:
/// `SERVICE  +ARG|*  SOURCE  TARGET  allow|deny|ask  [target=VM] [default_target=VM]`.
public struct PolicyRule: Sendable, Equatable {
    /// The service name; nil for `*`.
    public var service: String?
    /// The argument with its leading `+` (`+` alone is the empty argument); nil for `*`.
    public var argument: String?
    public var source: PolicyToken
    public var target: PolicyToken
    public var action: Action
    /// Where the rule was written, for messages.
    public var file: String
    public var line: Int

    public enum Action: Sendable, Equatable {
        case deny
        /// `target=` sends the call elsewhere than the caller asked.
        case allow(redirect: PolicyToken?)
        /// `target=` fixes the one choice offered; `default_target=` preselects one.
        case ask(redirect: PolicyToken?, defaultTarget: PolicyToken?)
    }

    public init(
        service: String?, argument: String?, source: PolicyToken, target: PolicyToken, action: Action,
        file: String = "", line: Int = 0
    ) {
        self.service = service
        self.argument = argument
        self.source = source
        self.target = target
        self.action = action
        self.file = file
        self.line = line
    }

    /// True when the rule covers a call of `service` with `argument` (without `+`) from
    /// `source` to the requested `target`.
    public func matches(service: String, argument: String, source: String, target: PolicyToken) -> Bool {
        if let ruleService = self.service, ruleService != service { return false }
        if let ruleArgument = self.argument, ruleArgument != "+" + argument { return false }
        return self.source.matches(.vm(source)) && self.target.matches(target)
    }

    /// True when the rule applies to `service`, `argument` and `source`, whatever the target.
    public func matches(service: String, argument: String, source: String) -> Bool {
        if let ruleService = self.service, ruleService != service { return false }
        if let ruleArgument = self.argument, ruleArgument != "+" + argument { return false }
        return self.source.matches(.vm(source))
    }

    /// Two rules are the same rule when they say the same, wherever they were written.
    public static func == (left: PolicyRule, right: PolicyRule) -> Bool {
        left.service == right.service && left.argument == right.argument && left.source == right.source
            && left.target == right.target && left.action == right.action
    }
}
