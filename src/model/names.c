/*
 * Named properties (model.h): the store's one mapping of names to ids from
 * 0x8000 up, kept in the file, so that every object of every session and
 * process answers the same. Names in PS_MAPI with a number are the
 * property ids below 0x8000 themselves, and are never mapped.
 */
#include "model/model_internal.h"

#include <mapiguid.h>
#include <string.h>


/* A client's name as the file keeps it; MAPI_E_INVALID_PARAMETER for one that is not a name. */
static HRESULT storage_name_of(const MAPINAMEID *name, struct storage_name *out)
{
    if (!name || !name->lpguid) return MAPI_E_INVALID_PARAMETER;
    memcpy(out->guid, name->lpguid, sizeof(GUID));
    if (name->ulKind == MNID_ID) {
        out->kind = STORAGE_NAME_ID;
        out->lid = name->Kind.lID;
        out->name = NULL;
    } else if (name->ulKind == MNID_STRING && name->Kind.lpwstrName && name->Kind.lpwstrName[0]) {
        out->kind = STORAGE_NAME_STRING;
        out->lid = 0;
        out->name = name->Kind.lpwstrName;
    } else {
        return MAPI_E_INVALID_PARAMETER;
    }
    return S_OK;
}

static BOOL is_ps_mapi_id(const MAPINAMEID *name)
{
    return name && name->lpguid && name->ulKind == MNID_ID && IsEqualGUID(name->lpguid, &PS_MAPI) &&
           name->Kind.lID >= 0 && name->Kind.lID < MODEL_FIRST_NAMED_ID;
}

/* ---- names to ids ---- */

struct id_list {
    const struct mapi_allocators *alloc;
    SPropTagArray *tags; /* a MAPI block with room for capacity */
    ULONG capacity;
};

static int add_id(void *context, ULONG id, const struct storage_name *name)
{
    struct id_list *list = context;
    (void)name;
    if (list->tags->cValues == list->capacity) {
        ULONG capacity = list->capacity * 2;
        SPropTagArray *bigger = mapi_alloc_zeroed(list->alloc, CbNewSPropTagArray(capacity));
        if (!bigger) return STORAGE_NO_MEMORY;
        memcpy(bigger, list->tags, CbNewSPropTagArray(list->tags->cValues));
        mapi_free(list->alloc, list->tags);
        list->tags = bigger;
        list->capacity = capacity;
    }
    list->tags->aulPropTag[list->tags->cValues++] = PROP_TAG(PT_UNSPECIFIED, id);
    return STORAGE_OK;
}

/* Every mapped id, as GetIDsFromNames answers a NULL list of names. */
static HRESULT all_ids(struct model *model, SPropTagArray **out)
{
    struct id_list list = {&model->alloc, mapi_alloc_zeroed(&model->alloc, CbNewSPropTagArray(16)), 16};
    HRESULT hr = list.tags ? model_read_begin(model) : MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr)) {
        hr = model_result(model, storage_named_each(model->storage, add_id, &list));
        model_read_end(model);
    }
    if (FAILED(hr)) {
        mapi_free(&model->alloc, list.tags);
        return hr;
    }
    *out = list.tags;
    return S_OK;
}

/* The id of each name (mapped when create), or PT_ERROR where it has none; *missing counts those. */
static HRESULT map_names(struct model *model, ULONG count, MAPINAMEID **names, BOOL create, SPropTagArray *tags,
                         ULONG *missing)
{
    HRESULT hr = S_OK;
    ULONG i;
    for (i = 0; SUCCEEDED(hr) && i < count; i++) {
        struct storage_name name;
        ULONG id = 0;
        tags->aulPropTag[i] = PROP_TAG(PT_ERROR, 0);
        if (is_ps_mapi_id(names[i])) {
            tags->aulPropTag[i] = PROP_TAG(PT_UNSPECIFIED, (ULONG)names[i]->Kind.lID);
            continue;
        }
        if (FAILED(storage_name_of(names[i], &name))) {
            (*missing)++;
            continue;
        }
        hr = model_result(model, storage_named_find(model->storage, &name, &id));
        if (hr == MAPI_E_NOT_FOUND && create) {
            hr = model_result(model, storage_named_insert(model->storage, &name, &id));
            if (hr == MAPI_E_COLLISION) hr = MAPI_E_NOT_ENOUGH_RESOURCES; /* every id up to 0xFFFE is taken */
        }
        if (hr == MAPI_E_NOT_FOUND) {
            (*missing)++;
            hr = S_OK;
        } else if (SUCCEEDED(hr)) {
            tags->aulPropTag[i] = PROP_TAG(PT_UNSPECIFIED, id);
        }
    }
    return hr;
}

HRESULT model_ids_from_names(struct model *model, ULONG count, MAPINAMEID **names, BOOL create,
                             SPropTagArray **out)
{
    SPropTagArray *tags;
    ULONG missing = 0;
    HRESULT hr;
    *out = NULL;
    if (!names) return count ? MAPI_E_INVALID_PARAMETER : all_ids(model, out);
    if (!count) return MAPI_E_INVALID_PARAMETER;
    if (create && !model->writable) return MAPI_E_NO_ACCESS;
    if (!(tags = mapi_alloc_zeroed(&model->alloc, CbNewSPropTagArray(count)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    tags->cValues = count;
    /* Mapping new names is a change of the store: one transaction for all of them. */
    hr = create ? model_begin_change(model) : model_read_begin(model);
    if (SUCCEEDED(hr)) {
        hr = map_names(model, count, names, create, tags, &missing);
        if (create) hr = model_end_change(model, hr, NULL, 0);
        else model_read_end(model);
    }
    if (FAILED(hr)) {
        mapi_free(&model->alloc, tags);
        return hr;
    }
    *out = tags;
    return missing ? MAPI_W_ERRORS_RETURNED : S_OK;
}

/* ---- ids to names ---- */

/* A MAPINAMEID for the client, every part of it linked to parent. */
static MAPINAMEID *client_name(const struct mapi_allocators *alloc, const struct storage_name *name, void *parent)
{
    MAPINAMEID *out = mapi_alloc_more(alloc, sizeof(*out), parent);
    if (!out || !(out->lpguid = mapi_alloc_copy_more(alloc, name->guid, sizeof(GUID), parent))) return NULL;
    out->ulKind = name->kind == STORAGE_NAME_ID ? MNID_ID : MNID_STRING;
    if (name->kind == STORAGE_NAME_ID) {
        out->Kind.lID = name->lid;
    } else if (!(out->Kind.lpwstrName =
                     mapi_alloc_copy_more(alloc, name->name, (wcslen(name->name) + 1) * sizeof(WCHAR), parent))) {
        return NULL;
    }
    return out;
}

struct name_lookup {
    const struct mapi_allocators *alloc;
    void *parent;
    MAPINAMEID *found;
};

static int take_name(void *context, ULONG id, const struct storage_name *name)
{
    struct name_lookup *lookup = context;
    (void)id;
    return (lookup->found = client_name(lookup->alloc, name, lookup->parent)) ? STORAGE_OK : STORAGE_NO_MEMORY;
}

/* Whether a name passes GetNamesFromIDs' filters: the property set asked, no strings, no numbers. */
static BOOL wanted(const MAPINAMEID *name, const GUID *guid, ULONG flags)
{
    if (guid && !IsEqualGUID(name->lpguid, guid)) return FALSE;
    if ((flags & MAPI_NO_STRINGS) && name->ulKind == MNID_STRING) return FALSE;
    if ((flags & MAPI_NO_IDS) && name->ulKind == MNID_ID) return FALSE;
    return TRUE;
}

HRESULT model_names_from_ids(struct model *model, SPropTagArray **tags, const GUID *guid, ULONG flags, ULONG *count,
                             MAPINAMEID ***names)
{
    SPropTagArray *asked = *tags, *all = NULL;
    MAPINAMEID **out;
    ULONG missing = 0, i;
    HRESULT hr = S_OK;

    BOOL reading = FALSE;

    *count = 0;
    *names = NULL;
    if (!asked && FAILED(hr = all_ids(model, &all))) return hr;
    if (!asked) asked = all;
    if (!(out = mapi_alloc_zeroed(&model->alloc, (asked->cValues + 1) * sizeof(*out)))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr)) reading = SUCCEEDED(hr = model_read_begin(model));
    for (i = 0; SUCCEEDED(hr) && i < asked->cValues; i++) {
        ULONG id = PROP_ID(asked->aulPropTag[i]);
        struct name_lookup lookup = {&model->alloc, out, NULL};
        if (id < MODEL_FIRST_NAMED_ID) { /* an id below 0x8000 is its own name in PS_MAPI */
            struct storage_name name = {{0}, STORAGE_NAME_ID, (LONG)id, NULL};
            memcpy(name.guid, &PS_MAPI, sizeof(GUID));
            if (!(lookup.found = client_name(&model->alloc, &name, out))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
        } else {
            hr = model_result(model, storage_named_get(model->storage, id, take_name, &lookup));
            if (hr == MAPI_E_NOT_FOUND) hr = S_OK;
        }
        if (SUCCEEDED(hr) && lookup.found && !wanted(lookup.found, guid, flags)) lookup.found = NULL;
        if (SUCCEEDED(hr) && !lookup.found) missing++;
        out[i] = lookup.found;
    }
    if (reading) model_read_end(model);
    if (FAILED(hr)) {
        mapi_free(&model->alloc, out);
        mapi_free(&model->alloc, all);
        return hr;
    }
    *count = asked->cValues;
    if (all) { /* every name was asked for: the client gets those that pass the filters, and their ids */
        ULONG kept = 0;
        for (i = 0; i < all->cValues; i++)
            if (out[i]) out[kept] = out[i], all->aulPropTag[kept++] = all->aulPropTag[i];
        all->cValues = *count = kept;
        missing = 0;
        *tags = all;
    }
    *names = out;
    return missing ? MAPI_W_ERRORS_RETURNED : S_OK;
}
