import CGtk
import Localization

/// The progress window of one transfer: target, bytes done of total, rate, time left, the
/// current file, and Cancel. It stays hidden unless the transfer lasts longer than `delay`.
@MainActor
public final class ProgressDialog {
    /// Transfers shorter than this never show a window.
    public static let delayMilliseconds: UInt32 = 1000

    private let dialog: Widgets.Widget
    private let bar: Widgets.Widget
    private let status: Widgets.Widget
    private let file: Widgets.Widget
    private var meter: TransferMeter
    private var ended = false
    private var finished: () -> Void = {}
    private var cancelled: () -> Void = {}

    public init(title: String, target: String, total: UInt64?) {
        meter = TransferMeter(total: total)
        dialog = Widgets.dialog(title: title, width: 440)
        bar = gtk_progress_bar_new()!
        status = Widgets.label("")
        file = Widgets.label("")
        gtk_label_set_ellipsize(cgtk_label(file), PANGO_ELLIPSIZE_MIDDLE)
        Widgets.dim(file)
        gtk_window_set_resizable(cgtk_window(dialog), 0)

        let content = Widgets.content(dialog)
        // TRANSLATORS: progress window: %s is the VM receiving the files; keep the <b> markup.
        Widgets.pack(content, Widgets.markupLabel(tr("To <b>%s</b>", Widgets.escaped(target))))
        Widgets.pack(content, bar)
        Widgets.pack(content, status)
        Widgets.pack(content, file)
        Widgets.addButton(dialog, tr("_Cancel"), response: GTK_RESPONSE_CANCEL)
        Signal.connect(dialog, "response") { [unowned self] (_: Int32) in cancel() }
        refresh()
    }

    /// Starts the countdown to showing the window and the steady refresh of its text.
    /// `finished` runs at end of input, `cancelled` when the user cancels.
    public func start(finished: @escaping () -> Void, cancelled: @escaping () -> Void) {
        self.finished = finished
        self.cancelled = cancelled
        after(milliseconds: Self.delayMilliseconds) { [unowned self] in
            guard !ended else { return }
            gtk_widget_show_all(dialog)
            gtk_window_present(cgtk_window(dialog))
        }
        // Rate and time left change smoothly when redrawn a few times a second, not per line.
        every(milliseconds: 250) { [unowned self] in
            guard !ended else { return false }
            refresh()
            return true
        }
    }

    /// Applies what the reader saw on stdin.
    public func apply(_ update: ProgressUpdate) {
        guard !ended else { return }
        if let bytes = update.bytes { meter.record(bytes: bytes, at: Self.now()) }
        if let name = update.name { gtk_label_set_text(cgtk_label(file), name) }
        if update.ended {
            ended = true
            gtk_widget_hide(dialog)
            finished()
        }
    }

    private func refresh() {
        gtk_label_set_text(cgtk_label(status), ProgressText.status(meter))
        if let fraction = meter.fraction {
            gtk_progress_bar_set_fraction(cgtk_progress_bar(bar), fraction)
        } else if meter.done > 0 {
            gtk_progress_bar_pulse(cgtk_progress_bar(bar))
        }
    }

    private func cancel() {
        guard !ended else { return }
        ended = true
        gtk_widget_hide(dialog)
        cancelled()
    }

    /// Seconds on the monotonic clock (g_get_monotonic_time).
    private static func now() -> Double { Double(g_get_monotonic_time()) / 1_000_000 }
}
