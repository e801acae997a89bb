import CGtk
import Localization
import Qrexec

/// The confirmation dom0 shows for a qrexec call with policy `ask`: who calls which service,
/// a choice of target, Deny and Allow. Allow needs a chosen target; nothing is allowed by
/// Enter alone (Allow is not the default button).
@MainActor
public final class AskDialog {
    private let dialog: Widgets.Widget
    private let combo: Widgets.Widget
    private let targets: [String]
    private var allowed: (String) -> Void = { _ in }
    private var denied: () -> Void = {}
    private var decided = false

    /// `targets` are offered in order; `preselected` is chosen at start when it is one of them.
    public init(source: String, service: String, targets: [String], preselected: String?) {
        self.targets = targets
        dialog = Widgets.dialog(title: tr("Allow inter-VM operation?"), width: 420)
        combo = gtk_combo_box_text_new()!
        for target in targets {
            let title = TargetChoice(target: target, origin: .special).title
            gtk_combo_box_text_append_text(cgtk_combo_box_text(combo), title == target ? target : title + " (" + target + ")")
        }
        if let preselected, let index = targets.firstIndex(of: preselected) {
            gtk_combo_box_set_active(cgtk_combo_box(combo), Int32(index))
        }

        let content = Widgets.content(dialog)
        let question = Widgets.markupLabel(tr(
            // TRANSLATORS: the calling VM, then the qrexec service (e.g. qubes.Filecopy); keep the <b> markup.
            "<b>%s</b> asks to run <b>%s</b>. Allow it, and in which VM?",
            Widgets.escaped(source), Widgets.escaped(service)))
        gtk_label_set_line_wrap(cgtk_label(question), 1)
        gtk_label_set_max_width_chars(cgtk_label(question), 50)
        Widgets.pack(content, question)
        let line = Widgets.box(vertical: false, spacing: 12)
        Widgets.pack(line, Widgets.mnemonicLabel(tr("_Target:"), for: combo))
        Widgets.pack(line, combo, expand: true)
        Widgets.pack(content, line)

        Widgets.addButton(dialog, tr("_Deny"), response: GTK_RESPONSE_CANCEL)
        Widgets.addButton(dialog, tr("_Allow"), response: GTK_RESPONSE_OK)
        gtk_dialog_set_default_response(cgtk_dialog(dialog), GTK_RESPONSE_CANCEL.rawValue)
        updateAllowable()
        Signal.connect(combo, "changed") { [unowned self] in updateAllowable() }
        Signal.connect(dialog, "response") { [unowned self] (response: Int32) in
            guard !decided else { return }
            if response == GTK_RESPONSE_OK.rawValue, let target = chosenTarget {
                decided = true
                gtk_widget_hide(dialog)
                allowed(target)
            } else if response != GTK_RESPONSE_OK.rawValue {
                decided = true
                gtk_widget_hide(dialog)
                denied()
            }
        }
    }

    /// Shows the dialog with the target choice focused.
    public func show(allowed: @escaping (String) -> Void, denied: @escaping () -> Void) {
        self.allowed = allowed
        self.denied = denied
        gtk_widget_show_all(dialog)
        gtk_widget_grab_focus(combo)
        gtk_window_present(cgtk_window(dialog))
    }

    private var chosenTarget: String? {
        let index = Int(gtk_combo_box_get_active(cgtk_combo_box(combo)))
        return targets.indices.contains(index) ? targets[index] : nil
    }

    private func updateAllowable() {
        gtk_dialog_set_response_sensitive(cgtk_dialog(dialog), GTK_RESPONSE_OK.rawValue, chosenTarget == nil ? 0 : 1)
    }
}
