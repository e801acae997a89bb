/// Calls `body` with `bytes` as a NUL-terminated C string. Paths are bytes, not Swift
/// strings: a received name need not be valid UTF-8.
@inline(__always)
public func withCPath<R>(_ bytes: some Collection<UInt8>, _ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
    var buffer = ContiguousArray<UInt8>()
    buffer.reserveCapacity(bytes.count + 1)
    buffer.append(contentsOf: bytes)
    buffer.append(0)
    return try buffer.withUnsafeBufferPointer { pointer in
        try pointer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
    }
}
