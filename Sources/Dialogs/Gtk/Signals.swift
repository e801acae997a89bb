import CGtk

/// Connecting Swift closures to GTK signals (g_signal_connect_data).
///
/// GTK calls handlers on the thread that runs its main loop, which is the main thread here, so
/// each C trampoline asserts that (`MainActor.assumeIsolated`) before it runs the closure. The
/// closure box is retained by the signal and released by GLib when the handler goes away.
@MainActor
enum Signal {
    /// A handler of shape `(instance)` such as "clicked", "changed", "activate", "destroy".
    static func connect(_ instance: gpointer?, _ name: String, _ action: @escaping @MainActor () -> Void) {
        let box = Unmanaged.passRetained(Box(action)).toOpaque()
        _ = cgtk_connect(instance, name, { _, data in
            let box = Unmanaged<Box<() -> Void>>.fromOpaque(data!).takeUnretainedValue()
            MainActor.assumeIsolated { box.action() }
        }, box, releaseBox)
    }

    /// A handler of shape `(instance, gint)` such as a dialog's "response".
    static func connect(_ instance: gpointer?, _ name: String, _ action: @escaping @MainActor (Int32) -> Void) {
        let box = Unmanaged.passRetained(Box(action)).toOpaque()
        _ = cgtk_connect_int(instance, name, { _, value, data in
            let box = Unmanaged<Box<(Int32) -> Void>>.fromOpaque(data!).takeUnretainedValue()
            MainActor.assumeIsolated { box.action(value) }
        }, box, releaseBox)
    }

    /// A handler of shape `(instance, pointer)` such as a list box's "row-activated".
    static func connect(_ instance: gpointer?, _ name: String, _ action: @escaping @MainActor (gpointer?) -> Void) {
        let box = Unmanaged.passRetained(Box(action)).toOpaque()
        _ = cgtk_connect_pointer(instance, name, { _, argument, data in
            let box = Unmanaged<Box<(gpointer?) -> Void>>.fromOpaque(data!).takeUnretainedValue()
            nonisolated(unsafe) let argument = argument
            MainActor.assumeIsolated { box.action(argument) }
        }, box, releaseBox)
    }

    /// A handler of shape `(instance, event) -> handled` such as "delete-event".
    static func connectEvent(_ instance: gpointer?, _ name: String, _ action: @escaping @MainActor () -> Bool) {
        let box = Unmanaged.passRetained(Box(action)).toOpaque()
        _ = cgtk_connect_event(instance, name, { _, _, data in
            let box = Unmanaged<Box<() -> Bool>>.fromOpaque(data!).takeUnretainedValue()
            return MainActor.assumeIsolated { box.action() } ? 1 : 0
        }, box, releaseBox)
    }
}

/// A closure kept alive for GLib.
@MainActor
final class Box<Action> {
    let action: Action
    init(_ action: Action) { self.action = action }
}

/// GClosureNotify that drops the closure box of a disconnected handler.
private let releaseBox: GClosureNotify = { data, _ in
    guard let data else { return }
    Unmanaged<AnyObject>.fromOpaque(data).release()
}
