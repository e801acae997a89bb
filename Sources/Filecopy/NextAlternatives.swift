/// Where to resume the search for a free alternative name (`ConflictNames`) within one
/// transfer: after `report (7).pdf` was free, the next `report.pdf` tries `report (8).pdf`
/// first instead of failing on `(1)` to `(7)` again, so many records of one name cost a few
/// link attempts each, not one more per record before them (issue 14 item 8).
///
/// Keyed by the whole name, so `a/x` and `b/x` count apart. Bounded: a hostile stream of
/// distinct conflicting names may not grow it, so it forgets everything once full; a name
/// forgotten only costs the old search again. Starting past a name that has meanwhile become
/// free is harmless: every attempt still refuses to replace anything.
final class NextAlternatives {
    private var next: [[UInt8]: Int] = [:]
    static let capacity = 64

    /// The first alternative to try for `name` (1 when none was used yet).
    func firstAttempt(for name: UnsafeRawBufferPointer) -> Int {
        next.isEmpty ? 1 : next[Array(name)] ?? 1
    }

    /// Records that `name` was stored under its `attempt`-th alternative.
    func remember(_ name: UnsafeRawBufferPointer, used attempt: Int) {
        if next.count >= Self.capacity { next.removeAll(keepingCapacity: true) }
        next[Array(name)] = attempt + 1
    }
}
