import FilecopyWire

/// Alternative names for an incoming entry whose name is taken: `report.pdf` becomes
/// `report (1).pdf`, `report (2).pdf`, ...; `.bashrc` and `notes` become `.bashrc (1)` and
/// `notes (1)`. Names over 255 bytes are skipped.
public enum ConflictNames {
    public static let maxAttempts = 999

    /// The `attempt`-th alternative for `leaf` (attempt >= 1), or nil if it would be too long.
    public static func alternative(for leaf: some Collection<UInt8>, attempt: Int) -> [UInt8]? {
        let bytes = Array(leaf)
        // The extension starts at the last dot that is neither the first nor the last byte.
        var split = bytes.count
        if let dot = bytes.lastIndex(of: UInt8(ascii: ".")), dot > 0, dot < bytes.count - 1 {
            split = dot
        }
        let result = bytes[..<split] + Array(" (\(attempt))".utf8) + bytes[split...]
        return result.count <= NameRules.maxComponentLength ? Array(result) : nil
    }
}
