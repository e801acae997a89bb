import DisplayText
import FilecopyWire
import Glibc
import Localization
import SystemPackage

/// Why a transfer failed, as the sending side sees it: the receiver's error code, a missing,
/// damaged or contradicting answer, or a problem with a local file. `description` is one
/// sentence for the user (translated, names sanitised by `DisplayText.escaped`); the GUI shows the same.
public enum TransferFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The receiving VM answered with a non-zero error code. `untrustedName` is the name (or,
    /// for a refused link, possibly its target) it reported, nil when it sent none.
    case receiverError(ResultCode, untrustedName: [UInt8]?)
    /// The receiving VM reported success, but its checksum differs from the sender's.
    case checksumMismatch
    /// The receiving VM ended the transfer without an answer.
    case noAnswer
    /// The receiving VM's answer stopped in its middle.
    case incompleteAnswer
    /// The receiving VM's answer is malformed (an impossible checksum or name length).
    case invalidAnswer
    /// The receiving VM stopped reading before the transfer was complete, yet reported success.
    case receiverStoppedEarly
    /// A local file changed size or content while it was being sent; the stream was cut.
    case fileChanged(name: [UInt8])
    /// A local file or folder could not be opened or read.
    case cannotRead(name: [UInt8], Errno)
    /// A path is longer than a qubes.Filecopy name may be.
    case nameTooLong(name: [UInt8])
    /// A command-line argument cannot be sent as it is (the root folder, an empty path).
    case unsendablePath(name: [UInt8])
    /// Writing the stream failed for a reason other than the receiving VM going away.
    case cannotWrite(Errno)

    /// The failure for a receiver's answer to a stream whose CRC-32 was `sentCRC`; nil when the
    /// answer is a success whose checksum matches.
    public static func check(_ result: TransferResult, sentCRC: UInt32) -> TransferFailure? {
        if !result.code.isSuccess { return .receiverError(result.code, untrustedName: result.lastName) }
        if result.crc32 != sentCRC { return .checksumMismatch }
        return nil
    }

    public var description: String {
        switch self {
        case .receiverError(let code, let untrustedName):
            return Self.message(for: code, untrustedName: untrustedName)
        case .checksumMismatch:
            return tr("The copy arrived damaged: the checksums of the sending and the target VM do not match")
        case .noAnswer:
            return tr("The receiving VM ended the transfer without an answer")
        case .incompleteAnswer:
            return tr("The receiving VM ended the transfer with an incomplete answer")
        case .invalidAnswer:
            return tr("The receiving VM sent an invalid answer")
        case .receiverStoppedEarly:
            return tr("The receiving VM stopped reading before the transfer was complete")
        case .fileChanged(let name):
            return tr("File \"%s\" changed while it was being sent", DisplayText.escaped(name))
        case .cannotRead(let name, let error):
            return tr("Cannot read \"%s\": %s", DisplayText.escaped(name), Self.systemText(error.rawValue))
        case .nameTooLong(let name):
            return tr("The path \"%s\" is too long to be copied", DisplayText.escaped(name))
        case .unsendablePath(let name):
            return tr("\"%s\" cannot be sent: name a file or folder", DisplayText.escaped(name))
        case .cannotWrite(let error):
            return tr("Cannot send the data: %s", Self.systemText(error.rawValue))
        }
    }

    /// The sentence for a receiver's error `code`. `untrustedName` (the name the receiver
    /// reported, if any) is sanitised before it is shown.
    public static func message(for code: ResultCode, untrustedName: [UInt8]?) -> String {
        let name = untrustedName.flatMap { $0.isEmpty ? nil : DisplayText.escaped($0) }
        switch code {
        case .exists:
            // TRANSLATORS: "on-conflict = rename" and the path are literal (the receiving VM's settings).
            return name.map {
                tr("A file named \"%s\" already exists in the target VM's QubesIncoming folder and was left alone; to keep both, set on-conflict = rename in ~/.config/intervm/receiver.conf there", $0)
            } ?? tr("A file of the same name already exists in the target VM's QubesIncoming folder and was left alone; to keep both, set on-conflict = rename in ~/.config/intervm/receiver.conf there")
        case .invalidName:
            return name.map { tr("The name or link target \"%s\" contains a character the target VM does not accept", $0) }
                ?? tr("A name or link target contains a character the target VM does not accept")
        case .unsafeSymlink:
            return name.map { tr("Cannot verify that the link \"%s\" would not be broken by the copy", $0) }
                ?? tr("Cannot verify that a link would not be broken by the copy")
        case .invalid:
            return name.map { tr("The target VM received corrupted data at \"%s\"", $0) }
                ?? tr("The target VM received corrupted data")
        case .nameTooLong:
            return name.map { tr("The name \"%s\" is too long for the target VM", $0) }
                ?? tr("A name or link target is too long for the target VM")
        case .limitExceeded:
            return name.map { tr("Receiving \"%s\" would exceed the target VM's limits on the number or size of files", $0) }
                ?? tr("The transfer exceeds the target VM's limits on the number or size of files")
        case .noSpace:
            return name.map { tr("There is no space left in the target VM for \"%s\"", $0) }
                ?? tr("There is no space left in the target VM")
        case .truncatedBetweenRecords, .truncatedInsideRecord:
            return name.map { tr("The transfer ended early: the target VM received \"%s\" incompletely or not at all", $0) }
                ?? tr("The transfer ended early: the target VM did not receive all the data")
        case .noEntry:
            return name.map { tr("The target VM has no folder to put \"%s\" in", $0) }
                ?? tr("The target VM is missing a folder the copy needs")
        case .notDirectory:
            return name.map { tr("In the target VM, a part of the path of \"%s\" is not a folder", $0) }
                ?? tr("In the target VM, a part of a path is not a folder")
        case .symlinkInPath:
            return name.map { tr("In the target VM, a link stands in the path of \"%s\"", $0) }
                ?? tr("In the target VM, a link stands in the path of a file")
        case .accessDenied:
            return name.map { tr("The target VM was not allowed to create \"%s\"", $0) }
                ?? tr("The target VM was not allowed to create a file")
        case .timedOut:
            return tr("The target VM stopped waiting: nothing arrived from this VM for too long (its idle-timeout)")
        case .ioError:
            return name.map { tr("The target VM could not receive \"%s\" (input/output error)", $0) }
                ?? tr("The target VM could not receive the files (input/output error)")
        default:
            let reason = systemText(Int32(truncatingIfNeeded: code.rawValue))
            return name.map { tr("The target VM reported an error at \"%s\": %s", $0, reason) }
                ?? tr("The target VM reported an error: %s", reason)
        }
    }

    /// strerror(3) text for `code`, in the user's language.
    static func systemText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return tr("Unknown error") }
        return String(cString: text)
    }
}
