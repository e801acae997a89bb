import Foundation

/// What a finished program left behind.
public struct Finished: Sendable {
    public var status: Int32
    public var stdout: [UInt8]
    public var stderr: String
    /// True when the program ended by a signal rather than exit().
    public var signalled: Bool
}

/// Runs `arguments` (the program's absolute path first) with `stdin` as its whole input and
/// waits for it. Input and output go through temporary files, so nothing can deadlock.
public func run(
    _ arguments: [String], stdin: [UInt8] = [], environment: [String: String]? = nil,
    currentDirectory: String? = nil
) throws -> Finished {
    let scratch = try TemporaryDirectory()
    let inputPath = scratch.path + "/stdin"
    _ = FileManager.default.createFile(atPath: inputPath, contents: Data(stdin))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: arguments[0])
    process.arguments = Array(arguments.dropFirst())
    if let environment { process.environment = environment }
    if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
    let output = try OutputCapture(in: scratch)
    process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputPath))
    process.standardOutput = output.stdoutHandle
    process.standardError = output.stderrHandle
    try process.run()
    process.waitUntilExit()
    return output.finish(process)
}

/// Runs a sender and a receiver joined as qrexec joins them: the sender's stdout is the
/// receiver's stdin and the receiver's stdout is the sender's stdin.
public func runJoined(
    sender: [String], receiver: [String], senderEnvironment: [String: String]? = nil,
    receiverEnvironment: [String: String]? = nil
) throws -> (sender: Finished, receiver: Finished) {
    let scratch = try TemporaryDirectory()
    let forward = Pipe()
    let backward = Pipe()
    let senderProcess = Process()
    senderProcess.executableURL = URL(fileURLWithPath: sender[0])
    senderProcess.arguments = Array(sender.dropFirst())
    if let senderEnvironment { senderProcess.environment = senderEnvironment }
    let receiverProcess = Process()
    receiverProcess.executableURL = URL(fileURLWithPath: receiver[0])
    receiverProcess.arguments = Array(receiver.dropFirst())
    if let receiverEnvironment { receiverProcess.environment = receiverEnvironment }
    let senderOutput = try OutputCapture(in: scratch, prefix: "sender")
    let receiverOutput = try OutputCapture(in: scratch, prefix: "receiver")
    senderProcess.standardInput = backward.fileHandleForReading
    senderProcess.standardOutput = forward.fileHandleForWriting
    senderProcess.standardError = senderOutput.stderrHandle
    receiverProcess.standardInput = forward.fileHandleForReading
    receiverProcess.standardOutput = backward.fileHandleForWriting
    receiverProcess.standardError = receiverOutput.stderrHandle
    try receiverProcess.run()
    try senderProcess.run()
    // Our copies of the pipe ends must go, or neither side would ever see end of file.
    try forward.fileHandleForReading.close()
    try forward.fileHandleForWriting.close()
    try backward.fileHandleForReading.close()
    try backward.fileHandleForWriting.close()
    senderProcess.waitUntilExit()
    receiverProcess.waitUntilExit()
    return (senderOutput.finish(senderProcess), receiverOutput.finish(receiverProcess))
}

/// A program started with a pipe on its stdin that the test writes into piece by piece
/// (a slow or misbehaving sender); stdout and stderr are captured.
public final class Started: @unchecked Sendable {
    public let process = Process()
    private let input = Pipe()
    private let scratch: TemporaryDirectory
    private let output: OutputCapture

    public init(_ arguments: [String], environment: [String: String]? = nil) throws {
        scratch = try TemporaryDirectory()
        output = try OutputCapture(in: scratch)
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        if let environment { process.environment = environment }
        process.standardInput = input.fileHandleForReading
        process.standardOutput = output.stdoutHandle
        process.standardError = output.stderrHandle
        try process.run()
        try input.fileHandleForReading.close()
    }

    /// Writes bytes to the program's stdin; false when the program no longer reads.
    @discardableResult
    public func write(_ bytes: [UInt8]) -> Bool {
        do {
            try input.fileHandleForWriting.write(contentsOf: Data(bytes))
            return true
        } catch {
            return false
        }
    }

    /// Closes stdin and waits for the program to end.
    public func finish() -> Finished {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        return output.finish(process)
    }
}

/// Output files for one program.
final class OutputCapture {
    let stdoutPath: String
    let stderrPath: String
    let stdoutHandle: FileHandle
    let stderrHandle: FileHandle

    init(in scratch: TemporaryDirectory, prefix: String = "") throws {
        stdoutPath = scratch.path + "/\(prefix)stdout"
        stderrPath = scratch.path + "/\(prefix)stderr"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        stdoutHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        stderrHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
    }

    func finish(_ process: Process) -> Finished {
        try? stdoutHandle.close()
        try? stderrHandle.close()
        let stdout = FileManager.default.contents(atPath: stdoutPath) ?? Data()
        let stderr = FileManager.default.contents(atPath: stderrPath) ?? Data()
        return Finished(
            status: process.terminationStatus, stdout: [UInt8](stdout),
            stderr: String(decoding: stderr, as: UTF8.self),
            signalled: process.terminationReason == .uncaughtSignal)
    }
}
