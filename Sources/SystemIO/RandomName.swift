import CLinux
import Glibc

/// Names nobody can guess: letters and digits from getrandom(2).
public enum RandomName {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// `prefix` followed by `count` random letters and digits, as a C string.
    public static func make(prefix: [UInt8], count: Int) throws -> [CChar] {
        var random = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            filled += try random.withUnsafeMutableBytes { buffer in
                try syscallRetrying { csys_getrandom(buffer.baseAddress! + filled, count - filled) }
            }
        }
        // 62 letters: the 8 values of 248 and up would favour the first ones; draw again.
        for index in random.indices {
            while random[index] >= 248 {
                var byte: UInt8 = 0
                _ = try syscallRetrying { csys_getrandom(&byte, 1) }
                random[index] = byte
            }
        }
        let name = prefix + random.map { alphabet[Int($0) % alphabet.count] } + [0]
        return name.map { CChar(bitPattern: $0) }
    }

    /// Whether `name` is `prefix` followed by exactly `count` letters and digits.
    public static func matches(_ name: UnsafePointer<CChar>, prefix: [UInt8], count: Int) -> Bool {
        let length = strlen(name)
        guard length == prefix.count + count else { return false }
        let bytes = UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self)
        for index in 0..<prefix.count where bytes[index] != prefix[index] { return false }
        for index in prefix.count..<length where !alphabet.contains(bytes[index]) { return false }
        return true
    }
}
