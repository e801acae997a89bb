/* intervm-fm.h: the few names that differ between the Nautilus, Nemo and
 * Caja extension libraries. Exactly one of INTERVM_FM_NAUTILUS,
 * INTERVM_FM_NEMO or INTERVM_FM_CAJA is defined by the Makefile.
 *
 * Nautilus 43+ (libnautilus-extension-4) passes no window to
 * get_file_items; Nemo and Caja pass the GtkWidget of the window first. */
#pragma once

#include <glib-object.h>
#include <gio/gio.h>
#include <gmodule.h>

#if defined(INTERVM_FM_NAUTILUS)
#include <nautilus-extension.h>
#define FM_PREFIX_(name) nautilus_##name
typedef NautilusMenuProvider FmMenuProvider;
typedef NautilusMenuProviderInterface FmMenuProviderInterface;
typedef NautilusFileInfo FmFileInfo;
typedef NautilusMenuItem FmMenuItem;
#define FM_TYPE_MENU_PROVIDER NAUTILUS_TYPE_MENU_PROVIDER
#define FM_TYPE_FILE_INFO NAUTILUS_TYPE_FILE_INFO
#define FM_FILE_INFO_IFACE NautilusFileInfoInterface
/* Parameters of get_file_items before the file list. */
#define FM_FILE_ITEMS_PARAMS(provider) FmMenuProvider *provider
#define FM_FILE_ITEMS_ARGS(provider) provider

#elif defined(INTERVM_FM_NEMO)
#include <libnemo-extension/nemo-file-info.h>
#include <libnemo-extension/nemo-menu-provider.h>
#define FM_PREFIX_(name) nemo_##name
typedef NemoMenuProvider FmMenuProvider;
typedef NemoMenuProviderInterface FmMenuProviderInterface;
typedef NemoFileInfo FmFileInfo;
typedef NemoMenuItem FmMenuItem;
#define FM_TYPE_MENU_PROVIDER NEMO_TYPE_MENU_PROVIDER
#define FM_TYPE_FILE_INFO NEMO_TYPE_FILE_INFO
#define FM_FILE_INFO_IFACE NemoFileInfoInterface
#define FM_FILE_ITEMS_PARAMS(provider) FmMenuProvider *provider, GtkWidget *window G_GNUC_UNUSED
#define FM_FILE_ITEMS_ARGS(provider) provider, NULL

#elif defined(INTERVM_FM_CAJA)
#include <libcaja-extension/caja-file-info.h>
#include <libcaja-extension/caja-menu-provider.h>
#define FM_PREFIX_(name) caja_##name
typedef CajaMenuProvider FmMenuProvider;
typedef CajaMenuProviderIface FmMenuProviderInterface;
typedef CajaFileInfo FmFileInfo;
typedef CajaMenuItem FmMenuItem;
#define FM_TYPE_MENU_PROVIDER CAJA_TYPE_MENU_PROVIDER
#define FM_TYPE_FILE_INFO CAJA_TYPE_FILE_INFO
#define FM_FILE_INFO_IFACE CajaFileInfoIface
#define FM_FILE_ITEMS_PARAMS(provider) FmMenuProvider *provider, GtkWidget *window G_GNUC_UNUSED
#define FM_FILE_ITEMS_ARGS(provider) provider, NULL

#else
#error "define INTERVM_FM_NAUTILUS, INTERVM_FM_NEMO or INTERVM_FM_CAJA"
#endif

/* The library functions used here have the same shape in all three. */
#define fm_file_info_is_gone FM_PREFIX_(file_info_is_gone)
#define fm_file_info_get_uri_scheme FM_PREFIX_(file_info_get_uri_scheme)
#define fm_file_info_get_activation_uri FM_PREFIX_(file_info_get_activation_uri)
#define fm_file_info_get_location FM_PREFIX_(file_info_get_location)
#define fm_menu_item_new FM_PREFIX_(menu_item_new)
#define fm_menu_provider_get_file_items FM_PREFIX_(menu_provider_get_file_items)

/* The three entry points the file manager looks up with g_module_symbol. */
#define FM_MODULE_INITIALIZE FM_PREFIX_(module_initialize)
#define FM_MODULE_SHUTDOWN FM_PREFIX_(module_shutdown)
#define FM_MODULE_LIST_TYPES FM_PREFIX_(module_list_types)
#define FM_MODULE_INITIALIZE_NAME G_STRINGIFY(FM_MODULE_INITIALIZE)
#define FM_MODULE_SHUTDOWN_NAME G_STRINGIFY(FM_MODULE_SHUTDOWN)
#define FM_MODULE_LIST_TYPES_NAME G_STRINGIFY(FM_MODULE_LIST_TYPES)

G_MODULE_EXPORT void FM_MODULE_INITIALIZE(GTypeModule *module);
G_MODULE_EXPORT void FM_MODULE_SHUTDOWN(void);
G_MODULE_EXPORT void FM_MODULE_LIST_TYPES(const GType **types, int *n_types);
