import SystemIO
import SystemPackage

/// What the destination can still take, as the receiver reckons it: the free space last asked
/// of the file system (fstatvfs), minus what each entry received since occupies: one inode,
/// plus its data rounded up to whole blocks (a 10-byte file takes a 4 KiB block, so counting
/// declared lengths alone lets many small files run the disk full in the middle of a body).
///
/// Asked once and then counted down; asked again only when an entry seems not to fit, so a
/// transfer makes one fstatvfs, not one per file. The count errs high (a file with inline data,
/// a directory merged into an existing one), which only makes it ask again sooner. Blocks that
/// a directory or a long symlink target may take are not counted: mkdirat and symlinkat fail
/// with ENOSPC themselves, and nothing of them is ever half-made.
struct SpaceBudget {
    private let destination: FileDescriptor
    /// Starts empty, so the first entry asks.
    private var remaining = FreeSpace(bytes: 0, blockSize: 1, entries: 0)

    init(destination: FileDescriptor) {
        self.destination = destination
    }

    /// Takes one entry with `length` bytes of data from the budget; false when it does not
    /// fit even after asking the file system again.
    mutating func reserve(length: UInt64) throws -> Bool {
        if !fits(length) {
            remaining = try FileSystem.freeSpace(on: destination)
            guard fits(length) else { return false }
        }
        remaining.bytes -= remaining.footprint(ofLength: length)
        if let entries = remaining.entries { remaining.entries = entries - 1 }
        return true
    }

    /// Whether an entry of `length` bytes fits what is left. Where the file system keeps no
    /// inode count (`entries == nil`), only bytes are checked.
    private func fits(_ length: UInt64) -> Bool {
        remaining.footprint(ofLength: length) <= remaining.bytes && (remaining.entries ?? 1) > 0
    }
}
