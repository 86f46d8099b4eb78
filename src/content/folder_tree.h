/*
 * What an msstore store contains, as data: the folder tree and the receive
 * folders. store_content.c builds every property from these tables and
 * nothing else, so a different (or, later, writable) store changes this data,
 * not the code.
 */
#ifndef MSSTORE_FOLDER_TREE_H
#define MSSTORE_FOLDER_TREE_H

#include <msstore/mapi_abi.h>

enum folder_id {
    FOLDER_ID_ROOT = 1,
    FOLDER_ID_IPM_SUBTREE,
    FOLDER_ID_SEARCH_ROOT,
    FOLDER_ID_INBOX,
    FOLDER_ID_OUTBOX,
    FOLDER_ID_SENT_ITEMS,
    FOLDER_ID_DELETED_ITEMS,
};

struct folder_spec {
    ULONG id;        /* the object id in the folder's entry IDs; never 0 */
    ULONG parent_id; /* 0 for the root folder */
    ULONG folder_type;
    const WCHAR *display_name;
    const WCHAR *container_class; /* NULL: no PR_CONTAINER_CLASS */
    ULONG store_property;         /* the store's PR_IPM_*_ENTRYID / PR_FINDER_ENTRYID for it, or 0 */
    ULONG valid_folder_bit;       /* its bit in the store's PR_VALID_FOLDER_MASK, or 0 */
};

/* GetReceiveFolder: the folder for message classes starting with message_class. */
struct receive_folder_spec {
    const WCHAR *message_class; /* "" is the default, for every class no other entry covers */
    ULONG folder_id;
};

extern const struct folder_spec folder_tree[];
extern const ULONG folder_tree_count;
extern const struct receive_folder_spec receive_folders[];
extern const ULONG receive_folder_count;

#endif
