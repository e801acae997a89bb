import FilecopyWire
import FuzzSupport

/// `SymlinkRules.isSafe` against what the rule is for: the payload up to its first NUL is the
/// link's name, the rest its target. A link accepted (with a valid name) must resolve,
/// lexically from its own folder, to a path inside its top-level entry: never above it, never
/// absolute, with no empty or `.` component, and a target with safe characters unless
/// allow-all-names.
enum LinkOracle {
    static func check(_ payload: [UInt8], allowAllNames: Bool) {
        guard let separator = payload.firstIndex(of: 0) else { return }
        let name = Array(payload[..<separator])
        let target = Array(payload[(separator + 1)...])
        guard NameRules.check(name, allowAllNames: allowAllNames) == nil else { return }
        guard SymlinkRules.isSafe(name: name, untrustedTarget: target, allowAllNames: allowAllNames) else { return }
        if target.isEmpty || target.first == UInt8(ascii: "/") { violated("accepted an empty or absolute target") }
        if target.contains(0) { violated("accepted a target with a NUL") }
        if !allowAllNames && !NameOracle.charactersPass(target) { violated("accepted a target with unsafe characters") }
        // Walk from the link's folder: the top-level entry must stay the first component.
        var path = name.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropLast().map(Array.init)
        if path.isEmpty { violated("accepted a link directly in the incoming folder") }
        let top = path[0]
        var seenNormal = false
        for component in target.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            switch Array(component) {
            case []: violated("accepted a target with an empty component")
            case [0x2E]: violated("accepted a target with a . component")
            case [0x2E, 0x2E]:
                if seenNormal { violated("accepted .. after a normal component") }
                path.removeLast()
                if path.isEmpty { violated("accepted a target that climbs out of its top-level entry") }
            default:
                seenNormal = true
                path.append(Array(component))
            }
        }
        if path.first != top { violated("the target left its top-level entry") }
    }
}
