import CGtk
import Glibc
import Synchronization

/// What the reader has seen on stdin since the main loop last looked.
public struct ProgressUpdate: Sendable, Equatable {
    public var bytes: UInt64?
    public var name: String?
    public var ended = false
}

/// Reads progress lines from stdin on a thread of its own and hands them to the main loop.
///
/// The reading thread never touches GTK: it folds lines into a pending update behind a mutex
/// and, when none is queued yet, schedules one delivery on the main loop (g_idle_add). The
/// main loop takes the whole pending update at once, so a fast sender cannot flood it.
public final class ProgressFeed: Sendable {
    /// Longer lines are skipped (a path is at most PATH_MAX bytes).
    static let maximumLine = 8192

    private let pending = Mutex<(update: ProgressUpdate, queued: Bool)>((ProgressUpdate(), false))
    private let deliver: @MainActor @Sendable (ProgressUpdate) -> Void
    private let input: Int32

    /// `deliver` runs on the main loop with each batch of updates.
    public init(input: Int32 = STDIN_FILENO, deliver: @escaping @MainActor @Sendable (ProgressUpdate) -> Void) {
        self.input = input
        self.deliver = deliver
    }

    /// Starts the reading thread (g_thread_new); it ends at end of file.
    public func start() {
        let context = Unmanaged.passRetained(self).toOpaque()
        let thread = g_thread_new("progress-stdin", { context in
            let feed = Unmanaged<ProgressFeed>.fromOpaque(context!).takeRetainedValue()
            feed.readUntilEnd()
            return nil
        }, context)
        g_thread_unref(thread)
    }

    /// The reading thread's loop: read(2) blocks, lines are parsed and posted.
    private func readUntilEnd() {
        var line: [UInt8] = []
        var skipping = false
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            for byte in buffer[..<count] {
                if byte == UInt8(ascii: "\n") {
                    if !skipping, let parsed = ProgressLine.parse(line) { post(parsed) }
                    line.removeAll(keepingCapacity: true)
                    skipping = false
                } else if line.count < Self.maximumLine {
                    line.append(byte)
                } else {
                    skipping = true
                }
            }
        }
        if !skipping, let parsed = ProgressLine.parse(line) { post(parsed) }
        post(nil)
    }

    /// Folds `line` (nil: end of file) into the pending update and queues a delivery if needed.
    private func post(_ line: ProgressLine?) {
        let mustQueue = pending.withLock { state -> Bool in
            switch line {
            case .bytes(let count): state.update.bytes = count
            case .name(let name): state.update.name = name
            case nil: state.update.ended = true
            }
            defer { state.queued = true }
            return !state.queued
        }
        guard mustQueue else { return }
        let context = Unmanaged.passRetained(self).toOpaque()
        _ = g_idle_add({ context in
            let feed = Unmanaged<ProgressFeed>.fromOpaque(context!).takeRetainedValue()
            MainActor.assumeIsolated { feed.deliverPending() }
            return 0  // G_SOURCE_REMOVE
        }, context)
    }

    /// On the main loop: takes the pending update and hands it on.
    @MainActor
    private func deliverPending() {
        let update = pending.withLock { state -> ProgressUpdate in
            defer { state = (ProgressUpdate(), false) }
            return state.update
        }
        deliver(update)
    }
}
