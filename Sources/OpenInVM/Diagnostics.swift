import Filecopy
import SystemIO
import SystemPackage

/// One line on stderr, prefixed with the program's name (write(2) on descriptor 2).
public func printLine(program: String, _ message: String) {
    try? FileDescriptor.standardError.writeFully(Array("\(program): \(message)\n".utf8))
}

/// `path` as it may be shown in a message: control and invisible characters escaped, so a
/// planted name can neither break the line nor act on the terminal (`TransferFailure.displayName`).
public func displayed(_ path: String) -> String {
    TransferFailure.displayName(Array(path.utf8))
}
