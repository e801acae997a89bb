import CGtk
import Glibc

/// The GTK main loop of a one-dialog program: it starts GTK, runs until the dialog decides,
/// and hands back that decision.
@MainActor
public final class MainLoop {
    private var outcome: Int32 = 0

    /// Opens the display (gtk_init_check); false when there is none.
    public static func start() -> Bool {
        gtk_init_check(nil, nil) != 0
    }

    public init() {}

    /// Runs gtk_main until `finish` is called; returns the status given to `finish`.
    public func run() -> Int32 {
        gtk_main()
        return outcome
    }

    /// Ends `run` with `status` (gtk_main_quit).
    public func finish(_ status: Int32) {
        outcome = status
        gtk_main_quit()
    }
}

/// Calls `action` on the main loop after `milliseconds`, once (g_timeout_add).
@MainActor
func after(milliseconds: UInt32, _ action: @escaping @MainActor () -> Void) {
    let box = Unmanaged.passRetained(Box(action)).toOpaque()
    _ = g_timeout_add(milliseconds, { data in
        let box = Unmanaged<Box<() -> Void>>.fromOpaque(data!).takeRetainedValue()
        MainActor.assumeIsolated { box.action() }
        return 0  // G_SOURCE_REMOVE
    }, box)
}

/// Calls `action` on the main loop every `milliseconds` while it returns true (g_timeout_add).
@MainActor
func every(milliseconds: UInt32, _ action: @escaping @MainActor () -> Bool) {
    let box = Unmanaged.passRetained(Box(action)).toOpaque()
    _ = g_timeout_add(milliseconds, { data in
        let box = Unmanaged<Box<() -> Bool>>.fromOpaque(data!).takeUnretainedValue()
        let again = MainActor.assumeIsolated { box.action() }
        if !again { Unmanaged<Box<() -> Bool>>.fromOpaque(data!).release() }
        return again ? 1 : 0
    }, box)
}
