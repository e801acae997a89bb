import Glibc
import SystemIO
import SystemPackage

/// The qubes.OpenInVM service (`vm-file-editor`): receives one file, opens it with the default
/// application, waits until the application is really done, and sends the file back if and
/// only if its content changed.
public struct EditorService {
    /// What happened, for the program's exit status and messages.
    public enum Outcome: Equatable, Sendable {
        case sentBack(bytes: UInt64)
        case unchanged
        case viewOnly
        /// The application removed the file (or left something that is not a regular file).
        case fileGone
    }

    /// How often `/proc` is scanned while waiting.
    public var pollInterval: UInt32 = 200_000  // microseconds
    /// After the opener exits, how long to wait for an application to show up before the file
    /// is taken as unused (viewers started through D-Bus appear a moment later).
    public var settleTime: Double = 1.0  // seconds

    let input: FileDescriptor
    let output: FileDescriptor

    /// `input` carries the request, `output` the reply; neither is passed to the application.
    public init(input: FileDescriptor, output: FileDescriptor) {
        self.input = input
        self.output = output
    }

    /// Serves one request. The private temporary folder is gone when this returns or throws.
    public func run() throws -> Outcome {
        var untrustedBlock = [UInt8](repeating: 0, count: RequestBlock.size)
        let count = try untrustedBlock.withUnsafeMutableBytes { try input.readFully(into: $0) }
        guard count == RequestBlock.size, let request = RequestBlock.decode(untrustedBlock) else {
            throw OpenInVMError.shortRequest
        }
        let name = ServiceFileName.sanitised(request.untrustedName)
        let viewOnly = request.viewOnly
        let opener = try OpenerCommand.resolve()

        let folder = try PrivateFolder()
        CleanupOnSignal.arm(folder: folder, name: name)
        defer {
            CleanupOnSignal.disarm()
            folder.remove()
        }
        let sent = try receiveFile(as: name, in: folder, viewOnly: viewOnly)
        let filePath = folder.path + "/" + String(decoding: name, as: UTF8.self)

        try open(filePath, with: opener)
        waitUntilUnused(FileUse(filePath: filePath, folderPath: folder.path))
        if viewOnly { return .viewOnly }
        return try sendBackIfChanged(name, in: folder, original: sent)
    }

    /// Writes the rest of the input to `name` in the folder (0600, or 0400 when view-only).
    private func receiveFile(as name: [UInt8], in folder: PrivateFolder, viewOnly: Bool) throws -> ContentFingerprint {
        let file: FileDescriptor
        do {
            file = FileDescriptor(rawValue: try withCPath(name) { cName in
                try syscallRetrying {
                    openat(folder.descriptor.rawValue, cName, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
                }
            })
        } catch {
            throw OpenInVMError.cannotWriteFile(error as? Errno ?? .ioError)
        }
        defer { file.closeQuietly() }
        var fingerprint = ContentFingerprint()
        try Copying.copy(from: input, to: file, fingerprint: &fingerprint, readError: OpenInVMError.cannotWriteFile,
                         writeError: OpenInVMError.cannotWriteFile)
        if viewOnly { try? FileSystem.setPermissions(file, 0o400) }
        return fingerprint
    }

    /// Runs the opener on the file and waits for it; a non-zero exit is an error.
    private func open(_ filePath: String, with opener: OpenerCommand) throws {
        let status: ExitStatus
        do {
            status = try Spawn.run(opener.program, arguments: opener.arguments + [filePath])
        } catch {
            throw OpenInVMError.openerCouldNotStart(program: opener.program, error as? Errno ?? .ioError)
        }
        if status != .exited(0) {
            throw OpenInVMError.openerFailed(program: opener.arguments[0], status: status.shellStatus)
        }
    }

    /// Viewers such as `xdg-open`, `exo-open` or `kde-open` return at once while the
    /// application they started goes on. So after the opener exits, wait (polling `/proc`) while
    /// any process uses the file (see `FileUse`); if none does yet, give one `settleTime` to
    /// appear before taking the file as unused.
    private func waitUntilUnused(_ use: FileUse) {
        var waited = 0.0
        var seenInUse = false
        while true {
            if use.isInUse() {
                seenInUse = true
            } else if seenInUse || waited >= settleTime {
                return
            }
            usleep(pollInterval)
            waited += Double(pollInterval) / 1_000_000
        }
    }

    /// Re-opens the file by name (editors that save through write-new-then-rename leave a new
    /// inode) and sends it if its content differs from what was received.
    private func sendBackIfChanged(_ name: [UInt8], in folder: PrivateFolder, original: ContentFingerprint) throws -> Outcome {
        let file: FileDescriptor
        do {
            file = FileDescriptor(rawValue: try withCPath(name) { cName in
                try syscallRetrying { openat(folder.descriptor.rawValue, cName, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
            })
        } catch let error as Errno where error == .noSuchFileOrDirectory || error == .tooManySymbolicLinkLevels {
            return .fileGone
        } catch {
            throw OpenInVMError.cannotReadBack(error as? Errno ?? .ioError)
        }
        defer { file.closeQuietly() }
        let info = try Copying.wrapped(OpenInVMError.cannotReadBack) { try FileSystem.status(of: file) }
        guard info.st_mode & S_IFMT == S_IFREG else { return .fileGone }

        var edited = ContentFingerprint()
        try Copying.hash(file, into: &edited)
        if edited == original { return .unchanged }
        if edited.size == 0 { throw OpenInVMError.editEmptiedFile }
        _ = try Copying.wrapped(OpenInVMError.cannotReadBack) { try syscallRetrying { lseek(file.rawValue, 0, SEEK_SET) } }
        var sent = ContentFingerprint()
        try Copying.copy(from: file, to: output, fingerprint: &sent, readError: OpenInVMError.cannotReadBack,
                         writeError: OpenInVMError.sendFailed)
        return .sentBack(bytes: sent.size)
    }
}
