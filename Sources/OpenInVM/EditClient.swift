import Glibc
import SystemIO
import SystemPackage

/// The qubes.OpenInVM client (`qopen-in-vm`): sends one file, then puts the edited content
/// the service sends back in place of the original, without ever losing either.
public struct EditClient {
    /// Where the edit ended up.
    public enum Outcome: Equatable, Sendable {
        /// The reply was empty: nothing changed.
        case unchanged
        /// View-only: whatever came back was discarded.
        case viewOnly
        /// The original was replaced atomically by the edited content.
        case replaced
        /// The original was replaced or changed meanwhile, so the edit was saved beside it.
        case savedBeside(path: String)
        /// The original's folder is not writable, so the edit was saved in another folder.
        case savedElsewhere(path: String)
    }

    /// Largest reply accepted (default 4 GiB); a larger one is refused and the original kept.
    public var maximumReplySize: UInt64 = 4 << 30
    public static let maximumReplySizeVariable = "INTERVM_OPEN_MAX_REPLY"

    let input: FileDescriptor
    let output: FileDescriptor

    /// `output` carries the request to the service, `input` its reply.
    public init(input: FileDescriptor = .standardInput, output: FileDescriptor = .standardOutput) {
        self.input = input
        self.output = output
    }

    /// Sends `path` (as view-only or editable) and handles the reply.
    public func run(path: String, viewOnly: Bool) throws -> Outcome {
        let original = try OriginalFile.open(path)
        defer {
            original.file.closeQuietly()
            original.folder.closeQuietly()
        }
        StaleHiddenCopies.remove(in: original.folder)
        let sent = try send(original, requestName: Self.basename(of: path), viewOnly: viewOnly)

        if viewOnly {
            try drainInput()
            return .viewOnly
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Copying.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        let first = try Copying.wrapped(OpenInVMError.receiveFailed) { try input.readSome(into: buffer) }
        if first == 0 { return .unchanged }

        let (copy, inOriginalFolder) = try createCopy(beside: original)
        var received = UInt64(0)
        var replyFingerprint = ContentFingerprint()
        var count = first
        while count > 0 {
            if UInt64(count) > maximumReplySize - received {
                copy.discardName()
                throw OpenInVMError.replyTooLarge(limit: maximumReplySize)
            }
            received += UInt64(count)
            do {
                let chunk = UnsafeRawBufferPointer(rebasing: buffer[..<count])
                replyFingerprint.add(chunk)
                try copy.file.writeFully(chunk)
                count = try Copying.wrapped(OpenInVMError.receiveFailed) { try input.readSome(into: buffer) }
            } catch let error as Errno {
                copy.discardName()
                throw OpenInVMError.cannotSaveEdit(path: path, error)
            } catch {
                copy.discardName()
                throw error
            }
        }
        // Qubes' service sends an identical file back after a bare touch: nothing to replace.
        if replyFingerprint == sent {
            copy.discardName()
            return .unchanged
        }
        do {
            try copy.finish(
                permissions: original.permissions, owner: original.snapshot.st_uid, group: original.snapshot.st_gid)
            if inOriginalFolder {
                return try Replacement(original: original, copy: copy).install()
            }
            let name = try copy.publish(asFirstFreeOf: Replacement.editedNames(for: original.name))
            return .savedElsewhere(path: Replacement.path(of: name, in: copy.folderPath))
        } catch let error as Errno {
            // The whole edit has arrived: never drop it now. Keep it under a visible name (a
            // hidden one would be taken for a leftover by the next run), else its hidden name.
            if let kept = (try? copy.publish(asFirstFreeOf: Replacement.editedNames(for: original.name)))
                ?? (try? copy.nameTemporarily())
            {
                throw OpenInVMError.editKeptAside(path: path, keptAs: Replacement.path(of: kept, in: copy.folderPath), error)
            }
            throw OpenInVMError.cannotSaveEdit(path: path, error)
        }
    }

    /// Writes the name block and the file, then closes our sending side by pointing stdout at
    /// /dev/null (dup2(2)), so the service sees the end of the file and descriptor 1 stays taken.
    private func send(_ original: OriginalFile, requestName: [UInt8], viewOnly: Bool) throws -> ContentFingerprint {
        let block = RequestBlock(basename: requestName, viewOnly: viewOnly)
        try Copying.wrapped(OpenInVMError.sendFailed) { try output.writeFully(block.encoded) }
        var fingerprint = ContentFingerprint()
        let originalError = { (error: Errno) in OpenInVMError.cannotOpenOriginal(path: original.displayPath, error) }
        try Copying.copy(
            from: original.file, to: output, fingerprint: &fingerprint, readError: originalError,
            writeError: OpenInVMError.sendFailed)
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        if null >= 0 {
            _ = dup2(null, output.rawValue)
            close(null)
        } else {
            output.closeQuietly()
        }
        return fingerprint
    }

    /// Reads and discards the reply until the service ends (view-only).
    private func drainInput() throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Copying.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while try Copying.wrapped(OpenInVMError.receiveFailed, { try input.readSome(into: buffer) }) > 0 {}
    }

    /// A copy in the original's folder, or where that folder is not writable, in the home
    /// folder (then `/tmp`). The flag says whether it is beside the original.
    private func createCopy(beside original: OriginalFile) throws -> (EditedCopy, Bool) {
        do {
            return (try EditedCopy(in: original.folder, path: original.folderPath), true)
        } catch let error as Errno where error == .permissionDenied || error == .readOnlyFileSystem || error == .notPermitted {
            for folderPath in Self.fallbackFolders() {
                guard let folder = try? FileDescriptor.open(folderPath, .readOnly, options: [.directory, .closeOnExec]) else {
                    continue
                }
                StaleHiddenCopies.remove(in: folder)
                if let copy = try? EditedCopy(in: folder, path: folderPath) { return (copy, false) }
                folder.closeQuietly()
            }
            throw OpenInVMError.cannotSaveEdit(path: original.displayPath, error)
        } catch let error as Errno {
            throw OpenInVMError.cannotSaveEdit(path: original.displayPath, error)
        }
    }

    static func fallbackFolders() -> [String] {
        var folders: [String] = []
        if let home = getenv("HOME").map({ String(cString: $0) }), home.hasPrefix("/") { folders.append(home) }
        if let tmp = getenv("TMPDIR").map({ String(cString: $0) }), tmp.hasPrefix("/") { folders.append(tmp) }
        folders.append("/tmp")
        return folders
    }

    /// The last component of `path` as given (what Qubes' client puts in the name block).
    static func basename(of path: String) -> [UInt8] {
        let components = path.utf8.split(separator: UInt8(ascii: "/"))
        return components.last.map { Array($0) } ?? []
    }
}
