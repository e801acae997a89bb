import CGtk
import Localization

/// The sentences the progress window shows.
public enum ProgressText {
    /// A byte count for people, e.g. "12.3 MB" (g_format_size, SI units as GNOME shows them).
    public static func size(_ bytes: UInt64) -> String {
        let text = g_format_size(UInt(bytes))!
        defer { g_free(text) }
        return String(cString: text)
    }

    /// "12.3 MB of 45.6 MB", or "12.3 MB" without a total.
    public static func amount(done: UInt64, total: UInt64?) -> String {
        guard let total else { return size(done) }
        // TRANSLATORS: amount sent so far of the total, e.g. "12.3 MB of 45.6 MB".
        return tr("%s of %s", size(done), size(total))
    }

    /// "4.5 MB/s".
    public static func rate(_ bytesPerSecond: Double) -> String {
        // TRANSLATORS: transfer rate, e.g. "4.5 MB/s".
        tr("%s/s", size(UInt64(max(0, bytesPerSecond))))
    }

    /// "About 12 seconds left", rounded up to whole seconds, minutes or hours.
    public static func timeLeft(_ seconds: Double) -> String {
        let whole = Int(max(1, seconds.rounded(.up)))
        if whole < 60 {
            return fill(trn("About %s second left", "About %s seconds left", whole), [String(whole)])
        }
        let minutes = (whole + 59) / 60
        if minutes < 60 {
            return fill(trn("About %s minute left", "About %s minutes left", minutes), [String(minutes)])
        }
        let hours = (minutes + 59) / 60
        return fill(trn("About %s hour left", "About %s hours left", hours), [String(hours)])
    }

    /// The status line: amount, then rate and time left once known, joined by em dashes.
    public static func status(_ meter: TransferMeter) -> String {
        var parts = [amount(done: meter.done, total: meter.total)]
        if let bytesPerSecond = meter.bytesPerSecond { parts.append(rate(bytesPerSecond)) }
        if let left = meter.secondsLeft { parts.append(timeLeft(left)) }
        return parts.joined(separator: " — ")
    }
}
