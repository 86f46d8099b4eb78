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

/* The model's order tests are the storage's, node for node. */
typedef char order_tests_fit[MODEL_ORDER_TEST_MAX == STORAGE_TEST_MAX ? 1 : -1];

/* The store's own column of a message property a restriction may test in the file, or -1. */
static int tested_column(ULONG tag)
{
    ULONG i;
    for (i = 0; i < ARRAYSIZE(sort_columns); i++)
        if (sort_columns[i].tag == tag) return sort_columns[i].column;
    return -1;
}

static BOOL add_test(struct model_order *out, int kind, ULONG count, int column, int relation, LONGLONG value)
{
    struct model_order_test *t;
    if (out->test_count == MODEL_ORDER_TEST_MAX) return FALSE;
    t = &out->tests[out->test_count++];
    t->kind = kind, t->count = count, t->column = column, t->relation = relation, t->value = value;
    return TRUE;
}

/* A RES_PROPERTY's value as the column holds it; FALSE for one the file does not compare the same way. */
static BOOL column_value(const SPropValue *value, ULONG tag, ULONG relop, LONGLONG *out)
{
    ULONGLONG t;
    if (PROP_TYPE(value->ulPropTag) != PROP_TYPE(tag)) return FALSE;
    switch (PROP_TYPE(tag)) {
    case PT_LONG:
        /* Flags are bits, compared only for equality; a size is never negative. */
        if (tag == PR_MESSAGE_FLAGS && relop != RELOP_EQ && relop != RELOP_NE) return FALSE;
        *out = value->Value.l;
        return TRUE;
    case PT_SYSTIME:
        t = (ULONGLONG)value->Value.ft.dwHighDateTime << 32 | value->Value.ft.dwLowDateTime;
        if (t >> 63) return FALSE; /* compared unsigned in a table, signed in the file */
        *out = (LONGLONG)t;
        return TRUE;
    default:
        return FALSE;
    }
}

/* Appends restriction r as tests (prefix order); FALSE when some part of it cannot be tested in the file. */
static BOOL add_restriction(struct model_order *out, const SRestriction *r, ULONG depth)
{
    static const int relations[] = {[RELOP_LT] = STORAGE_LESS,    [RELOP_LE] = STORAGE_LESS_EQUAL,
                                    [RELOP_GT] = STORAGE_GREATER, [RELOP_GE] = STORAGE_GREATER_EQUAL,
                                    [RELOP_EQ] = STORAGE_EQUAL,   [RELOP_NE] = STORAGE_NOT_EQUAL};
    LONGLONG value;
    int column;
    ULONG i;
    if (depth > MODEL_ORDER_TEST_MAX) return FALSE;
    switch (r->rt) {
    case RES_AND:
    case RES_OR:
        if (!add_test(out, r->rt == RES_AND ? STORAGE_TEST_AND : STORAGE_TEST_OR, r->res.resAnd.cRes, 0, 0, 0))
            return FALSE;
        for (i = 0; i < r->res.resAnd.cRes; i++)
            if (!add_restriction(out, &r->res.resAnd.lpRes[i], depth + 1)) return FALSE;
        return TRUE;
    case RES_NOT:
        return add_test(out, STORAGE_TEST_NOT, 0, 0, 0, 0) && add_restriction(out, r->res.resNot.lpRes, depth + 1);
    case RES_EXIST: /* every message has its row's columns */
        return tested_column(r->res.resExist.ulPropTag) >= 0 && add_test(out, STORAGE_TEST_TRUE, 0, 0, 0, 0);
    case RES_BITMASK:
        if ((column = tested_column(r->res.resBitMask.ulPropTag)) != STORAGE_COLUMN_FLAGS) return FALSE;
        if (r->res.resBitMask.relBMR == BMR_EQZ && !add_test(out, STORAGE_TEST_NOT, 0, 0, 0, 0)) return FALSE;
        return add_test(out, STORAGE_TEST_BITS_ANY, 0, column, 0, (LONGLONG)r->res.resBitMask.ulMask);
    case RES_PROPERTY:
        if ((column = tested_column(r->res.resProperty.ulPropTag)) < 0 || r->res.resProperty.relop > RELOP_NE ||
            !column_value(r->res.resProperty.lpProp, r->res.resProperty.ulPropTag, r->res.resProperty.relop, &value))
            return FALSE;
        return add_test(out, STORAGE_TEST_COMPARE, 0, column, relations[r->res.resProperty.relop], value);
    default:
        return FALSE;
    }
}

HRESULT model_order_make(ULONGLONG folder_id, BOOL associated, const SSortOrderSet *sort,
                         const SRestriction *restriction, struct model_order *out)
{
    ULONG i, j;
    memset(out, 0, sizeof(*out));
    out->folder_id = folder_id;
    out->associated = associated;
    if (restriction && !add_restriction(out, restriction, 0)) return MAPI_E_TOO_COMPLEX;
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
    out->test_count = order->test_count;
    for (i = 0; i < order->test_count; i++) {
        const struct model_order_test *t = &order->tests[i];
        out->tests[i].kind = (enum storage_test_kind)t->kind;
        out->tests[i].count = t->count;
        out->tests[i].column = (enum storage_sort_column)t->column;
        out->tests[i].relation = (enum storage_relation)t->relation;
        out->tests[i].value = t->value;
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
        if (o.test_count) hr = model_result(model, storage_message_in_order(model->storage, &o, (LONGLONG)id, present));
        if (SUCCEEDED(hr) && *present)
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
