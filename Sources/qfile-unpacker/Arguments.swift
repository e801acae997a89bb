import DisplayText
import Filecopy
import Glibc
import Localization

/// The receiver's command line, parsed by hand to keep the security boundary small:
/// `qfile-unpacker [OPTIONS] [UID DIR]`.
struct Arguments {
    var options = ReceiveOptions()
    /// Options given explicitly, which settings files must not override.
    var explicit: Set<String> = []
    var verbose = false
    /// `UID DIR`: receive into DIR itself as UID; nil: the qrexec service mode.
    var target: (uid: uid_t, directory: String)?

    /// The `--help` text, in the user's language (option names and placeholders stay literal).
    static var usage: String {
        // TRANSLATORS: %s is the program name; OPTIONS, UID and DIR are placeholders.
        var text = tr("usage: %s [OPTIONS] [UID DIR]", "qfile-unpacker") + "\n"
        text += tr("Receives a qubes.Filecopy stream on stdin and answers with the result on stdout.") + "\n"
        // TRANSLATORS: UID DIR as in the usage line; the path, the variable, incoming-dir and receiver.conf are literal.
        text += tr("Without UID DIR: into ~/QubesIncoming/$QREXEC_REMOTE_DOMAIN (or incoming-dir in receiver.conf).") + "\n"
        text += "  --allow-all-names         " + tr("accept any characters in names (structure rules still apply)") + "\n"
        text += "  --allow-unsafe-symlinks   " + tr("accept symlinks that may point outside what was sent") + "\n"
        // TRANSLATORS: the two options are literal.
        text += "  --no-allow-all-names, --no-allow-unsafe-symlinks  " + tr("undo the option before (the later one wins)") + "\n"
        // TRANSLATORS: N is the option's value; K, M, G, T are the suffixes accepted (literal).
        text += "  --max-bytes N             " + tr("refuse more than N bytes of file data (K, M, G, T suffixes)") + "\n"
        text += "  --max-files N             " + tr("refuse more than N entries") + "\n"
        // TRANSLATORS: SECONDS is the option's value; 600 and 0 are literal.
        text += "  --idle-timeout SECONDS    " + tr("end the transfer when the sender sends nothing for SECONDS (default 600, 0: never)") + "\n"
        // TRANSLATORS: fail is the literal value; "name (1).ext" shows how a renamed file is called.
        text += "  --on-conflict fail|rename " + tr("on a taken name: fail (default) or store as \"name (1).ext\"") + "\n"
        text += "  -v                        " + tr("report each entry and the confinement on stderr")
        return text
    }

    /// Parses argv (without the program name); throws a one-line message.
    init(_ words: [String]) throws(UsageError) {
        var rest = words[...]
        var positional: [String] = []
        while let word = rest.popFirst() {
            if !positional.isEmpty || !word.hasPrefix("-") || word == "-" {
                positional.append(word)
                continue
            }
            let (key, inlineValue) = Self.split(word)
            func value() throws(UsageError) -> String {
                if let inlineValue { return inlineValue }
                guard let next = rest.popFirst() else {
                    // TRANSLATORS: %s is the option, e.g. --max-files.
                    throw UsageError(tr("%s needs a value", DisplayText.escaped(key)))
                }
                return next
            }
            switch key {
            case "--": positional.append(contentsOf: rest); rest = []
            case "-h", "--help": throw UsageError(Self.usage, isHelp: true)
            case "-v", "--verbose": verbose = true
            // As in Qubes' receiver, the --no- forms undo an earlier option: the later one wins.
            case "--allow-all-names": options.allowAllNames = true
            case "--no-allow-all-names": options.allowAllNames = false
            case "--allow-unsafe-symlinks": options.allowUnsafeSymlinks = true
            case "--no-allow-unsafe-symlinks": options.allowUnsafeSymlinks = false
            case "--max-bytes":
                guard let bytes = parseSize(try value()) else {
                    // TRANSLATORS: --max-bytes is literal; 500M is an example value (keep it).
                    throw UsageError(tr("--max-bytes takes a byte count such as 500M"))
                }
                options.maxBytes = bytes
                explicit.insert("max-bytes")
            case "--max-files":
                guard let count = UInt64(try value()) else {
                    // TRANSLATORS: --max-files is literal.
                    throw UsageError(tr("--max-files takes a whole number"))
                }
                options.maxFiles = count
                explicit.insert("max-files")
            case "--idle-timeout":
                guard let seconds = UInt32(try value()) else {
                    // TRANSLATORS: --idle-timeout is literal.
                    throw UsageError(tr("--idle-timeout takes a whole number of seconds"))
                }
                options.idleTimeout = seconds
                explicit.insert("idle-timeout")
            case "--on-conflict":
                guard let policy = ConflictPolicy(rawValue: try value()) else {
                    // TRANSLATORS: --on-conflict, fail and rename are literal.
                    throw UsageError(tr("--on-conflict takes \"fail\" or \"rename\""))
                }
                options.onConflict = policy
                explicit.insert("on-conflict")
            default:
                // TRANSLATORS: %s is the option given; --help is literal.
                throw UsageError(tr("unknown option %s (see --help)", DisplayText.escaped(key)))
            }
        }
        switch positional.count {
        case 0: break
        case 2:
            guard let uid = uid_t(positional[0]) else {
                // TRANSLATORS: UID is the usage line's placeholder; %s is what was given instead.
                throw UsageError(tr("UID must be a number, not \"%s\"", DisplayText.escaped(positional[0])))
            }
            target = (uid, positional[1])
        default:
            // TRANSLATORS: UID and DIR are the usage line's placeholders; --help is literal.
            throw UsageError(tr("expected UID and DIR, or nothing (see --help)"))
        }
    }

    private static func split(_ word: String) -> (String, String?) {
        guard word.hasPrefix("--"), let equals = word.firstIndex(of: "=") else { return (word, nil) }
        return (String(word[..<equals]), String(word[word.index(after: equals)...]))
    }
}

struct UsageError: Error {
    var message: String
    var isHelp = false
    init(_ message: String, isHelp: Bool = false) {
        self.message = message
        self.isHelp = isHelp
    }
}
