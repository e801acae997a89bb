import Foundation
import Testing
import TestSupport

/// The helper without a display: a clear line on stderr and status 2, so the caller can fall
/// back to its text interface.
@Suite struct CommandLineTests {
    static let noDesktop = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "XDG_RUNTIME_DIR": "/nonexistent"]

    @Test(arguments: [
        ["pick-target", "--title", "Copy 1 file to VM"],
        ["progress", "--title", "Copying", "--target", "work"],
        ["ask", "--source", "work", "--service", "qubes.Filecopy", "--targets", "personal"],
        ["outcome", "--error", "--summary", "The copy failed."],
    ])
    func noDisplayIsStatusTwo(arguments: [String]) throws {
        let result = try run([Programs.path("intervm-dialog")] + arguments, environment: Self.noDesktop)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("intervm-dialog: "))
    }

    @Test func successWithNeitherNotificationNorDisplayGoesToStderr() throws {
        let result = try run(
            [Programs.path("intervm-dialog"), "outcome", "--success", "--summary", "3 files copied to personal"],
            environment: Self.noDesktop)
        #expect(result.status == 2)
        #expect(result.stderr == "intervm-dialog: 3 files copied to personal\n")
    }

    @Test(arguments: [["pick-target"], ["pick-target", "--title", "x", "--action", "fly"], ["progress", "--title", "x", "--target", "w", "--total", "-5"], ["outcome", "--summary", "x"]])
    func badArgumentsAreRefused(arguments: [String]) throws {
        let result = try run([Programs.path("intervm-dialog")] + arguments, environment: Self.noDesktop)
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(!result.stderr.isEmpty)
    }
}
