import CLinux
import FilecopyWire
import Glibc
import SystemIO
import SystemPackage

/// The receiver: reads a qubes.Filecopy stream and recreates its entries beneath a held
/// destination directory, treating every byte as hostile.
///
/// Every path operation is relative to `destination` and resolved afresh for each record
/// (`BeneathResolver`: no symlinks, nothing outside); files are written unnamed (O_TMPFILE) and
/// linked into place only when complete, never over an existing name. The first error ends the
/// transfer. Confinement (`Confinement`) is the caller's job, before `receive()`.
public struct Unpacker: ~Copyable {
    private let destination: FileDescriptor
    private let options: ReceiveOptions
    private let resolver: BeneathResolver
    /// Creates files with data and names them once complete (unnamed, or hidden where the
    /// destination has no O_TMPFILE).
    private let incompleteFiles: IncompleteFiles
    private var reader: StreamReader
    private var openDirectories = OpenDirectories()
    /// Where `--on-conflict rename` resumes for a name seen before.
    private let nextAlternatives = NextAlternatives()
    private var bytesReceived: UInt64 = 0
    private var entriesReceived: UInt64 = 0
    /// What the destination can still take (inodes, and data in whole blocks).
    private var space: SpaceBudget
    /// Whether large files are preallocated: not on tmpfs (`FileSystem.isOnTmpfs`). Every file
    /// is created in the destination itself, so its file system decides for all of them.
    private let preallocates: Bool
    /// The name of the record in progress.
    private var name = UnpackerName.allocate()
    /// The last name processed (what the result reports on success), once there is one. The
    /// two buffers swap after each record: no copy, no allocation.
    private var lastName = UnpackerName.allocate()
    private var hasLastName = false
    /// Called with each name once its entry exists (for `-v`).
    private let onEntry: ((ArraySlice<UInt8>) -> Void)?

    /// `procFD`, `/proc/self/fd` opened before confinement (or nil), is taken over: it is
    /// closed at once where linkat(AT_EMPTY_PATH) works for the confined process, else as soon
    /// as a file has been linked without it (`UnnamedFileLinker`). With `hiddenTemporaries`
    /// (the destination refused O_TMPFILE: `FileSystem.allowsUnnamedFiles`), files are written
    /// under hidden names instead, and stale ones of earlier transfers are removed first
    /// (`HiddenTemporaries`).
    public init(
        input: FileDescriptor, destination: FileDescriptor, options: ReceiveOptions,
        resolver: BeneathResolver = BeneathResolver(), procFD: FileDescriptor?, hiddenTemporaries: Bool = false,
        onEntry: ((ArraySlice<UInt8>) -> Void)? = nil
    ) {
        reader = StreamReader(input: input, idleTimeout: options.idleTimeout)
        self.destination = destination
        self.options = options
        self.resolver = resolver
        let linker = UnnamedFileLinker(procFD: procFD, owningProcFD: true)
        if hiddenTemporaries {
            HiddenTemporaries.claim(destination)
        } else {
            linker.releaseProcFolderIfUnneeded(probingIn: destination)
        }
        incompleteFiles = IncompleteFiles(
            destination: destination, resolver: resolver, linker: linker, usesHiddenNames: hiddenTemporaries)
        self.onEntry = onEntry
        space = SpaceBudget(destination: destination)
        preallocates = !FileSystem.isOnTmpfs(destination)
        // Files are created with their final permissions (one fchmod less per file): nothing
        // of the caller's umask may take bits away.
        umask(0)
    }

    deinit {
        name.deallocate()
        lastName.deallocate()
    }

    /// Receives the whole stream and returns the result to send back.
    public mutating func receive() -> TransferResult {
        do {
            while true {
                guard let untrustedHeader = try reader.header() else {
                    throw ReceiveFailure(.truncatedBetweenRecords, lastNameCopy)
                }
                if untrustedHeader.isEndOfTransfer { break }
                try receiveEntry(untrustedHeader)
            }
            try? FileSystem.syncFileSystem(destination)
            // Qubes always answers a success with the extension, an empty name for an end-only stream.
            return TransferResult(code: .success, crc32: reader.crc.value, lastName: lastNameCopy ?? [])
        } catch let failure as ReceiveFailure {
            return TransferResult(code: failure.code, crc32: reader.crc.value, lastName: failure.name)
        } catch {
            // Only errors from reading stdin get here (everything else is a ReceiveFailure).
            let code = ResultCode(rawValue: UInt32((error as? Errno)?.rawValue ?? EIO))
            return TransferResult(code: code, crc32: reader.crc.value, lastName: lastNameCopy)
        }
    }

    private var lastNameCopy: [UInt8]? { hasLastName ? lastName.array : nil }

    /// Whether the transfer ended because the sender sent nothing for `idleTimeout` seconds.
    public var senderWentSilent: Bool { reader.senderWentSilent }

    // MARK: - One entry

    private mutating func receiveEntry(_ untrustedHeader: FileHeader) throws {
        guard untrustedHeader.nameLength <= FileHeader.maxNameLength else {
            throw ReceiveFailure(.nameTooLong, nil)
        }
        // The name is read in place from the stream buffer, checked, and copied once into the
        // name buffer, where it stays while the body arrives.
        guard let untrustedWireName = try reader.contiguousBytes(Int(untrustedHeader.nameLength)) else {
            throw ReceiveFailure(.truncatedInsideRecord, lastNameCopy)
        }
        // It must end in its only NUL.
        let firstNUL = untrustedWireName.firstIndex(of: 0)
        guard firstNUL == untrustedWireName.count - 1 else {
            throw ReceiveFailure(.invalidName, Array(untrustedWireName[..<(firstNUL ?? untrustedWireName.count)]))
        }
        name.load(terminated: untrustedWireName)
        if let code = NameRules.check(contiguous: name.bytes, allowAllNames: options.allowAllNames) {
            throw ReceiveFailure(code, name.array)
        }
        guard untrustedHeader.hasValidTimes, let kind = untrustedHeader.kind else {
            throw ReceiveFailure(.invalid, name.array)
        }
        let header = untrustedHeader
        switch kind {
        case .regular: try receiveFile(header)
        case .directory: try receiveDirectory(header)
        case .symlink: try receiveSymlink(header)
        }
        swap(&name, &lastName)
        hasLastName = true
        onEntry?(Array(lastName.bytes)[...])
    }

    private mutating func receiveFile(_ header: FileHeader) throws {
        let length = header.fileLength
        try countEntry()
        // Written so it cannot overflow: bytesReceived never exceeds maxBytes.
        guard length <= options.maxBytes - bytesReceived else { throw ReceiveFailure(.limitExceeded, name.array) }
        bytesReceived += length
        try reserveSpace(length)
        // No Linux file can be larger (off_t), even where a file system claims the space.
        guard length <= UInt64(Int64.max) else { throw ReceiveFailure(ResultCode(rawValue: UInt32(EFBIG)), name.array) }
        if length == 0 { return try createEmptyFile(header) }
        // A body longer than one read is not taken in for a name that is already there:
        // the sender hears EEXIST now, not after the last byte (linkat still refuses a name
        // that appears meanwhile). Shorter ones cost less to receive than to check.
        if options.onConflict == .fail && length > UInt64(StreamReader.bufferSize) {
            let parent = try openParent()
            if try failing(name, { try FileSystem.exists(cName: name.leafCString, in: parent) }) {
                throw ReceiveFailure(.exists, name.array)
            }
        }

        // The data goes into an unnamed (or hidden) file in the destination itself; the parent
        // is looked up only once the file is complete, so a folder moved away while the body
        // arrives can never receive it (QSB-014).
        let incomplete = try failing(name) { try incompleteFiles.create(mode: mode_t(header.permissions)) }
        var published = false
        defer { incompleteFiles.close(incomplete, published: published) }
        let file = incomplete.descriptor
        // Preallocated step by step behind the data, never the declared length up front.
        var preallocation = preallocates && length >= Self.largeFile ? PreallocationStep(length: length) : nil

        var remaining = length
        while remaining > 0 {
            let got: Int
            do {
                got = try reader.consume(upTo: Int(min(remaining, UInt64(StreamReader.bufferSize)))) { [name] chunk in
                    try failing(name) { try file.writeFully(chunk) }
                }
            } catch {
                // A silent sender (ETIMEDOUT) or a failed read: the answer names this file.
                throw ReceiveFailure(error, name.array)
            }
            if got == 0 { throw ReceiveFailure(.truncatedInsideRecord, name.array) }
            remaining -= UInt64(got)
            if let range = preallocation?.next(afterWriting: length - remaining) {
                let supported = try failing(name) {
                    try FileSystem.preallocate(file, offset: Int64(range.offset), length: Int64(range.length))
                }
                if !supported { preallocation = nil }
            }
        }
        try failing(name) {
            try incompleteFiles.complete(incomplete)
            try FileSystem.setTimes(file, header.accessTime, header.modificationTime)
        }
        let parent = try openParent()
        try publish { alternativeLeaf in
            if let alternativeLeaf {
                try withCPath(alternativeLeaf) { cLeaf in
                    try incompleteFiles.publish(incomplete, asCName: cLeaf, in: parent)
                }
            } else {
                try incompleteFiles.publish(incomplete, asCName: name.leafCString, in: parent)
            }
        }
        published = true
    }

    /// An empty file carries no data, so it can never be half-written: it is created directly
    /// under its final name with one openat2(O_CREAT | O_EXCL, RESOLVE_BENEATH |
    /// RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS) from the destination, which resolves the
    /// parent safely and refuses any existing name (a symlink included), then gets its times
    /// with futimens. Nothing is held open between records.
    private func createEmptyFile(_ header: FileHeader) throws {
        let flags = O_CREAT | O_EXCL | O_WRONLY | O_NOCTTY
        let mode = mode_t(header.permissions)
        var file: FileDescriptor?
        try publish { alternativeLeaf in
            if let alternativeLeaf {
                let path = name.lastSlash == nil ? alternativeLeaf : Array(name.parent) + [UInt8(ascii: "/")] + alternativeLeaf
                file = try withCPath(path) { cPath in
                    try resolver.open(cPath: cPath, length: path.count, in: destination, flags: flags, mode: mode)
                }
            } else {
                file = try resolver.open(cPath: name.cString, length: name.count, in: destination, flags: flags, mode: mode)
            }
        }
        guard let file else { return }
        defer { file.closeQuietly() }
        try failing(name) {
            try FileSystem.setTimes(file, header.accessTime, header.modificationTime)
        }
    }

    private mutating func receiveDirectory(_ header: FileHeader) throws {
        guard header.fileLength == 0 else { throw ReceiveFailure(.invalid, name.array) }
        let nameSlice = name.array[...]
        if openDirectories.isClosing(nameSlice) {
            // The second header: now the directory is filled, apply its mode and times.
            let directory = try failing(name) {
                try resolver.open(cPath: name.cString, length: name.count, in: destination, flags: O_RDONLY | O_DIRECTORY)
            }
            defer { directory.closeQuietly() }
            try failing(name) {
                try FileSystem.setPermissions(directory, mode_t(header.permissions))
                try FileSystem.setTimes(directory, header.accessTime, header.modificationTime)
            }
            openDirectories.close()
            return
        }
        try countEntry()
        try reserveSpace(0)
        let parent = try openParent()
        do {
            try FileSystem.makeDirectory(cName: name.leafCString, in: parent, mode: 0o700)
        } catch Errno.fileExists {
            // Directories merge, as in Qubes; anything else in the way is a clash.
            let existing = try failing(name) { try FileSystem.status(ofCName: name.leafCString, in: parent) }
            guard existing.st_mode & S_IFMT == S_IFDIR else { throw ReceiveFailure(.exists, name.array) }
        } catch {
            throw ReceiveFailure(error, name.array)
        }
        openDirectories.open(nameSlice)
    }

    private mutating func receiveSymlink(_ header: FileHeader) throws {
        guard header.fileLength <= FileHeader.maxLinkTargetLength else {
            throw ReceiveFailure(.nameTooLong, name.array)
        }
        guard let untrustedTarget = try reader.bytes(Int(header.fileLength)) else {
            throw ReceiveFailure(.truncatedInsideRecord, name.array)
        }
        let safe =
            options.allowUnsafeSymlinks
            ? !untrustedTarget.isEmpty && !untrustedTarget.contains(0)
            : SymlinkRules.isSafe(
                contiguousName: name.bytes, untrustedTarget: untrustedTarget, allowAllNames: options.allowAllNames)
        guard safe else { throw ReceiveFailure(.unsafeSymlink, untrustedTarget) }
        let target = untrustedTarget
        try countEntry()
        try reserveSpace(0)
        let parent = try openParent()
        try withCPath(target) { cTarget in
            try publish { alternativeLeaf in
                if let alternativeLeaf {
                    try withCPath(alternativeLeaf) { cLeaf in
                        try FileSystem.makeSymlink(cName: cLeaf, in: parent, target: cTarget)
                    }
                } else {
                    try FileSystem.makeSymlink(cName: name.leafCString, in: parent, target: cTarget)
                }
            }
        }
    }

    // MARK: - Helpers

    /// Files of this size or more are preallocated (`PreallocationStep`).
    private static let largeFile: UInt64 = 1 << 20

    private mutating func countEntry() throws {
        guard entriesReceived < options.maxFiles else { throw ReceiveFailure(.limitExceeded, name.array) }
        entriesReceived += 1
    }

    /// The directory that will hold the current name (resolved beneath the destination, never
    /// through a symlink, never created implicitly); the destination itself for a top-level
    /// name. Resolved afresh unless the last record's parent is the same and no read(2) has
    /// happened since (`RecentParent`). The descriptor stays valid until the next call or read.
    private mutating func openParent() throws -> FileDescriptor {
        guard name.lastSlash != nil else { return destination }
        if let recent = reader.recentParent.descriptor(for: name.parent) { return recent }
        let fresh = try failing(name) {
            try name.withParentCString { path, length in
                try resolver.open(cPath: path, length: length, in: destination, flags: csys_O_PATH | O_DIRECTORY)
            }
        }
        reader.recentParent.keep(fresh, for: name.parent)
        return fresh
    }

    /// Refuses an entry the destination cannot hold (an inode, and `length` bytes of data in
    /// whole blocks) with ENOSPC, from its header: before it is created or any data is read
    /// (`SpaceBudget`). Large files are also preallocated (but on tmpfs) as their data
    /// arrives, a bounded step ahead of it (`PreallocationStep`).
    private mutating func reserveSpace(_ length: UInt64) throws {
        let fits = try failing(name) { try space.reserve(length: length) }
        guard fits else { throw ReceiveFailure(.noSpace, name.array) }
    }

    /// Creates the current entry with `make`, which fails with EEXIST rather than replace
    /// anything: first under its own leaf name (`make(nil)`); with `--on-conflict rename`, then
    /// under `leaf (1).ext`, `leaf (2).ext`, ... (`make(alternative)`), starting after the last
    /// alternative this transfer used for the same name (`NextAlternatives`).
    private func publish(_ make: (_ alternativeLeaf: [UInt8]?) throws -> Void) throws {
        do {
            return try make(nil)
        } catch Errno.fileExists where options.onConflict == .rename {
            // Look for a free alternative below.
        } catch {
            throw ReceiveFailure(error, name.array)
        }
        var attempt = nextAlternatives.firstAttempt(for: name.bytes)
        while attempt <= ConflictNames.maxAttempts {
            guard let alternative = ConflictNames.alternative(for: name.leaf, attempt: attempt) else { break }
            do {
                try make(alternative)
                nextAlternatives.remember(name.bytes, used: attempt)
                return
            } catch Errno.fileExists {
                attempt += 1
            } catch {
                throw ReceiveFailure(error, name.array)
            }
        }
        throw ReceiveFailure(.exists, name.array)
    }
}

/// The first error of a transfer: its code and the name (or link target) it concerns.
struct ReceiveFailure: Error {
    var code: ResultCode
    var name: [UInt8]?

    init(_ code: ResultCode, _ name: [UInt8]?) {
        self.code = code
        self.name = name
    }

    /// From a failed system call: its errno is the code.
    init(_ error: any Error, _ name: [UInt8]?) {
        if let failure = error as? ReceiveFailure {
            self = failure
        } else {
            let errno = (error as? Errno)?.rawValue ?? EIO
            self.init(ResultCode(rawValue: UInt32(errno)), name)
        }
    }
}

/// Runs `body`, turning a system call's errno into a failure that names `name`.
@inline(__always)
private func failing<T>(_ name: UnpackerName, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw ReceiveFailure(error, name.array)
    }
}

extension FileHeader {
    var accessTime: timespec { timespec(tv_sec: Int(atime), tv_nsec: Int(atimeNanoseconds)) }
    var modificationTime: timespec { timespec(tv_sec: Int(mtime), tv_nsec: Int(mtimeNanoseconds)) }
}
