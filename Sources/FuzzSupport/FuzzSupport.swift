import Glibc
import SystemIO

/// What libFuzzer calls with each input (`LLVMFuzzerTestOneInput`).
public typealias FuzzTarget = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

/// The parts every fuzz target shares: in an ordinary build a replayer that runs files
/// through the target (how crashes become regression tests); in a `-DFUZZING` build the hand-off
/// to libFuzzer's driver.
public enum FuzzSupport {
    /// Runs each file through `target`, printing `replayed PATH` after each.
    public static func replay(_ paths: some Sequence<String>, through target: FuzzTarget) {
        for path in paths {
            let bytes = read(path)
            _ = bytes.withUnsafeBufferPointer { target($0.baseAddress, $0.count) }
            print("replayed \(path)")
        }
    }

    /// The most a replayed input may hold; libFuzzer's own inputs are far smaller.
    static let inputLimit = 256 << 20

    /// A whole file (`FileSystem.readWholeFile`); stops with a message on failure.
    public static func read(_ path: String) -> [UInt8] {
        do {
            guard let bytes = try FileSystem.readWholeFile(at: path, limit: inputLimit) else {
                fatalError("cannot open \(path): no such file")
            }
            return bytes
        } catch {
            fatalError("cannot read \(path): \(error)")
        }
    }

    #if FUZZING
    /// libFuzzer's main loop; SwiftPM links each executable's entry point as `<module>_main`,
    /// which the targets define to call this.
    public static func runDriver(
        _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ target: FuzzTarget
    ) -> CInt {
        var count = argc
        var arguments = argv
        return LLVMFuzzerRunDriver(&count, &arguments, target)
    }
    #endif
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: FuzzTarget
) -> CInt
#endif
