/*
 * The folders an msstore store contains, as data: store_content.c builds every
 * folder's properties from this table and nothing else, so a different (or,
 * later, writable) store changes this data, not the code.
 */
#ifndef MSSTORE_FOLDER_TREE_H
#define MSSTORE_FOLDER_TREE_H

#include <msstore/mapi_abi.h>

#define FOLDER_ID_ROOT 1

struct folder_spec {
    ULONG id;        /* the object id in the folder's entry IDs; never 0 */
    ULONG parent_id; /* 0 for the root folder */
    ULONG folder_type;
    const WCHAR *display_name;
    const WCHAR *comment;
};

extern const struct folder_spec folder_tree[];
extern const ULONG folder_tree_count;

#endif
