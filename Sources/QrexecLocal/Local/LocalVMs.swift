import DisplayText
import Qrexec
import Glibc
import SystemIO
import Localization
import SystemPackage

/// Local VMs: a folder per VM under one root. `ROOT/NAME/home/` is the VM's home,
/// `ROOT/NAME/rpc/` holds its own services, `ROOT/policy.d/*.policy` the policy.
public struct LocalVMs: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    /// `$XDG_STATE_HOME/intervm`, or `~/.local/state/intervm`.
    public static func defaultRoot() -> String {
        if let state = getenv("XDG_STATE_HOME").map({ String(cString: $0) }), state.hasPrefix("/") {
            return state + "/intervm"
        }
        let home = getenv("HOME").map { String(cString: $0) } ?? "/root"
        return home + "/.local/state/intervm"
    }

    /// The policy Qubes ships for the file and URL services, written by `create` when none exists.
    public static let defaultPolicy = """
        # Written by qrexec-local. Qubes policy v5: SERVICE +ARG|* SOURCE TARGET ACTION [PARAMS]
        # The first matching rule across policy.d/*.policy (in name order) decides.
        qubes.Filecopy  *  @anyvm  @anyvm  ask
        qubes.OpenInVM  *  @anyvm  @dispvm allow
        qubes.OpenURL   *  @anyvm  @dispvm allow

        """

    public var policyDirectory: String { root + "/policy.d" }
    public func folder(of name: String) -> String { root + "/" + name }
    public func home(of name: String) -> String { folder(of: name) + "/home" }
    public func servicesFolder(of name: String) -> String { folder(of: name) + "/rpc" }

    public func exists(_ name: String) -> Bool {
        isUsableName(name) && LocalFiles.isDirectory(home(of: name))
    }

    /// A valid VM name that is not one of the root's own folders.
    func isUsableName(_ name: String) -> Bool {
        TargetName.isValidVMName(name) && name != "policy.d"
    }

    /// The VMs, sorted by name.
    public func list() -> [String] {
        ((try? LocalFiles.names(in: root)) ?? []).filter(exists)
    }

    /// Makes VM `name` with an empty home (0700) and writes the default policy if the root has none.
    public func create(_ name: String) throws(LocalVMError) {
        guard isUsableName(name) else { throw .invalidName(name) }
        if exists(name) { throw .alreadyExists(name) }
        do {
            try LocalFiles.makeDirectories(root)
            try LocalFiles.makeDirectory(folder(of: name), mode: 0o755)
            try LocalFiles.makeDirectory(home(of: name), mode: 0o700)
            try LocalFiles.makeDirectory(servicesFolder(of: name), mode: 0o755)
            try LocalFiles.makeDirectory(policyDirectory, mode: 0o755)
            let policies = try LocalFiles.names(in: policyDirectory).filter { $0.hasSuffix(".policy") }
            if policies.isEmpty {
                try LocalFiles.write(policyDirectory + "/90-default.policy", Array(Self.defaultPolicy.utf8))
            }
        } catch {
            throw .system(folder(of: name), error)
        }
    }

    /// Deletes VM `name` and everything in it.
    public func remove(_ name: String) throws(LocalVMError) {
        guard exists(name) else { throw .missing(name) }
        do {
            try LocalFiles.removeTree(folder(of: name))
        } catch {
            throw .system(folder(of: name), error)
        }
    }

    /// The VM whose home and services a plain `@dispvm` starts from, when it exists (as Qubes
    /// bases disposables on the default DispVM template): put the opener settings there.
    public static let defaultDispVMTemplate = "default-dvm"

    /// Makes a fresh disposable VM `dispN` (the lowest free number) and returns its name; with a
    /// template, the disposable starts as a copy of that VM's home and services.
    /// mkdir(2) of the VM folder claims the name, so two calls never share one.
    public func createDisposable(from template: String?) throws(LocalVMError) -> String {
        let name = try createEmptyDisposable()
        guard let template else { return name }
        for (source, target) in [(home(of: template), home(of: name)), (servicesFolder(of: template), servicesFolder(of: name))] {
            // cp -a keeps modes, times and links, and copies without following links.
            let status = try? Spawn.run("/bin/cp", arguments: ["cp", "-a", "--", source + "/.", target])
            guard status == .exited(0) else {
                try? remove(name)
                throw .system(source, Errno.ioError)
            }
        }
        return name
    }

    private func createEmptyDisposable() throws(LocalVMError) -> String {
        for number in 1...9999 {
            let name = "disp\(number)"
            if mkdir(folder(of: name), 0o755) != 0 {
                if errno == EEXIST { continue }
                throw .system(folder(of: name), Errno(rawValue: errno))
            }
            do {
                try LocalFiles.makeDirectory(home(of: name), mode: 0o700)
                try LocalFiles.makeDirectory(servicesFolder(of: name), mode: 0o755)
            } catch {
                throw .system(folder(of: name), error)
            }
            return name
        }
        throw .system(root, Errno.tooManyOpenFiles)
    }

    /// The rules of every `policy.d/*.policy` file, files in bytewise name order.
    public func loadPolicy() throws -> Policy {
        let names = try LocalFiles.names(in: policyDirectory).filter { $0.hasSuffix(".policy") && !$0.hasPrefix(".") }
        var rules: [PolicyRule] = []
        for name in names {
            let path = policyDirectory + "/" + name
            rules += try PolicyParser.parse(String(decoding: try LocalFiles.read(path), as: UTF8.self), file: path)
        }
        return Policy(rules: rules)
    }
}

/// Why a local VM operation failed; `description` is one line for stderr.
public enum LocalVMError: Error, CustomStringConvertible {
    case invalidName(String)
    case alreadyExists(String)
    case missing(String)
    case system(String, any Error)

    public var description: String {
        switch self {
        case .invalidName(let name):
            tr("\"%s\" is not a valid VM name (a letter, then letters, digits, _ . -, at most 31).", DisplayText.escaped(name))
        case .alreadyExists(let name): tr("The VM \"%s\" already exists.", DisplayText.escaped(name))
        case .missing(let name): tr("There is no VM named \"%s\".", DisplayText.escaped(name))
        // TRANSLATORS: a file path, then the system's error text.
        case .system(let path, let error): tr("%s: %s", DisplayText.escaped(path), String(describing: error))
        }
    }
}
