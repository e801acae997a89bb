import FilecopyWire
import Glibc
import SystemIO
import SystemPackage

/// Sending one regular file so that a changing file can never produce a wrong-sized copy.
extension Packer {
    /// Opens the file (O_NOFOLLOW, O_NONBLOCK so a FIFO swapped in cannot block the open),
    /// checks with fstat(2) that it is still the regular file looked up, and sends header, name
    /// and exactly `st_size` bytes read straight into the output buffer.
    ///
    /// The last chunk is held back until the file is shown not to have changed: pread(2) of
    /// one byte at offset `st_size` must find the end, and fstat must report the same size and
    /// modification time. A file that shrank (early end) or grew or was rewritten throws
    /// `fileChanged` while the record is unfinished, and the stream is cut there.
    func sendRegularFile(_ name: UnsafePointer<CChar>, in parent: Int32, looked: stat) throws {
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
        try beginRecord(Self.header(for: opened, fileLength: size))

        var remaining = size
        while remaining > 0 {
            // Only data before the last chunk ever leaves here: the buffer is written out when
            // full and more of the file is still to come.
            if output.freeCount == 0 { try flush() }
            let space = output.freeSpace
            let wanted = Int(min(UInt64(space.count), remaining))
            let count: Int
            do {
                count = try syscallRetrying { Glibc.read(descriptor, space.baseAddress!, wanted) }
            } catch let error as Errno {
                throw TransferFailure.cannotRead(name: path, error)
            }
            if count == 0 { throw TransferFailure.fileChanged(name: path) }  // it shrank
            output.commit(count)
            progress.add(count)
            remaining -= UInt64(count)
        }
        try checkUnchanged(file, opened: opened)
        recordStart = nil
    }

    /// Throws `fileChanged` unless the file still ends at the size sent and was not modified.
    private func checkUnchanged(_ file: FileDescriptor, opened: stat) throws {
        var probe: UInt8 = 0
        let after: stat
        do {
            let beyond = try syscallRetrying { Glibc.pread(file.rawValue, &probe, 1, opened.st_size) }
            if beyond != 0 { throw TransferFailure.fileChanged(name: path) }  // it grew
            after = try FileSystem.status(of: file)
        } catch let error as Errno {
            throw TransferFailure.cannotRead(name: path, error)
        }
        guard after.st_size == opened.st_size, after.st_mtim.tv_sec == opened.st_mtim.tv_sec,
            after.st_mtim.tv_nsec == opened.st_mtim.tv_nsec
        else { throw TransferFailure.fileChanged(name: path) }
    }
}
