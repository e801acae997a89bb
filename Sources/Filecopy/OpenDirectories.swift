/// The directories whose first header arrived and whose second (closing) header has not:
/// always a chain `a`, `a/b`, `a/b/c`, kept as the deepest path and the lengths of its open
/// prefixes, so memory stays at one name however deep or hostile the stream.
struct OpenDirectories {
    private var path: [UInt8] = []
    private var lengths: [Int] = []

    private var top: ArraySlice<UInt8>? { lengths.last.map { path[..<$0] } }

    /// Forgets open directories that are neither `name` nor an ancestor of it (a well-formed
    /// stream never leaves any); then true when `name` is the innermost one: its closing header.
    mutating func isClosing(_ name: ArraySlice<UInt8>) -> Bool {
        while let top, !top.elementsEqual(name), !Self.isAncestor(top, of: name) {
            lengths.removeLast()
        }
        return top?.elementsEqual(name) ?? false
    }

    /// Records the opening header of `name`, a child of the innermost open directory (call
    /// `isClosing` first) or a top-level entry.
    mutating func open(_ name: ArraySlice<UInt8>) {
        path = Array(name)
        lengths.append(name.count)
    }

    /// Records the closing header of the innermost open directory.
    mutating func close() {
        lengths.removeLast()
    }

    private static func isAncestor(_ directory: ArraySlice<UInt8>, of name: ArraySlice<UInt8>) -> Bool {
        name.count > directory.count && name.starts(with: directory)
            && name[name.startIndex + directory.count] == UInt8(ascii: "/")
    }
}
