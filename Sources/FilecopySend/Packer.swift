import DisplayText
import FilecopyWire
import Glibc
import Localization
import SystemIO
import SystemPackage

/// What the sender does with entries the user did not ask about explicitly.
public struct PackerOptions: Sendable {
    /// Skip symbolic links instead of sending them as links.
    public var ignoreSymlinks: Bool
    /// Say on stderr which entries were skipped.
    public var verbose: Bool
    /// Keep a record of every entry sent, for `removeSent()` (a move).
    public var recordSent: Bool

    public init(ignoreSymlinks: Bool = false, verbose: Bool = false, recordSent: Bool = false) {
        self.ignoreSymlinks = ignoreSymlinks
        self.verbose = verbose
        self.recordSent = recordSent
    }
}

/// The sender of a qubes.Filecopy transfer (Qubes' qfile-agent): walks the given paths without
/// following symlinks, writes one stream to `output`, watches `answers` for the receiver's
/// result while sending, and checks the final result against the CRC-32 of what it wrote.
///
/// A file that changes while it is sent, an unreadable file or an early error from the receiver
/// ends the transfer at once: the record in progress is never completed, so the receiver
/// cannot publish a file of the wrong size. One Packer makes one transfer.
public final class Packer {
    let options: PackerOptions
    let progress: SenderProgress
    let output: PackerOutput
    let answers: FileDescriptor

    /// The wire name of the entry being sent (also the path shown in messages).
    var path: [UInt8] = []
    /// The argument being sent, as the user typed it.
    var argument: [UInt8] = []
    /// Stream offset of the record in progress, nil between records.
    var recordStart: UInt64?
    /// Directories being walked, innermost last.
    var openDirectories: [OpenDirectory] = []
    /// Set once the receiver's answer has been read (it is sent only once).
    var answerRead = false
    /// A success that arrived before the end; checked once everything is sent.
    var earlySuccess: TransferResult?
    /// What was sent, with `recordSent`.
    var sentLog: SentLog?

    public init(
        options: PackerOptions = PackerOptions(), progress: SenderProgress = SenderProgress(style: .silent),
        output: FileDescriptor = .standardOutput, answers: FileDescriptor = .standardInput
    ) {
        self.options = options
        self.progress = progress
        self.output = PackerOutput(descriptor: output)
        self.answers = answers
        if options.recordSent { sentLog = SentLog() }
    }

    deinit { closeOpenDirectories() }

    /// Sends `paths` (each contributes its last component as its name; a trailing `/` is
    /// ignored), the end header, and waits for the receiver's result. Returns normally only
    /// when the receiver reported success with the CRC-32 of every byte sent; otherwise throws
    /// a `TransferFailure`. Ignores SIGPIPE, so a receiver that goes away shows as EPIPE.
    public func send(_ paths: [[UInt8]]) throws {
        _ = signal(SIGPIPE, SIG_IGN)
        Self.raiseOpenFileLimit()
        do {
            for path in paths {
                try sendArgument(path)
            }
            try makeRoom(FileHeader.size)
            FileHeader.endOfTransfer.encoded.withUnsafeBytes { output.append($0) }
            try flush()
        } catch let failure as TransferFailure {
            closeOpenDirectories()
            if failure.isLocal { cutStream() } else { output.close() }
            progress.finish()  // ends the console line before the message
            throw failure
        }
        output.close()
        progress.finish()
        let result = try earlySuccess ?? awaitAnswer()
        if let failure = TransferFailure.check(result, sentCRC: output.crc.value) { throw failure }
    }

    // MARK: Writing

    /// Makes sure `count` more bytes fit in the buffer, writing it out first if needed.
    func makeRoom(_ count: Int) throws {
        if output.freeCount < count { try flush() }
    }

    /// Writes out everything pending, then looks for an early answer from the receiver.
    func flush() throws {
        do {
            try output.write(output.pending)
        } catch let error as Errno where error == .brokenPipe {
            throw answerAfterReceiverLeft()
        } catch let error as Errno {
            throw TransferFailure.cannotWrite(error)
        }
        progress.report()
        try checkForEarlyAnswer()
    }

    /// Starts the record for `path`: header (with the name length filled in) and name + NUL,
    /// with room for `bodyCount` more bytes right behind them.
    func beginRecord(_ header: FileHeader, bodyCount: Int = 0) throws {
        let nameLength = path.count + 1
        guard nameLength <= Int(FileHeader.maxNameLength) else { throw TransferFailure.nameTooLong(name: path) }
        try makeRoom(FileHeader.size + nameLength + bodyCount)
        var header = header
        header.nameLength = UInt32(nameLength)
        recordStart = output.position
        header.encode(into: output.freeSpace)
        output.commit(FileHeader.size)
        path.withUnsafeBytes { output.append($0) }
        withUnsafeBytes(of: UInt8(0)) { output.append($0) }
    }

    /// Stops the stream inside the record in progress: complete records still in the buffer
    /// go out, the unfinished one never does, and the output is closed so the receiver sees
    /// the end now.
    func cutStream() {
        guard !output.isClosed else { return }
        output.discard(from: recordStart ?? output.position)
        try? output.write(output.pending)
        output.close()
    }

    // MARK: The receiver's answer

    /// Reads the answer if one is waiting. An error stops the transfer; a success is kept and
    /// checked at the end (only then can its checksum be right).
    func checkForEarlyAnswer() throws {
        guard !answerRead, PackerAnswer.isWaiting(on: answers) else { return }
        answerRead = true
        let answer = PackerAnswer.read(from: answers)
        if case .answered(let result) = answer, result.code.isSuccess {
            earlySuccess = result
            return
        }
        throw Self.failure(for: answer)
    }

    /// Waits for the answer after the end header.
    func awaitAnswer() throws -> TransferResult {
        guard !answerRead else { throw TransferFailure.noAnswer }
        answerRead = true
        let answer = PackerAnswer.read(from: answers)
        if case .answered(let result) = answer { return result }
        throw Self.failure(for: answer)
    }

    /// The failure to report when the receiver stopped reading: its answer if it sent one in
    /// time, otherwise that it left without one.
    func answerAfterReceiverLeft() -> TransferFailure {
        output.close()
        guard !answerRead else { return earlySuccess == nil ? .noAnswer : .receiverStoppedEarly }
        answerRead = true
        // The receiver is gone or going: its answer, if any, is already on the way.
        let answer = PackerAnswer.read(from: answers, timeoutMilliseconds: 5000)
        if case .answered(let result) = answer, result.code.isSuccess { return .receiverStoppedEarly }
        return Self.failure(for: answer)
    }

    static func failure(for answer: ReceiverAnswer) -> TransferFailure {
        switch answer {
        case .answered(let result):
            return .receiverError(result.code, untrustedName: result.lastName)
        case .none: return .noAnswer
        case .incomplete: return .incompleteAnswer
        case .invalid: return .invalidAnswer
        }
    }

    // MARK: Process set-up

    /// One descriptor stays open per directory level: allow as many as the hard limit does
    /// (setrlimit(2) RLIMIT_NOFILE).
    static func raiseOpenFileLimit() {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(resource, &limit)
    }

    /// A line on stderr about a skipped entry, with `--verbose` only.
    func note(_ line: @autoclosure () -> String) {
        guard options.verbose else { return }
        printError("qfile-agent: " + line())
    }

    /// `path` as shown in messages.
    var displayPath: String { DisplayText.escaped(path) }
}

extension TransferFailure {
    /// True for failures of the sending side (a local file), after which the stream is cut
    /// rather than simply closed.
    var isLocal: Bool {
        switch self {
        case .fileChanged, .cannotRead, .nameTooLong, .unsendablePath: true
        default: false
        }
    }
}
