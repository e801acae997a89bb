import Glibc
import SystemIO

/// Asks the GTK helper `intervm-dialog` (a separate program: the command-line tools never link
/// GTK) to show a dialog. Its contract is in docs/intervm-dialog.md.
public enum DialogHelper {
    /// What a question to the user came to.
    public enum Answer: Sendable, Equatable {
        case chosen(String)
        /// The user cancelled or denied: do nothing.
        case cancelled
        /// No helper installed, or no display: fall back to the terminal.
        case unavailable
    }

    /// The helper's path, when it is installed and a display is there to show it on.
    public static var program: String? {
        guard getenv("DISPLAY") != nil || getenv("WAYLAND_DISPLAY") != nil else { return nil }
        return ProgramLocation.helper("intervm-dialog")
    }

    /// The target-VM picker; `action` is copy, move or open.
    public static func pickTarget(title: String, action: String) -> Answer {
        ask(["pick-target", "--title", title, "--action", action])
    }

    /// The qrexec `ask` confirmation, modelled on Qubes' dom0 prompt.
    public static func confirm(source: String, service: String, targets: [String], preselected: String?) -> Answer {
        ask(["ask", "--source", source, "--service", service, "--targets", targets.joined(separator: ",")]
            + (preselected.map { ["--default", $0] } ?? []))
    }

    /// A notification (or a short message) that something worked; false when nothing was shown.
    @discardableResult
    public static func showSuccess(_ summary: String) -> Bool {
        show(["outcome", "--success", "--summary", summary])
    }

    /// A neutral note (a cancelled transfer): a notification where one can be shown, never a dialog.
    @discardableResult
    public static func showNote(_ summary: String) -> Bool {
        show(["outcome", "--note", "--summary", summary])
    }

    /// An error dialog: one sentence, and details behind an expander.
    @discardableResult
    public static func showError(_ summary: String, details: String?) -> Bool {
        show(["outcome", "--error", "--summary", summary] + (details.map { ["--details", $0] } ?? []))
    }

    /// Starts the progress window reading progress lines (cumulative byte counts, `name PATH`)
    /// from `input`, one of our descriptors. It appears only if the transfer takes over a second.
    public static func startProgress(title: String, target: String, totalBytes: UInt64, input: Int32) -> pid_t? {
        guard let program else { return nil }
        let arguments = ["intervm-dialog", "progress", "--title", title, "--target", target, "--total", String(totalBytes)]
        return try? Spawn.start(program, arguments: arguments, redirect: [(input, 0)])
    }

    /// The progress window's exit status when the user pressed Cancel.
    public static let progressCancelled: Int32 = 3

    private static func ask(_ arguments: [String]) -> Answer {
        guard let program, let (status, output) = try? Spawn.capture(program, arguments: ["intervm-dialog"] + arguments) else {
            return .unavailable
        }
        switch status {
        case .exited(0):
            let answer = String(decoding: output, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            return answer.isEmpty ? .cancelled : .chosen(answer)
        case .exited(1): return .cancelled
        default: return .unavailable
        }
    }

    private static func show(_ arguments: [String]) -> Bool {
        guard let program else { return false }
        return (try? Spawn.run(program, arguments: ["intervm-dialog"] + arguments)) == .exited(0)
    }
}
