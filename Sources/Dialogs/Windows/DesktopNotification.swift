import CGtk
import Glibc

/// A desktop notification through org.freedesktop.Notifications on the session bus.
public enum DesktopNotification {
    /// How long to wait for the notification service to answer.
    static let timeoutMilliseconds: Int32 = 3000

    /// Sends `summary` (and `body`) as a notification (g_bus_get_sync and
    /// g_dbus_connection_call_sync of Notify), with the `desktop-entry` hint naming
    /// `DesktopIdentity.desktopEntry`. False when there is no session bus or no
    /// notification service answered, so the caller can show a dialog instead.
    public static func send(summary: String, body: String = "", icon: String) -> Bool {
        guard sessionBusIsReachable() else { return false }
        var error: UnsafeMutablePointer<GError>?
        guard let bus = g_bus_get_sync(G_BUS_TYPE_SESSION, nil, &error) else {
            g_error_free(error)
            return false
        }
        defer { g_object_unref(UnsafeMutableRawPointer(bus)) }
        let parameters = cgtk_notify_parameters(
            DesktopIdentity.desktopEntry, DesktopIdentity.desktopEntry, icon, summary, body, -1)
        let reply = g_dbus_connection_call_sync(
            bus, "org.freedesktop.Notifications", "/org/freedesktop/Notifications",
            "org.freedesktop.Notifications", "Notify", parameters, nil,
            G_DBUS_CALL_FLAGS_NONE, timeoutMilliseconds, nil, &error)
        guard let reply else {
            g_error_free(error)
            return false
        }
        g_variant_unref(reply)
        return true
    }

    /// True when a session bus address is known: `$DBUS_SESSION_BUS_ADDRESS` or
    /// `$XDG_RUNTIME_DIR/bus`. Without one GLib would try to autolaunch a bus, which only
    /// delays the fallback dialog.
    static func sessionBusIsReachable() -> Bool {
        if let address = getenv("DBUS_SESSION_BUS_ADDRESS"), address.pointee != 0 { return true }
        guard let runtime = getenv("XDG_RUNTIME_DIR") else { return false }
        return access(String(cString: runtime) + "/bus", F_OK) == 0
    }
}
