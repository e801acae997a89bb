import SystemIO
import SystemPackage

/// One line on stderr, prefixed with the program's name (`printError`).
public func printLine(program: String, _ message: String) {
    printError(program + ": " + message)
}
