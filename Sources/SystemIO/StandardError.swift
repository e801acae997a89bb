import DisplayText
import SystemPackage

/// Writes `line` and a newline to stderr (fd 2) in one write(2), ignoring failures:
/// a diagnostic must never be the reason a program stops. Values in `line` went through
/// `DisplayText.escaped`; `DisplayText.guarded` makes sure no control character that slipped
/// past that reaches a terminal.
public func printError(_ line: String) {
    try? FileDescriptor.standardError.writeFully(Array((DisplayText.guarded(line) + "\n").utf8))
}
