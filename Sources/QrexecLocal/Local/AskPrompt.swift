import DialogClient
import DisplayText
import Glibc
import Localization
import SystemIO
import SystemPackage

/// The `ask` action: a confirmation dialog modelled on Qubes' dom0 prompt when a display and
/// the GTK helper are there; otherwise the allowed targets are listed on the controlling
/// terminal (`/dev/tty`, not stdin/stdout, which belong to the programs) and the user types one.
enum AskPrompt {
    /// The user's choice; throws `.refused` when the user says no or nobody can be asked.
    static func ask(call: String, source: String, choices: [PolicyToken], preselected: PolicyToken?) throws(LocalCallError)
        -> PolicyToken
    {
        switch DialogHelper.confirm(
            source: source, service: call, targets: choices.map(\.description), preselected: preselected?.description)
        {
        case .chosen(let answer):
            guard let chosen = choices.first(where: { $0.description == answer }) else {
                throw .refused(tr("The call %s from %s was refused by the user.", DisplayText.escaped(call), DisplayText.escaped(source)))
            }
            return chosen
        case .cancelled:
            throw .refused(tr("The call %s from %s was refused by the user.", DisplayText.escaped(call), DisplayText.escaped(source)))
        case .unavailable:
            return try askOnTerminal(call: call, source: source, choices: choices, preselected: preselected)
        }
    }

    private static func askOnTerminal(call: String, source: String, choices: [PolicyToken], preselected: PolicyToken?)
        throws(LocalCallError) -> PolicyToken
    {
        let tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard tty >= 0 else {
            throw .refused(
                // TRANSLATORS: the qrexec call (service name, e.g. qubes.Filecopy), then the calling VM.
                tr("The policy asks the user about %s from %s, but there is neither a terminal nor a GUI to ask: refused.",
                    call, source))
        }
        let terminal = FileDescriptor(rawValue: tty)
        defer { terminal.closeQuietly() }
        // TRANSLATORS: the calling VM, then the qrexec service (e.g. qubes.Filecopy); a numbered list of VM names follows.
        var text = tr("%s wants to call %s. Allowed targets:", DisplayText.escaped(source), DisplayText.escaped(call)) + "\n"
        for (index, choice) in choices.enumerated() {
            text += "  \(index + 1)) \(choice.description)\n"
        }
        if let preselected {
            // TRANSLATORS: terminal prompt: the user types a list number or a VM name; %s is the VM that Enter picks.
            text += tr("Target (number or name; Enter for %s; anything else refuses): ", preselected.description)
        } else {
            // TRANSLATORS: terminal prompt: the user types a list number or a VM name.
            text += tr("Target (number or name; anything else refuses): ")
        }
        try? terminal.writeFully(Array(text.utf8))
        // End of input (Ctrl-D, a closed terminal) refuses; only a real empty line takes the default.
        guard let answer = readLine(terminal) else {
            throw .refused(tr("The call %s from %s was refused by the user.", DisplayText.escaped(call), DisplayText.escaped(source)))
        }
        if answer.isEmpty, let preselected { return preselected }
        if let number = Int(answer), number >= 1, number <= choices.count { return choices[number - 1] }
        if let named = choices.first(where: { $0.description == answer }) { return named }
        throw .refused(tr("The call %s from %s was refused by the user.", DisplayText.escaped(call), DisplayText.escaped(source)))
    }

    /// One line from the terminal, without surrounding blanks; nil when the input ends first.
    private static func readLine(_ terminal: FileDescriptor) -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while bytes.count < 256 {
            let count = (try? syscallRetrying { read(terminal.rawValue, &byte, 1) }) ?? 0
            if count <= 0 { return nil }
            if byte == UInt8(ascii: "\n") { break }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self).trimmingBlanks()
    }
}

extension String {
    func trimmingBlanks() -> String {
        let blanks: Set<Character> = [" ", "\t", "\r"]
        return String(drop(while: { blanks.contains($0) }).reversed().drop(while: { blanks.contains($0) }).reversed())
    }
}
