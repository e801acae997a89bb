import FilecopyWire
import Glibc
import Testing
import TestSupport

/// A concurrent attacker in the receiving VM (or a user moving folders, as in Qubes QSB-014)
/// changes the incoming folder while the sender holds the stream open. The receiver must
/// resolve every name afresh beneath the incoming folder and never write outside it.
@Suite("Hostile races")
struct HostileRaceTests {
    /// Starts a receiver, sends `first`, and waits until `appears` exists in the incoming folder
    /// as a `kind` (a directory unless told).
    static func startAndWait(
        _ fixture: HostileFixture, first: [UInt8], appears relative: String, kind: mode_t = S_IFDIR,
        options: [String] = []
    ) throws -> Started {
        let receiver = try fixture.start(options)
        #expect(receiver.write(first))
        let ready = waitUntil { lstatOrNil(fixture.incoming + "/" + relative).map { $0.st_mode & S_IFMT == kind } ?? false }
        #expect(ready, "\(relative) never appeared")
        return receiver
    }

    /// Records without the end header: the stream stays open.
    static func records(_ build: (inout StreamBuilder) -> Void) -> [UInt8] {
        var builder = StreamBuilder()
        build(&builder)
        return builder.bytes
    }


    /// The directory is moved away with nothing in its place: the parent is missing (2), and
    /// the moved directory (now outside) receives nothing.
    @Test(arguments: ReceiverSetup.raceVariants) func directoryMovedAwayBetweenRecords(_ setup: ReceiverSetup) throws {
        let fixture = try HostileFixture(setup)
        let first = Self.records { $0.directory("d") }
        let receiver = try Self.startAndWait(fixture, first: first, appears: "d")
        #expect(rename(fixture.incoming + "/d", fixture.outside + "/moved") == 0)
        let before = fixture.outsideSnapshot()
        let rest = stream { $0.file("d/x", "pwned"); $0.directory("d") }
        receiver.write(rest)
        let received = Received(receiver.finish())
        expectAnswer(received, wire: first + rest, codes: [2], lastName: nil)
        expectConfined(fixture, before: before, absent: ["outside/moved/x"], tree: [])
    }


    /// The same after a file in the directory has arrived, so the receiver has just resolved
    /// the directory as a parent: it may reuse that only for records from the same read(2), so
    /// the next record, read after the move, finds the parent missing (2) and the moved
    /// directory (now outside) receives nothing.
    @Test(arguments: ReceiverSetup.raceVariants) func directoryMovedAwayAfterAFileArrivedInIt(_ setup: ReceiverSetup) throws {
        let fixture = try HostileFixture(setup)
        let first = Self.records { $0.directory("d"); $0.file("d/a", "first") }
        let receiver = try Self.startAndWait(fixture, first: first, appears: "d/a", kind: S_IFREG)
        #expect(rename(fixture.incoming + "/d", fixture.outside + "/moved") == 0)
        let before = fixture.outsideSnapshot()
        let rest = stream { $0.file("d/x", "pwned"); $0.directory("d") }
        receiver.write(rest)
        let received = Received(receiver.finish())
        expectAnswer(received, wire: first + rest, codes: [2], lastName: bytes("d/x"))
        expectConfined(fixture, before: before, absent: ["outside/moved/x"], tree: [])
    }

    /// A dangling symlink planted at the very name the next record creates: the file is refused
    /// as existing (17) and the link's target never appears.
    @Test(arguments: ReceiverSetup.raceVariants) func symlinkPlantedAtTheNextName(_ setup: ReceiverSetup) throws {
        let fixture = try HostileFixture(setup)
        let first = Self.records { $0.directory("d") }
        let receiver = try Self.startAndWait(fixture, first: first, appears: "d")
        #expect(symlink(fixture.outside + "/created", fixture.incoming + "/d/x") == 0)
        let before = fixture.outsideSnapshot()
        let rest = stream { $0.file("d/x", "pwned"); $0.directory("d") }
        receiver.write(rest)
        let received = Received(receiver.finish())
        expectAnswer(received, wire: first + rest, codes: [17], lastName: bytes("d/x"))
        expectConfined(fixture, before: before, absent: ["outside/created"], tree: ["d/", "d/x@"])
    }

    /// The directory is swapped for a symlink to an outside directory between its opening and
    /// closing headers: the closing header's mode and times must not reach the outside one.
    /// The contract fixes no code for a closing header that finds a non-directory: ENOTDIR (20)
    /// and ELOOP (40) both say so.
    @Test(arguments: ReceiverSetup.raceVariants)
    func closingHeaderAfterSwapDoesNotChangeTheOutside(_ setup: ReceiverSetup) throws {
        let fixture = try HostileFixture(setup)
        let first = Self.records { $0.directory("d", mode: 0o040700) }
        let receiver = try Self.startAndWait(fixture, first: first, appears: "d")
        try fixture.makeDirectory("outside/victim")
        #expect(chmod(fixture.outside + "/victim", 0o750) == 0)
        #expect(rename(fixture.incoming + "/d", fixture.outside + "/moved") == 0)
        #expect(symlink(fixture.outside + "/victim", fixture.incoming + "/d") == 0)
        let before = fixture.outsideSnapshot()
        var rest = StreamBuilder()
        rest.record(name: bytes("d"), mode: 0o047777, times: (1, 0, 1, 0))
        rest.end()
        receiver.write(rest.bytes)
        let received = Received(receiver.finish())
        expectAnswer(received, wire: first + rest.bytes, codes: [20, 40], lastName: bytes("d"))
        expectConfined(fixture, before: before, absent: [], tree: ["d@"])
    }

    /// The parent directory is swapped for a symlink while a large body is mid-transfer. The
    /// file was opened beneath the old directory, but it must not be published there (now
    /// outside) nor through the link: the transfer fails and nothing appears outside.
    /// (Without Landlock: see `HostileParentTests`.)
    @Test(arguments: ReceiverSetup.raceVariants.filter { !$0.removed.contains(.landlock) })
    func directorySwappedWhileBodyIsMidTransfer(_ setup: ReceiverSetup) throws {
        try Self.swapDirectoryWhileBodyIsMidTransfer(setup)
    }

    static func swapDirectoryWhileBodyIsMidTransfer(_ setup: ReceiverSetup) throws {
        let fixture = try HostileFixture(setup)
        let size = 4 << 20
        var builder = StreamBuilder()
        builder.directory("d")
        builder.record(name: bytes("d/big"), mode: 0o100644, fileLength: UInt64(size), body: [])
        let head = builder.bytes
        let chunk = [UInt8](repeating: 0x42, count: 1 << 20)
        let receiver = try fixture.start()
        #expect(receiver.write(head))
        // The pipe holds at most 512 KiB (what the receiver asks for, `PipeSize`): once this 1 MiB
        // write returns, the receiver is inside the body.
        #expect(receiver.write(chunk))
        #expect(rename(fixture.incoming + "/d", fixture.outside + "/moved") == 0)
        #expect(symlink(fixture.outside, fixture.incoming + "/d") == 0)
        let before = fixture.outsideSnapshot()
        var rest = [UInt8](repeating: 0x42, count: size - chunk.count)
        rest += stream { $0.directory("d") }
        receiver.write(rest)
        let received = Received(receiver.finish())
        #expect(received.result != nil)
        #expect(received.result?.code.isSuccess == false, "the file was published after its directory left")
        expectConfined(fixture, before: before, absent: ["outside/big", "outside/moved/big"], tree: ["d@"])
    }
}
