import DisplayText
import SystemIO
import SystemPackage

/// One line on stderr, prefixed with the program's name (`printError`).
public func printLine(program: String, _ message: String) {
    printError(program + ": " + message)
}

/// `path` as it may be shown in a message (`DisplayText.escaped`), for the programs that do
/// not link DisplayText themselves: a planted name can neither break the line nor act on the
/// terminal.
public func displayed(_ path: String) -> String {
    DisplayText.escaped(Array(path.utf8))
}
