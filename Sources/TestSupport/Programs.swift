import Foundation

/// Where the built programs are: beside the test runner (`.build/debug`), or in
/// `$INTERVM_BIN_DIR` when set.
public enum Programs {
    public static let directory: String = {
        if let overridden = ProcessInfo.processInfo.environment["INTERVM_BIN_DIR"], !overridden.isEmpty {
            return overridden
        }
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: runner).deletingLastPathComponent()
        // On Linux the runner is `.build/debug/<Package>PackageTests.xctest`; the programs sit beside it.
        while directory.path != "/" && !FileManager.default.fileExists(atPath: directory.appendingPathComponent("qfile-agent").path) {
            directory = directory.deletingLastPathComponent()
        }
        return directory.path
    }()

    /// Absolute path of the built program `name`.
    public static func path(_ name: String) -> String { directory + "/" + name }

    /// The project's checkout (the folder holding Package.swift), found from this source file.
    public static let projectRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url = url.deletingLastPathComponent()
        }
        return url.path
    }()

    /// The recordings made by Qubes' own programs, kept in the checkout
    /// (`Tests/Fixtures/qubes`, see its README for what each file is and where it came from).
    public static let vectorsDirectory: String = projectRoot + "/Tests/Fixtures/qubes"
}
