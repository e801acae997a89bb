import FilecopyWire
import Foundation
import Glibc
import Testing
import TestSupport

// Shared tools for the fault-injection suites (Fault*Tests): source trees with random content,
// tree digests to compare a received copy with its source, a seeded random generator, and
// what /proc says about a running program.

enum FaultTools {
    static var agent: String { Programs.path("qfile-agent") }
    static var unpacker: String { Programs.path("qfile-unpacker") }
    /// An empty home, so no receiver.conf of the machine changes limits or conflict policy.
    static func receiverEnvironment(home: String) -> [String: String] { ["HOME": home, "PATH": "/usr/bin:/bin"] }

    /// True when the programs were built with a sanitizer (`make check-asan`, `check-tsan`):
    /// its runtime changes memory figures and makes its own system calls at start-up.
    static let sanitizerBuild: Bool = {
        let probe = try? run(["/bin/grep", "-q", "-a", "-e", "__asan_init", "-e", "__tsan_init", unpacker])
        return probe?.status == 0
    }()

    /// Every entry under `directory` by relative path: `dir MODE`, `link TARGET`, or
    /// `file MODE SIZE CRC32 MTIME.NSEC` (the whole content, through its CRC-32). Never follows links.
    static func digest(_ directory: String) -> [String: String] {
        var found: [String: String] = [:]
        func walk(_ relative: String) {
            let absolute = relative.isEmpty ? directory : directory + "/" + relative
            for name in (try? FileManager.default.contentsOfDirectory(atPath: absolute)) ?? [] {
                let child = relative.isEmpty ? name : relative + "/" + name
                let path = directory + "/" + child
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    found[child] = "dir \(String(info.st_mode & 0o7777, radix: 8))"
                    walk(child)
                case S_IFLNK:
                    found[child] = "link " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?")
                default:
                    let content = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
                    found[child] =
                        "file \(String(info.st_mode & 0o7777, radix: 8)) \(info.st_size) \(CRC32.checksum(content)) "
                        + "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
                }
            }
        }
        walk("")
        return found
    }

    /// A tree of `files` files of `size` random bytes spread over nested folders, plus a
    /// symlink and an empty file, under `root/name`.
    static func makeTree(in root: String, name: String, files: Int, size: Int) throws {
        let top = root + "/" + name
        for index in 0..<files {
            let folder = top + "/d\(index % 4)/e\(index % 3)"
            try AgentTools.makeDirectory(folder)
            try AgentTools.write(folder + "/f\(index).bin", AgentTools.pattern(size + index))
        }
        try AgentTools.write(top + "/empty", [])
        #expect(symlink("d0/e0/f0.bin", top + "/link") == 0)
    }

    /// The targets of the program's open descriptors (readlink of /proc/PID/fd/*); empty once
    /// it is gone.
    static func openDescriptors(_ pid: pid_t) -> [String] {
        let folder = "/proc/\(pid)/fd"
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).map {
            (try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + $0)) ?? "?"
        }
    }

    /// What the program is blocked in (/proc/PID/wchan), e.g. `anon_pipe_read`.
    static func waitChannel(_ pid: pid_t) -> String {
        (try? String(contentsOfFile: "/proc/\(pid)/wchan", encoding: .utf8)) ?? ""
    }

    /// True while the program sleeps reading a pipe (wchan `pipe_read`, `anon_pipe_read`), or
    /// waiting in poll(2) (`do_sys_poll`, `poll_schedule_timeout...`): the receiver polls its
    /// input before each read, for its idle timeout.
    static func isBlockedReadingPipe(_ pid: pid_t) -> Bool {
        let channel = waitChannel(pid)
        return channel.hasSuffix("pipe_read") || channel.contains("poll")
    }

    /// True while the program sleeps writing into a full pipe.
    static func isBlockedWritingPipe(_ pid: pid_t) -> Bool { waitChannel(pid).hasSuffix("pipe_write") }

    /// A field of /proc/PID/status in kB (VmHWM, VmRSS), nil if unreadable.
    static func statusKilobytes(_ pid: pid_t, _ field: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") })
        else { return nil }
        return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" })[1])
    }

    /// Entries as `entryTree` shows them (`name/`, `name@`, `name`) for the records of a stream.
    static func tree(of records: [StreamRecord]) -> Set<String> {
        Set(records.map { record in
            switch record.kind {
            case .directory: record.nameString + "/"
            case .symlink: record.nameString + "@"
            default: record.nameString
            }
        })
    }

    /// Writes all of `bytes` to `fd` (write(2), retried on short writes); false on error.
    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: some Collection<UInt8>) -> Bool {
        let array = Array(bytes)
        var offset = 0
        while offset < array.count {
            let count = array[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress!, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            offset += count
        }
        return true
    }
}

/// SplitMix64: a small seeded generator, so every "random" offset is the same on every run.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A program the test writes to and reads from through two exclusive pipes: it writes the
/// program's stdin (and may hold it open as long as it likes) and reads its stdout. The test's
/// two ends are closed once, here, when it goes away.
final class PipeJoinedProgram {
    let program: SpawnedProgram
    /// The program's stdin; -1 once closed. (Closing a number twice would close whatever a
    /// test running alongside has opened under it since.)
    private(set) var input: Int32
    let answer: Int32

    init(_ arguments: [String], environment: [String: String]) throws {
        let forward = try ExclusivePipe()
        let backward = try ExclusivePipe()
        program = try SpawnedProgram(arguments, environment: environment, stdin: forward.readEnd, stdout: backward.writeEnd)
        close(forward.readEnd)
        close(backward.writeEnd)
        input = forward.writeEnd
        answer = backward.readEnd
    }

    func closeInput() {
        if input >= 0 { close(input) }
        input = -1
    }

    /// The receiver's answer once its stdout has been written and closed.
    func readAnswer() -> TransferResult? {
        var bytes = [UInt8](repeating: 0, count: 1 << 16)
        let count = bytes.withUnsafeMutableBytes { read(answer, $0.baseAddress!, $0.count) }
        return decodeResult(Array(bytes.prefix(max(count, 0))))
    }

    deinit {
        closeInput()
        close(answer)
    }
}
