import FilecopyWire
import Glibc
import Localization
import SystemPackage

/// Why a transfer failed, as the sending side sees it: the receiver's error code, a missing,
/// damaged or contradicting answer, or a problem with a local file. `description` is one
/// sentence for the user (translated, names sanitised by `displayName`); the GUI shows the same.
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
            return fill(tr("File \"{name}\" changed while it was being sent"), ["name": Self.displayName(name)])
        case .cannotRead(let name, let error):
            return fill(
                tr("Cannot read \"{name}\": {reason}"),
                ["name": Self.displayName(name), "reason": Self.systemText(error.rawValue)])
        case .nameTooLong(let name):
            return fill(
                tr("The path \"{name}\" is too long to be copied"), ["name": Self.displayName(name)])
        case .unsendablePath(let name):
            return fill(tr("\"{name}\" cannot be sent: name a file or folder"), ["name": Self.displayName(name)])
        case .cannotWrite(let error):
            return fill(tr("Cannot send the data: {reason}"), ["reason": Self.systemText(error.rawValue)])
        }
    }

    /// The sentence for a receiver's error `code`. `untrustedName` (the name the receiver
    /// reported, if any) is sanitised before it is shown.
    public static func message(for code: ResultCode, untrustedName: [UInt8]?) -> String {
        let name = untrustedName.flatMap { $0.isEmpty ? nil : displayName($0) }
        func named(_ withName: String, _ withoutName: String) -> String {
            guard let name else { return withoutName }
            return fill(withName, ["name": name])
        }
        switch code {
        case .exists:
            return named(
                tr("A file named \"{name}\" already exists in the target VM's QubesIncoming folder"),
                tr("A file of the same name already exists in the target VM's QubesIncoming folder"))
        case .invalidName:
            return named(
                tr("The name or link target \"{name}\" contains a character the target VM does not accept"),
                tr("A name or link target contains a character the target VM does not accept"))
        case .unsafeSymlink:
            return named(
                tr("Cannot verify that the link \"{name}\" would not be broken by the copy"),
                tr("Cannot verify that a link would not be broken by the copy"))
        case .invalid:
            return named(
                tr("The target VM received corrupted data at \"{name}\""),
                tr("The target VM received corrupted data"))
        case .nameTooLong:
            return named(
                tr("The name \"{name}\" is too long for the target VM"),
                tr("A name or link target is too long for the target VM"))
        case .limitExceeded:
            return named(
                tr("Receiving \"{name}\" would exceed the target VM's limits on the number or size of files"),
                tr("The transfer exceeds the target VM's limits on the number or size of files"))
        case .noSpace:
            return named(
                tr("There is no space left in the target VM for \"{name}\""),
                tr("There is no space left in the target VM"))
        case .truncatedBetweenRecords, .truncatedInsideRecord:
            return named(
                tr("The transfer ended early: the target VM received \"{name}\" incompletely or not at all"),
                tr("The transfer ended early: the target VM did not receive all the data"))
        case .noEntry:
            return named(
                tr("The target VM has no folder to put \"{name}\" in"),
                tr("The target VM is missing a folder the copy needs"))
        case .notDirectory:
            return named(
                tr("In the target VM, a part of the path of \"{name}\" is not a folder"),
                tr("In the target VM, a part of a path is not a folder"))
        case .symlinkInPath:
            return named(
                tr("In the target VM, a link stands in the path of \"{name}\""),
                tr("In the target VM, a link stands in the path of a file"))
        case .accessDenied:
            return named(
                tr("The target VM was not allowed to create \"{name}\""),
                tr("The target VM was not allowed to create a file"))
        case .ioError:
            return named(
                tr("The target VM could not receive \"{name}\" (input/output error)"),
                tr("The target VM could not receive the files (input/output error)"))
        default:
            let reason = systemText(Int32(truncatingIfNeeded: code.rawValue))
            return named(
                fill(tr("The target VM reported an error at \"{name}\": {reason}"), ["reason": reason]),
                fill(tr("The target VM reported an error: {reason}"), ["reason": reason]))
        }
    }

    /// strerror(3) text for `code`, in the user's language.
    static func systemText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return tr("Unknown error") }
        return String(cString: text)
    }
}
