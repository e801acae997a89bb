import SystemPackage

/// Writes `line` and a newline to stderr (fd 2) in one write(2), ignoring failures:
/// a diagnostic must never be the reason a program stops.
public func printError(_ line: String) {
    try? FileDescriptor.standardError.writeFully(Array((line + "\n").utf8))
}
