#include "mapi/propval.h"

#include <string.h>

/* The size of one fixed-size value of a base type, or 0 for strings, binaries and what is not stored. */
static ULONG fixed_size(ULONG base)
{
    switch (base) {
    case PT_I2: case PT_BOOLEAN: return 2;
    case PT_LONG: case PT_FLOAT: return 4;
    case PT_DOUBLE: case PT_APPTIME: case PT_CURRENCY: case PT_I8: case PT_SYSTIME: return 8;
    case PT_CLSID: return sizeof(GUID);
    default: return 0;
    }
}

static BOOL is_variable(ULONG base) { return base == PT_STRING8 || base == PT_UNICODE || base == PT_BINARY; }

BOOL propval_storable_type(ULONG type)
{
    ULONG base = type & ~(ULONG)MV_FLAG;
    if (type & MV_INSTANCE) return FALSE;
    if (type & MV_FLAG && base == PT_BOOLEAN) return FALSE; /* MAPI has no PT_MV_BOOLEAN */
    return fixed_size(base) || is_variable(base);
}

ULONG propval_stored_tag(ULONG tag)
{
    ULONG type = PROP_TYPE(tag);
    if ((type & ~(ULONG)MV_FLAG) == PT_STRING8) type = (type & MV_FLAG) | PT_UNICODE;
    return PROP_TAG(type, PROP_ID(tag));
}

/* The bytes of a single fixed-size value inside the union (x86 and x64 are little-endian, as the file is). */
static const void *fixed_bytes(const SPropValue *v, ULONG base)
{
    switch (base) {
    case PT_I2: return &v->Value.i;
    case PT_BOOLEAN: return &v->Value.b;
    case PT_LONG: return &v->Value.l;
    case PT_FLOAT: return &v->Value.flt;
    case PT_DOUBLE: return &v->Value.dbl;
    case PT_APPTIME: return &v->Value.at;
    case PT_CURRENCY: return &v->Value.cur;
    case PT_I8: return &v->Value.li;
    case PT_SYSTIME: return &v->Value.ft;
    default: return v->Value.lpguid; /* PT_CLSID */
    }
}

static void *fixed_slot(SPropValue *v, ULONG base) { return (void *)fixed_bytes(v, base); }

/* Every multi-valued member of the union is { ULONG cValues; T *values; }. */
static ULONG mv_count(const SPropValue *v) { return v->Value.MVl.cValues; }
static void *mv_values(const SPropValue *v) { return (void *)v->Value.MVl.lpl; }

/* One string or binary element: where its data is and how long, in bytes as stored. */
struct element {
    const void *data;
    ULONG size; /* bytes; for narrow strings, of the widened UTF-16 */
    BOOL narrow;
};

static HRESULT element_of(ULONG base, const void *values, ULONG index, const SPropValue *single, UINT codepage,
                          struct element *e)
{
    const void *p;
    int units;
    e->narrow = FALSE;
    switch (base) {
    case PT_BINARY: {
        const SBinary *bin = single ? &single->Value.bin : &((const SBinary *)values)[index];
        if (!bin->lpb && bin->cb) return MAPI_E_INVALID_PARAMETER;
        e->data = bin->lpb;
        e->size = bin->cb;
        return S_OK;
    }
    case PT_UNICODE:
        p = single ? (const void *)single->Value.lpszW : ((const WCHAR *const *)values)[index];
        if (!p) return MAPI_E_INVALID_PARAMETER;
        e->data = p;
        e->size = (ULONG)(wcslen(p) * sizeof(WCHAR));
        return S_OK;
    default: /* PT_STRING8 */
        p = single ? (const void *)single->Value.lpszA : ((const char *const *)values)[index];
        if (!p) return MAPI_E_INVALID_PARAMETER;
        units = MultiByteToWideChar(codepage, 0, p, -1, NULL, 0);
        if (units <= 0) return MAPI_E_INVALID_PARAMETER; /* not text in that code page */
        e->data = p;
        e->size = (ULONG)(units - 1) * sizeof(WCHAR);
        e->narrow = TRUE;
        return S_OK;
    }
}

static void write_element(const struct element *e, UINT codepage, BYTE *out)
{
    if (!e->narrow) {
        if (e->size) memcpy(out, e->data, e->size);
    } else if (e->size) {
        MultiByteToWideChar(codepage, 0, e->data, -1, (WCHAR *)(void *)out, (int)(e->size / sizeof(WCHAR)));
    }
}

static void put_ulong(BYTE *out, ULONG v)
{
    out[0] = (BYTE)v, out[1] = (BYTE)(v >> 8), out[2] = (BYTE)(v >> 16), out[3] = (BYTE)(v >> 24);
}

static ULONG get_ulong(const BYTE *in) { return in[0] | (ULONG)in[1] << 8 | (ULONG)in[2] << 16 | (ULONG)in[3] << 24; }

HRESULT propval_encoded_size(const SPropValue *value, UINT codepage, ULONG *size)
{
    ULONG type = PROP_TYPE(value->ulPropTag), base = type & ~(ULONG)MV_FLAG, i, count;
    ULONGLONG total;
    struct element e;
    HRESULT hr;

    if (!propval_storable_type(type)) return MAPI_E_INVALID_TYPE;
    if (!(type & MV_FLAG)) {
        if (fixed_size(base)) {
            if (base == PT_CLSID && !value->Value.lpguid) return MAPI_E_INVALID_PARAMETER;
            *size = fixed_size(base);
            return S_OK;
        }
        if (FAILED(hr = element_of(base, NULL, 0, value, codepage, &e))) return hr;
        if (e.size > PROPVAL_MAX_SIZE) return MAPI_E_NOT_ENOUGH_MEMORY;
        *size = e.size;
        return S_OK;
    }
    count = mv_count(value);
    if (count && !mv_values(value)) return MAPI_E_INVALID_PARAMETER;
    total = 4;
    if (fixed_size(base)) {
        total += (ULONGLONG)count * fixed_size(base);
    } else {
        for (i = 0; i < count; i++) {
            if (FAILED(hr = element_of(base, mv_values(value), i, NULL, codepage, &e))) return hr;
            total += 4 + (ULONGLONG)e.size;
            if (total > PROPVAL_MAX_SIZE) break;
        }
    }
    if (total > PROPVAL_MAX_SIZE) return MAPI_E_NOT_ENOUGH_MEMORY;
    *size = (ULONG)total;
    return S_OK;
}

void propval_encode(const SPropValue *value, UINT codepage, BYTE *out)
{
    ULONG type = PROP_TYPE(value->ulPropTag), base = type & ~(ULONG)MV_FLAG, i, count, size = fixed_size(base);
    struct element e;

    if (!(type & MV_FLAG)) {
        if (size) {
            memcpy(out, fixed_bytes(value, base), size);
        } else {
            element_of(base, NULL, 0, value, codepage, &e);
            write_element(&e, codepage, out);
        }
        return;
    }
    count = mv_count(value);
    put_ulong(out, count);
    out += 4;
    if (size) {
        if (count) memcpy(out, mv_values(value), (size_t)count * size);
        return;
    }
    for (i = 0; i < count; i++) {
        element_of(base, mv_values(value), i, NULL, codepage, &e);
        put_ulong(out, e.size);
        write_element(&e, codepage, out + 4);
        out += 4 + e.size;
    }
}

/* A copy of size bytes in a block linked to parent; a string gets its terminator. */
static void *copy_linked(const struct mapi_allocators *alloc, const BYTE *data, ULONG size, BOOL string,
                         void *parent)
{
    BYTE *copy = mapi_alloc_more(alloc, (size_t)size + (string ? sizeof(WCHAR) : 0) + (!size && !string), parent);
    if (!copy) return NULL;
    if (size) memcpy(copy, data, size);
    if (string) copy[size] = copy[size + 1] = 0;
    return copy;
}

HRESULT propval_decode(const struct mapi_allocators *alloc, ULONG tag, const BYTE *data, ULONG size,
                       void *parent, SPropValue *out)
{
    ULONG type = PROP_TYPE(tag), base = type & ~(ULONG)MV_FLAG, element_size = fixed_size(base), i, count;
    const BYTE *end = data + size;
    void *values;

    memset(out, 0, sizeof(*out));
    out->ulPropTag = tag;
    if (!propval_storable_type(type) || base == PT_STRING8) return MAPI_E_CORRUPT_DATA;
    if (!(type & MV_FLAG)) {
        if (element_size) {
            if (size != element_size) return MAPI_E_CORRUPT_DATA;
            if (base == PT_CLSID) {
                if (!(out->Value.lpguid = (GUID *)copy_linked(alloc, data, size, FALSE, parent)))
                    return MAPI_E_NOT_ENOUGH_MEMORY;
            } else {
                memcpy(fixed_slot(out, base), data, size);
            }
            return S_OK;
        }
        if (base == PT_UNICODE && size % sizeof(WCHAR)) return MAPI_E_CORRUPT_DATA;
        if (base == PT_BINARY) {
            out->Value.bin.cb = size;
            out->Value.bin.lpb = copy_linked(alloc, data, size, FALSE, parent);
            return out->Value.bin.lpb ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
        }
        out->Value.lpszW = copy_linked(alloc, data, size, TRUE, parent);
        return out->Value.lpszW ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    }

    if (size < 4) return MAPI_E_CORRUPT_DATA;
    count = get_ulong(data);
    data += 4;
    if (element_size) {
        if ((ULONGLONG)count * element_size != (ULONGLONG)(end - data)) return MAPI_E_CORRUPT_DATA;
        if (!(values = copy_linked(alloc, data, count * element_size, FALSE, parent))) return MAPI_E_NOT_ENOUGH_MEMORY;
        out->Value.MVl.cValues = count;
        out->Value.MVl.lpl = values;
        return S_OK;
    }
    if (count > (ULONG)(end - data) / 4) return MAPI_E_CORRUPT_DATA; /* each element has at least its length */
    element_size = base == PT_BINARY ? sizeof(SBinary) : sizeof(WCHAR *);
    if (!(values = mapi_alloc_more(alloc, (size_t)(count ? count : 1) * element_size, parent)))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < count; i++) {
        ULONG length;
        BYTE *copy;
        if (end - data < 4 || (length = get_ulong(data)) > (ULONG)(end - data) - 4) return MAPI_E_CORRUPT_DATA;
        if (base == PT_UNICODE && length % sizeof(WCHAR)) return MAPI_E_CORRUPT_DATA;
        if (!(copy = copy_linked(alloc, data + 4, length, base == PT_UNICODE, parent))) return MAPI_E_NOT_ENOUGH_MEMORY;
        if (base == PT_BINARY) {
            ((SBinary *)values)[i].cb = length;
            ((SBinary *)values)[i].lpb = copy;
        } else {
            ((WCHAR **)values)[i] = (WCHAR *)(void *)copy;
        }
        data += 4 + length;
    }
    if (data != end) return MAPI_E_CORRUPT_DATA;
    out->Value.MVl.cValues = count;
    out->Value.MVl.lpl = values;
    return S_OK;
}
