import Glibc

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

    /// A whole file (open(2), read(2)); stops with a message on failure.
    public static func read(_ path: String) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { fatalError("cannot open \(path): errno \(errno)") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { fatalError("cannot read \(path): errno \(errno)") }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
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
