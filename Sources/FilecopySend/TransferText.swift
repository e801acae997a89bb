import DisplayText

/// Names coming back from the receiver (and local names, which may hold anything but NUL) are
/// shown only after `displayName`, which is `DisplayText.escaped`.
extension TransferFailure {
    /// Longest display form of a name, in Unicode scalars, before it is shortened with "…".
    public static let maxDisplayedScalars = DisplayText.maxScalars

    /// `untrustedBytes` as printable text for messages (`DisplayText.escaped`).
    public static func displayName(_ untrustedBytes: some Collection<UInt8>) -> String {
        DisplayText.escaped(untrustedBytes)
    }
}
