import CGtk
import Localization
import Qrexec

/// The target picker: an entry with completion over a list of choices, Cancel and OK.
///
/// OK (and Enter) only accept a valid target (`TargetName.isValidTarget`). Choosing a row puts
/// its target in the entry; activating a row (double click, Enter) accepts it at once.
@MainActor
public final class PickerDialog {
    /// What the buttons say, from the caller's `--action`.
    public enum Action: String, Sendable, CaseIterable {
        case copy, move, open

        var buttonLabel: String {
            switch self {
            case .copy: tr("_Copy")
            case .move: tr("_Move")
            case .open: tr("_Open")
            }
        }
    }

    private let dialog: Widgets.Widget
    private let entry: Widgets.Widget
    private let list: Widgets.Widget
    private let choices: [TargetChoice]
    private var chosen: (String) -> Void = { _ in }
    private var cancelled: () -> Void = {}
    private var decided = false

    public init(title: String, action: Action?, choices: [TargetChoice]) {
        self.choices = choices
        dialog = Widgets.dialog(title: title, width: 400, height: 440)
        entry = gtk_entry_new()!
        list = gtk_list_box_new()!
        build(action: action)
    }

    /// Shows the dialog; `chosen` gets the accepted target, `cancelled` runs on Cancel,
    /// Escape or close. Exactly one of them is called, once.
    public func show(chosen: @escaping (String) -> Void, cancelled: @escaping () -> Void) {
        self.chosen = chosen
        self.cancelled = cancelled
        gtk_widget_show_all(dialog)
        gtk_widget_grab_focus(entry)
        gtk_window_present(cgtk_window(dialog))
    }

    /// The entry's text, trimmed.
    private var enteredTarget: String {
        String(cString: gtk_entry_get_text(cgtk_entry(entry))).trimmingWhitespace
    }

    private func build(action: Action?) {
        let content = Widgets.content(dialog)
        Widgets.addButton(dialog, tr("_Cancel"), response: GTK_RESPONSE_CANCEL)
        Widgets.addButton(dialog, action?.buttonLabel ?? tr("_OK"), response: GTK_RESPONSE_OK, suggested: true)
        gtk_dialog_set_default_response(cgtk_dialog(dialog), GTK_RESPONSE_OK.rawValue)

        gtk_entry_set_placeholder_text(cgtk_entry(entry), tr("VM name"))
        gtk_entry_set_completion(cgtk_entry(entry), completion())
        Widgets.pack(content, Widgets.mnemonicLabel(tr("_Target VM:"), for: entry))
        Widgets.pack(content, entry)

        gtk_list_box_set_selection_mode(cgtk_list_box(list), GTK_SELECTION_SINGLE)
        gtk_list_box_set_activate_on_single_click(cgtk_list_box(list), 0)
        for choice in choices { gtk_container_add(cgtk_container(list), row(choice)) }
        let scrolled = gtk_scrolled_window_new(nil, nil)!
        gtk_scrolled_window_set_policy(cgtk_scrolled_window(scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC)
        gtk_scrolled_window_set_shadow_type(cgtk_scrolled_window(scrolled), GTK_SHADOW_IN)
        gtk_container_add(cgtk_container(scrolled), list)
        Widgets.pack(content, Widgets.mnemonicLabel(tr("_Recent and available VMs:"), for: list))
        Widgets.pack(content, scrolled, expand: true)

        updateAcceptable()
        Signal.connect(entry, "changed") { [unowned self] in
            updateAcceptable()
            // Typing away from the chosen row unselects it, so choosing it again fills the entry.
            if let row = gtk_list_box_get_selected_row(cgtk_list_box(list)), target(of: row) != enteredTarget {
                gtk_list_box_unselect_all(cgtk_list_box(list))
            }
        }
        Signal.connect(entry, "activate") { [unowned self] in accept() }
        Signal.connect(list, "row-selected") { [unowned self] (row: gpointer?) in
            guard let row else { return }
            gtk_entry_set_text(cgtk_entry(entry), target(of: row))
        }
        Signal.connect(list, "row-activated") { [unowned self] (row: gpointer?) in
            guard let row else { return }
            gtk_entry_set_text(cgtk_entry(entry), target(of: row))
            accept()
        }
        Signal.connect(dialog, "response") { [unowned self] (response: Int32) in
            if response == GTK_RESPONSE_OK.rawValue { accept() } else { cancel() }
        }
    }

    /// One list row: the title, and a dimmed note on the right.
    private func row(_ choice: TargetChoice) -> Widgets.Widget {
        let line = Widgets.box(vertical: false, spacing: 12)
        let title = Widgets.label(choice.title)
        let note = Widgets.label(choice.note)
        Widgets.dim(note)
        Widgets.pack(line, title, expand: true)
        gtk_box_pack_end(cgtk_box(line), note, 0, 0, 0)
        gtk_widget_set_margin_start(line, 8)
        gtk_widget_set_margin_end(line, 8)
        gtk_widget_set_margin_top(line, 6)
        gtk_widget_set_margin_bottom(line, 6)
        return line
    }

    /// The target of a list row (rows are in `choices` order).
    private func target(of row: gpointer) -> String {
        choices[Int(gtk_list_box_row_get_index(cgtk_list_box_row(row)))].target
    }

    /// Completion over the choices' targets (GtkEntryCompletion on a one-column list store).
    private func completion() -> UnsafeMutablePointer<GtkEntryCompletion> {
        var stringType = cgtk_type_string()
        let store = gtk_list_store_newv(1, &stringType)!
        for choice in choices {
            var iterator = GtkTreeIter()
            gtk_list_store_append(store, &iterator)
            var value = GValue()
            g_value_init(&value, cgtk_type_string())
            g_value_set_string(&value, choice.target)
            gtk_list_store_set_value(store, &iterator, 0, &value)
            g_value_unset(&value)
        }
        let completion = gtk_entry_completion_new()!
        gtk_entry_completion_set_model(completion, cgtk_tree_model(store))
        gtk_entry_completion_set_text_column(completion, 0)
        gtk_entry_completion_set_inline_completion(completion, 0)
        gtk_entry_completion_set_popup_single_match(completion, 0)
        g_object_unref(store)
        return completion
    }

    /// OK is sensitive only for a valid target.
    private func updateAcceptable() {
        let valid = TargetName.isValidTarget(enteredTarget)
        gtk_dialog_set_response_sensitive(cgtk_dialog(dialog), GTK_RESPONSE_OK.rawValue, valid ? 1 : 0)
    }

    private func accept() {
        let target = enteredTarget
        guard !decided else { return }
        guard TargetName.isValidTarget(target) else {
            gtk_widget_error_bell(entry)
            return
        }
        decided = true
        gtk_widget_hide(dialog)
        chosen(target)
    }

    private func cancel() {
        guard !decided else { return }
        decided = true
        gtk_widget_hide(dialog)
        cancelled()
    }
}
