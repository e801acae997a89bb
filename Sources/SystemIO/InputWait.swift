import Glibc
import SystemPackage

extension FileDescriptor {
    /// Waits until reading would not block (data, end of input or an error to report) or
    /// `seconds` have passed; false when the time ran out first.
    ///
    /// poll(2) for POLLIN, restarted on EINTR with what is left of the time, measured on
    /// CLOCK_MONOTONIC so a change of the wall clock neither shortens nor extends it.
    public func waitForInput(seconds: UInt32) throws -> Bool {
        let deadline = Self.monotonicNanoseconds() + UInt64(seconds) * 1_000_000_000
        var entry = pollfd(fd: rawValue, events: Int16(POLLIN), revents: 0)
        while true {
            let now = Self.monotonicNanoseconds()
            guard now < deadline else { return false }
            // Rounded up, so poll never returns a millisecond early and loops for nothing.
            let milliseconds = min((deadline - now + 999_999) / 1_000_000, UInt64(Int32.max))
            let ready = poll(&entry, 1, Int32(milliseconds))
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { throw Errno(rawValue: errno) }
        }
    }

    private static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
