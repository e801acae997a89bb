import FilecopyWire

/// Builds qubes.Filecopy streams by hand, well-formed or hostile, for tests.
public struct StreamBuilder: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// A raw header followed by `name` + NUL (unless `terminate` is false) and `body`.
    public mutating func record(
        name: [UInt8], mode: UInt32, fileLength: UInt64? = nil, body: [UInt8] = [],
        times: (UInt32, UInt32, UInt32, UInt32) = (1_600_000_000, 0, 1_600_000_000, 0),
        nameLength: UInt32? = nil, terminate: Bool = true
    ) {
        let wireName = terminate ? name + [0] : name
        let header = FileHeader(
            nameLength: nameLength ?? UInt32(wireName.count), mode: mode,
            fileLength: fileLength ?? UInt64(body.count), atime: times.0, atimeNanoseconds: times.1,
            mtime: times.2, mtimeNanoseconds: times.3)
        bytes += header.encoded + wireName + body
    }

    public mutating func file(_ name: String, _ content: String = "", mode: UInt32 = 0o100644) {
        record(name: Array(name.utf8), mode: mode, body: Array(content.utf8))
    }

    public mutating func directory(_ name: String, mode: UInt32 = 0o040755) {
        record(name: Array(name.utf8), mode: mode)
    }

    public mutating func symlink(_ name: String, to target: String) {
        record(name: Array(name.utf8), mode: 0o120777, body: Array(target.utf8))
    }

    public mutating func raw(_ extra: [UInt8]) { bytes += extra }

    public mutating func end() { bytes += FileHeader.endOfTransfer.encoded }

    /// The CRC-32 a receiver reports after consuming all of `bytes`.
    public var crc32: UInt32 { CRC32.checksum(bytes) }
}

/// Decodes a receiver's answer; nil when it is not a well-formed result.
public func decodeResult(_ bytes: [UInt8]) -> TransferResult? {
    bytes.withUnsafeBytes { raw -> TransferResult? in
        guard let fixed = TransferResult.decodeFixed(raw) else { return nil }
        if raw.count == TransferResult.fixedSize { return TransferResult(code: fixed.code, crc32: fixed.crc32, lastName: nil) }
        guard let length = TransferResult.decodeNameLength(UnsafeRawBufferPointer(rebasing: raw[16...])),
            raw.count == 20 + length
        else { return nil }
        return TransferResult(code: fixed.code, crc32: fixed.crc32, lastName: Array(raw[20...]))
    }
}
