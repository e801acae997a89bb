/* intervm-menu-provider.c: context-menu items that hand the selected local
 * files to the InterVM Copy front ends (qvm-copy, qvm-move, qvm-open-in-dvm,
 * qvm-open-in-vm). Menus and spawning only: the front ends do the work. */
#include <glib/gi18n-lib.h>

#include "intervm-fm.h"
#include "intervm-menu-provider.h"

/* One menu entry: which helper it runs, with which options, on what. */
typedef struct {
    const char *name;         /* unique item (action) name */
    const char *label;        /* msgid, translated at menu time */
    const char *tip;          /* msgid */
    const char *icon;
    const char *program;      /* front end, looked up in BINDIR */
    const char *options[3];   /* options before "--", NULL-terminated */
    gboolean regular_files_only;
    gboolean one_run_per_file; /* else one run with every path */
} IntervmAction;

static const IntervmAction intervm_actions[] = {
    { "IntervmCopy::copy-to-vm", N_("Copy to VM…"),
      N_("Send the selected files to another VM in one transfer"),
      "edit-copy", "qvm-copy", { "--gui", NULL }, FALSE, FALSE },
    { "IntervmCopy::move-to-vm", N_("Move to VM…"),
      N_("Send the selected files to another VM, then remove them here"),
      "edit-cut", "qvm-move", { "--gui", NULL }, FALSE, FALSE },
    { "IntervmCopy::open-in-dispvm", N_("Open in DispVM"),
      N_("Edit the file in a disposable VM and keep the changes"),
      "document-open", "qvm-open-in-dvm", { "--gui", NULL }, TRUE, TRUE },
    { "IntervmCopy::view-in-dispvm", N_("View in DispVM"),
      N_("Open a read-only copy of the file in a disposable VM"),
      "document-open", "qvm-open-in-dvm", { "--gui", "--view-only", NULL }, TRUE, TRUE },
    { "IntervmCopy::open-in-vm", N_("Open in VM…"),
      N_("Open the file in another VM of your choice"),
      "document-open", "qvm-open-in-vm", { "--gui", NULL }, TRUE, TRUE },
};

struct _IntervmMenuProvider {
    GObject parent_instance;
};

static void intervm_menu_provider_iface_init(FmMenuProviderInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED(IntervmMenuProvider, intervm_menu_provider, G_TYPE_OBJECT, 0,
                               G_IMPLEMENT_INTERFACE_DYNAMIC(FM_TYPE_MENU_PROVIDER,
                                                             intervm_menu_provider_iface_init))

/* Full path of an installed front end, or NULL: INTERVM_BINDIR when set
 * (tests), else the configured BINDIR, then PATH. */
static char *find_helper(const char *program)
{
    const char *override = g_getenv("INTERVM_BINDIR");
    const char *dir = (override != NULL && override[0] != '\0') ? override : BINDIR;
    g_autofree char *candidate = g_build_filename(dir, program, NULL);

    if (g_file_test(candidate, G_FILE_TEST_IS_EXECUTABLE) &&
        !g_file_test(candidate, G_FILE_TEST_IS_DIR))
        return g_steal_pointer(&candidate);
    if (override != NULL && override[0] != '\0')
        return NULL;
    return g_find_program_in_path(program);
}

/* The local file an item stands for: its own location for file://, the
 * activation URI for recent://, nothing for any other scheme. */
static GFile *local_file_of(FmFileInfo *info)
{
    g_autofree char *scheme = fm_file_info_get_uri_scheme(info);
    g_autoptr(GFile) file = NULL;

    if (g_strcmp0(scheme, "file") == 0) {
        file = fm_file_info_get_location(info);
    } else if (g_strcmp0(scheme, "recent") == 0) {
        g_autofree char *target = fm_file_info_get_activation_uri(info);
        if (target != NULL && g_strcmp0(g_uri_peek_scheme(target), "file") == 0)
            file = g_file_new_for_uri(target);
    }
    /* GVfs gives remote files a FUSE path too: insist on file://. */
    if (file == NULL || !g_file_has_uri_scheme(file, "file"))
        return NULL;
    return g_steal_pointer(&file);
}

/* What the selection allows: local paths of every item (NULL when any item is
 * not a local, existing file) and whether all of them are regular files. */
static GStrv local_paths_of(GList *files, gboolean *all_regular)
{
    g_autoptr(GStrvBuilder) paths = g_strv_builder_new();

    *all_regular = TRUE;
    if (files == NULL)
        return NULL;
    for (GList *l = files; l != NULL; l = l->next) {
        FmFileInfo *info = l->data;
        if (fm_file_info_is_gone(info))
            return NULL;
        g_autoptr(GFile) file = local_file_of(info);
        if (file == NULL)
            return NULL;
        /* lstat(2): a symlink is copied as a symlink, even a dangling one. */
        GFileType own_type = g_file_query_file_type(file, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL);
        if (own_type != G_FILE_TYPE_REGULAR && own_type != G_FILE_TYPE_DIRECTORY &&
            own_type != G_FILE_TYPE_SYMBOLIC_LINK)
            return NULL; /* gone, or a device, socket or FIFO */
        /* The Open items take the entry itself, never a link's target: an edit
         * comes back as a regular file that replaces the name chosen, so a
         * link planted by an archive must not look like a file to edit. */
        if (own_type != G_FILE_TYPE_REGULAR)
            *all_regular = FALSE;
        g_autofree char *path = g_file_get_path(file);
        if (path == NULL)
            return NULL;
        g_strv_builder_add(paths, path);
    }
    return g_strv_builder_end(paths);
}

/* Runs argv (no shell, absolute program path) and lets GLib reap it. */
static void spawn_helper(const char *const *argv)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GSubprocess) child = g_subprocess_newv(argv, G_SUBPROCESS_FLAGS_NONE, &error);

    if (child == NULL)
        g_warning("InterVM Copy: cannot run %s: %s", argv[0], error->message);
}

/* argv for one run: helper, options, "--", then the paths (so a file named
 * "-rf" is a path, never an option). */
static GStrv helper_argv(const char *helper, const IntervmAction *action,
                         const char *const *paths)
{
    g_autoptr(GStrvBuilder) argv = g_strv_builder_new();

    g_strv_builder_add(argv, helper);
    for (gsize i = 0; action->options[i] != NULL; i++)
        g_strv_builder_add(argv, action->options[i]);
    g_strv_builder_add(argv, "--");
    g_strv_builder_addv(argv, (const char **) paths);
    return g_strv_builder_end(argv);
}

static void on_item_activate(FmMenuItem *item, gpointer user_data)
{
    const IntervmAction *action = user_data;
    const char *helper = g_object_get_data(G_OBJECT(item), "intervm-helper");
    const char *const *paths = g_object_get_data(G_OBJECT(item), "intervm-paths");

    if (action->one_run_per_file) {
        for (gsize i = 0; paths[i] != NULL; i++) {
            const char *one[] = { paths[i], NULL };
            g_auto(GStrv) argv = helper_argv(helper, action, one);
            spawn_helper((const char *const *) argv);
        }
    } else {
        g_auto(GStrv) argv = helper_argv(helper, action, paths);
        spawn_helper((const char *const *) argv);
    }
}

static GList *intervm_menu_provider_get_file_items(FM_FILE_ITEMS_PARAMS(provider G_GNUC_UNUSED),
                                                    GList *files)
{
    gboolean all_regular = TRUE;
    g_auto(GStrv) paths = local_paths_of(files, &all_regular);
    GList *items = NULL;

    if (paths == NULL)
        return NULL;
    for (gsize i = 0; i < G_N_ELEMENTS(intervm_actions); i++) {
        const IntervmAction *action = &intervm_actions[i];
        if (action->regular_files_only && !all_regular)
            continue;
        g_autofree char *helper = find_helper(action->program);
        if (helper == NULL)
            continue; /* hidden, not broken, when the front end is missing */
        FmMenuItem *item = fm_menu_item_new(action->name,
                                            g_dgettext(GETTEXT_PACKAGE, action->label),
                                            g_dgettext(GETTEXT_PACKAGE, action->tip),
                                            action->icon);
        g_object_set_data_full(G_OBJECT(item), "intervm-helper", g_steal_pointer(&helper), g_free);
        g_object_set_data_full(G_OBJECT(item), "intervm-paths", g_strdupv(paths),
                               (GDestroyNotify) g_strfreev);
        g_signal_connect(item, "activate", G_CALLBACK(on_item_activate), (gpointer) action);
        items = g_list_append(items, item);
    }
    return items;
}

static void intervm_menu_provider_iface_init(FmMenuProviderInterface *iface)
{
    iface->get_file_items = intervm_menu_provider_get_file_items;
}

static void intervm_menu_provider_init(IntervmMenuProvider *self G_GNUC_UNUSED)
{
}

static void intervm_menu_provider_class_init(IntervmMenuProviderClass *klass G_GNUC_UNUSED)
{
}

static void intervm_menu_provider_class_finalize(IntervmMenuProviderClass *klass G_GNUC_UNUSED)
{
}

void intervm_menu_provider_register(GTypeModule *module)
{
    intervm_menu_provider_register_type(module);
}
