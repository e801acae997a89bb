import Qrexec
import Testing

@Suite struct TargetNameTests {
    static let validNames = ["work", "a", "Personal-2", "fedora-40-dvm", "sys.net", "x_y", String(repeating: "v", count: 31)]
    static let invalidNames = [
        "", "1work", "-work", "_work", ".work", "work/x", "wörk", "work vm", "work\n", "@anyvm", "../work",
        String(repeating: "v", count: 32), "work:x", "work+x",
    ]

    @Test(arguments: validNames)
    func acceptsVMName(_ name: String) {
        #expect(TargetName.isValidVMName(name))
        #expect(TargetName.isValidTarget(name))
    }

    @Test(arguments: invalidNames)
    func refusesVMName(_ name: String) {
        #expect(!TargetName.isValidVMName(name))
        #expect(!TargetName.isValidTarget(name))
    }

    @Test(arguments: ["@default", "@dispvm", "@dispvm:fedora-dvm"])
    func acceptsKeywordTargets(_ target: String) {
        #expect(TargetName.isValidTarget(target))
        #expect(!TargetName.isValidVMName(target))
    }

    @Test(arguments: ["@anyvm", "@dispvm:", "@dispvm:1x", "@dispvm:@tag:x", "@tag:work", "@adminvm", "@Default"])
    func refusesOtherKeywords(_ target: String) {
        #expect(!TargetName.isValidTarget(target))
    }
}
