import FilecopyWire
import Foundation
import Glibc
import Testing
import TestSupport

// Shared machinery for the hostile-stream suites: a receiving folder with an "outside" sibling
// the attacks aim at, a table case type, and the checks every refusal must pass.

/// A scratch root holding `incoming/` (the folder the receiver fills) and `outside/` (a sibling
/// that must never change). Attacks aim at `outside/` and at the root itself.
final class HostileFixture: @unchecked Sendable {
    let root: TemporaryDirectory
    var incoming: String { root("incoming") }
    var outside: String { root("outside") }
    /// How the receiver runs (kernel layers taken away, unprivileged).
    let setup: ReceiverSetup
    /// The user the receiver receives as.
    var receivingUID: uid_t { setup.unprivileged ? ReceiverSetup.nobody : getuid() }

    convenience init(without removed: Set<KernelLayer>) throws {
        try self.init(ReceiverSetup(removed: removed))
    }

    init(_ setup: ReceiverSetup = .fromEnvironment) throws {
        self.setup = setup
        root = try TemporaryDirectory()
        // A receiver answers into a closed pipe at any time; EPIPE is a test failure, SIGPIPE
        // would kill the whole test runner.
        signal(SIGPIPE, SIG_IGN)
        guard mkdir(root("incoming"), 0o755) == 0, mkdir(root("outside"), 0o755) == 0, mkdir(root("home"), 0o755) == 0
        else {
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        if !setup.removed.isEmpty { try LayerRemover.writeFilter(removing: setup.removed, to: root("seccomp.bpf")) }
        if setup.unprivileged {
            // nobody receives into incoming/; outside/ is writable by anyone, so only the
            // receiver's own defences keep it empty.
            guard chmod(root.path, 0o755) == 0, chown(incoming, ReceiverSetup.nobody, ReceiverSetup.nobody) == 0,
                chmod(outside, 0o777) == 0
            else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        }
    }

    /// The receiver's environment: an empty home, so no user's receiver.conf changes its
    /// limits or conflict policy.
    var receiverEnvironment: [String: String] { ["HOME": root("home"), "PATH": "/usr/bin:/bin"] }

    /// `qfile-unpacker [options] <uid> <incoming>`, run as `setup` says.
    func receiverArguments(_ options: [String] = []) -> [String] {
        var arguments = [Programs.path("qfile-unpacker")] + options + [String(receivingUID), incoming]
        if setup.unprivileged {
            arguments = ["/usr/bin/setpriv", "--reuid=\(ReceiverSetup.nobody)", "--regid=\(ReceiverSetup.nobody)", "--clear-groups"] + arguments
        }
        return setup.removed.isEmpty ? arguments : LayerRemover.wrap(arguments, filterPath: root("seccomp.bpf"))
    }

    /// Feeds `stream` as the receiver's whole stdin and waits for it.
    func receive(_ stream: [UInt8], options: [String] = []) throws -> Received {
        Received(try run(receiverArguments(options), stdin: stream, environment: receiverEnvironment))
    }

    /// Everything under the root except the incoming folder, with contents: what an attack
    /// would change.
    func outsideSnapshot() -> [String: String] {
        entrySnapshot(root.path).filter { !$0.key.hasPrefix("incoming/") && $0.key != "incoming" }
    }

    /// Starts the receiver with a pipe on its stdin (see `Started`).
    func start(_ options: [String] = []) throws -> Started {
        try Started(receiverArguments(options), environment: receiverEnvironment)
    }

    /// The incoming folder's entries, one string each: `name/` for a directory, `name@` for a
    /// symlink, `name` for anything else. Hidden and temporary names are included.
    func incomingTree() -> Set<String> { entryTree(incoming) }

    // Small helpers for preparing the folders before a transfer.

    // Entries made in incoming/ belong to the receiving user, as they would in real life.

    func makeDirectory(_ relative: String) throws {
        guard mkdir(root(relative), 0o755) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        try own(relative)
    }

    func makeFile(_ relative: String, _ content: String) throws {
        try Data(content.utf8).write(to: URL(fileURLWithPath: root(relative)))
        try own(relative)
    }

    func makeSymlink(_ relative: String, to target: String) throws {
        guard symlink(target, root(relative)) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        try own(relative)
    }

    private func own(_ relative: String) throws {
        guard setup.unprivileged, relative.hasPrefix("incoming/") else { return }
        guard lchown(root(relative), ReceiverSetup.nobody, ReceiverSetup.nobody) == 0 else {
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
    }

    func contents(_ relative: String) -> String? {
        FileManager.default.contents(atPath: root(relative)).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// What the receiver left: its exit, and the decoded result header (nil if malformed).
struct Received {
    var finished: Finished
    var result: TransferResult?

    init(_ finished: Finished) {
        self.finished = finished
        result = decodeResult(finished.stdout)
    }
}

/// One hostile transfer and what the receiver must answer.
struct HostileCase: Sendable, CustomTestStringConvertible {
    var label: String
    var options: [String] = []
    /// Puts things in place before the transfer (pre-existing names, ...).
    var prepare: @Sendable (HostileFixture) throws -> Void = { _ in }
    var stream: @Sendable (HostileFixture) -> [UInt8]
    /// Acceptable result codes: one, except where protocol.md leaves the choice open.
    var codes: Set<UInt32>
    /// The expected `last_name`; nil when the contract does not fix it.
    var lastName: [UInt8]? = nil
    /// The exact content of the incoming folder afterwards (see `HostileFixture.incomingTree`).
    var tree: Set<String>
    /// Paths (relative to the scratch root) an attack aimed at; none may exist afterwards.
    var absent: [String] = []

    var testDescription: String { label }
}

/// A stream built by `build`, closed by the end-of-transfer header.
func stream(_ build: (inout StreamBuilder) -> Void) -> [UInt8] {
    var builder = StreamBuilder()
    build(&builder)
    builder.end()
    return builder.bytes
}

/// `text` as bytes.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Runs `hostile` and checks everything a refusal must satisfy.
func expectRefusal(
    _ hostile: HostileCase, setup: ReceiverSetup = .fromEnvironment, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let fixture = try HostileFixture(setup)
    try hostile.prepare(fixture)
    let before = fixture.outsideSnapshot()
    let wire = hostile.stream(fixture)
    let received = try fixture.receive(wire, options: hostile.options)
    expectAnswer(received, wire: wire, codes: hostile.codes, lastName: hostile.lastName, sourceLocation: sourceLocation)
    expectConfined(fixture, before: before, absent: hostile.absent, tree: hostile.tree, sourceLocation: sourceLocation)
}

/// The answer is one well-formed result with an acceptable code, the matching exit status,
/// and the CRC of a prefix of the stream (the bytes the receiver consumed).
func expectAnswer(
    _ received: Received, wire: [UInt8], codes: Set<UInt32>, lastName: [UInt8]?,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(!received.finished.signalled, "receiver died by a signal: \(received.finished.stderr)", sourceLocation: sourceLocation)
    guard let result = received.result else {
        Issue.record(
            "no well-formed result on stdout (\(received.finished.stdout.count) bytes), exit \(received.finished.status), stderr: \(received.finished.stderr)",
            sourceLocation: sourceLocation)
        return
    }
    #expect(codes.contains(result.code.rawValue), "code \(result.code) not in \(codes.sorted()); stderr: \(received.finished.stderr)", sourceLocation: sourceLocation)
    #expect(received.finished.status == Int32(result.code.rawValue & 0xFF), "exit status is not code & 0xFF", sourceLocation: sourceLocation)
    if let lastName {
        #expect(result.lastName == lastName, "last_name \(printableBytes(result.lastName ?? [])) != \(printableBytes(lastName))", sourceLocation: sourceLocation)
    }
    if result.code.isSuccess {
        #expect(result.crc32 == CRC32.checksum(wire), "success CRC is not the CRC of the whole stream", sourceLocation: sourceLocation)
    } else {
        #expect(prefixCRCs(wire).contains(result.crc32), "error CRC matches no prefix of the stream", sourceLocation: sourceLocation)
    }
}

/// Nothing outside the incoming folder changed, no aimed-at path exists, and the incoming
/// folder holds exactly `tree` (so no stray temporary or half-written names).
func expectConfined(
    _ fixture: HostileFixture, before: [String: String], absent: [String], tree: Set<String>?,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let after = fixture.outsideSnapshot()
    let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
    #expect(changed.isEmpty, "changed outside the incoming folder: \(changed)", sourceLocation: sourceLocation)
    for path in absent {
        #expect(!pathExists(fixture.root(path)), "\(path) was created", sourceLocation: sourceLocation)
    }
    if let tree {
        let found = fixture.incomingTree()
        #expect(
            found == tree,
            "incoming folder: unexpected \(found.subtracting(tree).sorted()), missing \(tree.subtracting(found).sorted())",
            sourceLocation: sourceLocation)
    }
}

/// The CRC-32 after every prefix of `bytes`, from the empty one to all of it.
func prefixCRCs(_ bytes: [UInt8]) -> Set<UInt32> {
    var crc = CRC32()
    var all: Set<UInt32> = [crc.value]
    bytes.withUnsafeBytes { raw in
        for index in raw.indices {
            crc.update(UnsafeRawBufferPointer(rebasing: raw[index..<index + 1]))
            all.insert(crc.value)
        }
    }
    return all
}

/// Bytes shown with non-printable ones escaped, for messages.
func printableBytes(_ name: [UInt8]) -> String {
    name.map { $0 >= 0x20 && $0 < 0x7F ? String(UnicodeScalar($0)) : String(format: "\\x%02X", $0) }.joined()
}

/// True when `path` names anything, a dangling symlink included (`lstat`).
func pathExists(_ path: String) -> Bool { lstatOrNil(bytes: Array(path.utf8)) != nil }

/// `exists` for a path given as raw bytes (names that are not UTF-8).
func pathExists(bytes path: [UInt8]) -> Bool { lstatOrNil(bytes: path) != nil }

/// `lstat` of `path`; nil when it does not exist.
func lstatOrNil(_ path: String) -> stat? { lstatOrNil(bytes: Array(path.utf8)) }

/// `lstat` of a path given as raw bytes; nil when it does not exist.
func lstatOrNil(bytes path: [UInt8]) -> stat? {
    var info = stat()
    let found = withCPathBytes(path) { lstat($0, &info) } == 0
    return found ? info : nil
}

/// Calls `body` with `path` as a NUL-terminated C string.
func withCPathBytes<T>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
    (path.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// Names in `directory` as raw bytes, without `.` and `..` (`readdir`).
func directoryEntries(bytes directory: [UInt8]) -> [[UInt8]] {
    guard let stream = withCPathBytes(directory, { opendir($0) }) else { return [] }
    defer { closedir(stream) }
    var names: [[UInt8]] = []
    while let entry = readdir(stream) {
        let name = withUnsafeBytes(of: &entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
        if name != [0x2E] && name != [0x2E, 0x2E] { names.append(name) }
    }
    return names
}

/// Every entry under `directory` by relative path (never following symlinks): `name/`,
/// `name@` or `name`.
func entryTree(_ directory: String) -> Set<String> {
    Set(entrySnapshot(directory).map { key, value in
        value.hasPrefix("dir:") ? key + "/" : value.hasPrefix("link:") ? key + "@" : key
    })
}

/// Every entry under `directory` by relative path (bytes that are not UTF-8 shown as U+FFFD),
/// with `dir:MODE:MTIME`, `link:TARGET` or `file:MODE:MTIME:CONTENT` (content as `N bytes` past
/// 4 KiB); never follows symlinks.
func entrySnapshot(_ directory: String) -> [String: String] {
    var found: [String: String] = [:]
    func walk(_ relative: [UInt8]) {
        let absolute = relative.isEmpty ? Array(directory.utf8) : Array(directory.utf8) + [0x2F] + relative
        for name in directoryEntries(bytes: absolute) {
            let child = relative.isEmpty ? name : relative + [0x2F] + name
            let shown = String(decoding: child, as: UTF8.self)
            let path = absolute + [0x2F] + name
            guard let info = lstatOrNil(bytes: path) else {
                found[shown] = "vanished"
                continue
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                found[shown] = "dir:\(String(info.st_mode & 0o7777, radix: 8)):\(info.st_mtim.tv_sec)"
                walk(child)
            case S_IFLNK:
                var target = [CChar](repeating: 0, count: 4097)
                let count = withCPathBytes(path) { readlink($0, &target, 4096) }
                found[shown] = "link:" + String(decoding: target.prefix(max(count, 0)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            case S_IFREG:
                // Contents of small files; large ones by size (enough to see a change).
                let content =
                    info.st_size > 4096
                    ? "\(info.st_size) bytes"
                    : FileManager.default.contents(atPath: String(decoding: path, as: UTF8.self))
                        .map { String(decoding: $0, as: UTF8.self) } ?? "?"
                found[shown] = "file:\(String(info.st_mode & 0o7777, radix: 8)):\(info.st_mtim.tv_sec):\(content)"
            default:
                found[shown] = "special:\(String(info.st_mode, radix: 8))"
            }
        }
    }
    walk([])
    return found
}

/// Polls `condition` every 10 ms until it holds or `seconds` pass; true if it held.
func waitUntil(seconds: Double = 30, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}
