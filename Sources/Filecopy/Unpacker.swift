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
    /// `/proc/self/fd`, opened before confinement, for linking where AT_EMPTY_PATH is refused.
    private let procFD: FileDescriptor?
    private var reader: StreamReader
    private var openDirectories = OpenDirectories()
    private var bytesReceived: UInt64 = 0
    private var entriesReceived: UInt64 = 0
    /// Free space in the destination as last asked, minus what was declared since.
    private var knownFreeSpace: UInt64 = 0
    /// The last name processed: what the result reports on success.
    private var lastName: [UInt8]?
    /// Called with each name once its entry exists (for `-v`).
    private let onEntry: ((ArraySlice<UInt8>) -> Void)?

    public init(
        input: FileDescriptor, destination: FileDescriptor, options: ReceiveOptions,
        resolver: BeneathResolver = BeneathResolver(), procFD: FileDescriptor?,
        onEntry: ((ArraySlice<UInt8>) -> Void)? = nil
    ) {
        reader = StreamReader(input: input)
        self.destination = destination
        self.options = options
        self.resolver = resolver
        self.procFD = procFD
        self.onEntry = onEntry
        // Files are created with their final permissions (one fchmod less per file): nothing
        // of the caller's umask may take bits away.
        umask(0)
    }

    /// Receives the whole stream and returns the result to send back.
    public mutating func receive() -> TransferResult {
        do {
            while true {
                guard let untrustedHeader = try reader.header() else {
                    throw ReceiveFailure(.truncatedBetweenRecords, lastName)
                }
                if untrustedHeader.isEndOfTransfer { break }
                try receiveEntry(untrustedHeader)
            }
            try? FileSystem.syncFileSystem(destination)
            return TransferResult(code: .success, crc32: reader.crc.value, lastName: lastName)
        } catch let failure as ReceiveFailure {
            return TransferResult(code: failure.code, crc32: reader.crc.value, lastName: failure.name)
        } catch {
            // Only errors from reading stdin get here (everything else is a ReceiveFailure).
            let code = ResultCode(rawValue: UInt32((error as? Errno)?.rawValue ?? EIO))
            return TransferResult(code: code, crc32: reader.crc.value, lastName: lastName)
        }
    }

    // MARK: - One entry

    private mutating func receiveEntry(_ untrustedHeader: FileHeader) throws {
        guard untrustedHeader.nameLength <= FileHeader.maxNameLength else {
            throw ReceiveFailure(.nameTooLong, nil)
        }
        guard let untrustedWireName = try reader.bytes(Int(untrustedHeader.nameLength)) else {
            throw ReceiveFailure(.truncatedInsideRecord, lastName)
        }
        guard let untrustedName = NameRules.stripTerminator(untrustedWireName) else {
            throw ReceiveFailure(.invalidName, Array(untrustedWireName.prefix { $0 != 0 }))
        }
        if let code = NameRules.check(untrustedName, allowAllNames: options.allowAllNames) {
            throw ReceiveFailure(code, Array(untrustedName))
        }
        let name = untrustedName
        guard untrustedHeader.hasValidTimes, let kind = untrustedHeader.kind else {
            throw ReceiveFailure(.invalid, Array(name))
        }
        let header = untrustedHeader
        switch kind {
        case .regular: try receiveFile(name, header)
        case .directory: try receiveDirectory(name, header)
        case .symlink: try receiveSymlink(name, header)
        }
        lastName = Array(name)
        onEntry?(name)
    }

    private mutating func receiveFile(_ name: ArraySlice<UInt8>, _ header: FileHeader) throws {
        let length = header.fileLength
        try countEntry(name)
        // Written so it cannot overflow: bytesReceived never exceeds maxBytes.
        guard length <= options.maxBytes - bytesReceived else { throw ReceiveFailure(.limitExceeded, Array(name)) }
        bytesReceived += length

        // The data goes into an unnamed file in the destination itself; the parent is looked up
        // only once the file is complete, so a folder moved away while the body arrives can
        // never receive it (QSB-014).
        let file = try failing(name) {
            try FileSystem.openUnnamedFile(in: destination, mode: mode_t(header.permissions))
        }
        defer { file.closeQuietly() }
        try reserveSpace(length, for: file, name: name)

        var remaining = length
        while remaining > 0 {
            let got = try reader.consume(upTo: Int(min(remaining, UInt64(StreamReader.bufferSize)))) { chunk in
                try failing(name) { try file.writeFully(chunk) }
            }
            if got == 0 { throw ReceiveFailure(.truncatedInsideRecord, Array(name)) }
            remaining -= UInt64(got)
        }
        try failing(name) {
            try FileSystem.setTimes(file, access: header.accessTime, modification: header.modificationTime)
        }
        let (parent, leaf) = try openParent(of: name)
        defer { parent.close(keeping: destination) }
        try publish(leaf, in: parent, name: name) { candidate in
            try FileSystem.linkUnnamedFile(file, as: candidate, in: parent, procFD: procFD)
        }
    }

    private mutating func receiveDirectory(_ name: ArraySlice<UInt8>, _ header: FileHeader) throws {
        guard header.fileLength == 0 else { throw ReceiveFailure(.invalid, Array(name)) }
        if openDirectories.isClosing(name) {
            // The second header: now the directory is filled, apply its mode and times.
            let directory = try failing(name) {
                try resolver.open(name, in: destination, flags: O_RDONLY | O_DIRECTORY)
            }
            defer { directory.closeQuietly() }
            try failing(name) {
                try FileSystem.setPermissions(directory, mode_t(header.permissions))
                try FileSystem.setTimes(directory, access: header.accessTime, modification: header.modificationTime)
            }
            openDirectories.close()
            return
        }
        try countEntry(name)
        let (parent, leaf) = try openParent(of: name)
        defer { parent.close(keeping: destination) }
        do {
            try FileSystem.makeDirectory(leaf, in: parent, mode: 0o700)
        } catch Errno.fileExists {
            // Directories merge, as in Qubes; anything else in the way is a clash.
            let existing = try failing(name) { try FileSystem.status(of: leaf, in: parent) }
            guard existing.st_mode & S_IFMT == S_IFDIR else { throw ReceiveFailure(.exists, Array(name)) }
        } catch {
            throw ReceiveFailure(error, Array(name))
        }
        openDirectories.open(name)
    }

    private mutating func receiveSymlink(_ name: ArraySlice<UInt8>, _ header: FileHeader) throws {
        guard header.fileLength <= FileHeader.maxLinkTargetLength else {
            throw ReceiveFailure(.nameTooLong, Array(name))
        }
        guard let untrustedTarget = try reader.bytes(Int(header.fileLength)) else {
            throw ReceiveFailure(.truncatedInsideRecord, Array(name))
        }
        let safe =
            options.allowUnsafeSymlinks
            ? !untrustedTarget.isEmpty && !untrustedTarget.contains(0)
            : SymlinkRules.isSafe(name: name, untrustedTarget: untrustedTarget, allowAllNames: options.allowAllNames)
        guard safe else { throw ReceiveFailure(.unsafeSymlink, untrustedTarget) }
        let target = untrustedTarget
        try countEntry(name)
        let (parent, leaf) = try openParent(of: name)
        defer { parent.close(keeping: destination) }
        try publish(leaf, in: parent, name: name) { candidate in
            try FileSystem.makeSymlink(candidate, in: parent, target: target)
        }
    }

    // MARK: - Helpers

    private mutating func countEntry(_ name: ArraySlice<UInt8>) throws {
        guard entriesReceived < options.maxFiles else { throw ReceiveFailure(.limitExceeded, Array(name)) }
        entriesReceived += 1
    }

    /// Opens the directory that will hold `name` (resolved beneath the destination, never
    /// through a symlink, never created implicitly) and returns it with the last component.
    private func openParent(of name: ArraySlice<UInt8>) throws -> (FileDescriptor, ArraySlice<UInt8>) {
        guard let slash = name.lastIndex(of: UInt8(ascii: "/")) else { return (destination, name) }
        let parent = try failing(name) {
            try resolver.open(name[..<slash], in: destination, flags: csys_O_PATH | O_DIRECTORY)
        }
        return (parent, name[(slash + 1)...])
    }

    /// Refuses a declared size the destination cannot hold, before any data is written. Free
    /// space is asked once and then counted down, and asked again only when a file seems not
    /// to fit; large files are also preallocated, so the space is really theirs.
    private mutating func reserveSpace(_ length: UInt64, for file: FileDescriptor, name: ArraySlice<UInt8>) throws {
        guard length > 0 else { return }
        if length > knownFreeSpace {
            knownFreeSpace = try failing(name) { try FileSystem.availableBytes(on: file) }
            guard length <= knownFreeSpace else { throw ReceiveFailure(.noSpace, Array(name)) }
        }
        knownFreeSpace -= length
        if length >= 1 << 20 {
            _ = try failing(name) { try FileSystem.preallocate(file, length: Int64(length)) }
        }
    }

    /// Creates an entry under `leaf` with `make`, which fails with EEXIST rather than replace
    /// anything; with `--on-conflict rename`, tries `leaf (1).ext`, `leaf (2).ext`, ...
    private func publish(
        _ leaf: ArraySlice<UInt8>, in parent: FileDescriptor, name: ArraySlice<UInt8>,
        make: (ArraySlice<UInt8>) throws -> Void
    ) throws {
        var attempt = 0
        var candidate = leaf
        while true {
            do {
                try make(candidate)
                return
            } catch Errno.fileExists where options.onConflict == .rename && attempt < ConflictNames.maxAttempts {
                attempt += 1
                guard let next = ConflictNames.alternative(for: leaf, attempt: attempt) else {
                    throw ReceiveFailure(.exists, Array(name))
                }
                candidate = next[...]
            } catch {
                throw ReceiveFailure(error, Array(name))
            }
        }
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
private func failing<T>(_ name: ArraySlice<UInt8>, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw ReceiveFailure(error, Array(name))
    }
}

extension FileDescriptor {
    /// Closes a parent directory unless it is the held destination itself.
    fileprivate func close(keeping destination: FileDescriptor) {
        if self != destination { closeQuietly() }
    }
}

extension FileHeader {
    var accessTime: timespec { timespec(tv_sec: Int(atime), tv_nsec: Int(atimeNanoseconds)) }
    var modificationTime: timespec { timespec(tv_sec: Int(mtime), tv_nsec: Int(mtimeNanoseconds)) }
}
