import Glibc
import SystemIO
import SystemPackage

/// Progress reports, chosen by the environment as Qubes' sender chooses them:
/// `PROGRESS_TYPE=console` with `FILECOPY_TOTAL_BYTES` redraws one line on stderr (percent,
/// sizes, rate, time left), but only when stderr is a terminal: a log or a pipe gets no
/// carriage returns and no progress lines; `PROGRESS_TYPE=gui` with `SAVED_FD_1` writes the
/// cumulative byte count, one decimal number a line, to that descriptor (qrexec-client-vm's
/// saved stdout, read by the progress dialog). Reports are at most ten a second, plus a final
/// one; the console line is finished with a newline before any message follows it.
public final class SenderProgress {
    public enum Style: Equatable, Sendable {
        case silent
        /// Console line on stderr against the expected total in bytes.
        case console(totalBytes: UInt64)
        /// Byte counts, one a line, to a descriptor.
        case gui(descriptor: Int32)
    }

    public let style: Style
    /// File data bytes sent so far.
    public private(set) var bytes: UInt64 = 0
    private var lastReport: UInt64 = 0
    private var lastReportTime: Int64?
    private static let interval: Int64 = 100_000_000  // nanoseconds

    /// When the transfer started, for the rate and the time left.
    private let started = SenderProgress.monotonicNanoseconds()

    public init(style: Style) {
        self.style = style
    }

    /// The style Qubes' environment variables ask for.
    public static func fromEnvironment() -> SenderProgress {
        func value(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
        switch value("PROGRESS_TYPE") {
        case "console":
            if isatty(STDERR_FILENO) == 1, let total = value("FILECOPY_TOTAL_BYTES").flatMap({ UInt64($0) }) {
                return SenderProgress(style: .console(totalBytes: total))
            }
        case "gui":
            if let descriptor = value("SAVED_FD_1").flatMap({ Int32($0) }), descriptor >= 0 {
                return SenderProgress(style: .gui(descriptor: descriptor))
            }
        default: break
        }
        return SenderProgress(style: .silent)
    }

    /// Counts `count` more bytes of file data.
    func add(_ count: Int) {
        bytes += UInt64(count)
    }

    /// Reports the count if it changed and the last report is old enough.
    func report() {
        guard style != .silent, bytes != lastReport else { return }
        let now = Self.monotonicNanoseconds()
        if let lastReportTime, now - lastReportTime < Self.interval { return }
        lastReportTime = now
        emit()
    }

    /// The last report, always made; the console line ends with a newline.
    func finish() {
        guard style != .silent else { return }
        emit()
        if case .console = style { write("\n", to: STDERR_FILENO) }
    }

    private func emit() {
        lastReport = bytes
        switch style {
        case .silent: break
        case .console(let total):
            let line = ConsoleProgressLine(bytes: bytes, total: total, elapsedNanoseconds: Self.monotonicNanoseconds() - started)
            // Back to the start of the line, the new text, then erase what a longer line left.
            write("\r" + line.text + "\u{1B}[K", to: STDERR_FILENO)
        case .gui(let descriptor): write("\(bytes)\n", to: descriptor)
        }
    }

    /// Progress is best effort: a closed progress descriptor never stops a transfer.
    private func write(_ text: String, to descriptor: Int32) {
        try? FileDescriptor(rawValue: descriptor).writeFully(Array(text.utf8))
    }

    private static func monotonicNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
