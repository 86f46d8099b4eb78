/*
 * libFuzzer target for the restriction engine (src/table/restriction.c), built
 * natively with clang, AddressSanitizer and UndefinedBehaviorSanitizer
 * (tests/fuzz/run.sh).
 *
 * Input: a byte stream read front to back, each byte a choice. It describes
 * three table rows (a few values each: property IDs 0x6700-0x6703, any type,
 * any bits) and then a restriction tree: any type number, nesting past
 * RESTRICTION_MAX_DEPTH, NULL sub-restrictions and values, values whose tag
 * disagrees with the restriction's, any relop, fuzzy level and mask. When the
 * input runs out, reads give zeros. Every allocation is its own malloc block,
 * so ASan sees exact bounds.
 *
 * Properties checked, besides the sanitizers' memory and UB checks:
 *   - restriction_check answers S_OK, MAPI_E_TOO_COMPLEX or MAPI_E_INVALID_PARAMETER;
 *   - a checked restriction copies (through a MAPI-style linked allocator that
 *     a single free releases) and the copy matches exactly the rows the
 *     original matches;
 *   - restriction_compare_values is a total order over the rows' values:
 *     antisymmetric, reflexive and transitive.
 */
#include "table/restriction.h"
#include "fuzz_require.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROWS 3
#define VALUES_PER_ROW 4
#define MAX_NODES 512
#define MAX_LEVELS (RESTRICTION_MAX_DEPTH + 8)
#define FIRST_ID 0x6700

/* ---- input ---- */

struct input {
    const uint8_t *data;
    size_t size, pos;
    unsigned nodes;
};

static uint8_t next_byte(struct input *in) { return in->pos < in->size ? in->data[in->pos++] : 0; }

static ULONG next_ulong(struct input *in)
{
    ULONG v = next_byte(in);
    v |= (ULONG)next_byte(in) << 8;
    v |= (ULONG)next_byte(in) << 16;
    return v | (ULONG)next_byte(in) << 24;
}

/* ---- what the input builds: every block remembered, freed after the run ---- */

struct blocks {
    void *list[8192];
    size_t count;
};

static struct blocks built;

static void *build_alloc(size_t size)
{
    void *p;
    require(built.count < sizeof(built.list) / sizeof(built.list[0]));
    p = calloc(1, size ? size : 1);
    require(p != NULL);
    built.list[built.count++] = p;
    return p;
}

static void free_built(void)
{
    while (built.count) free(built.list[--built.count]);
}

static const ULONG types[] = {PT_I2,    PT_LONG,    PT_FLOAT,   PT_DOUBLE,  PT_CURRENCY, PT_APPTIME,
                              PT_ERROR, PT_BOOLEAN, PT_I8,      PT_STRING8, PT_UNICODE,  PT_SYSTIME,
                              PT_CLSID, PT_BINARY,  PT_NULL,    PT_OBJECT,  PT_MV_LONG,  PT_UNSPECIFIED};

/* Two bytes, the first one read the high one (each read its own statement: C leaves operand order open). */
static ULONG next_ushort_high_first(struct input *in)
{
    ULONG high = next_byte(in);
    return high << 8 | next_byte(in);
}

static ULONG next_tag(struct input *in)
{
    uint8_t b = next_byte(in);
    ULONG type = b & 0x80 ? next_ushort_high_first(in) : types[b % (sizeof(types) / sizeof(types[0]))];
    return PROP_TAG(type, FIRST_ID + (next_byte(in) & 3));
}

/* A value of tag's type: scalars take raw input bits (NaNs included); pointers point at whole data. */
static void fill_value(struct input *in, SPropValue *v, ULONG tag)
{
    size_t i, n;
    v->ulPropTag = tag;
    for (i = 0; i < sizeof(v->Value.li); i++) ((BYTE *)&v->Value)[i] = next_byte(in);
    switch (PROP_TYPE(tag)) {
    case PT_STRING8: {
        char *s;
        n = next_byte(in) % 8;
        s = build_alloc(n + 1);
        for (i = 0; i < n; i++) s[i] = (char)(next_byte(in) | 1);
        v->Value.lpszA = s;
        break;
    }
    case PT_UNICODE: {
        WCHAR *s;
        n = next_byte(in) % 8;
        s = build_alloc((n + 1) * sizeof(WCHAR));
        for (i = 0; i < n; i++) {
            ULONG low = next_byte(in);
            s[i] = (WCHAR)(low | next_byte(in) << 8 | 1);
        }
        v->Value.lpszW = s;
        break;
    }
    case PT_BINARY:
        v->Value.bin.cb = next_byte(in) % 8;
        v->Value.bin.lpb = build_alloc(v->Value.bin.cb);
        for (i = 0; i < v->Value.bin.cb; i++) v->Value.bin.lpb[i] = next_byte(in);
        break;
    case PT_CLSID:
        v->Value.lpguid = build_alloc(sizeof(GUID));
        for (i = 0; i < sizeof(GUID); i++) ((BYTE *)v->Value.lpguid)[i] = next_byte(in);
        break;
    case PT_MV_LONG:
        v->Value.MVl.cValues = next_byte(in) % 3;
        v->Value.MVl.lpl = build_alloc(v->Value.MVl.cValues * sizeof(LONG));
        break;
    }
}

/* A restriction's value: sometimes missing, sometimes half-made, often of a disagreeing type. */
static SPropValue *next_value(struct input *in, ULONG tag)
{
    uint8_t how = next_byte(in);
    SPropValue *v;
    if (how % 8 == 0) return NULL;
    v = build_alloc(sizeof(*v));
    fill_value(in, v, how % 4 == 1 ? next_tag(in) : tag);
    if (how % 16 == 3) memset(&v->Value, 0, sizeof(v->Value)); /* NULL string, binary or GUID pointer */
    return v;
}

static void fill_restriction(struct input *in, SRestriction *r, unsigned level);

static SRestriction *next_restrictions(struct input *in, ULONG count, unsigned level)
{
    SRestriction *list;
    ULONG i;
    if (next_byte(in) % 16 == 0) return NULL;
    list = build_alloc(count * sizeof(*list));
    for (i = 0; i < count; i++) fill_restriction(in, &list[i], level + 1);
    return list;
}

static void fill_restriction(struct input *in, SRestriction *r, unsigned level)
{
    uint8_t kind = next_byte(in);
    if (level >= MAX_LEVELS || ++in->nodes > MAX_NODES) kind = RES_EXIST;
    r->rt = kind % 14; /* every type MAPI defines (RES_AND .. RES_ANNOTATION) and one past */
    switch (r->rt) {
    case RES_AND:
    case RES_OR:
        r->res.resAnd.cRes = next_byte(in) % 4;
        r->res.resAnd.lpRes = next_restrictions(in, r->res.resAnd.cRes, level);
        break;
    case RES_NOT:
    case RES_SUBRESTRICTION:
        r->res.resNot.lpRes = next_restrictions(in, 1, level);
        break;
    case RES_CONTENT:
        if (next_byte(in) & 0x80) {
            r->res.resContent.ulFuzzyLevel = next_ulong(in);
        } else { /* a position, then FL_IGNORECASE or not */
            ULONG position = next_byte(in) % 3;
            r->res.resContent.ulFuzzyLevel = position | (ULONG)(next_byte(in) & 1) << 16;
        }
        r->res.resContent.ulPropTag = next_tag(in);
        r->res.resContent.lpProp = next_value(in, r->res.resContent.ulPropTag);
        break;
    case RES_PROPERTY:
        r->res.resProperty.relop = next_byte(in) % 9;
        r->res.resProperty.ulPropTag = next_tag(in);
        r->res.resProperty.lpProp = next_value(in, r->res.resProperty.ulPropTag);
        break;
    case RES_COMPAREPROPS:
        r->res.resCompareProps.relop = next_byte(in) % 9;
        r->res.resCompareProps.ulPropTag1 = next_tag(in);
        r->res.resCompareProps.ulPropTag2 = next_tag(in);
        break;
    case RES_BITMASK:
        r->res.resBitMask.relBMR = next_byte(in) % 3;
        r->res.resBitMask.ulPropTag = next_tag(in);
        r->res.resBitMask.ulMask = next_ulong(in);
        break;
    case RES_SIZE:
        r->res.resSize.relop = next_byte(in) % 9;
        r->res.resSize.ulPropTag = next_tag(in);
        r->res.resSize.cb = next_byte(in);
        break;
    default: /* RES_EXIST, and types that only need a tag to be refused */
        r->res.resExist.ulPropTag = next_tag(in);
        break;
    }
}

/* ---- rows: values by property ID, as the table's lookup gives them ---- */

struct row {
    SPropValue values[VALUES_PER_ROW];
    ULONG count;
};

static const SPropValue *row_lookup(const void *row, ULONG tag)
{
    const struct row *r = row;
    ULONG i;
    for (i = 0; i < r->count; i++)
        if (PROP_ID(r->values[i].ulPropTag) == PROP_ID(tag)) return &r->values[i];
    return NULL;
}

/* Row values are msstore's own, so always whole: strings terminated, pointers valid. */
static void fill_rows(struct input *in, struct row *rows)
{
    ULONG r, i;
    for (r = 0; r < ROWS; r++) {
        rows[r].count = next_byte(in) % (VALUES_PER_ROW + 1);
        for (i = 0; i < rows[r].count; i++) fill_value(in, &rows[r].values[i], next_tag(in));
    }
}

/* ---- a MAPI-style allocator: AllocateMore blocks hang off their root, one free releases all ---- */

struct mapi_block {
    struct mapi_block *next_linked;
};

static SCODE WINAPI fuzz_allocate_buffer(ULONG size, LPVOID *out)
{
    struct mapi_block *block = calloc(1, sizeof(*block) + size);
    *out = block ? block + 1 : NULL;
    return block ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
}

static SCODE WINAPI fuzz_allocate_more(ULONG size, LPVOID parent, LPVOID *out)
{
    struct mapi_block *root = (struct mapi_block *)parent - 1, *block = calloc(1, sizeof(*block) + size);
    if (!block) return *out = NULL, MAPI_E_NOT_ENOUGH_MEMORY;
    block->next_linked = root->next_linked;
    root->next_linked = block;
    *out = block + 1;
    return S_OK;
}

static ULONG WINAPI fuzz_free_buffer(LPVOID buffer)
{
    struct mapi_block *block = buffer ? (struct mapi_block *)buffer - 1 : NULL;
    while (block) {
        struct mapi_block *next = block->next_linked;
        free(block);
        block = next;
    }
    return 0;
}

static const struct mapi_allocators allocators = {fuzz_allocate_buffer, fuzz_allocate_more, fuzz_free_buffer};

/* ---- the properties ---- */

static int sign(int order) { return (order > 0) - (order < 0); }

static void check_total_order(const struct row *rows)
{
    const SPropValue *all[ROWS * VALUES_PER_ROW];
    size_t n = 0, i, j, k;
    ULONG r;
    int ignore_case;
    for (r = 0; r < ROWS; r++)
        for (i = 0; i < rows[r].count; i++) all[n++] = &rows[r].values[i];
    for (ignore_case = 0; ignore_case < 2; ignore_case++)
        for (i = 0; i < n; i++) {
            require(restriction_compare_values(all[i], all[i], ignore_case) == 0);
            for (j = 0; j < n; j++) {
                int ij = sign(restriction_compare_values(all[i], all[j], ignore_case));
                require(ij == -sign(restriction_compare_values(all[j], all[i], ignore_case)));
                for (k = 0; k < n; k++)
                    if (ij <= 0 && restriction_compare_values(all[j], all[k], ignore_case) <= 0)
                        require(restriction_compare_values(all[i], all[k], ignore_case) <= 0);
            }
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = {data, size, 0, 0};
    struct row rows[ROWS] = {0};
    SRestriction *restriction, *copy = NULL;
    HRESULT hr;
    ULONG r;

    fill_rows(&in, rows);
    check_total_order(rows);
    restriction = next_byte(&in) % 32 == 0 ? NULL : build_alloc(sizeof(*restriction));
    if (restriction) fill_restriction(&in, restriction, 0);

    hr = restriction_check(restriction);
    require(hr == S_OK || hr == MAPI_E_TOO_COMPLEX || hr == MAPI_E_INVALID_PARAMETER);
    if (hr == S_OK) {
        require(restriction_copy(&allocators, restriction, &copy) == S_OK && copy);
        for (r = 0; r < ROWS; r++)
            require(restriction_matches(restriction, row_lookup, &rows[r]) ==
                    restriction_matches(copy, row_lookup, &rows[r]));
        fuzz_free_buffer(copy);
    }
    free_built();
    return 0;
}
