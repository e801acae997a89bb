import CGtk
import DisplayText
import Localization

/// A message with OK: the outcome of a transfer when no notification can be shown, or an
/// error with one plain sentence and the technical details in an expander.
@MainActor
public final class MessageDialog {
    public enum Kind: Sendable {
        case success, error
    }

    private let dialog: Widgets.Widget

    public init(kind: Kind, summary untrustedSummary: String, details untrustedDetails: String?) {
        // The texts come from another program's command line (and its child's stderr): no
        // control character reaches the window.
        let summary = DisplayText.guarded(untrustedSummary)
        let details = untrustedDetails.map(DisplayText.guarded)
        let type = kind == .error ? GTK_MESSAGE_ERROR : GTK_MESSAGE_INFO
        dialog = cgtk_message_dialog_new(type, GTK_BUTTONS_OK, summary)
        gtk_window_set_title(cgtk_window(dialog), kind == .error ? tr("Transfer failed") : tr("Transfer complete"))
        gtk_window_set_position(cgtk_window(dialog), GTK_WIN_POS_CENTER)
        // The sentence in bold, as GNOME shows a message's primary text.
        gtk_message_dialog_set_markup(cgtk_message_dialog(dialog), "<b>" + Widgets.escaped(summary) + "</b>")
        if let details, !details.isEmpty {
            let area = gtk_message_dialog_get_message_area(cgtk_message_dialog(dialog))!
            let expander = gtk_expander_new_with_mnemonic(tr("_Details"))!
            let text = Widgets.label(details, wrap: true, selectable: true)
            gtk_widget_set_margin_top(text, 6)
            let scrolled = gtk_scrolled_window_new(nil, nil)!
            gtk_scrolled_window_set_policy(cgtk_scrolled_window(scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC)
            gtk_scrolled_window_set_propagate_natural_height(cgtk_scrolled_window(scrolled), 1)
            gtk_scrolled_window_set_max_content_height(cgtk_scrolled_window(scrolled), 200)
            gtk_container_add(cgtk_container(scrolled), text)
            gtk_container_add(cgtk_container(expander), scrolled)
            Widgets.pack(area, expander)
        }
    }

    /// Shows the dialog; `closed` runs on OK, Escape or close.
    public func show(closed: @escaping () -> Void) {
        Signal.connect(dialog, "response") { [unowned self] (_: Int32) in
            gtk_widget_hide(dialog)
            closed()
        }
        gtk_widget_show_all(dialog)
        // OK has the focus, so Enter closes the dialog even when there is a Details expander
        // (which would otherwise take the focus and swallow Enter).
        gtk_dialog_set_default_response(cgtk_dialog(dialog), Int32(GTK_RESPONSE_OK.rawValue))
        if let ok = gtk_dialog_get_widget_for_response(cgtk_dialog(dialog), Int32(GTK_RESPONSE_OK.rawValue)) {
            gtk_widget_grab_focus(ok)
        }
        gtk_window_present(cgtk_window(dialog))
    }
}
