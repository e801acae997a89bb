import Glibc

/// Whether any process is still using a file, judged from `/proc`.
///
/// The rule (also in docs/OPEN-IN-VM.md): a file is in use while some other process
/// - has it, or anything in its private folder, open: a link in `/proc/PID/fd` equals the file's
///   path or starts with the folder's path + `/` (swap and lock files, or the old file still
///   held after an editor replaced it, shown as "PATH (deleted)"), or
/// - names the path in its command line: an argument in `/proc/PID/cmdline` contains it (so
///   `viewer PATH` and `viewer file://PATH` count even while the viewer holds no descriptor).
/// Processes whose `/proc` entries we may not read (other users') are ignored.
public struct FileUse: Sendable {
    public let filePath: [UInt8]
    public let folderPath: [UInt8]
    private let ownPID = getpid()

    public init(filePath: String, folderPath: String) {
        self.filePath = Array(filePath.utf8)
        self.folderPath = Array(folderPath.utf8) + [UInt8(ascii: "/")]
    }

    /// True while any process other than this one uses the file (reads `/proc`).
    public func isInUse() -> Bool {
        guard let proc = opendir("/proc") else { return false }
        defer { closedir(proc) }
        while let entry = readdir(proc) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = pid_t(name), pid != ownPID else { continue }
            if commandLineNamesFile(pid) || holdsFile(pid) { return true }
        }
        return false
    }

    private func commandLineNamesFile(_ pid: pid_t) -> Bool {
        let fd = open("/proc/\(pid)/cmdline", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 65536)
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if got <= 0 { break }
            count += got
        }
        return bytes[..<count].split(separator: 0).contains { Self.find(filePath, in: $0) }
    }

    private func holdsFile(_ pid: pid_t) -> Bool {
        let folder = "/proc/\(pid)/fd"
        guard let descriptors = opendir(folder) else { return false }
        defer { closedir(descriptors) }
        var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        while let entry = readdir(descriptors) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard Int32(name) != nil else { continue }
            let length = readlink(folder + "/" + name, &target, target.count - 1)
            guard length > 0 else { continue }
            let link = target[..<length].map { UInt8(bitPattern: $0) }
            if link == filePath || link.starts(with: folderPath) { return true }
        }
        return false
    }
}

extension FileUse {
    /// True when `needle` occurs as consecutive bytes in `haystack`.
    static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Bool {
        guard !needle.isEmpty, needle.count <= haystack.count else { return false }
        var start = haystack.startIndex
        while start + needle.count <= haystack.endIndex {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
            start += 1
        }
        return false
    }
}
