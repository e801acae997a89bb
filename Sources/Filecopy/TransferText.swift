/// Helpers that turn bytes and templates into text a user can read safely.
///
/// Names coming back from the receiver (and local names, which may hold anything but NUL) are
/// shown only after `displayName`: invalid UTF-8 bytes become `\xNN`, control and invisible
/// formatting characters (newlines, bidi overrides, zero-width marks) become `\u{...}`, and a
/// very long name is shortened, so a hostile name can neither forge a message line nor hide
/// what it is.
extension TransferFailure {
    /// Longest display form of a name, in Unicode scalars, before it is shortened with "…".
    public static let maxDisplayedScalars = 256

    /// `untrustedBytes` as printable text for messages: valid UTF-8 is kept, everything
    /// that could hide or forge text is escaped, backslashes are doubled.
    public static func displayName(_ untrustedBytes: some Collection<UInt8>) -> String {
        let bytes = Array(untrustedBytes)
        var text = ""
        var shown = 0
        var index = 0
        while index < bytes.count {
            if shown == maxDisplayedScalars {
                text += "…"
                break
            }
            if let (scalar, length) = decodeScalar(bytes, at: index) {
                text += escaped(scalar)
                index += length
            } else {
                text += "\\x" + hex(UInt32(bytes[index]), digits: 2)
                index += 1
            }
            shown += 1
        }
        return text
    }

    /// One well-formed UTF-8 scalar at `index` (no overlongs, surrogates or values past
    /// U+10FFFF) and its length, or nil.
    static func decodeScalar(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[index]
        let length: Int
        let minimum: UInt32
        var value: UInt32
        switch lead {
        case 0x00...0x7F: return (Unicode.Scalar(lead), 1)
        case 0xC2...0xDF: (length, minimum, value) = (2, 0x80, UInt32(lead & 0x1F))
        case 0xE0...0xEF: (length, minimum, value) = (3, 0x800, UInt32(lead & 0x0F))
        case 0xF0...0xF4: (length, minimum, value) = (4, 0x10000, UInt32(lead & 0x07))
        default: return nil
        }
        guard bytes.count - index >= length else { return nil }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    /// The scalar itself, or an escape when it is invisible or controls the layout.
    static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\\": return "\\\\"
        case "\n": return "\\n"
        case "\t": return "\\t"
        case "\r": return "\\r"
        default: break
        }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned, .surrogate:
            return "\\u{" + hex(scalar.value, digits: 4) + "}"
        default:
            return String(Character(scalar))
        }
    }

    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
