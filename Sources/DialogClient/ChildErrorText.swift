/// What a desktop dialog shows of a child program's stderr: its last line as a sentence for
/// the user, without the "program: " prefix a terminal user sees.
public enum ChildErrorText {
    /// The last line of `errorText` (the last one written by `program` when there is one),
    /// without its program prefix; nil when `errorText` holds no line.
    public static func lastSentence(of errorText: String, preferring program: String? = nil) -> String? {
        let lines = errorText.split(separator: "\n")
        let preferred = program.flatMap { name in lines.last { $0.hasPrefix(name + ": ") } }
        return (preferred ?? lines.last).map(droppingProgramPrefix)
    }

    /// "qopen-in-vm: sentence" -> "sentence". A line whose text before the first ": " holds a
    /// space is not a program name and is kept whole.
    public static func droppingProgramPrefix(_ line: some StringProtocol) -> String {
        guard let colon = line.firstRange(of: ": "), !line[..<colon.lowerBound].contains(" ") else { return String(line) }
        return String(line[colon.upperBound...])
    }
}
