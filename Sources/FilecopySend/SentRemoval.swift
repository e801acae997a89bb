import DisplayText
import Glibc
import Localization
import SystemIO
import SystemPackage

/// The second half of a move, once the receiver confirmed the transfer: the sent entries are
/// walked again in the order they were sent, each looked up relative to its folder's held
/// descriptor without following links, and an entry goes only when it is still exactly as it
/// was sent (device, inode, type, size, mtime and ctime to the nanosecond). A folder goes only
/// when it, too, is as it was read and is empty once its sent entries are gone. Everything else
/// stays and is named. An entry that was not sent is never looked at, let alone removed.
///
/// Between the last comparison and unlinkat(2) nothing can make the kernel check the inode
/// again: a change in that one system call's window is not seen.
struct SentRemoval {
    private(set) var outcome = RemovalOutcome()

    /// Folders entered, innermost last.
    private var levels: [Level] = []
    /// The folder the current argument's entry is in; nil when it can no longer be opened or
    /// is not the folder it was sent from.
    private var argumentFolder: FileDescriptor?
    /// The current argument's folder no longer exists: its entry went with it, nothing to keep.
    private var argumentFolderGone = false
    /// How an argument's entry is shown: the folder as given, then the name.
    private var argumentPrefix: [UInt8] = []
    /// For files with more than one name: the ctime each had right after this removal took
    /// one of its names away (that unlink changes it), so the other names still match.
    private var ctimeAfterOurUnlink: [FileKey: (seconds: Int64, nanoseconds: Int64)] = [:]

    private struct FileKey: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    /// Depth of a folder's subtree being passed over (it was not opened: gone, replaced or
    /// unreadable, and said so once).
    private var skipping = 0

    private struct Level {
        let descriptor: FileDescriptor
        let name: [UInt8]
        let display: [UInt8]
        /// The folder as found, before anything in it was removed.
        let found: SentState
        /// Children kept or not removable, already named.
        var named: Set<[UInt8]> = []
    }

    static func run(_ log: SentLog) -> RemovalOutcome {
        var removal = SentRemoval()
        log.forEach { removal.apply($0) }
        removal.argumentFolder?.closeQuietly()
        return removal.outcome
    }

    private var currentFolder: FileDescriptor? { levels.last?.descriptor ?? argumentFolder }

    private func display(_ name: [UInt8]) -> [UInt8] {
        guard let level = levels.last else { return argumentPrefix + name }
        return level.display + [UInt8(ascii: "/")] + name
    }

    private mutating func apply(_ item: SentItem) {
        switch item {
        case .argument(let folder, let device, let inode):
            enterArgument(folder, device: device, inode: inode)
        case .file(let name, let state):
            guard skipping == 0 else { return }
            removeFile(name, state: state)
        case .folder(let name, let device, let inode):
            guard skipping == 0 else { return skipping += 1 }
            enterFolder(name, device: device, inode: inode)
        case .folderEnd(let state):
            guard skipping == 0 else { return skipping -= 1 }
            leaveFolder(sent: state)
        }
    }

    private mutating func enterArgument(_ folder: [UInt8], device: UInt64, inode: UInt64) {
        argumentFolder?.closeQuietly()
        argumentFolder = nil
        argumentPrefix = folder == [UInt8(ascii: ".")] ? [] : folder + (folder.last == UInt8(ascii: "/") ? [] : [UInt8(ascii: "/")])
        let opened: FileDescriptor
        do {
            opened = try FileSystem.openFolderPath(folder)
            argumentFolderGone = false
        } catch {
            argumentFolderGone = (error as? Errno) == .noSuchFileOrDirectory
            return
        }
        guard let found = try? FileSystem.status(of: opened), UInt64(found.st_dev) == device, UInt64(found.st_ino) == inode else {
            opened.closeQuietly()
            return
        }
        argumentFolder = opened
    }

    private mutating func removeFile(_ name: [UInt8], state: SentState) {
        let shown = display(name)
        guard let parent = currentFolder else { return argumentFolderGone ? () : keep(name, shown) }
        let found: stat
        do {
            found = try FileSystem.status(of: name, in: parent)
        } catch {
            return noteFailure(name, shown, error)
        }
        guard isAsSent(SentState(found), state) else { return keep(name, shown) }
        do {
            if found.st_nlink > 1 {
                try removeOneOfSeveralNames(name, in: parent, found: SentState(found))
            } else {
                try FileSystem.remove(name, in: parent, isDirectory: false)
            }
        } catch {
            noteFailure(name, shown, error)
        }
    }

    /// `found` equals what was sent, or differs only by the ctime this removal gave it by
    /// unlinking another of its names.
    private func isAsSent(_ found: SentState, _ sent: SentState) -> Bool {
        if found == sent { return true }
        guard let ours = ctimeAfterOurUnlink[FileKey(device: found.device, inode: found.inode)] else { return false }
        var expected = sent
        (expected.ctime, expected.ctimeNanoseconds) = ours
        return found == expected
    }

    /// Unlinks one name of a file that has others, holding the file (O_PATH) across the unlink
    /// to learn the ctime the unlink gave it.
    private mutating func removeOneOfSeveralNames(_ name: [UInt8], in parent: FileDescriptor, found: SentState) throws {
        let held = try? FileSystem.openEntry(name, in: parent)
        defer { held?.closeQuietly() }
        try FileSystem.remove(name, in: parent, isDirectory: false)
        guard let held, let after = try? FileSystem.status(of: held) else { return }
        let state = SentState(after)
        guard state.isSameEntry(as: found) else { return }
        ctimeAfterOurUnlink[FileKey(device: state.device, inode: state.inode)] = (state.ctime, state.ctimeNanoseconds)
    }

    private mutating func enterFolder(_ name: [UInt8], device: UInt64, inode: UInt64) {
        let shown = display(name)
        guard let parent = currentFolder else {
            skipping = 1
            return argumentFolderGone ? () : keep(name, shown)
        }
        do {
            let opened = try FileSystem.openDirectory(name, in: parent)
            guard let info = try? FileSystem.status(of: opened), UInt64(info.st_dev) == device, UInt64(info.st_ino) == inode else {
                opened.closeQuietly()
                skipping = 1
                return keep(name, shown)
            }
            levels.append(Level(descriptor: opened, name: name, display: shown, found: SentState(info)))
        } catch {
            skipping = 1
            switch error as? Errno {
            case .tooManySymbolicLinkLevels?, .notDirectory?: keep(name, shown)  // something else took the name
            default: noteFailure(name, shown, error)
            }
        }
    }

    private mutating func leaveFolder(sent: SentState) {
        let level = levels.removeLast()
        defer { level.descriptor.closeQuietly() }
        guard level.found == sent, let parent = currentFolder else { return keepFolder(level) }
        do {
            try FileSystem.remove(level.name, in: parent, isDirectory: true)
        } catch let error as Errno where error == .directoryNotEmpty || error == .fileExists {
            keepFolder(level)
        } catch {
            noteFailure(level.name, level.display, error)
        }
    }

    /// Keeps a folder and names it with whatever in it was not named yet: entries that were
    /// never sent.
    private mutating func keepFolder(_ level: Level) {
        for child in (try? DirectoryListing.names(in: level.descriptor)) ?? [] where !level.named.contains(child) {
            outcome.keep(level.display + [UInt8(ascii: "/")] + child)
        }
        keep(level.name, level.display)
    }

    private mutating func keep(_ name: [UInt8], _ shown: [UInt8]) {
        if !levels.isEmpty { levels[levels.count - 1].named.insert(name) }
        outcome.keep(shown)
    }

    /// A failed lookup or removal: nothing to say when the entry is simply gone.
    private mutating func noteFailure(_ name: [UInt8], _ shown: [UInt8], _ error: any Error) {
        let error = error as? Errno ?? .ioError
        if error == .noSuchFileOrDirectory { return }
        if !levels.isEmpty { levels[levels.count - 1].named.insert(name) }
        outcome.fail(shown, error)
    }
}

/// What a move left in place, told in at most two sentences.
public struct RemovalOutcome: Sendable {
    /// Entries that are not as they were sent (or never were sent): kept on purpose.
    private(set) var kept: [[UInt8]] = []
    private(set) var keptCount = 0
    /// Entries that matched but could not be removed.
    private(set) var failed: [(name: [UInt8], error: Errno)] = []
    private(set) var failedCount = 0

    /// Names shown per sentence; the rest are counted.
    static let shownNames = 20

    /// True when every sent entry is gone.
    public var isComplete: Bool { keptCount == 0 && failedCount == 0 }

    mutating func keep(_ name: [UInt8]) {
        keptCount += 1
        if kept.count < Self.shownNames { kept.append(name) }
    }

    mutating func fail(_ name: [UInt8], _ error: Errno) {
        failedCount += 1
        if failed.count < Self.shownNames { failed.append((name, error)) }
    }

    /// One sentence for what was kept and one for what could not be removed (when there is
    /// any), names escaped.
    public var sentences: [String] {
        var result: [String] = []
        if keptCount > 0 {
            let names = kept.map { "\"" + DisplayText.escaped($0) + "\"" }
            result.append(
                fill(
                    // TRANSLATORS: after a move: the number of entries, then their names ("a", "b/c").
                    trn("Kept %s entry that changed after it was sent or was never sent: %s.",
                        "Kept %s entries that changed after they were sent or were never sent: %s.", keptCount),
                    [String(keptCount), Self.list(names, count: keptCount)]))
        }
        if failedCount > 0 {
            let names = failed.map { "\"" + DisplayText.escaped($0.name) + "\" (" + TransferFailure.systemText($0.error.rawValue) + ")" }
            result.append(
                fill(
                    // TRANSLATORS: after a move: the number of entries, then each name with the system's error text.
                    trn("Could not delete %s entry: %s.", "Could not delete %s entries: %s.", failedCount),
                    [String(failedCount), Self.list(names, count: failedCount)]))
        }
        return result
    }

    private static func list(_ shown: [String], count: Int) -> String {
        var text = shown.joined(separator: ", ")
        if count > shown.count {
            // TRANSLATORS: ends a list of names cut short: the number of names left out.
            text += " " + fill(trn("and %s more", "and %s more", count - shown.count), [String(count - shown.count)])
        }
        return text
    }
}

extension Packer {
    /// qfile-agent's exit status with `--remove-sent` when the transfer was confirmed but some
    /// sources were kept (1 is a failed transfer, 125 and 126 belong to qrexec).
    public static let sourcesKeptStatus: Int32 = 3

    /// After `send` returned (the receiver confirmed everything), removes what was sent and is
    /// still exactly as it was sent. Needs `PackerOptions.recordSent`.
    public func removeSent() -> RemovalOutcome {
        guard let log = sentLog else { return RemovalOutcome() }
        return SentRemoval.run(log)
    }
}
