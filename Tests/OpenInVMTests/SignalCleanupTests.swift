import Foundation
import Testing
import TestSupport

/// A service stopped by a signal while the application runs still removes its private folder.
@Suite struct SignalCleanupTests {
    static let openers = [
        // The opener itself is still running (the service waits for it to exit).
        #"printf x > "$EDITOR_LOG"; sleep 3; :"#,
        // The opener returned; a background process keeps the file in use.
        #"sh -c 'sleep 3; :' sh "$1" > /dev/null 2>&1 & printf x > "$EDITOR_LOG""#,
    ]

    @Test(arguments: openers)
    func terminatedServiceLeavesNothing(opener: String) throws {
        let scripts = try TemporaryDirectory()
        let tmp = try TemporaryDirectory()
        let script = scripts("opener.sh")
        try ("#!/bin/sh\n" + opener + "\n").write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let log = scripts("opened")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Fixture.service)
        process.environment = Fixture.environment(["TMPDIR": tmp.path, "INTERVM_OPENER": script, "EDITOR_LOG": log])
        let input = Pipe()
        process.standardInput = input.fileHandleForReading
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        try input.fileHandleForReading.close()
        let request = Array("report.txt".utf8) + [UInt8](repeating: 0, count: 246) + Fixture.original
        try input.fileHandleForWriting.write(contentsOf: Data(request))
        try input.fileHandleForWriting.close()

        var waited = 0
        while Fixture.bytes(log) == nil && waited < 100 {
            usleep(50_000)
            waited += 1
        }
        #expect(Fixture.bytes(log) != nil, "the opener never ran")
        #expect(Fixture.contents(of: tmp.path).count == 1, "the private folder exists while the application runs")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(Fixture.contents(of: tmp.path) == [])
    }
}
