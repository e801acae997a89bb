/// The buffer both sides move the stream through, and the pipe each asks for on its own end
/// (under qrexec the two ends are different pipes, each joined to its qrexec agent).
///
/// With the default 64 KiB pipe and 128 KiB writes, the sender stalls in the middle of every
/// write until the receiver has drained the pipe, so the two take turns instead of running at
/// once; a pipe holding four buffers lets each side work on one buffer while the other works on
/// the next. 512 KiB is within the default unprivileged limit (/proc/sys/fs/pipe-max-size).
public enum StreamSizes {
    /// Bytes read or written at once: still in the CPU's cache between the read and the write.
    public static let buffer = 128 << 10
    public static let pipe = 4 * buffer
}
