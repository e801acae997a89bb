import DisplayText
import Glibc
import Localization
import SystemPackage

/// Everything that can stop an Open-in-VM call, each with one sentence a user can act on.
public enum OpenInVMError: Error, CustomStringConvertible, Equatable {
    // Client side.
    case cannotOpenOriginal(path: String, Errno)
    case isDirectory(path: String)
    case notRegularFile(path: String)
    case changedWhileOpening(path: String)
    case sendFailed(Errno)
    case receiveFailed(Errno)
    case replyTooLarge(limit: UInt64)
    case cannotSaveEdit(path: String, Errno)
    case editKeptAside(path: String, keptAs: String, Errno)
    // Service side.
    case shortRequest
    case cannotCreateTemporaryFolder(path: String, Errno)
    case cannotWriteFile(Errno)
    case noOpener
    case openerNotFound(program: String)
    case openerCouldNotStart(program: String, Errno)
    case openerFailed(program: String, status: Int32)
    case cannotReadBack(Errno)
    case editEmptiedFile

    public var description: String {
        switch self {
        case .cannotOpenOriginal(let path, let error):
            tr("Cannot open \"%s\": %s.", DisplayText.escaped(path), Self.reason(error))
        case .isDirectory(let path):
            tr("\"%s\" is a folder: only single files can be opened in another VM.", DisplayText.escaped(path))
        case .notRegularFile(let path):
            tr("\"%s\" is not a regular file: only regular files can be opened in another VM.", DisplayText.escaped(path))
        case .changedWhileOpening(let path):
            tr("\"%s\" was replaced while it was being opened; nothing was sent, try again.", DisplayText.escaped(path))
        case .sendFailed(let error):
            tr("Could not send the file to the other VM: %s.", Self.reason(error))
        case .receiveFailed(let error):
            tr("Could not receive the edited file from the other VM (the original is unchanged): %s.", Self.reason(error))
        case .replyTooLarge(let limit):
            fill(trn("The edited file from the other VM is larger than the limit of %s byte; it was refused and the original is unchanged.",
                "The edited file from the other VM is larger than the limit of %s bytes; it was refused and the original is unchanged.",
                Int(clamping: limit)), [String(limit)])
        case .cannotSaveEdit(let path, let error):
            tr("Could not save the edited file beside \"%s\" nor in your home folder: %s.", DisplayText.escaped(path), Self.reason(error))
        case .editKeptAside(let path, let keptAs, let error):
            tr("Could not put the edited file in place of \"%s\" (%s); it was kept as \"%s\".", DisplayText.escaped(path), Self.reason(error), DisplayText.escaped(keptAs))
        case .shortRequest:
            tr("The request ended before the file name was complete; nothing was opened.")
        case .cannotCreateTemporaryFolder(let path, let error):
            tr("Cannot create a private temporary folder in \"%s\": %s.", DisplayText.escaped(path), Self.reason(error))
        case .cannotWriteFile(let error):
            tr("Cannot write the received file: %s.", Self.reason(error))
        case .noOpener:
            tr("No application to open files was found: install xdg-open or set INTERVM_OPENER.")
        case .openerNotFound(let program):
            tr("The application \"%s\" configured to open files was not found.", DisplayText.escaped(program))
        case .openerCouldNotStart(let program, let error):
            tr("Could not start \"%s\" to open the file: %s.", DisplayText.escaped(program), Self.reason(error))
        case .openerFailed(let program, let status):
            tr("\"%s\" failed to open the file (exit status %s); nothing was sent back.", DisplayText.escaped(program), String(status))
        case .cannotReadBack(let error):
            tr("Cannot read the edited file back; nothing was sent back: %s.", Self.reason(error))
        case .editEmptiedFile:
            tr("The file was emptied; an empty file cannot be sent back (in qubes.OpenInVM an empty reply means \"unchanged\"), so the original keeps its content.")
        }
    }

    /// The C library's (localised) text for `error`.
    static func reason(_ error: Errno) -> String {
        String(cString: strerror(error.rawValue))
    }
}
