import SystemIO
import SystemPackage

/// One line on stderr, prefixed with the program's name (write(2) on descriptor 2).
public func printLine(program: String, _ message: String) {
    try? FileDescriptor.standardError.writeFully(Array("\(program): \(message)\n".utf8))
}
