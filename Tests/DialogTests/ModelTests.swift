import Dialogs
import Foundation
import Testing
import TestSupport

@Suite struct ProgressLineTests {
    @Test(arguments: [
        ("0", ProgressLine.bytes(0)),
        ("12345", .bytes(12345)),
        ("12345\r", .bytes(12345)),
        ("18446744073709551615", .bytes(UInt64.max)),
        ("name Documents/report.pdf", .name("Documents/report.pdf")),
        ("name a b", .name("a b")),
        ("name tab\there", .name("tab?here")),
    ] as [(String, ProgressLine)])
    func understood(line: String, expected: ProgressLine) {
        #expect(ProgressLine.parse(Array(line.utf8)) == expected)
    }

    @Test(arguments: ["", "18446744073709551616", "99999999999999999999999", "-1", "+1", "1.5", " 1", "12 ", "name ", "name", "Name x", "done"])
    func ignored(line: String) {
        #expect(ProgressLine.parse(Array(line.utf8)) == nil)
    }

    @Test func invalidUTF8InANameIsReplaced() {
        #expect(ProgressLine.parse(Array("name a".utf8) + [0xFF]) == .name("a\u{FFFD}"))
    }
}

@Suite struct TransferMeterTests {
    @Test func rateAndTimeLeftFromSamples() throws {
        var meter = TransferMeter(total: 10_000)
        meter.record(bytes: 0, at: 100)
        #expect(meter.bytesPerSecond == nil)
        meter.record(bytes: 1_000, at: 101)
        meter.record(bytes: 2_000, at: 102)
        #expect(meter.bytesPerSecond == 1_000)
        #expect(meter.secondsLeft == 8)
        #expect(meter.fraction == 0.2)
    }

    @Test func rateFollowsTheLatestWindow() throws {
        var meter = TransferMeter(total: nil)
        for second in 0...10 { meter.record(bytes: UInt64(second) * 100, at: Double(second)) }
        for second in 11...20 { meter.record(bytes: 1_000 + UInt64(second - 10) * 1_000, at: Double(second)) }
        #expect(meter.bytesPerSecond == 1_000)
        #expect(meter.secondsLeft == nil)
        #expect(meter.fraction == nil)
    }

    @Test func countsGoingBackAreIgnored() {
        var meter = TransferMeter(total: 100)
        meter.record(bytes: 50, at: 0)
        meter.record(bytes: 10, at: 1)
        #expect(meter.done == 50)
    }

    @Test func emptyTransferIsComplete() {
        #expect(TransferMeter(total: 0).fraction == 1)
    }
}

@Suite struct ProgressTextTests {
    @Test(arguments: [
        (0.2, "About 1 second left"), (1, "About 1 second left"), (41.5, "About 42 seconds left"),
        (60, "About 1 minute left"), (61, "About 2 minutes left"), (3600, "About 1 hour left"), (7300, "About 3 hours left"),
    ])
    func timeLeft(seconds: Double, expected: String) {
        #expect(ProgressText.timeLeft(seconds) == expected)
    }

    @Test func statusShowsAmountRateAndTimeLeft() {
        var meter = TransferMeter(total: 10_000_000)
        meter.record(bytes: 0, at: 0)
        meter.record(bytes: 2_000_000, at: 1)
        #expect(ProgressText.status(meter) == "2.0\u{A0}MB of 10.0\u{A0}MB — 2.0\u{A0}MB/s — About 4 seconds left")
        #expect(ProgressText.amount(done: 1_500, total: nil) == "1.5\u{A0}kB")  // GLib puts a no-break space before the unit
    }
}

@Suite struct RecentTargetsTests {
    @Test func recordPutsNewestFirstOnceAndKeepsTen() throws {
        let folder = try TemporaryDirectory()
        let recent = RecentTargets(path: folder.path + "/state/intervm/recent-targets")
        #expect(recent.load().isEmpty)
        for index in 0..<12 { try recent.record("vm\(index)") }
        try recent.record("vm5")
        let expected = ["vm5", "vm11", "vm10", "vm9", "vm8", "vm7", "vm6", "vm4", "vm3", "vm2"]
        #expect(recent.load() == expected)
        let file = try String(contentsOfFile: recent.path, encoding: .utf8)
        #expect(file == expected.map { $0 + "\n" }.joined())
    }

    @Test func invalidAndRepeatedLinesAreDropped() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path + "/recent-targets"
        try "work\n\n../etc\n work \n@dispvm\nbad name\n@dispvm:fedora-40-dvm\n@anyvm\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(RecentTargets(path: path).load() == ["work", "@dispvm", "@dispvm:fedora-40-dvm"])
    }

    @Test func unwritableFolderIsAnError() throws {
        let folder = try TemporaryDirectory()
        try "".write(toFile: folder.path + "/file", atomically: true, encoding: .utf8)
        #expect(throws: TextFileError.self) { try RecentTargets(path: folder.path + "/file/recent-targets").record("work") }
    }
}

@Suite struct TargetListTests {
    @Test func recentFirstThenNamesThenSpecials() {
        let choices = TargetList.choices(
            recent: ["personal", "@dispvm"], configured: ["zed", "alpha", "personal", "bad name"], local: ["beta", "me"],
            excluding: "me")
        #expect(choices.map(\.target) == ["personal", "@dispvm", "alpha", "beta", "zed", "@default"])
        #expect(choices.map(\.origin) == [.recent, .recent, .configured, .local, .configured, .special])
        #expect(choices.last?.title == "Let dom0 ask")
        #expect(choices[1].title == "New disposable VM")
    }

    @Test func pathsFromFiles() throws {
        let home = try TemporaryDirectory()
        let paths = DesktopPaths(stateHome: home.path + "/state", configHome: home.path + "/config", localRoot: home.path + "/root", localDomain: nil)
        try FileManager.default.createDirectory(atPath: home.path + "/config/intervm", withIntermediateDirectories: true)
        try "work\nvault\n".write(toFile: paths.configuredVMsFile, atomically: true, encoding: .utf8)
        for folder in ["root/dev/home", "root/policy.d/home", "root/nohome/rpc", "root/-bad/home"] {
            try FileManager.default.createDirectory(atPath: home.path + "/" + folder, withIntermediateDirectories: true)
        }
        try RecentTargets(path: paths.recentTargetsFile).record("vault")
        #expect(TargetList.choices(paths: paths).map(\.target) == ["vault", "dev", "work", "@default", "@dispvm"])
    }
}

@Suite struct ServiceNameTests {
    @Test(arguments: ["qubes.Filecopy", "qubes.OpenInVM", "my-service_2+arg.x"])
    func valid(name: String) { #expect(ServiceName.isValid(name)) }

    @Test(arguments: ["", "1qubes", "qubes/Filecopy", "qubes Filecopy", String(repeating: "a", count: 65), "qubes.Filecopy\n"])
    func invalid(name: String) { #expect(!ServiceName.isValid(name)) }
}
