import Foundation
import FilecopyWire
import Testing

/// The embedded allowlist must be exactly Qubes' table, kept in `Tests/Fixtures/qubes`.
@Suite("Name allowlist")
struct NameAllowlistTests {
    static let tablePath: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url = url.deletingLastPathComponent()
        }
        return url.path + "/Tests/Fixtures/qubes/name-allowlist-ranges.txt"
    }()

    static func ranges() throws -> [ClosedRange<UInt32>] {
        let text = try String(contentsOfFile: tablePath, encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let bounds = line.components(separatedBy: "..").map { UInt32($0, radix: 16)! }
            return bounds[0]...bounds[1]
        }
    }

    /// Both tables are unions of intervals, so agreeing on every edge of Qubes' intervals (and
    /// either side of it) plus a dense sample in between shows they are the same.
    @Test func agreesWithQubesTableAtEveryEdge() throws {
        let ranges = try Self.ranges()
        #expect(ranges.count > 200)
        var probes = Set(stride(from: UInt32(0), through: 0x10FFFF, by: 97))
        for range in ranges {
            probes.formUnion([range.lowerBound, range.upperBound, range.upperBound + 1])
            if range.lowerBound > 0 { probes.insert(range.lowerBound - 1) }
        }
        for codePoint in probes.sorted() {
            let expected = ranges.contains { $0.contains(codePoint) }
            #expect(NameRules.isAllowedCodePoint(codePoint) == expected, "U+\(String(codePoint, radix: 16))")
        }
    }
}
