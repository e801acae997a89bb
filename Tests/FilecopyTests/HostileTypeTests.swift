import FilecopyWire
import Glibc
import Testing
import TestSupport

/// Header fields a hostile sender controls: the type bits, impossible nanoseconds, a directory
/// with a size, privilege bits; and type confusion between records of one stream.
@Suite("Hostile types and fields")
struct HostileTypeTests {
    static func record(
        _ label: String, mode: UInt32, fileLength: UInt64? = nil, body: [UInt8] = [],
        times: (UInt32, UInt32, UInt32, UInt32) = (1_600_000_000, 0, 1_600_000_000, 0),
        before: [String] = [], code: UInt32 = 22, name: String = "entry"
    ) -> HostileCase {
        HostileCase(
            label: label,
            stream: { _ in
                stream { builder in
                    for directory in before { builder.directory(directory) }
                    builder.record(name: bytes(name), mode: mode, fileLength: fileLength, body: body, times: times)
                }
            },
            codes: [code], lastName: bytes(name), tree: Set(before.map { $0 + "/" }),
            absent: before.contains(name) ? [] : ["incoming/" + name])
    }

    static let forbiddenTypes: [HostileCase] = [
        record("FIFO", mode: 0o010644),
        record("character device", mode: 0o020644),
        record("block device", mode: 0o060644),
        record("socket", mode: 0o140644),
        record("all type bits set", mode: 0o170644),
        record("no type bits", mode: 0o000644),
        record("undefined type 0o030000", mode: 0o030644),
        record("setuid FIFO with a body", mode: 0o014777, body: bytes("data")),
    ]

    @Test(arguments: forbiddenTypes) func forbiddenTypeIsRefused(_ hostile: HostileCase) throws {
        try expectRefusal(hostile)
    }

    static let impossibleFields: [HostileCase] = [
        record("file with atime_nsec = 1e9", mode: 0o100644, body: bytes("x"), times: (0, 1_000_000_000, 0, 0)),
        record("file with mtime_nsec = 0xFFFFFFFF", mode: 0o100644, body: bytes("x"), times: (0, 0, 0, 0xFFFF_FFFF)),
        record("directory with mtime_nsec = 1e9", mode: 0o040755, times: (0, 0, 0, 1_000_000_000)),
        record(
            "closing directory header with atime_nsec = 2e9", mode: 0o040755, times: (0, 2_000_000_000, 0, 0),
            before: ["entry"]),
        record(
            "symlink with mtime_nsec = 1e9", mode: 0o120777, body: bytes("x"), times: (0, 0, 0, 1_000_000_000),
            before: ["d"], name: "d/l"),
        record("directory with filelen 5", mode: 0o040755, fileLength: 5, body: bytes("12345")),
        record("directory with filelen 2^63", mode: 0o040755, fileLength: 1 << 63),
    ]

    @Test(arguments: impossibleFields) func impossibleFieldIsRefused(_ hostile: HostileCase) throws {
        try expectRefusal(hostile)
    }

    /// Setuid, setgid and sticky bits never arrive, on files or directories.
    @Test func privilegeBitsAreNeverApplied() throws {
        let fixture = try HostileFixture()
        let wire = stream {
            $0.file("suid", "#!/bin/sh\n", mode: 0o104755)
            $0.file("sgid", "x", mode: 0o102775)
            $0.file("all", "x", mode: 0o107777)
            $0.directory("sticky", mode: 0o041777)
            $0.directory("sticky", mode: 0o043777)
        }
        let received = try fixture.receive(wire)
        expectAnswer(received, wire: wire, codes: [0], lastName: bytes("sticky"))
        #expect(lstatOrNil(fixture.incoming + "/suid").map { $0.st_mode & 0o7777 } == 0o755)
        #expect(lstatOrNil(fixture.incoming + "/sgid").map { $0.st_mode & 0o7777 } == 0o775)
        #expect(lstatOrNil(fixture.incoming + "/all").map { $0.st_mode & 0o7777 } == 0o777)
        #expect(lstatOrNil(fixture.incoming + "/sticky").map { $0.st_mode & 0o7777 } == 0o777)
    }

    static let confusion: [HostileCase] = [
        HostileCase(
            label: "same file twice",
            stream: { _ in stream { $0.file("x", "first"); $0.file("x", "second") } },
            codes: [17], lastName: bytes("x"), tree: ["x"]),
        HostileCase(
            label: "file then directory of the same name",
            stream: { _ in stream { $0.file("x", "first"); $0.directory("x"); $0.file("x/y", "y") } },
            codes: [17], lastName: bytes("x"), tree: ["x"]),
        HostileCase(
            label: "directory then file of the same name",
            stream: { _ in stream { $0.directory("x"); $0.file("x", "second") } },
            codes: [17], lastName: bytes("x"), tree: ["x/"]),
        HostileCase(
            label: "directory then symlink of the same name",
            stream: { _ in stream { $0.directory("d"); $0.directory("d/x"); $0.symlink("d/x", to: "y") } },
            codes: [17], lastName: bytes("d/x"), tree: ["d/", "d/x/"]),
        HostileCase(
            label: "file used as a parent",
            stream: { _ in stream { $0.file("f", "data"); $0.file("f/x", "pwned") } },
            codes: [20], tree: ["f"]),
        HostileCase(
            label: "file used as a parent of a directory",
            stream: { _ in stream { $0.file("f", "data"); $0.directory("f/x") } },
            codes: [20], tree: ["f"]),
        HostileCase(
            label: "missing parent is never created",
            stream: { _ in stream { $0.file("nope/x", "data") } },
            codes: [2], tree: [], absent: ["incoming/nope"]),
        HostileCase(
            label: "missing parent two levels down",
            stream: { _ in stream { $0.directory("a"); $0.file("a/b/c", "data") } },
            codes: [2], tree: ["a/"], absent: ["incoming/a/b"]),
    ]

    @Test(arguments: confusion) func typeConfusionIsRefused(_ hostile: HostileCase) throws {
        try expectRefusal(hostile)
        if hostile.label == "same file twice" || hostile.label == "file then directory of the same name" {
            // The first file is the one that stays (checked on a fresh run of the same case).
            let fixture = try HostileFixture()
            _ = try fixture.receive(hostile.stream(fixture))
            #expect(fixture.contents("incoming/x") == "first")
        }
    }

    /// A control: a directory header repeated (opening, closing, and again later) merges.
    @Test func repeatedDirectoryHeadersMerge() throws {
        let fixture = try HostileFixture()
        let wire = stream {
            $0.directory("d"); $0.file("d/a", "a"); $0.directory("d")
            $0.directory("d"); $0.file("d/b", "b"); $0.directory("d")
        }
        let received = try fixture.receive(wire)
        expectAnswer(received, wire: wire, codes: [0], lastName: bytes("d"))
        #expect(fixture.incomingTree() == ["d/", "d/a", "d/b"])
    }

    /// Bytes after the end header are not read, so they are not in the CRC.
    @Test func bytesAfterTheEndAreNotConsumed() throws {
        let fixture = try HostileFixture()
        let wire = stream { $0.file("a", "a") }
        var withTrailer = wire
        withTrailer += bytes("trailing garbage that must not be read")
        let received = try fixture.receive(withTrailer)
        #expect(received.result?.code == .success)
        #expect(received.result?.crc32 == CRC32.checksum(wire))
        #expect(fixture.incomingTree() == ["a"])
    }
}
