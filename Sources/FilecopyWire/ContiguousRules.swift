// The name and symlink rules for bytes already in one contiguous buffer, as the receiver holds
// them. These only call the generic rules with a concrete type, so the compiler specialises them
// here, in this module: called from another module, the generic versions run unspecialised
// (witness tables and metadata look-ups for every byte), which dominated the receiver's time on
// streams of many small files. The rules themselves are not repeated.

extension NameRules {
    /// `check(_:allowAllNames:)` for a contiguous buffer.
    public static func check(contiguous untrustedName: UnsafeRawBufferPointer, allowAllNames: Bool) -> ResultCode? {
        check(untrustedName, allowAllNames: allowAllNames)
    }
}

extension SymlinkRules {
    /// `isSafe(name:untrustedTarget:allowAllNames:)` for a name in a contiguous buffer.
    public static func isSafe(
        contiguousName name: UnsafeRawBufferPointer, untrustedTarget: [UInt8], allowAllNames: Bool
    ) -> Bool {
        isSafe(name: name, untrustedTarget: untrustedTarget, allowAllNames: allowAllNames)
    }
}
