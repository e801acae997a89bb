// GTK 3 for Swift: the type casts, signal connections and variadic constructors that are C
// macros or varargs functions, as small inline functions. No logic.
#ifndef INTERVM_CGTK_SHIM_H
#define INTERVM_CGTK_SHIM_H

#include <gtk/gtk.h>

// Checked GObject casts (GTK_WINDOW() and friends are macros).
static inline GtkWidget *cgtk_widget(gpointer p) { return GTK_WIDGET(p); }
static inline GtkWindow *cgtk_window(gpointer p) { return GTK_WINDOW(p); }
static inline GtkDialog *cgtk_dialog(gpointer p) { return GTK_DIALOG(p); }
static inline GtkContainer *cgtk_container(gpointer p) { return GTK_CONTAINER(p); }
static inline GtkBox *cgtk_box(gpointer p) { return GTK_BOX(p); }
static inline GtkGrid *cgtk_grid(gpointer p) { return GTK_GRID(p); }
static inline GtkLabel *cgtk_label(gpointer p) { return GTK_LABEL(p); }
static inline GtkEntry *cgtk_entry(gpointer p) { return GTK_ENTRY(p); }
static inline GtkListBox *cgtk_list_box(gpointer p) { return GTK_LIST_BOX(p); }
static inline GtkListBoxRow *cgtk_list_box_row(gpointer p) { return GTK_LIST_BOX_ROW(p); }
static inline GtkScrolledWindow *cgtk_scrolled_window(gpointer p) { return GTK_SCROLLED_WINDOW(p); }
static inline GtkProgressBar *cgtk_progress_bar(gpointer p) { return GTK_PROGRESS_BAR(p); }
static inline GtkExpander *cgtk_expander(gpointer p) { return GTK_EXPANDER(p); }
static inline GtkComboBox *cgtk_combo_box(gpointer p) { return GTK_COMBO_BOX(p); }
static inline GtkComboBoxText *cgtk_combo_box_text(gpointer p) { return GTK_COMBO_BOX_TEXT(p); }
static inline GtkMessageDialog *cgtk_message_dialog(gpointer p) { return GTK_MESSAGE_DIALOG(p); }
static inline GtkTreeModel *cgtk_tree_model(gpointer p) { return GTK_TREE_MODEL(p); }
static inline GObject *cgtk_object(gpointer p) { return G_OBJECT(p); }

// G_TYPE_STRING is a macro.
static inline GType cgtk_type_string(void) { return G_TYPE_STRING; }

// Signal handlers by shape (g_signal_connect is a macro over g_signal_connect_data).
typedef void (*cgtk_handler)(gpointer instance, gpointer data);
typedef void (*cgtk_int_handler)(gpointer instance, gint value, gpointer data);
typedef void (*cgtk_pointer_handler)(gpointer instance, gpointer argument, gpointer data);
typedef gboolean (*cgtk_event_handler)(gpointer instance, GdkEvent *event, gpointer data);

static inline gulong cgtk_connect(gpointer instance, const char *signal, cgtk_handler handler, gpointer data, GClosureNotify release) {
    return g_signal_connect_data(instance, signal, G_CALLBACK(handler), data, release, 0);
}
static inline gulong cgtk_connect_int(gpointer instance, const char *signal, cgtk_int_handler handler, gpointer data, GClosureNotify release) {
    return g_signal_connect_data(instance, signal, G_CALLBACK(handler), data, release, 0);
}
static inline gulong cgtk_connect_pointer(gpointer instance, const char *signal, cgtk_pointer_handler handler, gpointer data, GClosureNotify release) {
    return g_signal_connect_data(instance, signal, G_CALLBACK(handler), data, release, 0);
}
static inline gulong cgtk_connect_event(gpointer instance, const char *signal, cgtk_event_handler handler, gpointer data, GClosureNotify release) {
    return g_signal_connect_data(instance, signal, G_CALLBACK(handler), data, release, 0);
}

// gtk_message_dialog_new and its secondary text take printf formats.
static inline GtkWidget *cgtk_message_dialog_new(GtkMessageType type, GtkButtonsType buttons, const char *text) {
    return gtk_message_dialog_new(NULL, 0, type, buttons, "%s", text);
}
static inline void cgtk_message_dialog_secondary(GtkMessageDialog *dialog, const char *text) {
    gtk_message_dialog_format_secondary_text(dialog, "%s", text);
}

// org.freedesktop.Notifications.Notify parameters (g_variant_new is variadic):
// app name, replaces id 0, icon, summary, body, no actions, one hint ("desktop-entry": the
// desktop file id, so the server can group and badge it), timeout in ms (-1 = server's).
static inline GVariant *cgtk_notify_parameters(const char *app, const char *desktop_entry, const char *icon, const char *summary, const char *body, gint32 timeout) {
    const char *no_actions[] = { NULL };
    GVariantBuilder hints;
    g_variant_builder_init(&hints, G_VARIANT_TYPE("a{sv}"));
    g_variant_builder_add(&hints, "{sv}", "desktop-entry", g_variant_new_string(desktop_entry));
    return g_variant_new("(susss^asa{sv}i)", app, (guint32)0, icon, summary, body, no_actions, &hints, timeout);
}

#endif
