/// The 32-byte header in front of every entry of a qubes.Filecopy stream (all fields
/// little-endian). A header whose `nameLength` is 0 ends the transfer.
public struct FileHeader: Sendable, Equatable {
    public static let size = 32
    /// Longest name accepted, in bytes including its terminating NUL (Qubes: MAX_PATH_LENGTH - 1).
    public static let maxNameLength: UInt32 = 16383
    /// Longest symlink target accepted, in bytes (no NUL on the wire).
    public static let maxLinkTargetLength: UInt64 = 16383

    /// Length of the name that follows, including its terminating NUL.
    public var nameLength: UInt32
    /// Full `st_mode`: type bits and permission bits.
    public var mode: UInt32
    /// Regular file: its size; symlink: the target's length; directory: 0.
    public var fileLength: UInt64
    public var atime: UInt32
    public var atimeNanoseconds: UInt32
    public var mtime: UInt32
    public var mtimeNanoseconds: UInt32

    public init(
        nameLength: UInt32, mode: UInt32, fileLength: UInt64,
        atime: UInt32 = 0, atimeNanoseconds: UInt32 = 0, mtime: UInt32 = 0, mtimeNanoseconds: UInt32 = 0
    ) {
        self.nameLength = nameLength
        self.mode = mode
        self.fileLength = fileLength
        self.atime = atime
        self.atimeNanoseconds = atimeNanoseconds
        self.mtime = mtime
        self.mtimeNanoseconds = mtimeNanoseconds
    }

    /// The header that ends a transfer: 32 zero bytes.
    public static let endOfTransfer = FileHeader(nameLength: 0, mode: 0, fileLength: 0)

    public var isEndOfTransfer: Bool { nameLength == 0 }

    /// Decodes the first 32 bytes of `bytes` (which must hold at least that many).
    public init(decoding bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count >= Self.size)
        nameLength = bytes.littleEndian(UInt32.self, at: 0)
        mode = bytes.littleEndian(UInt32.self, at: 4)
        fileLength = bytes.littleEndian(UInt64.self, at: 8)
        atime = bytes.littleEndian(UInt32.self, at: 16)
        atimeNanoseconds = bytes.littleEndian(UInt32.self, at: 20)
        mtime = bytes.littleEndian(UInt32.self, at: 24)
        mtimeNanoseconds = bytes.littleEndian(UInt32.self, at: 28)
    }

    /// Writes the 32 header bytes into the start of `bytes`.
    public func encode(into bytes: UnsafeMutableRawBufferPointer) {
        precondition(bytes.count >= Self.size)
        bytes.storeLittleEndian(nameLength, at: 0)
        bytes.storeLittleEndian(mode, at: 4)
        bytes.storeLittleEndian(fileLength, at: 8)
        bytes.storeLittleEndian(atime, at: 16)
        bytes.storeLittleEndian(atimeNanoseconds, at: 20)
        bytes.storeLittleEndian(mtime, at: 24)
        bytes.storeLittleEndian(mtimeNanoseconds, at: 28)
    }

    public var encoded: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Self.size) { buffer, count in
            encode(into: UnsafeMutableRawBufferPointer(buffer))
            count = Self.size
        }
    }

    /// The entry type named by the mode's type bits, or nil for anything the protocol does
    /// not carry (FIFOs, sockets, devices, garbage).
    public var kind: EntryKind? { EntryKind(mode: mode) }

    /// Permission bits the receiver applies: never setuid, setgid or sticky.
    public var permissions: UInt32 { mode & 0o777 }

    /// True when both nanosecond fields are below one second.
    public var hasValidTimes: Bool { atimeNanoseconds < 1_000_000_000 && mtimeNanoseconds < 1_000_000_000 }
}

/// The three kinds of entry a qubes.Filecopy stream carries.
public enum EntryKind: Sendable, Equatable {
    case regular, directory, symlink

    public static let typeMask: UInt32 = 0o170000

    public init?(mode: UInt32) {
        switch mode & Self.typeMask {
        case 0o100000: self = .regular
        case 0o040000: self = .directory
        case 0o120000: self = .symlink
        default: return nil
        }
    }

    /// The `st_mode` type bits of this kind.
    public var typeBits: UInt32 {
        switch self {
        case .regular: 0o100000
        case .directory: 0o040000
        case .symlink: 0o120000
        }
    }
}

extension UnsafeRawBufferPointer {
    @inline(__always)
    func littleEndian<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        T(littleEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}

extension UnsafeMutableRawBufferPointer {
    @inline(__always)
    func storeLittleEndian<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
    }
}
