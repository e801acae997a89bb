import Foundation
import Testing
import TestSupport

/// A private X display (Xvfb on a free display number, chosen by `-displayfd`) for one test,
/// with xdotool to find windows and type, an optional private session bus (for AT-SPI and
/// notifications), and screenshots under `build/screenshots/`.
final class VirtualDesktop: @unchecked Sendable {
    /// Programs the GUI tests need; a test suite is skipped when one is missing.
    static let requiredTools = ["/usr/bin/Xvfb", "/usr/bin/xdotool"]
    static var isAvailable: Bool { requiredTools.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) } }
    static let unavailableReason: Comment = "Xvfb or xdotool missing: apt-get install xvfb xdotool (GUI tests skipped)"

    let display: String
    let home: TemporaryDirectory
    private let server: Process
    private var bus: Process?
    private(set) var busAddress: String?

    /// Starts Xvfb and waits until it names its display.
    init() throws {
        home = try TemporaryDirectory()
        server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/Xvfb")
        server.arguments = ["-noreset", "-nolisten", "tcp", "-screen", "0", "1024x768x24", "-displayfd", "1"]
        let numberPipe = Pipe()
        server.standardOutput = numberPipe
        server.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try server.run()
        let number = try Self.readLine(numberPipe.fileHandleForReading)
        guard !number.isEmpty else { throw DesktopError.noDisplay }
        display = ":" + number
    }

    deinit {
        if let bus { stop(bus, group: true) }
        stop(server)
    }

    /// Starts a private session bus (dbus-daemon), so AT-SPI and notifications work.
    func startSessionBus() throws {
        // Process starts it as a process group leader; the services it starts (the AT-SPI bus,
        // GVfs) stay in its group and are stopped with it.
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: "/usr/bin/dbus-daemon")
        daemon.arguments = ["--session", "--nofork", "--nopidfile", "--print-address=1"]
        daemon.environment = environment
        let addressPipe = Pipe()
        daemon.standardOutput = addressPipe
        daemon.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try daemon.run()
        bus = daemon
        busAddress = try Self.readLine(addressPipe.fileHandleForReading)
    }

    /// The environment for programs on this desktop: our display, a private home, and either
    /// the private bus or none at all (no accessibility bridge, no GLib autolaunch).
    var environment: [String: String] {
        var result = [
            "PATH": "/usr/local/bin:/usr/bin:/bin", "DISPLAY": display, "HOME": home.path,
            "LANG": "C.UTF-8", "GSETTINGS_BACKEND": "memory", "XDG_RUNTIME_DIR": home.path, "GIO_USE_VFS": "local",
            // Under `make check-tsan` the GTK helper's hand-off from its reader thread goes
            // through GLib (g_idle_add, GMutex on raw futexes), which ThreadSanitizer cannot see:
            // it reports races that are not there and exits 66. Its reports still go to stderr;
            // only the exit status is left to the program. No effect on ordinary builds.
            "TSAN_OPTIONS": "exitcode=0",
        ]
        if let busAddress {
            result["DBUS_SESSION_BUS_ADDRESS"] = busAddress
        } else {
            result["NO_AT_BRIDGE"] = "1"
            result["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent/bus"
        }
        return result
    }

    /// Runs a program with `environment` to its end (xdotool, import, python3).
    @discardableResult
    func tool(_ arguments: [String], stdin: [UInt8] = []) throws -> Finished {
        try run(arguments, stdin: stdin, environment: environment)
    }

    /// Ids of visible windows whose title matches `name` (xdotool search --onlyvisible).
    func windows(named name: String) -> [String] {
        let found = try? tool(["/usr/bin/xdotool", "search", "--onlyvisible", "--name", name])
        return String(decoding: found?.stdout ?? [], as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Waits up to `seconds` for a visible window titled `name`, then gives it the keyboard
    /// focus (XSetInputFocus: there is no window manager). Nil when none appeared.
    @discardableResult
    func waitForWindow(named name: String, seconds: Double = 10) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let window = windows(named: name).first {
                _ = try? tool(["/usr/bin/xdotool", "windowfocus", "--sync", window])
                // GTK needs a moment after mapping before it handles keys.
                Thread.sleep(forTimeInterval: 0.2)
                return window
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return nil
    }

    /// Types `text` into the focused window.
    func type(_ text: String) throws {
        try tool(["/usr/bin/xdotool", "type", "--delay", "15", text])
    }

    /// Presses keys, e.g. "Return", "Escape", "Tab", "alt+a".
    func key(_ keys: String...) throws {
        try tool(["/usr/bin/xdotool", "key", "--delay", "50"] + keys)
    }

    /// Saves the whole screen as `build/screenshots/NAME.png` (ImageMagick `import`), when
    /// ImageMagick is installed.
    func screenshot(_ name: String) {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/import") else { return }
        let folder = Programs.projectRoot + "/build/screenshots"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        _ = try? tool(["/usr/bin/import", "-window", "root", folder + "/" + name + ".png"])
    }

    /// The first line a child writes on `handle` (trimmed), or "" at end of file (read(2)).
    private static func readLine(_ handle: FileHandle) throws -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256)
        while !bytes.contains(UInt8(ascii: "\n")) {
            let count = chunk.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
    }
}

/// Ends `process` with SIGKILL and reaps it. Children started from the test runner's worker
/// threads inherit their blocked signal mask, so SIGTERM (`terminate()`) may never arrive.
/// With `group`, the whole process group that `process` leads goes.
func stop(_ process: Process, group: Bool = false) {
    guard process.isRunning else { return }
    kill(group ? -process.processIdentifier : process.processIdentifier, SIGKILL)
    process.waitUntilExit()
}

enum DesktopError: Error {
    case noDisplay
}

/// The dialog helper started on a desktop, with stdin to write to.
final class DialogRun: @unchecked Sendable {
    let started: Started

    init(_ arguments: [String], on desktop: VirtualDesktop, environment extra: [String: String] = [:]) throws {
        started = try Started([Programs.path("intervm-dialog")] + arguments, environment: desktop.environment.merging(extra) { $1 })
    }

    var isRunning: Bool { started.process.isRunning }

    /// Waits up to `seconds` for the program to end by itself (killing it after that) and
    /// returns what it left.
    func finish(within seconds: Double = 10) -> Finished {
        let deadline = Date().addingTimeInterval(seconds)
        while started.process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        stop(started.process)
        return started.finish()
    }
}

extension Finished {
    var output: String { String(decoding: stdout, as: UTF8.self) }
}

