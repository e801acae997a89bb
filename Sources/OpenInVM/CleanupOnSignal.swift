import Glibc

/// Removes the service's private folder when the service is stopped by SIGTERM, SIGINT or
/// SIGHUP, then dies of that signal as it would have.
///
/// A signal handler may only make async-signal-safe calls, so it cannot walk the folder:
/// it unlinks the file it knows (unlinkat(2)) and removes the folder (rmdir(2)), which succeeds
/// when the application left nothing else. Paths are prepared as C strings beforehand.
enum CleanupOnSignal {
    nonisolated(unsafe) private static var folderPath: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var fileName: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var folderFD: Int32 = -1
    static let signals = [SIGTERM, SIGINT, SIGHUP]

    /// Arms the handlers for `name` in `folder`. Call once, before the application starts.
    static func arm(folder: PrivateFolder, name: [UInt8]) {
        folderPath = strdup(folder.path)
        fileName = name.withUnsafeBufferPointer { buffer in
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: buffer.count + 1)
            for (index, byte) in buffer.enumerated() { copy[index] = CChar(bitPattern: byte) }
            copy[buffer.count] = 0
            return copy
        }
        folderFD = folder.descriptor.rawValue
        // A parent may have started us with these signals blocked; we want to see them.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        for signal in signals { sigaddset(&unblocked, signal) }
        sigprocmask(SIG_UNBLOCK, &unblocked, nil)
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { received in
                if let fileName = CleanupOnSignal.fileName { unlinkat(CleanupOnSignal.folderFD, fileName, 0) }
                if let folderPath = CleanupOnSignal.folderPath { rmdir(folderPath) }
                Glibc.signal(received, SIG_DFL)
                raise(received)
            }
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
    }

    /// Puts the default handlers back (the folder is about to be removed normally).
    static func disarm() {
        for signal in signals { Glibc.signal(signal, SIG_DFL) }
    }
}
