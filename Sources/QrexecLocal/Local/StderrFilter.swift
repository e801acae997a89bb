/// What `--filter-escape-chars-stderr` does to a service's error output: control characters
/// (C0 except tab and newline, DEL, and C1 as UTF-8) become `_`, so a service in another VM
/// cannot drive the caller's terminal with escape sequences.
struct StderrFilter {
    /// True when the previous chunk ended with the first byte of a C1 control (0xC2).
    private var pendingLead = false

    /// The filtered form of `chunk`; state carries over between chunks.
    mutating func filter(_ chunk: some Sequence<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        for byte in chunk {
            if pendingLead {
                pendingLead = false
                if byte >= 0x80 && byte <= 0x9F {
                    result.append(UInt8(ascii: "_"))
                    continue
                }
                result.append(0xC2)
            }
            switch byte {
            case 0xC2: pendingLead = true
            case UInt8(ascii: "\t"), UInt8(ascii: "\n"): result.append(byte)
            case 0x00..<0x20, 0x7F: result.append(UInt8(ascii: "_"))
            default: result.append(byte)
            }
        }
        return result
    }

    /// Bytes held back at the end of the input.
    mutating func finish() -> [UInt8] {
        defer { pendingLead = false }
        return pendingLead ? [0xC2] : []
    }
}
