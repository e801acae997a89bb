// qfile-agent: the sending side of qubes.Filecopy. qvm-copy runs it through qrexec-client-vm,
// which connects its stdout to the receiving VM's qfile-unpacker and its stdin to the answer.
import Filecopy
import Glibc
import Localization
import SystemIO
import SystemPackage

Localization.setUp()

let arguments: AgentArguments
do {
    arguments = try AgentArguments((1..<Int(CommandLine.argc)).map { index in
        let pointer = CommandLine.unsafeArgv[index]!
        return Array(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)))
    })
} catch {
    printError("qfile-agent: " + error.message)
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
    printError("qfile-agent: " + failure.description)
    exit(1)
} catch {
    printError("qfile-agent: " + String(describing: error))
    exit(1)
}
if arguments.removeSent {
    let outcome = packer.removeSent()
    for sentence in outcome.sentences { printError("qfile-agent: " + sentence) }
    if !outcome.isComplete { exit(Packer.sourcesKeptStatus) }
}
exit(0)
