import CLinux
import Glibc
import Localization
import SystemIO
import SystemPackage

/// Shuts the receiver in before it reads the first byte: a chroot into the destination (as
/// root, then dropping to the receiving user; unprivileged, inside a new user and mount
/// namespace), every capability dropped (bounding set included), no_new_privs, and a Landlock
/// ruleset that allows writes only beneath it.
/// Each layer that the kernel refuses is skipped with a note; the others still hold.
public enum Confinement {
    /// What was put in place, and notes on what could not be.
    public struct Report: Sendable {
        public var chroot = false
        public var noNewPrivileges = false
        public var landlockABI: Int32?
        /// One sentence per layer that could not be put in place, in the user's language.
        public var notes: [String] = []
    }

    /// The user to become after the chroot when started as root.
    public struct Identity: Sendable {
        public var uid: uid_t
        public var gid: gid_t
        public init(uid: uid_t, gid: gid_t) {
            self.uid = uid
            self.gid = gid
        }
    }

    /// Confines the process to `destination`. `dropTo` is required when running as root and
    /// is where privileges go (it may be root itself). Throws only when privileges cannot be
    /// dropped: running on as root would be worse than not running.
    ///
    /// From the start of this call no catalogue is opened any more
    /// (`Localization.useBuiltInMessagesOnly`): translate what is printed afterwards before.
    /// `removingFiles` lets Landlock allow removing files beneath `destination` (needed for
    /// hidden temporary names where the file system has no O_TMPFILE).
    public static func apply(to destination: FileDescriptor, dropTo identity: Identity?, removingFiles: Bool = false) throws -> Report {
        let notes = Notes()
        Localization.useBuiltInMessagesOnly()
        var report = Report()
        if geteuid() == 0 {
            try chrootInto(destination)
            report.chroot = true
            // The bounding set needs CAP_SETPCAP, which setuid(2) takes away: drop it first.
            dropBoundingSet(into: &report, notes)
            if let identity, identity.uid != 0 { try drop(to: identity) }
            // Receiving as root too: uid 0 without a capability is just another file owner.
            _ = try syscallRetrying { csys_drop_all_capabilities() }
        } else {
            do {
                try enterUserNamespace()
                try chrootInto(destination)
                report.chroot = true
                dropBoundingSet(into: &report, notes)
            } catch {
                report.notes.append(fill(notes.noChroot, [String(describing: error)]))
            }
            // Whatever the user namespace gave, and any ambient or inheritable capability
            // inherited.
            _ = try syscallRetrying { csys_drop_all_capabilities() }
        }
        if csys_set_no_new_privs() == 0 {
            report.noNewPrivileges = true
        } else {
            report.notes.append(fill(notes.noNewPrivilegesRefused, [String(describing: Errno(rawValue: errno))]))
        }
        let abi = csys_landlock_abi()
        if abi < 1 {
            report.notes.append(notes.landlockUnavailable)
        } else if csys_landlock_confine_to(destination.rawValue, abi, removingFiles ? 1 : 0) == 0 {
            report.landlockABI = abi
        } else {
            report.notes.append(fill(notes.landlockRefused, [String(describing: Errno(rawValue: errno))]))
        }
        return report
    }

    /// Empties the capability bounding set, so no execve could bring a capability back. A
    /// process without CAP_SETPCAP (root in a sandbox that took it away) cannot: a note, as
    /// for any layer refused; no_new_privs and Landlock's ban on execution still hold.
    private static func dropBoundingSet(into report: inout Report, _ notes: Notes) {
        if csys_drop_capability_bounding_set() != 0 {
            report.notes.append(fill(notes.boundingSetKept, [String(describing: Errno(rawValue: errno))]))
        }
    }

    /// The notes `apply` may give, translated before it confines anything.
    private struct Notes {
        // TRANSLATORS: chroot is the system call's name; %s is the system's reason.
        let noChroot = tr("no chroot: user namespaces unavailable (%s); relying on the other layers")
        // TRANSLATORS: no_new_privs is the kernel flag's name; %s is the system's reason.
        let noNewPrivilegesRefused = tr("no_new_privs refused: %s")
        // TRANSLATORS: Landlock is the name of a Linux security module.
        let landlockUnavailable = tr("Landlock unavailable on this kernel")
        // TRANSLATORS: Landlock is the name of a Linux security module; %s is the system's reason.
        let landlockRefused = tr("Landlock refused: %s")
        // TRANSLATORS: "bounding set" is the Linux capability set's name; %s is the system's reason.
        let boundingSetKept = tr("capability bounding set kept: %s")
    }

    private static func chrootInto(_ destination: FileDescriptor) throws {
        _ = try syscallRetrying { fchdir(destination.rawValue) }
        _ = try syscallRetrying { chroot(".") }
    }

    private static func drop(to identity: Identity) throws {
        _ = try syscallRetrying { setgroups(0, nil) }
        _ = try syscallRetrying { setgid(identity.gid) }
        _ = try syscallRetrying { setuid(identity.uid) }
        // As root, setuid(2) sets real, effective and saved ids; make sure there is no way back.
        if setuid(0) == 0 { throw Errno.notPermitted }
    }

    /// A new user namespace mapping only our own uid and gid, plus a private mount namespace,
    /// so an unprivileged process may chroot.
    private static func enterUserNamespace() throws {
        let uid = getuid()
        let gid = getgid()
        _ = try syscallRetrying { csys_unshare_user_and_mount() }
        try writeProcFile("/proc/self/setgroups", "deny")
        try writeProcFile("/proc/self/uid_map", "\(uid) \(uid) 1")
        try writeProcFile("/proc/self/gid_map", "\(gid) \(gid) 1")
    }

    private static func writeProcFile(_ path: String, _ text: String) throws {
        let fd = try FileDescriptor.open(FilePath(path), .writeOnly, options: [.closeOnExec])
        defer { fd.closeQuietly() }
        try fd.writeFully(Array(text.utf8))
    }
}
