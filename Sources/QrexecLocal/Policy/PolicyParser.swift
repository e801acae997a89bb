import DisplayText
import Qrexec
import Localization

/// A policy line that cannot be understood: the file, the line number and what is wrong.
public struct PolicySyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public var description: String { "\(file):\(line): \(message)" }
}

/// Reads Qubes policy v5 text (the subset that makes sense for local VMs).
public enum PolicyParser {
    /// Parses the rules in `text`, read from `file`; one bad line fails the whole file,
    /// so a half-understood policy never runs anything.
    public static func parse(_ text: String, file: String) throws(PolicySyntaxError) -> [PolicyRule] {
        var rules: [PolicyRule] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let content = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            if fields.isEmpty { continue }
            do {
                rules.append(try parseRule(fields, file: file, line: lineNumber))
            } catch let message {
                throw PolicySyntaxError(file: file, line: lineNumber, message: message.text)
            }
        }
        return rules
    }

    /// A message for the caller of `parseRule` to place at a line.
    struct LineError: Error {
        var text: String
    }

    static func parseRule(_ fields: [String], file: String, line: Int) throws(LineError) -> PolicyRule {
        if fields[0].hasPrefix("!") {
            throw LineError(text: tr("\"%s\" directives are not supported by the local qrexec.", DisplayText.escaped(fields[0])))
        }
        guard fields.count >= 5 else {
            // TRANSLATORS: the capitalised words name the policy columns: keep them in English.
            throw LineError(text: tr("A rule needs at least 5 fields: SERVICE ARGUMENT SOURCE TARGET ACTION."))
        }
        let service = try parseService(fields[0])
        let argument = try parseArgument(fields[1], service: service)
        let source = try parseToken(fields[2], as: .source)
        let target = try parseToken(fields[3], as: .target)
        let action = try parseAction(fields[4], parameters: fields[5...])
        return PolicyRule(
            service: service, argument: argument, source: source, target: target, action: action, file: file,
            line: line)
    }

    private static func parseService(_ text: String) throws(LineError) -> String? {
        if text == "*" { return nil }
        guard text.utf8.allSatisfy({ ServiceEnvironment.isNameByte($0) }) else {
            throw LineError(text: tr("Invalid service name \"%s\".", DisplayText.escaped(text)))
        }
        return text
    }

    private static func parseArgument(_ text: String, service: String?) throws(LineError) -> String? {
        if text == "*" { return nil }
        guard text.hasPrefix("+") else {
            throw LineError(text: tr("The argument \"%s\" must be * or start with +.", DisplayText.escaped(text)))
        }
        guard text.utf8.dropFirst().allSatisfy({ ServiceEnvironment.isNameByte($0) }) else {
            throw LineError(text: tr("Invalid argument \"%s\".", DisplayText.escaped(text)))
        }
        guard service != nil else {
            throw LineError(text: tr("A rule for any service (*) must take any argument (*)."))
        }
        return text
    }

    private static func parseToken(_ text: String, as place: PolicyToken.Place) throws(LineError) -> PolicyToken {
        switch PolicyToken.parse(text, as: place) {
        case .success(let token): return token
        case .failure(.unsupported(let value)):
            throw LineError(text: tr("\"%s\" is not supported by the local qrexec.", DisplayText.escaped(value)))
        case .failure(.misplaced(let value)):
            throw LineError(text: tr("\"%s\" cannot be used in this column.", DisplayText.escaped(value)))
        case .failure(.invalid(let value)):
            throw LineError(text: tr("\"%s\" is not a valid VM name or keyword.", DisplayText.escaped(value)))
        }
    }

    private static func parseAction(_ text: String, parameters: ArraySlice<String>) throws(LineError) -> PolicyRule.Action {
        var redirect: PolicyToken?
        var defaultTarget: PolicyToken?
        for parameter in parameters {
            guard let equals = parameter.firstIndex(of: "=") else {
                throw LineError(text: tr("Invalid action parameter \"%s\" (expected NAME=VALUE).", DisplayText.escaped(parameter)))
            }
            let name = String(parameter[..<equals])
            let value = String(parameter[parameter.index(after: equals)...])
            switch name {
            case "target" where text != "deny":
                redirect = try parseToken(value, as: .redirect)
            case "default_target" where text == "ask":
                defaultTarget = try parseToken(value, as: .redirect)
            case "notify", "user", "autostart":
                continue  // meaningful only on Qubes; accepted so Qubes policies load
            default:
                throw LineError(text: tr("The parameter \"%s\" is not valid for the action \"%s\".", DisplayText.escaped(name), DisplayText.escaped(text)))
            }
        }
        switch text {
        case "allow": return .allow(redirect: redirect)
        case "deny": return .deny
        case "ask": return .ask(redirect: redirect, defaultTarget: defaultTarget)
        // TRANSLATORS: allow, deny and ask are policy keywords: keep them in English.
        default: throw LineError(text: tr("Unknown action \"%s\" (expected allow, deny or ask).", DisplayText.escaped(text)))
        }
    }
}
