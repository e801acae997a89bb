import Glibc

/// Removes the client's hidden copy of a reply when the client is stopped by SIGTERM, SIGINT or
/// SIGHUP (a session ending, Ctrl-C) while the copy has a name, then dies of that signal as it
/// would have. Only SIGKILL (or a crash) can then leave the copy, for the next run to remove
/// (`StaleHiddenCopies`).
///
/// A handler may only make async-signal-safe calls: it unlinks (unlinkat(2)) the one name it
/// was told, prepared as a C string beforehand. The name is swapped with the signals blocked,
/// so the handler never sees it half-changed or freed. A signal the client was started with
/// ignored stays ignored; one it was started with blocked is unblocked.
enum HiddenCopyCleanup {
    nonisolated(unsafe) private static var name: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var folderFD: Int32 = -1
    nonisolated(unsafe) private static var installed = false
    static let signals = [SIGTERM, SIGINT, SIGHUP]

    /// From now on a stop signal removes `name` in `folder` (nil: nothing to remove).
    static func track(_ newName: [UInt8]?, in folder: Int32) {
        if !installed { install() }
        var blocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&blocked)
        for signal in signals { sigaddset(&blocked, signal) }
        sigprocmask(SIG_BLOCK, &blocked, &previous)
        defer { sigprocmask(SIG_SETMASK, &previous, nil) }
        name?.deallocate()
        name = newName.map { bytes in
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            for (index, byte) in bytes.enumerated() { copy[index] = CChar(bitPattern: byte) }
            copy[bytes.count] = 0
            return copy
        }
        folderFD = folder
    }

    /// Installs the handlers and unblocks the signals: a parent may have started the client with
    /// them blocked, and then it could not be stopped at all.
    private static func install() {
        installed = true
        var stops = sigset_t()
        sigemptyset(&stops)
        for signal in signals {
            var current = sigaction()
            sigaction(signal, nil, &current)
            if let handler = current.__sigaction_handler.sa_handler,
                unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
            {
                continue
            }
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { received in
                if let name = HiddenCopyCleanup.name { unlinkat(HiddenCopyCleanup.folderFD, name, 0) }
                Glibc.signal(received, SIG_DFL)
                raise(received)
            }
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
            sigaddset(&stops, signal)
        }
        sigprocmask(SIG_UNBLOCK, &stops, nil)
    }
}
