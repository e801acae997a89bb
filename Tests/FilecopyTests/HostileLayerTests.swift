import Glibc
import Testing
import TestSupport

/// Defence in depth: the refusal tables again, with Landlock and openat2 taken away (as on a
/// kernel older than 5.13 / 5.6). Parsing, the per-component `O_NOFOLLOW` walk and O_TMPFILE
/// publishing must hold on their own. (Set `INTERVM_HOSTILE_WITHOUT=landlock,openat2` to run
/// every hostile suite this way.)
@Suite("Hostile streams with kernel layers removed", .enabled(if: LayerRemover.isAvailable, "needs bubblewrap"))
struct HostileLayerTests {
    static let removed: Set<KernelLayer> = [.landlock, .openat2]

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
}

/// The refusal tables with the receiver started as an unprivileged user (nobody), which takes
/// the user-namespace path to its chroot; the outside folder is writable by everyone.
@Suite("Hostile streams against an unprivileged receiver", .enabled(if: ReceiverSetup.nobodyCanRunReceiver, "needs root, and nobody able to run the receiver"))
struct HostileUnprivilegedTests {
    @Test(arguments: HostileLayerTests.tables) func refusedAsNobody(_ hostile: HostileCase) throws {
        try expectRefusal(hostile, setup: ReceiverSetup(unprivileged: true))
    }
}
