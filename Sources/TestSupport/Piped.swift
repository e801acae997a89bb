import Foundation

/// A program whose stdin and stdout are pipes the test drives directly: it can read the
/// program's output slowly (the program blocks on a full pipe), answer it, or close either
/// end to play a peer that goes away. stderr is captured to a file.
public final class PipedProgram: @unchecked Sendable {
    public let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let scratch: TemporaryDirectory
    private let stderrPath: String
    private let stderrHandle: FileHandle
    private var inputOpen = true
    private var outputOpen = true
    /// Everything read from the program's stdout so far.
    public private(set) var received: [UInt8] = []

    public init(_ arguments: [String], environment: [String: String]? = nil, currentDirectory: String? = nil) throws {
        // Writing to a program that has exited must be a failed write, not the test runner's death.
        signal(SIGPIPE, SIG_IGN)
        scratch = try TemporaryDirectory()
        stderrPath = scratch.path + "/stderr"
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        stderrHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        process.standardInput = input.fileHandleForReading
        process.standardOutput = output.fileHandleForWriting
        process.standardError = stderrHandle
        try process.run()
        try input.fileHandleForReading.close()
        try output.fileHandleForWriting.close()
    }

    deinit {
        if process.isRunning { process.terminate() }
        closeInput()
        closeOutput()
    }

    /// Reads from the program's stdout until `count` more bytes arrived, its output ended, or
    /// `timeout` seconds passed without any data; returns the new bytes.
    @discardableResult
    public func read(_ count: Int, timeout: Double = 10) -> [UInt8] {
        var fresh: [UInt8] = []
        while fresh.count < count, let chunk = readChunk(max: count - fresh.count, timeout: timeout) {
            fresh += chunk
        }
        received += fresh
        return fresh
    }

    /// Reads until `done(received)` holds, the output ends, or `timeout` seconds pass without data.
    public func read(until done: ([UInt8]) -> Bool, timeout: Double = 10) {
        while !done(received), let chunk = readChunk(max: 1 << 16, timeout: timeout) {
            received += chunk
        }
    }

    /// Reads until the output ends (or `timeout` seconds pass without data).
    public func readToEnd(timeout: Double = 10) {
        read(until: { _ in false }, timeout: timeout)
    }

    /// One read(2) of at most `max` bytes; nil at end of output, on error or after `timeout`
    /// seconds without data (or once the program has exited and nothing is left).
    private func readChunk(max: Int, timeout: Double) -> [UInt8]? {
        let descriptor = output.fileHandleForReading.fileDescriptor
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            if poll(&entry, 1, 100) > 0 {
                var buffer = [UInt8](repeating: 0, count: max)
                let count = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress!, max) }
                return count > 0 ? Array(buffer[..<count]) : nil
            }
            // Another test's child may have inherited our write end: an exited program with
            // nothing pending counts as the end.
            if !process.isRunning { return nil }
        }
        return nil
    }

    /// Writes to the program's stdin; false when it no longer reads.
    @discardableResult
    public func write(_ bytes: [UInt8]) -> Bool {
        do {
            try input.fileHandleForWriting.write(contentsOf: Data(bytes))
            return true
        } catch {
            return false
        }
    }

    /// Closes the program's stdin (it sees the end of its input).
    public func closeInput() {
        guard inputOpen else { return }
        inputOpen = false
        try? input.fileHandleForWriting.close()
    }

    /// Closes the reading end of the program's stdout (its next write fails with EPIPE).
    public func closeOutput() {
        guard outputOpen else { return }
        outputOpen = false
        try? output.fileHandleForReading.close()
    }

    /// Waits up to `timeout` seconds for the program to end; nil (after killing it) if it did not.
    public func wait(timeout: Double = 30) -> Finished? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            return nil
        }
        process.waitUntilExit()
        try? stderrHandle.close()
        let stderr = FileManager.default.contents(atPath: stderrPath) ?? Data()
        return Finished(
            status: process.terminationStatus, stdout: received, stderr: String(decoding: stderr, as: UTF8.self),
            signalled: process.terminationReason == .uncaughtSignal)
    }
}
