/*
 * Hostile input: whatever a buggy or malicious client passes, msstore answers
 * with a MAPI error (outputs NULL) or a correct result, never a crash, and the
 * session still ends clean.
 *
 * - Entry IDs: every prefix of each valid ID, every single-byte mutation of
 *   them, and seeded random blobs, through OpenEntry on the store, the logon
 *   and a folder, CompareEntryIDs, Advise, IMSProvider::CompareStoreIDs, and
 *   Logon's lpEntryID. A mutated ID may only open the object that really has it.
 * - Property tag arrays, SetColumns, restrictions, SeekRow, QueryRows and
 *   bookmarks at and beyond their limits.
 * - NULL out-pointers on every method that has one.
 */
#include "harness.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ID_SIZE 30     /* msstore's entry IDs (D12, D18) */
#define FLAGS_SIZE 4   /* abFlags: ignored when reading */
#define RANDOM_BLOBS 3000
#define SHAPED_BLOBS 2000 /* random kind and object id behind a valid header */

/* ---- entry IDs ---- */

struct valid_ids {
    BYTE id[24][ID_SIZE]; /* the store's, then every folder's */
    ULONG count;
};

static void collect_valid_ids(struct mapisim_session *s, struct valid_ids *ids)
{
    SizedSPropTagArray(1, id_column) = {1, {PR_ENTRYID}};
    IMAPIFolder *root = NULL;
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    SPropValue *root_id;
    ULONG type, i;
    BYTE store_id[64];

    assert_int_equal(unwrapped_store_entryid(s->store, store_id, sizeof(store_id)), ID_SIZE);
    memcpy(ids->id[0], store_id, ID_SIZE);
    assert_int_equal(s->store->lpVtbl->OpenEntry(s->store, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&root), S_OK);
    root_id = get_prop((IMAPIProp *)root, PR_ENTRYID);
    assert_int_equal(root_id->Value.bin.cb, ID_SIZE);
    memcpy(ids->id[1], root_id->Value.bin.lpb, ID_SIZE);
    mapisim_FreeBuffer(root_id);
    assert_int_equal(root->lpVtbl->GetHierarchyTable(root, CONVENIENT_DEPTH, &table), S_OK);
    assert_int_equal(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&id_column, 0), S_OK);
    assert_int_equal(table->lpVtbl->QueryRows(table, 22, 0, &rows), S_OK);
    assert_true(rows->cRows < 22);
    for (i = 0; i < rows->cRows; i++) {
        assert_int_equal(rows->aRow[i].lpProps[0].Value.bin.cb, ID_SIZE);
        memcpy(ids->id[2 + i], rows->aRow[i].lpProps[0].Value.bin.lpb, ID_SIZE);
    }
    ids->count = 2 + rows->cRows;
    free_rows(rows);
    table->lpVtbl->Release(table);
    root->lpVtbl->Release(root);
}

/* Whether id (of cb bytes) names one of the folders: the bytes after abFlags equal a folder's. */
static BOOL names_a_folder(const struct valid_ids *ids, ULONG cb, const BYTE *id)
{
    ULONG i;
    if (cb != ID_SIZE) return FALSE;
    for (i = 1; i < ids->count; i++) /* ids->id[0] is the store's: OpenEntry opens folders */
        if (!memcmp(ids->id[i] + FLAGS_SIZE, id + FLAGS_SIZE, ID_SIZE - FLAGS_SIZE)) return TRUE;
    return FALSE;
}

struct tally {
    LONG ids, calls, refused, accepted;
};

/* An object opened from a hostile ID must have exactly that ID. */
static void check_opened(struct mapisim_session *s, IUnknown *object, ULONG cb, const BYTE *id)
{
    SPropValue *opened_id = get_prop((IMAPIProp *)object, PR_ENTRYID);
    (void)s;
    assert_int_equal(opened_id->Value.bin.cb, cb);
    assert_memory_equal(opened_id->Value.bin.lpb + FLAGS_SIZE, id + FLAGS_SIZE, ID_SIZE - FLAGS_SIZE);
    mapisim_FreeBuffer(opened_id);
}

static void count(struct tally *t, HRESULT hr)
{
    t->calls++;
    if (FAILED(hr)) t->refused++;
    else t->accepted++;
}

/* A logged-on session and a folder held open: everything that reads an entry ID. */
struct readers {
    struct mapisim_session *s;
    IMAPIFolder *root;
};

/* One candidate ID through every method of the logged-on store that reads an entry ID. */
static void try_entryid(const struct readers *r, const struct valid_ids *ids, ULONG cb, const BYTE *id,
                        struct tally *t)
{
    struct mapisim_session *s = r->s;
    IMsgStore *store = s->store;
    IMSLogon *logon = s->support.logon;
    struct test_sink sink;
    IUnknown *object;
    ULONG type, result, i;
    ULONG_PTR connection;
    HRESULT hr;
    BOOL valid = names_a_folder(ids, cb, id);

    t->ids++;
    for (i = 0; i < 3; i++) { /* the store's, the logon's and a folder's OpenEntry */
        object = (IUnknown *)(ULONG_PTR)1; /* must come back NULL on failure */
        type = 99;
        if (i == 0) hr = store->lpVtbl->OpenEntry(store, cb, (LPENTRYID)id, NULL, 0, &type, &object);
        else if (i == 1) hr = logon->lpVtbl->OpenEntry(logon, cb, (LPENTRYID)id, NULL, 0, &type, &object);
        else hr = r->root->lpVtbl->OpenEntry(r->root, cb, (LPENTRYID)id, NULL, 0, &type, &object);
        count(t, hr);
        if (FAILED(hr)) {
            assert_null(object);
            assert_false(valid);
        } else {
            assert_true(valid || !cb); /* cb 0 opens the root */
            if (cb) check_opened(s, object, cb, id);
            object->lpVtbl->Release(object);
        }
    }
    for (i = 0; i < ids->count; i++) {
        BOOL same_object = cb == ID_SIZE && !memcmp(ids->id[i] + FLAGS_SIZE, id + FLAGS_SIZE, ID_SIZE - FLAGS_SIZE);
        result = 99;
        hr = store->lpVtbl->CompareEntryIDs(store, ID_SIZE, (LPENTRYID)ids->id[i], cb, (LPENTRYID)id, 0, &result);
        count(t, hr);
        if (SUCCEEDED(hr)) assert_int_equal(result, (ULONG)same_object);
        else assert_false(same_object);
        result = 99;
        hr = logon->lpVtbl->CompareEntryIDs(logon, cb, (LPENTRYID)id, ID_SIZE, (LPENTRYID)ids->id[i], 0, &result);
        count(t, hr);
        if (SUCCEEDED(hr)) assert_int_equal(result, (ULONG)same_object);
    }
    result = 99;
    hr = s->provider->lpVtbl->CompareStoreIDs(s->provider, ID_SIZE, (LPENTRYID)ids->id[0], cb, (LPENTRYID)id, 0,
                                               &result);
    count(t, hr);
    if (SUCCEEDED(hr) && result) assert_true(cb == ID_SIZE && !memcmp(ids->id[0] + FLAGS_SIZE, id + FLAGS_SIZE, 16));

    test_sink_init(&sink);
    connection = 99;
    hr = ABI_VTBL(IMsgStore, store)->Advise(store, cb, (LPENTRYID)id, fnevObjectModified, &sink.IMAPIAdviseSink_iface,
                                            &connection);
    count(t, hr);
    if (SUCCEEDED(hr)) assert_int_equal(ABI_VTBL(IMsgStore, store)->Unadvise(store, connection), S_OK);
    else assert_true(connection == 0);
    assert_int_equal(sink.refs, 1);
}

static void copy_mutated(BYTE *out, const BYTE *id, ULONG position, BYTE flip)
{
    memcpy(out, id, ID_SIZE);
    out[position] ^= flip;
}

static void hostile_entryids_are_refused_or_name_the_right_object(void **state)
{
    static const BYTE flips[] = {0x01, 0x80, 0xff};
    struct mapisim_session s;
    struct valid_ids ids;
    struct readers readers;
    struct tally t = {0};
    BYTE candidate[64];
    ULONG i, k, f, seed = 20261124;
    (void)state;

    session_start(&s);
    collect_valid_ids(&s, &ids);
    readers.s = &s;
    assert_int_equal(s.store->lpVtbl->OpenEntry(s.store, 0, NULL, NULL, 0, &i, (LPUNKNOWN *)&readers.root), S_OK);
    for (i = 0; i < ids.count; i++) {
        for (k = 0; k <= ID_SIZE; k++) try_entryid(&readers, &ids, k, ids.id[i], &t); /* every prefix, and the whole */
        memcpy(candidate, ids.id[i], ID_SIZE);
        candidate[ID_SIZE] = 0;
        try_entryid(&readers, &ids, ID_SIZE + 1, candidate, &t); /* one byte too many */
        for (k = 0; k < ID_SIZE; k++)
            for (f = 0; f < ARRAYSIZE(flips); f++) {
                copy_mutated(candidate, ids.id[i], k, flips[f]);
                try_entryid(&readers, &ids, ID_SIZE, candidate, &t);
            }
    }
    for (i = 0; i < RANDOM_BLOBS; i++) {
        ULONG cb = next_random(&seed) % sizeof(candidate);
        for (k = 0; k < cb; k++) candidate[k] = (BYTE)next_random(&seed);
        try_entryid(&readers, &ids, cb, candidate, &t);
    }
    for (i = 0; i < SHAPED_BLOBS; i++) { /* past the header checks, into the kind and object id */
        memcpy(candidate, ids.id[0], ID_SIZE);
        candidate[21] = (BYTE)(next_random(&seed) % 4);
        for (k = 22; k < ID_SIZE; k++) candidate[k] = (BYTE)(k == 22 ? next_random(&seed) % 16 : next_random(&seed) % 2);
        try_entryid(&readers, &ids, ID_SIZE, candidate, &t);
    }
    printf("hostile entry IDs: %ld tried (prefixes, single-byte mutations, %d random and %d shaped blobs) through "
           "%ld calls: %ld refused with an error, %ld accepted, each naming the right object\n",
           (long)t.ids, RANDOM_BLOBS, SHAPED_BLOBS, (long)t.calls, (long)t.refused, (long)t.accepted);
    readers.root->lpVtbl->Release(readers.root);
    session_finish(&s);
}

/*
 * Logon's lpEntryID: mutations and prefixes of the store's ID; a clean
 * failure, or the store the profile names, whose identity comes from its file.
 */
static void hostile_logon_entryids_fail_cleanly_or_open_the_profiles_store(void **state)
{
    BYTE valid[64], candidate[64];
    ULONG cb_valid, k, f, tried = 0, opened = 0;
    static const BYTE flips[] = {0x01, 0x80, 0xff};
    struct mapisim_session s;
    WCHAR path[MAX_PATH];
    (void)state;

    mapisim_scratch_store_path(path);
    session_start_on(&s, path);
    cb_valid = unwrapped_store_entryid(s.store, valid, sizeof(valid));
    session_finish(&s);
    for (k = 0; k < cb_valid * ARRAYSIZE(flips) + cb_valid + 1; k++) {
        IMSLogon *logon = NULL;
        IMsgStore *store = NULL;
        ULONG cb = cb_valid;
        HRESULT hr;
        if (k < cb_valid * ARRAYSIZE(flips)) {
            f = k % ARRAYSIZE(flips);
            copy_mutated(candidate, valid, k / ARRAYSIZE(flips), flips[f]);
        } else {
            cb = k - cb_valid * ARRAYSIZE(flips); /* prefixes 0 .. cb_valid */
            memcpy(candidate, valid, cb_valid);
        }
        session_init(&s);
        mapisim_support_use_store(&s.support, path);
        hr = mapisim_logon(s.provider, &s.support.IMAPISupport_iface, 0, "hostile", cb, (LPENTRYID)candidate, &logon,
                           &store);
        tried++;
        if (SUCCEEDED(hr)) {
            BYTE opened_id[64];
            opened++;
            s.store = store;
            s.stores_opened++;
            mapisim_support_hold_logon(&s.support, logon);
            mapisim_support_release_own(&s.support);
            /* The profile's store, with its file's identity, whatever UID the ID carried. */
            assert_int_equal(unwrapped_store_entryid(store, opened_id, sizeof(opened_id)), ID_SIZE);
            assert_memory_equal(opened_id + FLAGS_SIZE, valid + FLAGS_SIZE, 16);
        } else {
            assert_null(logon);
            assert_null(store);
        }
        session_finish(&s);
    }
    printf("hostile Logon entry IDs: %lu tried, %lu opened the store the profile names, the rest refused; "
           "every session clean\n", (unsigned long)tried, (unsigned long)opened);
    mapisim_remove_store(path);
}

/* ---- property tag arrays, columns, restrictions, positions, bookmarks ---- */

static void hostile_tag_arrays_get_errors_not_crashes(void **state)
{
    struct mapisim_session s;
    SPropTagArray empty = {0, {0}};
    SizedSPropTagArray(1, huge) = {0xffffffff, {PR_DISPLAY_NAME_W}};
    SizedSPropTagArray(1, just_over) = {0x10001, {PR_DISPLAY_NAME_W}};
    SizedSPropTagArray(6, odd) = {6, {PROP_TAG(0x1234, 0x6fff), PROP_TAG(PT_ERROR, PROP_ID(PR_DISPLAY_NAME_W)),
                                      PROP_TAG(PT_MV_LONG, PROP_ID(PR_OBJECT_TYPE)), PROP_TAG(PT_UNSPECIFIED, 0x3001),
                                      PROP_TAG(PT_NULL, 0x3001), PROP_TAG(PT_OBJECT, 0x3001)}};
    SPropValue *values;
    ULONG n;
    (void)state;
    session_start(&s);
    values = (SPropValue *)(ULONG_PTR)1;
    n = 99;
    assert_int_equal(s.store->lpVtbl->GetProps(s.store, &empty, 0, &n, &values), MAPI_E_INVALID_PARAMETER);
    assert_null(values);
    assert_int_equal(n, 0);
    assert_int_equal(s.store->lpVtbl->GetProps(s.store, (LPSPropTagArray)&huge, 0, &n, &values),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(s.store->lpVtbl->GetProps(s.store, (LPSPropTagArray)&just_over, 0, &n, &values),
                     MAPI_E_INVALID_PARAMETER);
    assert_null(values);
    /* Odd tags: one answer each, in order; what the store does not have is PT_ERROR. */
    assert_int_equal(s.store->lpVtbl->GetProps(s.store, (LPSPropTagArray)&odd, 0, &n, &values),
                     MAPI_W_ERRORS_RETURNED);
    assert_int_equal(n, 6);
    assert_int_equal(values[0].ulPropTag, PROP_TAG(PT_ERROR, 0x6fff));
    assert_int_equal(values[1].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(PR_DISPLAY_NAME_W)));
    assert_int_equal(values[2].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(PR_OBJECT_TYPE)));
    assert_int_equal(values[3].ulPropTag, PR_DISPLAY_NAME_A); /* PT_UNSPECIFIED: the stored type, 8-bit here */
    mapisim_FreeBuffer(values);
    session_finish(&s);
}

static IMAPITable *root_hierarchy(struct mapisim_session *s)
{
    IMAPIFolder *root = NULL;
    IMAPITable *table = NULL;
    ULONG type;
    assert_int_equal(s->store->lpVtbl->OpenEntry(s->store, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&root), S_OK);
    assert_int_equal(root->lpVtbl->GetHierarchyTable(root, CONVENIENT_DEPTH, &table), S_OK);
    root->lpVtbl->Release(root);
    return table;
}

static void hostile_columns_are_refused_or_answered_per_column(void **state)
{
    struct mapisim_session s;
    IMAPITable *table;
    SPropTagArray empty = {0, {0}};
    SizedSPropTagArray(1, huge) = {0xffffffff, {PR_ENTRYID}};
    SizedSPropTagArray(4, odd) = {4, {PR_DISPLAY_NAME_W, PR_DISPLAY_NAME_W, PROP_TAG(PT_LONG, 0x7abc),
                                      PROP_TAG(PT_MV_UNICODE, PROP_ID(PR_DISPLAY_NAME_W))}};
    SRowSet *rows = NULL;
    (void)state;
    session_start(&s);
    table = root_hierarchy(&s);
    assert_int_equal(table->lpVtbl->SetColumns(table, &empty, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&huge, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(table->lpVtbl->SetColumns(table, NULL, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&odd, 0), S_OK);
    assert_int_equal(table->lpVtbl->QueryRows(table, 1, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    assert_int_equal(rows->aRow[0].cValues, 4); /* duplicates kept, as asked */
    assert_int_equal(rows->aRow[0].lpProps[0].ulPropTag, PR_DISPLAY_NAME_W);
    assert_int_equal(rows->aRow[0].lpProps[1].ulPropTag, PR_DISPLAY_NAME_W);
    assert_int_equal(rows->aRow[0].lpProps[2].ulPropTag, PROP_TAG(PT_ERROR, 0x7abc));
    assert_int_equal(rows->aRow[0].lpProps[3].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(PR_DISPLAY_NAME_W)));
    free_rows(rows);
    table->lpVtbl->Release(table);
    session_finish(&s);
}

static void hostile_restrictions_are_refused_without_changing_the_view(void **state)
{
    struct mapisim_session s;
    IMAPITable *table;
    SRestriction *chain = malloc(100000 * sizeof(SRestriction));
    SRestriction and_null = {RES_AND, {.resAnd = {2, NULL}}};
    SRestriction prop_null = {RES_PROPERTY, {.resProperty = {RELOP_EQ, PR_DISPLAY_NAME_W, NULL}}};
    SRestriction not_null = {RES_NOT, {.resNot = {0, NULL}}};
    SRestriction unknown = {0x77, {{0}}};
    SPropValue text = {PR_DISPLAY_NAME_W, 0, {.lpszW = (WCHAR *)L"Inbox"}};
    SRestriction mismatched = {RES_PROPERTY, {.resProperty = {RELOP_EQ, PR_CONTENT_COUNT, &text}}};
    SRestriction *hostile[] = {&chain[0], &and_null, &prop_null, &not_null, &unknown, &mismatched};
    ULONG before = 0, after = 0, i;
    HRESULT hr;
    (void)state;
    for (i = 0; i < 100000; i++) {
        chain[i].rt = RES_NOT;
        chain[i].res.resNot.lpRes = i + 1 < 100000 ? &chain[i + 1] : &prop_null;
    }
    session_start(&s);
    table = root_hierarchy(&s);
    assert_int_equal(table->lpVtbl->GetRowCount(table, 0, &before), S_OK);
    for (i = 0; i < ARRAYSIZE(hostile); i++) {
        hr = table->lpVtbl->Restrict(table, hostile[i], 0);
        assert_true(hr == MAPI_E_INVALID_PARAMETER || hr == MAPI_E_TOO_COMPLEX);
        assert_int_equal(table->lpVtbl->GetRowCount(table, 0, &after), S_OK);
        assert_int_equal(after, before);
        hr = ABI_VTBL(IMAPITable, table)->FindRow(table, hostile[i], BOOKMARK_BEGINNING, 0);
        assert_true(hr == MAPI_E_INVALID_PARAMETER || hr == MAPI_E_TOO_COMPLEX);
    }
    table->lpVtbl->Release(table);
    session_finish(&s);
    free(chain);
}

static void extreme_positions_and_stale_bookmarks_are_handled(void **state)
{
    struct mapisim_session s;
    IMAPITable *table;
    const IMAPITableAbiVtbl *v;
    static const BOOKMARK_ABI origins[] = {BOOKMARK_BEGINNING, BOOKMARK_CURRENT, BOOKMARK_END};
    static const LONG counts[] = {LONG_MIN, LONG_MIN + 1, -1, 0, 1, LONG_MAX - 1, LONG_MAX};
    ULONG total = 0, position, numerator, denominator, i, j;
    LONG sought;
    BOOKMARK_ABI mark = 0;
    SRestriction exists = {RES_EXIST, {.resExist = {0, PR_ENTRYID, 0}}};
    SRowSet *rows = (SRowSet *)(ULONG_PTR)1;
    (void)state;
    session_start(&s);
    table = root_hierarchy(&s);
    v = ABI_VTBL(IMAPITable, table);
    assert_int_equal(table->lpVtbl->GetRowCount(table, 0, &total), S_OK);
    for (i = 0; i < ARRAYSIZE(origins); i++)
        for (j = 0; j < ARRAYSIZE(counts); j++) {
            assert_int_equal(v->SeekRow(table, origins[i], 0, NULL), S_OK); /* from somewhere known */
            assert_int_equal(v->SeekRow(table, BOOKMARK_BEGINNING, 2, NULL), S_OK);
            assert_int_equal(v->SeekRow(table, origins[i], counts[j], &sought), S_OK);
            assert_int_equal(table->lpVtbl->QueryPosition(table, &position, &numerator, &denominator), S_OK);
            assert_true(position <= total); /* clamped to the table */
            assert_int_equal(denominator, total);
        }
    assert_int_equal(table->lpVtbl->QueryRows(table, 0, 0, &rows), MAPI_E_INVALID_PARAMETER);
    assert_null(rows);
    assert_int_equal(v->SeekRow(table, BOOKMARK_END, 0, NULL), S_OK);
    assert_int_equal(table->lpVtbl->QueryRows(table, LONG_MIN, 0, &rows), S_OK); /* everything, backwards */
    assert_int_equal(rows->cRows, total);
    free_rows(rows);
    assert_int_equal(table->lpVtbl->QueryRows(table, LONG_MAX, 0, &rows), S_OK); /* the cursor stayed at the end */
    assert_int_equal(rows->cRows, 0);
    free_rows(rows);
    assert_int_equal(v->SeekRow(table, BOOKMARK_BEGINNING, 0, NULL), S_OK);
    assert_int_equal(table->lpVtbl->QueryRows(table, LONG_MAX, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, total);
    free_rows(rows);
    /* Bookmarks: freed, never made, the reserved ones. */
    assert_int_equal(v->CreateBookmark(table, &mark), S_OK);
    assert_int_equal(v->FreeBookmark(table, mark), S_OK);
    assert_int_equal(v->SeekRow(table, mark, 0, NULL), MAPI_E_INVALID_BOOKMARK);
    assert_int_equal(v->FreeBookmark(table, mark), MAPI_E_INVALID_BOOKMARK);
    assert_int_equal(v->SeekRow(table, (BOOKMARK_ABI)0x7fff1234, 0, NULL), MAPI_E_INVALID_BOOKMARK);
    assert_int_equal(v->FindRow(table, &exists, (BOOKMARK_ABI)0x7fff1234, 0), MAPI_E_INVALID_BOOKMARK);
    assert_int_equal(v->FreeBookmark(table, BOOKMARK_BEGINNING), S_OK); /* the reserved ones are never freed */
    assert_int_equal(v->SeekRow(table, BOOKMARK_BEGINNING, 0, NULL), S_OK);
    table->lpVtbl->Release(table);
    session_finish(&s);
}

/* ---- NULL out-pointers ---- */

static void null_out_pointers_get_invalid_parameter(void **state)
{
    struct mapisim_session s;
    IMsgStore *store;
    IMSLogon *logon;
    IMAPIFolder *root = NULL;
    IMAPITable *table;
    IMAPIStatus *status = NULL;
    const IMAPITableAbiVtbl *t;
    SizedSPropTagArray(1, tags) = {1, {PR_DISPLAY_NAME_W}};
    SPropValue *values = NULL;
    ULONG n = 0, type = 0, cb = 0;
    ULONG_PTR connection = 0;
    ENTRYID *id = NULL;
    IUnknown *object = NULL;
    BYTE store_id[64];
    ULONG cb_store_id;
    struct test_sink sink;
    int checked = 0;
    (void)state;

#define NULL_OUT(call) (assert_int_equal((call), MAPI_E_INVALID_PARAMETER), checked++)
    session_start(&s);
    store = s.store;
    logon = s.support.logon;
    test_sink_init(&sink);
    cb_store_id = unwrapped_store_entryid(store, store_id, sizeof(store_id));
    assert_int_equal(store->lpVtbl->OpenEntry(store, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&root), S_OK);
    table = root_hierarchy(&s);
    t = ABI_VTBL(IMAPITable, table);
    assert_int_equal(logon->lpVtbl->OpenStatusEntry(logon, NULL, 0, &type, (LPVOID *)&status), S_OK);

    NULL_OUT(s.provider->lpVtbl->CompareStoreIDs(s.provider, cb_store_id, (LPENTRYID)store_id, cb_store_id,
                                                 (LPENTRYID)store_id, 0, NULL));
    NULL_OUT(store->lpVtbl->GetProps(store, (LPSPropTagArray)&tags, 0, NULL, &values));
    NULL_OUT(store->lpVtbl->GetProps(store, (LPSPropTagArray)&tags, 0, &n, NULL));
    NULL_OUT(store->lpVtbl->GetPropList(store, 0, NULL));
    NULL_OUT(store->lpVtbl->GetLastError(store, MAPI_E_CALL_FAILED, 0, NULL));
    NULL_OUT(store->lpVtbl->OpenEntry(store, 0, NULL, NULL, 0, NULL, &object));
    NULL_OUT(store->lpVtbl->OpenEntry(store, 0, NULL, NULL, 0, &type, NULL));
    NULL_OUT(store->lpVtbl->CompareEntryIDs(store, cb_store_id, (LPENTRYID)store_id, cb_store_id,
                                            (LPENTRYID)store_id, 0, NULL));
    NULL_OUT(store->lpVtbl->GetReceiveFolder(store, (LPTSTR) "IPM", 0, NULL, &id, NULL));
    NULL_OUT(store->lpVtbl->GetReceiveFolder(store, (LPTSTR) "IPM", 0, &cb, NULL, NULL));
    NULL_OUT(store->lpVtbl->GetReceiveFolderTable(store, 0, NULL));
    NULL_OUT(ABI_VTBL(IMsgStore, store)->Advise(store, 0, NULL, fnevNewMail, &sink.IMAPIAdviseSink_iface, NULL));
    NULL_OUT(store->lpVtbl->StoreLogoff(store, NULL));
    NULL_OUT(logon->lpVtbl->OpenEntry(logon, 0, NULL, NULL, 0, NULL, &object));
    NULL_OUT(logon->lpVtbl->OpenEntry(logon, 0, NULL, NULL, 0, &type, NULL));
    NULL_OUT(logon->lpVtbl->CompareEntryIDs(logon, cb_store_id, (LPENTRYID)store_id, cb_store_id,
                                            (LPENTRYID)store_id, 0, NULL));
    NULL_OUT(logon->lpVtbl->GetLastError(logon, MAPI_E_CALL_FAILED, 0, NULL));
    NULL_OUT(logon->lpVtbl->OpenStatusEntry(logon, NULL, 0, NULL, (LPVOID *)&object));
    NULL_OUT(logon->lpVtbl->OpenStatusEntry(logon, NULL, 0, &type, NULL));
    NULL_OUT(ABI_VTBL(IMSLogon, logon)->Advise(logon, 0, NULL, fnevNewMail, &sink.IMAPIAdviseSink_iface, NULL));
    NULL_OUT(root->lpVtbl->GetProps(root, (LPSPropTagArray)&tags, 0, NULL, &values));
    NULL_OUT(root->lpVtbl->GetPropList(root, 0, NULL));
    NULL_OUT(root->lpVtbl->GetLastError(root, MAPI_E_CALL_FAILED, 0, NULL));
    NULL_OUT(root->lpVtbl->GetHierarchyTable(root, 0, NULL));
    NULL_OUT(root->lpVtbl->GetContentsTable(root, 0, NULL));
    NULL_OUT(root->lpVtbl->OpenProperty(root, PR_CONTAINER_HIERARCHY, &IID_IMAPITable, 0, 0, NULL));
    NULL_OUT(status->lpVtbl->GetProps(status, (LPSPropTagArray)&tags, 0, NULL, &values));
    NULL_OUT(status->lpVtbl->GetPropList(status, 0, NULL));
    NULL_OUT(status->lpVtbl->GetLastError(status, MAPI_E_CALL_FAILED, 0, NULL));
    NULL_OUT(t->GetLastError(table, MAPI_E_CALL_FAILED, 0, NULL));
    NULL_OUT(t->GetStatus(table, NULL, &type));
    NULL_OUT(t->GetStatus(table, &type, NULL));
    NULL_OUT(t->QueryColumns(table, 0, NULL));
    NULL_OUT(t->GetRowCount(table, 0, NULL));
    NULL_OUT(t->QueryPosition(table, NULL, &n, &type));
    NULL_OUT(t->QueryRows(table, 1, 0, NULL));
    NULL_OUT(t->CreateBookmark(table, NULL));
    NULL_OUT(t->QuerySortOrder(table, NULL));
    NULL_OUT(t->Advise(table, fnevTableModified, &sink.IMAPIAdviseSink_iface, NULL));
    NULL_OUT(t->Advise(table, fnevTableModified, NULL, &connection));
#undef NULL_OUT
    printf("NULL out-pointers: %d method calls, each MAPI_E_INVALID_PARAMETER\n", checked);

    assert_int_equal(sink.refs, 1);
    status->lpVtbl->Release(status);
    table->lpVtbl->Release(table);
    root->lpVtbl->Release(root);
    session_finish(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hostile_entryids_are_refused_or_name_the_right_object),
        cmocka_unit_test(hostile_logon_entryids_fail_cleanly_or_open_the_profiles_store),
        cmocka_unit_test(hostile_tag_arrays_get_errors_not_crashes),
        cmocka_unit_test(hostile_columns_are_refused_or_answered_per_column),
        cmocka_unit_test(hostile_restrictions_are_refused_without_changing_the_view),
        cmocka_unit_test(extreme_positions_and_stale_bookmarks_are_handled),
        cmocka_unit_test(null_out_pointers_get_invalid_parameter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
