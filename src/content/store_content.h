/*
 * What one open store shows its clients: the store's properties, every
 * folder's, and the receive-folder table's rows, built once at Logon from the
 * store identity and folder_tree.c, and immutable after (so reading them needs
 * no copy, only the logon lock for the dead-object check).
 */
#ifndef MSSTORE_STORE_CONTENT_H
#define MSSTORE_STORE_CONTENT_H

#include <msstore/mapi_abi.h>

#include "mapi/entryid.h"
#include "mapi/props.h"
#include "table/table.h"

/* The store type msstore registers as PR_MDB_PROVIDER (contract §4.3). */
extern const MAPIUID msstore_provider_uid;

/* PR_PROVIDER_DISPLAY: what the provider is called in profiles and the status table. */
extern const WCHAR msstore_provider_display[];

struct store_content {
    MAPIUID uid;                /* this store's identity (D12, D14) */
    BYTE entryid[ENTRYID_SIZE]; /* the store's unwrapped entry ID */
    struct prop_list store_props;
    struct prop_list *folder_props;  /* one per folder_tree entry, same order */
    struct prop_list *receive_props; /* one per receive_folders entry: the receive-folder table */
    struct prop_list status_props;   /* the status row, and the status object's properties */
};

/*
 * Builds content for the store uid named display_name, wrapping its entry ID
 * through support (contract §4.2). On failure nothing stays allocated.
 */
HRESULT store_content_build(struct store_content *content, const struct mapi_allocators *alloc,
                            IMAPISupport *support, const MAPIUID *uid, const WCHAR *display_name);
void store_content_free(struct store_content *content, const struct mapi_allocators *alloc);

/* The properties of the folder with that object id, or NULL if there is none. */
const struct prop_list *store_content_folder(const struct store_content *content, ULONG folder_id);

/* Whether an entry ID names this store or an object in it (MAPI_E_INVALID_ENTRYID, MAPI_E_NOT_FOUND). */
HRESULT store_content_resolve(const struct store_content *content, ULONG cbEntryID,
                              const ENTRYID *lpEntryID, struct entryid_fields *fields);

/*
 * The rows of a folder's hierarchy table into rows (room for folder_tree_count):
 * its subfolders, or with all_levels (CONVENIENT_DEPTH) every descendant,
 * depth-first, PR_DEPTH counted from 0 for its own subfolders. Returns the count.
 */
ULONG store_content_hierarchy(const struct store_content *content, ULONG folder_id, BOOL all_levels,
                              struct table_row *rows);

/* The receive_folders entry for a message class: the longest prefix at a '.' boundary, "" by default. */
ULONG store_content_receive_folder(const WCHAR *message_class);

#endif
