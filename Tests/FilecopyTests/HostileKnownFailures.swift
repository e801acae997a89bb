import FilecopyWire
import Glibc
import Testing
import TestSupport

// Cases where the receiver (35cd6d2) disagrees with the contract. They stay failing here, with
// their full assertions, until the receiver is fixed; then they move back to their themes
// (HostileSymlinkTests, HostileExistingTests, HostileRaceTests).
//
// The disagreement: a symlink that is the *direct* parent of a name (`d/l` in `d/l/x`) answers
// ENOTDIR (20) where the contract says ELOOP (40). A symlink deeper in the path already gives 40
// ("link in the middle of a deep path"). `Unpacker.openParent` opens the parent with
// `O_PATH | O_DIRECTORY` and `RESOLVE_NO_SYMLINKS`: O_PATH with O_NOFOLLOW opens the final
// symlink itself, and O_DIRECTORY then fails with ENOTDIR. Nothing is ever written through the
// link (every other assertion here passes); only the code is wrong.

/// A symlink standing as the direct parent of a later name must answer ELOOP (40).
@Suite("Hostile known failures: symlink parent answers ENOTDIR instead of ELOOP")
struct HostileKnownFailures {
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
    /// while its body is in transfer is published in the moved directory, outside. The
    /// receiver holds the parent's fd from the header to `linkat`; only Landlock (EACCES)
    /// stops the link today. The parent must be resolved again beneath the incoming folder at
    /// publish time (and found to be the same directory) before linking.
    @Test(.enabled(if: LayerRemover.isAvailable, "needs bubblewrap"), arguments: [ReceiverSetup(removed: [.landlock]), ReceiverSetup(removed: [.landlock, .openat2])])
    func directorySwappedWhileBodyIsMidTransferWithoutLandlock(_ setup: ReceiverSetup) throws {
        try HostileRaceTests.swapDirectoryWhileBodyIsMidTransfer(setup)
    }

    /// Without openat2 the receiver walks parents one component at a time with
    /// `O_PATH | O_DIRECTORY | O_NOFOLLOW`, so a symlink anywhere in the path answers ENOTDIR:
    /// these cases (labels from the theme tables) pass with openat2 and fail without it.
    static let failingWithoutOpenat2: Set<String> = ["link in the middle of a deep path"]

    @Test(.enabled(if: LayerRemover.isAvailable, "needs bubblewrap"), arguments: HostileLayerTests.everyTable.filter { failingWithoutOpenat2.contains($0.label) })
    func symlinkInPathIsELOOPWithoutOpenat2(_ hostile: HostileCase) throws {
        try expectRefusal(hostile, setup: ReceiverSetup(removed: [.openat2]))
    }

    /// A declared size larger than the free space is refused from the header, for small files
    /// too. The receiver checks free space only for files of 1 MiB or more, so a 512 KiB file
    /// bound for a 256 KiB file system waits for its data (and would fail on write, leaving no
    /// visible file). The incoming folder here is a 256 KiB tmpfs made by bubblewrap.
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
}
