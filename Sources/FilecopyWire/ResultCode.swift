/// The receiver's error code: a Linux errno, 0 for success, or Qubes' private
/// "stream ended inside a record" value.
public struct ResultCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let success = ResultCode(rawValue: 0)
    /// ENOENT: a parent directory is missing.
    public static let noEntry = ResultCode(rawValue: 2)
    /// EIO: the receiver could not start (for instance, its settings are invalid).
    public static let ioError = ResultCode(rawValue: 5)
    /// EACCES: permission denied while creating an entry.
    public static let accessDenied = ResultCode(rawValue: 13)
    /// EEXIST: the name is already taken in the destination.
    public static let exists = ResultCode(rawValue: 17)
    /// ENOTDIR: a parent is not a directory.
    public static let notDirectory = ResultCode(rawValue: 20)
    /// EINVAL: a header field is impossible (type, nanoseconds, directory size).
    public static let invalid = ResultCode(rawValue: 22)
    /// ENOSPC: the destination has no room for the declared size.
    public static let noSpace = ResultCode(rawValue: 28)
    /// ENAMETOOLONG: a name, component or link target is too long.
    public static let nameTooLong = ResultCode(rawValue: 36)
    /// ELOOP: a symlink stands in the path of a name.
    public static let symlinkInPath = ResultCode(rawValue: 40)
    /// ENOLINK: a symlink target fails the safety rules.
    public static let unsafeSymlink = ResultCode(rawValue: 67)
    /// EILSEQ: a name fails validation.
    public static let invalidName = ResultCode(rawValue: 84)
    /// ETIMEDOUT: the sender sent nothing for the receiver's idle timeout.
    public static let timedOut = ResultCode(rawValue: 110)
    /// EREMOTEIO: the stream ended between records, without the end header.
    public static let truncatedBetweenRecords = ResultCode(rawValue: 121)
    /// EDQUOT: a byte or file limit was exceeded.
    public static let limitExceeded = ResultCode(rawValue: 122)
    /// Qubes' LEGAL_EOF: the stream ended inside a name, a body or a link target.
    public static let truncatedInsideRecord = ResultCode(rawValue: 31_415_926)

    public var isSuccess: Bool { rawValue == 0 }

    /// What a Qubes receiver exits with: the low byte of the code.
    public var exitStatus: Int32 { Int32(rawValue & 0xFF) }

    public var description: String { String(rawValue) }
}
