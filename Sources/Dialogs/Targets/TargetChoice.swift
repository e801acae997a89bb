import Localization

/// One row of the target picker.
public struct TargetChoice: Sendable, Equatable {
    /// Where it comes from, which decides its place in the list and its note.
    public enum Origin: Sendable, Equatable {
        case recent, configured, local, special
    }

    /// What is printed when chosen: a VM name, `@default` or `@dispvm`.
    public let target: String
    public let origin: Origin

    public init(target: String, origin: Origin) {
        self.target = target
        self.origin = origin
    }

    /// What the row shows: the VM name, or a description of a special target.
    public var title: String {
        switch target {
        // TRANSLATORS: the @default target: dom0 asks the user which VM, in its own prompt.
        case "@default": tr("Let dom0 ask")
        case "@dispvm": tr("New disposable VM")
        default: target
        }
    }

    /// The dimmed note beside the title.
    public var note: String {
        let special = target.hasPrefix("@")
        // TRANSLATORS: dimmed note beside a VM name in the target list: chosen recently.
        if origin == .recent { return special ? tr("recent") + ", " + target : tr("recent") }
        if special { return target }
        // TRANSLATORS: dimmed note beside a VM name: a VM made by qrexec-local on this machine.
        return origin == .local ? tr("local VM") : ""
    }
}
