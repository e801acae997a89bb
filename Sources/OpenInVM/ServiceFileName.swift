/// The name the service gives the received file. Pure, no I/O.
public enum ServiceFileName {
    /// Used when nothing usable is left of the received name.
    public static let fallback: [UInt8] = Array("file".utf8)

    /// Qubes' rule: bytes in `[0-9A-Za-z._+@-]` are kept, every other byte becomes `_`
    /// (so `/` can never name a folder and control characters never reach a program).
    /// The extension survives, so the default application still matches. An empty or
    /// all-dots result (`.`, `..`) becomes `file`; `name` must already fit in 255 bytes.
    public static func sanitised(_ untrustedName: [UInt8]) -> [UInt8] {
        let name = untrustedName.map { isKept($0) ? $0 : UInt8(ascii: "_") }
        if name.allSatisfy({ $0 == UInt8(ascii: ".") }) { return fallback }
        return name
    }

    static func isKept(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "a")...UInt8(ascii: "z"):
            true
        case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "@"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
