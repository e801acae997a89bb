import Foundation
import Testing
import TestSupport

/// strace (Debian package strace) counts the receiver's system calls.
private let straceIsAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/strace")

/// `--on-conflict rename` must not try every taken alternative again for each record: the
/// next free alternative of a name is remembered within a transfer. Counted, not timed: the
/// receiver runs under strace, which records every link and rename it attempts.
@Suite("Receiver: renaming on conflict stays linear", .enabled(if: straceIsAvailable, "needs strace"))
struct ConflictRenameCostTests {
    static let strace = "/usr/bin/strace"

    /// The receiver's link and rename system calls (successful or not) for `wire`.
    static func publishingCalls(_ wire: [UInt8]) throws -> Int {
        let fixture = try HostileFixture(ReceiverSetup())
        let log = fixture.root("strace.log")
        let traced = [strace, "-f", "-qq", "-o", log, "-e", "trace=linkat,renameat2,renameat,rename,link"]
            + fixture.receiverArguments(["--on-conflict", "rename"])
        let received = Received(try run(traced, stdin: wire, environment: fixture.receiverEnvironment))
        expectAnswer(received, wire: wire, codes: [0], lastName: nil)
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        return lines.filter { $0.contains("link") || $0.contains("rename") }.count
    }

    /// Issue 14 item 8: 999 files of one name cost at most three times the link attempts of
    /// 999 files of distinct names (each record tries its own name, then the remembered next
    /// alternative), where the receiver used to try `x (1)`, `x (2)`, ... again every time.
    @Test func sameNameRecordsCostAboutAsMuchAsDistinctOnes() throws {
        let same = stream { builder in
            for _ in 0..<999 { builder.file("report.pdf", "x") }
        }
        let distinct = stream { builder in
            for index in 0..<999 { builder.file("report \(index).pdf", "x") }
        }
        let sameCalls = try Self.publishingCalls(same)
        let distinctCalls = try Self.publishingCalls(distinct)
        #expect(distinctCalls >= 999, "strace saw \(distinctCalls) calls")
        #expect(sameCalls <= 3 * distinctCalls, "same name: \(sameCalls) link attempts, distinct: \(distinctCalls)")
    }
}
