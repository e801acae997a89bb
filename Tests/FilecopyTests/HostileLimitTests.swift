import FilecopyWire
import Foundation
import Glibc
import Testing
import TestSupport

/// Sizes a hostile sender declares: huge files and names, and the byte and file limits. Every
/// refusal comes from the header alone, before any data is written or waited for.
@Suite("Hostile sizes and limits")
struct HostileLimitTests {
    /// A header for `name` declaring `fileLength` bytes, followed by none of them: a receiver
    /// that waited for the data would see the stream end (31415926) instead of refusing.
    static func declared(_ name: String, _ fileLength: UInt64, before: (inout StreamBuilder) -> Void = { _ in }) -> [UInt8] {
        var builder = StreamBuilder()
        before(&builder)
        builder.record(name: bytes(name), mode: 0o100644, fileLength: fileLength)
        return builder.bytes
    }

    static let refused: [HostileCase] = [
        // Without options either the free-space check (28) or a default byte limit (122) may
        // come first; both refuse from the header.
        HostileCase(
            label: "filelen 2^63", stream: { _ in declared("huge", 1 << 63) },
            codes: [28, 122], lastName: bytes("huge"), tree: [], absent: ["incoming/huge"]),
        HostileCase(
            label: "filelen 2^64 - 1", stream: { _ in declared("huge", .max) },
            codes: [28, 122], lastName: bytes("huge"), tree: [], absent: ["incoming/huge"]),
        HostileCase(
            label: "file one byte over --max-bytes", options: ["--max-bytes", "10"],
            stream: { _ in declared("big", 11) },
            codes: [122], lastName: bytes("big"), tree: []),
        HostileCase(
            label: "second file crosses --max-bytes", options: ["--max-bytes", "10"],
            stream: { _ in declared("second", 5) { $0.file("first", "123456") } },
            codes: [122], lastName: bytes("second"), tree: ["first"]),
        HostileCase(
            // `total + size` would wrap to a small number; the check must not overflow.
            label: "size chosen to overflow the running total", options: ["--max-bytes", "100"],
            stream: { _ in declared("wrap", UInt64.max - 20) { $0.file("first", String(repeating: "x", count: 50)) } },
            codes: [122], lastName: bytes("wrap"), tree: ["first"]),
        HostileCase(
            label: "third file over --max-files 2", options: ["--max-files", "2"],
            stream: { _ in stream { $0.file("a", "a"); $0.file("b", "b"); $0.file("c", "c") } },
            codes: [122], lastName: bytes("c"), tree: ["a", "b"]),
        HostileCase(
            label: "declared size larger than the free space",
            options: ["--max-bytes", String(UInt64(1) << 62)],
            stream: { fixture in declared("fill", freeBytes(fixture.incoming) + (1 << 30)) },
            codes: [28], lastName: bytes("fill"), tree: []),
    ]

    @Test(arguments: refused) func oversizedIsRefusedFromTheHeader(_ hostile: HostileCase) throws {
        try expectRefusal(hostile)
    }

    /// A control: exactly `--max-bytes` bytes arrive.
    @Test func exactlyTheByteLimitArrives() throws {
        let fixture = try HostileFixture()
        let wire = stream { $0.file("a", "12345"); $0.file("b", "67890") }
        let received = try fixture.receive(wire, options: ["--max-bytes", "10", "--max-files", "2"])
        expectAnswer(received, wire: wire, codes: [0], lastName: bytes("b"))
        #expect(fixture.incomingTree() == ["a", "b"])
    }

    /// namelen above 16383 is refused with ENAMETOOLONG from the header alone: the receiver
    /// answers while the sender still holds the stream open and has sent no name.
    @Test(arguments: [UInt32.max, 16384, 0x8000_0000])
    func hugeNameLengthIsRefusedWithoutReadingTheName(_ nameLength: UInt32) throws {
        let fixture = try HostileFixture()
        let header = FileHeader(nameLength: nameLength, mode: 0o100644, fileLength: 1).encoded
        try expectAnswerWithoutMoreInput(fixture, wire: header, code: 36)
        #expect(fixture.incomingTree() == [])
    }

    /// A declared size over `--max-bytes` is refused before the receiver waits for any data.
    @Test func overLimitIsRefusedWithoutWaitingForData() throws {
        let fixture = try HostileFixture()
        try expectAnswerWithoutMoreInput(fixture, wire: Self.declared("big", 1000), code: 122, options: ["--max-bytes", "10"])
        #expect(fixture.incomingTree() == [])
    }

    /// A declared size over the free space is refused before the receiver waits for any data.
    @Test func overFreeSpaceIsRefusedWithoutWaitingForData() throws {
        let fixture = try HostileFixture()
        let wire = Self.declared("fill", freeBytes(fixture.incoming) + (1 << 30))
        try expectAnswerWithoutMoreInput(fixture, wire: wire, code: 28, options: ["--max-bytes", String(UInt64(1) << 62)])
        #expect(fixture.incomingTree() == [])
    }

    /// Writes `wire` to a started receiver, keeps its stdin open, and expects the answer
    /// `code` with the CRC of exactly `wire`. A receiver still waiting after 30 s fails.
    func expectAnswerWithoutMoreInput(
        _ fixture: HostileFixture, wire: [UInt8], code: UInt32, options: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let receiver = try fixture.start(options)
        receiver.write(wire)
        let answered = waitUntil { !receiver.process.isRunning }
        #expect(answered, "receiver still waits for input after a refusable header", sourceLocation: sourceLocation)
        let received = Received(receiver.finish())
        expectAnswer(received, wire: wire, codes: [code], lastName: nil, sourceLocation: sourceLocation)
        #expect(received.result?.crc32 == CRC32.checksum(wire), "CRC is not that of the bytes sent", sourceLocation: sourceLocation)
    }
}

/// Free bytes on the file system holding `path`, counting the blocks reserved for root (the
/// tests may run as root) (`statvfs`).
func freeBytes(_ path: String) -> UInt64 {
    var info = statvfs()
    guard statvfs(path, &info) == 0 else { return 0 }
    return UInt64(info.f_bfree) * UInt64(info.f_frsize)
}
