import CGtk

/// Where the translations of an installed helper are.
public enum LocaleFolder {
    /// `PREFIX/share/locale` for a helper installed as `PREFIX/lib/qubes/NAME` (found through
    /// readlink of `/proc/self/exe`, g_file_read_link); `/usr/share/locale` otherwise.
    public static func forThisProgram() -> String {
        guard let link = g_file_read_link("/proc/self/exe", nil) else { return "/usr/share/locale" }
        defer { g_free(link) }
        let executable = String(cString: link)
        let suffix = "/lib/qubes/" + (executable.split(separator: "/").last.map(String.init) ?? "")
        guard executable.hasSuffix(suffix) else { return "/usr/share/locale" }
        return String(executable.dropLast(suffix.count)) + "/share/locale"
    }
}
