/// The form of a qrexec service name as shown in the ask dialog.
public enum ServiceName {
    /// Longest service name (with its `+argument`) accepted.
    public static let maxLength = 64

    /// Letters, digits, `.`, `_`, `-` and `+` (ASCII), starting with a letter, at most 64 bytes.
    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= maxLength, isLetter(first) else { return false }
        return bytes.allSatisfy { isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D || $0 == 0x2B }
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
}
