import Glibc
import SystemIO
import Localization
import SystemPackage

/// One line on stderr, prefixed with the program's name (write(2) on descriptor 2).
public func printLine(program: String, _ message: String) {
    try? FileDescriptor.standardError.writeFully(Array("\(program): \(message)\n".utf8))
}

/// Binds the text domain to the install prefix's `share/locale` (`PREFIX/bin/x` or
/// `PREFIX/lib/qubes/x`) and takes the user's locale (setlocale(3)).
public func setUpLocalization() {
    setlocale(LC_ALL, "")
    guard let executable = ProgramLocation.currentExecutable() else { return }
    var prefix = ProgramLocation.directory(of: ProgramLocation.directory(of: executable))
    if prefix.hasSuffix("/lib") { prefix = ProgramLocation.directory(of: prefix) }
    Localization.setUp(localeDirectory: prefix + "/share/locale")
}
