/// Qubes' rules for the names in a qubes.Filecopy stream, as pure functions.
///
/// A name is a relative path: no empty name, no leading or trailing `/`, no empty, `.` or `..`
/// component. Each component is at most 255 bytes. Printable ASCII passes; every other byte must
/// be part of well-formed UTF-8 whose code point is in Qubes' allowlist (no controls, bidi marks,
/// combining marks or emoji). `allowAllNames` lifts the character rules but never the structure
/// rules, and a NUL byte is refused in every mode.
public enum NameRules {
    public static let maxComponentLength = 255

    /// Takes the name as it came off the wire (`nameLength` bytes) and returns it without its
    /// terminating NUL, or nil when the last byte is not NUL or another NUL comes before it.
    public static func stripTerminator(_ untrustedWireName: [UInt8]) -> ArraySlice<UInt8>? {
        guard let last = untrustedWireName.last, last == 0 else { return nil }
        let name = untrustedWireName.dropLast()
        return name.contains(0) ? nil : name
    }

    /// Checks a name; nil when it is acceptable, otherwise `.invalidName` (EILSEQ) or
    /// `.nameTooLong` (a component over 255 bytes).
    public static func check(_ untrustedName: some Collection<UInt8>, allowAllNames: Bool) -> ResultCode? {
        var componentLength = 0
        var componentStart = untrustedName.startIndex
        var index = untrustedName.startIndex
        // The path structure: walk components separated by "/".
        while true {
            let atEnd = index == untrustedName.endIndex
            if atEnd || untrustedName[index] == UInt8(ascii: "/") {
                if componentLength == 0 { return .invalidName }  // empty name, leading, double or trailing "/"
                if componentLength <= 2 && isDotOrDotDot(untrustedName[componentStart..<index]) {
                    return .invalidName
                }
                if componentLength > maxComponentLength { return .nameTooLong }
                if atEnd { break }
                componentLength = 0
                index = untrustedName.index(after: index)
                componentStart = index
            } else {
                componentLength += 1
                index = untrustedName.index(after: index)
            }
        }
        if untrustedName.contains(0) { return .invalidName }
        if !allowAllNames && !charactersAreSafe(untrustedName) { return .invalidName }
        return nil
    }

    /// Number of components in an already checked name (`a/b/c` has 3).
    public static func depth(of name: some Collection<UInt8>) -> Int {
        name.reduce(1) { $1 == UInt8(ascii: "/") ? $0 + 1 : $0 }
    }

    private static func isDotOrDotDot(_ component: some Collection<UInt8>) -> Bool {
        component.allSatisfy { $0 == UInt8(ascii: ".") }
    }

    /// True when every byte is printable ASCII or part of well-formed UTF-8 for an allowed
    /// code point.
    public static func charactersAreSafe(_ untrustedBytes: some Collection<UInt8>) -> Bool {
        var iterator = untrustedBytes.makeIterator()
        while let lead = iterator.next() {
            if lead >= 0x20 && lead <= 0x7E { continue }
            guard let scalar = decodeNonASCII(lead: lead, rest: &iterator),
                isAllowedCodePoint(scalar)
            else { return false }
        }
        return true
    }

    /// True when Qubes' allowlist accepts the code point.
    public static func isAllowedCodePoint(_ codePoint: UInt32) -> Bool {
        var low = 0
        var high = nameAllowlistRanges.count
        while low < high {
            let middle = (low + high) / 2
            let range = nameAllowlistRanges[middle]
            if codePoint < range.lowerBound {
                high = middle
            } else if codePoint > range.upperBound {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }

    /// Decodes one strict UTF-8 sequence (no overlongs, surrogates or values past U+10FFFF)
    /// whose first byte `lead` was already read; nil for ASCII controls and any malformed input.
    static func decodeNonASCII<I: IteratorProtocol<UInt8>>(lead: UInt8, rest: inout I) -> UInt32? {
        let count: Int
        var lowestSecond: UInt8 = 0x80
        var highestSecond: UInt8 = 0xBF
        var value: UInt32
        switch lead {
        case 0xC2...0xDF:
            count = 1
            value = UInt32(lead & 0x1F)
        case 0xE0...0xEF:
            count = 2
            value = UInt32(lead & 0x0F)
            if lead == 0xE0 { lowestSecond = 0xA0 }  // overlong
            if lead == 0xED { highestSecond = 0x9F }  // UTF-16 surrogates
        case 0xF0...0xF4:
            count = 3
            value = UInt32(lead & 0x07)
            if lead == 0xF0 { lowestSecond = 0x90 }  // overlong
            if lead == 0xF4 { highestSecond = 0x8F }  // past U+10FFFF
        default:
            return nil
        }
        for position in 0..<count {
            guard let next = rest.next() else { return nil }
            let low = position == 0 ? lowestSecond : 0x80
            let high = position == 0 ? highestSecond : 0xBF
            guard next >= low && next <= high else { return nil }
            value = value << 6 | UInt32(next & 0x3F)
        }
        return value
    }
}
