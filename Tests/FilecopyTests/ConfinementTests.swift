import Foundation
import FilecopyWire
import Testing
import TestSupport

/// The receiver shuts itself in before it reads a byte. A debug-only probe compiled into the
/// test build tries to write outside through a descriptor it opened before confinement.
@Suite("Receiver: confinement")
struct ConfinementTests {
    static func probe(asUser user: UInt32?) throws -> (Finished, [String]) {
        let root = try TemporaryDirectory()
        chmod(root.path, 0o755)
        try FileManager.default.createDirectory(atPath: root("in"), withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: root("outside"), withIntermediateDirectories: false)
        chmod(root("in"), 0o777)
        chmod(root("outside"), 0o777)
        var builder = StreamBuilder()
        builder.file("ok.txt", "inside")
        builder.end()
        let receiver = [Programs.path("qfile-unpacker"), String(user ?? getuid()), root("in")]
        let command = user.map { ["/usr/bin/setpriv", "--reuid=\($0)", "--regid=\($0)", "--clear-groups"] + receiver } ?? receiver
        let finished = try run(
            command, stdin: builder.bytes, environment: ["INTERVM_DEBUG_ESCAPE_DIR": root("outside"), "HOME": root("in")])
        #expect(FileManager.default.contents(atPath: root("in/ok.txt")) == Data("inside".utf8))
        return (finished, try FileManager.default.contentsOfDirectory(atPath: root("outside")))
    }

    @Test("writes outside the destination are refused after confinement", arguments: [nil, UInt32(65534)])
    func escapeThroughHeldDescriptorIsRefused(user: UInt32?) throws {
        if user != nil { try #require(getuid() == 0, "needs root to become another user") }
        let (finished, outside) = try Self.probe(asUser: user)
        #expect(finished.status == 0, "\(finished.stderr)")
        for kind in ["file", "directory", "symlink"] {
            #expect(finished.stderr.contains("escape-probe \(kind): refused"), "\(finished.stderr)")
        }
        #expect(!finished.stderr.contains("CREATED"))
        #expect(outside.isEmpty)
    }

    @Test func rootDropsToTheReceivingUserBeforeReadingInput() throws {
        try #require(getuid() == 0, "needs root")
        let folder = try TemporaryDirectory()
        chmod(folder.path, 0o777)
        let receiver = try Started([Programs.path("qfile-unpacker"), "65534", folder.path])
        // Nothing has been sent yet: the receiver is blocked reading its first header.
        var uids: String?
        for _ in 0..<100 {
            let status = (try? String(contentsOfFile: "/proc/\(receiver.process.processIdentifier)/status", encoding: .utf8)) ?? ""
            if let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }), line.contains("65534") {
                uids = String(line)
                break
            }
            usleep(20_000)
        }
        let finished = receiver.finish()
        #expect(uids?.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().allSatisfy { $0 == "65534" } == true, "\(uids ?? "never dropped")")
        #expect(decodeResult(finished.stdout)?.code == .truncatedBetweenRecords)
    }

    @Test func killedMidFileLeavesNothingUnderItsName() throws {
        let folder = try TemporaryDirectory()
        let receiver = try Started([Programs.path("qfile-unpacker"), String(getuid()), folder.path])
        var builder = StreamBuilder()
        builder.record(name: Array("big.bin".utf8), mode: 0o100644, fileLength: 1 << 20, body: [UInt8](repeating: 7, count: 300_000))
        receiver.write(builder.bytes)
        usleep(200_000)
        kill(receiver.process.processIdentifier, SIGKILL)
        let finished = receiver.finish()
        #expect(finished.signalled)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
