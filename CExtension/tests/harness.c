/* harness.c: loads the built extension the way the file manager does
 * (g_module_open, *_module_initialize with a GTypeModule, *_module_list_types),
 * asks the provider for menu items for selections of real temporary files,
 * and activates them against recording helper scripts.
 *
 *   harness MODULE.so            behaviour tests
 *   harness --german MODULE.so   labels under LANGUAGE=de (skipped when no
 *                                German catalogue is found under LOCALEDIR)
 *
 * Environment: LOCALEDIR overrides where the intervm-copy catalogue is looked
 * up. Prints one line per test and a closing "N passed, N failed" line. */
#include <errno.h>
#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "intervm-fm.h"

#define HOST_DOMAIN "intervm-harness-host"

static const char *const all_labels[] = {
    "Copy to VM…", "Move to VM…", "Open in DispVM", "View in DispVM", "Open in VM…", NULL
};
static const char *const copy_move_labels[] = { "Copy to VM…", "Move to VM…", NULL };
static const char *const no_labels[] = { NULL };
static const char *const helpers[] = {
    "qvm-copy", "qvm-move", "qvm-open-in-dvm", "qvm-open-in-vm", NULL
};

/* ---- The module, loaded like NautilusModule / NemoModule / CajaModule ---- */

typedef struct {
    GTypeModule parent_instance;
    char *path;
    GModule *library;
    void (*initialize)(GTypeModule *module);
    void (*shutdown)(void);
    void (*list_types)(const GType **types, int *n_types);
} HarnessModule;
typedef GTypeModuleClass HarnessModuleClass;
GType harness_module_get_type(void);

G_DEFINE_TYPE(HarnessModule, harness_module, G_TYPE_TYPE_MODULE)

static gboolean harness_module_load(GTypeModule *type_module)
{
    HarnessModule *self = (HarnessModule *) type_module;

    self->library = g_module_open(self->path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
    if (self->library == NULL) {
        g_printerr("g_module_open %s: %s\n", self->path, g_module_error());
        return FALSE;
    }
    if (!g_module_symbol(self->library, FM_MODULE_INITIALIZE_NAME, (gpointer *) &self->initialize) ||
        !g_module_symbol(self->library, FM_MODULE_SHUTDOWN_NAME, (gpointer *) &self->shutdown) ||
        !g_module_symbol(self->library, FM_MODULE_LIST_TYPES_NAME, (gpointer *) &self->list_types)) {
        g_printerr("%s: missing entry point: %s\n", self->path, g_module_error());
        g_module_close(self->library);
        return FALSE;
    }
    self->initialize(type_module);
    return TRUE;
}

static void harness_module_unload(GTypeModule *type_module)
{
    HarnessModule *self = (HarnessModule *) type_module;
    self->shutdown();
    g_module_close(self->library);
    self->library = NULL;
}

static void harness_module_class_init(HarnessModuleClass *klass)
{
    klass->load = harness_module_load;
    klass->unload = harness_module_unload;
}

static void harness_module_init(HarnessModule *self G_GNUC_UNUSED)
{
}

/* ---- A file-info object backed by a real path (or a remote URI) ---- */

typedef struct {
    GObject parent_instance;
    char *uri;            /* what the file manager shows (file://, recent://, sftp://) */
    char *activation_uri; /* where it leads; NULL = uri */
    char *backing_path;   /* local file the info describes; NULL for remote */
    gboolean forced_gone; /* the file manager already knows it is gone */
} HarnessFile;
typedef GObjectClass HarnessFileClass;
GType harness_file_get_type(void);

static void harness_file_info_iface_init(FM_FILE_INFO_IFACE *iface);

G_DEFINE_TYPE_WITH_CODE(HarnessFile, harness_file, G_TYPE_OBJECT,
                        G_IMPLEMENT_INTERFACE(FM_TYPE_FILE_INFO, harness_file_info_iface_init))

#define HF(info) ((HarnessFile *) (info))

static void harness_file_finalize(GObject *object)
{
    HarnessFile *self = HF(object);
    g_free(self->uri);
    g_free(self->activation_uri);
    g_free(self->backing_path);
    G_OBJECT_CLASS(harness_file_parent_class)->finalize(object);
}

static void harness_file_class_init(HarnessFileClass *klass)
{
    klass->finalize = harness_file_finalize;
}

static void harness_file_init(HarnessFile *self G_GNUC_UNUSED)
{
}

static gboolean hf_is_gone(FmFileInfo *info)
{
    struct stat st;
    if (HF(info)->forced_gone)
        return TRUE;
    return HF(info)->backing_path != NULL && lstat(HF(info)->backing_path, &st) != 0;
}

static char *hf_get_uri(FmFileInfo *info) { return g_strdup(HF(info)->uri); }
static char *hf_get_uri_scheme(FmFileInfo *info) { return g_uri_parse_scheme(HF(info)->uri); }

static char *hf_get_activation_uri(FmFileInfo *info)
{
    return g_strdup(HF(info)->activation_uri != NULL ? HF(info)->activation_uri : HF(info)->uri);
}

static GFile *hf_get_location(FmFileInfo *info) { return g_file_new_for_uri(HF(info)->uri); }

static char *hf_get_name(FmFileInfo *info)
{
    g_autoptr(GFile) file = g_file_new_for_uri(HF(info)->uri);
    return g_file_get_basename(file);
}

static GFile *hf_get_parent_location(FmFileInfo *info)
{
    g_autoptr(GFile) file = g_file_new_for_uri(HF(info)->uri);
    return g_file_get_parent(file);
}

static char *hf_get_parent_uri(FmFileInfo *info)
{
    g_autoptr(GFile) parent = hf_get_parent_location(info);
    return parent != NULL ? g_file_get_uri(parent) : g_strdup("");
}

static GFileType hf_get_file_type(FmFileInfo *info)
{
    if (HF(info)->backing_path == NULL)
        return G_FILE_TYPE_REGULAR; /* remote files claim to be plain files */
    g_autoptr(GFile) file = g_file_new_for_path(HF(info)->backing_path);
    return g_file_query_file_type(file, G_FILE_QUERY_INFO_NONE, NULL);
}

static gboolean hf_is_directory(FmFileInfo *info) { return hf_get_file_type(info) == G_FILE_TYPE_DIRECTORY; }
static char *hf_get_mime_type(FmFileInfo *info G_GNUC_UNUSED) { return g_strdup("application/octet-stream"); }
static gboolean hf_is_mime_type(FmFileInfo *info G_GNUC_UNUSED, const char *type)
{
    return g_strcmp0(type, "application/octet-stream") == 0;
}
static void hf_add_emblem(FmFileInfo *info G_GNUC_UNUSED, const char *name G_GNUC_UNUSED) {}
static char *hf_get_string_attribute(FmFileInfo *info G_GNUC_UNUSED, const char *name G_GNUC_UNUSED) { return NULL; }
static void hf_add_string_attribute(FmFileInfo *info G_GNUC_UNUSED, const char *name G_GNUC_UNUSED,
                                    const char *value G_GNUC_UNUSED) {}
static void hf_invalidate(FmFileInfo *info G_GNUC_UNUSED) {}
static FmFileInfo *hf_get_parent_info(FmFileInfo *info G_GNUC_UNUSED) { return NULL; }
static GMount *hf_get_mount(FmFileInfo *info G_GNUC_UNUSED) { return NULL; }
static gboolean hf_can_write(FmFileInfo *info G_GNUC_UNUSED) { return TRUE; }

static void harness_file_info_iface_init(FM_FILE_INFO_IFACE *iface)
{
    iface->is_gone = hf_is_gone;
    iface->get_name = hf_get_name;
    iface->get_uri = hf_get_uri;
    iface->get_parent_uri = hf_get_parent_uri;
    iface->get_uri_scheme = hf_get_uri_scheme;
    iface->get_mime_type = hf_get_mime_type;
    iface->is_mime_type = hf_is_mime_type;
    iface->is_directory = hf_is_directory;
    iface->add_emblem = hf_add_emblem;
    iface->get_string_attribute = hf_get_string_attribute;
    iface->add_string_attribute = hf_add_string_attribute;
    iface->invalidate_extension_info = hf_invalidate;
    iface->get_activation_uri = hf_get_activation_uri;
    iface->get_file_type = hf_get_file_type;
    iface->get_location = hf_get_location;
    iface->get_parent_location = hf_get_parent_location;
    iface->get_parent_info = hf_get_parent_info;
    iface->get_mount = hf_get_mount;
    iface->can_write = hf_can_write;
}

static HarnessFile *file_info_new(const char *uri, const char *activation_uri, const char *backing_path)
{
    HarnessFile *self = g_object_new(harness_file_get_type(), NULL);
    self->uri = g_strdup(uri);
    self->activation_uri = g_strdup(activation_uri);
    self->backing_path = g_strdup(backing_path);
    return self;
}

/* A file:// info for a local path. */
static HarnessFile *local_info(const char *path)
{
    g_autofree char *uri = g_filename_to_uri(path, NULL, NULL);
    return file_info_new(uri, NULL, path);
}

/* ---- Fixture: temp tree, recording helpers, the provider ---- */

static struct {
    char *root;       /* temp dir */
    char *files;      /* selected files live here */
    char *bin;        /* recording helpers (INTERVM_BINDIR) */
    char *records;    /* INTERVM_RECORD_DIR: one NUL-separated argv per run */
    GObject *provider;
    int passed, failed, skipped;
    gboolean current_ok;
} fx;

static void fail(const char *format, ...) G_GNUC_PRINTF(1, 2);
static void fail(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    g_autofree char *message = g_strdup_vprintf(format, args);
    va_end(args);
    g_print("    %s\n", message);
    fx.current_ok = FALSE;
}

#define CHECK(cond, ...) do { if (!(cond)) fail(__VA_ARGS__); } while (0)

static char *fixture_path(const char *name) { return g_build_filename(fx.files, name, NULL); }

static char *make_file(const char *name, const char *content)
{
    char *path = fixture_path(name);
    g_autoptr(GError) error = NULL;
    if (!g_file_set_contents(path, content, -1, &error))
        g_error("write %s: %s", path, error->message);
    return path;
}

static char *make_dir(const char *name)
{
    char *path = fixture_path(name);
    if (g_mkdir_with_parents(path, 0755) != 0)
        g_error("mkdir %s: %s", path, g_strerror(errno));
    return path;
}

static const char recorder_script[] =
    "#!/bin/sh\n"
    "# Records its argv (NUL-terminated entries) into $INTERVM_RECORD_DIR.\n"
    "tmp=\"$INTERVM_RECORD_DIR/.$$.tmp\"\n"
    "printf '%s\\0' \"$0\" \"$@\" > \"$tmp\" && mv \"$tmp\" \"$INTERVM_RECORD_DIR/$$.argv\"\n";

static void install_helpers(const char *const *names)
{
    g_autoptr(GDir) dir = g_dir_open(fx.bin, 0, NULL);
    const char *entry;
    while (dir != NULL && (entry = g_dir_read_name(dir)) != NULL) {
        g_autofree char *old = g_build_filename(fx.bin, entry, NULL);
        g_unlink(old);
    }
    for (gsize i = 0; names[i] != NULL; i++) {
        g_autofree char *path = g_build_filename(fx.bin, names[i], NULL);
        g_autoptr(GError) error = NULL;
        if (!g_file_set_contents(path, recorder_script, -1, &error))
            g_error("write %s: %s", path, error->message);
        g_chmod(path, 0755);
    }
}

static void clear_records(void)
{
    g_autoptr(GDir) dir = g_dir_open(fx.records, 0, NULL);
    const char *entry;
    while ((entry = g_dir_read_name(dir)) != NULL) {
        g_autofree char *path = g_build_filename(fx.records, entry, NULL);
        g_unlink(path);
    }
}

/* Completed records (argv arrays), waiting up to 10 s for `expected` of them
 * and then 300 ms more so that an extra run would be seen. */
static GPtrArray *wait_for_records(guint expected)
{
    GPtrArray *records = g_ptr_array_new_with_free_func((GDestroyNotify) g_strfreev);
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
    gboolean settled = FALSE;

    for (;;) {
        g_ptr_array_set_size(records, 0);
        g_autoptr(GDir) dir = g_dir_open(fx.records, 0, NULL);
        const char *entry;
        while ((entry = g_dir_read_name(dir)) != NULL) {
            if (!g_str_has_suffix(entry, ".argv"))
                continue;
            g_autofree char *path = g_build_filename(fx.records, entry, NULL);
            g_autofree char *data = NULL;
            gsize length = 0;
            if (!g_file_get_contents(path, &data, &length, NULL))
                continue;
            g_autoptr(GStrvBuilder) argv = g_strv_builder_new();
            for (gsize start = 0; start < length;) {
                g_strv_builder_add(argv, data + start);
                start += strlen(data + start) + 1;
            }
            g_ptr_array_add(records, g_strv_builder_end(argv));
        }
        if (records->len >= expected) {
            if (settled)
                break;
            settled = TRUE;
            g_usleep(300 * 1000);
            continue;
        }
        if (g_get_monotonic_time() > deadline)
            break;
        g_usleep(20 * 1000);
    }
    return records;
}

static GList *items_for(GList *selection)
{
    return fm_menu_provider_get_file_items(FM_FILE_ITEMS_ARGS((FmMenuProvider *) fx.provider), selection);
}

static char *item_string(gpointer item, const char *property)
{
    char *value = NULL;
    g_object_get(item, property, &value, NULL);
    return value;
}

/* The labels of the items, in order. */
static GStrv labels_of(GList *items)
{
    g_autoptr(GStrvBuilder) labels = g_strv_builder_new();
    for (GList *l = items; l != NULL; l = l->next) {
        g_autofree char *label = item_string(l->data, "label");
        g_strv_builder_add(labels, label);
    }
    return g_strv_builder_end(labels);
}

static gpointer find_item(GList *items, const char *label)
{
    for (GList *l = items; l != NULL; l = l->next) {
        g_autofree char *value = item_string(l->data, "label");
        if (g_strcmp0(value, label) == 0)
            return l->data;
    }
    return NULL;
}

static void free_selection(GList *selection) { g_list_free_full(selection, g_object_unref); }

/* Items offered for `selection` have exactly `expected` labels, in order. */
static void expect_labels(GList *selection, const char *const *expected)
{
    GList *items = items_for(selection);
    g_auto(GStrv) labels = labels_of(items);
    if (!g_strv_equal((const char *const *) labels, expected)) {
        g_autofree char *got = g_strjoinv(" | ", labels);
        g_autofree char *want = g_strjoinv(" | ", (char **) expected);
        fail("labels [%s], expected [%s]", got, want);
    }
    g_list_free_full(items, g_object_unref);
}

static char *argv_text(const char *const *argv)
{
    GString *text = g_string_new("");
    for (gsize i = 0; argv[i] != NULL; i++) {
        g_autofree char *quoted = g_strescape(argv[i], NULL);
        g_string_append_printf(text, "%s\"%s\"", i ? " " : "", quoted);
    }
    return g_string_free(text, FALSE);
}

static int compare_argv(gconstpointer a, gconstpointer b)
{
    g_autofree char *ta = argv_text(*(const char *const *const *) a);
    g_autofree char *tb = argv_text(*(const char *const *const *) b);
    return g_strcmp0(ta, tb);
}

/* Activates the item labelled `label` and expects exactly the runs `expected`
 * (any order): each an argv starting with the helper's full path. */
static void expect_runs(GList *selection, const char *label, GPtrArray *expected)
{
    GList *items = items_for(selection);
    gpointer item = find_item(items, label);
    clear_records();
    if (item == NULL) {
        fail("no item \"%s\"", label);
    } else {
        g_signal_emit_by_name(item, "activate");
        g_autoptr(GPtrArray) records = wait_for_records(expected->len);
        g_ptr_array_sort(records, compare_argv);
        g_ptr_array_sort(expected, compare_argv);
        gboolean same = records->len == expected->len;
        for (guint i = 0; same && i < records->len; i++)
            same = g_strv_equal(records->pdata[i], expected->pdata[i]);
        if (!same) {
            g_print("    %s ran %u time(s):\n", label, records->len);
            for (guint i = 0; i < records->len; i++) {
                g_autofree char *text = argv_text(records->pdata[i]);
                g_print("      got  %s\n", text);
            }
            for (guint i = 0; i < expected->len; i++) {
                g_autofree char *text = argv_text(expected->pdata[i]);
                g_print("      want %s\n", text);
            }
            fail("\"%s\" did not spawn the expected argv", label);
        }
    }
    g_list_free_full(items, g_object_unref);
}

/* An argv: helper name (resolved in the recording bin dir), then the rest. */
static GStrv run_of(const char *helper, ...) G_GNUC_NULL_TERMINATED;
static GStrv run_of(const char *helper, ...)
{
    g_autoptr(GStrvBuilder) argv = g_strv_builder_new();
    g_autofree char *program = g_build_filename(fx.bin, helper, NULL);
    va_list args;
    g_strv_builder_add(argv, program);
    va_start(args, helper);
    for (const char *arg = va_arg(args, const char *); arg != NULL; arg = va_arg(args, const char *))
        g_strv_builder_add(argv, arg);
    va_end(args);
    return g_strv_builder_end(argv);
}

static GPtrArray *runs(GStrv first, ...)
{
    GPtrArray *list = g_ptr_array_new_with_free_func((GDestroyNotify) g_strfreev);
    va_list args;
    va_start(args, first);
    for (GStrv run = first; run != NULL; run = va_arg(args, GStrv))
        g_ptr_array_add(list, run);
    va_end(args);
    return list;
}

/* ---- Tests ---- */

static void test_registers_one_menu_provider(void)
{
    CHECK(G_TYPE_CHECK_INSTANCE_TYPE(fx.provider, FM_TYPE_MENU_PROVIDER),
          "listed type does not implement the menu provider interface");
}

static void test_host_text_domain_untouched(void)
{
    CHECK(g_strcmp0(textdomain(NULL), HOST_DOMAIN) == 0,
          "textdomain() is now \"%s\", expected the host's \"%s\"", textdomain(NULL), HOST_DOMAIN);
}

static void test_regular_file_gets_all_items(void)
{
    g_autofree char *path = make_file("report.txt", "text\n");
    GList *selection = g_list_append(NULL, local_info(path));
    expect_labels(selection, all_labels);

    GList *items = items_for(selection);
    g_autoptr(GHashTable) names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (GList *l = items; l != NULL; l = l->next) {
        char *name = item_string(l->data, "name");
        g_autofree char *tip = item_string(l->data, "tip");
        CHECK(name != NULL && g_hash_table_add(names, name), "item name missing or repeated");
        CHECK(tip != NULL && tip[0] != '\0', "item without a tip");
    }
    g_list_free_full(items, g_object_unref);
    free_selection(selection);
}

static void test_directory_gets_copy_and_move_only(void)
{
    g_autofree char *path = make_dir("folder");
    GList *selection = g_list_append(NULL, local_info(path));
    expect_labels(selection, copy_move_labels);
    free_selection(selection);
}

static void test_mixed_file_and_directory_gets_copy_and_move_only(void)
{
    g_autofree char *file = make_file("mixed.txt", "x");
    g_autofree char *dir = make_dir("mixed-dir");
    GList *selection = g_list_append(NULL, local_info(file));
    selection = g_list_append(selection, local_info(dir));
    expect_labels(selection, copy_move_labels);
    free_selection(selection);
}

static void test_remote_file_gets_nothing(void)
{
    GList *selection = g_list_append(NULL, file_info_new("sftp://example.invalid/home/u/a.txt", NULL, NULL));
    expect_labels(selection, no_labels);
    free_selection(selection);
}

static void test_local_plus_remote_gets_nothing(void)
{
    g_autofree char *file = make_file("local.txt", "x");
    GList *selection = g_list_append(NULL, local_info(file));
    selection = g_list_append(selection, file_info_new("sftp://example.invalid/b.txt", NULL, NULL));
    expect_labels(selection, no_labels);
    free_selection(selection);
}

static void test_trash_item_gets_nothing(void)
{
    g_autofree char *file = make_file("trashed.txt", "x");
    GList *selection = g_list_append(NULL, file_info_new("trash:///trashed.txt", NULL, file));
    expect_labels(selection, no_labels);
    free_selection(selection);
}

static void test_gone_file_gets_nothing(void)
{
    g_autofree char *file = make_file("soon-gone.txt", "x");
    g_autofree char *other = make_file("still-here.txt", "x");
    GList *selection = g_list_append(NULL, local_info(other));
    selection = g_list_append(selection, local_info(file));
    g_unlink(file);
    expect_labels(selection, no_labels);
    free_selection(selection);
}

static void test_file_manager_says_gone_gets_nothing(void)
{
    g_autofree char *file = make_file("renamed-away.txt", "x");
    HarnessFile *info = local_info(file);
    info->forced_gone = TRUE;
    GList *selection = g_list_append(NULL, info);
    expect_labels(selection, no_labels);
    free_selection(selection);
}

static void test_empty_selection_gets_nothing(void)
{
    expect_labels(NULL, no_labels);
}

static void test_fifo_gets_nothing(void)
{
    g_autofree char *fifo = fixture_path("pipe");
    CHECK(mkfifo(fifo, 0600) == 0, "mkfifo: %s", g_strerror(errno));
    GList *selection = g_list_append(NULL, local_info(fifo));
    expect_labels(selection, no_labels);
    free_selection(selection);
}

static void test_symlinks(void)
{
    g_autofree char *target = make_file("target.txt", "x");
    g_autofree char *link = fixture_path("link-to-file");
    g_autofree char *dangling = fixture_path("dangling-link");
    CHECK(symlink(target, link) == 0 && symlink("/nonexistent/intervm", dangling) == 0,
          "symlink: %s", g_strerror(errno));
    /* Issue 14 item 2: the Open items do not follow links when they decide a
     * selection is a regular file, so a link to a file gets Copy and Move only. */
    GList *selection = g_list_append(NULL, local_info(link));
    expect_labels(selection, copy_move_labels);
    free_selection(selection);
    selection = g_list_append(NULL, local_info(dangling));
    expect_labels(selection, copy_move_labels);
    free_selection(selection);
}

static void test_recent_resolving_to_local_file(void)
{
    g_autofree char *file = make_file("recently used.txt", "x");
    g_autofree char *target = g_filename_to_uri(file, NULL, NULL);
    GList *selection = g_list_append(NULL, file_info_new("recent:///5a1b2c", target, file));
    expect_labels(selection, all_labels);
    g_autoptr(GPtrArray) copy = runs(run_of("qvm-copy", "--gui", "--", file, NULL), NULL);
    expect_runs(selection, "Copy to VM…", copy);
    g_autoptr(GPtrArray) view = runs(run_of("qvm-open-in-dvm", "--gui", "--view-only", "--", file, NULL), NULL);
    expect_runs(selection, "View in DispVM", view);
    free_selection(selection);
}

static void test_recent_resolving_to_remote_gets_nothing(void)
{
    GList *selection = g_list_append(NULL, file_info_new("recent:///77aa", "sftp://example.invalid/c.txt", NULL));
    expect_labels(selection, no_labels);
    free_selection(selection);
}

static void test_hidden_when_helpers_missing(void)
{
    g_autofree char *file = make_file("lonely.txt", "x");
    GList *selection = g_list_append(NULL, local_info(file));
    install_helpers(no_labels);
    expect_labels(selection, no_labels);

    static const char *const only_copy[] = { "qvm-copy", NULL };
    static const char *const copy_label[] = { "Copy to VM…", NULL };
    install_helpers(only_copy);
    expect_labels(selection, copy_label);

    /* present but not executable counts as missing */
    g_autofree char *copy = g_build_filename(fx.bin, "qvm-copy", NULL);
    g_chmod(copy, 0644);
    expect_labels(selection, no_labels);

    install_helpers(helpers);
    expect_labels(selection, all_labels);
    free_selection(selection);
}

static void test_copy_and_move_run_once_with_every_path(void)
{
    g_autofree char *plain = make_file("plain.txt", "x");
    g_autofree char *dashes = make_file("-rf", "x");
    g_autofree char *odd = make_file("two words\nnewline 'quote' $HOME", "x");
    g_autofree char *dir = make_dir("a folder");
    GList *selection = NULL;
    selection = g_list_append(selection, local_info(plain));
    selection = g_list_append(selection, local_info(dashes));
    selection = g_list_append(selection, local_info(odd));
    selection = g_list_append(selection, local_info(dir));

    g_autoptr(GPtrArray) copy = runs(run_of("qvm-copy", "--gui", "--", plain, dashes, odd, dir, NULL), NULL);
    expect_runs(selection, "Copy to VM…", copy);
    g_autoptr(GPtrArray) move = runs(run_of("qvm-move", "--gui", "--", plain, dashes, odd, dir, NULL), NULL);
    expect_runs(selection, "Move to VM…", move);
    free_selection(selection);
}

static void test_open_items_run_once_per_file(void)
{
    g_autofree char *first = make_file("first.odt", "x");
    g_autofree char *second = make_file("-second", "x");
    GList *selection = g_list_append(NULL, local_info(first));
    selection = g_list_append(selection, local_info(second));

    g_autoptr(GPtrArray) open = runs(run_of("qvm-open-in-dvm", "--gui", "--", first, NULL),
                                     run_of("qvm-open-in-dvm", "--gui", "--", second, NULL), NULL);
    expect_runs(selection, "Open in DispVM", open);
    g_autoptr(GPtrArray) view = runs(run_of("qvm-open-in-dvm", "--gui", "--view-only", "--", first, NULL),
                                     run_of("qvm-open-in-dvm", "--gui", "--view-only", "--", second, NULL), NULL);
    expect_runs(selection, "View in DispVM", view);
    g_autoptr(GPtrArray) in_vm = runs(run_of("qvm-open-in-vm", "--gui", "--", first, NULL),
                                      run_of("qvm-open-in-vm", "--gui", "--", second, NULL), NULL);
    expect_runs(selection, "Open in VM…", in_vm);
    free_selection(selection);
}

static void test_german_labels(void)
{
    const char *localedir = g_getenv("LOCALEDIR");
    g_autofree char *catalogue = g_build_filename(localedir != NULL ? localedir : LOCALEDIR,
                                                  "de", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
    if (!g_file_test(catalogue, G_FILE_TEST_EXISTS)) {
        g_print("skip - German labels: no catalogue at %s (set LOCALEDIR)\n", catalogue);
        fx.skipped++;
        fx.current_ok = FALSE; /* not counted as pass */
        return;
    }
    g_autofree char *file = make_file("brief.txt", "x");
    GList *selection = g_list_append(NULL, local_info(file));
    GList *items = items_for(selection);
    g_auto(GStrv) labels = labels_of(items);
    CHECK(g_strv_length(labels) == g_strv_length((char **) all_labels), "expected %u items",
          g_strv_length((char **) all_labels));
    for (gsize i = 0; labels[i] != NULL && all_labels[i] != NULL; i++) {
        const char *german = g_dgettext(GETTEXT_PACKAGE, all_labels[i]);
        CHECK(g_strcmp0(german, all_labels[i]) != 0, "catalogue %s lacks \"%s\"", catalogue, all_labels[i]);
        CHECK(g_strcmp0(labels[i], german) == 0, "label \"%s\", expected \"%s\"", labels[i], german);
    }
    g_list_free_full(items, g_object_unref);
    free_selection(selection);
}

typedef struct {
    const char *name;
    void (*run)(void);
} HarnessTest;

static const HarnessTest behaviour_tests[] = {
    { "module registers one menu provider", test_registers_one_menu_provider },
    { "host text domain untouched", test_host_text_domain_untouched },
    { "regular file: all five items, unique names, tips", test_regular_file_gets_all_items },
    { "directory: Copy and Move only", test_directory_gets_copy_and_move_only },
    { "file + directory: Copy and Move only", test_mixed_file_and_directory_gets_copy_and_move_only },
    { "sftp:// file: nothing", test_remote_file_gets_nothing },
    { "local + sftp:// file: nothing", test_local_plus_remote_gets_nothing },
    { "trash:// item: nothing", test_trash_item_gets_nothing },
    { "deleted file in selection: nothing", test_gone_file_gets_nothing },
    { "file manager reports gone: nothing", test_file_manager_says_gone_gets_nothing },
    { "empty selection: nothing", test_empty_selection_gets_nothing },
    { "FIFO: nothing", test_fifo_gets_nothing },
    { "symlink to file or dangling: Copy and Move only", test_symlinks },
    { "recent:// to a local file: items and its real path", test_recent_resolving_to_local_file },
    { "recent:// to a remote file: nothing", test_recent_resolving_to_remote_gets_nothing },
    { "helpers missing or not executable: items hidden", test_hidden_when_helpers_missing },
    { "Copy/Move: one run, options, --, every path", test_copy_and_move_run_once_with_every_path },
    { "Open/View in DispVM, Open in VM: one run per file", test_open_items_run_once_per_file },
};

static const HarnessTest german_tests[] = {
    { "LANGUAGE=de: German labels from the intervm-copy catalogue", test_german_labels },
};

static void run_tests(const HarnessTest *tests, gsize count)
{
    for (gsize i = 0; i < count; i++) {
        fx.current_ok = TRUE;
        int skipped_before = fx.skipped;
        tests[i].run();
        if (fx.skipped != skipped_before)
            continue;
        g_print("%s - %s\n", fx.current_ok ? "ok" : "not ok", tests[i].name);
        if (fx.current_ok)
            fx.passed++;
        else
            fx.failed++;
    }
}

static void remove_tree(const char *path)
{
    const char *argv[] = { "rm", "-rf", "--", path, NULL };
    g_spawn_sync(NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

int main(int argc, char **argv)
{
    gboolean german = argc == 3 && g_strcmp0(argv[1], "--german") == 0;
    if (argc != 2 && !german) {
        g_printerr("usage: %s [--german] MODULE.so\n", argv[0]);
        return 2;
    }
    const char *module_path = argv[argc - 1];

    setlocale(LC_ALL, "");
    /* Stands for the file manager's own domain. Not in --german mode: GLib's
     * g_dgettext() declines to translate when the program's own domain has
     * no catalogue for the locale (no mixed-language UI), and this harness
     * ships none; Nautilus, Nemo and Caja do ship German. */
    if (!german)
        textdomain(HOST_DOMAIN);

    g_autoptr(GError) error = NULL;
    fx.root = g_dir_make_tmp("intervm-harness-XXXXXX", &error);
    g_assert_no_error(error);
    fx.files = g_build_filename(fx.root, "files", NULL);
    fx.bin = g_build_filename(fx.root, "bin", NULL);
    fx.records = g_build_filename(fx.root, "records", NULL);
    g_mkdir(fx.files, 0755);
    g_mkdir(fx.bin, 0755);
    g_mkdir(fx.records, 0755);
    install_helpers(helpers);
    g_setenv("INTERVM_BINDIR", fx.bin, TRUE);
    g_setenv("INTERVM_RECORD_DIR", fx.records, TRUE);

    HarnessModule *module = g_object_new(harness_module_get_type(), NULL);
    module->path = g_strdup(module_path);
    g_type_module_set_name(G_TYPE_MODULE(module), module_path);
    if (!g_type_module_use(G_TYPE_MODULE(module)))
        return 1;
    const char *localedir = g_getenv("LOCALEDIR");
    if (localedir != NULL)
        bindtextdomain(GETTEXT_PACKAGE, localedir); /* after the module bound its own */

    const GType *types = NULL;
    int n_types = 0;
    module->list_types(&types, &n_types);
    if (n_types != 1) {
        g_print("not ok - module lists %d types, expected 1\n", n_types);
        return 1;
    }
    fx.provider = g_object_new(types[0], NULL);
    g_type_module_unuse(G_TYPE_MODULE(module)); /* as Nautilus does once its objects exist */

    g_print("# %s (%s)\n", module_path, g_type_name(types[0]));
    if (german)
        run_tests(german_tests, G_N_ELEMENTS(german_tests));
    else
        run_tests(behaviour_tests, G_N_ELEMENTS(behaviour_tests));

    g_object_unref(fx.provider);
    remove_tree(fx.root);
    g_free(fx.root);
    g_free(fx.files);
    g_free(fx.bin);
    g_free(fx.records);

    if (fx.skipped)
        g_print("%d passed, %d failed, %d skipped\n", fx.passed, fx.failed, fx.skipped);
    else
        g_print("%d passed, %d failed\n", fx.passed, fx.failed);
    return fx.failed == 0 ? 0 : 1;
}
