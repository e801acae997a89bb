import FilecopyWire

/// One entry of a qubes.Filecopy stream as decoded by tests.
public struct StreamRecord: Sendable, Hashable, CustomStringConvertible {
    public var header: FileHeader
    /// The name without its terminating NUL.
    public var name: [UInt8]
    public var body: [UInt8]

    public var nameString: String { String(decoding: name, as: UTF8.self) }
    public var kind: EntryKind? { header.kind }

    public var description: String {
        "\(nameString) mode \(String(header.mode, radix: 8)) len \(header.fileLength) "
            + "a \(header.atime).\(header.atimeNanoseconds) m \(header.mtime).\(header.mtimeNanoseconds)"
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(header.encoded)
        hasher.combine(name)
        hasher.combine(body)
    }
}

/// A stream split into its records.
public struct DecodedStream: Sendable {
    public var records: [StreamRecord] = []
    /// True when the 32-zero-byte end header was found (and nothing followed it).
    public var ended = false
    /// The header of a record the stream stops inside (header, name or body cut short).
    public var truncatedRecord: FileHeader?
    /// Bytes of the truncated record after its header (name and body) that did arrive.
    public var truncatedRecordBytes = 0
    /// Bytes after the end header (none in a valid stream).
    public var trailing = 0
}

/// Decodes `bytes` as a qubes.Filecopy stream without judging names or types.
public func decodeStream(_ bytes: [UInt8]) -> DecodedStream {
    var result = DecodedStream()
    var offset = 0
    while offset < bytes.count {
        guard bytes.count - offset >= FileHeader.size else {
            result.truncatedRecordBytes = bytes.count - offset
            return result
        }
        let header = bytes[offset...].withUnsafeBytes { FileHeader(decoding: $0) }
        offset += FileHeader.size
        if header.isEndOfTransfer {
            result.ended = true
            result.trailing = bytes.count - offset
            return result
        }
        let nameLength = Int(header.nameLength)
        let bodyLength = Int(header.fileLength)
        guard bytes.count - offset >= nameLength + bodyLength else {
            result.truncatedRecord = header
            result.truncatedRecordBytes = bytes.count - offset
            return result
        }
        let name = Array(bytes[offset..<offset + nameLength].dropLast())
        offset += nameLength
        let body = Array(bytes[offset..<offset + bodyLength])
        offset += bodyLength
        result.records.append(StreamRecord(header: header, name: name, body: body))
    }
    return result
}
