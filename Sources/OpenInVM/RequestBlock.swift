/// The 256-byte block that starts every qubes.OpenInVM request: an optional `view-only-`
/// prefix, then the file's basename, zero-padded; byte 255 is always NUL. Pure, no I/O.
public struct RequestBlock: Sendable, Equatable {
    public static let size = 256
    public static let viewOnlyPrefix: [UInt8] = Array("view-only-".utf8)
    /// Room for prefix + name: every byte but the last, which stays NUL.
    static let capacity = size - 1

    public var viewOnly: Bool
    /// The name as carried by the block (already cut to fit), without the prefix.
    public var name: [UInt8]

    /// A block for `basename`; a name too long to fit keeps its last bytes (255, or 245 with
    /// the prefix), as Qubes' client does, so the extension survives. In edit mode a name that
    /// (once cut) begins with `view-only-` goes as `view-only_...`: the service, ours and
    /// Qubes', would read the prefix as the view-only flag and the edit would be lost. Both
    /// services keep `_` in names, so the other VM shows the file as `view-only_...`.
    public init(basename: [UInt8], viewOnly: Bool) {
        self.viewOnly = viewOnly
        let room = Self.capacity - (viewOnly ? Self.viewOnlyPrefix.count : 0)
        var name = basename.count > room ? Array(basename.suffix(room)) : basename
        if !viewOnly && name.starts(with: Self.viewOnlyPrefix) {
            name[Self.viewOnlyPrefix.count - 1] = UInt8(ascii: "_")
        }
        self.name = name
    }

    /// The 256 bytes on the wire.
    public var encoded: [UInt8] {
        var bytes = (viewOnly ? Self.viewOnlyPrefix : []) + name
        bytes += [UInt8](repeating: 0, count: Self.size - bytes.count)
        return bytes
    }

    /// Reads a block received from the other VM: the name ends at the first NUL (byte 255
    /// is ignored, as if it were NUL); a leading `view-only-` selects view-only mode.
    /// Returns nil unless exactly `size` bytes are given. The name is not checked here:
    /// it stays untrusted until `ServiceFileName.sanitised` has made it safe.
    public static func decode(_ untrustedBytes: some Collection<UInt8>) -> (viewOnly: Bool, untrustedName: [UInt8])? {
        guard untrustedBytes.count == size else { return nil }
        let untrustedField = untrustedBytes.prefix(capacity)
        let untrustedText = Array(untrustedField.prefix { $0 != 0 })
        if untrustedText.starts(with: viewOnlyPrefix) {
            return (true, Array(untrustedText.dropFirst(viewOnlyPrefix.count)))
        }
        return (false, untrustedText)
    }
}
