import FilecopyWire
import FuzzSupport

/// `NameRules` against a second, deliberately plain reading of protocol.md: split on `/`, look
/// at every component, decode UTF-8 with the standard library.
enum NameOracle {
    static func check(_ untrustedName: [UInt8], allowAllNames: Bool) {
        let strict = NameRules.check(untrustedName, allowAllNames: false)
        let lenient = NameRules.check(untrustedName, allowAllNames: true)
        if strict == nil && lenient != nil { violated("a name accepted by the strict rules is refused by allow-all") }
        let verdict = allowAllNames ? lenient : strict
        if let verdict, verdict != .invalidName && verdict != .nameTooLong {
            violated("name refused with an unexpected code \(verdict)")
        }
        let components = untrustedName.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        let structureOK = !untrustedName.isEmpty && !untrustedName.contains(0)
            && components.allSatisfy { !$0.isEmpty && $0.elementsEqual([0x2E]) == false && $0.elementsEqual([0x2E, 0x2E]) == false }
        let lengthOK = components.allSatisfy { $0.count <= NameRules.maxComponentLength }
        if lenient == nil {
            if !structureOK { violated("accepted a name with an empty, . or .. component, a NUL or a leading/trailing /") }
            if !lengthOK { violated("accepted a component over 255 bytes") }
            if NameRules.depth(of: untrustedName) != components.count { violated("depth is not the number of components") }
        } else if structureOK && lengthOK {
            violated("allow-all-names refused a structurally valid name")
        }
        if lenient == .nameTooLong && lengthOK { violated("nameTooLong for components within 255 bytes") }
        // The character rules: printable ASCII, or well-formed UTF-8 of allowed code points.
        let charactersOK = charactersPass(untrustedName)
        if NameRules.charactersAreSafe(untrustedName) != charactersOK { violated("character rules disagree with the oracle") }
        if strict == nil && !charactersOK { violated("strict rules accepted unsafe characters") }
        if strict == nil && String(validating: untrustedName, as: UTF8.self) == nil { violated("strict rules accepted invalid UTF-8") }
        if lenient == nil && charactersOK && strict != nil { violated("strict rules refused a valid name with safe characters") }
        // The wire form: a name is accepted only with exactly one NUL, at its end.
        if let stripped = NameRules.stripTerminator(untrustedName) {
            if untrustedName.last != 0 || stripped.contains(0) || stripped.count != untrustedName.count - 1 {
                violated("stripTerminator kept a NUL or lost a byte")
            }
        } else if untrustedName.last == 0 && untrustedName.firstIndex(of: 0) == untrustedName.count - 1 {
            violated("stripTerminator refused a properly terminated name")
        }
    }

    /// True when every scalar is printable ASCII or a non-ASCII scalar in the allowlist
    /// (the standard library's strict UTF-8 decoder does the decoding).
    static func charactersPass(_ bytes: [UInt8]) -> Bool {
        guard let text = String(validating: bytes, as: UTF8.self) else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII ? scalar.value >= 0x20 && scalar.value <= 0x7E : NameRules.isAllowedCodePoint(scalar.value)
        }
    }
}
