import FilecopyWire
import Glibc
import Testing
import TestSupport

// Symlinks standing as the parent of a later name, and folders swapped for symlinks or moved
// away mid-transfer: the receiver answers ELOOP (40) and publishes nothing outside, with every
// layer and with Landlock or openat2 taken away. (These began as known failures: the receiver
// used to answer ENOTDIR for a direct symlink parent, and, without Landlock, to link a file
// whose parent was moved away while its body arrived; both are fixed.)

/// A symlink standing as the direct parent of a later name must answer ELOOP (40).
@Suite("Hostile: symlinked parents and folders swapped mid-transfer")
struct HostileParentTests {
    static let symlinkParents: [HostileCase] = [
        HostileCase(
            label: "file written through a link the stream made",
            stream: { _ in
                stream { $0.directory("d"); $0.directory("d/sub"); $0.symlink("d/l", to: "sub"); $0.file("d/l/x", "pwned") }
            },
            codes: [40], tree: ["d/", "d/sub/", "d/l@"], absent: ["incoming/d/sub/x"]),
        HostileCase(
            label: "directory made through a link the stream made",
            stream: { _ in
                stream { $0.directory("d"); $0.directory("d/sub"); $0.symlink("d/l", to: "sub"); $0.directory("d/l/y") }
            },
            codes: [40], tree: ["d/", "d/sub/", "d/l@"], absent: ["incoming/d/sub/y"]),
        HostileCase(
            label: "link made through a link the stream made",
            stream: { _ in
                stream { $0.directory("d"); $0.directory("d/sub"); $0.symlink("d/l", to: "sub"); $0.symlink("d/l/m", to: "x") }
            },
            codes: [40], tree: ["d/", "d/sub/", "d/l@"], absent: ["incoming/d/sub/m"]),
        HostileCase(
            label: "link created before its target directory, then written through",
            stream: { _ in
                stream { $0.directory("d"); $0.symlink("d/l", to: "sub"); $0.directory("d/sub"); $0.file("d/l/x", "pwned") }
            },
            codes: [40], tree: ["d/", "d/sub/", "d/l@"], absent: ["incoming/d/sub/x"]),
        HostileCase(
            label: "chain of links a -> b -> c, written through a",
            stream: { _ in
                stream {
                    $0.directory("d"); $0.directory("d/c"); $0.symlink("d/b", to: "c"); $0.symlink("d/a", to: "b")
                    $0.file("d/a/x", "pwned")
                }
            },
            codes: [40], tree: ["d/", "d/c/", "d/b@", "d/a@"], absent: ["incoming/d/c/x"]),
        HostileCase(
            // Two links, each allowed alone, pointing at each other (the two-link chains of
            // kubectl cp CVE-2019-11251): whatever they resolve to, nothing is written through them.
            label: "chain of two allowed links, written through",
            stream: { _ in
                stream {
                    $0.directory("d"); $0.directory("d/e"); $0.symlink("d/e/up", to: "../x")
                    $0.symlink("d/x", to: "e")
                    $0.file("d/e/up/x", "pwned")
                }
            },
            codes: [40], tree: ["d/", "d/e/", "d/e/up@", "d/x@"], absent: ["incoming/d/e/x"]),
        HostileCase(
            label: "with --allow-unsafe-symlinks an escaping link is made but never followed",
            options: ["--allow-unsafe-symlinks"],
            stream: { fixture in stream { $0.symlink("l", to: fixture.outside); $0.file("l/x", "pwned") } },
            codes: [40], tree: ["l@"], absent: ["outside/x"]),
        HostileCase(
            label: "existing symlink to outside is not followed by a file below it",
            prepare: { try $0.makeSymlink("incoming/evil", to: $0.outside) },
            stream: { _ in stream { $0.file("evil/x", "pwned") } },
            codes: [40], tree: ["evil@"], absent: ["outside/x"]),
        HostileCase(
            label: "existing symlink to outside is not followed by a directory below it",
            prepare: { try $0.makeSymlink("incoming/evil", to: $0.outside) },
            stream: { _ in stream { $0.directory("evil/sub") } },
            codes: [40], tree: ["evil@"], absent: ["outside/sub"]),
        HostileCase(
            label: "existing symlink deeper down is not followed",
            prepare: { fixture in
                try fixture.makeDirectory("incoming/d")
                try fixture.makeSymlink("incoming/d/evil", to: fixture.outside)
            },
            stream: { _ in stream { $0.directory("d"); $0.file("d/evil/x", "pwned") } },
            codes: [40], tree: ["d/", "d/evil@"], absent: ["outside/x"]),
        HostileCase(
            label: "existing symlink to a directory inside is not followed either",
            prepare: { fixture in
                try fixture.makeDirectory("incoming/real")
                try fixture.makeSymlink("incoming/alias", to: "real")
            },
            stream: { _ in stream { $0.file("alias/x", "data") } },
            codes: [40], tree: ["real/", "alias@"], absent: ["incoming/real/x"]),
        HostileCase(
            label: "--on-conflict rename still never follows a symlink parent",
            options: ["--on-conflict", "rename"],
            prepare: { try $0.makeSymlink("incoming/evil", to: $0.outside) },
            stream: { _ in stream { $0.file("evil/x", "pwned") } },
            codes: [40], tree: ["evil@"], absent: ["outside/x"]),
    ]

    @Test(arguments: symlinkParents) func symlinkParentIsELOOP(_ hostile: HostileCase) throws {
        try expectRefusal(hostile)
    }

    /// QSB-014 (the race Jann Horn found against the chrooted Qubes receiver): the directory just received is moved out of the incoming folder and a symlink
    /// to the outside put in its place; the next name below it must not follow the link.
    @Test func directorySwappedForSymlinkBetweenRecords() throws {
        let fixture = try HostileFixture()
        let first = HostileRaceTests.records { $0.directory("d") }
        let receiver = try HostileRaceTests.startAndWait(fixture, first: first, appears: "d")
        #expect(rename(fixture.incoming + "/d", fixture.outside + "/moved") == 0)
        #expect(symlink(fixture.outside, fixture.incoming + "/d") == 0)
        let before = fixture.outsideSnapshot()
        let rest = stream { $0.file("d/x", "pwned"); $0.directory("d") }
        receiver.write(rest)
        let received = Received(receiver.finish())
        expectAnswer(received, wire: first + rest, codes: [40], lastName: nil)
        expectConfined(fixture, before: before, absent: ["outside/x", "outside/moved/x"], tree: ["d@"])
    }

    /// A nested directory swapped for a symlink: the deeper name must not follow it.
    @Test func nestedDirectorySwappedForSymlink() throws {
        let fixture = try HostileFixture()
        let first = HostileRaceTests.records { $0.directory("d"); $0.directory("d/e") }
        let receiver = try HostileRaceTests.startAndWait(fixture, first: first, appears: "d/e")
        #expect(rename(fixture.incoming + "/d/e", fixture.outside + "/moved") == 0)
        #expect(symlink(fixture.outside, fixture.incoming + "/d/e") == 0)
        let before = fixture.outsideSnapshot()
        let rest = stream { $0.directory("d/e/sub"); $0.file("d/e/x", "pwned") }
        receiver.write(rest)
        let received = Received(receiver.finish())
        expectAnswer(received, wire: first + rest, codes: [40], lastName: nil)
        expectConfined(
            fixture, before: before, absent: ["outside/sub", "outside/x", "outside/moved/sub", "outside/moved/x"],
            tree: ["d/", "d/e@"])
    }

    /// Without Landlock, a file whose parent directory is moved out of the incoming folder
    /// while its body is in transfer must still not be published there: the receiver holds no
    /// parent while the body arrives and resolves it beneath the incoming folder only to link.
    @Test(.enabled(if: LayerRemover.isAvailable, "needs bubblewrap"), arguments: [ReceiverSetup(removed: [.landlock]), ReceiverSetup(removed: [.landlock, .openat2])])
    func directorySwappedWhileBodyIsMidTransferWithoutLandlock(_ setup: ReceiverSetup) throws {
        try HostileRaceTests.swapDirectoryWhileBodyIsMidTransfer(setup)
    }

    /// Without openat2 the receiver walks parents one component at a time with `O_NOFOLLOW`;
    /// a symlink anywhere in the path must still answer ELOOP, as openat2 does.
    static let failingWithoutOpenat2: Set<String> = ["link in the middle of a deep path"]

    @Test(.enabled(if: LayerRemover.isAvailable, "needs bubblewrap"), arguments: HostileLayerTests.everyTable.filter { failingWithoutOpenat2.contains($0.label) })
    func symlinkInPathIsELOOPWithoutOpenat2(_ hostile: HostileCase) throws {
        try expectRefusal(hostile, setup: ReceiverSetup(removed: [.openat2]))
    }

    /// A declared size larger than the free space is refused from the header, for small files
    /// too, without waiting for the data. The incoming folder is a 256 KiB tmpfs made by bubblewrap.
    @Test(.enabled(if: LayerRemover.isAvailable && getuid() == 0, "needs bubblewrap and root"))
    func smallFileOverFreeSpaceIsRefusedWithoutWaitingForData() throws {
        let fixture = try HostileFixture(ReceiverSetup())
        let arguments =
            [LayerRemover.bubblewrap, "--dev-bind", "/", "/", "--cap-add", "ALL", "--size", "262144", "--tmpfs", fixture.incoming]
            + fixture.receiverArguments()
        let receiver = try Started(arguments, environment: fixture.receiverEnvironment)
        var builder = StreamBuilder()
        builder.record(name: bytes("small"), mode: 0o100644, fileLength: 512 << 10)
        receiver.write(builder.bytes)
        let answered = waitUntil(seconds: 10) { !receiver.process.isRunning }
        #expect(answered, "receiver waits for the data of a file that cannot fit")
        let received = Received(receiver.finish())
        expectAnswer(received, wire: builder.bytes, codes: [28], lastName: bytes("small"))
    }

    /// Every file takes whole blocks: on a 256 KiB tmpfs (64 pages), 64 files of 100 bytes fill
    /// every page though they declare 6400 bytes. The 65th is refused from its header with
    /// ENOSPC, without waiting for its data (which is never sent), and the answer's CRC covers
    /// exactly what was sent, header included.
    @Test(.enabled(if: LayerRemover.isAvailable && getuid() == 0, "needs bubblewrap and root"))
    func manySmallFilesAreCountedInWholeBlocks() throws {
        let fixture = try HostileFixture(ReceiverSetup())
        let tmpfsSize = 262_144
        let pages = tmpfsSize / sysconf(Int32(_SC_PAGESIZE))
        let arguments =
            [LayerRemover.bubblewrap, "--dev-bind", "/", "/", "--cap-add", "ALL", "--size", String(tmpfsSize), "--tmpfs", fixture.incoming]
            + fixture.receiverArguments()
        let receiver = try Started(arguments, environment: fixture.receiverEnvironment)
        var builder = StreamBuilder()
        for index in 0..<pages {
            builder.record(name: bytes("f\(index)"), mode: 0o100644, body: [UInt8](repeating: UInt8(index & 0xFF), count: 100))
        }
        builder.record(name: bytes("f\(pages)"), mode: 0o100644, fileLength: 100)
        receiver.write(builder.bytes)
        let answered = waitUntil(seconds: 10) { !receiver.process.isRunning }
        #expect(answered, "receiver waits for the data of a file whose block cannot fit")
        let received = Received(receiver.finish())
        expectAnswer(received, wire: builder.bytes, codes: [28], lastName: bytes("f\(pages)"))
        #expect(received.result?.crc32 == builder.crc32, "the refusal came before the whole header was read, or after more")
    }
}
