/// The one way a name, a link target, a VM name, a settings key or another program's line
/// becomes part of a message a person reads (terminal, log or dialog).
///
/// Invalid UTF-8 bytes become `\xNN`; control characters (C0, DEL, C1), invisible formatting
/// (bidi overrides, zero-width marks), line and paragraph separators, private-use, unassigned
/// and surrogate code points, and the Hangul fillers that Qubes' name allowlist lets through
/// (they show as blanks) become `\u{...}`; backslashes are doubled, and a very long value is
/// shortened with "…". So a hostile value can neither drive the terminal, forge a line, nor
/// hide what it is.
public enum DisplayText {
    /// Longest shown form of one value, in Unicode scalars, before it is shortened with "…".
    public static let maxScalars = 256

    /// Code points that are letters to Unicode but draw nothing: Hangul Choseong and Jungseong
    /// fillers, Hangul filler, halfwidth Hangul filler.
    static let invisibleLetters: Set<UInt32> = [0x115F, 0x1160, 0x3164, 0xFFA0]

    /// `untrustedBytes` (any bytes) as printable text.
    public static func escaped(_ untrustedBytes: some Collection<UInt8>) -> String {
        let bytes = Array(untrustedBytes)
        var text = ""
        var shown = 0
        var index = 0
        while index < bytes.count {
            if shown == maxScalars {
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

    /// `untrustedText` as printable text (the same rules; a String is valid UTF-8 already).
    public static func escaped(_ untrustedText: String) -> String { escaped(Array(untrustedText.utf8)) }

    /// A whole message made of our own words and values that went through `escaped`, made safe
    /// once more just before it is written: any control character left (one that reached the
    /// message without `escaped`) becomes `\u{...}`. Newlines between lines are kept; nothing
    /// else changes, so text that is already escaped passes unchanged.
    public static func guarded(_ message: String) -> String {
        var text = ""
        for scalar in message.unicodeScalars {
            if scalar == "\n" || !isControl(scalar) {
                text.unicodeScalars.append(scalar)
            } else {
                text += "\\u{" + hex(scalar.value, digits: 4) + "}"
            }
        }
        return text
    }

    /// C0 controls, DEL and C1 controls.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
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
        if invisibleLetters.contains(scalar.value) { return "\\u{" + hex(scalar.value, digits: 4) + "}" }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned, .surrogate:
            return "\\u{" + hex(scalar.value, digits: 4) + "}"
        default:
            return String(Character(scalar))
        }
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

    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
