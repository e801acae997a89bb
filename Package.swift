// swift-tools-version:6.2
import PackageDescription

/// Our own targets build with every warning as an error (SwiftPM's own setting, not an unsafe
/// flag, so the package can be depended on; dependencies are left alone).
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "InterVMCopy",
    products: [
        .executable(name: "qfile-agent", targets: ["qfile-agent"]),
        .executable(name: "qfile-unpacker", targets: ["qfile-unpacker"]),
        .executable(name: "qvm-copy", targets: ["qvm-copy"]),
        .executable(name: "qrexec-local", targets: ["qrexec-local"]),
        .executable(name: "qopen-in-vm", targets: ["qopen-in-vm"]),
        .executable(name: "vm-file-editor", targets: ["vm-file-editor"]),
        .executable(name: "vm-url-opener", targets: ["vm-url-opener"]),
        .executable(name: "qvm-open-in-vm", targets: ["qvm-open-in-vm"]),
        .executable(name: "intervm-dialog", targets: ["intervm-dialog"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
    ],
    targets: [
        // Thin C wrappers for system calls Swift cannot import (openat2, Landlock, capabilities),
        // zlib's crc32 and libintl. No logic.
        .target(name: "CLinux", linkerSettings: [.linkedLibrary("z")]),
        // The one escaping of untrusted values (names, link targets, VM names, keys) in messages.
        .target(name: "DisplayText", swiftSettings: strict),
        // ParsableCommand.mainEscapingErrors(): ArgumentParser's error lines through DisplayText.
        .target(name: "CommandLineErrors", dependencies: ["DisplayText", "SystemIO", argumentParser], swiftSettings: strict),
        // Qubes' qubes.Filecopy wire format and validation rules: pure, no I/O.
        .target(name: "FilecopyWire", dependencies: ["CLinux"], swiftSettings: strict),
        // File descriptors, errors and the few system calls the programs need.
        .target(
            name: "SystemIO",
            dependencies: ["CLinux", "DisplayText", .product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: strict),
        // gettext for every user-visible string.
        .target(name: "Localization", dependencies: ["CLinux"], swiftSettings: strict),
        // The receiver (Unpacker) with its limits, settings and confinement: all the receiver runs.
        .target(name: "Filecopy", dependencies: ["CLinux", "DisplayText", "FilecopyWire", "SystemIO", "Localization"], swiftSettings: strict),
        // The sender (Packer), its progress, the record of what it sent and the sentences for failures.
        .target(name: "FilecopySend", dependencies: ["CLinux", "DisplayText", "FilecopyWire", "SystemIO", "Localization"], swiftSettings: strict),
        // qubes.OpenInVM: request block, service side, client side.
        .target(name: "OpenInVM", dependencies: ["DisplayText", "SystemIO", "Localization"], swiftSettings: strict),
        // qrexec's names and the service environment: pure, the only qrexec code the services link.
        .target(name: "Qrexec", swiftSettings: strict),
        // One qrexec-client-vm call as Qubes' front ends make it (the front ends only).
        .target(name: "QrexecClient", dependencies: ["Qrexec", "SystemIO", "Localization"], swiftSettings: strict),
        // The local stand-in: policy, sandboxed VMs, the ask prompt (qrexec-local and the dialogs).
        .target(name: "QrexecLocal", dependencies: ["Qrexec", "QrexecClient", "DialogClient", "DisplayText", "SystemIO", "Localization"], swiftSettings: strict),
        // Starting the GTK helper's dialogs from programs that must not link GTK themselves.
        .target(name: "DialogClient", dependencies: ["SystemIO"], swiftSettings: strict),

        // The sender is on every transfer's path: no argument parser, no Foundation.
        .executableTarget(name: "qfile-agent", dependencies: ["DisplayText", "FilecopySend", "Localization", "SystemIO", .product(name: "SystemPackage", package: "swift-system")], swiftSettings: strict),
        // The receiver parses hostile input: no ArgumentParser, no Foundation, as little code as possible.
        .executableTarget(name: "qfile-unpacker", dependencies: ["CLinux", "DisplayText", "Filecopy", "Localization", "Qrexec"], swiftSettings: strict),
        .executableTarget(
            name: "qvm-copy", dependencies: ["DialogClient", "DisplayText", "FilecopySend", "Qrexec", "QrexecClient", argumentParser], swiftSettings: strict),
        .executableTarget(name: "qrexec-local", dependencies: ["CommandLineErrors", "Qrexec", "QrexecClient", "QrexecLocal", argumentParser], swiftSettings: strict),
        // On every open's path: no argument parser, no Foundation.
        .executableTarget(
            name: "qopen-in-vm",
            dependencies: ["DisplayText", "Localization", "OpenInVM", "SystemIO", .product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: strict),
        .executableTarget(name: "vm-file-editor", dependencies: ["OpenInVM"], swiftSettings: strict),
        .executableTarget(name: "vm-url-opener", dependencies: ["Localization", "OpenInVM", "SystemIO"], swiftSettings: strict),
        .executableTarget(
            name: "qvm-open-in-vm", dependencies: ["CommandLineErrors", "DialogClient", "DisplayText", "OpenInVM", "Qrexec", "QrexecClient", "SystemIO", argumentParser], swiftSettings: strict),

        // What the fuzz targets share: the replayer and the hand-off to libFuzzer.
        .target(name: "FuzzSupport", dependencies: ["SystemIO"], swiftSettings: strict),
        // libFuzzer target over the receiver loop (`make fuzz`); a replayer in ordinary builds.
        .executableTarget(name: "fuzz-receiver", dependencies: ["CLinux", "Filecopy", "FuzzSupport", "FilecopyWire", "SystemIO"], swiftSettings: strict),
        // libFuzzer target over the pure header, name, symlink and result rules, with oracles.
        .executableTarget(name: "fuzz-names", dependencies: ["FilecopyWire", "FuzzSupport"], swiftSettings: strict),
        // libFuzzer target over the qubes.OpenInVM request block and the service's file name.
        .executableTarget(name: "fuzz-openinvm", dependencies: ["FuzzSupport", "OpenInVM"], swiftSettings: strict),

        // GTK 3 for the dialog helper only; no other program links it.
        .systemLibrary(name: "CGtk", pkgConfig: "gtk+-3.0", providers: [.apt(["libgtk-3-dev"])]),
        // The dialogs (target picker, progress, outcome, ask) and their models.
        .target(name: "Dialogs", dependencies: ["CGtk", "DisplayText", "Localization", "Qrexec", "QrexecLocal"], swiftSettings: strict),
        .executableTarget(
            name: "intervm-dialog", dependencies: [
                "CommandLineErrors", "Dialogs", "DisplayText", "Localization", "Qrexec", "SystemIO", .product(name: "SystemPackage", package: "swift-system"),
                argumentParser,
            ], swiftSettings: strict),

        // Helpers for the test suites only: locating the built programs, running and joining them.
        .target(name: "TestSupport", dependencies: ["CLinux", "FilecopyWire"], swiftSettings: strict),
        .testTarget(name: "FilecopyWireTests", dependencies: ["FilecopyWire"], swiftSettings: strict),
        .testTarget(name: "DisplayTextTests", dependencies: ["DisplayText"], swiftSettings: strict),
        .testTarget(
            name: "FilecopyTests", dependencies: ["DisplayText", "Filecopy", "FilecopySend", "FilecopyWire", "SystemIO", "TestSupport"],
            swiftSettings: strict),
        .testTarget(name: "QrexecTests", dependencies: ["DialogClient", "Qrexec", "QrexecLocal", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "OpenInVMTests", dependencies: ["OpenInVM", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "DialogTests", dependencies: ["Dialogs", "TestSupport"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
