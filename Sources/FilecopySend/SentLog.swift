import Glibc

/// An entry as the sender last saw it: what a move compares before removing it.
public struct SentState: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64
    /// `st_mode & S_IFMT`.
    var type: UInt32
    var size: Int64
    var mtime: Int64
    var mtimeNanoseconds: Int64
    var ctime: Int64
    var ctimeNanoseconds: Int64

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        type = UInt32(info.st_mode & S_IFMT)
        size = Int64(info.st_size)
        mtime = Int64(info.st_mtim.tv_sec)
        mtimeNanoseconds = Int64(info.st_mtim.tv_nsec)
        ctime = Int64(info.st_ctim.tv_sec)
        ctimeNanoseconds = Int64(info.st_ctim.tv_nsec)
    }

    init(device: UInt64, inode: UInt64, type: UInt32, size: Int64, mtime: Int64, mtimeNanoseconds: Int64, ctime: Int64, ctimeNanoseconds: Int64) {
        (self.device, self.inode, self.type, self.size) = (device, inode, type, size)
        (self.mtime, self.mtimeNanoseconds, self.ctime, self.ctimeNanoseconds) = (mtime, mtimeNanoseconds, ctime, ctimeNanoseconds)
    }

    /// Same device, inode and type: the same entry, whatever happened to it since.
    func isSameEntry(as other: SentState) -> Bool {
        device == other.device && inode == other.inode && type == other.type
    }
}

/// One thing the sender did, in the order it did it.
enum SentItem: Equatable {
    /// A command-line argument begins; its entry is looked up in `folder` (as opened by path),
    /// which was the folder with this device and inode.
    case argument(folder: [UInt8], device: UInt64, inode: UInt64)
    /// A regular file or link was sent whole; `state` is from its descriptor after its last byte.
    case file(name: [UInt8], state: SentState)
    /// A folder's header was sent; its children follow, then `folderEnd`.
    case folder(name: [UInt8], device: UInt64, inode: UInt64)
    /// The folder opened last was read to its end; `state` is from its descriptor then.
    case folderEnd(state: SentState)
}

/// Everything a sender sent, kept for a move, compactly: each item is a few variable-length
/// integers and a name (about 30 bytes plus the name for a file), in chunks of 1 MiB that are
/// never copied as they grow. Read back in the order written.
struct SentLog {
    private var chunks: [[UInt8]] = []
    /// The record being encoded (kept to reuse its storage).
    private var record: [UInt8] = []
    static let chunkSize = 1 << 20

    private enum Tag: UInt8 { case argument = 1, regular, symlink, folder, folderEnd }

    mutating func append(_ item: SentItem) {
        record.removeAll(keepingCapacity: true)
        switch item {
        case .argument(let folder, let device, let inode):
            record.append(Tag.argument.rawValue)
            Self.put(bytes: folder, into: &record)
            Self.put(device, into: &record)
            Self.put(inode, into: &record)
        case .file(let name, let state):
            record.append((state.type == UInt32(S_IFLNK) ? Tag.symlink : Tag.regular).rawValue)
            Self.put(bytes: name, into: &record)
            Self.put(state, into: &record)
        case .folder(let name, let device, let inode):
            record.append(Tag.folder.rawValue)
            Self.put(bytes: name, into: &record)
            Self.put(device, into: &record)
            Self.put(inode, into: &record)
        case .folderEnd(let state):
            record.append(Tag.folderEnd.rawValue)
            Self.put(state, into: &record)
        }
        if chunks.isEmpty || chunks[chunks.count - 1].count + record.count > Self.chunkSize {
            var chunk: [UInt8] = []
            chunk.reserveCapacity(max(Self.chunkSize, record.count))
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(contentsOf: record)
    }

    /// Calls `body` with every item, in the order they were appended.
    func forEach(_ body: (SentItem) throws -> Void) rethrows {
        for chunk in chunks {
            var offset = 0
            while offset < chunk.count {
                try body(Self.item(in: chunk, at: &offset))
            }
        }
    }

    // MARK: Encoding

    /// LEB128: seven bits a byte, low bits first.
    private static func put(_ value: UInt64, into record: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            record.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        record.append(UInt8(rest))
    }

    /// Zigzag, so small negative numbers stay short too.
    private static func put(signed value: Int64, into record: inout [UInt8]) {
        put(UInt64(bitPattern: (value << 1) ^ (value >> 63)), into: &record)
    }

    private static func put(bytes: [UInt8], into record: inout [UInt8]) {
        put(UInt64(bytes.count), into: &record)
        record.append(contentsOf: bytes)
    }

    /// The change time is written as its distance from the modification time: usually zero.
    private static func put(_ state: SentState, into record: inout [UInt8]) {
        put(state.device, into: &record)
        put(state.inode, into: &record)
        put(signed: state.size, into: &record)
        put(signed: state.mtime, into: &record)
        put(signed: state.mtimeNanoseconds, into: &record)
        put(signed: state.ctime &- state.mtime, into: &record)
        put(signed: state.ctimeNanoseconds &- state.mtimeNanoseconds, into: &record)
    }

    // MARK: Decoding (of what `append` wrote, so it cannot be malformed)

    private static func item(in chunk: [UInt8], at offset: inout Int) -> SentItem {
        let tag = Tag(rawValue: chunk[offset])!
        offset += 1
        switch tag {
        case .argument:
            let folder = bytes(in: chunk, at: &offset)
            return .argument(folder: folder, device: unsigned(in: chunk, at: &offset), inode: unsigned(in: chunk, at: &offset))
        case .regular, .symlink:
            let name = bytes(in: chunk, at: &offset)
            return .file(name: name, state: state(in: chunk, at: &offset, type: tag == .symlink ? S_IFLNK : S_IFREG))
        case .folder:
            let name = bytes(in: chunk, at: &offset)
            return .folder(name: name, device: unsigned(in: chunk, at: &offset), inode: unsigned(in: chunk, at: &offset))
        case .folderEnd:
            return .folderEnd(state: state(in: chunk, at: &offset, type: S_IFDIR))
        }
    }

    private static func unsigned(in chunk: [UInt8], at offset: inout Int) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = chunk[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    private static func signed(in chunk: [UInt8], at offset: inout Int) -> Int64 {
        let value = unsigned(in: chunk, at: &offset)
        return Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    private static func bytes(in chunk: [UInt8], at offset: inout Int) -> [UInt8] {
        let count = Int(unsigned(in: chunk, at: &offset))
        defer { offset += count }
        return Array(chunk[offset..<(offset + count)])
    }

    private static func state(in chunk: [UInt8], at offset: inout Int, type: mode_t) -> SentState {
        let device = unsigned(in: chunk, at: &offset)
        let inode = unsigned(in: chunk, at: &offset)
        let size = signed(in: chunk, at: &offset)
        let mtime = signed(in: chunk, at: &offset)
        let mtimeNanoseconds = signed(in: chunk, at: &offset)
        let ctime = mtime &+ signed(in: chunk, at: &offset)
        let ctimeNanoseconds = mtimeNanoseconds &+ signed(in: chunk, at: &offset)
        return SentState(
            device: device, inode: inode, type: UInt32(type), size: size, mtime: mtime, mtimeNanoseconds: mtimeNanoseconds,
            ctime: ctime, ctimeNanoseconds: ctimeNanoseconds)
    }
}
