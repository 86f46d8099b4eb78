#include "model/model_internal.h"

#include "model/layout.h"

#include <string.h>

/* {23e3e142-e9dc-4131-8af1-7cd8f1b16241}: msstore's store type. */
const MAPIUID msstore_provider_uid = {{0x23, 0xe3, 0xe1, 0x42, 0xe9, 0xdc, 0x41, 0x31, 0x8a, 0xf1, 0x7c,
                                       0xd8, 0xf1, 0xb1, 0x62, 0x41}};
const WCHAR msstore_provider_display[] = L"msstore Message Store";

/* What the store can do (contract §10.2): a writable logon may modify and create, a read-only one neither. */
#define SUPPORT_MASK_COMMON                                                                \
    (STORE_ENTRYID_UNIQUE | STORE_RESTRICTION_OK | STORE_SORT_OK | STORE_NOTIFY_OK | STORE_UNICODE_OK |      \
     STORE_ATTACH_OK | STORE_MV_PROPS_OK | STORE_HTML_OK)
#define SUPPORT_MASK_WRITABLE (SUPPORT_MASK_COMMON | STORE_MODIFY_OK | STORE_CREATE_OK)
#define SUPPORT_MASK_READ_ONLY (SUPPORT_MASK_COMMON | STORE_READONLY)

HRESULT model_result(struct model *model, int result)
{
    if (result == STORAGE_OK) return S_OK;
    switch (result) {
    case STORAGE_NOT_FOUND: return MAPI_E_NOT_FOUND;
    case STORAGE_BUSY: return MAPI_E_BUSY;
    case STORAGE_NO_MEMORY: return MAPI_E_NOT_ENOUGH_MEMORY;
    case STORAGE_DISK_FULL: return MAPI_E_NOT_ENOUGH_DISK;
    case STORAGE_IO_ERROR: return MAPI_E_DISK_ERROR;
    case STORAGE_CORRUPT: case STORAGE_NOT_A_STORE: return MAPI_E_CORRUPT_STORE;
    case STORAGE_NEWER_SCHEMA: return MAPI_E_VERSION;
    case STORAGE_READ_ONLY: return MAPI_E_NO_ACCESS;
    case STORAGE_CONSTRAINT: return MAPI_E_COLLISION;
    default: return MAPI_E_CALL_FAILED;
    }
}

HRESULT model_begin_change(struct model *model)
{
    HRESULT hr = model_result(model, storage_begin_write(model->storage));
    if (SUCCEEDED(hr)) model->transaction_depth = 1;
    return hr;
}

HRESULT model_end_change(struct model *model, HRESULT hr, struct model_changes *changes, ULONG mark)
{
    if (SUCCEEDED(hr)) hr = model_result(model, storage_commit(model->storage));
    if (FAILED(hr)) {
        storage_rollback(model->storage);
        if (changes) changes->count = mark;
    }
    model->transaction_depth = 0;
    return hr;
}

HRESULT model_read_begin(struct model *model)
{
    HRESULT hr = S_OK;
    if (!model->transaction_depth && FAILED(hr = model_result(model, storage_begin_read(model->storage)))) return hr;
    model->transaction_depth++;
    return S_OK;
}

void model_read_end(struct model *model)
{
    if (--model->transaction_depth == 0) storage_rollback(model->storage); /* a read changed nothing to keep */
}

LONGLONG model_now(void)
{
    FILETIME now;
    GetSystemTimeAsFileTime(&now);
    return (LONGLONG)((ULONGLONG)now.dwHighDateTime << 32 | now.dwLowDateTime);
}

HRESULT model_fold(const WCHAR *name, WCHAR *key, int size)
{
    int length = (int)wcslen(name);
    if (length >= size) return MAPI_E_INVALID_PARAMETER;
    if (!length) {
        key[0] = 0;
        return S_OK;
    }
    if (LCMapStringW(LOCALE_INVARIANT, LCMAP_UPPERCASE, name, length + 1, key, size) <= 0)
        return MAPI_E_INVALID_PARAMETER;
    return S_OK;
}

void model_add_identity(const struct model *model, struct prop_builder *b)
{
    props_add_binary(b, PR_STORE_ENTRYID, model->cb_wrapped, model->wrapped);
    props_add_binary(b, PR_STORE_RECORD_KEY, sizeof(MAPIUID), &model->uid);
    props_add_binary(b, PR_MDB_PROVIDER, sizeof(MAPIUID), &msstore_provider_uid);
    /* The store's one mapping of named properties: the same on every object (model/names.c). */
    props_add_binary(b, PR_MAPPING_SIGNATURE, sizeof(MAPIUID), &model->uid);
    props_add_long(b, PR_STORE_SUPPORT_MASK, (LONG)(model->writable ? SUPPORT_MASK_WRITABLE : SUPPORT_MASK_READ_ONLY));
}

/* ---- opening ---- */

static HRESULT read_identity(struct model *model)
{
    struct entryid_fields fields = {{{0}}, ENTRYID_KIND_STORE, 0};
    HRESULT hr = model_result(model, storage_identity_get(model->storage, model->uid.ab));
    if (hr == MAPI_E_NOT_FOUND) hr = MAPI_E_CORRUPT_STORE; /* a schema without an identity */
    if (FAILED(hr)) return hr;
    fields.store_uid = model->uid;
    entryid_encode(&fields, model->store_entryid);
    return S_OK;
}

HRESULT model_open(const struct mapi_allocators *alloc, const WCHAR *path, struct model **out, BOOL *needs_identity)
{
    struct model *model;
    BOOL needed = FALSE;
    HRESULT hr;

    *out = NULL;
    *needs_identity = FALSE;
    if (!(model = mapi_alloc_zeroed(alloc, sizeof(*model)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    model->alloc = *alloc;
    hr = model_result(model, storage_open(path, STORAGE_OPEN_WRITE, model_sort_key, &model->storage));
    if (SUCCEEDED(hr)) hr = model_result(model, storage_needs_schema(model->storage, &needed));
    if (SUCCEEDED(hr) && !needed) hr = read_identity(model);
    if (FAILED(hr)) {
        model_close(model);
        return hr;
    }
    *needs_identity = needed;
    *out = model;
    return S_OK;
}

HRESULT model_initialize(struct model *model, const MAPIUID *uid)
{
    BOOL needed = FALSE;
    HRESULT hr = model_begin_change(model);
    if (FAILED(hr)) return hr;
    /* Under the write lock: another process may have set the file up since model_open looked. */
    hr = model_result(model, storage_needs_schema(model->storage, &needed));
    if (SUCCEEDED(hr) && needed) {
        hr = model_result(model, storage_create_schema(model->storage, LAYOUT_RESERVED_IDS));
        if (SUCCEEDED(hr)) hr = model_result(model, layout_write(model->storage, uid, model_now()));
    }
    hr = model_end_change(model, hr, NULL, 0);
    return SUCCEEDED(hr) ? read_identity(model) : hr;
}

HRESULT model_present(struct model *model, const WCHAR *display_name, ULONG cb_wrapped, const ENTRYID *wrapped,
                      BOOL writable)
{
    WCHAR *name = mapi_alloc_copy(&model->alloc, display_name, (wcslen(display_name) + 1) * sizeof(WCHAR));
    BYTE *copy = mapi_alloc_copy(&model->alloc, wrapped, cb_wrapped);
    if (!name || !copy) {
        mapi_free(&model->alloc, name);
        mapi_free(&model->alloc, copy);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    mapi_free(&model->alloc, model->display_name);
    mapi_free(&model->alloc, model->wrapped);
    model->display_name = name;
    model->cb_wrapped = cb_wrapped;
    model->wrapped = copy;
    model->writable = writable;
    return S_OK;
}

void model_close(struct model *model)
{
    struct mapi_allocators alloc;
    if (!model) return;
    storage_close(model->storage);
    alloc = model->alloc;
    mapi_free(&alloc, model->display_name);
    mapi_free(&alloc, model->wrapped);
    mapi_free(&alloc, model);
}

const MAPIUID *model_uid(const struct model *model) { return &model->uid; }
const WCHAR *model_display_name(const struct model *model) { return model->display_name; }
BOOL model_writable(const struct model *model) { return model->writable; }
void model_allow_writing(struct model *model) { model->writable = TRUE; }
const struct mapi_allocators *model_allocators(const struct model *model) { return &model->alloc; }
const BYTE *model_store_entryid(const struct model *model) { return model->store_entryid; }

void model_entryid(const struct model *model, enum entryid_kind kind, ULONGLONG id, BYTE out[ENTRYID_SIZE])
{
    struct entryid_fields fields;
    fields.store_uid = model->uid;
    fields.kind = kind;
    fields.object_id = id;
    entryid_encode(&fields, out);
}

HRESULT model_generation(struct model *model, ULONG *generation)
{
    BOOL changed = FALSE;
    HRESULT hr = model_result(model, storage_changed_elsewhere(model->storage, &changed));
    if (changed) model->generation++;
    *generation = model->generation;
    return hr;
}

/* ---- reading ---- */

HRESULT model_resolve(struct model *model, ULONG cb, const ENTRYID *entryid, struct entryid_fields *fields)
{
    ULONGLONG parent;
    BOOL special;
    HRESULT hr = entryid_decode(cb, entryid, fields);
    if (FAILED(hr)) return hr;
    if (memcmp(&fields->store_uid, &model->uid, sizeof(MAPIUID)) != 0)
        return MAPI_E_INVALID_ENTRYID; /* another store's, or not msstore's */
    switch (fields->kind) {
    case ENTRYID_KIND_FOLDER: return model_folder_parent(model, fields->object_id, &parent, &special);
    case ENTRYID_KIND_MESSAGE: return model_message_folder_of(model, fields->object_id, &parent);
    default: return S_OK;
    }
}

HRESULT model_store_props(struct model *model, struct prop_list *out)
{
    struct prop_builder b;
    BYTE entryid[ENTRYID_SIZE];
    ULONG i, valid_folders = 0;

    props_begin(&b, &model->alloc, 5 + MODEL_IDENTITY_PROP_COUNT + layout_folder_count);
    props_add_long(&b, PR_OBJECT_TYPE, MAPI_STORE);
    props_add_string(&b, PR_DISPLAY_NAME, model->display_name);
    props_add_binary(&b, PR_ENTRYID, model->cb_wrapped, model->wrapped);
    props_add_binary(&b, PR_RECORD_KEY, sizeof(MAPIUID), &model->uid);
    model_add_identity(model, &b);
    for (i = 0; i < layout_folder_count; i++) {
        valid_folders |= layout_folders[i].valid_folder_bit;
        if (!layout_folders[i].store_property) continue;
        model_entryid(model, ENTRYID_KIND_FOLDER, layout_folders[i].id, entryid);
        props_add_binary(&b, layout_folders[i].store_property, ENTRYID_SIZE, entryid);
    }
    props_add_long(&b, PR_VALID_FOLDER_MASK, (LONG)valid_folders);
    return props_end(&b, out);
}

/* ---- receive folders ---- */

struct receive_entry {
    WCHAR message_class[MODEL_CLASS_MAX + 1];
    ULONGLONG folder_id;
};

struct receive_entries {
    const struct mapi_allocators *alloc;
    ULONG count, capacity;
    struct receive_entry *items; /* a MAPI block */
};

static int add_receive_entry(void *context, const WCHAR *message_class, LONGLONG folder_id)
{
    struct receive_entries *entries = context;
    if (wcslen(message_class) > MODEL_CLASS_MAX) return STORAGE_CORRUPT; /* SetReceiveFolder refuses longer ones */
    if (!mapi_array_reserve(entries->alloc, (void **)&entries->items, &entries->capacity, entries->count,
                            entries->count + 1, sizeof(*entries->items), 8))
        return STORAGE_NO_MEMORY;
    wcscpy(entries->items[entries->count].message_class, message_class);
    entries->items[entries->count++].folder_id = (ULONGLONG)folder_id;
    return STORAGE_OK;
}

static HRESULT read_receive_entries(struct model *model, struct receive_entries *entries)
{
    memset(entries, 0, sizeof(*entries));
    entries->alloc = &model->alloc;
    return model_result(model, storage_receive_folders(model->storage, add_receive_entry, entries));
}

/* Whether class starts with prefix, ignoring case, ending there or at a '.'. */
static BOOL class_has_prefix(const WCHAR *class, const WCHAR *prefix)
{
    size_t length = wcslen(prefix);
    if (!length) return TRUE;
    if (wcslen(class) < length || CompareStringOrdinal(class, (int)length, prefix, (int)length, TRUE) != CSTR_EQUAL)
        return FALSE;
    return class[length] == 0 || class[length] == '.';
}

HRESULT model_receive_folder(struct model *model, const WCHAR *message_class, ULONGLONG *folder_id, WCHAR *explicit_class)
{
    struct receive_entries entries;
    size_t best_length = 0;
    ULONG i, best = (ULONG)-1;
    HRESULT hr = read_receive_entries(model, &entries);
    for (i = 0; SUCCEEDED(hr) && i < entries.count; i++) {
        size_t length = wcslen(entries.items[i].message_class);
        if ((best == (ULONG)-1 || length > best_length) && class_has_prefix(message_class, entries.items[i].message_class)) {
            best = i;
            best_length = length;
        }
    }
    if (SUCCEEDED(hr) && best == (ULONG)-1) {
        /* No default entry: the store's default is the Inbox (model_receive_folder_set). */
        *folder_id = FOLDER_ID_INBOX;
        explicit_class[0] = 0;
    } else if (SUCCEEDED(hr)) {
        *folder_id = entries.items[best].folder_id;
        wcscpy(explicit_class, entries.items[best].message_class);
    }
    mapi_free(&model->alloc, entries.items);
    return hr;
}

void model_free_rows(const struct mapi_allocators *alloc, struct prop_list *rows, ULONG count)
{
    ULONG i;
    if (!rows) return;
    for (i = 0; i < count; i++) props_free(alloc, &rows[i]);
    mapi_free(alloc, rows);
}

HRESULT model_receive_folder_rows(struct model *model, struct prop_list **rows, ULONG *count)
{
    struct receive_entries entries;
    struct prop_list *lists = NULL;
    HRESULT hr = read_receive_entries(model, &entries);
    ULONG i;

    *rows = NULL;
    *count = 0;
    if (SUCCEEDED(hr) && !(lists = mapi_alloc_zeroed(&model->alloc, (entries.count ? entries.count : 1) * sizeof(*lists))))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; SUCCEEDED(hr) && i < entries.count; i++) {
        struct prop_builder b;
        BYTE entryid[ENTRYID_SIZE];
        model_entryid(model, ENTRYID_KIND_FOLDER, entries.items[i].folder_id, entryid);
        props_begin(&b, &model->alloc, 4);
        props_add_string(&b, PR_MESSAGE_CLASS, entries.items[i].message_class);
        props_add_binary(&b, PR_ENTRYID, ENTRYID_SIZE, entryid);
        props_add_binary(&b, PR_RECORD_KEY, ENTRYID_SIZE, entryid);
        props_add_binary(&b, PR_INSTANCE_KEY, sizeof(i), &i); /* the row's index: unique in the table */
        hr = props_end(&b, &lists[i]);
    }
    mapi_free(&model->alloc, entries.items);
    if (FAILED(hr)) {
        model_free_rows(&model->alloc, lists, entries.count);
        return hr;
    }
    *rows = lists;
    *count = entries.count;
    return S_OK;
}

HRESULT model_receive_folder_set(struct model *model, const WCHAR *message_class, ULONGLONG folder_id)
{
    WCHAR key[MODEL_CLASS_MAX + 1];
    HRESULT hr = model_fold(message_class, key, ARRAYSIZE(key));
    ULONGLONG parent;
    BOOL special;
    if (FAILED(hr)) return hr;
    /* The store's default for "" is the Inbox; for any other class, whatever its prefix says. */
    if (!folder_id && !message_class[0]) folder_id = FOLDER_ID_INBOX;
    if (FAILED(hr = model_begin_change(model))) return hr;
    if (folder_id && SUCCEEDED(hr = model_folder_parent(model, folder_id, &parent, &special)))
        hr = model_result(model, storage_receive_folder_set(model->storage, key, message_class, (LONGLONG)folder_id));
    else if (!folder_id)
        hr = model_result(model, storage_receive_folder_delete(model->storage, key));
    return model_end_change(model, hr, NULL, 0);
}
