/// Rules for the target of a qrexec call, as Qubes checks them.
public enum TargetName {
    /// Longest VM name Qubes accepts.
    public static let maxLength = 31

    /// True for a plain VM name: a letter first, then letters, digits, `_`, `.` or `-`,
    /// at most 31 characters (ASCII only).
    public static func isValidVMName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= maxLength, isLetter(first) else { return false }
        return bytes.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// True for anything a caller may name as a target: a VM name, `@default`, `@dispvm`, or
    /// `@dispvm:TEMPLATE` with a valid template name.
    public static func isValidTarget(_ target: String) -> Bool {
        if target == "@default" || target == "@dispvm" { return true }
        if target.hasPrefix("@dispvm:") { return isValidVMName(String(target.dropFirst("@dispvm:".count))) }
        return isValidVMName(target)
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
