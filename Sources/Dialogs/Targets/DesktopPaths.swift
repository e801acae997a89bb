import Glibc
import Qrexec
import QrexecLocal

/// Where the picker finds and keeps its lists, from the environment (XDG base directories).
public struct DesktopPaths: Sendable, Equatable {
    /// `$XDG_STATE_HOME`, or `~/.local/state`.
    public var stateHome: String
    /// `$XDG_CONFIG_HOME`, or `~/.config`.
    public var configHome: String
    /// `$QREXEC_LOCAL_ROOT` under the local qrexec stand-in: one folder per local VM.
    public var localRoot: String?
    /// `$QREXEC_LOCAL_DOMAIN`: the local VM this program runs in, left out of the choices.
    public var localDomain: String?

    public init(stateHome: String, configHome: String, localRoot: String? = nil, localDomain: String? = nil) {
        self.stateHome = stateHome
        self.configHome = configHome
        self.localRoot = localRoot
        self.localDomain = localDomain
    }

    /// Newest first, one target a line.
    public var recentTargetsFile: String { stateHome + "/intervm/recent-targets" }
    /// VM names the user lists, one a line.
    public var configuredVMsFile: String { configHome + "/intervm/vms" }

    /// The paths this process's environment gives (getenv). XDG values that are not absolute
    /// are ignored, as the XDG base directory rules say.
    public static func fromEnvironment() -> DesktopPaths {
        let home = variable("HOME") ?? "/"
        return DesktopPaths(
            stateHome: absolute(variable("XDG_STATE_HOME")) ?? home + "/.local/state",
            configHome: absolute(variable("XDG_CONFIG_HOME")) ?? home + "/.config",
            localRoot: absolute(variable(LocalRun.rootVariable)),
            localDomain: variable(LocalRun.domainVariable))
    }

    private static func variable(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    private static func absolute(_ path: String?) -> String? {
        guard let path, path.hasPrefix("/") else { return nil }
        return path
    }
}
