import Foundation
import Testing
import TestSupport

/// The shipped `/etc/qubes-rpc/qubes.Filecopy` refuses every argument but allow-all-names.
@Suite struct ServiceFileTests {
    static let script = Programs.projectRoot + "/data/qubes-rpc/qubes.Filecopy"

    @Test(arguments: ["bogus", "allow-unsafe-symlinks", "--allow-all-names"])
    func unknownArgumentIsRefused(_ argument: String) throws {
        let byParameter = try run([Self.script, argument], environment: ["PATH": "/usr/bin:/bin"])
        #expect(byParameter.status == 1)
        #expect(byParameter.stderr.contains("only allow-all-names is accepted"))
        let byEnvironment = try run([Self.script], environment: ["PATH": "/usr/bin:/bin", "QREXEC_SERVICE_ARGUMENT": argument])
        #expect(byEnvironment.status == 1)
        #expect(byEnvironment.stderr.contains(argument))
    }

    @Test func policyExampleParses() throws {
        let vms = try LocalVMsFixture(vms: ["work", "personal", "vault"])
        try FileManager.default.copyItem(
            atPath: Programs.projectRoot + "/data/policy/30-intervm.policy", toPath: vms.root + "/policy.d/30-intervm.policy")
        try vms.addService("qubes.Filecopy", in: "personal", script: "#!/bin/sh\necho received\n")
        // The example allows work -> personal outright, through the policy file as shipped.
        let result = try vms.run(as: "work", ["qrexec-client-vm", "@default", "qubes.Filecopy"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(String(decoding: result.stdout, as: UTF8.self) == "received\n")
        let refused = try vms.run(as: "work", ["qrexec-client-vm", "vault", "qubes.Filecopy"])
        #expect(refused.status == 126)
    }
}
