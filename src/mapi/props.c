#include "mapi/props.h"

#include "mapi/propval.h"

#include <string.h>

void props_begin(struct prop_builder *b, const struct mapi_allocators *alloc, ULONG capacity)
{
    props_begin_only(b, alloc, capacity, NULL);
}

void props_begin_only(struct prop_builder *b, const struct mapi_allocators *alloc, ULONG capacity,
                      const SPropTagArray *only)
{
    if (only && only->cValues < capacity) capacity = only->cValues ? only->cValues : 1;
    b->alloc = alloc;
    b->capacity = capacity;
    b->only = only;
    b->list.count = 0;
    b->list.values = mapi_alloc_zeroed(alloc, (size_t)capacity * sizeof(SPropValue));
    b->hr = b->list.values ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
}

/* Whether a filtering builder leaves tag out: not asked for, or its ID already there. */
static BOOL skipped(const struct prop_builder *b, ULONG tag)
{
    ULONG i;
    if (!b->only) return FALSE;
    if (!props_id_listed(b->only->aulPropTag, b->only->cValues, tag)) return TRUE;
    for (i = 0; i < b->list.count; i++)
        if (PROP_ID(b->list.values[i].ulPropTag) == PROP_ID(tag)) return TRUE;
    return FALSE;
}

/* The next free slot, or NULL when the builder has already failed or skips tag. */
static SPropValue *next_slot(struct prop_builder *b, ULONG tag)
{
    SPropValue *slot;
    if (FAILED(b->hr) || skipped(b, tag)) return NULL;
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

void props_add_systime(struct prop_builder *b, ULONG tag, LONGLONG filetime)
{
    SPropValue *slot = next_slot(b, PROP_TAG(PT_SYSTIME, PROP_ID(tag)));
    if (!slot) return;
    slot->Value.ft.dwLowDateTime = (DWORD)filetime;
    slot->Value.ft.dwHighDateTime = (DWORD)((ULONGLONG)filetime >> 32);
}

HRESULT props_add_stored(struct prop_builder *b, ULONG tag, const void *data, ULONG size)
{
    SPropValue *slot = next_slot(b, tag);
    HRESULT hr;
    if (!slot) return b->hr;
    if (FAILED(hr = propval_decode(b->alloc, tag, data, size, b->list.values, slot))) {
        b->list.count--; /* the value is not there: a damaged one is left out, not the whole list */
        if (hr != MAPI_E_CORRUPT_DATA) b->hr = hr;
    }
    return hr;
}

void props_add_too_big(struct prop_builder *b, ULONG tag)
{
    SPropValue *slot = next_slot(b, tag);
    if (!slot) return;
    slot->dwAlignPad = PROPS_TOO_BIG;
    memset(&slot->Value, 0, sizeof(slot->Value));
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

BOOL props_id_listed(const ULONG *tags, size_t count, ULONG tag)
{
    size_t i;
    for (i = 0; i < count; i++)
        if (PROP_ID(tags[i]) == PROP_ID(tag)) return TRUE;
    return FALSE;
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
    ULONG multi = stored & MV_FLAG;
    BOOL wide_string = (stored & ~(ULONG)MV_FLAG) == PT_UNICODE;
    if (requested == PT_UNSPECIFIED) {
        if (wide_string && !(flags & MAPI_UNICODE)) return multi | PT_STRING8;
        return stored;
    }
    if (requested == stored) return stored;
    if (wide_string && requested == (multi | PT_STRING8)) return requested;
    return PT_ERROR;
}

/* A narrow copy of a wide string in codepage, linked to parent. */
static char *narrow_copy(const struct mapi_allocators *alloc, const WCHAR *wide, UINT codepage, void *parent)
{
    char *narrow;
    int size = WideCharToMultiByte(codepage, 0, wide, -1, NULL, 0, NULL, NULL);
    if (size <= 0 || !(narrow = mapi_alloc_more(alloc, (size_t)size, parent))) return NULL;
    WideCharToMultiByte(codepage, 0, wide, -1, narrow, size, NULL, NULL);
    return narrow;
}

static WCHAR *wide_copy(const struct mapi_allocators *alloc, const WCHAR *wide, void *parent)
{
    return mapi_alloc_copy_more(alloc, wide, (wcslen(wide) + 1) * sizeof(WCHAR), parent);
}

static BOOL copy_binary(const struct mapi_allocators *alloc, SBinary *dst, const SBinary *src, void *parent)
{
    dst->cb = src->cb;
    return (dst->lpb = mapi_alloc_copy_more(alloc, src->lpb, src->cb, parent)) != NULL;
}

/* The size of one element of a fixed-size multi-valued type. */
static size_t mv_element_size(ULONG base)
{
    switch (base) {
    case PT_I2: return sizeof(short);
    case PT_LONG: return sizeof(LONG);
    case PT_FLOAT: return sizeof(float);
    case PT_DOUBLE: case PT_APPTIME: return sizeof(double);
    case PT_CURRENCY: return sizeof(CURRENCY);
    case PT_SYSTIME: return sizeof(FILETIME);
    case PT_I8: return sizeof(LARGE_INTEGER);
    case PT_CLSID: return sizeof(GUID);
    default: return 0;
    }
}

/* A multi-valued value's elements, copied into blocks linked to parent; strings converted to type. */
static HRESULT copy_multi(const struct mapi_allocators *alloc, SPropValue *dst, const SPropValue *src, ULONG type,
                          UINT codepage, void *parent)
{
    ULONG base = type & ~(ULONG)MV_FLAG, count = src->Value.MVl.cValues, i;
    size_t element = mv_element_size(base);
    void *values;
    dst->Value.MVl.cValues = count;
    if (element) {
        values = mapi_alloc_copy_more(alloc, src->Value.MVl.lpl, count * element, parent);
    } else if (base == PT_BINARY) {
        SBinary *bins = values = mapi_alloc_more(alloc, (count ? count : 1) * sizeof(SBinary), parent);
        for (i = 0; bins && i < count; i++)
            if (!copy_binary(alloc, &bins[i], &src->Value.MVbin.lpbin[i], parent)) values = NULL;
    } else {
        void **strings = values = mapi_alloc_more(alloc, (count ? count : 1) * sizeof(void *), parent);
        for (i = 0; strings && i < count; i++) {
            const WCHAR *wide = src->Value.MVszW.lppszW[i];
            if (!(strings[i] = base == PT_STRING8 ? (void *)narrow_copy(alloc, wide, codepage, parent)
                                                  : (void *)wide_copy(alloc, wide, parent)))
                values = NULL;
        }
    }
    dst->Value.MVl.lpl = values;
    return values ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
}

/* src's data into dst as type (a narrow string in codepage), linked to parent. */
static HRESULT copy_data(const struct mapi_allocators *alloc, SPropValue *dst,
                         const SPropValue *src, ULONG type, UINT codepage, void *parent)
{
    if (type & MV_FLAG) return copy_multi(alloc, dst, src, type, codepage, parent);
    switch (type) {
    case PT_STRING8:
        return (dst->Value.lpszA = narrow_copy(alloc, src->Value.lpszW, codepage, parent)) ? S_OK
                                                                                          : MAPI_E_NOT_ENOUGH_MEMORY;
    case PT_UNICODE:
        return (dst->Value.lpszW = wide_copy(alloc, src->Value.lpszW, parent)) ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    case PT_BINARY:
        return copy_binary(alloc, &dst->Value.bin, &src->Value.bin, parent) ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    case PT_CLSID:
        dst->Value.lpguid = mapi_alloc_copy_more(alloc, src->Value.lpguid, sizeof(GUID), parent);
        return dst->Value.lpguid ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
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

HRESULT props_copy_list(const struct mapi_allocators *alloc, const struct prop_list *src, struct prop_list *out)
{
    ULONG i;
    out->count = 0;
    if (!(out->values = mapi_alloc_zeroed(alloc, ((size_t)src->count + 1) * sizeof(SPropValue))))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < src->count; i++) {
        const SPropValue *v = &src->values[i];
        out->values[i] = *v; /* fixed-size values, and the tag */
        if (PROP_TYPE(v->ulPropTag) != PT_OBJECT && v->dwAlignPad != PROPS_TOO_BIG &&
            FAILED(copy_data(alloc, &out->values[i], v, PROP_TYPE(v->ulPropTag), CP_ACP, out->values))) {
            props_free(alloc, out);
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
    }
    out->count = src->count;
    return S_OK;
}

/* props_copy_value, narrow strings in codepage. */
static HRESULT copy_value(const struct mapi_allocators *alloc, const SPropValue *src, ULONG tag, ULONG flags,
                          UINT codepage, SPropValue *dst, void *parent)
{
    ULONG type = src ? resolve_type(PROP_TYPE(tag), PROP_TYPE(src->ulPropTag), flags) : PT_ERROR;

    dst->dwAlignPad = 0;
    if (type == PT_ERROR || type == PT_OBJECT || (src && src->dwAlignPad == PROPS_TOO_BIG)) {
        dst->ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tag));
        dst->Value.err = type == PT_OBJECT ? MAPI_E_NO_SUPPORT
                         : type == PT_ERROR ? MAPI_E_NOT_FOUND : MAPI_E_NOT_ENOUGH_MEMORY;
        return S_OK;
    }
    dst->ulPropTag = PROP_TAG(type, PROP_ID(tag));
    return copy_data(alloc, dst, src, type, codepage, parent);
}

HRESULT props_copy_value(const struct mapi_allocators *alloc, const SPropValue *src, ULONG tag,
                         ULONG flags, SPropValue *dst, void *parent)
{
    return copy_value(alloc, src, tag, flags, CP_ACP, dst, parent);
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
                  const SPropTagArray *tags, ULONG flags, UINT codepage, ULONG *lpcValues,
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
        if (FAILED(copy_value(alloc, props_find(list, tag), tag, flags, codepage, &result[i], result))) {
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

/* Whether two canonical values (mapi/props.h) are the same, bit for bit where it matters. */
static BOOL value_equal(const SPropValue *a, const SPropValue *b)
{
    ULONG type = PROP_TYPE(a->ulPropTag), base = type & ~(ULONG)MV_FLAG, i;
    if (a->ulPropTag != b->ulPropTag) return FALSE;
    if (a->dwAlignPad == PROPS_TOO_BIG || b->dwAlignPad == PROPS_TOO_BIG) return a->dwAlignPad == b->dwAlignPad;
    if (type & MV_FLAG) {
        ULONG count = a->Value.MVl.cValues;
        size_t element = mv_element_size(base);
        if (count != b->Value.MVl.cValues) return FALSE;
        if (element) return !count || !memcmp(a->Value.MVl.lpl, b->Value.MVl.lpl, count * element);
        for (i = 0; i < count; i++) {
            if (base == PT_BINARY) {
                const SBinary *x = &a->Value.MVbin.lpbin[i], *y = &b->Value.MVbin.lpbin[i];
                if (x->cb != y->cb || (x->cb && memcmp(x->lpb, y->lpb, x->cb))) return FALSE;
            } else if (wcscmp(a->Value.MVszW.lppszW[i], b->Value.MVszW.lppszW[i])) {
                return FALSE;
            }
        }
        return TRUE;
    }
    switch (type) {
    case PT_UNICODE: return !wcscmp(a->Value.lpszW, b->Value.lpszW);
    case PT_BINARY:
        return a->Value.bin.cb == b->Value.bin.cb && (!a->Value.bin.cb || !memcmp(a->Value.bin.lpb, b->Value.bin.lpb, a->Value.bin.cb));
    case PT_CLSID: return !memcmp(a->Value.lpguid, b->Value.lpguid, sizeof(GUID));
    case PT_I2: return a->Value.i == b->Value.i;
    case PT_BOOLEAN: return a->Value.b == b->Value.b;
    case PT_LONG: case PT_ERROR: return a->Value.l == b->Value.l;
    case PT_FLOAT: return !memcmp(&a->Value.flt, &b->Value.flt, sizeof(float));
    case PT_OBJECT: return TRUE;
    default: return !memcmp(&a->Value.li, &b->Value.li, sizeof(LARGE_INTEGER)); /* the 8-byte types */
    }
}

BOOL props_equal(const struct prop_list *a, const struct prop_list *b)
{
    ULONG i;
    if (a->count != b->count) return FALSE;
    for (i = 0; i < a->count; i++)
        if (!value_equal(&a->values[i], &b->values[i])) return FALSE;
    return TRUE;
}
