/// The hidden name the client gives its copy of a reply while it is not yet in place:
/// `.intervm-edit-` and 16 lowercase hex digits (64 random bits, so no other process can guess
/// it ahead). Only names of exactly this form are ever removed as stale. Pure, no I/O.
enum HiddenCopyName {
    static let prefix = Array(".intervm-edit-".utf8)
    static let digitCount = 16
    static let hexDigits = Array("0123456789abcdef".utf8)

    /// A fresh name (SystemRandomNumberGenerator: getrandom(2)).
    static func random() -> [UInt8] {
        var value = UInt64.random(in: 0...UInt64.max)
        var digits = [UInt8](repeating: 0, count: digitCount)
        for index in digits.indices.reversed() {
            digits[index] = hexDigits[Int(value & 0xf)]
            value >>= 4
        }
        return prefix + digits
    }

    /// True for names `random()` can give, and no others.
    static func matches(_ name: some Collection<UInt8>) -> Bool {
        name.count == prefix.count + digitCount && name.starts(with: prefix)
            && name.dropFirst(prefix.count).allSatisfy(hexDigits.contains)
    }
}
