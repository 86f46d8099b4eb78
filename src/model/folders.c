/* Folders: their properties, the tree, and every change to them (model.h). */
#include "model/model_internal.h"

#include "model/layout.h"
#include "mapi/propval.h"

#include <string.h>

#define WRITABLE_FOLDER_ACCESS                                                             \
    (MAPI_ACCESS_READ | MAPI_ACCESS_MODIFY | MAPI_ACCESS_CREATE_HIERARCHY | MAPI_ACCESS_CREATE_CONTENTS | \
     MAPI_ACCESS_CREATE_ASSOCIATED)

/* Properties the store computes: SetProps and DeleteProps refuse them with MAPI_E_COMPUTED. */
static const ULONG computed_props[] = {
    PR_ENTRYID,          PR_PARENT_ENTRYID,     PR_RECORD_KEY,          PR_INSTANCE_KEY,
    PR_OBJECT_TYPE,      PR_FOLDER_TYPE,        PR_SUBFOLDERS,          PR_CONTENT_COUNT,
    PR_CONTENT_UNREAD,   PR_ASSOC_CONTENT_COUNT, PR_ACCESS,             PR_ACCESS_LEVEL,
    PR_DISPLAY_TYPE,     PR_CREATION_TIME,      PR_LAST_MODIFICATION_TIME, PR_STORE_ENTRYID,
    PR_STORE_RECORD_KEY, PR_MDB_PROVIDER,       PR_STORE_SUPPORT_MASK,  PR_CONTAINER_HIERARCHY,
    PR_CONTAINER_CONTENTS, PR_FOLDER_ASSOCIATED_CONTENTS, PR_DEPTH,     PR_MAPPING_SIGNATURE,
};
/* Properties of every folder, computed or kept in its row, counted for the builder. */
#define FOLDER_ROW_PROP_COUNT 22

static BOOL is_computed(ULONG tag) { return props_id_listed(computed_props, ARRAYSIZE(computed_props), tag); }

/* ---- one folder's row ---- */

struct folder_facts {
    ULONGLONG parent_id;
    BOOL special;
    LONG subfolder_count;
    LONG content_count, assoc_count;
    WCHAR name_key[MODEL_NAME_MAX + 1];
};

static int copy_facts(void *context, const struct storage_folder *folder)
{
    struct folder_facts *facts = context;
    facts->parent_id = (ULONGLONG)folder->parent_id;
    facts->special = folder->special;
    facts->subfolder_count = folder->subfolder_count;
    facts->content_count = folder->content_count;
    facts->assoc_count = folder->assoc_count;
    if (wcslen(folder->name_key) > MODEL_NAME_MAX) return STORAGE_CORRUPT;
    wcscpy(facts->name_key, folder->name_key);
    return STORAGE_OK;
}

static HRESULT folder_facts(struct model *model, ULONGLONG id, struct folder_facts *facts)
{
    return model_result(model, storage_folder_get(model->storage, (LONGLONG)id, copy_facts, facts));
}

HRESULT model_folder_parent(struct model *model, ULONGLONG folder_id, ULONGLONG *parent_id, BOOL *special)
{
    struct folder_facts facts;
    HRESULT hr = folder_facts(model, folder_id, &facts);
    if (FAILED(hr)) return hr;
    *parent_id = facts.parent_id;
    *special = facts.special;
    return S_OK;
}

/* ---- a folder's properties ---- */

struct folder_build {
    struct model *model;
    struct prop_builder builder;
    ULONG stored_count;
    BOOL found; /* the row was there: the builder ran */
    BOOL has_status;
};

static int add_stored(void *context, ULONG tag, const void *value, int size)
{
    struct folder_build *build = context;
    if (PROP_ID(tag) == PROP_ID(PR_STATUS)) build->has_status = TRUE;
    /* A value that does not decode is left out (props_add_stored); the rest of the folder still reads. */
    if (FAILED(props_add_stored(&build->builder, tag, value, (ULONG)size)) && FAILED(build->builder.hr))
        return STORAGE_NO_MEMORY;
    return STORAGE_OK;
}

static int build_folder(void *context, const struct storage_folder *folder)
{
    struct folder_build *build = context;
    struct model *model = build->model;
    struct prop_builder *b = &build->builder;
    BYTE entryid[ENTRYID_SIZE], parent[ENTRYID_SIZE];
    LONG access = !model->writable ? MAPI_ACCESS_READ
                                   : (LONG)(WRITABLE_FOLDER_ACCESS | (folder->special ? 0 : MAPI_ACCESS_DELETE));
    int rc;

    build->found = TRUE;
    model_entryid(model, ENTRYID_KIND_FOLDER, (ULONGLONG)folder->id, entryid);
    /* The root folder is its own parent, as in MAPI's own stores. */
    model_entryid(model, ENTRYID_KIND_FOLDER, (ULONGLONG)(folder->parent_id ? folder->parent_id : folder->id), parent);
    props_begin(b, &model->alloc, FOLDER_ROW_PROP_COUNT + MODEL_IDENTITY_PROP_COUNT + build->stored_count + 1);
    props_add_long(b, PR_OBJECT_TYPE, MAPI_FOLDER);
    props_add_binary(b, PR_ENTRYID, ENTRYID_SIZE, entryid);
    props_add_binary(b, PR_PARENT_ENTRYID, ENTRYID_SIZE, parent);
    /* The entry ID is unique in the store: Outlook needs record and instance keys in tables. */
    props_add_binary(b, PR_RECORD_KEY, ENTRYID_SIZE, entryid);
    props_add_binary(b, PR_INSTANCE_KEY, ENTRYID_SIZE, entryid);
    props_add_string(b, PR_DISPLAY_NAME, folder->name);
    props_add_string(b, PR_COMMENT, folder->comment);
    props_add_long(b, PR_FOLDER_TYPE, folder->folder_type);
    props_add_bool(b, PR_SUBFOLDERS, folder->subfolder_count != 0);
    /* Always there, 0 when empty: Outlook's exit path crashes on a missing PR_CONTENT_COUNT. */
    props_add_long(b, PR_CONTENT_COUNT, folder->content_count);
    props_add_long(b, PR_CONTENT_UNREAD, folder->unread_count);
    props_add_long(b, PR_ASSOC_CONTENT_COUNT, folder->assoc_count);
    props_add_long(b, PR_ACCESS, access);
    props_add_long(b, PR_ACCESS_LEVEL, model->writable ? MAPI_MODIFY : 0);
    props_add_long(b, PR_DISPLAY_TYPE, DT_FOLDER);
    props_add_systime(b, PR_CREATION_TIME, folder->created);
    props_add_systime(b, PR_LAST_MODIFICATION_TIME, folder->modified);
    if (folder->container_class) props_add_string(b, PR_CONTAINER_CLASS, folder->container_class);
    props_add_object(b, PR_CONTAINER_HIERARCHY);
    props_add_object(b, PR_CONTAINER_CONTENTS);
    props_add_object(b, PR_FOLDER_ASSOCIATED_CONTENTS);
    model_add_identity(model, b);
    rc = storage_folder_props(model->storage, folder->id, add_stored, build);
    if (rc == STORAGE_OK && !build->has_status) props_add_long(b, PR_STATUS, 0);
    return rc;
}

HRESULT model_folder_props(struct model *model, ULONGLONG folder_id, struct prop_list *out)
{
    struct folder_build build;
    HRESULT hr;

    memset(&build, 0, sizeof(build));
    build.model = model;
    out->count = 0;
    out->values = NULL;
    /* One read transaction: the row and its properties from the same commit. */
    if (FAILED(hr = model_read_begin(model))) return hr;
    hr = model_result(model, storage_folder_prop_count(model->storage, (LONGLONG)folder_id, &build.stored_count));
    if (SUCCEEDED(hr)) hr = model_result(model, storage_folder_get(model->storage, (LONGLONG)folder_id, build_folder, &build));
    model_read_end(model);
    if (build.found) {
        HRESULT built = props_end(&build.builder, out);
        if (SUCCEEDED(hr)) hr = built;
        else props_free(&model->alloc, out);
    }
    return hr;
}

/* ---- the tree, for hierarchy tables, deletes, moves and copies ---- */

#define NONE ((ULONG)-1)

struct tree_node {
    ULONGLONG id, parent_id;
    BOOL special;
    LONG content_count; /* normal and associated messages */
    ULONG first_child, next_sibling, last_child; /* indices into nodes, or NONE */
};

struct tree {
    const struct mapi_allocators *alloc;
    ULONG count, capacity;
    struct tree_node *nodes; /* in id order: a MAPI block */
};

static int add_node(void *context, const struct storage_folder *folder)
{
    struct tree *tree = context;
    struct tree_node *node;
    if (!mapi_array_reserve(tree->alloc, (void **)&tree->nodes, &tree->capacity, tree->count, tree->count + 1,
                            sizeof(*tree->nodes), 64))
        return STORAGE_NO_MEMORY;
    node = &tree->nodes[tree->count++];
    node->id = (ULONGLONG)folder->id;
    node->parent_id = (ULONGLONG)folder->parent_id;
    node->special = folder->special;
    node->content_count = folder->content_count + folder->assoc_count;
    node->first_child = node->next_sibling = node->last_child = NONE;
    return STORAGE_OK;
}

static ULONG tree_find(const struct tree *tree, ULONGLONG id)
{
    ULONG low = 0, high = tree->count;
    while (low < high) {
        ULONG middle = low + (high - low) / 2;
        if (tree->nodes[middle].id == id) return middle;
        if (tree->nodes[middle].id < id) low = middle + 1;
        else high = middle;
    }
    return NONE;
}

static void tree_free(struct tree *tree)
{
    mapi_free(tree->alloc, tree->nodes);
    tree->nodes = NULL;
}

/* Every folder, each linked to its subfolders in creation order. */
static HRESULT tree_load(struct model *model, struct tree *tree)
{
    ULONG i;
    HRESULT hr;
    memset(tree, 0, sizeof(*tree));
    tree->alloc = &model->alloc;
    if (FAILED(hr = model_result(model, storage_folder_each(model->storage, add_node, tree)))) {
        tree_free(tree);
        return hr;
    }
    for (i = 0; i < tree->count; i++) {
        struct tree_node *node = &tree->nodes[i];
        ULONG parent = node->parent_id ? tree_find(tree, node->parent_id) : NONE;
        if (parent == NONE) continue;
        if (tree->nodes[parent].last_child == NONE) tree->nodes[parent].first_child = i;
        else tree->nodes[tree->nodes[parent].last_child].next_sibling = i;
        tree->nodes[parent].last_child = i;
    }
    return S_OK;
}

/*
 * The subtree under tree->nodes[top], depth-first, each node after its parent:
 * indices into order (room for tree->count), depths into depths (or NULL).
 * With top_included, top itself comes first at depth -1. Returns the count.
 */
static ULONG tree_walk(const struct tree *tree, ULONG top, BOOL top_included, BOOL all_levels, ULONG *order,
                       LONG *depths)
{
    ULONG count = 0, node;
    LONG depth = 0;
    if (top_included) {
        order[count] = top;
        if (depths) depths[count] = -1;
        count++;
    }
    node = tree->nodes[top].first_child;
    while (node != NONE) {
        order[count] = node;
        if (depths) depths[count] = depth;
        count++;
        if (all_levels && tree->nodes[node].first_child != NONE) {
            node = tree->nodes[node].first_child;
            depth++;
            continue;
        }
        /* Up until there is a next sibling, never above top. */
        while (node != NONE && tree->nodes[node].next_sibling == NONE) {
            ULONG parent = tree_find(tree, tree->nodes[node].parent_id);
            if (parent == top) {
                node = NONE;
                break;
            }
            node = parent;
            depth--;
        }
        if (node != NONE) node = tree->nodes[node].next_sibling;
    }
    return count;
}

HRESULT model_hierarchy(struct model *model, ULONGLONG folder_id, BOOL all_levels, struct model_row **rows,
                        ULONG *count)
{
    struct tree tree;
    ULONG *order = NULL, top, n = 0, i;
    LONG *depths = NULL;
    HRESULT hr = tree_load(model, &tree);

    *rows = NULL;
    *count = 0;
    if (FAILED(hr)) return hr;
    if ((top = tree_find(&tree, folder_id)) == NONE) {
        hr = MAPI_E_NOT_FOUND;
    } else if (!(order = mapi_alloc_zeroed(&model->alloc, tree.count * sizeof(*order))) ||
               !(depths = mapi_alloc_zeroed(&model->alloc, tree.count * sizeof(*depths))) ||
               !(*rows = mapi_alloc_zeroed(&model->alloc, tree.count * sizeof(**rows)))) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    } else {
        n = tree_walk(&tree, top, FALSE, all_levels, order, depths);
        for (i = 0; i < n; i++) {
            (*rows)[i].id = tree.nodes[order[i]].id;
            (*rows)[i].depth = depths[i];
        }
        *count = n;
    }
    mapi_free(&model->alloc, order);
    mapi_free(&model->alloc, depths);
    tree_free(&tree);
    return hr;
}

/* ---- creating ---- */

/* A name a folder may have: not empty, not too long; its key into key. */
static HRESULT check_name(const WCHAR *name, WCHAR key[MODEL_NAME_MAX + 1])
{
    if (!name || !name[0]) return MAPI_E_INVALID_PARAMETER;
    return model_fold(name, key, MODEL_NAME_MAX + 1);
}

/* The id of parent_id's subfolder whose name folds to key, or 0. */
static HRESULT find_sibling(struct model *model, ULONGLONG parent_id, const WCHAR *key, ULONGLONG *id)
{
    LONGLONG found = 0;
    HRESULT hr = model_result(model, storage_folder_find_child(model->storage, (LONGLONG)parent_id, key, &found));
    *id = (ULONGLONG)found;
    return hr == MAPI_E_NOT_FOUND ? S_OK : hr;
}

/* parent_id gains (or loses) subfolders; PR_SUBFOLDERS flipping is a change of the parent to notify. */
static HRESULT add_subfolders(struct model *model, ULONGLONG parent_id, LONG delta, struct model_changes *changes)
{
    struct folder_facts facts;
    HRESULT hr = folder_facts(model, parent_id, &facts);
    if (FAILED(hr)) return hr;
    hr = model_result(model, storage_folder_add_counts(model->storage, (LONGLONG)parent_id, delta, 0, 0, 0));
    if (SUCCEEDED(hr) && (facts.subfolder_count == 0) != (facts.subfolder_count + delta == 0))
        hr = changes_add(changes, CHANGE_MODIFIED, MAPI_FOLDER, parent_id, facts.parent_id, 0, 0);
    return hr;
}

HRESULT model_folder_create(struct model *model, ULONGLONG parent_id, const WCHAR *name, const WCHAR *comment,
                            BOOL open_if_exists, struct model_changes *changes, ULONGLONG *id, BOOL *existed)
{
    WCHAR key[MODEL_NAME_MAX + 1];
    struct storage_folder folder = {0};
    struct folder_facts parent;
    ULONG mark = changes->count;
    ULONGLONG sibling = 0;
    LONGLONG new_id = 0;
    HRESULT hr = check_name(name, key);

    *id = 0;
    *existed = FALSE;
    if (FAILED(hr)) return hr;
    if (comment && wcslen(comment) > MODEL_NAME_MAX) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(hr = model_begin_change(model))) return hr;
    hr = folder_facts(model, parent_id, &parent);
    if (SUCCEEDED(hr)) hr = find_sibling(model, parent_id, key, &sibling);
    if (SUCCEEDED(hr) && sibling) {
        if (open_if_exists) {
            *id = sibling;
            *existed = TRUE;
        } else {
            hr = MAPI_E_COLLISION;
        }
    } else if (SUCCEEDED(hr)) {
        folder.parent_id = (LONGLONG)parent_id;
        folder.name = name;
        folder.name_key = key;
        folder.comment = comment ? comment : L"";
        folder.folder_type = FOLDER_GENERIC;
        folder.created = folder.modified = model_now();
        hr = model_result(model, storage_folder_insert(model->storage, &folder, &new_id));
        if (SUCCEEDED(hr)) hr = add_subfolders(model, parent_id, 1, changes);
        if (SUCCEEDED(hr)) hr = changes_add(changes, CHANGE_CREATED, MAPI_FOLDER, (ULONGLONG)new_id, parent_id, 0, 0);
        if (SUCCEEDED(hr)) *id = (ULONGLONG)new_id;
    }
    hr = model_end_change(model, hr, changes, mark);
    if (FAILED(hr)) *id = 0, *existed = FALSE;
    return hr;
}

/* ---- properties ---- */

/* A string value's text, wide; NULL (and problem) when the value is of another type. */
static const WCHAR *string_value(const SPropValue *value, WCHAR *buffer, int size, SCODE *problem)
{
    switch (PROP_TYPE(value->ulPropTag)) {
    case PT_UNICODE:
        if (!value->Value.lpszW) break;
        return value->Value.lpszW;
    case PT_STRING8:
        if (!value->Value.lpszA || !MultiByteToWideChar(CP_ACP, 0, value->Value.lpszA, -1, buffer, size)) break;
        return buffer;
    default:
        *problem = MAPI_E_INVALID_TYPE;
        return NULL;
    }
    *problem = MAPI_E_INVALID_PARAMETER; /* no text, or longer than the store takes */
    return NULL;
}

static BOOL is_row_string(ULONG tag)
{
    return PROP_ID(tag) == PROP_ID(PR_DISPLAY_NAME) || PROP_ID(tag) == PROP_ID(PR_COMMENT) ||
           PROP_ID(tag) == PROP_ID(PR_CONTAINER_CLASS);
}

/* Whether a value's type is one a client can set (not PT_OBJECT, PT_ERROR, PT_NULL, ...). */
static SCODE settable(const SPropValue *value)
{
    if (PROP_ID(value->ulPropTag) == PROP_ID_NULL) return MAPI_E_INVALID_PARAMETER;
    if (is_computed(value->ulPropTag)) return MAPI_E_COMPUTED;
    if (!propval_storable_type(PROP_TYPE(value->ulPropTag))) return MAPI_E_INVALID_TYPE;
    return S_OK;
}

/* Stores one property of a client's on the folder; problems go in *problem. */
static HRESULT store_value(struct model *model, ULONGLONG folder_id, const SPropValue *value, SCODE *problem)
{
    ULONG size = 0;
    BYTE *bytes;
    HRESULT hr = propval_encoded_size(value, CP_ACP, &size);
    if (hr == MAPI_E_INVALID_TYPE || hr == MAPI_E_INVALID_PARAMETER) {
        *problem = hr;
        return S_OK;
    }
    if (FAILED(hr)) return hr;
    if (!(bytes = mapi_alloc_zeroed(&model->alloc, size ? size : 1))) return MAPI_E_NOT_ENOUGH_MEMORY;
    propval_encode(value, CP_ACP, bytes);
    hr = model_result(model, storage_folder_prop_set(model->storage, (LONGLONG)folder_id,
                                                     propval_stored_tag(value->ulPropTag), bytes, (int)size));
    mapi_free(&model->alloc, bytes);
    return hr;
}

/* The new name, comment and class a SetProps asks for, each NULL when it asks nothing. */
struct row_strings {
    WCHAR name[MODEL_NAME_MAX + 1], comment[MODEL_NAME_MAX + 1], container_class[MODEL_NAME_MAX + 1];
    const WCHAR *new_name, *new_comment, *new_class;
};

static void take_row_string(struct row_strings *row, const SPropValue *value, SCODE *problem)
{
    ULONG id = PROP_ID(value->ulPropTag);
    WCHAR *buffer = id == PROP_ID(PR_DISPLAY_NAME) ? row->name : id == PROP_ID(PR_COMMENT) ? row->comment
                                                                                            : row->container_class;
    const WCHAR *text = string_value(value, buffer, MODEL_NAME_MAX + 1, problem);
    if (!text) return;
    if (wcslen(text) > MODEL_NAME_MAX || (id == PROP_ID(PR_DISPLAY_NAME) && !text[0])) {
        *problem = MAPI_E_INVALID_PARAMETER;
        return;
    }
    if (text != buffer) wcscpy(buffer, text);
    if (id == PROP_ID(PR_DISPLAY_NAME)) row->new_name = buffer;
    else if (id == PROP_ID(PR_COMMENT)) row->new_comment = buffer;
    else row->new_class = buffer;
}

/* A rename among facts' siblings: MAPI_E_COLLISION when another one has the name. */
static HRESULT check_rename(struct model *model, ULONGLONG folder_id, const struct folder_facts *facts,
                            const WCHAR *name, WCHAR key[MODEL_NAME_MAX + 1])
{
    ULONGLONG sibling = 0;
    HRESULT hr = check_name(name, key);
    if (SUCCEEDED(hr) && facts->parent_id) hr = find_sibling(model, facts->parent_id, key, &sibling);
    if (SUCCEEDED(hr) && sibling && sibling != folder_id) hr = MAPI_E_COLLISION;
    return hr;
}

HRESULT model_folder_set_props(struct model *model, ULONGLONG folder_id, ULONG count, const SPropValue *values,
                               SCODE *problems, struct model_changes *changes)
{
    struct row_strings *row = mapi_alloc_zeroed(&model->alloc, sizeof(*row));
    WCHAR key[MODEL_NAME_MAX + 1];
    struct folder_facts facts;
    ULONG mark = changes->count, i;
    BOOL changed = FALSE;
    HRESULT hr;

    if (!row) return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < count; i++) {
        problems[i] = settable(&values[i]);
        if (problems[i] == S_OK && is_row_string(values[i].ulPropTag)) take_row_string(row, &values[i], &problems[i]);
    }
    if (FAILED(hr = model_begin_change(model))) {
        mapi_free(&model->alloc, row);
        return hr;
    }
    hr = folder_facts(model, folder_id, &facts);
    if (SUCCEEDED(hr) && row->new_name) hr = check_rename(model, folder_id, &facts, row->new_name, key);
    for (i = 0; SUCCEEDED(hr) && i < count; i++) {
        if (problems[i] != S_OK) continue;
        changed = TRUE;
        if (!is_row_string(values[i].ulPropTag)) hr = store_value(model, folder_id, &values[i], &problems[i]);
    }
    if (SUCCEEDED(hr) && (row->new_name || row->new_comment || row->new_class))
        hr = model_result(model, storage_folder_update(model->storage, (LONGLONG)folder_id, row->new_name,
                                                       row->new_name ? key : NULL, row->new_comment,
                                                       row->new_class != NULL, row->new_class, model_now()));
    if (SUCCEEDED(hr) && changed)
        hr = changes_add(changes, CHANGE_MODIFIED, MAPI_FOLDER, folder_id, facts.parent_id, 0, 0);
    mapi_free(&model->alloc, row);
    return model_end_change(model, hr, changes, mark);
}

/* Deletes one property of a folder: its row's comment and class, or a value a client set. */
static HRESULT delete_one(struct model *model, ULONGLONG folder_id, ULONG tag, SCODE *problem)
{
    ULONG id = PROP_ID(tag);
    HRESULT hr;
    if (is_computed(tag) || id == PROP_ID(PR_DISPLAY_NAME)) {
        *problem = MAPI_E_COMPUTED; /* a folder always has a name */
        return S_OK;
    }
    if (id == PROP_ID(PR_COMMENT)) /* a folder always has a comment, "" when it has none */
        return model_result(model, storage_folder_update(model->storage, (LONGLONG)folder_id, NULL, NULL, L"", FALSE,
                                                         NULL, model_now()));
    if (id == PROP_ID(PR_CONTAINER_CLASS))
        return model_result(model, storage_folder_update(model->storage, (LONGLONG)folder_id, NULL, NULL, NULL, TRUE,
                                                         NULL, model_now()));
    hr = model_result(model, storage_folder_prop_delete(model->storage, (LONGLONG)folder_id, id));
    if (hr == MAPI_E_NOT_FOUND) {
        *problem = MAPI_E_NOT_FOUND;
        hr = S_OK;
    }
    return hr;
}

HRESULT model_folder_delete_props(struct model *model, ULONGLONG folder_id, const SPropTagArray *tags,
                                  SCODE *problems, struct model_changes *changes)
{
    struct folder_facts facts;
    ULONG mark = changes->count, i;
    BOOL changed = FALSE;
    HRESULT hr = model_begin_change(model);
    if (FAILED(hr)) return hr;
    hr = folder_facts(model, folder_id, &facts);
    for (i = 0; SUCCEEDED(hr) && i < tags->cValues; i++) {
        problems[i] = S_OK;
        hr = delete_one(model, folder_id, tags->aulPropTag[i], &problems[i]);
        if (problems[i] == S_OK) changed = TRUE;
    }
    if (SUCCEEDED(hr) && changed)
        hr = changes_add(changes, CHANGE_MODIFIED, MAPI_FOLDER, folder_id, facts.parent_id, 0, 0);
    return model_end_change(model, hr, changes, mark);
}

/* ---- deleting ---- */

/* Deletes the n folders a tree_walk put in order, deepest first: each after its subfolders, its properties with it. */
static HRESULT delete_walked(struct model *model, const struct tree *tree, const ULONG *order, ULONG n,
                             struct model_changes *changes)
{
    HRESULT hr = S_OK;
    ULONG i;
    for (i = n; SUCCEEDED(hr) && i-- > 0;) {
        const struct tree_node *node = &tree->nodes[order[i]];
        hr = model_result(model, storage_folder_delete(model->storage, (LONGLONG)node->id));
        if (SUCCEEDED(hr)) hr = changes_add(changes, CHANGE_DELETED, MAPI_FOLDER, node->id, node->parent_id, 0, 0);
    }
    return hr;
}

HRESULT model_folder_delete(struct model *model, ULONGLONG parent_id, ULONGLONG folder_id, BOOL delete_subfolders,
                            BOOL delete_messages, struct model_changes *changes)
{
    struct tree tree;
    ULONG mark = changes->count, top, *order = NULL, n = 0, i;
    HRESULT hr = model_begin_change(model);
    if (FAILED(hr)) return hr;
    if (SUCCEEDED(hr = tree_load(model, &tree))) {
        top = tree_find(&tree, folder_id);
        if (top == NONE || tree.nodes[top].parent_id != parent_id) hr = MAPI_E_NOT_FOUND;
        else if (tree.nodes[top].special) hr = MAPI_E_NO_ACCESS;
        else if (!(order = mapi_alloc_zeroed(&model->alloc, tree.count * sizeof(*order)))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
        else n = tree_walk(&tree, top, TRUE, TRUE, order, NULL);
    }
    if (SUCCEEDED(hr) && n > 1 && !delete_subfolders) hr = MAPI_E_HAS_FOLDERS;
    for (i = 0; SUCCEEDED(hr) && i < n; i++)
        if (tree.nodes[order[i]].content_count && !delete_messages) hr = MAPI_E_HAS_MESSAGES;
    if (SUCCEEDED(hr)) hr = delete_walked(model, &tree, order, n, changes);
    if (SUCCEEDED(hr)) hr = add_subfolders(model, parent_id, -1, changes);
    mapi_free(&model->alloc, order);
    tree_free(&tree);
    return model_end_change(model, hr, changes, mark);
}

HRESULT model_folder_empty(struct model *model, ULONGLONG folder_id, BOOL with_associated,
                           struct model_changes *changes, ULONG *kept)
{
    struct tree tree;
    ULONG mark = changes->count, top, child, *order = NULL, n, missing = 0;
    HRESULT hr = model_begin_change(model);
    *kept = 0;
    if (FAILED(hr)) return hr;
    if (SUCCEEDED(hr = tree_load(model, &tree))) {
        if ((top = tree_find(&tree, folder_id)) == NONE) hr = MAPI_E_NOT_FOUND;
        else if (!(order = mapi_alloc_zeroed(&model->alloc, tree.count * sizeof(*order)))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    }
    for (child = SUCCEEDED(hr) ? tree.nodes[top].first_child : NONE; SUCCEEDED(hr) && child != NONE;
         child = tree.nodes[child].next_sibling) {
        if (tree.nodes[child].special) {
            (*kept)++;
            continue;
        }
        n = tree_walk(&tree, child, TRUE, TRUE, order, NULL);
        hr = delete_walked(model, &tree, order, n, changes);
        if (SUCCEEDED(hr)) hr = add_subfolders(model, folder_id, -1, changes);
    }
    if (SUCCEEDED(hr)) hr = model_delete_messages_in(model, folder_id, 0, NULL, with_associated, &missing, changes);
    mapi_free(&model->alloc, order);
    tree_free(&tree);
    if (FAILED(hr)) *kept = 0;
    return model_end_change(model, hr, changes, mark);
}

/* ---- moving and copying ---- */

/* Whether ancestor is id or above it. */
static BOOL is_within(const struct tree *tree, ULONGLONG id, ULONGLONG ancestor)
{
    ULONG node = tree_find(tree, id), steps = 0;
    while (node != NONE && steps++ <= tree->count) {
        if (tree->nodes[node].id == ancestor) return TRUE;
        node = tree->nodes[node].parent_id ? tree_find(tree, tree->nodes[node].parent_id) : NONE;
    }
    return FALSE;
}

/* The folder's name, for a copy that keeps it. */
struct name_copy {
    WCHAR name[MODEL_NAME_MAX + 1];
};

static int copy_name(void *context, const struct storage_folder *folder)
{
    struct name_copy *copy = context;
    if (wcslen(folder->name) > MODEL_NAME_MAX) return STORAGE_CORRUPT;
    wcscpy(copy->name, folder->name);
    return STORAGE_OK;
}

/* A new, empty folder like source (its row and properties), under parent, named name (NULL: source's). */
struct copy_source {
    struct model *model;
    LONGLONG parent_id, new_id;
    const WCHAR *name, *name_key;
};

static int insert_copy(void *context, const struct storage_folder *source)
{
    struct copy_source *copy = context;
    struct storage_folder folder = *source;
    int rc;
    folder.id = 0;
    folder.parent_id = copy->parent_id;
    if (copy->name) folder.name = copy->name, folder.name_key = copy->name_key;
    folder.special = FALSE; /* a copy of a special folder is an ordinary one */
    folder.created = folder.modified = model_now();
    folder.subfolder_count = folder.content_count = folder.unread_count = folder.assoc_count = 0;
    rc = storage_folder_insert(copy->model->storage, &folder, &copy->new_id);
    if (rc == STORAGE_OK) rc = storage_folder_props_copy(copy->model->storage, source->id, copy->new_id);
    return rc;
}

/* The copy counts as a subfolder of parent_id, whose PR_SUBFOLDERS may change with it. */
static HRESULT copy_one(struct model *model, const struct tree_node *source, ULONGLONG parent_id, const WCHAR *name,
                        const WCHAR *name_key, struct model_changes *changes, ULONGLONG *new_id)
{
    struct copy_source copy = {model, (LONGLONG)parent_id, 0, name, name_key};
    HRESULT hr = model_result(model, storage_folder_get(model->storage, (LONGLONG)source->id, insert_copy, &copy));
    if (SUCCEEDED(hr)) hr = add_subfolders(model, parent_id, 1, changes);
    *new_id = (ULONGLONG)copy.new_id;
    return hr;
}

/* Copies the subtree under tree->nodes[top] (as it was before the copy began) under copy_id. */
static HRESULT copy_subfolders(struct model *model, const struct tree *tree, ULONG top, ULONGLONG copy_id,
                               struct model_changes *changes)
{
    ULONG *order = mapi_alloc_zeroed(&model->alloc, tree->count * sizeof(*order));
    ULONGLONG *copies = mapi_alloc_zeroed(&model->alloc, tree->count * sizeof(*copies));
    ULONG n, i, j;
    HRESULT hr = S_OK;
    if (!order || !copies) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    n = SUCCEEDED(hr) ? tree_walk(tree, top, TRUE, TRUE, order, NULL) : 0;
    if (n) copies[0] = copy_id;
    for (i = 1; SUCCEEDED(hr) && i < n; i++) {
        const struct tree_node *node = &tree->nodes[order[i]];
        ULONGLONG parent_copy = 0;
        for (j = 0; j < i; j++) /* the copy of its parent: copied earlier, since a parent comes first */
            if (tree->nodes[order[j]].id == node->parent_id) parent_copy = copies[j];
        hr = copy_one(model, node, parent_copy, NULL, NULL, changes, &copies[i]);
        if (SUCCEEDED(hr))
            hr = changes_add(changes, CHANGE_COPIED, MAPI_FOLDER, copies[i], parent_copy, node->id, node->parent_id);
        if (SUCCEEDED(hr)) hr = model_copy_folder_messages(model, node->id, copies[i], changes);
    }
    mapi_free(&model->alloc, order);
    mapi_free(&model->alloc, copies);
    return hr;
}

static HRESULT move_folder(struct model *model, const struct tree *tree, ULONG node, ULONGLONG dest_id,
                           const WCHAR *new_name, const WCHAR *key, struct model_changes *changes)
{
    const struct tree_node *folder = &tree->nodes[node];
    HRESULT hr = S_OK;
    if (folder->special) return MAPI_E_NO_ACCESS;
    if (is_within(tree, dest_id, folder->id)) return MAPI_E_FOLDER_CYCLE;
    if (dest_id == folder->parent_id && !new_name) return S_OK; /* already there: nothing moves */
    hr = model_result(model, storage_folder_set_parent(model->storage, (LONGLONG)folder->id, (LONGLONG)dest_id,
                                                      new_name, new_name ? key : NULL, model_now()));
    if (SUCCEEDED(hr) && dest_id != folder->parent_id) {
        hr = add_subfolders(model, folder->parent_id, -1, changes);
        if (SUCCEEDED(hr)) hr = add_subfolders(model, dest_id, 1, changes);
    }
    if (SUCCEEDED(hr))
        hr = changes_add(changes, CHANGE_MOVED, MAPI_FOLDER, folder->id, dest_id, folder->id, folder->parent_id);
    return hr;
}

HRESULT model_folder_copy(struct model *model, ULONGLONG parent_id, ULONGLONG folder_id, ULONGLONG dest_id,
                          const WCHAR *new_name, BOOL move, BOOL with_subfolders, struct model_changes *changes,
                          ULONGLONG *new_id)
{
    WCHAR key[MODEL_NAME_MAX + 1];
    struct name_copy *name = mapi_alloc_zeroed(&model->alloc, sizeof(*name));
    struct tree tree = {0};
    ULONG mark = changes->count, node = NONE;
    ULONGLONG sibling = 0;
    HRESULT hr;

    *new_id = 0;
    if (!name) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (FAILED(hr = model_begin_change(model))) {
        mapi_free(&model->alloc, name);
        return hr;
    }
    if (SUCCEEDED(hr = tree_load(model, &tree))) {
        node = tree_find(&tree, folder_id);
        if (node == NONE || tree.nodes[node].parent_id != parent_id || tree_find(&tree, dest_id) == NONE)
            hr = MAPI_E_NOT_FOUND;
    }
    /* The name it will have there, and whether a folder there has it already. */
    if (SUCCEEDED(hr) && !new_name)
        hr = model_result(model, storage_folder_get(model->storage, (LONGLONG)folder_id, copy_name, name));
    if (SUCCEEDED(hr)) hr = check_name(new_name ? new_name : name->name, key);
    if (SUCCEEDED(hr)) hr = find_sibling(model, dest_id, key, &sibling);
    if (SUCCEEDED(hr) && sibling && !(move && sibling == folder_id)) hr = MAPI_E_COLLISION;
    if (SUCCEEDED(hr) && move) {
        hr = move_folder(model, &tree, node, dest_id, new_name, key, changes);
        *new_id = folder_id;
    } else if (SUCCEEDED(hr)) {
        hr = copy_one(model, &tree.nodes[node], dest_id, new_name ? new_name : name->name, key, changes, new_id);
        if (SUCCEEDED(hr))
            hr = changes_add(changes, CHANGE_COPIED, MAPI_FOLDER, *new_id, dest_id, folder_id, parent_id);
        /* Its messages go with it, after the folder's own change: a sink hears of the folder first. */
        if (SUCCEEDED(hr)) hr = model_copy_folder_messages(model, folder_id, *new_id, changes);
        if (SUCCEEDED(hr) && with_subfolders) hr = copy_subfolders(model, &tree, node, *new_id, changes);
    }
    tree_free(&tree);
    mapi_free(&model->alloc, name);
    hr = model_end_change(model, hr, changes, mark);
    if (FAILED(hr)) *new_id = 0;
    return hr;
}

/* ---- the default sort of a contents table ---- */

/* A sort as the file keeps it: cSorts, then each key's tag and order, as ULONGs (at most 64 keys, as SortTable). */

HRESULT model_folder_sort_save(struct model *model, ULONGLONG folder_id, const SSortOrderSet *sort, BOOL subfolders)
{
    ULONG encoded[2 * 64 + 1], i, count = 0;
    int size = (int)((1 + 2 * sort->cSorts) * sizeof(ULONG));
    struct model_row *rows = NULL;
    HRESULT hr;
    if (sort->cSorts > 64 || sort->cCategories) return MAPI_E_TOO_COMPLEX;
    encoded[0] = sort->cSorts;
    for (i = 0; i < sort->cSorts; i++) {
        encoded[1 + 2 * i] = sort->aSort[i].ulPropTag;
        encoded[2 + 2 * i] = sort->aSort[i].ulOrder;
    }
    if (FAILED(hr = model_begin_change(model))) return hr;
    hr = model_result(model, storage_folder_sort_set(model->storage, (LONGLONG)folder_id, encoded, size));
    if (SUCCEEDED(hr) && subfolders) hr = model_hierarchy(model, folder_id, TRUE, &rows, &count);
    for (i = 0; SUCCEEDED(hr) && i < count; i++)
        hr = model_result(model, storage_folder_sort_set(model->storage, (LONGLONG)rows[i].id, encoded, size));
    mapi_free(&model->alloc, rows);
    return model_end_change(model, hr, NULL, 0);
}

struct sort_read {
    const struct mapi_allocators *alloc;
    SSortOrderSet *sort;
};

static int read_sort(void *context, const void *bytes, int size)
{
    struct sort_read *read = context;
    const BYTE *b = bytes;
    ULONG count, i;
    if (size < (int)sizeof(ULONG)) return STORAGE_OK; /* not one msstore wrote: no default */
    memcpy(&count, b, sizeof(count));
    if (count > 64 || (ULONG)size != (1 + 2 * count) * sizeof(ULONG)) return STORAGE_OK;
    if (!(read->sort = mapi_alloc_zeroed(read->alloc, CbNewSSortOrderSet(count)))) return STORAGE_NO_MEMORY;
    read->sort->cSorts = count;
    for (i = 0; i < count; i++) {
        memcpy(&read->sort->aSort[i].ulPropTag, b + (1 + 2 * i) * sizeof(ULONG), sizeof(ULONG));
        memcpy(&read->sort->aSort[i].ulOrder, b + (2 + 2 * i) * sizeof(ULONG), sizeof(ULONG));
    }
    return STORAGE_OK;
}

HRESULT model_folder_sort(struct model *model, ULONGLONG folder_id, SSortOrderSet **out)
{
    struct sort_read read = {&model->alloc, NULL};
    HRESULT hr = model_read_begin(model);
    *out = NULL;
    if (FAILED(hr)) return hr;
    hr = model_result(model, storage_folder_sort(model->storage, (LONGLONG)folder_id, read_sort, &read));
    model_read_end(model);
    if (SUCCEEDED(hr)) *out = read.sort;
    else mapi_free(&model->alloc, read.sort);
    return hr;
}
