/*
 * What one change to the store did, object by object: the model records it
 * while the change's transaction runs, and the open store turns it into
 * table updates and notifications once the transaction has committed (D19).
 */
#ifndef MSSTORE_CHANGES_H
#define MSSTORE_CHANGES_H

#include "mapi/memory.h"

enum change_kind {
    CHANGE_CREATED,  /* a new object: id, in parent_id */
    CHANGE_DELETED,  /* id is gone from parent_id */
    CHANGE_MODIFIED, /* id's properties (its own, or computed ones such as PR_SUBFOLDERS) changed */
    CHANGE_MOVED,    /* id moved from old_parent_id to parent_id, keeping its id */
    CHANGE_COPIED,   /* id in parent_id is a new copy of old_id in old_parent_id */
    CHANGE_NEW_MAIL, /* message id, just saved in parent_id, is new mail there: parent_id receives its class */
};

struct change {
    enum change_kind kind;
    ULONG object_type; /* MAPI_FOLDER (MAPI_MESSAGE with messages) */
    ULONGLONG id, parent_id;
    ULONGLONG old_id, old_parent_id; /* moves and copies */
};

struct model_changes {
    const struct mapi_allocators *alloc;
    ULONG count, capacity;
    struct change *items; /* a MAPI block */
};

void changes_init(struct model_changes *changes, const struct mapi_allocators *alloc);
/* Records one change; MAPI_E_NOT_ENOUGH_MEMORY (the change's transaction must then roll back). */
HRESULT changes_add(struct model_changes *changes, enum change_kind kind, ULONG object_type, ULONGLONG id,
                    ULONGLONG parent_id, ULONGLONG old_id, ULONGLONG old_parent_id);
/* Forgets what was recorded (after a rollback); the block is kept for reuse. */
void changes_clear(struct model_changes *changes);
void changes_free(struct model_changes *changes);

#endif
