import Foundation
import OpenInVM
import Testing
import TestSupport

/// The wait rule, against real processes.
@Suite struct FileUseTests {
    /// Starts `sh -c script` with `arguments` and `environment`, runs `body`, then kills the
    /// shell (its `sleep` child, orphaned, neither names nor holds the file).
    func whileRunning(_ script: String, arguments: [String] = [], environment: [String: String] = [:], _ body: () throws -> Void) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, "sh"] + arguments
        process.environment = Fixture.environment(environment)
        try process.run()
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        usleep(300_000)  // let the shell open what it opens
        try body()
    }

    func setUp() throws -> (TemporaryDirectory, FileUse, String) {
        let folder = try TemporaryDirectory()
        let file = folder("doc.txt")
        Fixture.write(Fixture.original, to: file)
        let real = URL(fileURLWithPath: folder.path).resolvingSymlinksInPath().path
        return (folder, FileUse(filePath: real + "/doc.txt", folderPath: real), real + "/doc.txt")
    }

    @Test func unusedFile() throws {
        let (folder, use, _) = try setUp()
        defer { withExtendedLifetime(folder) {} }
        #expect(!use.isInUse())
    }

    @Test func heldOpenByDescriptor() throws {
        let (folder, use, path) = try setUp()
        defer { withExtendedLifetime(folder) {} }
        try whileRunning(#"exec 3< "$F"; sleep 3; :"#, environment: ["F": path]) {
            #expect(use.isInUse())
        }
        #expect(!use.isInUse())
    }

    @Test func namedInCommandLine() throws {
        let (folder, use, path) = try setUp()
        defer { withExtendedLifetime(folder) {} }
        try whileRunning(#"sleep 3; : "$1""#, arguments: ["file://" + path]) {
            #expect(use.isInUse())
        }
        #expect(!use.isInUse())
    }

    @Test func otherFileInTheFolderHeldOpen() throws {
        let (folder, use, _) = try setUp()
        let swap = folder(".doc.txt.swp")
        Fixture.write([], to: swap)
        let realSwap = URL(fileURLWithPath: swap).resolvingSymlinksInPath().path
        try whileRunning(#"exec 3< "$F"; sleep 3; :"#, environment: ["F": realSwap]) {
            #expect(use.isInUse())
        }
        #expect(!use.isInUse())
    }
}
