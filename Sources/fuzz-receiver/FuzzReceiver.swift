// libFuzzer target: the whole receiver loop on arbitrary input, writing into a scratch folder.
// Built with `make fuzz` (-sanitize=fuzzer,address -DFUZZING). In an ordinary build it is a
// replayer: `fuzz-receiver FILE...` runs each file through the same function, which is how
// crashes found by the fuzzer become regression tests.
import CLinux
import Filecopy
import FilecopyWire
import FuzzSupport
import Glibc
import SystemIO
import SystemPackage

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReceiver(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let input = memoryFile(UnsafeRawBufferPointer(start: data, count: size)) else { return 0 }
    defer { input.closeQuietly() }
    let scratch = Scratch.make()
    defer { Scratch.remove(scratch) }
    guard let destination = try? FileDescriptor.open(FilePath(scratch), .readOnly, options: [.directory, .closeOnExec]) else {
        return 0
    }
    defer { destination.closeQuietly() }
    var options = ReceiveOptions()
    options.maxBytes = 1 << 24  // keep runs fast; the limit path is fuzzed too
    var unpacker = Unpacker(input: input, destination: destination, options: options, procFD: nil)
    _ = unpacker.receive()
    // The oracle: whatever the input, nothing may appear beside the destination folder.
    if Scratch.entriesBesideDestination() != 0 { fatalError("the receiver wrote outside its destination") }
    return 0
}

/// The input as a file descriptor the receiver reads: an unnamed file in /tmp.
private func memoryFile(_ bytes: UnsafeRawBufferPointer) -> FileDescriptor? {
    let fd = open("/tmp", csys_O_TMPFILE | O_RDWR | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return nil }
    let file = FileDescriptor(rawValue: fd)
    do {
        try file.writeFully(bytes)
        _ = lseek(fd, 0, SEEK_SET)
        return file
    } catch {
        file.closeQuietly()
        return nil
    }
}

/// libFuzzer's driver in a fuzzing build, the replayer otherwise.
@main enum Entry {
    static func main() { FuzzSupport.main(fuzzReceiver) }
}
