import Foundation
import Testing
import TestSupport

/// qvm-open-in-vm and its other name qvm-open-in-dvm, with a shell stand-in for
/// qrexec-client-vm on PATH (Qubes' own is not here): one that records its arguments and
/// refuses, and one that joins the local program to vm-file-editor through two FIFOs.
@Suite struct FrontEndTests {
    static let refusingClient = #"""
        #!/bin/sh
        printf '%s\n' "$@" > "$STUB_LOG"
        exit 126
        """#

    /// qrexec-client-vm --filter-escape-chars-stderr -- TARGET SERVICE LOCAL_PROGRAM ARGS...
    static let joiningClient = #"""
        #!/bin/sh
        printf '%s\n' "$@" > "$STUB_LOG"
        shift 4
        d=$(mktemp -d)
        mkfifo "$d/to-service" "$d/to-client"
        "$SERVICE_PROGRAM" < "$d/to-service" > "$d/to-client" &
        service=$!
        # In the background, so the FIFOs are opened by the child only and this shell holds no end.
        "$@" > "$d/to-service" < "$d/to-client" &
        wait $!
        status=$?
        wait $service
        rm -r "$d"
        exit $status
        """#

    struct Setup {
        let folder: TemporaryDirectory
        let bin: String
        let tmp: String
        let log: String
        let environment: [String: String]
        /// The front end under the name `name` (a symlink to the built program).
        func program(_ name: String) -> String { bin + "/" + name }
    }

    func setUp(client: String, editor: String = "append") throws -> Setup {
        let folder = try TemporaryDirectory()
        let bin = folder("bin")
        let tmp = folder("tmp")
        mkdir(bin, 0o755)
        mkdir(tmp, 0o700)
        try client.write(toFile: bin + "/qrexec-client-vm", atomically: true, encoding: .utf8)
        chmod(bin + "/qrexec-client-vm", 0o755)
        for name in ["qvm-open-in-vm", "qvm-open-in-dvm"] {
            try FileManager.default.createSymbolicLink(atPath: bin + "/" + name, withDestinationPath: Fixture.frontEnd)
        }
        let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let environment = Fixture.environment([
            "PATH": path, "TMPDIR": tmp, "STUB_LOG": folder("client-arguments"),
            "SERVICE_PROGRAM": Fixture.service, "INTERVM_OPENER": try Fixture.editor(editor, in: folder),
        ])
        return Setup(folder: folder, bin: bin, tmp: tmp, log: folder("client-arguments"), environment: environment)
    }

    func loggedArguments(_ setup: Setup) -> [String] {
        let text = String(decoding: Fixture.bytes(setup.log) ?? [], as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test func disposableEditEndToEnd() throws {
        let setup = try setUp(client: Self.joiningClient)
        let file = setup.folder("report.txt")
        Fixture.write(Fixture.original, to: file, mode: 0o600)
        let result = try run(
            [setup.program("qvm-open-in-dvm"), "report.txt"], environment: setup.environment,
            currentDirectory: setup.folder.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Fixture.bytes(file) == Fixture.appended)
        #expect(Fixture.status(file).st_mode & 0o7777 == 0o600)
        #expect(Fixture.contents(of: setup.tmp) == [])
        let realFile = URL(fileURLWithPath: file).resolvingSymlinksInPath().path
        let arguments = loggedArguments(setup)
        #expect(arguments.count == 7)
        #expect(Array(arguments.prefix(4)) == ["--filter-escape-chars-stderr", "--", "@dispvm", "qubes.OpenInVM"])
        #expect(arguments.count == 7 && arguments[4].hasSuffix("/qopen-in-vm"))
        #expect(Array(arguments.suffix(2)) == ["--", realFile] || Array(arguments.suffix(2)) == ["--", file])
    }

    @Test func viewOnlyInNamedVMSendsFlagAndTarget() throws {
        let setup = try setUp(client: Self.joiningClient)
        let file = setup.folder("report.txt")
        Fixture.write(Fixture.original, to: file)
        let result = try run(
            [setup.program("qvm-open-in-vm"), "--view-only", "work-vm", file], environment: setup.environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Fixture.bytes(file) == Fixture.original)
        let arguments = loggedArguments(setup)
        #expect(arguments.count == 8)
        #expect(arguments.count == 8 && arguments[2] == "work-vm")
        #expect(Array(arguments.suffix(3)) == ["--view-only", "--", file])
    }

    @Test func refusedCallIsExplained() throws {
        let setup = try setUp(client: Self.refusingClient)
        let file = setup.folder("report.txt")
        Fixture.write(Fixture.original, to: file)
        let result = try run([setup.program("qvm-open-in-dvm"), file], environment: setup.environment)
        #expect(result.status == 126)
        #expect(result.stderr.contains("refused"))
        #expect(Fixture.bytes(file) == Fixture.original)
    }

    @Test func folderIsRefused() throws {
        let setup = try setUp(client: Self.refusingClient)
        let result = try run([setup.program("qvm-open-in-dvm"), setup.folder.path], environment: setup.environment)
        #expect(result.status == 1)
        #expect(result.stderr.contains("is a folder"))
        #expect(Fixture.bytes(setup.log) == nil, "qrexec-client-vm must not be called")
    }

    static let badCalls: [[String]] = [
        ["qvm-open-in-vm", "1bad-name", "FILE"],
        ["qvm-open-in-vm", "FILE"],
        ["qvm-open-in-vm", "vm", "FILE", "FILE"],
        ["qvm-open-in-dvm", "FILE", "FILE"],
        ["qvm-open-in-dvm"],
        ["qvm-open-in-dvm", "MISSING"],
    ]

    @Test(arguments: badCalls)
    func badCallsAreRefusedWithoutCallingQrexec(call: [String]) throws {
        let setup = try setUp(client: Self.refusingClient)
        let file = setup.folder("report.txt")
        Fixture.write(Fixture.original, to: file)
        let arguments = call.map { $0 == "FILE" ? file : $0 == "MISSING" ? setup.folder("missing.txt") : $0 }
        let result = try run([setup.program(arguments[0])] + arguments.dropFirst(), environment: setup.environment)
        #expect(result.status != 0)
        #expect(!result.stderr.isEmpty)
        #expect(result.stderr.split(separator: "\n").count == 1, "one clear line: \(result.stderr)")
        #expect(Fixture.bytes(setup.log) == nil, "qrexec-client-vm must not be called")
    }
}
