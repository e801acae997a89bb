@testable import Filecopy
import Testing

/// The preallocation policy on its own: how far ahead of the data a large file is reserved.
@Suite("Receiver: preallocation step")
struct PreallocationStepTests {
    /// Feeds a file of `length` bytes in chunks of `chunk(i)` bytes and checks after every one
    /// that nothing is reserved beyond the data by more than the data itself or 64 MiB, nor past
    /// the declared length, and that the ranges follow each other without gaps or overlaps.
    /// Returns the ranges asked for.
    static func feed(length: UInt64, chunk: (Int) -> UInt64) -> [(offset: UInt64, length: UInt64)] {
        var step = PreallocationStep(length: length)
        var ranges: [(offset: UInt64, length: UInt64)] = []
        var written: UInt64 = 0
        var index = 0
        while written < length {
            written = min(length, written + chunk(index))
            index += 1
            if let range = step.next(afterWriting: written) {
                #expect(range.offset == written)
                #expect(range.offset >= (ranges.last.map { $0.offset + $0.length } ?? 0), "overlap")
                ranges.append(range)
            }
            let ahead = step.reserved > written ? step.reserved - written : 0
            #expect(ahead <= min(written, PreallocationStep.maxStep), "\(ahead) reserved ahead of \(written) written")
            #expect(step.reserved <= length)
        }
        return ranges
    }

    /// Issue 14 item 3: the receiver's 128 KiB reads of a 4 GiB file: the reservation never
    /// runs ahead by more than what arrived or 64 MiB; steps double up to 64 MiB.
    @Test func streamChunksStayWithinTheBound() {
        let ranges = Self.feed(length: 4 << 30) { _ in 128 << 10 }
        #expect(ranges.first.map { $0.offset == 128 << 10 && $0.length == 128 << 10 } == true)
        #expect(ranges.map(\.length).max() == PreallocationStep.maxStep)
    }

    /// Issue 14 item 3: chunks of any size (a pipe or socket hands out what it has).
    @Test func unevenChunksStayWithinTheBound() {
        var random = SeededRandom(seed: 14)
        _ = Self.feed(length: 300 << 20) { _ in UInt64.random(in: 1...(3 << 20), using: &random) }
    }

    /// The number of fallocate calls stays small: 16 for a 512 MiB file read 128 KiB at a time.
    @Test func fewCallsForALargeFile() {
        #expect(Self.feed(length: 512 << 20) { _ in 128 << 10 }.count == 16)
    }

    /// Nothing is reserved before the first byte has arrived, whatever the declared length.
    @Test func nothingBeforeData() {
        var step = PreallocationStep(length: .max)
        #expect(step.next(afterWriting: 0) == nil)
        #expect(step.reserved == 0)
    }
}
