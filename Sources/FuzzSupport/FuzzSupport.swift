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

    /// The fuzz target's program: in a `-DFUZZING` build libFuzzer's driver over `target` with
    /// our arguments; in an ordinary build the replayer over the files named on the command line.
    /// Each target calls it from its `@main`, whose entry point SwiftPM names `<module>_main`.
    public static func main(_ target: FuzzTarget) {
        #if FUZZING
        var count = CommandLine.argc
        var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&count, &arguments, target))
        #else
        replay(CommandLine.arguments.dropFirst(), through: target)
        #endif
    }
}

/// Stops the run with a message libFuzzer reports as a crash (and the replayer as a failure).
public func violated(_ message: String) -> Never {
    fatalError("oracle violated: " + message)
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: FuzzTarget
) -> CInt
#endif
