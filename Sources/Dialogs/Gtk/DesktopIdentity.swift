import CGtk

/// Who the dialog helper is to the desktop: the id of its installed desktop file
/// (`data/intervm-dialog.desktop`), so the shell can give its windows and notifications that
/// file's name and icon.
public enum DesktopIdentity {
    /// The desktop file's name without `.desktop`.
    public static let desktopEntry = "intervm-dialog"

    /// Sets the program name (g_set_prgname) to the desktop file id. Call it first thing,
    /// before GTK starts: GTK makes the windows' WM_CLASS from it (`intervm-dialog`,
    /// `Intervm-dialog`), and Wayland shells match that app id to the desktop file.
    public static func adopt() {
        g_set_prgname(desktopEntry)
    }
}
