import Foundation
import Testing
import TestSupport

/// What AT-SPI shows of a running dialog: its widgets as a screen reader sees them, read with
/// pyatspi (Debian's python3-pyatspi, which dogtail builds on) from the desktop's session bus.
struct AccessibleNode: Equatable, CustomStringConvertible {
    var role: String
    var name: String
    var sensitive: Bool
    var description: String { "\(role) \"\(name)\"\(sensitive ? "" : " (insensitive)")" }
}

enum Accessibility {
    static let python = "/usr/bin/python3"
    static let isAvailable: Bool = {
        guard FileManager.default.isExecutableFile(atPath: python),
            FileManager.default.isExecutableFile(atPath: "/usr/bin/dbus-daemon"),
            FileManager.default.isExecutableFile(atPath: "/usr/libexec/at-spi-bus-launcher")
        else { return false }
        return (try? run([python, "-c", "import pyatspi"]))?.status == 0
    }()
    static let unavailableReason: Comment = "AT-SPI missing: apt-get install at-spi2-core python3-pyatspi dbus (test skipped)"

    /// Walks the accessible tree of application `application` (retrying until it shows up,
    /// at most `seconds`) and prints one node a line: role, name, sensitive.
    private static let script = """
        import sys, time, pyatspi
        application, deadline = sys.argv[1], time.time() + float(sys.argv[2])
        def walk(node):
            state = node.getState()
            name = (node.name or "").replace("\\t", " ").replace("\\n", " ")
            print(f"{node.getRoleName()}\\t{name}\\t{int(state.contains(pyatspi.STATE_SENSITIVE))}")
            for index in range(node.childCount):
                walk(node.getChildAtIndex(index))
        while time.time() < deadline:
            apps = [a for a in pyatspi.Registry.getDesktop(0) if a is not None and a.name == application]
            if apps and apps[0].childCount > 0:
                walk(apps[0]); sys.exit(0)
            time.sleep(0.1)
        sys.exit(1)
        """

    /// The nodes of the dialog helper on `desktop` (which must have a session bus).
    static func nodes(on desktop: VirtualDesktop, seconds: Double = 5) throws -> [AccessibleNode] {
        let result = try desktop.tool([python, "-c", script, "intervm-dialog", String(seconds)])
        return String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { return nil }
            return AccessibleNode(role: fields[0], name: fields[1], sensitive: fields[2] == "1")
        }
    }
}
