// qfile-unpacker: the qubes.Filecopy receiver. It parses hostile input, so it does little:
// parse arguments and settings, open the incoming folder, confine itself, then hand stdin to
// the Unpacker and write its single result to stdout.
import CLinux
import DisplayText
import Filecopy
import FilecopyWire
import Glibc
import Localization
import Qrexec
import SystemIO
import SystemPackage

// Nothing inherited beyond stdin, stdout and stderr: confinement cannot take back a
// descriptor that is already open.
csys_close_from(3)
Localization.setUp()
signal(SIGPIPE, SIG_IGN)

/// Sends a result that no stream produced (start-up failure) and exits.
func refuse(_ message: String, code: ResultCode = .ioError) -> Never {
    printError("qfile-unpacker: \(message)")
    try? FileDescriptor.standardOutput.writeFully(TransferResult(code: code, crc32: 0, lastName: nil).encoded)
    exit(code.exitStatus)
}

func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

let arguments: Arguments
do {
    arguments = try Arguments(Array(CommandLine.arguments.dropFirst()))
} catch {
    if error.isHelp {
        print(error.message)
        exit(0)
    }
    printError("qfile-unpacker: \(error.message)")
    exit(2)
}

if let target = arguments.target, geteuid() != 0, target.uid != getuid() {
    // TRANSLATORS: %s is a user id (a number).
    refuse(tr("UID %s is not yours: only root may receive as another user", String(target.uid)), code: ResultCode(rawValue: UInt32(EPERM)))
}

var options = arguments.options
if let serviceArgument = ServiceEnvironment.processArgument, !serviceArgument.isEmpty {
    guard serviceArgument == "allow-all-names" else {
        // TRANSLATORS: %s is the qrexec service argument received (after the + in the service name).
        refuse(tr("unsupported service argument \"%s\"", DisplayText.escaped(serviceArgument)), code: .invalid)
    }
    options.allowAllNames = true
}

let home = environment("HOME") ?? getpwuid(getuid()).map { String(cString: $0.pointee.pw_dir) } ?? "/"
// Settings paths and the incoming folder are built on it: a relative (or empty) HOME would
// name folders relative to the root or the working directory.
guard home.hasPrefix("/") else {
    // TRANSLATORS: HOME is the environment variable (literal); %s is its value, escaped.
    refuse(tr("HOME must be an absolute path, not \"%s\"", DisplayText.escaped(home.utf8)), code: .invalid)
}
let settings: ReceiverSettings
do {
    settings = try ReceiverSettings.load(
        files: [ReceiverSettings.systemFile, ReceiverSettings.userFile(home: home, configHome: environment("XDG_CONFIG_HOME"))],
        home: home)
} catch {
    // TRANSLATORS: %s is "FILE:LINE: what is wrong" (or "FILE: what is wrong").
    refuse(tr("invalid settings: %s", String(describing: error)))
}
options = settings.merged(into: options, explicit: arguments.explicit)

// Open the destination and everything else needed before confinement.
let destination: FileDescriptor
var identity: Confinement.Identity?
if let target = arguments.target {
    if geteuid() == 0 {
        let gid = getpwuid(target.uid).map { $0.pointee.pw_gid } ?? gid_t(target.uid)
        identity = Confinement.Identity(uid: target.uid, gid: gid)
    }
    do {
        destination = try IncomingFolder.openExisting(target.directory)
    } catch {
        // TRANSLATORS: the first %s is a folder, the second the system's reason.
        refuse(tr("cannot open %s: %s", DisplayText.escaped(target.directory), String(describing: error)))
    }
} else {
    guard let source = ServiceEnvironment.processRemoteDomain, TargetName.isValidVMName(source) else {
        // TRANSLATORS: QREXEC_REMOTE_DOMAIN is an environment variable (literal).
        refuse(tr("QREXEC_REMOTE_DOMAIN is missing or not a valid VM name"), code: .invalid)
    }
    let base = settings.incomingDirectory ?? home + "/QubesIncoming"
    do {
        destination = try IncomingFolder.open(base: base, sourceDomain: source)
    } catch {
        refuse(tr("cannot open %s: %s", base + "/" + source, String(describing: error)))
    }
}
// Where the file system has no O_TMPFILE (FUSE, ...), files are written under hidden
// temporary names, which need removing (Landlock must allow it); /proc/self/fd is not needed.
let unnamedFiles = FileSystem.allowsUnnamedFiles(in: destination)
let procFD = unnamedFiles ? try? FileDescriptor.open("/proc/self/fd", .readOnly, options: [.directory, .closeOnExec]) : nil
let resolver = BeneathResolver()
#if DEBUG
let escapeProbe = EscapeProbe.prepare()
#endif

// Everything printed from here on is translated now: confinement stops all catalogue lookups.
let texts = ConfinedTexts()
let report: Confinement.Report
do {
    report = try Confinement.apply(to: destination, dropTo: identity, removingFiles: !unnamedFiles)
} catch {
    refuse(fill(texts.cannotDropPrivileges, [String(describing: error)]), code: ResultCode(rawValue: UInt32(EPERM)))
}
#if DEBUG
EscapeProbe.attempt(escapeProbe, destination: destination, procFD: procFD)
#endif
if arguments.verbose {
    let landlock = report.landlockABI.map { "Landlock ABI \($0)" } ?? "no Landlock"
    printError("qfile-unpacker: chroot \(report.chroot ? "yes" : "no"), no_new_privs \(report.noNewPrivileges ? "yes" : "no"), \(landlock), openat2 \(resolver.usesOpenat2 ? "yes" : "no")")
    for note in report.notes { printError("qfile-unpacker: \(note)") }
}

var unpacker = Unpacker(
    input: .standardInput, destination: destination, options: options, resolver: resolver, procFD: procFD,
    hiddenTemporaries: !unnamedFiles,
    onEntry: arguments.verbose ? { name in printError(fill(texts.received, [DisplayText.escaped(Array(name))])) } : nil)
let result = unpacker.receive()
if unpacker.senderWentSilent {
    printError("qfile-unpacker: " + fill(texts.senderWentSilent, [String(options.idleTimeout)]))
} else if !result.code.isSuccess && (arguments.target != nil || arguments.verbose) {
    // As a service the answer is the report: the sender turns it into one sentence for the
    // person who started the copy, and qrexec would show them this line as a second one.
    // Escaped and shortened: the name is the sender's and may be 16 KB of anything.
    let code = String(describing: result.code)
    let message = result.lastName.map {
        fill(texts.refusedNamed, [code, DisplayText.escaped($0)])
    } ?? fill(texts.refused, [code])
    printError("qfile-unpacker: " + message)
}
try? FileDescriptor.standardOutput.writeFully(result.encoded)
exit(result.code.exitStatus)
