/// One line the sender's front end writes to `intervm-dialog progress`.
public enum ProgressLine: Sendable, Equatable {
    /// Cumulative bytes sent so far (a line holding only a decimal number).
    case bytes(UInt64)
    /// The file now being sent (a line `name PATH`).
    case name(String)

    /// The meaning of one line (without its newline); nil for anything else, which is ignored.
    public static func parse(_ untrustedLine: some Collection<UInt8>) -> ProgressLine? {
        var line = Array(untrustedLine)
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        let prefix = Array("name ".utf8)
        if line.starts(with: prefix) {
            let name = line.dropFirst(prefix.count)
            guard !name.isEmpty else { return nil }
            // Shown to the user: invalid UTF-8 becomes U+FFFD, control characters '?'.
            let text = String(decoding: name, as: UTF8.self)
            return .name(String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) }))
        }
        guard !line.isEmpty, line.count <= 20, line.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        var value: UInt64 = 0
        for digit in line {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit - UInt8(ascii: "0")))
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return .bytes(value)
    }
}
