/* intervm-module.c: the three entry points a file manager looks up in an
 * extension (Nautilus, Nemo and Caja share the scheme, with their own
 * prefix). Nothing else is exported (see intervm-module.map). */
#include <libintl.h>

#include "intervm-fm.h"
#include "intervm-menu-provider.h"

static GType provider_types[1];

/* Binds our own text domain only; the host program's domain (textdomain())
 * is left alone, and every string goes through g_dgettext(GETTEXT_PACKAGE). */
void FM_MODULE_INITIALIZE(GTypeModule *module)
{
    bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
    intervm_menu_provider_register(module);
    provider_types[0] = INTERVM_TYPE_MENU_PROVIDER;
}

void FM_MODULE_SHUTDOWN(void)
{
}

void FM_MODULE_LIST_TYPES(const GType **types, int *n_types)
{
    *types = provider_types;
    *n_types = G_N_ELEMENTS(provider_types);
}
