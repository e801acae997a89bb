import Foundation
import OpenInVM
import Testing
import TestSupport

/// Issue 16 §1: qubes.OpenURL. The front ends' rule for telling a URL from a file name, and the
/// service `vm-url-opener`, which opens only http, https and ftp URLs, with the URL as one
/// argument of the opener.
@Suite("qubes.OpenURL")
struct OpenURLTests {
    static let service = Programs.path("vm-url-opener")

    @Test("what the front ends take for a URL", arguments: [
        ("http://example.org", true), ("HTTP://x", true), ("https://a/b?c", true), ("x://", true),
        ("svn+ssh://host/repo", true), ("a1://b", true),
        ("1http://x", false), ("http:/x", false), ("://x", false), ("ht-tp://x", false), ("http:", false),
        ("report.pdf", false), ("dir/http://x", false), ("", false),
    ])
    func urlDetection(argument: String, isURL: Bool) {
        #expect(URLRequest.looksLikeURL(argument) == isURL)
    }

    /// An opener that records its arguments, one a line, in $OPENER_LOG.
    static func recordingOpener(in folder: TemporaryDirectory) throws -> String {
        let path = folder("opener.sh")
        try "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$OPENER_LOG\"\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    static func serve(_ input: [UInt8]) throws -> (Finished, [String]?) {
        let folder = try TemporaryDirectory()
        let log = folder("opener.log")
        let finished = try run(
            [service], stdin: input,
            environment: ["PATH": "/usr/bin:/bin", "HOME": folder.path, "INTERVM_OPENER": try recordingOpener(in: folder), "OPENER_LOG": log])
        let arguments = (try? String(contentsOfFile: log, encoding: .utf8)).map { $0.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
        return (finished, arguments)
    }

    @Test("accepted URLs reach the opener as one argument", arguments: [
        "https://example.org/a b?c=d&e=$(touch x);f", "http://x", "ftp://host/file", "HTTPS://Example.org",
    ])
    func acceptedURL(url: String) throws {
        let (finished, arguments) = try Self.serve(Array((url + "\n").utf8))
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(arguments == [url])
    }

    @Test func onlyTheFirstLineIsRead() throws {
        let (finished, arguments) = try Self.serve(Array("http://first\nhttp://second\n".utf8))
        #expect(finished.status == 0)
        #expect(arguments == ["http://first"])
    }

    @Test("anything else is refused and nothing is started", arguments: [
        "javascript:alert(1)\n", "file:///etc/passwd\n", "data:text/html,x\n", "http://a\u{1B}]0;x\u{07}\n",
        "http://a\rb\n", "http://a\u{85}b\n", "http://no-newline", "\n", "", "mailto:a@b\n", "http:/x\n",
        "http://" + String(repeating: "a", count: 1 << 20) + "\n",
    ])
    func refused(input: String) throws {
        let (finished, arguments) = try Self.serve(Array(input.utf8))
        #expect(finished.status != 0)
        #expect(finished.stderr.contains("Invalid URL"), "\(finished.stderr)")
        #expect(arguments == nil, "the opener ran")
    }

    @Test func invalidUTF8IsRefused() throws {
        let (finished, arguments) = try Self.serve(Array("http://a".utf8) + [0xFF, 0x0A])
        #expect(finished.status != 0)
        #expect(arguments == nil)
    }
}
