import Glibc
import SystemPackage

/// What a file system can still take from an unprivileged user, from one fstatvfs(3): bytes,
/// the block size they are handed out in, and entries (inodes).
public struct FreeSpace: Sendable, Equatable {
    /// Bytes available (f_bavail blocks of f_frsize bytes).
    public var bytes: UInt64
    /// The allocation unit (f_frsize, or f_bsize where f_frsize is 0): every file with data
    /// takes a whole number of these.
    public private(set) var blockSize: UInt64
    /// Inodes available (f_favail); nil where the file system keeps no count of them
    /// (f_files == 0: btrfs, tmpfs with nr_inodes=0), which means no limit to check.
    public var entries: UInt64?

    public init(bytes: UInt64, blockSize: UInt64, entries: UInt64?) {
        self.bytes = bytes
        self.blockSize = max(blockSize, 1)
        self.entries = entries
    }

    /// The bytes a file of `length` occupies: its length rounded up to whole blocks (0 for an
    /// empty file). Saturates rather than overflow.
    public func footprint(ofLength length: UInt64) -> UInt64 {
        let partial = length % blockSize
        guard partial != 0 else { return length }
        let (rounded, overflow) = length.addingReportingOverflow(blockSize - partial)
        return overflow ? UInt64.max : rounded
    }
}

extension FileSystem {
    /// The free space of the file system holding `fd` (fstatvfs(3)).
    public static func freeSpace(on fd: FileDescriptor) throws -> FreeSpace {
        var info = statvfs()
        _ = try syscallRetrying { Glibc.fstatvfs(fd.rawValue, &info) }
        let blockSize = UInt64(info.f_frsize != 0 ? info.f_frsize : info.f_bsize)
        let bytes = UInt64(info.f_bavail).multipliedReportingOverflow(by: blockSize)
        return FreeSpace(
            bytes: bytes.overflow ? UInt64.max : bytes.partialValue, blockSize: blockSize,
            entries: info.f_files == 0 ? nil : UInt64(info.f_favail))
    }
}
