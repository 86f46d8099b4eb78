/* Messages: an open message's copy of its values, saving it, and the rows of contents tables (model.h). */
#include "model/message_internal.h"

#include "mapi/propval.h"

#include <string.h>

/* Flags the store sets from what it knows: a client's value for these bits is not taken. */
#define STORE_OWNED_FLAGS (MSGFLAG_ASSOCIATED | MSGFLAG_HASATTACH)
/* The flags of a new message: not sent, not yet saved by the client (MSGFLAG_UNMODIFIED stays clear). */
#define NEW_MESSAGE_FLAGS MSGFLAG_UNSENT

/* Properties the store computes: SetProps and DeleteProps refuse them with MAPI_E_COMPUTED. */
static const ULONG computed_props[] = {
    PR_ENTRYID,         PR_PARENT_ENTRYID,     PR_RECORD_KEY,    PR_INSTANCE_KEY,  PR_STORE_ENTRYID,
    PR_STORE_RECORD_KEY, PR_MAPPING_SIGNATURE, PR_MESSAGE_SIZE,  PR_HASATTACH,     PR_ACCESS,
    PR_ACCESS_LEVEL,    PR_OBJECT_TYPE,        PR_MDB_PROVIDER,  PR_STORE_SUPPORT_MASK, PR_MSG_STATUS,
    PR_DISPLAY_TO,      PR_DISPLAY_CC,         PR_DISPLAY_BCC,   PR_MESSAGE_RECIPIENTS, PR_MESSAGE_ATTACHMENTS,
};
/* Properties of every message, computed or kept in its row, counted for the builder. */
#define MESSAGE_ROW_PROP_COUNT 13
/* Those, and the store's identity (model_add_identity): never among a message's stored values. */
static const ULONG row_props[] = {
    PR_OBJECT_TYPE,   PR_ENTRYID,       PR_RECORD_KEY,      PR_INSTANCE_KEY,     PR_PARENT_ENTRYID,
    PR_MESSAGE_FLAGS, PR_MSG_STATUS,    PR_MESSAGE_SIZE,    PR_HASATTACH,        PR_ACCESS,
    PR_ACCESS_LEVEL,  PR_CREATION_TIME, PR_LAST_MODIFICATION_TIME, PR_STORE_ENTRYID, PR_STORE_RECORD_KEY,
    PR_MDB_PROVIDER,  PR_MAPPING_SIGNATURE, PR_STORE_SUPPORT_MASK,
};
/* Most stored values a table row looks up one by one; a row asking more reads all of its values. */
#define ROW_LOOKUP_MAX 64

/* An XID (MS-OXCFXICS 2.2.1.3): the store's identity, then a 6-byte number unique in the store. */
#define XID_SIZE 22

static BOOL is_computed(ULONG tag) { return props_id_listed(computed_props, ARRAYSIZE(computed_props), tag); }

/* ---- held values ---- */

void held_free(struct held_values *held)
{
    ULONG i;
    for (i = 0; i < held->count; i++) mapi_free(held->alloc, held->items[i].data);
    mapi_free(held->alloc, held->items);
    mapi_free(held->alloc, held->deleted);
    held->items = NULL;
    held->deleted = NULL;
    held->count = held->capacity = held->deleted_count = held->deleted_capacity = 0;
}

struct held_value *held_find(const struct held_values *held, ULONG prop_id)
{
    ULONG i;
    for (i = 0; i < held->count; i++)
        if (PROP_ID(held->items[i].tag) == prop_id) return &held->items[i];
    return NULL;
}

HRESULT held_put(struct held_values *held, ULONG tag, BYTE *data, ULONG size, BOOL dirty)
{
    struct held_value *v = held_find(held, PROP_ID(tag));
    if (!v) {
        if (!mapi_array_reserve(held->alloc, (void **)&held->items, &held->capacity, held->count, held->count + 1,
                                sizeof(*held->items), 16))
            return MAPI_E_NOT_ENOUGH_MEMORY;
        v = &held->items[held->count++];
    } else {
        mapi_free(held->alloc, v->data);
    }
    v->tag = tag;
    v->data = data;
    v->size = size;
    v->dirty = dirty;
    return S_OK;
}

static void held_remove(struct held_values *held, struct held_value *v)
{
    mapi_free(held->alloc, v->data);
    *v = held->items[--held->count];
}

static int hold_stored(void *context, ULONG tag, const void *value, int size)
{
    struct held_values *held = context;
    BYTE *data = mapi_alloc_copy(held->alloc, value, (size_t)size);
    if (!data) return STORAGE_NO_MEMORY;
    if (FAILED(held_put(held, tag, data, (ULONG)size, FALSE))) {
        mapi_free(held->alloc, data);
        return STORAGE_NO_MEMORY;
    }
    return STORAGE_OK;
}

static int hold_big(void *context, ULONG tag, const void *value, int size)
{
    (void)value;
    return FAILED(held_put(context, tag, NULL, (ULONG)size, FALSE)) ? STORAGE_NO_MEMORY : STORAGE_OK;
}

HRESULT held_load(struct model *model, enum storage_owner owner, LONGLONG id, BOOL with_big,
                  struct held_values *held)
{
    HRESULT hr;
    held->alloc = &model->alloc;
    hr = model_result(model, storage_props(model->storage, owner, id, hold_stored, with_big ? hold_big : NULL, held));
    if (FAILED(hr)) held_free(held);
    return hr;
}

HRESULT held_clone(const struct held_values *from, const struct mapi_allocators *alloc, struct held_values *out)
{
    ULONG i;
    memset(out, 0, sizeof(*out));
    out->alloc = alloc;
    if (!from->count && !from->deleted_count) return S_OK;
    if (!(out->items = mapi_alloc_zeroed(alloc, (from->count + 1) * sizeof(*out->items))) ||
        !(out->deleted = mapi_alloc_zeroed(alloc, (from->deleted_count + 1) * sizeof(ULONG)))) {
        held_free(out);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (from->deleted_count) memcpy(out->deleted, from->deleted, from->deleted_count * sizeof(ULONG));
    out->capacity = from->count + 1;
    out->deleted_count = from->deleted_count;
    out->deleted_capacity = from->deleted_count + 1;
    for (i = 0; i < from->count; i++) {
        const struct held_value *v = &from->items[i];
        out->items[out->count] = *v;
        out->items[out->count].data = NULL;
        if (v->data && !(out->items[out->count].data = mapi_alloc_copy(alloc, v->data, v->size ? v->size : 1))) {
            held_free(out);
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
        out->count++;
    }
    return S_OK;
}

static int copy_row(void *context, const struct storage_message *message)
{
    *(struct storage_message *)context = *message;
    return STORAGE_OK;
}

static HRESULT read_row(struct model *model, ULONGLONG id, struct storage_message *row)
{
    return model_result(model, storage_message_get(model->storage, (LONGLONG)id, copy_row, row));
}

/* ---- opening ---- */

/* The row of a message in a folder: an embedded one is not found by itself (it has no entry ID). */
static HRESULT read_folder_row(struct model *model, ULONGLONG id, struct storage_message *row)
{
    HRESULT hr = read_row(model, id, row);
    return SUCCEEDED(hr) && !row->folder_id ? MAPI_E_NOT_FOUND : hr;
}

HRESULT model_message_folder_of(struct model *model, ULONGLONG message_id, ULONGLONG *folder_id)
{
    struct storage_message row;
    HRESULT hr = read_folder_row(model, message_id, &row);
    if (SUCCEEDED(hr)) *folder_id = (ULONGLONG)row.folder_id;
    return hr;
}

HRESULT model_message_in(struct model *model, ULONGLONG message_id, ULONGLONG folder_id, BOOL associated, BOOL *in)
{
    struct storage_message row;
    HRESULT hr = read_folder_row(model, message_id, &row);
    *in = SUCCEEDED(hr) && (ULONGLONG)row.folder_id == folder_id && !row.associated == !associated;
    return hr == MAPI_E_NOT_FOUND ? S_OK : hr;
}

/* A message with nothing in it yet, in folder_id (0: embedded at depth). */
static struct model_message *new_message(struct model *model, ULONGLONG folder_id, BOOL associated, ULONG depth)
{
    struct model_message *m = mapi_alloc_zeroed(&model->alloc, sizeof(*m));
    if (!m) return NULL;
    m->alloc = model->alloc;
    m->values.alloc = &m->alloc;
    m->depth = depth;
    m->row.folder_id = (LONGLONG)folder_id;
    m->row.associated = associated;
    m->row.flags = NEW_MESSAGE_FLAGS | (associated ? MSGFLAG_ASSOCIATED : 0);
    m->row.created = m->row.modified = model_now();
    return m;
}

HRESULT model_message_new(struct model *model, ULONGLONG folder_id, BOOL associated, struct model_message **out)
{
    return (*out = new_message(model, folder_id, associated, 0)) ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
}

struct model_message *message_new_embedded(struct model *model, ULONG depth)
{
    return new_message(model, 0, FALSE, depth);
}

static int hold_recipient_value(void *context, ULONG row_id, ULONG tag, const void *value, int size)
{
    struct model_message *m = context;
    struct recipient *r = m->recipient_count ? &m->recipients[m->recipient_count - 1] : NULL;
    if (!r || r->row_id != row_id) { /* the rows come in order: a new row id starts a new row */
        if (!mapi_array_reserve(&m->alloc, (void **)&m->recipients, &m->recipient_capacity, m->recipient_count,
                                m->recipient_count + 1, sizeof(*m->recipients), 8))
            return STORAGE_NO_MEMORY;
        r = &m->recipients[m->recipient_count++];
        memset(r, 0, sizeof(*r));
        r->row_id = row_id;
        r->values.alloc = &m->alloc;
        if (row_id >= m->next_row_id) m->next_row_id = row_id + 1;
    }
    return hold_stored(&r->values, tag, value, size);
}

/* The saved message message_id, read whole but its big values and embedded messages (a read transaction). */
static HRESULT open_message(struct model *model, ULONGLONG message_id, BOOL embedded, ULONG depth,
                            struct model_message **out)
{
    struct model_message *m;
    HRESULT hr = model_read_begin(model);
    *out = NULL;
    if (FAILED(hr)) return hr;
    if (!(m = new_message(model, 0, FALSE, depth))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr)) hr = embedded ? read_row(model, message_id, &m->row) : read_folder_row(model, message_id, &m->row);
    if (SUCCEEDED(hr) && embedded && !m->row.embedded_in) hr = MAPI_E_NOT_FOUND;
    if (SUCCEEDED(hr)) hr = held_load(model, STORAGE_MESSAGE, (LONGLONG)message_id, TRUE, &m->values);
    if (SUCCEEDED(hr)) m->values.alloc = &m->alloc;
    if (SUCCEEDED(hr))
        hr = model_result(model, storage_recipients(model->storage, (LONGLONG)message_id, hold_recipient_value, m));
    if (SUCCEEDED(hr)) hr = attachments_load(model, (LONGLONG)message_id, m);
    model_read_end(model);
    if (FAILED(hr)) {
        if (m) model_message_free(m);
        return hr;
    }
    m->read_change_number = m->row.change_number;
    *out = m;
    return S_OK;
}

HRESULT model_message_open(struct model *model, ULONGLONG message_id, struct model_message **out)
{
    return open_message(model, message_id, FALSE, 0, out);
}

HRESULT message_open_embedded(struct model *model, LONGLONG message_id, ULONG depth, struct model_message **out)
{
    return open_message(model, (ULONGLONG)message_id, TRUE, depth, out);
}

static void free_recipients(const struct mapi_allocators *alloc, struct recipient *rows, ULONG count)
{
    ULONG i;
    for (i = 0; i < count; i++) held_free(&rows[i].values);
    mapi_free(alloc, rows);
}

void model_message_free(struct model_message *message)
{
    struct mapi_allocators alloc;
    if (!message) return;
    alloc = message->alloc;
    free_recipients(&alloc, message->recipients, message->recipient_count);
    held_free(&message->values);
    attachments_free(&alloc, &message->attachments);
    mapi_free(&alloc, message);
}

HRESULT message_clone(const struct model_message *message, struct model_message **out)
{
    struct model_message *m = mapi_alloc_copy(&message->alloc, message, sizeof(*message));
    HRESULT hr = m ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    ULONG i;
    *out = NULL;
    if (FAILED(hr)) return hr;
    /* Nothing of the original is shared: each part is copied, or empty when that failed. */
    memset(&m->values, 0, sizeof(m->values));
    memset(&m->attachments, 0, sizeof(m->attachments));
    m->values.alloc = &m->alloc;
    m->recipients = NULL;
    m->recipient_count = m->recipient_capacity = 0;
    hr = held_clone(&message->values, &m->alloc, &m->values);
    if (SUCCEEDED(hr) && message->recipient_count &&
        !(m->recipients = mapi_alloc_zeroed(&m->alloc, message->recipient_count * sizeof(*m->recipients))))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr)) m->recipient_capacity = message->recipient_count;
    for (i = 0; SUCCEEDED(hr) && i < message->recipient_count; i++) {
        m->recipients[i].row_id = message->recipients[i].row_id;
        if (SUCCEEDED(hr = held_clone(&message->recipients[i].values, &m->alloc, &m->recipients[i].values)))
            m->recipient_count++;
    }
    if (SUCCEEDED(hr)) hr = attachments_clone(&message->attachments, &m->alloc, &m->attachments);
    if (FAILED(hr)) {
        model_message_free(m);
        return hr;
    }
    *out = m;
    return S_OK;
}

ULONGLONG model_message_folder(const struct model_message *message) { return (ULONGLONG)message->row.folder_id; }

HRESULT model_message_check(struct model *model, const struct model_message *message)
{
    struct storage_message row;
    ULONGLONG parent;
    BOOL special;
    if (message->row.id) return read_row(model, (ULONGLONG)message->row.id, &row);
    if (message->depth) return S_OK; /* a new embedded message is as alive as what holds it (its object knows) */
    return model_folder_parent(model, (ULONGLONG)message->row.folder_id, &parent, &special);
}

/* ---- properties ---- */

/* The flags with the store's own bit: MSGFLAG_HASATTACH as the attachments are. */
static LONG saved_flags(const struct model_message *m, LONG flags)
{
    return m->attachments.count ? flags | MSGFLAG_HASATTACH : flags & ~MSGFLAG_HASATTACH;
}

/* The computed properties and the row's, for a message whose row is `row` and values `held`. */
static void add_row_props(struct model *model, struct prop_builder *b, const struct storage_message *row,
                          LONGLONG size, BOOL writable)
{
    BYTE entryid[ENTRYID_SIZE], parent[ENTRYID_SIZE];
    props_add_long(b, PR_OBJECT_TYPE, MAPI_MESSAGE);
    if (row->id && row->folder_id) { /* a message has an entry ID once it is saved, and if it is not embedded */
        model_entryid(model, ENTRYID_KIND_MESSAGE, (ULONGLONG)row->id, entryid);
        props_add_binary(b, PR_ENTRYID, ENTRYID_SIZE, entryid);
        props_add_binary(b, PR_RECORD_KEY, ENTRYID_SIZE, entryid);
        props_add_binary(b, PR_INSTANCE_KEY, ENTRYID_SIZE, entryid);
    }
    if (row->folder_id) {
        model_entryid(model, ENTRYID_KIND_FOLDER, (ULONGLONG)row->folder_id, parent);
        props_add_binary(b, PR_PARENT_ENTRYID, ENTRYID_SIZE, parent);
    }
    props_add_long(b, PR_MESSAGE_FLAGS, row->flags);
    props_add_long(b, PR_MSG_STATUS, row->status);
    props_add_long(b, PR_MESSAGE_SIZE, size > MAXLONG ? MAXLONG : (LONG)size);
    props_add_bool(b, PR_HASATTACH, (row->flags & MSGFLAG_HASATTACH) != 0);
    props_add_long(b, PR_ACCESS, MAPI_ACCESS_READ | (model->writable ? MAPI_ACCESS_MODIFY | MAPI_ACCESS_DELETE : 0));
    props_add_long(b, PR_ACCESS_LEVEL, writable ? MAPI_MODIFY : 0);
    props_add_systime(b, PR_CREATION_TIME, row->created);
    props_add_systime(b, PR_LAST_MODIFICATION_TIME, row->modified);
    model_add_identity(model, b);
}

LONGLONG held_size(const struct held_values *held)
{
    LONGLONG size = 0;
    ULONG i;
    for (i = 0; i < held->count; i++) size += held->items[i].size;
    return size;
}

LONGLONG message_size(const struct model_message *m)
{
    LONGLONG size = held_size(&m->values) + attachments_size(&m->attachments);
    ULONG i;
    for (i = 0; i < m->recipient_count; i++) size += held_size(&m->recipients[i].values);
    return size;
}

HRESULT held_add_props(struct prop_builder *b, const struct held_values *held, BOOL with_big, ULONG cut_strings)
{
    ULONG i;
    for (i = 0; i < held->count && SUCCEEDED(b->hr); i++) {
        const struct held_value *v = &held->items[i];
        if (!v->data || v->size > MODEL_VALUE_INLINE_MAX) {
            if (with_big) props_add_too_big(b, v->tag);
            continue;
        }
        /* Cut before decoding (a stored string is its UTF-16 units, no terminator), so that a row holding a
         * long body holds only what it shows. A value that does not decode is left out (props_add_stored). */
        props_add_stored(b, v->tag, v->data,
                         cut_strings && PROP_TYPE(v->tag) == PT_UNICODE && v->size > cut_strings * sizeof(WCHAR)
                             ? cut_strings * (ULONG)sizeof(WCHAR)
                             : v->size);
    }
    return b->hr;
}

HRESULT model_message_props(struct model *model, const struct model_message *message, BOOL writable,
                            struct prop_list *out)
{
    struct storage_message row = message->row;
    struct prop_builder b;
    row.flags = saved_flags(message, row.flags);
    props_begin(&b, &model->alloc, MESSAGE_ROW_PROP_COUNT + MODEL_IDENTITY_PROP_COUNT + 2 + message->values.count);
    add_row_props(model, &b, &row, message_size(message), writable);
    props_add_object(&b, PR_MESSAGE_RECIPIENTS);
    props_add_object(&b, PR_MESSAGE_ATTACHMENTS);
    held_add_props(&b, &message->values, TRUE, 0);
    return props_end(&b, out);
}

UINT message_codepage(const struct model_message *m, ULONG count, const SPropValue *values)
{
    const struct held_value *v = held_find(&m->values, PROP_ID(PR_MESSAGE_CODEPAGE));
    ULONG i;
    for (i = 0; i < count; i++)
        if (values[i].ulPropTag == PR_MESSAGE_CODEPAGE) return (UINT)values[i].Value.l;
    if (v && v->data && v->size == sizeof(LONG)) {
        LONG cp;
        memcpy(&cp, v->data, sizeof(cp));
        return (UINT)cp;
    }
    return CP_ACP;
}

UINT model_message_codepage(const struct model_message *message) { return message_codepage(message, 0, NULL); }

static void forget_deleted(struct held_values *held, ULONG prop_id)
{
    ULONG i;
    for (i = 0; i < held->deleted_count; i++)
        if (held->deleted[i] == prop_id) held->deleted[i] = held->deleted[--held->deleted_count];
}

HRESULT held_set(struct held_values *held, const SPropValue *value, UINT codepage, SCODE *problem)
{
    ULONG tag = value->ulPropTag, size = 0;
    BYTE *data;
    HRESULT hr;
    if (!propval_storable_type(PROP_TYPE(tag))) return *problem = MAPI_E_INVALID_TYPE, S_OK;
    hr = propval_encoded_size(value, codepage, &size);
    if (hr == MAPI_E_INVALID_TYPE || hr == MAPI_E_INVALID_PARAMETER) return *problem = hr, S_OK;
    if (FAILED(hr)) return hr;
    if (!(data = mapi_alloc_zeroed(held->alloc, size ? size : 1))) return MAPI_E_NOT_ENOUGH_MEMORY;
    propval_encode(value, codepage, data);
    if (FAILED(hr = held_put(held, propval_stored_tag(tag), data, size, TRUE))) {
        mapi_free(held->alloc, data);
        return hr;
    }
    forget_deleted(held, PROP_ID(tag));
    return S_OK;
}

HRESULT held_delete(struct held_values *held, ULONG prop_id, BOOL in_file, SCODE *problem)
{
    struct held_value *v = held_find(held, prop_id);
    if (!v) return *problem = MAPI_E_NOT_FOUND, S_OK;
    /* Room first: a value gone from the copy is always one the save deletes from the file. */
    if (in_file && !mapi_array_reserve(held->alloc, (void **)&held->deleted, &held->deleted_capacity,
                                       held->deleted_count, held->deleted_count + 1, sizeof(ULONG), 8))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    held_remove(held, v);
    if (in_file) held->deleted[held->deleted_count++] = prop_id;
    return S_OK;
}

/* Sets one value a client gave, its problem (if any) in *problem. */
static HRESULT set_one(struct model_message *m, const SPropValue *value, UINT codepage, SCODE *problem)
{
    ULONG tag = value->ulPropTag;
    if (PROP_ID(tag) == PROP_ID_NULL) return *problem = MAPI_E_INVALID_PARAMETER, S_OK;
    if (is_computed(tag)) return *problem = MAPI_E_COMPUTED, S_OK;
    if (PROP_ID(tag) == PROP_ID(PR_MESSAGE_FLAGS) || PROP_ID(tag) == PROP_ID(PR_CREATION_TIME) ||
        PROP_ID(tag) == PROP_ID(PR_LAST_MODIFICATION_TIME)) {
        if (PROP_TYPE(tag) != (PROP_ID(tag) == PROP_ID(PR_MESSAGE_FLAGS) ? PT_LONG : PT_SYSTIME))
            return *problem = MAPI_E_INVALID_TYPE, S_OK;
        if (tag == PR_MESSAGE_FLAGS) {
            m->row.flags = (value->Value.l & ~STORE_OWNED_FLAGS) | (m->row.flags & STORE_OWNED_FLAGS);
            m->flags_set = TRUE;
        } else {
            LONGLONG time = (LONGLONG)((ULONGLONG)value->Value.ft.dwHighDateTime << 32 | value->Value.ft.dwLowDateTime);
            if (tag == PR_CREATION_TIME) m->row.created = time, m->created_set = TRUE;
            else m->row.modified = time, m->modified_set = TRUE;
        }
        return S_OK;
    }
    return held_set(&m->values, value, codepage, problem);
}

HRESULT model_message_set_props(struct model *model, struct model_message *message, ULONG count,
                                const SPropValue *values, SCODE *problems)
{
    UINT codepage = message_codepage(message, count, values);
    HRESULT hr = S_OK;
    ULONG i;
    (void)model;
    for (i = 0; i < count; i++) problems[i] = S_OK;
    /* Each value is taken or refused by itself; running out of memory stops there, with what was set kept. */
    for (i = 0; SUCCEEDED(hr) && i < count; i++) hr = set_one(message, &values[i], codepage, &problems[i]);
    return hr;
}

HRESULT model_message_delete_props(struct model *model, struct model_message *message, const SPropTagArray *tags,
                                   SCODE *problems)
{
    HRESULT hr = S_OK;
    ULONG i;
    (void)model;
    for (i = 0; SUCCEEDED(hr) && i < tags->cValues; i++) {
        ULONG id = PROP_ID(tags->aulPropTag[i]);
        problems[i] = S_OK;
        if (is_computed(tags->aulPropTag[i]) || id == PROP_ID(PR_MESSAGE_FLAGS) || id == PROP_ID(PR_CREATION_TIME) ||
            id == PROP_ID(PR_LAST_MODIFICATION_TIME))
            problems[i] = MAPI_E_COMPUTED; /* a message always has them */
        else
            hr = held_delete(&message->values, id, message->row.id != 0, &problems[i]);
    }
    return hr;
}

/* ---- saving ---- */

static void xid(const struct model *model, LONGLONG number, BYTE out[XID_SIZE])
{
    int i;
    memcpy(out, &model->uid, sizeof(MAPIUID));
    for (i = 0; i < 6; i++) out[16 + i] = (BYTE)((ULONGLONG)number >> (8 * (5 - i))); /* big-endian, as Exchange */
}

/*
 * The predecessor change list after a change with change_key (an XID): the
 * old list's XIDs of other namespaces kept, the one of change_key's replaced
 * (MS-OXCFXICS 2.2.2.2: at most one XID per namespace GUID, each after its
 * size). The encoding of a PT_BINARY is its bytes (mapi/propval.h).
 */
static BYTE *new_change_list(struct model *model, const struct held_value *old, const BYTE *change_key,
                             ULONG key_size, ULONG *size)
{
    ULONG old_size = old && old->data ? old->size : 0, at = 0, out_size = 1 + key_size;
    const BYTE *list = old_size ? old->data : NULL;
    BYTE *out = mapi_alloc_zeroed(&model->alloc, old_size + 1 + key_size);
    if (!out) return NULL;
    out[0] = (BYTE)key_size;
    memcpy(out + 1, change_key, key_size);
    while (at < old_size) {
        ULONG n = list[at];
        if (n < sizeof(MAPIUID) || at + 1 + n > old_size) break; /* not a list of XIDs: the rest is dropped */
        if (memcmp(list + at + 1, change_key, sizeof(MAPIUID)) != 0) {
            memcpy(out + out_size, list + at, 1 + n);
            out_size += 1 + n;
        }
        at += 1 + n;
    }
    *size = out_size;
    return out;
}

/* What a save adds to the values unless the client set them: the keys, new blocks ready before the transaction. */
struct save_keys {
    ULONG tags[4];
    BYTE *data[4];
    ULONG sizes[4];
    ULONG count;
};

static void keys_free(struct model *model, struct save_keys *keys)
{
    ULONG i;
    for (i = 0; i < keys->count; i++) mapi_free(&model->alloc, keys->data[i]);
    keys->count = 0;
}

static HRESULT key_add(struct model *model, struct save_keys *keys, ULONG tag, const void *bytes, ULONG size,
                       BYTE *taken)
{
    BYTE *data = taken ? taken : mapi_alloc_copy(&model->alloc, bytes, size);
    if (!data) return MAPI_E_NOT_ENOUGH_MEMORY;
    keys->tags[keys->count] = tag;
    keys->data[keys->count] = data;
    keys->sizes[keys->count++] = size;
    return S_OK;
}

/* A held value the client set since the last save. */
static BOOL client_set(const struct model_message *m, ULONG tag)
{
    const struct held_value *v = held_find(&m->values, PROP_ID(tag));
    return v && v->dirty;
}

static HRESULT make_keys(struct model *model, const struct model_message *m, LONGLONG id, LONGLONG number,
                         struct save_keys *keys)
{
    const struct held_value *client_key = client_set(m, PR_CHANGE_KEY) ? held_find(&m->values, PROP_ID(PR_CHANGE_KEY)) : NULL;
    BYTE key[XID_SIZE];
    const BYTE *change_key = key;
    ULONG key_size = XID_SIZE, size = 0;
    HRESULT hr = S_OK;
    BYTE *list;

    keys->count = 0;
    /* The message's own id gives its search and source keys: unique in the store, whose identity is unique. */
    xid(model, id, key);
    if (!held_find(&m->values, PROP_ID(PR_SEARCH_KEY))) hr = key_add(model, keys, PR_SEARCH_KEY, key, XID_SIZE, NULL);
    if (SUCCEEDED(hr) && !held_find(&m->values, PROP_ID(PR_SOURCE_KEY)))
        hr = key_add(model, keys, PR_SOURCE_KEY, key, XID_SIZE, NULL);
    /* The change key is the save's change number, unless the client brought its own (a copy, an import). */
    xid(model, number, key);
    if (client_key && client_key->data && client_key->size >= sizeof(MAPIUID) && client_key->size <= 255) {
        change_key = client_key->data;
        key_size = client_key->size;
    } else if (SUCCEEDED(hr)) {
        hr = key_add(model, keys, PR_CHANGE_KEY, key, XID_SIZE, NULL);
    }
    if (SUCCEEDED(hr) && !client_set(m, PR_PREDECESSOR_CHANGE_LIST)) {
        list = new_change_list(model, held_find(&m->values, PROP_ID(PR_PREDECESSOR_CHANGE_LIST)), change_key, key_size,
                               &size);
        hr = list ? key_add(model, keys, PR_PREDECESSOR_CHANGE_LIST, NULL, size, list) : MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (FAILED(hr)) keys_free(model, keys);
    return hr;
}

/* Writes one value to the file, among the big ones when it is over the inline limit. */
static HRESULT write_value(struct model *model, enum storage_owner owner, LONGLONG id, ULONG tag, const BYTE *data,
                           ULONG size)
{
    return model_result(model, storage_prop_set(model->storage, owner, id, tag, data, (int)size,
                                                size > MODEL_VALUE_INLINE_MAX));
}

HRESULT held_write(struct model *model, enum storage_owner owner, LONGLONG id, const struct held_values *held,
                   BOOL all)
{
    HRESULT hr = S_OK;
    ULONG i;
    /* A value without data is in the file already (a big one, never read): it stays as it is. */
    for (i = 0; SUCCEEDED(hr) && i < held->count; i++)
        if ((all || held->items[i].dirty) && held->items[i].data)
            hr = write_value(model, owner, id, held->items[i].tag, held->items[i].data, held->items[i].size);
    for (i = 0; SUCCEEDED(hr) && !all && i < held->deleted_count; i++) {
        hr = model_result(model, storage_prop_delete(model->storage, owner, id, held->deleted[i]));
        if (hr == MAPI_E_NOT_FOUND) hr = S_OK;
    }
    return hr;
}

void held_saved(struct held_values *held)
{
    ULONG i;
    for (i = 0; i < held->count; i++) held->items[i].dirty = FALSE;
    held->deleted_count = 0;
}

/* The unread count a message adds to its folder: 1 for a normal one not read. */
static LONG unread_of(const struct storage_message *row)
{
    return !row->associated && !(row->flags & MSGFLAG_READ) ? 1 : 0;
}

/* Adds to a folder's message counts and records that the folder changed. */
static HRESULT add_message_counts(struct model *model, ULONGLONG folder_id, LONG contents, LONG unread,
                                  LONG associated, struct model_changes *changes)
{
    ULONGLONG parent;
    BOOL special;
    HRESULT hr;
    if (!contents && !unread && !associated) return S_OK;
    hr = model_folder_parent(model, folder_id, &parent, &special);
    if (SUCCEEDED(hr))
        hr = model_result(model, storage_folder_add_counts(model->storage, (LONGLONG)folder_id, 0, contents, unread,
                                                           associated));
    if (SUCCEEDED(hr)) hr = changes_add(changes, CHANGE_MODIFIED, MAPI_FOLDER, folder_id, parent, 0, 0);
    return hr;
}

/* The recipients, all of them in place of the file's. */
static HRESULT write_recipients(struct model *model, const struct model_message *m, LONGLONG id)
{
    HRESULT hr = model_result(model, storage_recipients_delete(model->storage, id));
    ULONG i, j;
    for (i = 0; SUCCEEDED(hr) && i < m->recipient_count; i++) {
        const struct recipient *r = &m->recipients[i];
        for (j = 0; SUCCEEDED(hr) && j < r->values.count; j++)
            hr = model_result(model, storage_recipient_prop_set(model->storage, id, r->row_id, r->values.items[j].tag,
                                                                r->values.items[j].data,
                                                                (int)r->values.items[j].size));
    }
    return hr;
}

/* What a save writes of a message's own: its values, recipients and attachments (all: it was just inserted). */
static HRESULT write_contents(struct model *model, const struct model_message *m, LONGLONG id, BOOL all)
{
    HRESULT hr = held_write(model, STORAGE_MESSAGE, id, &m->values, all);
    if (SUCCEEDED(hr) && (all || m->recipients_dirty)) hr = write_recipients(model, m, id);
    if (SUCCEEDED(hr)) hr = attachments_write(model, id, &m->attachments, all);
    return hr;
}

/*
 * An embedded message saved with its parent: a new one (id 0) in place of
 * the attachment's old one, whole; one read from the file, its changes.
 */
HRESULT message_write_embedded(struct model *model, const struct model_message *m, LONGLONG attachment_id)
{
    struct storage_message row = m->row;
    LONGLONG old = 0;
    HRESULT hr = S_OK;
    row.flags = saved_flags(m, row.flags);
    row.size = message_size(m);
    row.folder_id = 0;
    row.embedded_in = attachment_id;
    if (!m->modified_set) row.modified = model_now();
    if (!row.id) {
        hr = model_result(model, storage_embedded_find(model->storage, attachment_id, &old));
        if (SUCCEEDED(hr)) hr = model_result(model, storage_message_delete(model->storage, old));
        if (hr == MAPI_E_NOT_FOUND) hr = S_OK;
        if (SUCCEEDED(hr)) hr = model_result(model, storage_message_insert(model->storage, &row, &row.id));
        if (SUCCEEDED(hr)) hr = write_contents(model, m, row.id, TRUE);
    } else {
        hr = model_result(model, storage_message_update(model->storage, &row));
        if (SUCCEEDED(hr)) hr = write_contents(model, m, row.id, FALSE);
    }
    return hr;
}

void message_saved_values(struct model_message *m)
{
    held_saved(&m->values);
    m->created_set = m->modified_set = m->flags_set = m->recipients_dirty = FALSE;
    attachments_saved(&m->attachments);
}

/* The message's class (MODEL_CLASS_MAX + 1 units), "" when it has none or a longer one. */
static void class_of(const struct held_values *values, WCHAR out[MODEL_CLASS_MAX + 1])
{
    const struct held_value *v = held_find(values, PROP_ID(PR_MESSAGE_CLASS));
    ULONG units = v && v->data && PROP_TYPE(v->tag) == PT_UNICODE ? v->size / sizeof(WCHAR) : 0;
    if (units > MODEL_CLASS_MAX) units = 0;
    if (units) memcpy(out, v->data, units * sizeof(WCHAR));
    out[units] = 0;
}

/* A new message saved where its class is received is new mail there (fnevNewMail). */
static HRESULT note_new_mail(struct model *model, const struct model_message *m, const struct storage_message *row,
                             struct model_changes *changes)
{
    WCHAR message_class[MODEL_CLASS_MAX + 1], chosen_by[MODEL_CLASS_MAX + 1];
    ULONGLONG receiver = 0;
    HRESULT hr;
    if (row->associated) return S_OK;
    class_of(&m->values, message_class);
    if (FAILED(hr = model_receive_folder(model, message_class, &receiver, chosen_by))) return hr;
    if (receiver != (ULONGLONG)row->folder_id) return S_OK;
    return changes_add(changes, CHANGE_NEW_MAIL, MAPI_MESSAGE, (ULONGLONG)row->id, receiver, 0, 0);
}

HRESULT model_message_class(struct model *model, ULONGLONG message_id, WCHAR out[MODEL_CLASS_MAX + 1], LONG *flags)
{
    struct held_values held = {&model->alloc, 0, 0, NULL, 0, 0, NULL};
    struct storage_message row;
    HRESULT hr = model_read_begin(model);
    if (FAILED(hr)) return hr;
    hr = read_row(model, message_id, &row);
    if (SUCCEEDED(hr)) hr = held_load(model, STORAGE_MESSAGE, (LONGLONG)message_id, FALSE, &held);
    model_read_end(model);
    if (FAILED(hr)) return hr;
    class_of(&held, out);
    *flags = row.flags;
    held_free(&held);
    return S_OK;
}

/* The writes of one save, inside its transaction, the row (of a new message: inserted already) as it becomes. */
static HRESULT write_message(struct model *model, struct model_message *m, const struct storage_message *row,
                             BOOL is_new, const struct save_keys *keys, struct model_changes *changes)
{
    struct storage_message before = *row;
    HRESULT hr = S_OK;
    ULONG i;

    if (!is_new) hr = read_row(model, (ULONGLONG)row->id, &before);
    if (SUCCEEDED(hr)) hr = model_result(model, storage_message_update(model->storage, row));
    if (SUCCEEDED(hr)) hr = write_contents(model, m, row->id, is_new);
    for (i = 0; SUCCEEDED(hr) && i < keys->count; i++)
        hr = write_value(model, STORAGE_MESSAGE, row->id, keys->tags[i], keys->data[i], keys->sizes[i]);
    if (SUCCEEDED(hr)) hr = model_result(model, storage_message_sort(model->storage, row->id));
    if (SUCCEEDED(hr) && is_new)
        hr = add_message_counts(model, (ULONGLONG)row->folder_id, row->associated ? 0 : 1, unread_of(row),
                                row->associated ? 1 : 0, changes);
    else if (SUCCEEDED(hr))
        hr = add_message_counts(model, (ULONGLONG)row->folder_id, 0, unread_of(row) - unread_of(&before), 0, changes);
    if (SUCCEEDED(hr))
        hr = changes_add(changes, is_new ? CHANGE_CREATED : CHANGE_MODIFIED, MAPI_MESSAGE, (ULONGLONG)row->id,
                         (ULONGLONG)row->folder_id, 0, 0);
    if (SUCCEEDED(hr) && is_new) hr = note_new_mail(model, m, row, changes);
    return hr;
}

/* PR_MESSAGE_SIZE after a save: the values, with the keys the save puts in instead of the ones they replace. */
static LONGLONG saved_size(const struct model_message *m, const struct save_keys *keys)
{
    LONGLONG size = message_size(m);
    ULONG i;
    for (i = 0; i < keys->count; i++) {
        const struct held_value *old = held_find(&m->values, PROP_ID(keys->tags[i]));
        size += (LONGLONG)keys->sizes[i] - (old ? old->size : 0);
    }
    return size;
}

/* After a save committed: the object's copy is what the file holds. */
static void saved(struct model_message *m, const struct storage_message *row, struct save_keys *keys)
{
    ULONG i;
    m->row = *row;
    m->read_change_number = row->change_number;
    message_saved_values(m);
    /* Room was made before the transaction: putting the keys in cannot fail. */
    for (i = 0; i < keys->count; i++) held_put(&m->values, keys->tags[i], keys->data[i], keys->sizes[i], FALSE);
    keys->count = 0;
}

HRESULT message_before_save(struct model_message *m)
{
    SCODE problem = S_OK;
    /* msstore is not STORE_RTF_OK: a plain body changed alone leaves the RTF one out of step, so says PR_RTF_IN_SYNC. */
    if (!client_set(m, PR_BODY_W) || client_set(m, PR_RTF_COMPRESSED) || client_set(m, PR_RTF_IN_SYNC) ||
        !held_find(&m->values, PROP_ID(PR_RTF_IN_SYNC)))
        return S_OK;
    return held_delete(&m->values, PROP_ID(PR_RTF_IN_SYNC), m->row.id != 0, &problem);
}

HRESULT model_message_save(struct model *model, struct model_message *message, BOOL force,
                           struct model_changes *changes)
{
    struct storage_message row = message->row;
    struct save_keys keys = {{0}, {NULL}, {0}, 0};
    BOOL is_new = !row.id;
    ULONG mark = changes->count;
    HRESULT hr;

    if (message->depth) return MAPI_E_NO_SUPPORT; /* an embedded message is saved into its attachment */
    if (FAILED(hr = message_before_save(message))) return hr;
    if (!mapi_array_reserve(&message->alloc, (void **)&message->values.items, &message->values.capacity,
                            message->values.count, message->values.count + ARRAYSIZE(keys.tags),
                            sizeof(*message->values.items), 16))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    if (FAILED(hr = model_begin_change(model))) return hr;
    if (is_new) {
        hr = model_message_check(model, message); /* its folder is still there */
    } else {
        struct storage_message current;
        hr = read_row(model, (ULONGLONG)row.id, &current);
        if (SUCCEEDED(hr) && !force && current.change_number != message->read_change_number)
            hr = MAPI_E_OBJECT_CHANGED;
        /* The status, and the read state unless the client set the flags, are the store's latest, not the copy's. */
        row.status = current.status;
        if (!message->flags_set) row.flags = (row.flags & ~MSGFLAG_READ) | (current.flags & MSGFLAG_READ);
    }
    if (SUCCEEDED(hr)) hr = model_result(model, storage_next_change_number(model->storage, &row.change_number));
    row.flags = saved_flags(message, row.flags);
    if (!message->modified_set) row.modified = model_now();
    if (is_new && !message->created_set) row.created = row.modified;
    /* A new message's row comes first: its keys are made from its id. */
    if (SUCCEEDED(hr) && is_new) hr = model_result(model, storage_message_insert(model->storage, &row, &row.id));
    if (SUCCEEDED(hr)) hr = make_keys(model, message, row.id, row.change_number, &keys);
    if (SUCCEEDED(hr)) {
        row.size = saved_size(message, &keys);
        hr = write_message(model, message, &row, is_new, &keys, changes);
    }
    hr = model_end_change(model, hr, changes, mark);
    if (FAILED(hr)) {
        keys_free(model, &keys);
        return hr;
    }
    saved(message, &row, &keys);
    return S_OK;
}

/* ---- contents tables ---- */

struct message_ids {
    const struct mapi_allocators *alloc;
    ULONG count, capacity;
    struct model_row *rows; /* a MAPI block */
};

static int add_message_id(void *context, const struct storage_message *message)
{
    struct message_ids *ids = context;
    if (!mapi_array_reserve(ids->alloc, (void **)&ids->rows, &ids->capacity, ids->count, ids->count + 1,
                            sizeof(*ids->rows), 64))
        return STORAGE_NO_MEMORY;
    ids->rows[ids->count].id = (ULONGLONG)message->id;
    ids->rows[ids->count++].depth = 0;
    return STORAGE_OK;
}

/* folder_id's messages (associated ones with associated) into ids, in id order. */
static HRESULT list_ids(struct model *model, ULONGLONG folder_id, BOOL associated, struct message_ids *ids)
{
    HRESULT hr;
    ids->alloc = &model->alloc;
    ids->count = ids->capacity = 0;
    ids->rows = NULL;
    hr = model_result(model, storage_messages_in(model->storage, (LONGLONG)folder_id, associated, add_message_id, ids));
    if (FAILED(hr)) {
        mapi_free(&model->alloc, ids->rows);
        ids->rows = NULL;
    }
    return hr;
}

HRESULT model_messages(struct model *model, ULONGLONG folder_id, BOOL associated, struct model_row **rows,
                       ULONG *count)
{
    struct message_ids ids;
    ULONGLONG parent;
    BOOL special;
    HRESULT hr = model_read_begin(model);
    *rows = NULL;
    *count = 0;
    if (FAILED(hr)) return hr;
    hr = model_folder_parent(model, folder_id, &parent, &special);
    if (SUCCEEDED(hr)) hr = list_ids(model, folder_id, associated, &ids);
    model_read_end(model);
    if (FAILED(hr)) return hr;
    *rows = ids.rows;
    *count = ids.count;
    return S_OK;
}

HRESULT model_message_row(struct model *model, ULONGLONG message_id, const SPropTagArray *only,
                          struct prop_list *out)
{
    struct held_values held = {&model->alloc, 0, 0, NULL, 0, 0, NULL};
    struct storage_message row;
    struct prop_builder b;
    ULONG stored[ROW_LOOKUP_MAX], lookups = 0, i;
    HRESULT hr = model_read_begin(model);
    out->count = 0;
    out->values = NULL;
    if (FAILED(hr)) return hr;
    hr = read_row(model, message_id, &row);
    /* Big values are not read, nor shown: a row never costs more than its small values, and only its columns. */
    if (only)
        for (i = 0; i < only->cValues && lookups <= ROW_LOOKUP_MAX; i++)
            if (!props_id_listed(row_props, ARRAYSIZE(row_props), only->aulPropTag[i]) && lookups++ < ROW_LOOKUP_MAX)
                stored[lookups - 1] = only->aulPropTag[i];
    if (SUCCEEDED(hr) && only && lookups <= ROW_LOOKUP_MAX)
        hr = model_result(model, storage_props_among(model->storage, STORAGE_MESSAGE, (LONGLONG)message_id, stored,
                                                     lookups, hold_stored, &held));
    else if (SUCCEEDED(hr))
        hr = held_load(model, STORAGE_MESSAGE, (LONGLONG)message_id, FALSE, &held);
    model_read_end(model);
    if (FAILED(hr)) {
        held_free(&held);
        return hr;
    }
    props_begin_only(&b, &model->alloc, MESSAGE_ROW_PROP_COUNT + MODEL_IDENTITY_PROP_COUNT + held.count, only);
    add_row_props(model, &b, &row, row.size, FALSE);
    held_add_props(&b, &held, FALSE, MODEL_ROW_STRING_MAX);
    held_free(&held);
    return props_end(&b, out);
}

/* ---- changes to many messages ---- */

static int compare_row_ids(const void *a, const void *b)
{
    LONGLONG x = ((const struct storage_message *)a)->id, y = ((const struct storage_message *)b)->id;
    return (x > y) - (x < y);
}

/*
 * The rows of those of ids that are folder_id's messages, each once and in
 * id order (for NULL ids, every normal message of the folder, then with
 * with_associated every associated one), *missing the ones that are not. A MAPI block.
 */
static HRESULT rows_of(struct model *model, ULONGLONG folder_id, ULONG count, const ULONGLONG *ids,
                       BOOL with_associated, struct storage_message **rows, ULONG *found, ULONG *missing)
{
    struct message_ids all = {&model->alloc, 0, 0, NULL}, associated = {&model->alloc, 0, 0, NULL};
    ULONG i, j, n = 0;
    HRESULT hr = S_OK;
    *rows = NULL;
    *found = *missing = 0;
    if (!ids && FAILED(hr = list_ids(model, folder_id, FALSE, &all))) return hr;
    if (!ids && with_associated && FAILED(hr = list_ids(model, folder_id, TRUE, &associated))) {
        mapi_free(&model->alloc, all.rows);
        return hr;
    }
    if (!ids) count = all.count + associated.count;
    if (!(*rows = mapi_alloc_zeroed(&model->alloc, (count + 1) * sizeof(**rows)))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; SUCCEEDED(hr) && i < count; i++) {
        struct storage_message *row = &(*rows)[n];
        ULONGLONG id = ids ? ids[i] : i < all.count ? all.rows[i].id : associated.rows[i - all.count].id;
        hr = read_row(model, id, row);
        if (hr == MAPI_E_NOT_FOUND || (SUCCEEDED(hr) && (ULONGLONG)row->folder_id != folder_id)) {
            (*missing)++;
            hr = S_OK;
            continue;
        }
        if (SUCCEEDED(hr)) n++;
    }
    if (SUCCEEDED(hr) && ids && n > 1) { /* a list may name a message twice: in id order, each once */
        qsort(*rows, n, sizeof(**rows), compare_row_ids);
        for (i = j = 1; i < n; i++)
            if ((*rows)[i].id != (*rows)[j - 1].id) (*rows)[j++] = (*rows)[i];
        n = j;
    }
    mapi_free(&model->alloc, all.rows);
    mapi_free(&model->alloc, associated.rows);
    if (FAILED(hr)) {
        mapi_free(&model->alloc, *rows);
        *rows = NULL;
        return hr;
    }
    *found = n;
    return S_OK;
}

HRESULT model_delete_messages_in(struct model *model, ULONGLONG folder_id, ULONG count, const ULONGLONG *ids,
                                 BOOL with_associated, ULONG *missing, struct model_changes *changes)
{
    struct storage_message *rows = NULL;
    LONG contents = 0, unread = 0, associated = 0;
    ULONG found = 0, i;
    HRESULT hr = rows_of(model, folder_id, count, ids, with_associated, &rows, &found, missing);
    for (i = 0; SUCCEEDED(hr) && i < found; i++) {
        hr = model_result(model, storage_message_delete(model->storage, rows[i].id));
        if (SUCCEEDED(hr)) hr = changes_add(changes, CHANGE_DELETED, MAPI_MESSAGE, (ULONGLONG)rows[i].id, folder_id, 0, 0);
        if (rows[i].associated) associated--;
        else contents--;
        unread -= unread_of(&rows[i]);
    }
    if (SUCCEEDED(hr)) hr = add_message_counts(model, folder_id, contents, unread, associated, changes);
    mapi_free(&model->alloc, rows);
    return hr;
}

HRESULT model_messages_delete(struct model *model, ULONGLONG folder_id, ULONG count, const ULONGLONG *ids,
                              ULONG *missing, struct model_changes *changes)
{
    ULONG mark = changes->count;
    HRESULT hr = model_begin_change(model);
    if (FAILED(hr)) return hr;
    hr = model_delete_messages_in(model, folder_id, count, ids, FALSE, missing, changes);
    return model_end_change(model, hr, changes, mark);
}

HRESULT model_messages_set_read(struct model *model, ULONGLONG folder_id, ULONG count, const ULONGLONG *ids,
                                BOOL read, ULONG *missing, struct model_changes *changes)
{
    struct storage_message *rows = NULL;
    ULONG mark = changes->count, found = 0, i;
    LONG unread = 0;
    HRESULT hr = model_begin_change(model);
    if (FAILED(hr)) return hr;
    hr = rows_of(model, folder_id, count, ids, FALSE, &rows, &found, missing);
    for (i = 0; SUCCEEDED(hr) && i < found; i++) {
        struct storage_message row = rows[i];
        LONG flags = read ? row.flags | MSGFLAG_READ : row.flags & ~MSGFLAG_READ;
        if (flags == row.flags) continue;
        row.flags = flags;
        /* As in Exchange, the read state is not a change of the message: no new change key, no conflict. */
        hr = model_result(model, storage_message_set_flags(model->storage, row.id, row.flags));
        if (SUCCEEDED(hr)) hr = changes_add(changes, CHANGE_MODIFIED, MAPI_MESSAGE, (ULONGLONG)row.id, folder_id, 0, 0);
        unread += unread_of(&row) - unread_of(&rows[i]);
    }
    if (SUCCEEDED(hr)) hr = add_message_counts(model, folder_id, 0, unread, 0, changes);
    mapi_free(&model->alloc, rows);
    return model_end_change(model, hr, changes, mark);
}

HRESULT model_message_set_read_flag(struct model *model, struct model_message *message, BOOL read,
                                    struct model_changes *changes)
{
    ULONGLONG id = (ULONGLONG)message->row.id;
    ULONG missing = 0;
    HRESULT hr = S_OK;
    /* An embedded message has its read state in its copy only, saved with its parent. */
    if (id && !message->depth)
        hr = model_messages_set_read(model, (ULONGLONG)message->row.folder_id, 1, &id, read, &missing, changes);
    if (SUCCEEDED(hr) && missing) hr = MAPI_E_NOT_FOUND;
    if (SUCCEEDED(hr))
        message->row.flags = read ? message->row.flags | MSGFLAG_READ : message->row.flags & ~MSGFLAG_READ;
    return hr;
}

HRESULT model_message_status(struct model *model, ULONGLONG folder_id, ULONGLONG message_id, ULONG new_status,
                             ULONG mask, ULONG *old_status, struct model_changes *changes)
{
    ULONG mark = changes->count;
    struct storage_message row;
    HRESULT hr = mask ? model_begin_change(model) : model_read_begin(model);
    if (FAILED(hr)) return hr;
    hr = read_row(model, message_id, &row);
    if (SUCCEEDED(hr) && (ULONGLONG)row.folder_id != folder_id) hr = MAPI_E_NOT_FOUND;
    if (SUCCEEDED(hr)) *old_status = (ULONG)row.status;
    if (SUCCEEDED(hr) && mask) {
        row.status = (LONG)(((ULONG)row.status & ~mask) | (new_status & mask));
        hr = model_result(model, storage_message_update(model->storage, &row));
        if (SUCCEEDED(hr)) hr = changes_add(changes, CHANGE_MODIFIED, MAPI_MESSAGE, message_id, folder_id, 0, 0);
    }
    if (!mask) {
        model_read_end(model);
        return hr;
    }
    return model_end_change(model, hr, changes, mark);
}

/* ---- streams ---- */

struct value_copy {
    const struct mapi_allocators *alloc;
    BYTE *data;
    ULONG size;
};

static int copy_value(void *context, ULONG tag, const void *value, int size)
{
    struct value_copy *copy = context;
    (void)tag;
    if (!(copy->data = mapi_alloc_copy(copy->alloc, value, (size_t)size))) return STORAGE_NO_MEMORY;
    copy->size = (ULONG)size;
    return STORAGE_OK;
}

HRESULT held_stream_read(struct model *model, const struct held_values *held, enum storage_owner owner,
                         LONGLONG id, ULONG tag, UINT codepage, BYTE **data, ULONG *size)
{
    const struct held_value *v = held_find(held, PROP_ID(tag));
    struct value_copy copy = {held->alloc, NULL, 0};
    ULONG stored = v ? PROP_TYPE(v->tag) : PT_NULL, wanted = PROP_TYPE(tag);
    HRESULT hr = S_OK;
    *data = NULL;
    *size = 0;
    if (!v || !(stored == wanted || (stored == PT_UNICODE && wanted == PT_STRING8))) return MAPI_E_NOT_FOUND;
    if (v->data) copy_value(&copy, v->tag, v->data, (int)v->size);
    else hr = model_result(model, storage_big_prop(model->storage, owner, id, PROP_ID(tag), copy_value, &copy));
    if (SUCCEEDED(hr) && !copy.data) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (FAILED(hr)) return hr;
    if (wanted == PT_STRING8) { /* the text in the object's code page, as the client asked it narrow */
        int chars = (int)(copy.size / sizeof(WCHAR));
        int narrow = chars ? WideCharToMultiByte(codepage, 0, (const WCHAR *)copy.data, chars, NULL, 0, NULL, NULL) : 0;
        BYTE *bytes = mapi_alloc_zeroed(held->alloc, (size_t)narrow + 1);
        if (bytes && narrow)
            WideCharToMultiByte(codepage, 0, (const WCHAR *)copy.data, chars, (char *)bytes, narrow, NULL, NULL);
        mapi_free(held->alloc, copy.data);
        if (!bytes) return MAPI_E_NOT_ENOUGH_MEMORY;
        copy.data = bytes;
        copy.size = (ULONG)narrow;
    }
    *data = copy.data;
    *size = copy.size;
    return S_OK;
}

HRESULT model_message_stream_read(struct model *model, const struct model_message *message, ULONG tag, BYTE **data,
                                  ULONG *size)
{
    return held_stream_read(model, &message->values, STORAGE_MESSAGE, message->row.id, tag,
                            message_codepage(message, 0, NULL), data, size);
}

HRESULT held_stream_value(const struct mapi_allocators *alloc, ULONG tag, const BYTE *data, ULONG size,
                          SPropValue *value, BYTE **text)
{
    ULONG type = PROP_TYPE(tag);
    static BYTE nothing;
    value->ulPropTag = tag;
    value->dwAlignPad = 0;
    *text = NULL;
    if (type == PT_BINARY) {
        value->Value.bin.cb = size;
        value->Value.bin.lpb = size ? (BYTE *)data : &nothing;
    } else {
        /* A string stream may end with its terminator or not; the value is the text before the first one. */
        ULONG unit = type == PT_UNICODE ? sizeof(WCHAR) : 1;
        if (!(*text = mapi_alloc_zeroed(alloc, (size_t)size + sizeof(WCHAR)))) return MAPI_E_NOT_ENOUGH_MEMORY;
        if (size) memcpy(*text, data, size - size % unit);
        if (type == PT_UNICODE) value->Value.lpszW = (WCHAR *)*text;
        else value->Value.lpszA = (char *)*text;
    }
    return S_OK;
}

/* Adds every held value whole (a big one read from owner id's file row), but those skip lists. */
HRESULT held_add_whole(struct model *model, struct prop_builder *b, const struct held_values *held,
                       enum storage_owner owner, LONGLONG id, BOOL (*skip)(ULONG tag))
{
    ULONG i;
    for (i = 0; i < held->count && SUCCEEDED(b->hr); i++) {
        const struct held_value *v = &held->items[i];
        struct value_copy copy = {held->alloc, NULL, 0};
        HRESULT hr = S_OK;
        if (skip(v->tag)) continue;
        if (v->data) {
            props_add_stored(b, v->tag, v->data, v->size);
            continue;
        }
        hr = model_result(model, storage_big_prop(model->storage, owner, id, PROP_ID(v->tag), copy_value, &copy));
        if (SUCCEEDED(hr)) props_add_stored(b, v->tag, copy.data, copy.size);
        else b->hr = hr;
        mapi_free(held->alloc, copy.data);
    }
    return b->hr;
}

HRESULT model_message_values(struct model *model, const struct model_message *message, struct prop_list *out)
{
    struct prop_builder b;
    HRESULT hr = model_read_begin(model);
    if (FAILED(hr)) return hr;
    props_begin(&b, &model->alloc, 3 + message->values.count);
    props_add_long(&b, PR_MESSAGE_FLAGS, message->row.flags & ~STORE_OWNED_FLAGS);
    props_add_systime(&b, PR_CREATION_TIME, message->row.created);
    props_add_systime(&b, PR_LAST_MODIFICATION_TIME, message->row.modified);
    held_add_whole(model, &b, &message->values, STORAGE_MESSAGE, message->row.id, is_computed);
    model_read_end(model);
    return props_end(&b, out);
}

HRESULT model_message_stream_write(struct model *model, struct model_message *message, ULONG tag, const BYTE *data,
                                   ULONG size)
{
    SPropValue value;
    SCODE problem = S_OK;
    BYTE *text;
    HRESULT hr = held_stream_value(&message->alloc, tag, data, size, &value, &text);
    (void)model;
    if (SUCCEEDED(hr)) hr = set_one(message, &value, message_codepage(message, 0, NULL), &problem);
    mapi_free(&message->alloc, text);
    if (SUCCEEDED(hr) && problem != S_OK) hr = problem;
    return hr;
}

/* ---- recipients ---- */

#define MODRECIP_KINDS (MODRECIP_ADD | MODRECIP_MODIFY | MODRECIP_REMOVE)

static struct recipient *find_recipient(const struct model_message *m, ULONG row_id)
{
    ULONG i;
    for (i = 0; i < m->recipient_count; i++)
        if (m->recipients[i].row_id == row_id) return &m->recipients[i];
    return NULL;
}

/* The PR_ROWID an entry names: MAPI_E_INVALID_PARAMETER when it has none. */
static HRESULT entry_row_id(const ADRENTRY *entry, ULONG *row_id)
{
    ULONG i;
    for (i = 0; entry->rgPropVals && i < entry->cValues; i++)
        if (entry->rgPropVals[i].ulPropTag == PR_ROWID) {
            *row_id = (ULONG)entry->rgPropVals[i].Value.l;
            return S_OK;
        }
    return MAPI_E_INVALID_PARAMETER;
}

/* An entry's values, as a recipient row's: PR_ROWID is the store's, and errors or nulls are no values. */
static HRESULT hold_entry(struct model_message *m, const ADRENTRY *entry, UINT codepage, struct held_values *out)
{
    HRESULT hr = S_OK;
    ULONG i;
    out->alloc = &m->alloc;
    out->count = out->capacity = 0;
    out->items = NULL;
    if (entry->cValues && !entry->rgPropVals) return MAPI_E_INVALID_PARAMETER;
    for (i = 0; SUCCEEDED(hr) && i < entry->cValues; i++) {
        const SPropValue *value = &entry->rgPropVals[i];
        ULONG type = PROP_TYPE(value->ulPropTag), size = 0;
        BYTE *data;
        if (value->ulPropTag == PR_ROWID || type == PT_ERROR || type == PT_NULL || type == PT_OBJECT) continue;
        if (FAILED(hr = propval_encoded_size(value, codepage, &size))) break;
        if (!(data = mapi_alloc_zeroed(&m->alloc, size ? size : 1))) {
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
            break;
        }
        propval_encode(value, codepage, data);
        if (FAILED(hr = held_put(out, propval_stored_tag(value->ulPropTag), data, size, TRUE))) mapi_free(&m->alloc, data);
    }
    if (FAILED(hr)) held_free(out);
    return hr;
}

/* The display names of the rows of one type, joined by "; " as Outlook shows them; a MAPI block. */
static HRESULT join_names(struct model_message *m, const struct recipient *rows, ULONG count, LONG type, WCHAR **out,
                          ULONG *units)
{
    ULONG i, pass, at = 0;
    WCHAR *text = NULL;
    for (pass = 0; pass < 2; pass++) {
        at = 0;
        for (i = 0; i < count; i++) {
            const struct held_value *kind = held_find(&rows[i].values, PROP_ID(PR_RECIPIENT_TYPE));
            const struct held_value *name = held_find(&rows[i].values, PROP_ID(PR_DISPLAY_NAME));
            LONG recipient_type;
            ULONG n;
            if (!kind || !kind->data || kind->size != sizeof(LONG) || !name || !name->data ||
                PROP_TYPE(name->tag) != PT_UNICODE)
                continue;
            memcpy(&recipient_type, kind->data, sizeof(recipient_type));
            if ((recipient_type & ~(LONG)MAPI_SUBMITTED) != type) continue;
            n = name->size / sizeof(WCHAR);
            if (at && text) memcpy(text + at, L"; ", 2 * sizeof(WCHAR));
            if (at) at += 2;
            if (text) memcpy(text + at, name->data, n * sizeof(WCHAR));
            at += n;
        }
        if (!pass && !(text = mapi_alloc_zeroed(&m->alloc, ((size_t)at + 1) * sizeof(WCHAR))))
            return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    *out = text;
    *units = at;
    return S_OK;
}

/* Whether one of rows holds the values of values (the same blocks). */
static BOOL in_list(const struct recipient *rows, ULONG count, const struct held_values *values)
{
    ULONG i;
    if (!values->items) return FALSE; /* nothing to free either way */
    for (i = 0; i < count; i++)
        if (rows[i].values.items == values->items) return TRUE;
    return FALSE;
}

static const ULONG display_tags[] = {PR_DISPLAY_TO_W, PR_DISPLAY_CC_W, PR_DISPLAY_BCC_W};
static const LONG display_types[] = {MAPI_TO, MAPI_CC, MAPI_BCC};

HRESULT model_message_modify_recipients(struct model *model, struct model_message *message, ULONG flags,
                                        const ADRLIST *mods)
{
    ULONG kind = flags & MODRECIP_KINDS, i, j, row_id = 0, prepared = 0, next_count = 0, next_id = message->next_row_id;
    ULONG next_capacity = message->recipient_count + mods->cEntries + 1;
    UINT codepage = message_codepage(message, 0, NULL);
    struct held_values *rows = NULL;
    struct recipient *next = NULL;
    WCHAR *display[ARRAYSIZE(display_tags)] = {NULL};
    ULONG display_units[ARRAYSIZE(display_tags)] = {0};
    HRESULT hr = S_OK;
    (void)model;

    if (kind & (kind - 1)) return MAPI_E_INVALID_PARAMETER; /* one kind of change at a time */
    /*
     * Everything is checked and made first — the new rows, the list they
     * make, its display lines, room for those — and nothing changes until all
     * of it is there: a refused or failed call leaves the object's copy as it was.
     */
    for (i = 0; SUCCEEDED(hr) && kind & (MODRECIP_MODIFY | MODRECIP_REMOVE) && i < mods->cEntries; i++)
        if (SUCCEEDED(hr = entry_row_id(&mods->aEntries[i], &row_id)) && !find_recipient(message, row_id))
            hr = MAPI_E_NOT_FOUND;
    if (SUCCEEDED(hr) && kind != MODRECIP_REMOVE &&
        !(rows = mapi_alloc_zeroed(&message->alloc, ((size_t)mods->cEntries + 1) * sizeof(*rows))))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    for (; SUCCEEDED(hr) && rows && prepared < mods->cEntries; prepared++)
        hr = hold_entry(message, &mods->aEntries[prepared], codepage, &rows[prepared]);
    if (SUCCEEDED(hr) && !(next = mapi_alloc_zeroed(&message->alloc, (size_t)next_capacity * sizeof(*next))))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr)) { /* the list as it will be: rows shared with the old list, not copied */
        for (i = 0; kind != 0 && i < message->recipient_count; i++) {
            BOOL removed = FALSE;
            next[next_count] = message->recipients[i];
            for (j = 0; kind & (MODRECIP_MODIFY | MODRECIP_REMOVE) && j < mods->cEntries; j++) {
                entry_row_id(&mods->aEntries[j], &row_id);
                if (row_id != message->recipients[i].row_id) continue;
                if (kind == MODRECIP_REMOVE) removed = TRUE;
                else next[next_count].values = rows[j];
            }
            if (!removed) next_count++;
        }
        for (i = 0; (kind == 0 || kind == MODRECIP_ADD) && i < mods->cEntries; i++) {
            next[next_count].row_id = next_id++;
            next[next_count++].values = rows[i];
        }
    }
    for (i = 0; SUCCEEDED(hr) && i < ARRAYSIZE(display_tags); i++)
        hr = join_names(message, next, next_count, display_types[i], &display[i], &display_units[i]);
    if (SUCCEEDED(hr) &&
        !mapi_array_reserve(&message->alloc, (void **)&message->values.items, &message->values.capacity,
                            message->values.count, message->values.count + ARRAYSIZE(display_tags),
                            sizeof(*message->values.items), 16))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (FAILED(hr)) {
        for (i = 0; rows && i < prepared; i++) held_free(&rows[i]);
        for (i = 0; i < ARRAYSIZE(display_tags); i++) mapi_free(&message->alloc, display[i]);
        mapi_free(&message->alloc, rows);
        mapi_free(&message->alloc, next);
        return hr;
    }
    /* From here nothing can fail: the rows the new list does not have go (old ones, and new ones named twice). */
    for (i = 0; i < message->recipient_count; i++)
        if (!in_list(next, next_count, &message->recipients[i].values)) held_free(&message->recipients[i].values);
    for (i = 0; i < prepared; i++)
        if (!in_list(next, next_count, &rows[i])) held_free(&rows[i]);
    mapi_free(&message->alloc, message->recipients);
    mapi_free(&message->alloc, rows);
    message->recipients = next;
    message->recipient_count = next_count;
    message->recipient_capacity = next_capacity;
    message->next_row_id = next_id;
    message->recipients_dirty = TRUE;
    /* The encoding of a PT_UNICODE value is its code units, no terminator (mapi/propval.h). */
    for (i = 0; i < ARRAYSIZE(display_tags); i++)
        held_put(&message->values, display_tags[i], (BYTE *)display[i], display_units[i] * sizeof(WCHAR), TRUE);
    return S_OK;
}

HRESULT model_message_recipient_rows(struct model *model, const struct model_message *message,
                                     struct prop_list **rows, ULONG *count)
{
    struct prop_list *lists;
    HRESULT hr = S_OK;
    ULONG i;
    *rows = NULL;
    *count = 0;
    if (!(lists = mapi_alloc_zeroed(&model->alloc, ((size_t)message->recipient_count + 1) * sizeof(*lists))))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; SUCCEEDED(hr) && i < message->recipient_count; i++) {
        const struct recipient *r = &message->recipients[i];
        struct prop_builder b;
        props_begin(&b, &model->alloc, 2 + r->values.count);
        props_add_long(&b, PR_ROWID, (LONG)r->row_id);
        /* A row's instance key is its row id: unique in the table. */
        props_add_binary(&b, PR_INSTANCE_KEY, sizeof(r->row_id), &r->row_id);
        held_add_props(&b, &r->values, FALSE, 0);
        hr = props_end(&b, &lists[i]);
    }
    if (FAILED(hr)) {
        model_free_rows(&model->alloc, lists, i);
        return hr;
    }
    *rows = lists;
    *count = message->recipient_count;
    return S_OK;
}

/* ---- copying and moving ---- */

/* A copy of message row (its values, big ones and recipients too) in dest_id, with keys of its own. */
static HRESULT copy_message(struct model *model, const struct storage_message *row, ULONGLONG dest_id,
                            LONGLONG *copy_id)
{
    struct storage_message copy = *row;
    BYTE key[XID_SIZE], list[1 + XID_SIZE];
    HRESULT hr = model_result(model, storage_next_change_number(model->storage, &copy.change_number));
    copy.folder_id = (LONGLONG)dest_id;
    if (SUCCEEDED(hr)) hr = model_result(model, storage_message_insert(model->storage, &copy, copy_id));
    if (SUCCEEDED(hr)) hr = model_result(model, storage_message_copy_values(model->storage, row->id, *copy_id));
    /* A copy is another message: its own source key and change key, its change list starting anew. */
    xid(model, *copy_id, key);
    if (SUCCEEDED(hr)) hr = write_value(model, STORAGE_MESSAGE, *copy_id, PR_SOURCE_KEY, key, XID_SIZE);
    xid(model, copy.change_number, key);
    list[0] = XID_SIZE;
    memcpy(list + 1, key, XID_SIZE);
    if (SUCCEEDED(hr)) hr = write_value(model, STORAGE_MESSAGE, *copy_id, PR_CHANGE_KEY, key, XID_SIZE);
    if (SUCCEEDED(hr)) hr = write_value(model, STORAGE_MESSAGE, *copy_id, PR_PREDECESSOR_CHANGE_LIST, list, sizeof(list));
    return hr;
}

/* Copies (or moves) the messages rows of folder_id into dest_id, with their counts and changes. */
static HRESULT copy_rows(struct model *model, struct storage_message *rows, ULONG count, ULONGLONG folder_id,
                         ULONGLONG dest_id, BOOL move, struct model_changes *changes)
{
    LONG contents = 0, unread = 0, associated = 0;
    HRESULT hr = S_OK;
    ULONG i;
    for (i = 0; SUCCEEDED(hr) && i < count; i++) {
        struct storage_message *row = &rows[i];
        LONGLONG copy_id = row->id;
        if (move) {
            row->folder_id = (LONGLONG)dest_id; /* a move keeps the message's id: its entry ID stays valid */
            hr = model_result(model, storage_message_update(model->storage, row));
        } else {
            hr = copy_message(model, row, dest_id, &copy_id);
        }
        if (SUCCEEDED(hr))
            hr = changes_add(changes, move ? CHANGE_MOVED : CHANGE_COPIED, MAPI_MESSAGE, (ULONGLONG)copy_id, dest_id,
                             (ULONGLONG)row->id, folder_id);
        if (row->associated) associated++;
        else contents++;
        unread += unread_of(row);
    }
    if (SUCCEEDED(hr) && move) hr = add_message_counts(model, folder_id, -contents, -unread, -associated, changes);
    if (SUCCEEDED(hr)) hr = add_message_counts(model, dest_id, contents, unread, associated, changes);
    return hr;
}

HRESULT model_messages_copy(struct model *model, ULONGLONG folder_id, ULONG count, const ULONGLONG *ids,
                            ULONGLONG dest_id, BOOL move, ULONG *missing, struct model_changes *changes)
{
    struct storage_message *rows = NULL;
    ULONG mark = changes->count, found = 0;
    ULONGLONG parent;
    BOOL special;
    HRESULT hr = model_begin_change(model);
    if (FAILED(hr)) return hr;
    hr = model_folder_parent(model, dest_id, &parent, &special);
    if (SUCCEEDED(hr)) hr = rows_of(model, folder_id, count, ids, FALSE, &rows, &found, missing);
    /* A move into its own folder changes nothing; a copy there is a second message. */
    if (SUCCEEDED(hr) && !(move && dest_id == folder_id)) hr = copy_rows(model, rows, found, folder_id, dest_id, move, changes);
    mapi_free(&model->alloc, rows);
    return model_end_change(model, hr, changes, mark);
}

HRESULT model_copy_folder_messages(struct model *model, ULONGLONG folder_id, ULONGLONG copy_id,
                                   struct model_changes *changes)
{
    struct storage_message *rows = NULL;
    ULONG found = 0, missing = 0;
    HRESULT hr = rows_of(model, folder_id, 0, NULL, TRUE, &rows, &found, &missing);
    if (SUCCEEDED(hr)) hr = copy_rows(model, rows, found, folder_id, copy_id, FALSE, changes);
    mapi_free(&model->alloc, rows);
    return hr;
}
