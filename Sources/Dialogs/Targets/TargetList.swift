import Qrexec
import QrexecLocal

/// The picker's choices: recently used first, then the VMs the user listed and the local
/// stand-in's VMs (by name), then "Let dom0 ask" and "New disposable VM". Each target once.
public enum TargetList {
    /// The special targets, always offered.
    public static let specialTargets = ["@default", "@dispvm"]

    public static func choices(paths: DesktopPaths) -> [TargetChoice] {
        choices(
            recent: RecentTargets(path: paths.recentTargetsFile).load(),
            configured: TextFiles.lines(at: paths.configuredVMsFile),
            local: paths.localRoot.map { localVMs(root: $0) } ?? [],
            excluding: paths.localDomain)
    }

    /// Merges the sources; invalid names are dropped, and so is `excluding` (this VM).
    public static func choices(recent: [String], configured: [String], local: [String], excluding: String?) -> [TargetChoice] {
        var result: [TargetChoice] = []
        func add(_ candidate: String, _ origin: TargetChoice.Origin) {
            guard candidate != excluding, !result.contains(where: { $0.target == candidate }) else { return }
            result.append(TargetChoice(target: candidate, origin: origin))
        }
        for target in recent where TargetName.isValidTarget(target) { add(target, .recent) }
        let named = (configured.map { ($0.trimmingWhitespace, TargetChoice.Origin.configured) } + local.map { ($0, .local) })
            .filter { TargetName.isValidVMName($0.0) }
            .sorted { $0.0 < $1.0 }
        for (name, origin) in named { add(name, origin) }
        for target in specialTargets { add(target, .special) }
        return result
    }

    /// The local stand-in's VMs: its folders with a `home/` (`LocalVMs.list`).
    public static func localVMs(root: String) -> [String] {
        LocalVMs(root: root).list()
    }
}
