import Glibc
import Testing
import TestSupport

/// Defence in depth: the refusal tables again, with Landlock and openat2 taken away (as on a
/// kernel older than 5.13 / 5.6) and linkat(AT_EMPTY_PATH) refused. Parsing, the per-component
/// `O_NOFOLLOW` walk and O_TMPFILE publishing through `/proc/self/fd` must hold on their own. (Set `INTERVM_HOSTILE_WITHOUT=landlock,openat2` to run
/// every hostile suite this way.)
@Suite("Hostile streams with kernel layers removed", .enabled(if: LayerRemover.isAvailable, "needs bubblewrap"))
struct HostileLayerTests {
    static let removed = Set<KernelLayer>([.landlock, .openat2] + emptyPathLinkWhereFilterable)

    /// The linkat filter knows x86_64's syscall number only.
    static var emptyPathLinkWhereFilterable: [KernelLayer] {
        #if arch(x86_64)
            [.emptyPathLink]
        #else
            []
        #endif
    }

    static let everyTable: [HostileCase] =
        HostileNameTests.traversal + HostileNameTests.structure + HostileSymlinkTests.unsafeTargets
        + HostileSymlinkTests.writesThroughLinks + HostileExistingTests.refused + HostileTypeTests.confusion

    /// The tables without the cases listed in `HostileParentTests.failingWithoutOpenat2`.
    static let tables = everyTable.filter { !HostileParentTests.failingWithoutOpenat2.contains($0.label) }

    @Test(arguments: tables) func refusedWithoutLandlockOrOpenat2(_ hostile: HostileCase) throws {
        try expectRefusal(hostile, setup: ReceiverSetup(removed: Self.removed))
    }

    /// The harness really takes the layers away: the receiver reports it runs without them.
    @Test(arguments: [Set<KernelLayer>([.landlock]), [.openat2], [.landlock, .openat2]])
    func layersAreReallyRemoved(_ removed: Set<KernelLayer>) throws {
        let fixture = try HostileFixture(without: removed)
        let wire = stream { $0.file("a", "a") }
        let received = try fixture.receive(wire, options: ["-v"])
        expectAnswer(received, wire: wire, codes: [0], lastName: bytes("a"))
        let report = received.finished.stderr
        #expect(report.contains("Landlock ABI") == !removed.contains(.landlock), "\(report)")
        #expect(report.contains("openat2 yes") == !removed.contains(.openat2), "\(report)")
    }

    /// With linkat(AT_EMPTY_PATH) refused, every file is linked through `/proc/self/fd` (the
    /// receiver stops trying AT_EMPTY_PATH after the first refusal): files at every depth
    /// arrive whole, a name taken is still refused, and renaming on conflict still works.
    @Test(.enabled(if: !emptyPathLinkWhereFilterable.isEmpty, "the linkat filter is for x86_64"))
    func filesArriveThroughProcWhenEmptyPathLinkIsRefused() throws {
        let fixture = try HostileFixture(without: [.emptyPathLink])
        try fixture.makeFile("incoming/taken.txt", "mine")
        let wire = stream {
            $0.file("first.txt", "one")
            $0.directory("folder")
            $0.file("folder/second.txt", "two")
            $0.directory("folder/deeper")
            $0.file("folder/deeper/third.txt", "three")
            $0.file("taken.txt", "theirs")
        }
        let renamed = try fixture.receive(wire, options: ["--on-conflict", "rename"])
        expectAnswer(renamed, wire: wire, codes: [0], lastName: bytes("taken.txt"))
        #expect(fixture.contents("incoming/first.txt") == "one")
        #expect(fixture.contents("incoming/folder/second.txt") == "two")
        #expect(fixture.contents("incoming/folder/deeper/third.txt") == "three")
        #expect(fixture.contents("incoming/taken.txt") == "mine")
        #expect(fixture.contents("incoming/taken (1).txt") == "theirs")

        let again = stream { $0.file("first.txt", "other") }
        let refused = try fixture.receive(again)
        expectAnswer(refused, wire: again, codes: [17], lastName: bytes("first.txt"))
        #expect(fixture.contents("incoming/first.txt") == "one")
    }
}

/// The refusal tables with the receiver started as an unprivileged user (nobody), which takes
/// the user-namespace path to its chroot; the outside folder is writable by everyone.
@Suite("Hostile streams against an unprivileged receiver", .enabled(if: ReceiverSetup.nobodyCanRunReceiver, "needs root, and nobody able to run the receiver"))
struct HostileUnprivilegedTests {
    @Test(arguments: HostileLayerTests.tables) func refusedAsNobody(_ hostile: HostileCase) throws {
        try expectRefusal(hostile, setup: ReceiverSetup(unprivileged: true))
    }
}
