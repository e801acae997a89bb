import SystemIO
import SystemPackage

/// The parent directory resolved for the last record, kept for the records that follow in the
/// same read(2) of the stream: files of one folder arrive together, and 32 records of 4 KiB
/// fit in one read, so most of them skip an openat2 and a close.
///
/// The `StreamReader` closes it before every read(2) (`forget`): the receiver never holds a
/// parent across a wait for the sender, so a sender cannot time a record against a folder
/// being moved (QSB-014). Between two records of one read the window is as short as between
/// resolving a parent and linking into it.
struct RecentParent: ~Copyable {
    private var descriptor: FileDescriptor?
    private var path: [UInt8] = []

    /// The directory kept for `parentPath`, if any.
    func descriptor(for parentPath: UnsafeRawBufferPointer) -> FileDescriptor? {
        guard let descriptor, path.elementsEqual(parentPath) else { return nil }
        return descriptor
    }

    /// Keeps `fresh`, just resolved for `parentPath`, closing the one kept before.
    mutating func keep(_ fresh: FileDescriptor, for parentPath: UnsafeRawBufferPointer) {
        forget()
        descriptor = fresh
        path.append(contentsOf: parentPath)
    }

    /// Closes the kept directory, if any.
    mutating func forget() {
        descriptor?.closeQuietly()
        descriptor = nil
        path.removeAll(keepingCapacity: true)
    }

    deinit { descriptor?.closeQuietly() }
}
