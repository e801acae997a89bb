import FilecopyWire
import Glibc
import SystemIO
import SystemPackage

/// Sending one regular file so that a changing file can never produce a wrong-sized copy.
extension Packer {
    /// Sends the regular file `looked` up as `name` in `parent`. An empty file needs no open:
    /// its header comes from that one lookup (a snapshot as of the lookup, which is all a
    /// record of no bytes can be).
    ///
    /// Any other file is opened (O_NOFOLLOW, O_NONBLOCK so a FIFO swapped in cannot block the
    /// open), checked with fstat(2) to still be the regular file looked up, and sent as header,
    /// name and exactly `st_size` bytes read straight into the output buffer.
    ///
    /// The last chunk is held back until the file is shown not to have changed: it must end at
    /// `st_size` (the last read asks for one byte more and must not get it, or pread(2) of one
    /// byte at `st_size` must find the end), and fstat must report the same size and
    /// modification time. A file that shrank (early end) or grew or was rewritten throws
    /// `fileChanged` while the record is unfinished, and the stream is cut there.
    func sendRegularFile(_ name: UnsafePointer<CChar>, in parent: Int32, looked: stat) throws {
        if looked.st_size == 0 {
            try beginRecord(Self.header(for: looked, fileLength: 0))
            recordStart = nil
            record(.file(name: Self.bytes(of: name), state: SentState(looked)))
            return
        }
        let descriptor = try openChecked(name, in: parent, flags: O_RDONLY | O_NONBLOCK | O_NOCTTY)
        defer { _ = Glibc.close(descriptor) }
        let file = FileDescriptor(rawValue: descriptor)
        let opened: stat
        do {
            opened = try FileSystem.status(of: file)
        } catch let error as Errno {
            throw TransferFailure.cannotRead(name: path, error)
        }
        guard Self.isSameEntry(opened, looked) else { throw TransferFailure.fileChanged(name: path) }
        let size = UInt64(opened.st_size)
        if size >= Self.largeFile { FileSystem.adviseSequential(file) }
        try beginRecord(Self.header(for: opened, fileLength: size))

        var remaining = size
        var endSeen = false
        while remaining > 0 {
            // Only data before the last chunk ever leaves here: the buffer is written out when
            // full and more of the file is still to come.
            if output.freeCount == 0 { try flush() }
            let space = output.freeSpace
            // When the rest fits with a byte to spare, ask for that byte too: not getting it
            // shows the end without a separate probe.
            let probing = UInt64(space.count) > remaining
            let wanted = Int(probing ? remaining + 1 : UInt64(space.count))
            let count: Int
            do {
                count = try syscallRetrying { Glibc.read(descriptor, space.baseAddress!, wanted) }
            } catch let error as Errno {
                throw TransferFailure.cannotRead(name: path, error)
            }
            if count == 0 { throw TransferFailure.fileChanged(name: path) }  // it shrank
            if UInt64(count) > remaining { throw TransferFailure.fileChanged(name: path) }  // it grew
            if probing && UInt64(count) == remaining { endSeen = true }
            output.commit(count)
            progress.add(count)
            remaining -= UInt64(count)
        }
        let after = try checkUnchanged(file, opened: opened, endSeen: endSeen)
        recordStart = nil
        record(.file(name: Self.bytes(of: name), state: SentState(after)))
    }

    /// Files of this size or more are read with a hint for sequential access.
    static let largeFile: UInt64 = 1 << 20

    /// Throws `fileChanged` unless the file still ends at the size sent and was not modified;
    /// returns its fstat(2) after the last byte was read. `endSeen`: the last read already found
    /// the end.
    private func checkUnchanged(_ file: FileDescriptor, opened: stat, endSeen: Bool) throws -> stat {
        var probe: UInt8 = 0
        let after: stat
        do {
            if !endSeen {
                let beyond = try syscallRetrying { Glibc.pread(file.rawValue, &probe, 1, opened.st_size) }
                if beyond != 0 { throw TransferFailure.fileChanged(name: path) }  // it grew
            }
            after = try FileSystem.status(of: file)
        } catch let error as Errno {
            throw TransferFailure.cannotRead(name: path, error)
        }
        guard after.st_size == opened.st_size, after.st_mtim.tv_sec == opened.st_mtim.tv_sec,
            after.st_mtim.tv_nsec == opened.st_mtim.tv_nsec
        else { throw TransferFailure.fileChanged(name: path) }
        return after
    }
}
