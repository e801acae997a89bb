import FilecopyWire

/// One record's name in a buffer allocated once per transfer (room for the longest name the
/// wire allows), kept NUL-terminated so that the name, its leaf and its parent path serve as C
/// strings for the system calls without a copy or an allocation per record.
struct UnpackerName {
    private let storage: UnsafeMutableRawBufferPointer
    /// Bytes in the name, without the NUL.
    private(set) var count = 0
    /// Offset of the last `/`, nil for a top-level name.
    private(set) var lastSlash: Int?

    static func allocate() -> UnpackerName {
        UnpackerName(storage: .allocate(byteCount: Int(FileHeader.maxNameLength), alignment: 1))
    }

    private init(storage: UnsafeMutableRawBufferPointer) {
        self.storage = storage
        storage[0] = 0
    }

    func deallocate() { storage.deallocate() }

    /// Takes a wire name that ends in its only NUL (the caller checked), as a copy.
    mutating func load(terminated wireName: UnsafeRawBufferPointer) {
        precondition(wireName.count >= 1 && wireName.count <= storage.count && wireName.last == 0)
        storage.baseAddress!.copyMemory(from: wireName.baseAddress!, byteCount: wireName.count)
        count = wireName.count - 1
        lastSlash = bytes.lastIndex(of: UInt8(ascii: "/"))
    }

    /// The name's bytes, without the NUL.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage.baseAddress!, count: count) }

    /// A copy of the name, for failures and callers that keep it.
    var array: [UInt8] { Array(bytes) }

    /// The whole name as a C string.
    var cString: UnsafePointer<CChar> { UnsafePointer(storage.baseAddress!.assumingMemoryBound(to: CChar.self)) }

    /// The last component as a C string.
    var leafCString: UnsafePointer<CChar> { cString + (lastSlash.map { $0 + 1 } ?? 0) }

    /// The last component's bytes.
    var leaf: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[(lastSlash.map { $0 + 1 } ?? 0)...]) }

    /// The bytes before the last `/` (empty for a top-level name).
    var parent: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[..<(lastSlash ?? 0)]) }

    /// Calls `body` with the parent path (everything before the last `/`, which must exist) as
    /// a C string of `length` bytes: the slash is a NUL for the duration of the call.
    func withParentCString<R>(_ body: (_ path: UnsafePointer<CChar>, _ length: Int) throws -> R) rethrows -> R {
        let slash = lastSlash!
        storage[slash] = 0
        defer { storage[slash] = UInt8(ascii: "/") }
        return try body(cString, slash)
    }
}
