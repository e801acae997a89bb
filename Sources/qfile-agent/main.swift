// qfile-agent: the sending side of qubes.Filecopy. qvm-copy runs it through qrexec-client-vm,
// which connects its stdout to the receiving VM's qfile-unpacker and its stdin to the answer.
import FilecopySend
import Glibc
import Localization
import SystemIO
import SystemPackage

Localization.setUp()

/// Messages are signed with the name of the program the person ran (qvm-copy and the others
/// pass theirs in INTERVM_PROGRAM_NAME), not with a helper's they never heard of.
let programName: String = {
    guard let given = getenv("INTERVM_PROGRAM_NAME").map({ String(cString: $0) }), !given.isEmpty, given.utf8.count <= 64,
        given.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) })
    else { return "qfile-agent" }
    return given
}()

let arguments: AgentArguments
do {
    arguments = try AgentArguments((1..<Int(CommandLine.argc)).map { index in
        let pointer = CommandLine.unsafeArgv[index]!
        return Array(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)))
    })
} catch {
    printError(programName + ": " + error.message)
    exit(64)
}
if arguments.help {
    try? FileDescriptor.standardOutput.writeFully(Array(AgentArguments.usage.utf8))
    exit(0)
}

let packer = Packer(
    options: PackerOptions(ignoreSymlinks: arguments.ignoreSymlinks, verbose: arguments.verbose, recordSent: arguments.removeSent),
    progress: SenderProgress.fromEnvironment())
do {
    try packer.send(arguments.paths)
} catch let failure as TransferFailure {
    printError(programName + ": " + failure.description)
    exit(1)
} catch {
    printError(programName + ": " + String(describing: error))
    exit(1)
}
if arguments.removeSent {
    let outcome = packer.removeSent()
    for sentence in outcome.sentences { printError(programName + ": " + sentence) }
    if !outcome.isComplete { exit(Packer.sourcesKeptStatus) }
}
exit(0)
