import CGtk
import Glibc

/// A file that could not be written, with GLib's message (which names the path and errno).
public struct TextFileError: Error, CustomStringConvertible {
    public let description: String
}

/// Small text files in the user's own folders, through GLib.
enum TextFiles {
    /// The file's lines without their newlines (g_file_get_contents); none when it is missing
    /// or unreadable, since every file read here is optional.
    static func lines(at path: String) -> [String] {
        var contents: UnsafeMutablePointer<gchar>?
        var length: gsize = 0
        guard g_file_get_contents(path, &contents, &length, nil) != 0, let contents else { return [] }
        defer { g_free(contents) }
        let text = String(decoding: UnsafeRawBufferPointer(start: contents, count: Int(length)), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    /// Replaces the file with `text` atomically (g_file_set_contents writes a temporary file and
    /// renames it), making its folder (0700) first (g_mkdir_with_parents).
    static func replace(_ path: String, with text: String) throws(TextFileError) {
        let folder = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !folder.isEmpty && g_mkdir_with_parents(folder, 0o700) != 0 {
            throw TextFileError(description: folder + ": " + String(cString: g_strerror(errno)))
        }
        var error: UnsafeMutablePointer<GError>?
        if g_file_set_contents(path, text, -1, &error) == 0 {
            defer { g_error_free(error) }
            throw TextFileError(description: error.map { String(cString: $0.pointee.message) } ?? path)
        }
    }
}
