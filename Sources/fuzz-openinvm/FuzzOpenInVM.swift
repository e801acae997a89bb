// libFuzzer target: the qubes.OpenInVM request block a disposable VM receives, and the name the
// service makes of it, each checked against the rules it must keep. Built with `make fuzz`
// (-sanitize=fuzzer,address -DFUZZING); in an ordinary build `fuzz-openinvm FILE...` replays.
//
// Input: any bytes, read as the 256-byte block (wrong sizes must be refused).
import FuzzSupport
import OpenInVM

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOpenInVM(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let untrustedBytes = size > 0 ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    guard let (viewOnly, untrustedName) = RequestBlock.decode(untrustedBytes) else {
        if size == RequestBlock.size { violated("a 256-byte block was refused") }
        return 0
    }
    if size != RequestBlock.size { violated("a block of \(size) bytes was accepted") }
    if untrustedName.contains(0) { violated("the name holds a NUL") }
    if untrustedName.count > 255 { violated("the name is \(untrustedName.count) bytes") }
    // What the client would send for this name decodes to the same request.
    let again = RequestBlock.decode(RequestBlock(basename: untrustedName, viewOnly: viewOnly).encoded)
    if again?.viewOnly != viewOnly && !untrustedName.isEmpty { violated("view-only lost in a round trip") }
    // An edit request never reads as view-only, whatever the name (issue 14 item 4).
    if RequestBlock.decode(RequestBlock(basename: untrustedName, viewOnly: false).encoded)?.viewOnly != false {
        violated("an edit request reads as view-only")
    }

    let name = ServiceFileName.sanitised(untrustedName)
    if name.isEmpty { violated("empty file name") }
    if name.allSatisfy({ $0 == UInt8(ascii: ".") }) { violated("the name is dots only") }
    let allowed = Set(Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._+@-".utf8))
    if !name.allSatisfy(allowed.contains) { violated("a byte outside [0-9A-Za-z._+@-] survived") }
    if name.count > 255 { violated("the file name is \(name.count) bytes") }
    return 0
}

/// libFuzzer's driver in a fuzzing build, the replayer otherwise.
@main enum Entry {
    static func main() { FuzzSupport.main(fuzzOpenInVM) }
}
