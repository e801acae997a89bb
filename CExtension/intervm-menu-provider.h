/* intervm-menu-provider.h: the GObject type that offers "Copy to VM…" and
 * friends in the file manager's context menu. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define INTERVM_TYPE_MENU_PROVIDER (intervm_menu_provider_get_type())
G_DECLARE_FINAL_TYPE(IntervmMenuProvider, intervm_menu_provider, INTERVM, MENU_PROVIDER, GObject)

/* Registers the type with the file manager's module (G_DEFINE_DYNAMIC_TYPE). */
void intervm_menu_provider_register(GTypeModule *module);

G_END_DECLS
