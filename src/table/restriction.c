#include "table/restriction.h"

#include "mapi/fold.h"

#include <string.h>

#define FUZZY_POSITION 0x0000FFFFu /* FL_FULLSTRING, FL_SUBSTRING or FL_PREFIX */
#define FUZZY_OPTIONS (FL_IGNORECASE | FL_IGNORENONSPACE | FL_LOOSE)

/* ---- values ---- */

static BOOL is_string(ULONG type) { return type == PT_STRING8 || type == PT_UNICODE; }

/* Whether a value of type can be kept and compared (single-valued scalars, strings, binaries). */
static BOOL is_comparable_type(ULONG type)
{
    switch (type) {
    case PT_I2: case PT_LONG: case PT_FLOAT: case PT_DOUBLE: case PT_CURRENCY: case PT_APPTIME:
    case PT_BOOLEAN: case PT_I8: case PT_SYSTIME: case PT_STRING8: case PT_UNICODE: case PT_BINARY:
    case PT_CLSID:
        return TRUE;
    default:
        return FALSE;
    }
}

/* Whether values of these two types compare with each other. */
static BOOL types_agree(ULONG a, ULONG b) { return a == b || (is_string(a) && is_string(b)); }

/* The pointers a value of its type needs are there. */
static BOOL value_is_whole(const SPropValue *v)
{
    switch (PROP_TYPE(v->ulPropTag)) {
    case PT_STRING8: return v->Value.lpszA != NULL;
    case PT_UNICODE: return v->Value.lpszW != NULL;
    case PT_BINARY: return v->Value.bin.lpb != NULL || v->Value.bin.cb == 0;
    case PT_CLSID: return v->Value.lpguid != NULL;
    default: return TRUE;
    }
}

/* A string or binary as a sequence of code units: bytes, Latin-1 characters or UTF-16 units. */
struct units {
    const void *data;
    size_t count;
    BOOL wide;
};

static size_t wide_length(const WCHAR *s)
{
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

static struct units units_of(const SPropValue *v)
{
    struct units u = {NULL, 0, FALSE};
    switch (PROP_TYPE(v->ulPropTag)) {
    case PT_STRING8: u.data = v->Value.lpszA; u.count = strlen(v->Value.lpszA); break;
    case PT_UNICODE: u.data = v->Value.lpszW; u.count = wide_length(v->Value.lpszW); u.wide = TRUE; break;
    case PT_BINARY: u.data = v->Value.bin.lpb; u.count = v->Value.bin.cb; break;
    }
    return u;
}

static ULONG unit_at(const struct units *u, size_t i)
{
    return u->wide ? ((const WCHAR *)u->data)[i] : ((const BYTE *)u->data)[i];
}


static int compare_units(const struct units *a, const struct units *b, BOOL ignore_case)
{
    size_t i, common = a->count < b->count ? a->count : b->count;
    for (i = 0; i < common; i++) {
        ULONG ca = unit_at(a, i), cb = unit_at(b, i);
        if (ignore_case) ca = mapi_fold_case(ca), cb = mapi_fold_case(cb);
        if (ca != cb) return ca < cb ? -1 : 1;
    }
    return (a->count > b->count) - (a->count < b->count);
}

/* Whether needle occurs in haystack at offset. */
static BOOL units_at(const struct units *haystack, size_t offset, const struct units *needle, BOOL ignore_case)
{
    size_t i;
    if (offset + needle->count > haystack->count) return FALSE;
    for (i = 0; i < needle->count; i++) {
        ULONG ch = unit_at(haystack, offset + i), cn = unit_at(needle, i);
        if (ignore_case) ch = mapi_fold_case(ch), cn = mapi_fold_case(cn);
        if (ch != cn) return FALSE;
    }
    return TRUE;
}

#define ORDER(a, b) (((a) > (b)) - ((a) < (b)))

/* Floating-point order with NaN after every number and equal to NaN, so that sorting stays a total order. */
static int compare_reals(double a, double b)
{
    BOOL a_nan = a != a, b_nan = b != b;
    if (a_nan || b_nan) return a_nan - b_nan;
    return ORDER(a, b);
}

int restriction_compare_values(const SPropValue *a, const SPropValue *b, BOOL ignore_case)
{
    ULONG ta = PROP_TYPE(a->ulPropTag), tb = PROP_TYPE(b->ulPropTag);
    if (!types_agree(ta, tb)) return ORDER(ta, tb);
    switch (ta) {
    case PT_I2: return ORDER(a->Value.i, b->Value.i);
    case PT_LONG: return ORDER(a->Value.l, b->Value.l);
    case PT_BOOLEAN: return ORDER(a->Value.b != 0, b->Value.b != 0);
    case PT_I8: return ORDER(a->Value.li.QuadPart, b->Value.li.QuadPart);
    case PT_CURRENCY: return ORDER(a->Value.cur.int64, b->Value.cur.int64);
    case PT_FLOAT: return compare_reals(a->Value.flt, b->Value.flt);
    case PT_DOUBLE: return compare_reals(a->Value.dbl, b->Value.dbl);
    case PT_APPTIME: return compare_reals(a->Value.at, b->Value.at);
    case PT_ERROR: return ORDER((ULONG)a->Value.err, (ULONG)b->Value.err);
    case PT_SYSTIME: {
        ULONGLONG fa = (ULONGLONG)a->Value.ft.dwHighDateTime << 32 | a->Value.ft.dwLowDateTime;
        ULONGLONG fb = (ULONGLONG)b->Value.ft.dwHighDateTime << 32 | b->Value.ft.dwLowDateTime;
        return ORDER(fa, fb);
    }
    case PT_CLSID: {
        int order = memcmp(a->Value.lpguid, b->Value.lpguid, sizeof(GUID));
        return ORDER(order, 0);
    }
    case PT_STRING8: case PT_UNICODE: case PT_BINARY: {
        struct units ua = units_of(a), ub = units_of(b);
        return compare_units(&ua, &ub, ignore_case && ta != PT_BINARY);
    }
    default:
        return 0; /* types restriction_check refuses: all alike */
    }
}

/* The size RES_SIZE compares: bytes of the value, a string's terminator included. */
static ULONG value_size(const SPropValue *v)
{
    switch (PROP_TYPE(v->ulPropTag)) {
    case PT_I2: case PT_BOOLEAN: return 2;
    case PT_LONG: case PT_FLOAT: case PT_ERROR: return 4;
    case PT_DOUBLE: case PT_CURRENCY: case PT_APPTIME: case PT_I8: case PT_SYSTIME: return 8;
    case PT_CLSID: return sizeof(GUID);
    case PT_STRING8: return (ULONG)strlen(v->Value.lpszA) + 1;
    case PT_UNICODE: return (ULONG)(wide_length(v->Value.lpszW) + 1) * sizeof(WCHAR);
    case PT_BINARY: return v->Value.bin.cb;
    default: return 0;
    }
}

static BOOL relop_holds(ULONG relop, int order)
{
    switch (relop) {
    case RELOP_LT: return order < 0;
    case RELOP_LE: return order <= 0;
    case RELOP_GT: return order > 0;
    case RELOP_GE: return order >= 0;
    case RELOP_EQ: return order == 0;
    case RELOP_NE: return order != 0;
    default: return FALSE;
    }
}

/* ---- checking ---- */

/* RELOP_RE (regular expressions) is not supported; anything past it is not a relop. */
static HRESULT check_relop(ULONG relop)
{
    if (relop <= RELOP_NE) return S_OK;
    return relop == RELOP_RE ? MAPI_E_TOO_COMPLEX : MAPI_E_INVALID_PARAMETER;
}

/* A restriction's value: present, whole, of a type that agrees with the restriction's tag. */
static HRESULT check_value(ULONG tag, const SPropValue *value)
{
    if (!value) return MAPI_E_INVALID_PARAMETER;
    if (!is_comparable_type(PROP_TYPE(tag))) return MAPI_E_TOO_COMPLEX;
    if (!types_agree(PROP_TYPE(tag), PROP_TYPE(value->ulPropTag)) || !value_is_whole(value))
        return MAPI_E_INVALID_PARAMETER;
    return S_OK;
}

static HRESULT check_content(const SContentRestriction *r)
{
    ULONG position = r->ulFuzzyLevel & FUZZY_POSITION, type = PROP_TYPE(r->ulPropTag);
    if (position > FL_PREFIX || (r->ulFuzzyLevel & ~(FUZZY_POSITION | FUZZY_OPTIONS)))
        return MAPI_E_INVALID_PARAMETER;
    if (!is_string(type) && type != PT_BINARY) return MAPI_E_TOO_COMPLEX;
    return check_value(r->ulPropTag, r->lpProp);
}

static HRESULT check(const SRestriction *r, ULONG depth)
{
    HRESULT hr;
    ULONG i;
    if (!r) return MAPI_E_INVALID_PARAMETER;
    if (depth > RESTRICTION_MAX_DEPTH) return MAPI_E_TOO_COMPLEX;
    switch (r->rt) {
    case RES_AND:
    case RES_OR: /* SAndRestriction and SOrRestriction have one layout */
        if (r->res.resAnd.cRes && !r->res.resAnd.lpRes) return MAPI_E_INVALID_PARAMETER;
        for (i = 0; i < r->res.resAnd.cRes; i++)
            if (FAILED(hr = check(&r->res.resAnd.lpRes[i], depth + 1))) return hr;
        return S_OK;
    case RES_NOT:
        return check(r->res.resNot.lpRes, depth + 1);
    case RES_CONTENT:
        return check_content(&r->res.resContent);
    case RES_PROPERTY:
        if (FAILED(hr = check_relop(r->res.resProperty.relop))) return hr;
        return check_value(r->res.resProperty.ulPropTag, r->res.resProperty.lpProp);
    case RES_COMPAREPROPS:
        if (FAILED(hr = check_relop(r->res.resCompareProps.relop))) return hr;
        if (!is_comparable_type(PROP_TYPE(r->res.resCompareProps.ulPropTag1)) ||
            !is_comparable_type(PROP_TYPE(r->res.resCompareProps.ulPropTag2)))
            return MAPI_E_TOO_COMPLEX;
        return types_agree(PROP_TYPE(r->res.resCompareProps.ulPropTag1),
                           PROP_TYPE(r->res.resCompareProps.ulPropTag2))
                   ? S_OK
                   : MAPI_E_INVALID_PARAMETER;
    case RES_BITMASK:
        if (r->res.resBitMask.relBMR != BMR_EQZ && r->res.resBitMask.relBMR != BMR_NEZ)
            return MAPI_E_INVALID_PARAMETER;
        return PROP_TYPE(r->res.resBitMask.ulPropTag) == PT_LONG ? S_OK : MAPI_E_TOO_COMPLEX;
    case RES_SIZE:
        return check_relop(r->res.resSize.relop);
    case RES_EXIST:
        return S_OK;
    default:
        return MAPI_E_TOO_COMPLEX;
    }
}

HRESULT restriction_check(const SRestriction *restriction) { return check(restriction, 0); }

void restriction_each_tag(const SRestriction *r, restriction_tag_fn fn, void *context)
{
    ULONG i;
    switch (r->rt) {
    case RES_AND:
    case RES_OR:
        for (i = 0; i < r->res.resAnd.cRes; i++) restriction_each_tag(&r->res.resAnd.lpRes[i], fn, context);
        return;
    case RES_NOT: restriction_each_tag(r->res.resNot.lpRes, fn, context); return;
    case RES_CONTENT: fn(context, r->res.resContent.ulPropTag); return;
    case RES_PROPERTY: fn(context, r->res.resProperty.ulPropTag); return;
    case RES_COMPAREPROPS:
        fn(context, r->res.resCompareProps.ulPropTag1);
        fn(context, r->res.resCompareProps.ulPropTag2);
        return;
    case RES_BITMASK: fn(context, r->res.resBitMask.ulPropTag); return;
    case RES_SIZE: fn(context, r->res.resSize.ulPropTag); return;
    case RES_EXIST: fn(context, r->res.resExist.ulPropTag); return;
    }
}

/* ---- copying: everything linked to one root block ---- */

static HRESULT copy_value(const struct mapi_allocators *alloc, const SPropValue *src, SPropValue **out,
                          void *root)
{
    SPropValue *dst = mapi_alloc_more(alloc, sizeof(*dst), root);
    void *data = NULL;
    size_t size = 0;
    if (!dst) return MAPI_E_NOT_ENOUGH_MEMORY;
    *dst = *src;
    switch (PROP_TYPE(src->ulPropTag)) {
    case PT_STRING8: data = src->Value.lpszA; size = strlen(src->Value.lpszA) + 1; break;
    case PT_UNICODE: data = src->Value.lpszW; size = (wide_length(src->Value.lpszW) + 1) * sizeof(WCHAR); break;
    case PT_BINARY: data = src->Value.bin.lpb; size = src->Value.bin.cb; break;
    case PT_CLSID: data = src->Value.lpguid; size = sizeof(GUID); break;
    }
    if (data) {
        void *copy = mapi_alloc_more(alloc, size ? size : 1, root);
        if (!copy) return MAPI_E_NOT_ENOUGH_MEMORY;
        memcpy(copy, data, size);
        switch (PROP_TYPE(src->ulPropTag)) {
        case PT_STRING8: dst->Value.lpszA = copy; break;
        case PT_UNICODE: dst->Value.lpszW = copy; break;
        case PT_BINARY: dst->Value.bin.lpb = copy; break;
        case PT_CLSID: dst->Value.lpguid = copy; break;
        }
    }
    *out = dst;
    return S_OK;
}

static HRESULT copy_into(const struct mapi_allocators *alloc, SRestriction *dst, const SRestriction *src,
                         void *root)
{
    ULONG i;
    HRESULT hr;
    *dst = *src;
    switch (src->rt) {
    case RES_AND:
    case RES_OR:
        if (!src->res.resAnd.cRes) return S_OK;
        dst->res.resAnd.lpRes = mapi_alloc_more(alloc, src->res.resAnd.cRes * sizeof(SRestriction), root);
        if (!dst->res.resAnd.lpRes) return MAPI_E_NOT_ENOUGH_MEMORY;
        for (i = 0; i < src->res.resAnd.cRes; i++)
            if (FAILED(hr = copy_into(alloc, &dst->res.resAnd.lpRes[i], &src->res.resAnd.lpRes[i], root)))
                return hr;
        return S_OK;
    case RES_NOT:
        if (!(dst->res.resNot.lpRes = mapi_alloc_more(alloc, sizeof(SRestriction), root)))
            return MAPI_E_NOT_ENOUGH_MEMORY;
        return copy_into(alloc, dst->res.resNot.lpRes, src->res.resNot.lpRes, root);
    case RES_CONTENT:
        return copy_value(alloc, src->res.resContent.lpProp, &dst->res.resContent.lpProp, root);
    case RES_PROPERTY:
        return copy_value(alloc, src->res.resProperty.lpProp, &dst->res.resProperty.lpProp, root);
    default: /* RES_COMPAREPROPS, RES_BITMASK, RES_SIZE, RES_EXIST hold no pointers */
        return S_OK;
    }
}

HRESULT restriction_copy(const struct mapi_allocators *alloc, const SRestriction *restriction,
                         SRestriction **out)
{
    SRestriction *root = mapi_alloc_zeroed(alloc, sizeof(*root));
    HRESULT hr;
    *out = NULL;
    if (!root) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (FAILED(hr = copy_into(alloc, root, restriction, root))) {
        mapi_free(alloc, root);
        return hr;
    }
    *out = root;
    return S_OK;
}

/* ---- evaluating ---- */

static BOOL content_matches(const SContentRestriction *r, const SPropValue *value)
{
    struct units haystack, needle;
    BOOL ignore_case = (r->ulFuzzyLevel & FL_IGNORECASE) != 0;
    size_t offset;
    if (!value || !types_agree(PROP_TYPE(value->ulPropTag), PROP_TYPE(r->lpProp->ulPropTag))) return FALSE;
    haystack = units_of(value);
    needle = units_of(r->lpProp);
    switch (r->ulFuzzyLevel & FUZZY_POSITION) {
    case FL_FULLSTRING:
        return compare_units(&haystack, &needle, ignore_case) == 0;
    case FL_PREFIX:
        return units_at(&haystack, 0, &needle, ignore_case);
    default: /* FL_SUBSTRING */
        for (offset = 0; offset + needle.count <= haystack.count; offset++)
            if (units_at(&haystack, offset, &needle, ignore_case)) return TRUE;
        return FALSE;
    }
}

/* Both values there and of agreeing types, and the relop holds between them. */
static BOOL compare_matches(ULONG relop, const SPropValue *a, const SPropValue *b)
{
    if (!a || !b || !types_agree(PROP_TYPE(a->ulPropTag), PROP_TYPE(b->ulPropTag))) return FALSE;
    /* Case-insensitive, like the sort order, so that FindRow's RELOP_GE follows a sorted table. */
    return relop_holds(relop, restriction_compare_values(a, b, TRUE));
}

BOOL restriction_matches(const SRestriction *r, restriction_lookup lookup, const void *row)
{
    const SPropValue *value;
    ULONG i;
    switch (r->rt) {
    case RES_AND:
        for (i = 0; i < r->res.resAnd.cRes; i++)
            if (!restriction_matches(&r->res.resAnd.lpRes[i], lookup, row)) return FALSE;
        return TRUE;
    case RES_OR:
        for (i = 0; i < r->res.resOr.cRes; i++)
            if (restriction_matches(&r->res.resOr.lpRes[i], lookup, row)) return TRUE;
        return FALSE;
    case RES_NOT:
        return !restriction_matches(r->res.resNot.lpRes, lookup, row);
    case RES_CONTENT:
        return content_matches(&r->res.resContent, lookup(row, r->res.resContent.ulPropTag));
    case RES_PROPERTY:
        return compare_matches(r->res.resProperty.relop, lookup(row, r->res.resProperty.ulPropTag),
                               r->res.resProperty.lpProp);
    case RES_COMPAREPROPS:
        return compare_matches(r->res.resCompareProps.relop, lookup(row, r->res.resCompareProps.ulPropTag1),
                               lookup(row, r->res.resCompareProps.ulPropTag2));
    case RES_BITMASK:
        value = lookup(row, r->res.resBitMask.ulPropTag);
        if (!value || PROP_TYPE(value->ulPropTag) != PT_LONG) return FALSE;
        return ((value->Value.l & (LONG)r->res.resBitMask.ulMask) != 0) == (r->res.resBitMask.relBMR == BMR_NEZ);
    case RES_SIZE:
        value = lookup(row, r->res.resSize.ulPropTag);
        return value && relop_holds(r->res.resSize.relop, ORDER(value_size(value), r->res.resSize.cb));
    case RES_EXIST:
        return lookup(row, r->res.resExist.ulPropTag) != NULL;
    default:
        return FALSE;
    }
}
