import Glibc
import Localization
import SystemIO

// qvm-copy, qvm-move, qvm-copy-to-vm and qvm-move-to-vm: one program, chosen by its name.
Localization.setUp()
exit(FrontEnd.main(CommandLine.unsafeArgv, count: Int(CommandLine.argc)))
