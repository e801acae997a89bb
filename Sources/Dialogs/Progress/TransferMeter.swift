/// Bytes done, rate and time left of one transfer, from timed byte counts.
public struct TransferMeter: Sendable {
    /// The rate is taken over about this many seconds of the latest samples.
    public static let window = 3.0

    public let total: UInt64?
    public private(set) var done: UInt64 = 0
    private var samples: [(time: Double, bytes: UInt64)] = []

    public init(total: UInt64?) {
        self.total = total
    }

    /// Records that `bytes` (cumulative) were done at `time` (seconds, monotonic). A count
    /// lower than the last one is ignored.
    public mutating func record(bytes: UInt64, at time: Double) {
        guard bytes >= done else { return }
        done = bytes
        samples.append((time, bytes))
        // Keep one sample older than the window so the rate spans the whole window.
        while samples.count > 2, time - samples[1].time >= Self.window { samples.removeFirst() }
    }

    /// Bytes per second over the latest samples; nil until they span at least half a second.
    public var bytesPerSecond: Double? {
        guard let first = samples.first, let last = samples.last, last.time - first.time >= 0.5 else { return nil }
        return Double(last.bytes - first.bytes) / (last.time - first.time)
    }

    /// Fraction done, 0...1, when the total is known.
    public var fraction: Double? {
        guard let total else { return nil }
        guard total > 0 else { return 1 }
        return min(1, Double(done) / Double(total))
    }

    /// Seconds left at the current rate; nil without a total or a rate.
    public var secondsLeft: Double? {
        guard let total, let rate = bytesPerSecond, rate > 0 else { return nil }
        return Double(total > done ? total - done : 0) / rate
    }
}
