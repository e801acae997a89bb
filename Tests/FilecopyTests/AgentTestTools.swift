import FilecopyWire
import Foundation
import Testing
import TestSupport

/// Shared set-up for the qfile-agent suites: vectors, files with exact modes and times, and
/// running the agent against an answering peer.
enum AgentTools {
    static var agent: String { Programs.path("qfile-agent") }

    static func vector(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: Programs.vectorsDirectory + "/filecopy/" + name)))
    }

    /// Sets atime and mtime (seconds, nanoseconds) without following a link (utimensat(2)).
    static func setTimes(_ path: String, atime: (Int, Int), mtime: (Int, Int)) throws {
        let times = [timespec(tv_sec: atime.0, tv_nsec: atime.1), timespec(tv_sec: mtime.0, tv_nsec: mtime.1)]
        guard utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW) == 0 else { throw POSIXError(.init(rawValue: errno)!) }
    }

    static func write(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { throw POSIXError(.EIO) }
        guard chmod(path, mode) == 0 else { throw POSIXError(.init(rawValue: errno)!) }
    }

    static func makeDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Recreates the entries of a recorded stream under `folder`: content, link targets, full
    /// mode bits and both times from each header. Times and modes are applied deepest first,
    /// so filling a directory does not disturb its times afterwards.
    static func materialize(_ records: [StreamRecord], in folder: String) throws {
        var seen = Set<[UInt8]>()
        var unique: [StreamRecord] = []
        for record in records where seen.insert(record.name).inserted { unique.append(record) }
        for record in unique {
            let path = folder + "/" + record.nameString
            switch record.kind {
            case .directory: try makeDirectory(path)
            case .regular: try write(path, record.body)
            case .symlink:
                guard symlink(String(decoding: record.body, as: UTF8.self), path) == 0 else { throw POSIXError(.EIO) }
            case nil: Issue.record("unexpected type in vector: \(record)")
            }
        }
        for record in unique.reversed() {
            let path = folder + "/" + record.nameString
            if record.kind != .symlink { #expect(chmod(path, mode_t(record.header.mode & 0o7777)) == 0) }
            try setTimes(
                path, atime: (Int(record.header.atime), Int(record.header.atimeNanoseconds)),
                mtime: (Int(record.header.mtime), Int(record.header.mtimeNanoseconds)))
        }
    }

    /// Runs the agent as a well-behaved receiver would: reads its stream to the end header,
    /// answers success with the CRC-32 of exactly what arrived, and waits for it to exit.
    static func sendAndAnswer(
        _ arguments: [String], environment: [String: String]? = nil, currentDirectory: String? = nil
    ) throws -> (finished: Finished, stream: DecodedStream) {
        let agent = try PipedProgram([Self.agent] + arguments, environment: environment, currentDirectory: currentDirectory)
        agent.read(until: { decodeStream($0).ended })
        let stream = decodeStream(agent.received)
        let lastName = stream.records.last?.name ?? []
        agent.write(TransferResult(code: .success, crc32: CRC32.checksum(agent.received), lastName: lastName).encoded)
        agent.closeInput()
        let finished = try #require(agent.wait(), "qfile-agent did not exit")
        return (finished, stream)
    }

    /// Checks Qubes' order rules: every directory appears exactly twice, all its descendants
    /// between its two headers, and nothing else appears twice.
    static func expectDirectoryOrder(_ records: [StreamRecord], sourceLocation: SourceLocation = #_sourceLocation) {
        var positions: [[UInt8]: [Int]] = [:]
        for (index, record) in records.enumerated() { positions[record.name, default: []].append(index) }
        for (name, indices) in positions {
            let record = records[indices[0]]
            guard record.kind == .directory else {
                #expect(indices.count == 1, "\(record.nameString) sent \(indices.count) times", sourceLocation: sourceLocation)
                continue
            }
            #expect(indices.count == 2, "directory \(record.nameString) sent \(indices.count) times", sourceLocation: sourceLocation)
            guard indices.count == 2 else { continue }
            #expect(records[indices[0]] == records[indices[1]], "repeated header differs", sourceLocation: sourceLocation)
            let prefix = name + [UInt8(ascii: "/")]
            for (index, other) in records.enumerated() where other.name.starts(with: prefix) {
                #expect(
                    indices[0] < index && index < indices[1], "\(other.nameString) outside \(record.nameString)",
                    sourceLocation: sourceLocation)
            }
        }
    }

    /// The records as a multiset, for comparing streams whose readdir order may differ.
    static func multiset(_ records: [StreamRecord]) -> [StreamRecord: Int] {
        records.reduce(into: [:]) { counts, record in counts[record, default: 0] += 1 }
    }

    /// `count` random bytes (so a shifted, truncated or mixed-up copy differs).
    static func pattern(_ count: Int) -> [UInt8] {
        guard let random = FileHandle(forReadingAtPath: "/dev/urandom") else { return [UInt8](repeating: 0x5A, count: count) }
        defer { try? random.close() }
        return [UInt8](random.readData(ofLength: count))
    }
}
