// intervm-dialog: the GTK dialogs of the front ends (`qvm-copy --gui`, `qvm-open-in-vm --gui`,
// qrexec-local's `ask`), one dialog per run, answering through stdout and the exit status.
import Dialogs
import Glibc
import Localization

setlocale(LC_ALL, "")
Localization.setUp(localeDirectory: LocaleFolder.forThisProgram())
signal(SIGPIPE, SIG_IGN)
IntervmDialog.main()
