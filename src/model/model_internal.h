/* What model.c and folders.c share: the model itself and the way a change runs. */
#ifndef MSSTORE_MODEL_INTERNAL_H
#define MSSTORE_MODEL_INTERNAL_H

#include "model/model.h"
#include "storage/storage.h"

struct model {
    struct mapi_allocators alloc;
    struct storage *storage;
    MAPIUID uid;
    BYTE store_entryid[ENTRYID_SIZE];
    /* From model_present: what every property list repeats. */
    WCHAR *display_name; /* MAPI block */
    ULONG cb_wrapped;
    BYTE *wrapped;       /* MAPI block: the store's wrapped entry ID */
    BOOL writable;
    ULONG generation; /* model_generation */
    ULONG transaction_depth; /* reads nested in a read or a change: 0 outside any transaction */
};

/* A storage result as the MAPI code a caller gets. */
HRESULT model_result(struct model *model, int result);
/* The rule of messages' sort keys (storage_sort_key_fn; order.c). */
int model_sort_key(ULONG tag, const void *value, int size, struct storage_sort_value *key);

/* Starts a change: the write transaction. */
HRESULT model_begin_change(struct model *model);
/*
 * Ends a change begun with model_begin_change: commits when hr succeeded,
 * else (or when the commit fails) rolls back and forgets the changes recorded
 * since mark. Returns hr, or the commit's failure.
 */
HRESULT model_end_change(struct model *model, HRESULT hr, struct model_changes *changes, ULONG mark);

/* The current time as a FILETIME, for creation and modification times. */
LONGLONG model_now(void);

/* name case-folded into key (Unicode upper case, locale-independent): MAPI_E_INVALID_PARAMETER if too long. */
HRESULT model_fold(const WCHAR *name, WCHAR *key, int size);

/*
 * Deletes those of ids that are folder_id's messages (NULL ids: all its
 * normal ones, and with with_associated its associated ones too), inside the
 * caller's transaction; *missing: how many of ids were not there.
 */
HRESULT model_delete_messages_in(struct model *model, ULONGLONG folder_id, ULONG count, const ULONGLONG *ids,
                                 BOOL with_associated, ULONG *missing, struct model_changes *changes);

/* Every message of folder_id, associated ones too, copied into copy_id (the folder's copy), in the caller's transaction. */
HRESULT model_copy_folder_messages(struct model *model, ULONGLONG folder_id, ULONGLONG copy_id,
                                   struct model_changes *changes);

/* The properties every object of the store repeats (contract §10.1, §10.2). */
#define MODEL_IDENTITY_PROP_COUNT 5
void model_add_identity(const struct model *model, struct prop_builder *b);

#endif
