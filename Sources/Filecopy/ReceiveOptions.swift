/// What the receiver accepts and how it resolves name clashes.
public struct ReceiveOptions: Sendable, Equatable {
    /// Lift Qubes' character rules for names (the structure rules always hold).
    public var allowAllNames = false
    /// Accept symlinks whose targets fail `SymlinkRules` (their names are still checked).
    public var allowUnsafeSymlinks = false
    /// Most file data bytes accepted in one transfer.
    public var maxBytes: UInt64 = .max
    /// Most entries (files, directories, symlinks) accepted in one transfer.
    public var maxFiles: UInt64 = .max
    public var onConflict: ConflictPolicy = .fail
    /// Seconds the sender may send nothing before the transfer ends with ETIMEDOUT (110);
    /// 0 waits forever.
    public var idleTimeout: UInt32 = 600

    public init() {}
}

/// What to do when an incoming file or symlink's name is already taken.
public enum ConflictPolicy: String, Sendable, Equatable {
    /// Refuse with EEXIST, as Qubes does.
    case fail
    /// Store it as `name (1).ext`, `name (2).ext`, ...
    case rename
}
