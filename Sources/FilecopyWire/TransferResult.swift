/// The receiver's answer, sent once at the end of a transfer or at its first error:
/// `u32 error_code, u32 pad, u64 crc32`, then optionally `u32 last_namelen, last_name`.
public struct TransferResult: Sendable, Equatable {
    /// Size of the fixed part; the name extension follows it.
    public static let fixedSize = 16
    /// Longest `last_name` a sender accepts; longer claims are treated as corrupt.
    public static let maxLastNameLength: UInt32 = 16384

    public var code: ResultCode
    /// CRC-32 of every byte the receiver consumed.
    public var crc32: UInt32
    /// The last processed name (on success) or the offending name or link target (on error);
    /// nil when the receiver sent no extension.
    public var lastName: [UInt8]?

    public init(code: ResultCode, crc32: UInt32, lastName: [UInt8]?) {
        self.code = code
        self.crc32 = crc32
        self.lastName = lastName
    }

    public var encoded: [UInt8] {
        let nameCount = lastName?.count ?? 0
        let total = Self.fixedSize + (lastName == nil ? 0 : 4 + nameCount)
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, count in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            raw.storeLittleEndian(code.rawValue, at: 0)
            raw.storeLittleEndian(UInt32(0), at: 4)
            raw.storeLittleEndian(UInt64(crc32), at: 8)
            if let lastName {
                raw.storeLittleEndian(UInt32(nameCount), at: 16)
                lastName.withUnsafeBytes { name in
                    UnsafeMutableRawBufferPointer(rebasing: raw[20...]).copyMemory(from: name)
                }
            }
            count = total
        }
    }

    /// Decodes the fixed part. A CRC field above 2^32 - 1 is not a valid result.
    public static func decodeFixed(_ untrustedBytes: UnsafeRawBufferPointer) -> (code: ResultCode, crc32: UInt32)? {
        guard untrustedBytes.count >= fixedSize else { return nil }
        let untrustedCRC = untrustedBytes.littleEndian(UInt64.self, at: 8)
        guard untrustedCRC <= UInt64(UInt32.max) else { return nil }
        return (ResultCode(rawValue: untrustedBytes.littleEndian(UInt32.self, at: 0)), UInt32(untrustedCRC))
    }

    /// Decodes the 4-byte length of the name extension; nil if it exceeds `maxLastNameLength`.
    public static func decodeNameLength(_ untrustedBytes: UnsafeRawBufferPointer) -> Int? {
        guard untrustedBytes.count >= 4 else { return nil }
        let untrustedLength = untrustedBytes.littleEndian(UInt32.self, at: 0)
        guard untrustedLength <= maxLastNameLength else { return nil }
        return Int(untrustedLength)
    }
}
