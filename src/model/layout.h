/*
 * The initial layout of a new store (what Outlook looks for in a personal
 * store, writable-store.md §2): its folders with their fixed ids, which of
 * them the store names in its own properties, the special-folder entry IDs
 * the root folder and the Inbox carry, and the receive folders. As data:
 * model/layout.c writes it into a new file and nothing else knows it.
 */
#ifndef MSSTORE_LAYOUT_H
#define MSSTORE_LAYOUT_H

#include "model/model.h"

struct layout_folder_spec {
    ULONG id; /* enum layout_folder */
    ULONG parent_id; /* 0 for the root folder */
    ULONG folder_type;
    const WCHAR *display_name;
    const WCHAR *container_class; /* NULL: none */
    ULONG store_property;         /* the store's PR_IPM_*_ENTRYID / PR_FINDER_ENTRYID / ... for it, or 0 */
    ULONG valid_folder_bit;       /* its bit in the store's PR_VALID_FOLDER_MASK, or 0 */
    ULONG root_and_inbox_property; /* PR_IPM_APPOINTMENT_ENTRYID ... on the root folder and the Inbox, or 0 */
};

extern const struct layout_folder_spec layout_folders[];
extern const ULONG layout_folder_count;

/* Folder ids up to this are the layout's; folders a client creates get ids above it. */
#define LAYOUT_RESERVED_IDS 255

struct storage;

/* Writes the layout into a new file whose schema exists (inside the caller's transaction). */
int layout_write(struct storage *st, const MAPIUID *uid, LONGLONG now);

#endif
