/*
 * The restriction engine on hand-built rows: every supported restriction and
 * relop, strings across widths and cases, missing properties, the checks that
 * refuse hostile input, the one-block copy, and the value order.
 */
#include "harness.h"
#include "table/restriction.h"

#include <string.h>

#define TAG_NUMBER PROP_TAG(PT_LONG, 0x6700)
#define TAG_OTHER_NUMBER PROP_TAG(PT_LONG, 0x6701)
#define TAG_NAME PROP_TAG(PT_UNICODE, 0x6702)
#define TAG_DATA PROP_TAG(PT_BINARY, 0x6703)
#define TAG_FLAG PROP_TAG(PT_BOOLEAN, 0x6704)
#define TAG_ABSENT PROP_TAG(PT_LONG, 0x6705)

struct row {
    SPropValue values[5];
};

static const SPropValue *lookup(const void *row, ULONG tag)
{
    const struct row *r = row;
    ULONG i;
    for (i = 0; i < 5; i++)
        if (PROP_ID(r->values[i].ulPropTag) == PROP_ID(tag)) return &r->values[i];
    return NULL;
}

static BYTE data_bytes[] = {1, 2, 3, 4};

/* number 42, other number 7, name "Sent Items" (wide), data 01 02 03 04, flag TRUE. */
static void make_row(struct row *row)
{
    memset(row, 0, sizeof(*row));
    row->values[0].ulPropTag = TAG_NUMBER;
    row->values[0].Value.l = 42;
    row->values[1].ulPropTag = TAG_OTHER_NUMBER;
    row->values[1].Value.l = 7;
    row->values[2].ulPropTag = TAG_NAME;
    row->values[2].Value.lpszW = (WCHAR *)L"Sent Items";
    row->values[3].ulPropTag = TAG_DATA;
    row->values[3].Value.bin.cb = sizeof(data_bytes);
    row->values[3].Value.bin.lpb = data_bytes;
    row->values[4].ulPropTag = TAG_FLAG;
    row->values[4].Value.b = 1;
}

static BOOL evaluate(const SRestriction *r)
{
    struct row row;
    make_row(&row);
    assert_int_equal(restriction_check(r), S_OK);
    return restriction_matches(r, lookup, &row);
}

static SRestriction property(ULONG relop, SPropValue *value)
{
    SRestriction r;
    r.rt = RES_PROPERTY;
    r.res.resProperty.relop = relop;
    r.res.resProperty.ulPropTag = value->ulPropTag;
    r.res.resProperty.lpProp = value;
    return r;
}

static SPropValue long_value(ULONG tag, LONG l)
{
    SPropValue v;
    v.ulPropTag = tag;
    v.dwAlignPad = 0;
    v.Value.l = l;
    return v;
}

static void every_relop_compares_numbers(void **state)
{
    static const struct {
        ULONG relop;
        LONG operand;
        BOOL expected;
    } cases[] = {
        {RELOP_LT, 43, TRUE}, {RELOP_LT, 42, FALSE}, {RELOP_LE, 42, TRUE},  {RELOP_LE, 41, FALSE},
        {RELOP_GT, 41, TRUE}, {RELOP_GT, 42, FALSE}, {RELOP_GE, 42, TRUE},  {RELOP_GE, 43, FALSE},
        {RELOP_EQ, 42, TRUE}, {RELOP_EQ, -42, FALSE}, {RELOP_NE, 41, TRUE}, {RELOP_NE, 42, FALSE},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        SPropValue v = long_value(TAG_NUMBER, cases[i].operand);
        SRestriction r = property(cases[i].relop, &v);
        assert_int_equal(evaluate(&r), cases[i].expected);
    }
}

static void strings_compare_across_widths_and_without_case(void **state)
{
    SPropValue narrow, wide;
    SRestriction r;
    (void)state;
    narrow.ulPropTag = PROP_TAG(PT_STRING8, PROP_ID(TAG_NAME));
    narrow.Value.lpszA = (char *)"sent items";
    r = property(RELOP_EQ, &narrow);
    assert_true(evaluate(&r)); /* RES_PROPERTY orders strings as sorting does: without case */
    narrow.Value.lpszA = (char *)"Sent Item";
    assert_false(evaluate(&r));
    r = property(RELOP_GT, &narrow);
    assert_true(evaluate(&r)); /* a longer string with the same start is greater */
    wide.ulPropTag = TAG_NAME;
    wide.Value.lpszW = (WCHAR *)L"T";
    r = property(RELOP_LT, &wide);
    assert_true(evaluate(&r));
}

static SRestriction content(ULONG fuzzy, SPropValue *value)
{
    SRestriction r;
    r.rt = RES_CONTENT;
    r.res.resContent.ulFuzzyLevel = fuzzy;
    r.res.resContent.ulPropTag = value->ulPropTag;
    r.res.resContent.lpProp = value;
    return r;
}

static void content_matches_full_strings_substrings_and_prefixes(void **state)
{
    static const struct {
        ULONG fuzzy;
        const char *text;
        BOOL expected;
    } cases[] = {
        {FL_FULLSTRING, "Sent Items", TRUE},
        {FL_FULLSTRING, "sent items", FALSE},
        {FL_FULLSTRING | FL_IGNORECASE, "SENT ITEMS", TRUE},
        {FL_FULLSTRING, "Sent", FALSE},
        {FL_SUBSTRING, "t It", TRUE},
        {FL_SUBSTRING, "t it", FALSE},
        {FL_SUBSTRING | FL_IGNORECASE, "T IT", TRUE},
        {FL_SUBSTRING, "", TRUE},
        {FL_SUBSTRING, "Sent Items!", FALSE},
        {FL_PREFIX, "Sent", TRUE},
        {FL_PREFIX, "Items", FALSE},
        {FL_PREFIX | FL_IGNORECASE | FL_LOOSE, "sENT", TRUE},
        {FL_PREFIX | FL_IGNORENONSPACE, "sent", FALSE},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        SPropValue text;
        SRestriction r;
        text.ulPropTag = PROP_TAG(PT_STRING8, PROP_ID(TAG_NAME));
        text.Value.lpszA = (char *)cases[i].text;
        r = content(cases[i].fuzzy, &text);
        if (evaluate(&r) != cases[i].expected) fail_msg("case %u (%s) gave the wrong answer", (unsigned)i, cases[i].text);
    }
}

static void content_and_order_handle_latin1_case(void **state)
{
    SPropValue row_value, text;
    SRestriction r;
    struct row row;
    (void)state;
    make_row(&row);
    row.values[2].Value.lpszW = (WCHAR *)L"\x00C9t\x00E9"; /* Été */
    text.ulPropTag = PROP_TAG(PT_STRING8, PROP_ID(TAG_NAME));
    text.Value.lpszA = (char *)"\xE9T\xC9"; /* éTÉ in Latin-1 */
    r = content(FL_FULLSTRING | FL_IGNORECASE, &text);
    assert_int_equal(restriction_check(&r), S_OK);
    assert_true(restriction_matches(&r, lookup, &row));
    r = content(FL_FULLSTRING, &text);
    assert_false(restriction_matches(&r, lookup, &row));
    row_value = row.values[2];
    assert_int_equal(restriction_compare_values(&row_value, &text, TRUE), 0);
    assert_int_not_equal(restriction_compare_values(&row_value, &text, FALSE), 0);
}

static void content_matches_binaries_byte_for_byte(void **state)
{
    BYTE middle[] = {2, 3}, other[] = {3, 2};
    SPropValue bin;
    SRestriction r;
    (void)state;
    bin.ulPropTag = TAG_DATA;
    bin.Value.bin.cb = sizeof(middle);
    bin.Value.bin.lpb = middle;
    r = content(FL_SUBSTRING, &bin);
    assert_true(evaluate(&r));
    r = content(FL_PREFIX, &bin);
    assert_false(evaluate(&r));
    bin.Value.bin.lpb = other;
    r = content(FL_SUBSTRING, &bin);
    assert_false(evaluate(&r));
}

static void missing_properties_fail_every_test_but_not(void **state)
{
    SPropValue absent = long_value(TAG_ABSENT, 1);
    SRestriction tests[4], negated;
    size_t i;
    (void)state;
    tests[0] = property(RELOP_NE, &absent);
    tests[1].rt = RES_BITMASK;
    tests[1].res.resBitMask.relBMR = BMR_EQZ;
    tests[1].res.resBitMask.ulPropTag = TAG_ABSENT;
    tests[1].res.resBitMask.ulMask = 1;
    tests[2].rt = RES_SIZE;
    tests[2].res.resSize.relop = RELOP_GE;
    tests[2].res.resSize.ulPropTag = TAG_ABSENT;
    tests[2].res.resSize.cb = 0;
    tests[3].rt = RES_COMPAREPROPS;
    tests[3].res.resCompareProps.relop = RELOP_NE;
    tests[3].res.resCompareProps.ulPropTag1 = TAG_NUMBER;
    tests[3].res.resCompareProps.ulPropTag2 = TAG_ABSENT;
    for (i = 0; i < 4; i++) {
        assert_false(evaluate(&tests[i]));
        negated.rt = RES_NOT;
        negated.res.resNot.lpRes = &tests[i];
        assert_true(evaluate(&negated));
    }
}

static void exist_size_bitmask_and_compareprops_work(void **state)
{
    SRestriction r;
    (void)state;
    r.rt = RES_EXIST;
    r.res.resExist.ulPropTag = TAG_NAME;
    assert_true(evaluate(&r));
    r.res.resExist.ulPropTag = TAG_ABSENT;
    assert_false(evaluate(&r));

    r.rt = RES_SIZE;
    r.res.resSize.relop = RELOP_EQ;
    r.res.resSize.ulPropTag = TAG_NAME;
    r.res.resSize.cb = 22; /* "Sent Items" and its terminator, as UTF-16 */
    assert_true(evaluate(&r));
    r.res.resSize.ulPropTag = TAG_DATA;
    r.res.resSize.cb = 4;
    assert_true(evaluate(&r));
    {
        struct row narrow; /* the name as PT_STRING8: one byte per character */
        make_row(&narrow);
        narrow.values[2].ulPropTag = PROP_TAG(PT_STRING8, PROP_ID(TAG_NAME));
        narrow.values[2].Value.lpszA = (char *)"Sent Items";
        r.res.resSize.ulPropTag = TAG_NAME;
        r.res.resSize.cb = 11;
        assert_true(restriction_matches(&r, lookup, &narrow));
        r.res.resSize.ulPropTag = TAG_DATA;
    }
    r.res.resSize.ulPropTag = TAG_NUMBER;
    r.res.resSize.relop = RELOP_LT;
    r.res.resSize.cb = 4;
    assert_false(evaluate(&r));

    r.rt = RES_BITMASK;
    r.res.resBitMask.ulPropTag = TAG_NUMBER; /* 42 = 0b101010 */
    r.res.resBitMask.relBMR = BMR_NEZ;
    r.res.resBitMask.ulMask = 0x2;
    assert_true(evaluate(&r));
    r.res.resBitMask.ulMask = 0x1;
    assert_false(evaluate(&r));
    r.res.resBitMask.relBMR = BMR_EQZ;
    assert_true(evaluate(&r));

    r.rt = RES_COMPAREPROPS;
    r.res.resCompareProps.relop = RELOP_GT;
    r.res.resCompareProps.ulPropTag1 = TAG_NUMBER;
    r.res.resCompareProps.ulPropTag2 = TAG_OTHER_NUMBER;
    assert_true(evaluate(&r));
    r.res.resCompareProps.relop = RELOP_EQ;
    assert_false(evaluate(&r));
}

static void and_or_not_combine_with_empty_cases(void **state)
{
    SPropValue yes = long_value(TAG_NUMBER, 42), no = long_value(TAG_NUMBER, 0);
    SRestriction parts[2], r;
    (void)state;
    parts[0] = property(RELOP_EQ, &yes);
    parts[1] = property(RELOP_EQ, &no);
    r.rt = RES_AND;
    r.res.resAnd.cRes = 2;
    r.res.resAnd.lpRes = parts;
    assert_false(evaluate(&r));
    r.rt = RES_OR;
    assert_true(evaluate(&r));
    r.res.resOr.cRes = 0;
    r.res.resOr.lpRes = NULL;
    assert_false(evaluate(&r)); /* no alternative holds */
    r.rt = RES_AND;
    assert_true(evaluate(&r)); /* no condition fails */
}

/* A heap-built chain of RES_NOT, n deep, ending in RES_EXIST. */
static SRestriction *not_chain(ULONG n)
{
    SRestriction *chain = HeapAlloc(GetProcessHeap(), 0, (n + 1) * sizeof(SRestriction));
    ULONG i;
    for (i = 0; i < n; i++) {
        chain[i].rt = RES_NOT;
        chain[i].res.resNot.lpRes = &chain[i + 1];
    }
    chain[n].rt = RES_EXIST;
    chain[n].res.resExist.ulPropTag = TAG_NUMBER;
    return chain;
}

static void nesting_is_bounded_even_for_a_hostile_chain(void **state)
{
    SRestriction *chain;
    struct row row;
    (void)state;
    make_row(&row);
    chain = not_chain(RESTRICTION_MAX_DEPTH);
    assert_int_equal(restriction_check(chain), S_OK);
    assert_int_equal(restriction_matches(chain, lookup, &row), RESTRICTION_MAX_DEPTH % 2 == 0);
    HeapFree(GetProcessHeap(), 0, chain);
    chain = not_chain(RESTRICTION_MAX_DEPTH + 1);
    assert_int_equal(restriction_check(chain), MAPI_E_TOO_COMPLEX);
    HeapFree(GetProcessHeap(), 0, chain);
    chain = not_chain(100000);
    assert_int_equal(restriction_check(chain), MAPI_E_TOO_COMPLEX);
    HeapFree(GetProcessHeap(), 0, chain);
}

static void malformed_restrictions_are_refused(void **state)
{
    SPropValue number = long_value(TAG_NUMBER, 1), text;
    SRestriction r;
    (void)state;
    assert_int_equal(restriction_check(NULL), MAPI_E_INVALID_PARAMETER);
    r.rt = RES_AND;
    r.res.resAnd.cRes = 2;
    r.res.resAnd.lpRes = NULL;
    assert_int_equal(restriction_check(&r), MAPI_E_INVALID_PARAMETER);
    r.rt = RES_NOT;
    r.res.resNot.lpRes = NULL;
    assert_int_equal(restriction_check(&r), MAPI_E_INVALID_PARAMETER);
    r = property(RELOP_EQ, &number);
    r.res.resProperty.lpProp = NULL;
    assert_int_equal(restriction_check(&r), MAPI_E_INVALID_PARAMETER);
    r = property(9, &number);
    assert_int_equal(restriction_check(&r), MAPI_E_INVALID_PARAMETER);
    r = property(RELOP_RE, &number);
    assert_int_equal(restriction_check(&r), MAPI_E_TOO_COMPLEX);
    /* The value's type must agree with the tag's. */
    r = property(RELOP_EQ, &number);
    r.res.resProperty.ulPropTag = TAG_NAME;
    assert_int_equal(restriction_check(&r), MAPI_E_INVALID_PARAMETER);
    text.ulPropTag = PROP_TAG(PT_STRING8, PROP_ID(TAG_NAME));
    text.Value.lpszA = NULL;
    r = property(RELOP_EQ, &text);
    assert_int_equal(restriction_check(&r), MAPI_E_INVALID_PARAMETER);
    text.Value.lpszA = (char *)"x";
    r = content(0x7, &text);
    assert_int_equal(restriction_check(&r), MAPI_E_INVALID_PARAMETER);
    r = content(FL_FULLSTRING, &number);
    assert_int_equal(restriction_check(&r), MAPI_E_TOO_COMPLEX);
    r.rt = RES_BITMASK;
    r.res.resBitMask.relBMR = 5;
    r.res.resBitMask.ulPropTag = TAG_NUMBER;
    assert_int_equal(restriction_check(&r), MAPI_E_INVALID_PARAMETER);
    r.res.resBitMask.relBMR = BMR_EQZ;
    r.res.resBitMask.ulPropTag = TAG_NAME;
    assert_int_equal(restriction_check(&r), MAPI_E_TOO_COMPLEX);
    r.rt = RES_COMPAREPROPS;
    r.res.resCompareProps.relop = RELOP_EQ;
    r.res.resCompareProps.ulPropTag1 = TAG_NUMBER;
    r.res.resCompareProps.ulPropTag2 = TAG_NAME;
    assert_int_equal(restriction_check(&r), MAPI_E_INVALID_PARAMETER);
    r.res.resCompareProps.ulPropTag2 = PROP_TAG(PT_MV_LONG, 0x6701);
    assert_int_equal(restriction_check(&r), MAPI_E_TOO_COMPLEX);
    number.ulPropTag = PROP_TAG(PT_MV_LONG, 0x6700);
    r = property(RELOP_EQ, &number);
    assert_int_equal(restriction_check(&r), MAPI_E_TOO_COMPLEX);
    r.rt = RES_SUBRESTRICTION;
    assert_int_equal(restriction_check(&r), MAPI_E_TOO_COMPLEX);
    r.rt = RES_COMMENT;
    assert_int_equal(restriction_check(&r), MAPI_E_TOO_COMPLEX);
    r.rt = 0x7777;
    assert_int_equal(restriction_check(&r), MAPI_E_TOO_COMPLEX);
}

/* A restriction using every kind that holds a pointer. */
struct sample {
    SRestriction top, parts[3], negated;
    SPropValue name, data, number;
};

static void make_sample(struct sample *s)
{
    s->name.ulPropTag = PROP_TAG(PT_STRING8, PROP_ID(TAG_NAME));
    s->name.Value.lpszA = (char *)"items";
    s->data.ulPropTag = TAG_DATA;
    s->data.Value.bin.cb = 2;
    s->data.Value.bin.lpb = data_bytes + 1;
    s->number = long_value(TAG_NUMBER, 42);
    s->parts[0] = content(FL_SUBSTRING | FL_IGNORECASE, &s->name);
    s->parts[1] = content(FL_SUBSTRING, &s->data);
    s->negated = property(RELOP_NE, &s->number);
    s->parts[2].rt = RES_NOT;
    s->parts[2].res.resNot.lpRes = &s->negated;
    s->top.rt = RES_AND;
    s->top.res.resAnd.cRes = 3;
    s->top.res.resAnd.lpRes = s->parts;
}

static void a_copy_is_one_block_that_answers_like_the_original(void **state)
{
    struct sample sample;
    SRestriction *copy = NULL;
    struct row row;
    LONG before = live_blocks();
    (void)state;
    make_sample(&sample);
    make_row(&row);
    assert_int_equal(restriction_check(&sample.top), S_OK);
    assert_int_equal(restriction_copy(&(struct mapi_allocators){mapisim_AllocateBuffer, mapisim_AllocateMore,
                                                                 mapisim_FreeBuffer},
                                      &sample.top, &copy),
                     S_OK);
    assert_int_equal(live_blocks(), before + 1);
    assert_true(restriction_matches(&sample.top, lookup, &row));
    assert_true(restriction_matches(copy, lookup, &row));
    /* The copy shares nothing with the original. */
    sample.name.Value.lpszA = (char *)"nothing like it";
    sample.number.Value.l = 0;
    assert_false(restriction_matches(&sample.top, lookup, &row));
    assert_true(restriction_matches(copy, lookup, &row));
    mapisim_FreeBuffer(copy);
    assert_int_equal(live_blocks(), before);
}

static void a_copy_fails_cleanly_at_each_allocation(void **state)
{
    static const struct mapi_allocators alloc = {mapisim_AllocateBuffer, mapisim_AllocateMore, mapisim_FreeBuffer};
    struct sample sample;
    SRestriction *copy;
    LONG n, before = live_blocks();
    HRESULT hr;
    (void)state;
    make_sample(&sample);
    for (n = 1;; n++) {
        copy = (SRestriction *)1;
        mapisim_alloc_fail_at(n);
        hr = restriction_copy(&alloc, &sample.top, &copy);
        mapisim_alloc_fail_at(0);
        if (hr == S_OK) break;
        assert_int_equal(hr, MAPI_E_NOT_ENOUGH_MEMORY);
        assert_null(copy);
        assert_int_equal(live_blocks(), before);
    }
    assert_int_equal(n, 9); /* 8 allocations: root, parts, 2 values and their data, the NOT's target, its value */
    mapisim_FreeBuffer(copy);
}

static void values_order_by_type_and_antisymmetrically(void **state)
{
    SPropValue v[8];
    GUID lower = {1, 0, 0, {0}}, higher = {2, 0, 0, {0}};
    BYTE short_bin[] = {1, 2}, long_bin[] = {1, 2, 0};
    size_t i, j;
    (void)state;
    memset(v, 0, sizeof(v));
    v[0] = long_value(TAG_NUMBER, -5);
    v[1] = long_value(TAG_NUMBER, 3);
    v[2].ulPropTag = PROP_TAG(PT_SYSTIME, 0x6710);
    v[2].Value.ft.dwHighDateTime = 0x80000000; /* above 2^63: unsigned order */
    v[3].ulPropTag = PROP_TAG(PT_SYSTIME, 0x6710);
    v[3].Value.ft.dwLowDateTime = 1;
    v[4].ulPropTag = PROP_TAG(PT_BINARY, 0x6711);
    v[4].Value.bin.cb = 2;
    v[4].Value.bin.lpb = short_bin;
    v[5].ulPropTag = PROP_TAG(PT_BINARY, 0x6711);
    v[5].Value.bin.cb = 3;
    v[5].Value.bin.lpb = long_bin;
    v[6].ulPropTag = PROP_TAG(PT_CLSID, 0x6712);
    v[6].Value.lpguid = &lower;
    v[7].ulPropTag = PROP_TAG(PT_CLSID, 0x6712);
    v[7].Value.lpguid = &higher;
    assert_true(restriction_compare_values(&v[0], &v[1], FALSE) < 0);
    assert_true(restriction_compare_values(&v[3], &v[2], FALSE) < 0);
    assert_true(restriction_compare_values(&v[4], &v[5], FALSE) < 0); /* shorter first */
    assert_true(restriction_compare_values(&v[6], &v[7], FALSE) < 0);
    /* Unrelated types order by type number; and the order is antisymmetric throughout. */
    assert_true(restriction_compare_values(&v[1], &v[4], FALSE) < 0); /* PT_LONG before PT_BINARY */
    for (i = 0; i < 8; i++)
        for (j = 0; j < 8; j++) {
            int ab = restriction_compare_values(&v[i], &v[j], TRUE);
            int ba = restriction_compare_values(&v[j], &v[i], TRUE);
            assert_int_equal((ab > 0) - (ab < 0), -((ba > 0) - (ba < 0)));
        }
}

/* Every comparable scalar type: ordered by value, compared by RES_PROPERTY through a copy, measured by RES_SIZE. */
static void every_scalar_type_orders_by_value_and_has_its_size(void **state)
{
    static const GUID low_guid = {1, 0, 0, {0}}, high_guid = {1, 0, 0, {0, 0, 0, 0, 0, 0, 0, 1}};
    const struct mapi_allocators alloc = {mapisim_AllocateBuffer, mapisim_AllocateMore, mapisim_FreeBuffer};
    struct {
        ULONG type, size;
        SPropValue low, high;
    } cases[11];
    size_t i, n = 0;
    (void)state;
    memset(cases, 0, sizeof(cases));
#define CASE(t, bytes, member, lo, hi) \
    (cases[n].type = (t), cases[n].size = (bytes), cases[n].low.Value.member = (lo), cases[n++].high.Value.member = (hi))
    CASE(PT_I2, 2, i, -2, 3);
    CASE(PT_LONG, 4, l, -5, 7);
    CASE(PT_BOOLEAN, 2, b, 0, 1);
    CASE(PT_I8, 8, li.QuadPart, -((LONGLONG)1 << 40), (LONGLONG)1 << 40);
    CASE(PT_CURRENCY, 8, cur.int64, -100, 100);
    CASE(PT_FLOAT, 4, flt, -1.5f, 2.5f);
    CASE(PT_DOUBLE, 8, dbl, -1e10, 1e10);
    CASE(PT_APPTIME, 8, at, 1.0, 2.0);
    CASE(PT_ERROR, 4, err, 1, MAPI_E_NOT_FOUND); /* errors order as unsigned codes */
    CASE(PT_SYSTIME, 8, ft.dwHighDateTime, 1, 2);
    CASE(PT_CLSID, sizeof(GUID), lpguid, (GUID *)&low_guid, (GUID *)&high_guid);
#undef CASE
    for (i = 0; i < n; i++) {
        ULONG tag = PROP_TAG(cases[i].type, 0x6720);
        struct row row;
        SRestriction size, below, *copy = NULL;
        cases[i].low.ulPropTag = cases[i].high.ulPropTag = tag;
        assert_true(restriction_compare_values(&cases[i].low, &cases[i].high, FALSE) < 0);
        assert_true(restriction_compare_values(&cases[i].high, &cases[i].low, FALSE) > 0);
        assert_int_equal(restriction_compare_values(&cases[i].low, &cases[i].low, FALSE), 0);

        memset(&row, 0, sizeof(row));
        row.values[0] = cases[i].low;
        size.rt = RES_SIZE;
        size.res.resSize.relop = RELOP_EQ;
        size.res.resSize.ulPropTag = tag;
        size.res.resSize.cb = cases[i].size;
        assert_true(restriction_matches(&size, lookup, &row));
        size.res.resSize.cb++;
        assert_false(restriction_matches(&size, lookup, &row));

        below = property(RELOP_LT, &cases[i].high);
        if (cases[i].type == PT_ERROR) { /* ordered for sorting, but not a value a restriction may compare */
            assert_int_equal(restriction_check(&below), MAPI_E_TOO_COMPLEX);
            continue;
        }
        assert_int_equal(restriction_check(&below), S_OK);
        assert_int_equal(restriction_copy(&alloc, &below, &copy), S_OK);
        assert_true(restriction_matches(copy, lookup, &row));
        copy->res.resProperty.relop = RELOP_GE;
        assert_false(restriction_matches(copy, lookup, &row));
        mapisim_FreeBuffer(copy);
    }
}

/* Values of types no restriction may name (multi-valued, PT_NULL) compare as all alike, after their type. */
static void values_of_uncomparable_types_are_all_alike(void **state)
{
    SPropValue a, b, number = long_value(TAG_NUMBER, 1);
    (void)state;
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    a.ulPropTag = b.ulPropTag = PROP_TAG(PT_NULL, 0x6721);
    a.Value.l = 1;
    b.Value.l = 2;
    assert_int_equal(restriction_compare_values(&a, &b, FALSE), 0);
    assert_true(restriction_compare_values(&a, &number, FALSE) < 0); /* PT_NULL (1) before PT_LONG (3) */
    {
        struct row row; /* and such a value has no size */
        SRestriction size = {RES_SIZE, {.resSize = {RELOP_EQ, a.ulPropTag, 0}}};
        memset(&row, 0, sizeof(row));
        row.values[0] = a;
        assert_true(restriction_matches(&size, lookup, &row));
    }
}

/* Found by fuzzing: NaN compared equal to every number, so "= NaN" matched every row and sorting had no total order. */
static void nan_sorts_after_every_number_and_equals_only_nan(void **state)
{
    static const ULONG types[] = {PT_DOUBLE, PT_APPTIME, PT_FLOAT};
    SPropValue nan, other_nan, one, big;
    size_t t;
    (void)state;
    for (t = 0; t < ARRAYSIZE(types); t++) {
        ULONG tag = PROP_TAG(types[t], 0x6713);
        memset(&nan, 0, sizeof(nan));
        nan.ulPropTag = other_nan.ulPropTag = one.ulPropTag = big.ulPropTag = tag;
        if (types[t] == PT_FLOAT) {
            nan.Value.flt = 0.0f / 0.0f;
            one.Value.flt = 1.0f;
            big.Value.flt = 1e30f;
        } else {
            nan.Value.dbl = 0.0 / 0.0;
            one.Value.dbl = 1.0;
            big.Value.dbl = 1e300;
        }
        other_nan = nan;
        assert_true(restriction_compare_values(&nan, &one, FALSE) > 0);
        assert_true(restriction_compare_values(&one, &nan, FALSE) < 0);
        assert_true(restriction_compare_values(&nan, &big, FALSE) > 0);
        assert_true(restriction_compare_values(&one, &big, FALSE) < 0);
        assert_int_equal(restriction_compare_values(&nan, &other_nan, FALSE), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_relop_compares_numbers),
        cmocka_unit_test(strings_compare_across_widths_and_without_case),
        cmocka_unit_test(content_matches_full_strings_substrings_and_prefixes),
        cmocka_unit_test(content_and_order_handle_latin1_case),
        cmocka_unit_test(content_matches_binaries_byte_for_byte),
        cmocka_unit_test(missing_properties_fail_every_test_but_not),
        cmocka_unit_test(exist_size_bitmask_and_compareprops_work),
        cmocka_unit_test(and_or_not_combine_with_empty_cases),
        cmocka_unit_test(nesting_is_bounded_even_for_a_hostile_chain),
        cmocka_unit_test(malformed_restrictions_are_refused),
        cmocka_unit_test(a_copy_is_one_block_that_answers_like_the_original),
        cmocka_unit_test(a_copy_fails_cleanly_at_each_allocation),
        cmocka_unit_test(values_order_by_type_and_antisymmetrically),
        cmocka_unit_test(nan_sorts_after_every_number_and_equals_only_nan),
        cmocka_unit_test(every_scalar_type_orders_by_value_and_has_its_size),
        cmocka_unit_test(values_of_uncomparable_types_are_all_alike),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
