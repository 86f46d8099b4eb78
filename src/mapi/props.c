#include "mapi/props.h"

#include <string.h>

void props_begin(struct prop_builder *b, const struct mapi_allocators *alloc, ULONG capacity)
{
    b->alloc = alloc;
    b->capacity = capacity;
    b->list.count = 0;
    b->list.values = mapi_alloc_zeroed(alloc, (size_t)capacity * sizeof(SPropValue));
    b->hr = b->list.values ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
}

/* The next free slot, or NULL when the builder has already failed. */
static SPropValue *next_slot(struct prop_builder *b, ULONG tag)
{
    SPropValue *slot;
    if (FAILED(b->hr)) return NULL;
    if (b->list.count == b->capacity) {
        b->hr = MAPI_E_CALL_FAILED; /* a programming error: capacity too small */
        return NULL;
    }
    slot = &b->list.values[b->list.count++];
    slot->ulPropTag = tag;
    return slot;
}

void props_add_long(struct prop_builder *b, ULONG tag, LONG value)
{
    SPropValue *slot = next_slot(b, PROP_TAG(PT_LONG, PROP_ID(tag)));
    if (slot) slot->Value.l = value;
}

void props_add_bool(struct prop_builder *b, ULONG tag, BOOL value)
{
    SPropValue *slot = next_slot(b, PROP_TAG(PT_BOOLEAN, PROP_ID(tag)));
    if (slot) slot->Value.b = (unsigned short)(value ? 1 : 0);
}

void props_add_string(struct prop_builder *b, ULONG tag, const WCHAR *value)
{
    SPropValue *slot = next_slot(b, PROP_TAG(PT_UNICODE, PROP_ID(tag)));
    size_t size = (wcslen(value) + 1) * sizeof(WCHAR);
    if (!slot) return;
    if (!(slot->Value.lpszW = mapi_alloc_more(b->alloc, size, b->list.values))) {
        b->hr = MAPI_E_NOT_ENOUGH_MEMORY;
        return;
    }
    memcpy(slot->Value.lpszW, value, size);
}

void props_add_binary(struct prop_builder *b, ULONG tag, ULONG cb, const void *data)
{
    SPropValue *slot = next_slot(b, PROP_TAG(PT_BINARY, PROP_ID(tag)));
    if (!slot) return;
    slot->Value.bin.cb = cb;
    if (!(slot->Value.bin.lpb = mapi_alloc_more(b->alloc, cb ? cb : 1, b->list.values))) {
        b->hr = MAPI_E_NOT_ENOUGH_MEMORY;
        return;
    }
    memcpy(slot->Value.bin.lpb, data, cb);
}

void props_add_object(struct prop_builder *b, ULONG tag)
{
    SPropValue *slot = next_slot(b, PROP_TAG(PT_OBJECT, PROP_ID(tag)));
    if (slot) slot->Value.x = 0;
}

HRESULT props_end(struct prop_builder *b, struct prop_list *out)
{
    if (FAILED(b->hr)) {
        props_free(b->alloc, &b->list);
        out->count = 0;
        out->values = NULL;
        return b->hr;
    }
    *out = b->list;
    return S_OK;
}

void props_free(const struct mapi_allocators *alloc, struct prop_list *list)
{
    mapi_free(alloc, list->values);
    list->values = NULL;
    list->count = 0;
}

const SPropValue *props_find(const struct prop_list *list, ULONG tag)
{
    ULONG i;
    for (i = 0; i < list->count; i++)
        if (PROP_ID(list->values[i].ulPropTag) == PROP_ID(tag)) return &list->values[i];
    return NULL;
}

/* The type a request for `requested` gets from a value stored as `stored`, or PT_ERROR. */
static ULONG resolve_type(ULONG requested, ULONG stored, ULONG flags)
{
    if (requested == PT_UNSPECIFIED) {
        if (stored == PT_UNICODE && !(flags & MAPI_UNICODE)) return PT_STRING8;
        return stored;
    }
    if (requested == stored) return stored;
    if (requested == PT_STRING8 && stored == PT_UNICODE) return PT_STRING8;
    return PT_ERROR;
}

static HRESULT copy_data(const struct mapi_allocators *alloc, SPropValue *dst,
                         const SPropValue *src, ULONG type, void *parent)
{
    switch (type) {
    case PT_STRING8: {
        int size = WideCharToMultiByte(CP_ACP, 0, src->Value.lpszW, -1, NULL, 0, NULL, NULL);
        if (size <= 0 || !(dst->Value.lpszA = mapi_alloc_more(alloc, (size_t)size, parent)))
            return MAPI_E_NOT_ENOUGH_MEMORY;
        WideCharToMultiByte(CP_ACP, 0, src->Value.lpszW, -1, dst->Value.lpszA, size, NULL, NULL);
        return S_OK;
    }
    case PT_UNICODE: {
        size_t size = (wcslen(src->Value.lpszW) + 1) * sizeof(WCHAR);
        if (!(dst->Value.lpszW = mapi_alloc_more(alloc, size, parent)))
            return MAPI_E_NOT_ENOUGH_MEMORY;
        memcpy(dst->Value.lpszW, src->Value.lpszW, size);
        return S_OK;
    }
    case PT_BINARY:
        dst->Value.bin.cb = src->Value.bin.cb;
        if (!(dst->Value.bin.lpb = mapi_alloc_more(alloc, src->Value.bin.cb ? src->Value.bin.cb : 1, parent)))
            return MAPI_E_NOT_ENOUGH_MEMORY;
        memcpy(dst->Value.bin.lpb, src->Value.bin.lpb, src->Value.bin.cb);
        return S_OK;
    default: /* fixed-size types live in the union itself */
        dst->Value = src->Value;
        return S_OK;
    }
}

void *props_string_block(const struct mapi_allocators *alloc, const WCHAR *value, ULONG flags)
{
    char *narrow;
    int size;
    if (flags & MAPI_UNICODE) return mapi_alloc_copy(alloc, value, (wcslen(value) + 1) * sizeof(WCHAR));
    size = WideCharToMultiByte(CP_ACP, 0, value, -1, NULL, 0, NULL, NULL);
    if (size <= 0 || !(narrow = mapi_alloc_zeroed(alloc, (size_t)size))) return NULL;
    WideCharToMultiByte(CP_ACP, 0, value, -1, narrow, size, NULL, NULL);
    return narrow;
}

ULONG props_reported_tag(ULONG stored_tag, ULONG flags)
{
    return PROP_TAG(resolve_type(PT_UNSPECIFIED, PROP_TYPE(stored_tag), flags), PROP_ID(stored_tag));
}

HRESULT props_copy_value(const struct mapi_allocators *alloc, const SPropValue *src, ULONG tag,
                         ULONG flags, SPropValue *dst, void *parent)
{
    ULONG type = src ? resolve_type(PROP_TYPE(tag), PROP_TYPE(src->ulPropTag), flags) : PT_ERROR;

    dst->dwAlignPad = 0;
    if (type == PT_ERROR || type == PT_OBJECT) {
        dst->ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tag));
        dst->Value.err = type == PT_OBJECT ? MAPI_E_NO_SUPPORT : MAPI_E_NOT_FOUND;
        return S_OK;
    }
    dst->ulPropTag = PROP_TAG(type, PROP_ID(tag));
    return copy_data(alloc, dst, src, type, parent);
}

HRESULT props_check_tags(const SPropTagArray *tags, BOOL null_ok)
{
    if (!tags) return null_ok ? S_OK : MAPI_E_INVALID_PARAMETER;
    if (tags->cValues == 0 || tags->cValues > PROPS_MAX_TAGS) return MAPI_E_INVALID_PARAMETER;
    return S_OK;
}

/* How many values GetProps(NULL) returns: every property but objects. */
static ULONG value_count(const struct prop_list *list)
{
    ULONG i, n = 0;
    for (i = 0; i < list->count; i++)
        if (PROP_TYPE(list->values[i].ulPropTag) != PT_OBJECT) n++;
    return n;
}

HRESULT props_get(const struct mapi_allocators *alloc, const struct prop_list *list,
                  const SPropTagArray *tags, ULONG flags, ULONG *lpcValues,
                  SPropValue **lppPropArray)
{
    ULONG count, i, next;
    SPropValue *result;
    HRESULT hr = S_OK;

    if (!lpcValues || !lppPropArray) return MAPI_E_INVALID_PARAMETER;
    *lpcValues = 0;
    *lppPropArray = NULL;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (FAILED(hr = props_check_tags(tags, TRUE))) return hr;

    count = tags ? tags->cValues : value_count(list);
    if (count == 0) return S_OK; /* a NULL tag array on an object with no properties */
    if (!(result = mapi_alloc_zeroed(alloc, (size_t)count * sizeof(SPropValue))))
        return MAPI_E_NOT_ENOUGH_MEMORY;

    for (i = 0, next = 0; i < count; i++) {
        ULONG tag;
        if (tags) {
            tag = tags->aulPropTag[i];
        } else {
            while (PROP_TYPE(list->values[next].ulPropTag) == PT_OBJECT) next++;
            tag = PROP_TAG(PT_UNSPECIFIED, PROP_ID(list->values[next++].ulPropTag));
        }
        if (FAILED(props_copy_value(alloc, props_find(list, tag), tag, flags, &result[i], result))) {
            mapi_free(alloc, result);
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
        if (PROP_TYPE(result[i].ulPropTag) == PT_ERROR) hr = MAPI_W_ERRORS_RETURNED;
    }
    *lpcValues = count;
    *lppPropArray = result;
    return hr;
}

HRESULT props_get_tags(const struct mapi_allocators *alloc, const struct prop_list *list,
                       ULONG flags, SPropTagArray **lppPropTagArray)
{
    SPropTagArray *result;
    ULONG i;

    if (!lppPropTagArray) return MAPI_E_INVALID_PARAMETER;
    *lppPropTagArray = NULL;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (!(result = mapi_alloc_zeroed(alloc, CbNewSPropTagArray(list->count))))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    result->cValues = list->count;
    for (i = 0; i < list->count; i++)
        result->aulPropTag[i] = props_reported_tag(list->values[i].ulPropTag, flags);
    *lppPropTagArray = result;
    return S_OK;
}
