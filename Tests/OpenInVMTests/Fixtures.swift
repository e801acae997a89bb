import Foundation
import TestSupport

/// Programs, scripted editors and folders shared by the Open-in-VM suites.
enum Fixture {
    static let client = Programs.path("qopen-in-vm")
    static let service = Programs.path("vm-file-editor")
    static let frontEnd = Programs.path("qvm-open-in-vm")
    static let vectors = Programs.vectorsDirectory + "/openinvm"
    static let original = Array("original\n".utf8)
    static let appended = Array("original\nedited in dispvm\n".utf8)
    static let rewritten = Array("export PROMPT_COMMAND=planted\n".utf8)

    /// Editors as real shell scripts: what each does to the file it is given as "$1".
    static let editors: [String: String] = [
        "append": #"printf 'edited in dispvm\n' >> "$1""#,
        "none": #"cat "$1" > /dev/null"#,
        "touch": #"touch -d '@2000000000' "$1""#,
        "truncate": #": > "$1""#,
        "fail": "exit 3",
        // Saves like sed -i and many editors: a new file renamed over the old one.
        "sed": #"sed -i 's/original/rewritten/' "$1""#,
        // Changes the content but puts the modification time back exactly.
        "same-mtime": #"t=$(stat -c %y "$1"); printf 'edited in dispvm\n' >> "$1"; touch -d "$t" "$1""#,
        // A viewer that hands the file to a background process and returns at once.
        "fork": #"sh -c 'sleep 2; printf "edited in dispvm\n" >> "$1"' sh "$1" > /dev/null 2>&1 & exit 0"#,
        // Records the path it was given in $EDITOR_LOG.
        "record": #"printf '%s' "$1" > "$EDITOR_LOG""#,
        // Meanwhile, the original on the client side is replaced by a symlink.
        "swap-original": #"printf 'edited in dispvm\n' >> "$1"; rm "$ORIGINAL"; ln -s "$DECOY" "$ORIGINAL""#,
        // Hostile: rewrites the whole file, as a VM that wants to plant content would.
        "rewrite": #"printf 'export PROMPT_COMMAND=planted\n' > "$1""#,
        // Hostile, and meanwhile the link on the client side is pointed at another file.
        "retarget-link": #"printf 'export PROMPT_COMMAND=planted\n' > "$1"; ln -sfn "$DECOY" "$ORIGINAL""#,
        // Hostile, and meanwhile the file the link points to is changed locally.
        "change-target": #"printf 'export PROMPT_COMMAND=planted\n' > "$1"; printf 'local change\n' >> "$TARGET""#,
        // Meanwhile, the original on the client side is changed locally.
        "touch-original": #"printf 'edited in dispvm\n' >> "$1"; printf 'local change\n' >> "$ORIGINAL""#,
    ]

    /// Writes editor `name` as an executable script in `folder`; returns its path.
    static func editor(_ name: String, in folder: TemporaryDirectory) throws -> String {
        let path = folder("editor-\(name).sh")
        try ("#!/bin/sh\n" + editors[name]! + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    /// Our environment plus `overrides`.
    static func environment(_ overrides: [String: String]) -> [String: String] {
        ProcessInfo.processInfo.environment.merging(overrides) { $1 }
    }

    static func bytes(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }

    static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        chmod(path, mode)
    }

    static func contents(of folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    static func status(_ path: String) -> stat {
        var info = stat()
        lstat(path, &info)
        return info
    }
}
