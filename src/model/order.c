/*
 * Contents tables in the store's order (model.h): the rule that makes a
 * message's sort keys from its values (storage_sort_key_fn), and orders of
 * a folder's messages read through them.
 *
 * Keys order exactly as the table's own sort does (restriction_compare_values):
 * integers and times by value, strings by their first MODEL_ROW_STRING_MAX
 * code units (what a row shows) folded as mapi_fold_case folds them; a
 * missing value before any other.
 */
#include "model/model_internal.h"

#include "mapi/fold.h"

#include <string.h>

/* The properties the store keeps sort keys of, by slot: the first STORAGE_INDEXED_SLOTS are indexed. */
static const ULONG sort_slots[STORAGE_SORT_SLOTS] = {
    PR_MESSAGE_DELIVERY_TIME,  PR_CLIENT_SUBMIT_TIME,  PR_SUBJECT_W,     PR_NORMALIZED_SUBJECT_W,
    PR_SENT_REPRESENTING_NAME_W, PR_DISPLAY_TO_W,      PR_SENDER_NAME_W, PR_IMPORTANCE,
    PR_MESSAGE_CLASS_W,        PR_FLAG_STATUS,
};

/* The properties of the store's own columns. */
static const struct {
    ULONG tag;
    enum storage_sort_column column;
} sort_columns[] = {
    {PR_CREATION_TIME, STORAGE_COLUMN_CREATED},
    {PR_LAST_MODIFICATION_TIME, STORAGE_COLUMN_MODIFIED},
    {PR_MESSAGE_SIZE, STORAGE_COLUMN_SIZE},
    {PR_MESSAGE_FLAGS, STORAGE_COLUMN_FLAGS},
};

/* Whether a value of type can be a key of a property of tag's type (strings of either width are alike). */
static BOOL same_type(ULONG tag, ULONG type)
{
    ULONG expected = PROP_TYPE(tag);
    if (expected == PT_UNICODE) return type == PT_UNICODE || type == PT_STRING8;
    return type == expected;
}

int model_sort_key(ULONG tag, const void *value, int size, struct storage_sort_value *key)
{
    const BYTE *bytes = value;
    int slot, i;
    for (slot = 0; slot < STORAGE_SORT_SLOTS; slot++)
        if (PROP_ID(sort_slots[slot]) == PROP_ID(tag)) break;
    /* The file keeps strings PT_UNICODE, UTF-16LE without a terminator. */
    if (slot == STORAGE_SORT_SLOTS || PROP_TYPE(tag) != PROP_TYPE(sort_slots[slot]) || size < 0) return -1;
    switch (PROP_TYPE(tag)) {
    case PT_LONG: {
        LONG l;
        if (size != sizeof(l)) return -1;
        memcpy(&l, bytes, sizeof(l));
        key->kind = STORAGE_SORT_INTEGER;
        key->integer = l;
        return slot;
    }
    case PT_SYSTIME: {
        ULONGLONG t;
        if (size != sizeof(t)) return -1;
        memcpy(&t, bytes, sizeof(t));
        key->kind = STORAGE_SORT_INTEGER;
        key->integer = (LONGLONG)(t ^ 0x8000000000000000ull); /* unsigned order as signed */
        return slot;
    }
    case PT_UNICODE:
        key->kind = STORAGE_SORT_BYTES;
        key->size = 0;
        for (i = 0; i + 1 < size && i / 2 < MODEL_ROW_STRING_MAX; i += 2) {
            ULONG unit = mapi_fold_case((ULONG)(bytes[i] | bytes[i + 1] << 8));
            if (!unit) break; /* a row's string ends at its first NUL */
            key->bytes[key->size++] = (BYTE)(unit >> 8); /* big-endian: bytes order as the units do */
            key->bytes[key->size++] = (BYTE)unit;
        }
        return slot;
    default:
        return -1;
    }
}

HRESULT model_order_make(ULONGLONG folder_id, BOOL associated, const SSortOrderSet *sort, struct model_order *out)
{
    ULONG i, j;
    memset(out, 0, sizeof(*out));
    out->folder_id = folder_id;
    out->associated = associated;
    if (!sort) return S_OK;
    if (sort->cSorts > MODEL_ORDER_MAX || sort->cCategories) return MAPI_E_TOO_COMPLEX;
    for (i = 0; i < sort->cSorts; i++) {
        ULONG tag = sort->aSort[i].ulPropTag;
        int column = -1;
        for (j = 0; j < STORAGE_SORT_SLOTS && column < 0; j++)
            if (PROP_ID(sort_slots[j]) == PROP_ID(tag) && same_type(sort_slots[j], PROP_TYPE(tag)))
                column = STORAGE_COLUMN_SLOT0 + (int)j;
        for (j = 0; j < ARRAYSIZE(sort_columns) && column < 0; j++)
            if (sort_columns[j].tag == tag) column = sort_columns[j].column;
        if (column < 0) return MAPI_E_TOO_COMPLEX;
        out->keys[i].column = column;
        out->keys[i].descending = sort->aSort[i].ulOrder == TABLE_SORT_DESCEND;
    }
    out->count = sort->cSorts;
    return S_OK;
}

static void to_storage(const struct model_order *order, struct storage_order *out)
{
    ULONG i;
    out->folder_id = (LONGLONG)order->folder_id;
    out->associated = order->associated;
    out->count = order->count;
    for (i = 0; i < order->count; i++) {
        out->keys[i].column = (enum storage_sort_column)order->keys[i].column;
        out->keys[i].descending = order->keys[i].descending;
    }
}

struct id_room {
    ULONGLONG *ids;
    ULONG count;
};

static int add_id(void *context, LONGLONG id)
{
    struct id_room *room = context;
    room->ids[room->count++] = (ULONGLONG)id;
    return STORAGE_OK;
}

HRESULT model_order_ids(struct model *model, const struct model_order *order, ULONG first, ULONG limit,
                        ULONGLONG *ids, ULONG *count)
{
    struct storage_order o;
    struct id_room room = {ids, 0};
    HRESULT hr = model_read_begin(model);
    *count = 0;
    if (FAILED(hr)) return hr;
    to_storage(order, &o);
    hr = model_result(model, storage_messages_ordered(model->storage, &o, first, limit, add_id, &room));
    model_read_end(model);
    if (SUCCEEDED(hr)) *count = room.count;
    return hr;
}

static int copy_message(void *context, const struct storage_message *message)
{
    *(struct storage_message *)context = *message;
    return STORAGE_OK;
}

HRESULT model_order_position(struct model *model, const struct model_order *order, ULONGLONG id, BOOL *present,
                             ULONG *position)
{
    struct storage_order o;
    struct storage_message row;
    HRESULT hr = model_read_begin(model);
    *present = FALSE;
    *position = 0;
    if (FAILED(hr)) return hr;
    to_storage(order, &o);
    hr = model_result(model, storage_message_get(model->storage, (LONGLONG)id, copy_message, &row));
    if (hr == MAPI_E_NOT_FOUND) {
        hr = S_OK; /* gone: in no order */
    } else if (SUCCEEDED(hr) && (ULONGLONG)row.folder_id == order->folder_id && !row.associated == !order->associated) {
        *present = TRUE;
        hr = model_result(model, storage_messages_before(model->storage, &o, (LONGLONG)id, position));
    }
    model_read_end(model);
    return hr;
}

HRESULT model_order_count(struct model *model, const struct model_order *order, ULONG *count)
{
    struct storage_order o;
    HRESULT hr = model_read_begin(model);
    *count = 0;
    if (FAILED(hr)) return hr;
    to_storage(order, &o);
    hr = model_result(model, storage_messages_count(model->storage, &o, count));
    model_read_end(model);
    return hr;
}

void model_order_instance_key(const struct model *model, ULONGLONG id, BYTE out[ENTRYID_SIZE])
{
    model_entryid(model, ENTRYID_KIND_MESSAGE, id, out); /* as add_row_props makes it */
}
