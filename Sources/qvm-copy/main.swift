import Glibc
import Localization
import SystemIO

// qvm-copy, qvm-move, qvm-copy-to-vm and qvm-move-to-vm: one program, chosen by its name.
setlocale(LC_ALL, "")
if let executable = ProgramLocation.currentExecutable() {
    Localization.setUp(
        localeDirectory: ProgramLocation.directory(of: ProgramLocation.directory(of: executable)) + "/share/locale")
}
exit(FrontEnd.main(CommandLine.unsafeArgv, count: Int(CommandLine.argc)))
