import ArgumentParser
import CommandLineErrors
import Filecopy
import Glibc
import Localization
import SystemIO

/// qfile-agent: the sending side of qubes.Filecopy. qvm-copy runs it through qrexec-client-vm,
/// which connects its stdout to the receiving VM's qfile-unpacker and its stdin to the answer.
@main
struct QfileAgent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qfile-agent",
        abstract: tr("Send files and folders as a qubes.Filecopy stream on standard output."),
        discussion: tr(
            // TRANSLATORS: PATH is the arguments' placeholder; variable names are literal.
            """
            Each PATH is sent under its last component; folders are sent with everything in \
            them. Symbolic links are sent as links, never followed; FIFOs, sockets and devices \
            are skipped. The receiving VM's answer is read from standard input.

            Progress: PROGRESS_TYPE=console with FILECOPY_TOTAL_BYTES redraws one progress line \
            on standard error when it is a terminal; PROGRESS_TYPE=gui with SAVED_FD_1 writes \
            byte counts to that descriptor.

            Exit status: 0 when the receiving VM confirmed the whole transfer, 1 when the \
            transfer failed, 64 for an invalid command line.
            """))

    @Flag(name: .long, help: ArgumentHelp(tr("Skip symbolic links instead of sending them.")))
    var ignoreSymlinks = false

    @Flag(name: .shortAndLong, help: ArgumentHelp(tr("Say which entries were skipped.")))
    var verbose = false

    @Flag(
        name: .long,
        help: ArgumentHelp(
            tr("Once the receiving VM confirmed the transfer, delete what was sent if it is still exactly as it was sent (for qvm-move); exit status 3 when something was kept.")))
    var removeSent = false

    @Argument(help: ArgumentHelp(tr("Files and folders to send."), valueName: "path"))
    var paths: [String]

    static func main() {
        Localization.setUp()
        Self.mainEscapingErrors()
    }

    func run() throws {
        let packer = Packer(
            options: PackerOptions(ignoreSymlinks: ignoreSymlinks, verbose: verbose, recordSent: removeSent),
            progress: SenderProgress.fromEnvironment())
        do {
            try packer.send(Self.rawPaths(parsed: paths))
        } catch let failure as TransferFailure {
            printError("qfile-agent: " + failure.description)
            throw ExitCode(1)
        }
        guard removeSent else { return }
        let outcome = packer.removeSent()
        for sentence in outcome.sentences { printError("qfile-agent: " + sentence) }
        if !outcome.isComplete { throw ExitCode(Packer.sourcesKeptStatus) }
    }

    /// The PATH arguments as the raw bytes of argv: file names need not be valid UTF-8, and
    /// the parsed Strings would have replaced such bytes.
    static func rawPaths(parsed: [String]) -> [[UInt8]] {
        let flags: Set<String> = ["--ignore-symlinks", "--remove-sent", "--verbose", "-v"]
        var result: [[UInt8]] = []
        var afterTerminator = false
        for index in 1..<Int(CommandLine.argc) {
            guard let pointer = CommandLine.unsafeArgv[index] else { continue }
            let bytes = Array(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)))
            if !afterTerminator {
                if bytes == Array("--".utf8) {
                    afterTerminator = true
                    continue
                }
                if flags.contains(String(decoding: bytes, as: UTF8.self)) { continue }
            }
            result.append(bytes)
        }
        // Should this ever disagree with the parser, trust the parser.
        return result.count == parsed.count ? result : parsed.map { Array($0.utf8) }
    }
}
