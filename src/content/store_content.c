#include "content/store_content.h"

#include "content/folder_tree.h"
#include "lifecycle/lock_rule.h"
#include "registration/module_path.h"

#include <string.h>

/* {23e3e142-e9dc-4131-8af1-7cd8f1b16241}: msstore's store type. */
const MAPIUID msstore_provider_uid = {{0x23, 0xe3, 0xe1, 0x42, 0xe9, 0xdc, 0x41, 0x31, 0x8a,
                                       0xf1, 0x7c, 0xd8, 0xf1, 0xb1, 0x62, 0x41}};

const WCHAR msstore_provider_display[] = L"msstore Message Store";

/* Read-only, so no MODIFY/CREATE/SUBMIT bits (contract §10.2). */
#define STORE_SUPPORT_MASK                                                                 \
    (STORE_ENTRYID_UNIQUE | STORE_READONLY | STORE_RESTRICTION_OK | STORE_SORT_OK |        \
     STORE_NOTIFY_OK | STORE_UNICODE_OK)

/* Store properties every object of the store repeats (contract §10.1, §10.2). */
struct store_identity {
    const MAPIUID *uid;
    ULONG cb_wrapped;
    const ENTRYID *wrapped; /* PR_STORE_ENTRYID */
};

#define IDENTITY_PROP_COUNT 4
static void add_identity(struct prop_builder *b, const struct store_identity *id)
{
    props_add_binary(b, PR_STORE_ENTRYID, id->cb_wrapped, id->wrapped);
    props_add_binary(b, PR_STORE_RECORD_KEY, sizeof(MAPIUID), id->uid);
    props_add_binary(b, PR_MDB_PROVIDER, sizeof(MAPIUID), &msstore_provider_uid);
    props_add_long(b, PR_STORE_SUPPORT_MASK, STORE_SUPPORT_MASK);
}

static void folder_entryid(const MAPIUID *uid, ULONG folder_id, BYTE out[ENTRYID_SIZE])
{
    struct entryid_fields fields = {*uid, ENTRYID_KIND_FOLDER, folder_id};
    entryid_encode(&fields, out);
}

static HRESULT build_store_props(struct prop_list *out, const struct mapi_allocators *alloc,
                                 const struct store_identity *id, const WCHAR *display_name)
{
    struct prop_builder b;
    ULONG i, valid_folders = 0;
    BYTE entryid[ENTRYID_SIZE];

    props_begin(&b, alloc, 5 + IDENTITY_PROP_COUNT + folder_tree_count);
    props_add_long(&b, PR_OBJECT_TYPE, MAPI_STORE);
    props_add_string(&b, PR_DISPLAY_NAME, display_name);
    props_add_binary(&b, PR_ENTRYID, id->cb_wrapped, id->wrapped);
    props_add_binary(&b, PR_RECORD_KEY, sizeof(MAPIUID), id->uid);
    add_identity(&b, id);
    for (i = 0; i < folder_tree_count; i++) {
        valid_folders |= folder_tree[i].valid_folder_bit;
        if (!folder_tree[i].store_property) continue;
        folder_entryid(id->uid, folder_tree[i].id, entryid);
        props_add_binary(&b, folder_tree[i].store_property, ENTRYID_SIZE, entryid);
    }
    props_add_long(&b, PR_VALID_FOLDER_MASK, (LONG)valid_folders);
    return props_end(&b, out);
}

static ULONG subfolder_count(ULONG folder_id)
{
    ULONG i, n = 0;
    for (i = 0; i < folder_tree_count; i++)
        if (folder_tree[i].parent_id == folder_id) n++;
    return n;
}

static HRESULT build_folder_props(struct prop_list *out, const struct mapi_allocators *alloc,
                                  const struct store_identity *id, const struct folder_spec *spec)
{
    BYTE entryid[ENTRYID_SIZE], parent[ENTRYID_SIZE];
    struct prop_builder b;

    folder_entryid(id->uid, spec->id, entryid);
    /* The root folder is its own parent, as in MAPI's own stores. */
    folder_entryid(id->uid, spec->parent_id ? spec->parent_id : spec->id, parent);

    props_begin(&b, alloc, 19 + IDENTITY_PROP_COUNT);
    props_add_long(&b, PR_OBJECT_TYPE, MAPI_FOLDER);
    props_add_binary(&b, PR_ENTRYID, ENTRYID_SIZE, entryid);
    props_add_binary(&b, PR_PARENT_ENTRYID, ENTRYID_SIZE, parent);
    /* The entry ID is unique in the store: Outlook needs record and instance keys in tables. */
    props_add_binary(&b, PR_RECORD_KEY, ENTRYID_SIZE, entryid);
    props_add_binary(&b, PR_INSTANCE_KEY, ENTRYID_SIZE, entryid);
    props_add_string(&b, PR_DISPLAY_NAME, spec->display_name);
    props_add_string(&b, PR_COMMENT, L"");
    props_add_long(&b, PR_FOLDER_TYPE, (LONG)spec->folder_type);
    props_add_bool(&b, PR_SUBFOLDERS, subfolder_count(spec->id) != 0);
    props_add_long(&b, PR_CONTENT_COUNT, 0);
    props_add_long(&b, PR_CONTENT_UNREAD, 0);
    props_add_long(&b, PR_ACCESS, MAPI_ACCESS_READ);
    props_add_long(&b, PR_ACCESS_LEVEL, 0); /* read-only */
    props_add_long(&b, PR_DISPLAY_TYPE, DT_FOLDER);
    props_add_long(&b, PR_STATUS, 0);
    if (spec->container_class) props_add_string(&b, PR_CONTAINER_CLASS, spec->container_class);
    props_add_object(&b, PR_CONTAINER_HIERARCHY);
    props_add_object(&b, PR_CONTAINER_CONTENTS);
    props_add_object(&b, PR_FOLDER_ASSOCIATED_CONTENTS);
    add_identity(&b, id);
    return props_end(&b, out);
}

/* A receive-folder table row: the class, and the folder's entry ID and record key. */
static HRESULT build_receive_props(struct prop_list *out, const struct mapi_allocators *alloc,
                                   const MAPIUID *uid, ULONG index)
{
    const struct receive_folder_spec *spec = &receive_folders[index];
    BYTE entryid[ENTRYID_SIZE];
    BYTE instance_key[sizeof(ULONG)];
    struct prop_builder b;

    folder_entryid(uid, spec->folder_id, entryid);
    memcpy(instance_key, &index, sizeof(instance_key));
    props_begin(&b, alloc, 4);
    props_add_string(&b, PR_MESSAGE_CLASS, spec->message_class);
    props_add_binary(&b, PR_ENTRYID, ENTRYID_SIZE, entryid);
    props_add_binary(&b, PR_RECORD_KEY, ENTRYID_SIZE, entryid);
    props_add_binary(&b, PR_INSTANCE_KEY, sizeof(instance_key), instance_key);
    return props_end(&b, out);
}

/* The status row (contract §3.3 step 5): what the status table and the status object show. */
static HRESULT build_status_props(struct prop_list *out, const struct mapi_allocators *alloc,
                                  const WCHAR *display_name)
{
    WCHAR dll_name[MAX_PATH];
    struct prop_builder b;
    if (!module_registered_path(dll_name, ARRAYSIZE(dll_name))) wcscpy(dll_name, L"msstore.dll");
    props_begin(&b, alloc, 8);
    props_add_long(&b, PR_OBJECT_TYPE, MAPI_STATUS);
    props_add_string(&b, PR_PROVIDER_DISPLAY, msstore_provider_display);
    props_add_string(&b, PR_DISPLAY_NAME, display_name);
    props_add_string(&b, PR_PROVIDER_DLL_NAME, dll_name);
    props_add_long(&b, PR_RESOURCE_TYPE, MAPI_STORE_PROVIDER);
    props_add_long(&b, PR_RESOURCE_METHODS, STATUS_VALIDATE_STATE);
    props_add_long(&b, PR_STATUS_CODE, STATUS_AVAILABLE);
    props_add_string(&b, PR_STATUS_STRING, L"Available");
    return props_end(&b, out);
}

static HRESULT wrap_store_entryid(IMAPISupport *support, BYTE *entryid, ULONG *cb, ENTRYID **wrapped)
{
    HRESULT hr = support_methods(support)->WrapStoreEntryID(support, ENTRYID_SIZE, (ENTRYID *)entryid, cb, wrapped);
    if (SUCCEEDED(hr) && (!*wrapped || !*cb)) hr = MAPI_E_CALL_FAILED;
    return hr;
}

static struct prop_list *alloc_lists(const struct mapi_allocators *alloc, ULONG count)
{
    return mapi_alloc_zeroed(alloc, count * sizeof(struct prop_list));
}

HRESULT store_content_build(struct store_content *content, const struct mapi_allocators *alloc,
                            IMAPISupport *support, const MAPIUID *uid, const WCHAR *display_name)
{
    struct entryid_fields fields = {*uid, ENTRYID_KIND_STORE, 0};
    struct store_identity id = {uid, 0, NULL};
    ENTRYID *wrapped = NULL;
    HRESULT hr;
    ULONG i;

    memset(content, 0, sizeof(*content));
    content->uid = *uid;
    entryid_encode(&fields, content->entryid);

    if (FAILED(hr = wrap_store_entryid(support, content->entryid, &id.cb_wrapped, &wrapped)))
        return hr;
    id.wrapped = wrapped;

    hr = build_store_props(&content->store_props, alloc, &id, display_name);
    if (SUCCEEDED(hr) && (!(content->folder_props = alloc_lists(alloc, folder_tree_count)) ||
                          !(content->receive_props = alloc_lists(alloc, receive_folder_count))))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; SUCCEEDED(hr) && i < folder_tree_count; i++)
        hr = build_folder_props(&content->folder_props[i], alloc, &id, &folder_tree[i]);
    for (i = 0; SUCCEEDED(hr) && i < receive_folder_count; i++)
        hr = build_receive_props(&content->receive_props[i], alloc, uid, i);
    if (SUCCEEDED(hr)) hr = build_status_props(&content->status_props, alloc, display_name);

    mapi_free(alloc, wrapped); /* MAPIFreeBuffer: the same allocator family */
    if (FAILED(hr)) store_content_free(content, alloc);
    return hr;
}

static void free_lists(const struct mapi_allocators *alloc, struct prop_list **lists, ULONG count)
{
    ULONG i;
    if (!*lists) return;
    for (i = 0; i < count; i++) props_free(alloc, &(*lists)[i]);
    mapi_free(alloc, *lists);
    *lists = NULL;
}

void store_content_free(struct store_content *content, const struct mapi_allocators *alloc)
{
    props_free(alloc, &content->store_props);
    free_lists(alloc, &content->folder_props, folder_tree_count);
    free_lists(alloc, &content->receive_props, receive_folder_count);
    props_free(alloc, &content->status_props);
}

const struct prop_list *store_content_folder(const struct store_content *content, ULONG folder_id)
{
    ULONG i;
    for (i = 0; i < folder_tree_count; i++)
        if (folder_tree[i].id == folder_id) return &content->folder_props[i];
    return NULL;
}

HRESULT store_content_resolve(const struct store_content *content, ULONG cbEntryID,
                              const ENTRYID *lpEntryID, struct entryid_fields *fields)
{
    HRESULT hr = entryid_decode(cbEntryID, lpEntryID, fields);
    if (FAILED(hr)) return hr;
    if (memcmp(&fields->store_uid, &content->uid, sizeof(MAPIUID)) != 0)
        return MAPI_E_INVALID_ENTRYID; /* another store's, or not msstore's */
    if (fields->kind == ENTRYID_KIND_FOLDER && !store_content_folder(content, fields->object_id))
        return MAPI_E_NOT_FOUND;
    return S_OK;
}

/* Appends the subfolders of folder_id (and, with all_levels, theirs) at depth. */
static ULONG add_subfolders(const struct store_content *content, ULONG folder_id, LONG depth,
                            BOOL all_levels, struct table_row *rows, ULONG count)
{
    ULONG i;
    for (i = 0; i < folder_tree_count; i++) {
        if (folder_tree[i].parent_id != folder_id) continue;
        rows[count].props = &content->folder_props[i];
        rows[count].depth = depth;
        count++;
        if (all_levels) count = add_subfolders(content, folder_tree[i].id, depth + 1, TRUE, rows, count);
    }
    return count;
}

ULONG store_content_hierarchy(const struct store_content *content, ULONG folder_id, BOOL all_levels,
                              struct table_row *rows)
{
    return add_subfolders(content, folder_id, 0, all_levels, rows, 0);
}

/* Whether class starts with prefix, ignoring ASCII case, ending there or at a '.'. */
static BOOL class_has_prefix(const WCHAR *class, const WCHAR *prefix)
{
    for (; *prefix; class++, prefix++) {
        WCHAR a = *class, b = *prefix;
        if (a >= 'a' && a <= 'z') a -= 'a' - 'A';
        if (b >= 'a' && b <= 'z') b -= 'a' - 'A';
        if (a != b) return FALSE;
    }
    return *class == 0 || *class == '.';
}

ULONG store_content_receive_folder(const WCHAR *message_class)
{
    ULONG i, best = 0;
    size_t best_length = 0;
    for (i = 0; i < receive_folder_count; i++) {
        size_t length = wcslen(receive_folders[i].message_class);
        if (length >= best_length && (!length || class_has_prefix(message_class, receive_folders[i].message_class))) {
            best = i;
            best_length = length;
        }
    }
    return best;
}
