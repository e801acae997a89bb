import QrexecLocal
import Testing

@Suite struct PolicyParserTests {
    struct Valid: Sendable, CustomStringConvertible {
        var line: String
        var expected: PolicyRule
        var description: String { line }
    }

    static let valid: [Valid] = [
        Valid(
            line: "qubes.Filecopy * @anyvm @anyvm ask",
            expected: PolicyRule(
                service: "qubes.Filecopy", argument: nil, source: .anyVM, target: .anyVM,
                action: .ask(redirect: nil, defaultTarget: nil))),
        Valid(
            line: "qubes.OpenInVM\t*\t@anyvm\t@dispvm\tallow",
            expected: PolicyRule(
                service: "qubes.OpenInVM", argument: nil, source: .anyVM, target: .dispVM, action: .allow(redirect: nil))),
        Valid(
            line: "qubes.Filecopy +allow-all-names work @default allow target=personal  # a comment",
            expected: PolicyRule(
                service: "qubes.Filecopy", argument: "+allow-all-names", source: .vm("work"), target: .defaultTarget,
                action: .allow(redirect: .vm("personal")))),
        Valid(
            line: "* * vault @anyvm deny",
            expected: PolicyRule(service: nil, argument: nil, source: .vm("vault"), target: .anyVM, action: .deny)),
        Valid(
            line: "test.Service + work @dispvm:fedora-dvm ask default_target=@dispvm:fedora-dvm",
            expected: PolicyRule(
                service: "test.Service", argument: "+", source: .vm("work"), target: .dispVMTemplate("fedora-dvm"),
                action: .ask(redirect: nil, defaultTarget: .dispVMTemplate("fedora-dvm")))),
        Valid(
            line: "qubes.Filecopy * work @anyvm ask target=personal notify=yes",
            expected: PolicyRule(
                service: "qubes.Filecopy", argument: nil, source: .vm("work"), target: .anyVM,
                action: .ask(redirect: .vm("personal"), defaultTarget: nil))),
    ]

    @Test(arguments: valid)
    func parsesValidLine(_ example: Valid) throws {
        let rules = try PolicyParser.parse("# header\n\n" + example.line + "\n", file: "t.policy")
        #expect(rules == [example.expected])
        #expect(rules.first?.line == 3)
        #expect(rules.first?.file == "t.policy")
    }

    struct Malformed: Sendable, CustomStringConvertible {
        var line: String
        /// A word the message must contain, so the user sees what is wrong.
        var mentions: String
        var description: String { line }
    }

    static let malformed: [Malformed] = [
        Malformed(line: "qubes.Filecopy * @anyvm @anyvm", mentions: "5 fields"),
        Malformed(line: "qubes.Filecopy * @anyvm @anyvm permit", mentions: "permit"),
        Malformed(line: "qubes.Filecopy allow-all-names @anyvm @anyvm allow", mentions: "allow-all-names"),
        Malformed(line: "qubes.File/copy * @anyvm @anyvm allow", mentions: "qubes.File/copy"),
        Malformed(line: "* +arg @anyvm @anyvm allow", mentions: "*"),
        Malformed(line: "qubes.Filecopy * @tag:work @anyvm allow", mentions: "@tag:work"),
        Malformed(line: "qubes.Filecopy * @anyvm @type:AppVM allow", mentions: "@type:AppVM"),
        Malformed(line: "qubes.Filecopy * @anyvm dom0 allow", mentions: "dom0"),
        Malformed(line: "qubes.Filecopy * @default @anyvm allow", mentions: "@default"),
        Malformed(line: "qubes.Filecopy * @anyvm @anyvm allow target=@anyvm", mentions: "@anyvm"),
        Malformed(line: "qubes.Filecopy * @anyvm @anyvm allow default_target=work", mentions: "default_target"),
        Malformed(line: "qubes.Filecopy * @anyvm @anyvm deny target=work", mentions: "target"),
        Malformed(line: "qubes.Filecopy * @anyvm @anyvm ask whatever", mentions: "whatever"),
        Malformed(line: "qubes.Filecopy * 1work @anyvm allow", mentions: "1work"),
        Malformed(line: "qubes.Filecopy * @anyvm @nonsense allow", mentions: "@nonsense"),
        Malformed(line: "!include some/file", mentions: "!include"),
        Malformed(line: "qubes.Filecopy * @anyvm @dispvm:@tag:x allow", mentions: "@dispvm:@tag:x"),
    ]

    @Test(arguments: malformed)
    func refusesMalformedLineWithItsPlace(_ example: Malformed) {
        let text = "qubes.OpenInVM * @anyvm @dispvm allow\n# fine so far\n" + example.line + "\n"
        #expect {
            try PolicyParser.parse(text, file: "/etc/x/30-user.policy")
        } throws: { error in
            guard let error = error as? PolicySyntaxError else { return false }
            return error.file == "/etc/x/30-user.policy" && error.line == 3 && error.message.contains(example.mentions)
                && error.description.hasPrefix("/etc/x/30-user.policy:3: ")
        }
    }
}

@Suite struct PolicyDecisionTests {
    static let vms = ["work", "personal", "vault"]

    func policy(_ text: String) throws -> Policy {
        Policy(rules: try PolicyParser.parse(text, file: "p"))
    }

    func decide(_ policy: Policy, _ source: String, _ target: PolicyToken, argument: String = "", service: String = "qubes.Filecopy")
        -> PolicyDecision
    {
        policy.decide(service: service, argument: argument, source: source, target: target, vms: Self.vms)
    }

    @Test func firstMatchWins() throws {
        let policy = try policy(
            """
            qubes.Filecopy * work personal deny
            qubes.Filecopy * @anyvm @anyvm allow
            """)
        #expect(decide(policy, "work", .vm("personal")).isDeny)
        #expect(decide(policy, "vault", .vm("personal")) == .allow(.vm("personal")))
    }

    @Test func argumentMustMatchExactly() throws {
        let policy = try policy(
            """
            qubes.Filecopy +allow-all-names work personal allow
            qubes.Filecopy * work personal deny
            """)
        #expect(decide(policy, "work", .vm("personal"), argument: "allow-all-names") == .allow(.vm("personal")))
        #expect(decide(policy, "work", .vm("personal")).isDeny)
        #expect(decide(policy, "work", .vm("personal"), argument: "other").isDeny)
    }

    @Test func noRuleDenies() throws {
        let policy = try policy("qubes.OpenInVM * @anyvm @dispvm allow")
        #expect(decide(policy, "work", .vm("personal")).isDeny)
    }

    @Test func redirectAndDefault() throws {
        let policy = try policy(
            """
            qubes.Filecopy * work @default allow target=personal
            qubes.Filecopy * vault @default allow
            """)
        #expect(decide(policy, "work", .defaultTarget) == .allow(.vm("personal")))
        // allow for @default without target= names no VM: refused, as in Qubes.
        #expect(decide(policy, "vault", .defaultTarget).isDeny)
    }

    @Test func askOffersOnlyTargetsThePolicyWouldAllow() throws {
        let policy = try policy(
            """
            qubes.Filecopy * @anyvm vault deny
            qubes.Filecopy * @anyvm @dispvm deny
            qubes.Filecopy * @anyvm @anyvm ask default_target=personal
            """)
        #expect(decide(policy, "work", .defaultTarget) == .ask(choices: [.vm("personal")], preselected: .vm("personal")))
        #expect(decide(policy, "work", .vm("vault")).isDeny)
    }

    @Test func anyVMCoversDispVMRequests() throws {
        let policy = try policy("qubes.OpenInVM * @anyvm @anyvm allow")
        #expect(decide(policy, "work", .dispVM, service: "qubes.OpenInVM") == .allow(.dispVM))
    }
}

extension PolicyDecision {
    var isDeny: Bool {
        if case .deny = self { return true }
        return false
    }
}
