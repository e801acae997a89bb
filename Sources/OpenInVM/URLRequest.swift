import Glibc
import SystemIO
import SystemPackage

/// qubes.OpenURL: the client writes one URL and a newline on the service's stdin and nothing
/// else; the service opens it in the default browser when it is an http, https or ftp URL.
public enum URLRequest {
    /// Longest line the service reads, newline included.
    public static let maximumLineLength = 65_536
    /// The schemes the service opens (compared without regard to case, as schemes are).
    public static let acceptedSchemes = ["http", "https", "ftp"]

    /// What the client sends for `url`.
    public static func encoded(_ url: String) -> [UInt8] { Array(url.utf8) + [UInt8(ascii: "\n")] }

    /// True for `SCHEME://...`, as Qubes' front ends tell a URL from a file name: a letter,
    /// then letters, digits or `+`, then `://` (anything, even nothing, may follow).
    public static func looksLikeURL(_ argument: String) -> Bool {
        let bytes = Array(argument.utf8)
        guard let separator = bytes.firstRange(of: Array("://".utf8)), separator.lowerBound > 0 else { return false }
        let scheme = bytes[..<separator.lowerBound]
        return isLetter(scheme.first!) && scheme.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "+") }
    }

    /// Reads the one line the client sends, without its newline; nil when the input ends
    /// before a newline or the line is longer than `maximumLineLength`. Stops at the newline:
    /// whatever follows is never read.
    public static func readLine(from input: FileDescriptor) throws -> [UInt8]? {
        var line: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while line.count < maximumLineLength {
            let wanted = min(chunk.count, maximumLineLength - line.count)
            let count = try chunk.withUnsafeMutableBytes { buffer in
                try syscallRetrying { read(input.rawValue, buffer.baseAddress, wanted) }
            }
            guard count > 0 else { return nil }
            if let newline = chunk[..<count].firstIndex(of: UInt8(ascii: "\n")) {
                return line + chunk[..<newline]
            }
            line += chunk[..<count]
        }
        return nil
    }

    /// The URL the service may hand to the browser, or nil: valid UTF-8, no control character
    /// (C0, DEL, C1), and an accepted scheme followed by `://`.
    public static func acceptedURL(_ untrustedLine: [UInt8]) -> String? {
        guard let url = String(validating: untrustedLine, as: UTF8.self) else { return nil }
        guard !url.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else { return nil }
        guard let separator = url.firstRange(of: "://") else { return nil }
        let scheme = url[..<separator.lowerBound].lowercased()
        return acceptedSchemes.contains(scheme) ? url : nil
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
}
