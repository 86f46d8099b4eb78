/*
 * Attachments (model.h): the copy an open attachment holds, saved into its
 * message's copy by IAttach::SaveChanges and into the file with the message;
 * an embedded message the same way, one level down.
 */
#include "model/message_internal.h"

#include <string.h>

_Static_assert(MODEL_EMBEDDING_MAX <= STORAGE_EMBEDDING_MAX, "the file must hold what the model nests");

struct model_attachment {
    struct mapi_allocators alloc; /* its own copy, as a message's */
    ULONG num;
    LONGLONG id;    /* its file row (for big values left there); 0 for one not read from the file */
    UINT codepage;  /* its message's, for PT_STRING8 values */
    ULONG depth;    /* its message's */
    struct held_values values;
    LONGLONG embedded_id, embedded_size; /* the embedded message in the file; 0 when none */
    struct model_message *embedded;      /* one saved into the attachment since: it replaces the file's */
    BOOL dirty;                          /* changed since the file was written: the save writes it */
};

/* Properties the store computes on an attachment: SetProps and DeleteProps refuse them. */
static const ULONG computed_props[] = {
    PR_ATTACH_NUM, PR_ATTACH_SIZE,       PR_OBJECT_TYPE,      PR_ACCESS_LEVEL, PR_RECORD_KEY,   PR_INSTANCE_KEY,
    PR_ENTRYID,    PR_MAPPING_SIGNATURE, PR_STORE_ENTRYID,    PR_STORE_RECORD_KEY, PR_MDB_PROVIDER,
    PR_STORE_SUPPORT_MASK,
};
#define ATTACHMENT_ROW_PROP_COUNT 6

static BOOL is_computed(ULONG tag) { return props_id_listed(computed_props, ARRAYSIZE(computed_props), tag); }

static struct model_attachment *new_attachment(const struct mapi_allocators *alloc)
{
    struct model_attachment *a = mapi_alloc_zeroed(alloc, sizeof(*a));
    if (!a) return NULL;
    a->alloc = *alloc;
    a->values.alloc = &a->alloc;
    return a;
}

void model_attachment_free(struct model_attachment *attachment)
{
    struct mapi_allocators alloc;
    if (!attachment) return;
    alloc = attachment->alloc;
    held_free(&attachment->values);
    model_message_free(attachment->embedded);
    mapi_free(&alloc, attachment);
}

/* A copy of an attachment, its embedded message too, in blocks of alloc. */
static HRESULT clone_attachment(const struct model_attachment *from, const struct mapi_allocators *alloc,
                                struct model_attachment **out)
{
    struct model_attachment *a = new_attachment(alloc);
    HRESULT hr = a ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    *out = NULL;
    if (FAILED(hr)) return hr;
    a->num = from->num;
    a->id = from->id;
    a->codepage = from->codepage;
    a->depth = from->depth;
    a->embedded_id = from->embedded_id;
    a->embedded_size = from->embedded_size;
    a->dirty = from->dirty;
    hr = held_clone(&from->values, &a->alloc, &a->values);
    if (SUCCEEDED(hr) && from->embedded) hr = message_clone(from->embedded, &a->embedded);
    if (FAILED(hr)) {
        model_attachment_free(a);
        return hr;
    }
    *out = a;
    return S_OK;
}

/* ---- the list a message holds ---- */

void attachments_free(const struct mapi_allocators *alloc, struct attachment_list *list)
{
    ULONG i;
    for (i = 0; i < list->count; i++) model_attachment_free(list->items[i]);
    mapi_free(alloc, list->items);
    mapi_free(alloc, list->deleted);
    memset(list, 0, sizeof(*list));
}

HRESULT attachments_clone(const struct attachment_list *from, const struct mapi_allocators *alloc,
                          struct attachment_list *out)
{
    HRESULT hr = S_OK;
    ULONG i;
    memset(out, 0, sizeof(*out));
    out->next_num = from->next_num;
    if (!from->count && !from->deleted_count) return S_OK;
    if (!(out->items = mapi_alloc_zeroed(alloc, (from->count + 1) * sizeof(*out->items))) ||
        !(out->deleted = mapi_alloc_zeroed(alloc, (from->deleted_count + 1) * sizeof(ULONG))))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr) && from->deleted_count) memcpy(out->deleted, from->deleted, from->deleted_count * sizeof(ULONG));
    if (SUCCEEDED(hr)) {
        out->capacity = from->count + 1;
        out->deleted_count = from->deleted_count;
        out->deleted_capacity = from->deleted_count + 1;
    }
    for (i = 0; SUCCEEDED(hr) && i < from->count; i++)
        if (SUCCEEDED(hr = clone_attachment(from->items[i], alloc, &out->items[i]))) out->count++;
    if (FAILED(hr)) attachments_free(alloc, out);
    return hr;
}

static LONGLONG attachment_size(const struct model_attachment *a)
{
    return held_size(&a->values) + (a->embedded ? message_size(a->embedded) : a->embedded_size);
}

LONGLONG attachments_size(const struct attachment_list *list)
{
    LONGLONG size = 0;
    ULONG i;
    for (i = 0; i < list->count; i++) size += attachment_size(list->items[i]);
    return size;
}

static ULONG find_index(const struct attachment_list *list, ULONG num)
{
    ULONG i;
    for (i = 0; i < list->count; i++)
        if (list->items[i]->num == num) return i;
    return list->count;
}

struct stored_list {
    const struct mapi_allocators *alloc;
    ULONG count, capacity;
    struct storage_attachment *items; /* a MAPI block */
};

static int add_stored(void *context, const struct storage_attachment *stored)
{
    struct stored_list *list = context;
    if (!mapi_array_reserve(list->alloc, (void **)&list->items, &list->capacity, list->count, list->count + 1,
                            sizeof(*list->items), 4))
        return STORAGE_NO_MEMORY;
    list->items[list->count++] = *stored;
    return STORAGE_OK;
}

HRESULT attachments_load(struct model *model, LONGLONG message_id, struct model_message *message)
{
    struct stored_list stored = {&model->alloc, 0, 0, NULL};
    struct attachment_list *list = &message->attachments;
    HRESULT hr = model_result(model, storage_attachments(model->storage, message_id, add_stored, &stored));
    ULONG i;
    if (SUCCEEDED(hr) && stored.count &&
        !(list->items = mapi_alloc_zeroed(&message->alloc, stored.count * sizeof(*list->items))))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr)) list->capacity = stored.count;
    for (i = 0; SUCCEEDED(hr) && i < stored.count; i++) {
        struct model_attachment *a = new_attachment(&message->alloc);
        if (!a) {
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
            break;
        }
        a->num = stored.items[i].num;
        a->id = stored.items[i].id;
        a->depth = message->depth;
        a->embedded_id = stored.items[i].embedded_id;
        a->embedded_size = stored.items[i].embedded_size;
        list->items[list->count++] = a;
        if (SUCCEEDED(hr = held_load(model, STORAGE_ATTACHMENT, a->id, TRUE, &a->values))) a->values.alloc = &a->alloc;
        if (a->num >= list->next_num) list->next_num = a->num + 1;
    }
    mapi_free(&model->alloc, stored.items);
    return hr; /* on failure the caller frees the message, and the list with it */
}

HRESULT attachments_write(struct model *model, LONGLONG message_id, const struct attachment_list *list, BOOL all)
{
    HRESULT hr = S_OK;
    ULONG i;
    for (i = 0; SUCCEEDED(hr) && !all && i < list->deleted_count; i++) {
        hr = model_result(model, storage_attachment_delete(model->storage, message_id, list->deleted[i]));
        if (hr == MAPI_E_NOT_FOUND) hr = S_OK;
    }
    for (i = 0; SUCCEEDED(hr) && i < list->count; i++) {
        const struct model_attachment *a = list->items[i];
        LONGLONG id = 0;
        BOOL inserted = all;
        if (!all && !a->dirty) continue;
        if (!all) {
            hr = model_result(model, storage_attachment_find(model->storage, message_id, a->num, &id));
            if (hr == MAPI_E_NOT_FOUND) inserted = TRUE, hr = S_OK;
        }
        if (SUCCEEDED(hr) && inserted)
            hr = model_result(model, storage_attachment_insert(model->storage, message_id, a->num, &id));
        if (SUCCEEDED(hr)) hr = held_write(model, STORAGE_ATTACHMENT, id, &a->values, inserted);
        if (SUCCEEDED(hr) && a->embedded) hr = message_write_embedded(model, a->embedded, id);
    }
    return hr;
}

void attachments_saved(struct attachment_list *list)
{
    ULONG i;
    list->deleted_count = 0;
    for (i = 0; i < list->count; i++) {
        held_saved(&list->items[i]->values);
        list->items[i]->dirty = FALSE;
        if (list->items[i]->embedded) message_saved_values(list->items[i]->embedded);
    }
}

/* ---- an open attachment ---- */

HRESULT model_attachment_new(struct model *model, struct model_message *message, struct model_attachment **out)
{
    struct model_attachment *a = new_attachment(&message->alloc);
    (void)model;
    *out = NULL;
    if (!a) return MAPI_E_NOT_ENOUGH_MEMORY;
    a->num = message->attachments.next_num++;
    a->codepage = message_codepage(message, 0, NULL);
    a->depth = message->depth;
    a->dirty = TRUE;
    *out = a;
    return S_OK;
}

HRESULT model_attachment_open(struct model *model, const struct model_message *message, ULONG num,
                              struct model_attachment **out)
{
    ULONG i = find_index(&message->attachments, num);
    HRESULT hr;
    (void)model;
    *out = NULL;
    if (i == message->attachments.count) return MAPI_E_NOT_FOUND;
    if (SUCCEEDED(hr = clone_attachment(message->attachments.items[i], &message->alloc, out)))
        (*out)->codepage = message_codepage(message, 0, NULL);
    return hr;
}

ULONG model_attachment_num(const struct model_attachment *attachment) { return attachment->num; }

UINT model_attachment_codepage(const struct model_attachment *attachment) { return attachment->codepage; }

/* The computed properties of an attachment, as its object and its table row show them. */
static void add_attachment_props(struct model *model, struct prop_builder *b, const struct model_attachment *a,
                                 BOOL writable)
{
    LONGLONG size = attachment_size(a);
    props_add_long(b, PR_OBJECT_TYPE, MAPI_ATTACH);
    props_add_long(b, PR_ATTACH_NUM, (LONG)a->num);
    props_add_long(b, PR_ATTACH_SIZE, size > MAXLONG ? MAXLONG : (LONG)size);
    /* Unique among the message's attachments, as the number is. */
    props_add_binary(b, PR_RECORD_KEY, sizeof(a->num), &a->num);
    props_add_binary(b, PR_INSTANCE_KEY, sizeof(a->num), &a->num);
    props_add_long(b, PR_ACCESS_LEVEL, writable ? MAPI_MODIFY : 0);
    model_add_identity(model, b);
}

HRESULT model_attachment_props(struct model *model, const struct model_attachment *attachment, BOOL writable,
                               struct prop_list *out)
{
    struct prop_builder b;
    props_begin(&b, &model->alloc, ATTACHMENT_ROW_PROP_COUNT + MODEL_IDENTITY_PROP_COUNT + 1 + attachment->values.count);
    add_attachment_props(model, &b, attachment, writable);
    if (attachment->embedded || attachment->embedded_id) props_add_object(&b, PR_ATTACH_DATA_OBJ);
    held_add_props(&b, &attachment->values, TRUE, 0);
    return props_end(&b, out);
}

static HRESULT set_one(struct model_attachment *a, const SPropValue *value, SCODE *problem)
{
    if (PROP_ID(value->ulPropTag) == PROP_ID_NULL) return *problem = MAPI_E_INVALID_PARAMETER, S_OK;
    if (is_computed(value->ulPropTag)) return *problem = MAPI_E_COMPUTED, S_OK;
    a->dirty = TRUE;
    return held_set(&a->values, value, a->codepage, problem);
}

HRESULT model_attachment_set_props(struct model *model, struct model_attachment *attachment, ULONG count,
                                   const SPropValue *values, SCODE *problems)
{
    HRESULT hr = S_OK;
    ULONG i;
    (void)model;
    for (i = 0; i < count; i++) problems[i] = S_OK;
    for (i = 0; SUCCEEDED(hr) && i < count; i++) hr = set_one(attachment, &values[i], &problems[i]);
    return hr;
}

HRESULT model_attachment_delete_props(struct model *model, struct model_attachment *attachment,
                                      const SPropTagArray *tags, SCODE *problems)
{
    HRESULT hr = S_OK;
    ULONG i;
    (void)model;
    for (i = 0; SUCCEEDED(hr) && i < tags->cValues; i++) {
        problems[i] = S_OK;
        if (is_computed(tags->aulPropTag[i])) {
            problems[i] = MAPI_E_COMPUTED;
        } else {
            hr = held_delete(&attachment->values, PROP_ID(tags->aulPropTag[i]), TRUE, &problems[i]);
            if (SUCCEEDED(hr) && problems[i] == S_OK) attachment->dirty = TRUE;
        }
    }
    return hr;
}

HRESULT model_attachment_values(struct model *model, const struct model_attachment *attachment,
                                 struct prop_list *out)
{
    struct prop_builder b;
    HRESULT hr = model_read_begin(model);
    if (FAILED(hr)) return hr;
    props_begin(&b, &model->alloc, attachment->values.count);
    held_add_whole(model, &b, &attachment->values, STORAGE_ATTACHMENT, attachment->id, is_computed);
    model_read_end(model);
    return props_end(&b, out);
}

ULONG model_message_attachment_count(const struct model_message *message) { return message->attachments.count; }

ULONG model_message_attachment_num(const struct model_message *message, ULONG index)
{
    return message->attachments.items[index]->num;
}

HRESULT model_attachment_stream_read(struct model *model, const struct model_attachment *attachment, ULONG tag,
                                     BYTE **data, ULONG *size)
{
    return held_stream_read(model, &attachment->values, STORAGE_ATTACHMENT, attachment->id, tag, attachment->codepage,
                            data, size);
}

HRESULT model_attachment_stream_write(struct model *model, struct model_attachment *attachment, ULONG tag,
                                      const BYTE *data, ULONG size)
{
    SPropValue value;
    SCODE problem = S_OK;
    BYTE *text;
    HRESULT hr = held_stream_value(&attachment->alloc, tag, data, size, &value, &text);
    (void)model;
    if (SUCCEEDED(hr)) hr = set_one(attachment, &value, &problem);
    mapi_free(&attachment->alloc, text);
    if (SUCCEEDED(hr) && problem != S_OK) hr = problem;
    return hr;
}

HRESULT model_attachment_save(struct model *model, struct model_message *message,
                              const struct model_attachment *attachment)
{
    struct attachment_list *list = &message->attachments;
    ULONG i = find_index(list, attachment->num);
    struct model_attachment *copy;
    HRESULT hr;
    (void)model;
    if (i == list->count && !mapi_array_reserve(&message->alloc, (void **)&list->items, &list->capacity, list->count,
                                                list->count + 1, sizeof(*list->items), 4))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    if (FAILED(hr = clone_attachment(attachment, &message->alloc, &copy))) return hr;
    if (i == list->count) list->count++;
    else model_attachment_free(list->items[i]);
    list->items[i] = copy;
    return S_OK;
}

HRESULT model_message_delete_attachment(struct model *model, struct model_message *message, ULONG num)
{
    struct attachment_list *list = &message->attachments;
    ULONG i = find_index(list, num);
    (void)model;
    if (i == list->count) return MAPI_E_NOT_FOUND;
    /* Room first: an attachment gone from the copy is always one the save deletes from the file. */
    if (!mapi_array_reserve(&message->alloc, (void **)&list->deleted, &list->deleted_capacity, list->deleted_count,
                            list->deleted_count + 1, sizeof(ULONG), 4))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    list->deleted[list->deleted_count++] = num;
    model_attachment_free(list->items[i]);
    memmove(&list->items[i], &list->items[i + 1], (list->count - i - 1) * sizeof(*list->items));
    list->count--;
    return S_OK;
}

HRESULT model_message_attachment_rows(struct model *model, const struct model_message *message,
                                      struct prop_list **rows, ULONG *count)
{
    const struct attachment_list *list = &message->attachments;
    struct prop_list *lists;
    HRESULT hr = S_OK;
    ULONG i;
    *rows = NULL;
    *count = 0;
    if (!(lists = mapi_alloc_zeroed(&model->alloc, ((size_t)list->count + 1) * sizeof(*lists))))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; SUCCEEDED(hr) && i < list->count; i++) {
        struct prop_builder b;
        props_begin(&b, &model->alloc, ATTACHMENT_ROW_PROP_COUNT + MODEL_IDENTITY_PROP_COUNT + list->items[i]->values.count);
        add_attachment_props(model, &b, list->items[i], FALSE);
        held_add_props(&b, &list->items[i]->values, FALSE, MODEL_ROW_STRING_MAX);
        hr = props_end(&b, &lists[i]);
    }
    if (FAILED(hr)) {
        model_free_rows(&model->alloc, lists, i);
        return hr;
    }
    *rows = lists;
    *count = list->count;
    return S_OK;
}

/* ---- embedded messages ---- */

HRESULT model_attachment_embedded(struct model *model, const struct model_attachment *attachment, BOOL create,
                                  struct model_message **out)
{
    *out = NULL;
    if (attachment->depth + 1 > MODEL_EMBEDDING_MAX) return MAPI_E_TOO_COMPLEX;
    if (create) return (*out = message_new_embedded(model, attachment->depth + 1)) ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    if (attachment->embedded) return message_clone(attachment->embedded, out);
    if (!attachment->embedded_id) return MAPI_E_NOT_FOUND;
    return message_open_embedded(model, attachment->embedded_id, attachment->depth + 1, out);
}

HRESULT model_attachment_embed(struct model *model, struct model_attachment *attachment,
                               struct model_message *embedded)
{
    struct model_message *copy;
    HRESULT hr = message_before_save(embedded);
    (void)model;
    if (SUCCEEDED(hr)) hr = message_clone(embedded, &copy);
    if (FAILED(hr)) return hr;
    model_message_free(attachment->embedded);
    attachment->embedded = copy;
    attachment->dirty = TRUE;
    return S_OK;
}
