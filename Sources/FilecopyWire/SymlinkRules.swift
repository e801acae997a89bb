/// Qubes' rule for symlinks in a qubes.Filecopy stream: a link may only point inside the
/// top-level entry it arrived with.
///
/// No link directly in the incoming folder (depth 1); the target is relative; a link at depth
/// `d` may begin with at most `d - 2` `../` components and what follows them must be a valid
/// name (so no `..` after a normal component, no `.` and no empty component).
public enum SymlinkRules {
    /// Checks a link whose own name already passed `NameRules`; true when it is safe.
    public static func isSafe(
        name: some Collection<UInt8>, untrustedTarget: [UInt8], allowAllNames: Bool
    ) -> Bool {
        let depth = NameRules.depth(of: name)
        guard depth >= 2 else { return false }
        var rest = untrustedTarget[...]
        var parentSteps = 0
        while rest.starts(with: parentPrefix) {
            rest = rest.dropFirst(parentPrefix.count)
            parentSteps += 1
        }
        guard parentSteps <= depth - 2 else { return false }
        return NameRules.check(rest, allowAllNames: allowAllNames) == nil
    }

    private static let parentPrefix: [UInt8] = Array("../".utf8)
}
