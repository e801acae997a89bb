import CGtk

/// Small constructors for the widgets the dialogs use, so the dialogs read as layout.
@MainActor
enum Widgets {
    typealias Widget = UnsafeMutablePointer<GtkWidget>

    /// A left-aligned label; `wrap` lets long text break into lines.
    static func label(_ text: String, wrap: Bool = false, selectable: Bool = false) -> Widget {
        let widget = gtk_label_new(text)!
        gtk_label_set_xalign(cgtk_label(widget), 0)
        if wrap {
            gtk_label_set_line_wrap(cgtk_label(widget), 1)
            gtk_label_set_max_width_chars(cgtk_label(widget), 50)
        }
        if selectable { gtk_label_set_selectable(cgtk_label(widget), 1) }
        return widget
    }

    /// A label showing `markup` (Pango markup; values must go through `escaped`).
    static func markupLabel(_ markup: String) -> Widget {
        let widget = label("")
        gtk_label_set_markup(cgtk_label(widget), markup)
        return widget
    }

    /// A label whose `_` letter focuses `target` (Alt+letter).
    static func mnemonicLabel(_ text: String, for target: Widget) -> Widget {
        let widget = gtk_label_new_with_mnemonic(text)!
        gtk_label_set_xalign(cgtk_label(widget), 0)
        gtk_label_set_mnemonic_widget(cgtk_label(widget), target)
        return widget
    }

    /// Dims a label (the "dim-label" style class).
    static func dim(_ widget: Widget) {
        gtk_style_context_add_class(gtk_widget_get_style_context(widget), "dim-label")
    }

    /// `text` made safe for Pango markup (g_markup_escape_text).
    static func escaped(_ text: String) -> String {
        let escaped = g_markup_escape_text(text, -1)!
        defer { g_free(escaped) }
        return String(cString: escaped)
    }

    /// A vertical or horizontal box with `spacing` pixels between children.
    static func box(vertical: Bool, spacing: Int32) -> Widget {
        gtk_box_new(vertical ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL, spacing)!
    }

    /// Appends `child` to `box`; `expand` gives it the spare room.
    static func pack(_ box: Widget, _ child: Widget, expand: Bool = false) {
        gtk_box_pack_start(cgtk_box(box), child, expand ? 1 : 0, expand ? 1 : 0, 0)
    }

    /// A GtkDialog titled `title`, with the standard content margins, not yet shown.
    static func dialog(title: String, width: Int32, height: Int32 = -1) -> Widget {
        let dialog = gtk_dialog_new()!
        gtk_window_set_title(cgtk_window(dialog), title)
        gtk_window_set_default_size(cgtk_window(dialog), width, height)
        gtk_window_set_position(cgtk_window(dialog), GTK_WIN_POS_CENTER)
        let content = gtk_dialog_get_content_area(cgtk_dialog(dialog))!
        gtk_container_set_border_width(cgtk_container(content), 12)
        gtk_box_set_spacing(cgtk_box(content), 12)
        return dialog
    }

    /// Adds a button with `label` (mnemonic) answering `response`; returns the button.
    @discardableResult
    static func addButton(_ dialog: Widget, _ label: String, response: GtkResponseType, suggested: Bool = false, destructive: Bool = false) -> Widget {
        let button = gtk_dialog_add_button(cgtk_dialog(dialog), label, response.rawValue)!
        let style = gtk_widget_get_style_context(button)
        if suggested { gtk_style_context_add_class(style, "suggested-action") }
        if destructive { gtk_style_context_add_class(style, "destructive-action") }
        return button
    }

    /// The dialog's content area (a vertical box).
    static func content(_ dialog: Widget) -> Widget {
        gtk_dialog_get_content_area(cgtk_dialog(dialog))!
    }
}
