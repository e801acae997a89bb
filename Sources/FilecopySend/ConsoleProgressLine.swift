import Glibc
import Localization

/// The progress line a person reads on a terminal: " 42%  12.3 MB of 29.4 MB, 5.1 MB/s, 0:03 left".
/// Sizes are decimal (kB, MB, GB, as GNOME shows them) with the locale's decimal separator.
struct ConsoleProgressLine {
    var bytes: UInt64
    var total: UInt64
    var elapsedNanoseconds: Int64

    var text: String {
        let shownTotal = max(total, bytes)
        let percent = shownTotal == 0 ? 100 : Int(bytes * 100 / shownTotal)
        // The rate is shown once half a second has passed (before, it would jump about), and
        // on the final line.
        let measured = elapsedNanoseconds >= 500_000_000 || (bytes >= shownTotal && elapsedNanoseconds > 0)
        let rate = measured ? Double(bytes) / (Double(elapsedNanoseconds) / 1e9) : nil
        let left = rate.flatMap { $0 > 0 ? Double(shownTotal - bytes) / $0 : nil }
        // TRANSLATORS: the terminal's progress line: the percentage done (e.g. " 42%"), bytes
        // sent "of" all bytes, the rate (e.g. "5.1 MB/s") and the time left (e.g. "0:03").
        return tr("%s  %s of %s, %s, %s left",
            Self.padded(String(percent), to: 3) + "%", Self.size(bytes), Self.size(shownTotal),
            rate.map { Self.size(UInt64($0)) + "/s" } ?? "–", left.map(Self.duration) ?? "–:––")
    }

    /// `bytes` in B, kB, MB, GB or TB, one decimal below 100 of the unit.
    static func size(_ bytes: UInt64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 { return String(bytes) + " B" }
        if value >= 100 { return String(Int(value.rounded())) + " " + units[unit] }
        let tenths = Int((value * 10).rounded())
        return String(tenths / 10) + decimalSeparator + String(tenths % 10) + " " + units[unit]
    }

    /// "m:ss", or "h:mm:ss" from an hour on.
    static func duration(_ seconds: Double) -> String {
        let whole = Int(min(seconds.rounded(.up), 359_999))
        let (hours, minutes, secs) = (whole / 3600, whole / 60 % 60, whole % 60)
        let twoDigits = { (value: Int) in value < 10 ? "0" + String(value) : String(value) }
        return hours > 0 ? "\(hours):\(twoDigits(minutes)):\(twoDigits(secs))" : "\(minutes):\(twoDigits(secs))"
    }

    /// The locale's decimal separator (LC_NUMERIC), "." when it has none.
    static var decimalSeparator: String {
        guard let conventions = localeconv(), let point = conventions.pointee.decimal_point else { return "." }
        let text = String(cString: point)
        return text.isEmpty ? "." : text
    }

    static func padded(_ text: String, to width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
