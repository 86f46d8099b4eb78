#include "model/changes.h"

#include <string.h>

void changes_init(struct model_changes *changes, const struct mapi_allocators *alloc)
{
    memset(changes, 0, sizeof(*changes));
    changes->alloc = alloc;
}

HRESULT changes_add(struct model_changes *changes, enum change_kind kind, ULONG object_type, ULONGLONG id,
                    ULONGLONG parent_id, ULONGLONG old_id, ULONGLONG old_parent_id)
{
    struct change *c;
    if (!mapi_array_reserve(changes->alloc, (void **)&changes->items, &changes->capacity, changes->count,
                            changes->count + 1, sizeof(*changes->items), 8))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    c = &changes->items[changes->count++];
    c->kind = kind;
    c->object_type = object_type;
    c->id = id;
    c->parent_id = parent_id;
    c->old_id = old_id;
    c->old_parent_id = old_parent_id;
    return S_OK;
}

void changes_clear(struct model_changes *changes) { changes->count = 0; }

void changes_free(struct model_changes *changes)
{
    mapi_free(changes->alloc, changes->items);
    changes->items = NULL;
    changes->count = changes->capacity = 0;
}
