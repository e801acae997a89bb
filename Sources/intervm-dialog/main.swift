// intervm-dialog: the GTK dialogs of the front ends (`qvm-copy --gui`, `qvm-open-in-vm --gui`,
// qrexec-local's `ask`), one dialog per run, answering through stdout and the exit status.
import CommandLineErrors
import Dialogs
import Glibc
import Localization

// setlocale(LC_ALL, "") and the text domain, before any string is translated.
Localization.setUp()
signal(SIGPIPE, SIG_IGN)
// The desktop file id as program name, before GTK starts (WM_CLASS, app id).
DesktopIdentity.adopt()
IntervmDialog.mainEscapingErrors()
