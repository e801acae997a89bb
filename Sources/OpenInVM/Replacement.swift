import CLinux
import Glibc
import SystemIO
import SystemPackage

/// Puts a finished edited copy in place of the original, in the original's folder.
///
/// The copy gets a hidden name, then trades places with the original's entry in one step
/// (renameat2(2) RENAME_EXCHANGE) only if that entry is still what was opened (the same file,
/// or the same symlink with the same target text) and the content sent is unchanged (same
/// inode, size and mtime); after the exchange the old entry is checked again and the exchange
/// undone if it was not the original. A rename replaces the directory entry itself: a symlink,
/// whether the user named it or it was swapped in, is replaced by the regular file, never
/// written through. When the original was replaced or changed meanwhile, the edit is saved
/// beside it as "NAME (edited).EXT" instead.
struct Replacement {
    let original: OriginalFile
    let copy: EditedCopy

    /// RENAME_EXCHANGE from include/uapi/linux/fs.h (not exported by Swift's Glibc module).
    static let renameExchange: UInt32 = 1 << 1

    func install() throws -> EditClient.Outcome {
        let hidden = try copy.nameTemporarily()
        if original.isStillInPlace() {
            switch try exchange(hidden) {
            case .exchanged:
                _ = withCPath(hidden) { unlinkat(original.folder.rawValue, $0, 0) }  // the old original (file or link)
                _ = fsync(original.folder.rawValue)
                return .replaced
            case .renamedOver:
                _ = fsync(original.folder.rawValue)
                return .replaced
            case .notTheOriginal:
                break
            }
        }
        let name = try copy.publish(asFirstFreeOf: Self.editedNames(for: original.name))
        _ = fsync(original.folder.rawValue)
        return .savedBeside(path: Self.path(of: name, in: original.folderPath))
    }

    enum Exchange {
        /// The copy has the original's name; `hidden` now names the old original.
        case exchanged
        /// The file system cannot exchange: the copy was renamed over the original.
        case renamedOver
        /// What had the original's name was not the original; everything is back as it was.
        case notTheOriginal
    }

    /// Swaps `hidden` and the original's name, undoing it if what came out was not the original.
    /// Where the file system cannot exchange, falls back to a plain renameat(2) over the
    /// original, just checked to be in place.
    private func exchange(_ hidden: [UInt8]) throws -> Exchange {
        let folder = original.folder.rawValue
        let exchanged = withCPath(hidden) { cHidden in
            withCPath(original.name) { cName in csys_renameat2(folder, cHidden, folder, cName, Self.renameExchange) }
        }
        if exchanged != 0 {
            let error = Errno(rawValue: errno)
            guard error == .invalidArgument || error == .notSupported else { throw error }
            _ = try withCPath(hidden) { cHidden in
                try withCPath(original.name) { cName in try syscallRetrying { renameat(folder, cHidden, folder, cName) } }
            }
            copy.forgetName()
            return .renamedOver
        }
        if let previous = try? FileSystem.status(of: hidden, in: original.folder),
            original.isUnchangedEntry(previous, named: hidden)
        {
            return .exchanged
        }
        // Someone put another file there just now: give it its place back.
        _ = withCPath(hidden) { cHidden in
            withCPath(original.name) { cName in csys_renameat2(folder, cHidden, folder, cName, Self.renameExchange) }
        }
        return .notTheOriginal
    }

    /// "STEM (edited).EXT", then "STEM (edited 2).EXT" ... (the extension kept so the file still
    /// opens with the same application), each at most 255 bytes.
    static func editedNames(for name: [UInt8]) -> [[UInt8]] {
        var stem = name[...]
        var suffix: ArraySlice<UInt8> = []
        if let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > 0, name.count - dot <= 16 {
            stem = name[..<dot]
            suffix = name[dot...]
        }
        return (1...100).map { number in
            let marker = Array((number == 1 ? " (edited)" : " (edited \(number))").utf8)
            let room = 255 - marker.count - suffix.count
            return Array(stem.prefix(room)) + marker + Array(suffix)
        }
    }

    static func path(of name: [UInt8], in folderPath: String) -> String {
        (folderPath == "/" ? "" : folderPath) + "/" + String(decoding: name, as: UTF8.self)
    }
}
