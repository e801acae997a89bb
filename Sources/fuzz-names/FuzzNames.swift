// libFuzzer target: the pure parts of the receiver's input handling, each checked against an
// independent oracle: `FileHeader(decoding:)`, `NameRules`, `SymlinkRules` and the result
// decoding a sender applies to the receiver's answer. Built with `make fuzz`
// (-sanitize=fuzzer,address -DFUZZING); in an ordinary build `fuzz-names FILE...` replays files.
//
// Input: byte 0 chooses the mode (bit 0: allow-all-names); the rest is read four ways: as a
// header (its first 32 bytes), as a name, as `linkname NUL target`, and as a result header.
import FilecopyWire
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNames(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let allowAllNames = data[0] & 1 == 1
    let payload = UnsafeBufferPointer(start: data + 1, count: size - 1)
    HeaderOracle.check(UnsafeRawBufferPointer(payload))
    NameOracle.check(Array(payload), allowAllNames: allowAllNames)
    LinkOracle.check(Array(payload), allowAllNames: allowAllNames)
    ResultOracle.check(UnsafeRawBufferPointer(payload))
    return 0
}

/// libFuzzer's driver in a fuzzing build, the replayer otherwise.
@main enum Entry {
    static func main() { FuzzSupport.main(fuzzNames) }
}
