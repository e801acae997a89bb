import Foundation
import Testing
import TestSupport

/// qvm-move while the sources change under it. The receiving service is a gate around the real
/// qfile-unpacker (unsandboxed, so it can stand for the user's other programs): it says when it
/// started (the front end's pre-check is over, the sender is stuck writing into a full pipe),
/// waits for `go1`, receives everything, says so, and holds the answer back until `go2`. The
/// test changes the sources at those two points, so each race happens the same way every run.
@Suite struct FrontEndMoveRaceTests {
    /// The gated service in `vms` (VM personal), with its signal files in `gate`.
    func installGate(in vms: LocalVMsFixture) throws -> String {
        let gate = vms.scratch("gate")
        try FileManager.default.createDirectory(atPath: gate, withIntermediateDirectories: true)
        let unpacker = Programs.path("qfile-unpacker")
        try vms.addService(
            "qubes.Filecopy", in: "personal",
            script: """
                #!/bin/sh
                gate='\(gate)'
                wait_for() { n=0; while [ ! -e "$gate/$1" ] && [ $n -lt 1200 ]; do sleep 0.05; n=$((n+1)); done; }
                : > "$gate/started"
                wait_for go1
                '\(unpacker)' > "$gate/answer"
                status=$?
                : > "$gate/received"
                wait_for go2
                cat "$gate/answer"
                exit $status

                """)
        return gate
    }

    /// Waits (at most a minute) for the service to create `name`.
    func waitFor(_ name: String, in gate: String) -> Bool {
        for _ in 0..<1200 {
            if FileManager.default.fileExists(atPath: gate + "/" + name) { return true }
            usleep(50_000)
        }
        return false
    }

    func open(_ name: String, in gate: String) {
        _ = FileManager.default.createFile(atPath: gate + "/" + name, contents: nil)
    }

    func startMove(_ vms: LocalVMsFixture, _ files: [String]) throws -> Started {
        try Started(
            [LocalVMsFixture.qrexecLocal, "--root", vms.root, "run", "--no-sandbox", "work", "--", "qvm-move-to-vm", "personal"]
                + files)
    }

    /// Issue 14 item 1: a file renamed out of the selection while the sender walks its folder,
    /// and put back before the removal, was never sent, so it is kept (with its folder) and named.
    @Test func fileRenamedOutAndBackIsKept() throws {
        let vms = try LocalVMsFixture(vms: ["work", "personal"], policy: "qubes.Filecopy * work personal allow\n")
        let home = vms.home("work")
        // Larger than the pipe and the sender's buffer: the sender waits inside it until go1.
        try Data(count: 8 * 1024 * 1024).write(to: URL(fileURLWithPath: home + "/big.bin"))
        try vms.write("away and back\n", to: home + "/dir/x.txt")
        try vms.write("stays put\n", to: home + "/dir/y.txt")
        let gate = try installGate(in: vms)
        let move = try startMove(vms, ["big.bin", "dir"])
        #expect(waitFor("started", in: gate))
        #expect(rename(home + "/dir/x.txt", home + "/x-aside.txt") == 0)
        open("go1", in: gate)
        #expect(waitFor("received", in: gate))
        #expect(rename(home + "/x-aside.txt", home + "/dir/x.txt") == 0)
        open("go2", in: gate)
        let result = move.finish()

        #expect(result.status != 0, "what was kept is reported")
        #expect(vms.read(home + "/dir/x.txt") == "away and back\n", "\(result.stderr)")
        #expect(try snapshot(home) == ["dir": "dir", "dir/x.txt": "file:away and back\n"], "\(result.stderr)")
        #expect(result.stderr.contains("\"dir/x.txt\""), "\(result.stderr)")
        #expect(result.stderr.contains("\"dir\""), "\(result.stderr)")
        #expect(!vms.exists(vms.incoming("personal", from: "work") + "/dir/x.txt"))
    }

    /// Issue 14 item 1: a file appended to after its body was sent (a log) is kept with the
    /// unsent lines and named; the other file, unchanged, goes.
    @Test func fileAppendedAfterItWasSentIsKept() throws {
        let vms = try LocalVMsFixture(vms: ["work", "personal"], policy: "qubes.Filecopy * work personal allow\n")
        let home = vms.home("work")
        try vms.write("first line\n", to: home + "/log.txt")
        try vms.write("other\n", to: home + "/other.txt")
        let gate = try installGate(in: vms)
        open("go1", in: gate)
        let move = try startMove(vms, ["log.txt", "other.txt"])
        #expect(waitFor("received", in: gate))
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: home + "/log.txt"))
        try log.seekToEnd()
        try log.write(contentsOf: Data("second line\n".utf8))
        try log.close()
        open("go2", in: gate)
        let result = move.finish()

        #expect(result.status != 0, "what was kept is reported")
        #expect(try snapshot(home) == ["log.txt": "file:first line\nsecond line\n"], "\(result.stderr)")
        #expect(result.stderr.contains("\"log.txt\""), "\(result.stderr)")
        #expect(vms.read(vms.incoming("personal", from: "work") + "/log.txt") == "first line\n")
        #expect(vms.read(vms.incoming("personal", from: "work") + "/other.txt") == "other\n")
    }

    /// Issue 14 item 1: a file replaced by another under the same name after it was sent (an
    /// editor saving by rename) is kept: same name, different file.
    @Test func fileReplacedAfterItWasSentIsKept() throws {
        let vms = try LocalVMsFixture(vms: ["work", "personal"], policy: "qubes.Filecopy * work personal allow\n")
        let home = vms.home("work")
        try vms.write("old\n", to: home + "/doc.txt")
        let gate = try installGate(in: vms)
        open("go1", in: gate)
        let move = try startMove(vms, ["doc.txt"])
        #expect(waitFor("received", in: gate))
        try vms.write("new\n", to: home + "/doc.txt.tmp")
        #expect(rename(home + "/doc.txt.tmp", home + "/doc.txt") == 0)
        open("go2", in: gate)
        let result = move.finish()

        #expect(result.status != 0)
        #expect(try snapshot(home) == ["doc.txt": "file:new\n"], "\(result.stderr)")
        #expect(result.stderr.contains("\"doc.txt\""), "\(result.stderr)")
    }
}
