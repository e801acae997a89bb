import Foundation
import TestSupport

/// A fresh qrexec-local root with some VMs, made by the real `qrexec-local`, and helpers to run
/// commands as those VMs.
final class LocalVMsFixture: @unchecked Sendable {
    let scratch: TemporaryDirectory
    let root: String
    static let qrexecLocal = Programs.path("qrexec-local")

    /// Creates `vms` and, when given, `policy.d/10-test.policy` with `policy` (the shipped
    /// default stays behind it, in 90-default.policy).
    init(vms: [String], policy: String? = nil) throws {
        scratch = try TemporaryDirectory()
        root = scratch("vms")
        let created = try TestSupport.run([Self.qrexecLocal, "--root", root, "create"] + vms)
        guard created.status == 0 else { throw FixtureError.failed("create: \(created.stderr)") }
        if let policy { try write(policy, to: root + "/policy.d/10-test.policy") }
    }

    func home(_ vm: String) -> String { root + "/" + vm + "/home" }
    func incoming(_ vm: String, from source: String) -> String { home(vm) + "/QubesIncoming/" + source }

    /// Runs `command` as VM `vm` through `qrexec-local run`.
    func run(as vm: String, _ command: [String], stdin: [UInt8] = [], options: [String] = []) throws -> Finished {
        try TestSupport.run([Self.qrexecLocal, "--root", root, "run"] + options + [vm, "--"] + command, stdin: stdin)
    }

    /// Writes a service script `ROOT/VM/rpc/NAME`.
    func addService(_ name: String, in vm: String, script: String) throws {
        let path = root + "/" + vm + "/rpc/" + name
        try write(script, to: path)
        chmod(path, 0o755)
    }

    func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Names of the folders in the root (VMs, policy.d, .bin).
    func rootEntries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root).sorted()
    }
}

enum FixtureError: Error {
    case failed(String)
}
