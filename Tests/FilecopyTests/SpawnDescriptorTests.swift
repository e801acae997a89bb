import Glibc
import SystemIO
import Testing

/// `Spawn.closeOnExecPipe(atLeast:)` and `Spawn.closeOnExecDuplicate`: the descriptors the
/// front ends and the local qrexec stand-in hand to their children through `redirect`.
@Suite("Close-on-exec pipes and duplicates")
struct SpawnDescriptorTests {
    static func isCloseOnExec(_ fd: Int32) -> Bool { fcntl(fd, F_GETFD) & FD_CLOEXEC != 0 }

    @Test(arguments: [Int32(0), 10, 100])
    func pipeEndsAreCloseOnExecAndHighEnough(_ lowest: Int32) throws {
        let ends = try Spawn.closeOnExecPipe(atLeast: lowest)
        defer { close(ends.read); close(ends.write) }
        #expect(ends.read >= lowest && ends.write >= lowest)
        #expect(Self.isCloseOnExec(ends.read) && Self.isCloseOnExec(ends.write))
        #expect(write(ends.write, "ok", 2) == 2)
        var buffer = [UInt8](repeating: 0, count: 2)
        #expect(read(ends.read, &buffer, 2) == 2)
        #expect(buffer == Array("ok".utf8))
    }

    @Test func aDuplicateIsCloseOnExecAndHighEnough() throws {
        let copy = try Spawn.closeOnExecDuplicate(1, atLeast: 10)
        defer { close(copy) }
        #expect(copy >= 10)
        #expect(Self.isCloseOnExec(copy))
        var original = stat()
        var duplicate = stat()
        #expect(fstat(1, &original) == 0 && fstat(copy, &duplicate) == 0)
        #expect(original.st_ino == duplicate.st_ino && original.st_dev == duplicate.st_dev)
    }

    @Test func aClosedDescriptorIsAnError() {
        #expect(throws: (any Error).self) { try Spawn.closeOnExecDuplicate(-1, atLeast: 10) }
    }
}
