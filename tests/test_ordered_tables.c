/*
 * Contents tables in the store's own order (src/table/ordered.c): a table
 * with no restriction and a sort the store keeps reads its rows a page at a
 * time from the file's sort keys and holds none of them. Each test runs the
 * same calls on two tables of one folder: "ordered", and "held", whose
 * restriction every message matches (RES_EXIST of PR_ENTRYID), so that it
 * holds and sorts its rows itself -- the engine every table had before.
 * Whatever a client can see must be the same in both.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#define MESSAGES 40

static const SizedSPropTagArray(2, key_and_subject) = {2, {PR_INSTANCE_KEY, PR_SUBJECT_W}};
static const SizedSPropTagArray(3, key_subject_flags) = {3, {PR_INSTANCE_KEY, PR_SUBJECT_W, PR_MESSAGE_FLAGS}};

struct fixture {
    struct mapisim_session s;
    IMAPIFolder *folder, *other;
    IMAPITable *ordered, *held;
};

static IMAPIFolder *make_folder(IMsgStore *store, const char *name)
{
    IMAPIFolder *root = open_root_for_writing(store), *folder = NULL;
    assert_int_equal(root->lpVtbl->CreateFolder(root, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL, 0, &folder), S_OK);
    root->lpVtbl->Release(root);
    return folder;
}

/*
 * Message i: subjects from five (ties, mixed case), a delivery time every
 * third one lacks, importance 0 to 2, every fourth one read.
 */
static void save_message(IMAPIFolder *folder, ULONG i, const WCHAR *subject)
{
    static const WCHAR *const subjects[] = {L"beta", L"Alpha", L"alpha", L"Gamma", L"\x00C9t\x00E9"};
    SPropValue values[3];
    ULONG n = 0;
    IMessage *message = NULL;
    assert_int_equal(folder->lpVtbl->CreateMessage(folder, NULL, 0, &message), S_OK);
    values[n].ulPropTag = PR_SUBJECT_W;
    values[n++].Value.lpszW = (WCHAR *)(subject ? subject : subjects[i % 5]);
    values[n].ulPropTag = PR_IMPORTANCE;
    values[n++].Value.l = (LONG)(i % 3);
    if (i % 3) {
        values[n].ulPropTag = PR_MESSAGE_DELIVERY_TIME;
        values[n].Value.ft.dwHighDateTime = 0x01D00000;
        values[n++].Value.ft.dwLowDateTime = (i * 7919) % 13 * 1000; /* ties too */
    }
    assert_int_equal(message->lpVtbl->SetProps(message, n, values, NULL), S_OK);
    if (i % 4 == 0) assert_int_equal(message->lpVtbl->SetReadFlag(message, 0), S_OK);
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK);
    message->lpVtbl->Release(message);
}

static IMAPITable *contents_table(IMAPIFolder *folder, BOOL held)
{
    SRestriction every;
    IMAPITable *table = NULL;
    assert_int_equal(folder->lpVtbl->GetContentsTable(folder, MAPI_UNICODE, &table), S_OK);
    assert_int_equal(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&key_and_subject, 0), S_OK);
    if (held) {
        every.rt = RES_EXIST;
        every.res.resExist.ulPropTag = PR_ENTRYID;
        every.res.resExist.ulReserved1 = every.res.resExist.ulReserved2 = 0;
        assert_int_equal(table->lpVtbl->Restrict(table, &every, 0), S_OK);
    }
    return table;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    ULONG i;
    session_start(&f->s);
    f->folder = make_folder(f->s.store, "Ordered");
    f->other = make_folder(f->s.store, "Other");
    for (i = 0; i < MESSAGES; i++) save_message(f->folder, i, NULL);
    f->ordered = contents_table(f->folder, FALSE);
    f->held = contents_table(f->folder, TRUE);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(f->ordered->lpVtbl->Release(f->ordered), 0);
    assert_int_equal(f->held->lpVtbl->Release(f->held), 0);
    f->folder->lpVtbl->Release(f->folder);
    f->other->lpVtbl->Release(f->other);
    session_finish(&f->s);
    free(f);
    return 0;
}

/* A row as text: its instance key's last bytes and its subject. */
static void row_text(const SRow *row, char *out, size_t size)
{
    const SBinary *key = &row->lpProps[0].Value.bin;
    const SPropValue *subject = &row->lpProps[1];
    snprintf(out, size, "%02x%02x%02x:%ls;", key->lpb[key->cb - 3], key->lpb[key->cb - 2], key->lpb[key->cb - 1],
             PROP_TYPE(subject->ulPropTag) == PT_UNICODE ? subject->Value.lpszW : L"-");
}

/* QueryRows(count, flags) as text, with the result and the cursor after it. */
static void query_text(IMAPITable *table, LONG count, ULONG flags, char *out, size_t size)
{
    SRowSet *rows = NULL;
    ULONG i, position = 0, numerator = 0, denominator = 0;
    HRESULT hr = table->lpVtbl->QueryRows(table, count, flags, &rows);
    size_t length;
    snprintf(out, size, "%08lx ", (unsigned long)hr);
    for (i = 0; rows && i < rows->cRows; i++) {
        length = strlen(out);
        row_text(&rows->aRow[i], out + length, size - length);
    }
    if (rows) free_rows(rows);
    assert_int_equal(table->lpVtbl->QueryPosition(table, &position, &numerator, &denominator), S_OK);
    length = strlen(out);
    snprintf(out + length, size - length, " at %lu of %lu", (unsigned long)position, (unsigned long)denominator);
}

/* The same QueryRows on both tables gives the same rows and leaves both cursors alike. */
static void expect_same_query(struct fixture *f, LONG count, ULONG flags)
{
    static char ordered[16384], held[16384];
    query_text(f->ordered, count, flags, ordered, sizeof(ordered));
    query_text(f->held, count, flags, held, sizeof(held));
    if (strcmp(ordered, held)) fail_msg("ordered: %s\nheld:    %s", ordered, held);
}

static void expect_same_rows(struct fixture *f)
{
    assert_int_equal(f->ordered->lpVtbl->SeekRow(f->ordered, BOOKMARK_BEGINNING, 0, NULL), S_OK);
    assert_int_equal(f->held->lpVtbl->SeekRow(f->held, BOOKMARK_BEGINNING, 0, NULL), S_OK);
    expect_same_query(f, 1000, 0);
}

static void sort_both(struct fixture *f, const SSortOrderSet *sort)
{
    assert_int_equal(f->ordered->lpVtbl->SortTable(f->ordered, (LPSSortOrderSet)sort, 0), S_OK);
    assert_int_equal(f->held->lpVtbl->SortTable(f->held, (LPSSortOrderSet)sort, 0), S_OK);
}

typedef SizedSSortOrderSet(2, two_keys); /* room for one or two keys */

#define SORT1(tag, order) {1, 0, 0, {{tag, order}}}
#define SORT2(t1, o1, t2, o2) {2, 0, 0, {{t1, o1}, {t2, o2}}}

static void every_sort_the_store_keeps_gives_the_rows_a_held_table_gives(void **state)
{
    static const two_keys sorts[] = {
        SORT1(PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND), SORT1(PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_ASCEND),
        SORT1(PR_SUBJECT_W, TABLE_SORT_ASCEND),              SORT1(PR_SUBJECT_A, TABLE_SORT_DESCEND),
        SORT1(PR_MESSAGE_FLAGS, TABLE_SORT_DESCEND),         SORT1(PR_MESSAGE_SIZE, TABLE_SORT_ASCEND),
        SORT1(PR_LAST_MODIFICATION_TIME, TABLE_SORT_DESCEND), SORT1(PR_CREATION_TIME, TABLE_SORT_ASCEND),
        SORT2(PR_IMPORTANCE, TABLE_SORT_DESCEND, PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_ASCEND),
        SORT2(PR_SUBJECT_W, TABLE_SORT_DESCEND, PR_IMPORTANCE, TABLE_SORT_ASCEND),
        {0, 0, 0, {{0, 0}}},
    };
    struct fixture *f = *state;
    ULONG i;
    for (i = 0; i < ARRAYSIZE(sorts); i++) {
        sort_both(f, (const SSortOrderSet *)&sorts[i]);
        expect_same_rows(f);
    }
}

static void an_ordered_table_holds_no_rows(void **state)
{
    struct fixture *f = *state;
    struct mapisim_alloc_stats before, after;
    IMAPITable *table;
    ULONG i;
    mapisim_alloc_stats(&before);
    table = contents_table(f->folder, FALSE);
    mapisim_alloc_stats(&after);
    /* Forty rows held would be kilobytes; the table's own block, columns and sort are a few hundred bytes. */
    assert_true(after.live_bytes - before.live_bytes < 1024);
    for (i = 0; i < 3; i++) expect_same_query(f, 5, 0); /* reading pages holds nothing either */
    mapisim_alloc_stats(&before);
    assert_true(before.live_bytes == after.live_bytes);
    assert_int_equal(table->lpVtbl->Release(table), 0);
}

static void the_cursor_moves_alike_by_seeks_fractions_and_backward_reads(void **state)
{
    static const two_keys by_time = SORT1(PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND);
    struct fixture *f = *state;
    static const BOOKMARK_ABI origins[] = {BOOKMARK_BEGINNING, BOOKMARK_CURRENT, BOOKMARK_END};
    static const LONG moves[] = {0, 7, -3, 100, -100};
    ULONG o, m;
    sort_both(f, (const SSortOrderSet *)&by_time);
    for (o = 0; o < ARRAYSIZE(origins); o++)
        for (m = 0; m < ARRAYSIZE(moves); m++) {
            LONG sought_ordered = -1, sought_held = -2;
            assert_int_equal(ABI_VTBL(IMAPITable, f->ordered)->SeekRow(f->ordered, origins[o], moves[m], &sought_ordered),
                             S_OK);
            assert_int_equal(ABI_VTBL(IMAPITable, f->held)->SeekRow(f->held, origins[o], moves[m], &sought_held), S_OK);
            assert_int_equal(sought_ordered, sought_held);
            expect_same_query(f, 3, m % 2 ? TBL_NOADVANCE : 0);
        }
    assert_int_equal(f->ordered->lpVtbl->SeekRowApprox(f->ordered, 1, 3), S_OK);
    assert_int_equal(f->held->lpVtbl->SeekRowApprox(f->held, 1, 3), S_OK);
    expect_same_query(f, -5, 0);
    expect_same_query(f, -100, TBL_NOADVANCE);
    assert_int_equal(f->ordered->lpVtbl->SeekRowApprox(f->ordered, 3, 3), S_OK);
    assert_int_equal(f->held->lpVtbl->SeekRowApprox(f->held, 3, 3), S_OK);
    expect_same_query(f, 5, 0);
}

/* Creates a bookmark on both after seeking both to position; checks they stand for the same place. */
static void bookmark_both(struct fixture *f, LONG position, BOOKMARK_ABI *ordered, BOOKMARK_ABI *held)
{
    assert_int_equal(ABI_VTBL(IMAPITable, f->ordered)->SeekRow(f->ordered, BOOKMARK_BEGINNING, position, NULL), S_OK);
    assert_int_equal(ABI_VTBL(IMAPITable, f->held)->SeekRow(f->held, BOOKMARK_BEGINNING, position, NULL), S_OK);
    assert_int_equal(ABI_VTBL(IMAPITable, f->ordered)->CreateBookmark(f->ordered, ordered), S_OK);
    assert_int_equal(ABI_VTBL(IMAPITable, f->held)->CreateBookmark(f->held, held), S_OK);
}

static void seek_both_to(struct fixture *f, BOOKMARK_ABI ordered, BOOKMARK_ABI held, HRESULT expected)
{
    assert_int_equal(ABI_VTBL(IMAPITable, f->ordered)->SeekRow(f->ordered, ordered, 0, NULL), expected);
    assert_int_equal(ABI_VTBL(IMAPITable, f->held)->SeekRow(f->held, held, 0, NULL), expected);
}

static void delete_row_at(struct fixture *f, LONG position)
{
    SizedSPropTagArray(1, entryid) = {1, {PR_ENTRYID}};
    SRowSet *rows = NULL;
    ENTRYLIST list;
    assert_int_equal(ABI_VTBL(IMAPITable, f->ordered)->SeekRow(f->ordered, BOOKMARK_BEGINNING, position, NULL), S_OK);
    assert_int_equal(f->ordered->lpVtbl->SetColumns(f->ordered, (LPSPropTagArray)&entryid, 0), S_OK);
    assert_int_equal(f->ordered->lpVtbl->QueryRows(f->ordered, 1, 0, &rows), S_OK);
    assert_int_equal(f->ordered->lpVtbl->SetColumns(f->ordered, (LPSPropTagArray)&key_and_subject, 0), S_OK);
    list.cValues = 1;
    list.lpbin = &rows->aRow[0].lpProps[0].Value.bin;
    assert_int_equal(ABI_VTBL(IMAPIFolder, f->folder)->DeleteMessages(f->folder, &list, 0, NULL, 0), S_OK);
    free_rows(rows);
}

static void bookmarks_and_findrow_agree_also_once_a_marked_row_is_gone(void **state)
{
    static const two_keys by_subject =
        SORT2(PR_SUBJECT_W, TABLE_SORT_ASCEND, PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND);
    struct fixture *f = *state;
    BOOKMARK_ABI ordered_mark, held_mark, ordered_end, held_end;
    SPropValue gamma = {PR_SUBJECT_W, 0, {.lpszW = (WCHAR *)L"gamma"}};
    SRestriction is_gamma;
    sort_both(f, (const SSortOrderSet *)&by_subject);
    bookmark_both(f, 12, &ordered_mark, &held_mark);
    bookmark_both(f, 100, &ordered_end, &held_end);
    seek_both_to(f, ordered_mark, held_mark, S_OK);
    expect_same_query(f, 2, 0);

    is_gamma.rt = RES_CONTENT;
    is_gamma.res.resContent.ulFuzzyLevel = FL_FULLSTRING | FL_IGNORECASE;
    is_gamma.res.resContent.ulPropTag = PR_SUBJECT_W;
    is_gamma.res.resContent.lpProp = &gamma;
    assert_int_equal(ABI_VTBL(IMAPITable, f->ordered)->FindRow(f->ordered, &is_gamma, ordered_mark, 0), S_OK);
    assert_int_equal(ABI_VTBL(IMAPITable, f->held)->FindRow(f->held, &is_gamma, held_mark, 0), S_OK);
    expect_same_query(f, 1, TBL_NOADVANCE);
    assert_int_equal(ABI_VTBL(IMAPITable, f->ordered)->FindRow(f->ordered, &is_gamma, ordered_end, DIR_BACKWARD), S_OK);
    assert_int_equal(ABI_VTBL(IMAPITable, f->held)->FindRow(f->held, &is_gamma, held_end, DIR_BACKWARD), S_OK);
    expect_same_query(f, 1, TBL_NOADVANCE);
    assert_int_equal(ABI_VTBL(IMAPITable, f->ordered)->FindRow(f->ordered, &is_gamma, BOOKMARK_BEGINNING,
                                                               DIR_BACKWARD), MAPI_E_NOT_FOUND);

    /* The marked row deleted: both marks stand where it was, and say so. */
    delete_row_at(f, 12);
    seek_both_to(f, ordered_mark, held_mark, MAPI_W_POSITION_CHANGED);
    expect_same_query(f, 2, 0);
    seek_both_to(f, ordered_end, held_end, S_OK);
    expect_same_query(f, 2, 0);
    assert_int_equal(ABI_VTBL(IMAPITable, f->ordered)->FreeBookmark(f->ordered, ordered_mark), S_OK);
    assert_int_equal(ABI_VTBL(IMAPITable, f->ordered)->SeekRow(f->ordered, ordered_mark, 0, NULL),
                     MAPI_E_INVALID_BOOKMARK);
}

static void all_columns_and_the_row_count_agree(void **state)
{
    struct fixture *f = *state;
    SPropTagArray *ordered = NULL, *held = NULL;
    ULONG ordered_count = 0, held_count = 0;
    assert_int_equal(f->ordered->lpVtbl->QueryColumns(f->ordered, TBL_ALL_COLUMNS, &ordered), S_OK);
    assert_int_equal(f->held->lpVtbl->QueryColumns(f->held, TBL_ALL_COLUMNS, &held), S_OK);
    assert_int_equal(ordered->cValues, held->cValues);
    assert_memory_equal(ordered->aulPropTag, held->aulPropTag, held->cValues * sizeof(ULONG));
    assert_int_equal(f->ordered->lpVtbl->GetRowCount(f->ordered, 0, &ordered_count), S_OK);
    assert_int_equal(f->held->lpVtbl->GetRowCount(f->held, 0, &held_count), S_OK);
    assert_int_equal(ordered_count, MESSAGES);
    assert_int_equal(held_count, MESSAGES);
    mapisim_FreeBuffer(ordered);
    mapisim_FreeBuffer(held);
}

static void a_table_moves_between_held_and_ordered_rows_with_its_bookmarks(void **state)
{
    static const two_keys by_category = SORT1(PROP_TAG(PT_UNICODE, 0x8000), TABLE_SORT_ASCEND);
    static const two_keys by_time = SORT1(PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_ASCEND);
    struct fixture *f = *state;
    BOOKMARK_ABI ordered_mark, held_mark;
    sort_both(f, (const SSortOrderSet *)&by_time);
    bookmark_both(f, 9, &ordered_mark, &held_mark);
    /* A sort the store keeps no keys of: the ordered table holds its rows now, and gives the same ones. */
    sort_both(f, (const SSortOrderSet *)&by_category);
    expect_same_rows(f);
    sort_both(f, (const SSortOrderSet *)&by_time);
    seek_both_to(f, ordered_mark, held_mark, S_OK);
    expect_same_query(f, 3, 0);
    /* Lifting the held table's restriction makes it an ordered one. */
    assert_int_equal(f->held->lpVtbl->Restrict(f->held, NULL, 0), S_OK);
    expect_same_rows(f);
}

/* ---- following changes ---- */

#define MAX_REPLICA (MESSAGES + 40)

/* A client's copy of a table's rows (instance keys), kept by applying its notifications. */
struct replica {
    IMAPIAdviseSink IMAPIAdviseSink_iface;
    ULONG count;
    BYTE keys[MAX_REPLICA][64];
    ULONG sizes[MAX_REPLICA];
    ULONG changed; /* TABLE_CHANGED seen: the copy must be read again */
    ULONG events;
    ULONG added; /* TABLE_ROW_ADDED seen */
};

static struct replica *replica_of(IMAPIAdviseSink *iface) { return CONTAINING_RECORD(iface, struct replica, IMAPIAdviseSink_iface); }

static HRESULT STDMETHODCALLTYPE replica_QueryInterface(IMAPIAdviseSink *iface, REFIID riid, void **ppv)
{
    (void)iface, (void)riid;
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE replica_AddRef(IMAPIAdviseSink *iface) { (void)iface; return 2; }
static ULONG STDMETHODCALLTYPE replica_Release(IMAPIAdviseSink *iface) { (void)iface; return 1; }

static ULONG find_key(const struct replica *r, const SBinary *key)
{
    ULONG i;
    for (i = 0; i < r->count; i++)
        if (r->sizes[i] == key->cb && !memcmp(r->keys[i], key->lpb, key->cb)) return i;
    return MAX_REPLICA;
}

static void remove_key(struct replica *r, ULONG at)
{
    memmove(&r->keys[at], &r->keys[at + 1], (r->count - at - 1) * sizeof(r->keys[0]));
    memmove(&r->sizes[at], &r->sizes[at + 1], (r->count - at - 1) * sizeof(r->sizes[0]));
    r->count--;
}

static ULONG STDMETHODCALLTYPE replica_OnNotify(IMAPIAdviseSink *iface, ULONG count, LPNOTIFICATION n)
{
    struct replica *r = replica_of(iface);
    ULONG i, at, prior;
    for (i = 0; i < count; i++) {
        const TABLE_NOTIFICATION *t = &n[i].info.tab;
        r->events++;
        if (t->ulTableEvent == TABLE_CHANGED) {
            r->changed++;
            continue;
        }
        if (t->ulTableEvent == TABLE_ROW_ADDED) r->added++;
        if ((at = find_key(r, &t->propIndex.Value.bin)) < r->count) remove_key(r, at);
        if (t->ulTableEvent == TABLE_ROW_DELETED) continue;
        prior = t->propPrior.ulPropTag == PR_NULL ? 0 : find_key(r, &t->propPrior.Value.bin) + 1;
        assert_true(prior <= r->count); /* the prior row is one the client has */
        memmove(&r->keys[prior + 1], &r->keys[prior], (r->count - prior) * sizeof(r->keys[0]));
        memmove(&r->sizes[prior + 1], &r->sizes[prior], (r->count - prior) * sizeof(r->sizes[0]));
        memcpy(r->keys[prior], t->propIndex.Value.bin.lpb, t->propIndex.Value.bin.cb);
        r->sizes[prior] = t->propIndex.Value.bin.cb;
        r->count++;
    }
    return 0;
}

static const IMAPIAdviseSinkVtbl replica_vtbl = {replica_QueryInterface, replica_AddRef, replica_Release,
                                                 replica_OnNotify};

/* The replica as it stands next to the table's rows: they must be the same keys in the same order. */
static void expect_replica(IMAPITable *table, const struct replica *r)
{
    SRowSet *rows = NULL;
    ULONG i;
    assert_int_equal(table->lpVtbl->SeekRow(table, BOOKMARK_BEGINNING, 0, NULL), S_OK);
    assert_int_equal(table->lpVtbl->QueryRows(table, 1000, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, r->count);
    for (i = 0; i < rows->cRows; i++) {
        assert_int_equal(rows->aRow[i].lpProps[0].Value.bin.cb, r->sizes[i]);
        assert_memory_equal(rows->aRow[i].lpProps[0].Value.bin.lpb, r->keys[i], r->sizes[i]);
    }
    free_rows(rows);
}

static void replica_start(IMAPITable *table, struct replica *r, ULONG_PTR *connection)
{
    SRowSet *rows = NULL;
    ULONG i;
    memset(r, 0, sizeof(*r));
    r->IMAPIAdviseSink_iface.lpVtbl = (IMAPIAdviseSinkVtbl *)&replica_vtbl;
    assert_int_equal(table->lpVtbl->SeekRow(table, BOOKMARK_BEGINNING, 0, NULL), S_OK);
    assert_int_equal(table->lpVtbl->QueryRows(table, 1000, 0, &rows), S_OK);
    for (i = 0; i < rows->cRows; i++) {
        memcpy(r->keys[i], rows->aRow[i].lpProps[0].Value.bin.lpb, rows->aRow[i].lpProps[0].Value.bin.cb);
        r->sizes[i] = rows->aRow[i].lpProps[0].Value.bin.cb;
    }
    r->count = rows->cRows;
    free_rows(rows);
    assert_int_equal(ABI_VTBL(IMAPITable, table)->Advise(table, fnevTableModified, &r->IMAPIAdviseSink_iface,
                                                          connection), S_OK);
}

/* Entry IDs of the ordered table's rows at positions [first, first + count), as an ENTRYLIST (freed by free_rows). */
static SRowSet *entryids_at(struct fixture *f, LONG first, LONG count, ENTRYLIST *list, SBinary *bins)
{
    SizedSPropTagArray(1, entryid) = {1, {PR_ENTRYID}};
    SRowSet *rows = NULL;
    ULONG i;
    assert_int_equal(ABI_VTBL(IMAPITable, f->ordered)->SeekRow(f->ordered, BOOKMARK_BEGINNING, first, NULL), S_OK);
    assert_int_equal(f->ordered->lpVtbl->SetColumns(f->ordered, (LPSPropTagArray)&entryid, 0), S_OK);
    assert_int_equal(f->ordered->lpVtbl->QueryRows(f->ordered, count, 0, &rows), S_OK);
    assert_int_equal(f->ordered->lpVtbl->SetColumns(f->ordered, (LPSPropTagArray)&key_and_subject, 0), S_OK);
    for (i = 0; i < rows->cRows; i++) bins[i] = rows->aRow[i].lpProps[0].Value.bin;
    list->cValues = rows->cRows;
    list->lpbin = bins;
    return rows;
}

/* Gives the message at a position of the ordered table a new subject, saved. */
static void retitle_row(struct fixture *f, LONG position, const WCHAR *title)
{
    SPropValue subject = {PR_SUBJECT_W, 0, {.lpszW = (WCHAR *)title}};
    IMessage *message = NULL;
    ENTRYLIST list;
    SBinary bins[1];
    SRowSet *rows = entryids_at(f, position, 1, &list, bins);
    ULONG type = 0;
    assert_int_equal(f->folder->lpVtbl->OpenEntry(f->folder, bins[0].cb, (LPENTRYID)bins[0].lpb, NULL, MAPI_MODIFY,
                                                  &type, (IUnknown **)&message), S_OK);
    free_rows(rows);
    assert_int_equal(message->lpVtbl->SetProps(message, 1, &subject, NULL), S_OK);
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK);
    message->lpVtbl->Release(message);
}

static void notifications_keep_a_clients_copy_of_either_table_equal_to_its_rows(void **state)
{
    static const two_keys by_subject =
        SORT2(PR_SUBJECT_W, TABLE_SORT_ASCEND, PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND);
    struct fixture *f = *state;
    struct replica ordered, held;
    ULONG_PTR ordered_connection = 0, held_connection = 0;
    ENTRYLIST list;
    SBinary bins[8];
    SRowSet *rows;
    ULONG i;

    sort_both(f, (const SSortOrderSet *)&by_subject);
    replica_start(f->ordered, &ordered, &ordered_connection);
    replica_start(f->held, &held, &held_connection);

    save_message(f->folder, 100, L"Mike"); /* a new row in the middle */
    save_message(f->folder, 101, L"aardvark"); /* and at the top */
    expect_replica(f->ordered, &ordered);
    expect_replica(f->held, &held);

    /* A subject changed: the row moves to the end. */
    retitle_row(f, 3, L"Zulu");
    expect_replica(f->ordered, &ordered);
    expect_replica(f->held, &held);

    /* Three deleted at once, two moved away, and one read. */
    rows = entryids_at(f, 5, 3, &list, bins);
    assert_int_equal(ABI_VTBL(IMAPIFolder, f->folder)->DeleteMessages(f->folder, &list, 0, NULL, 0), S_OK);
    free_rows(rows);
    rows = entryids_at(f, 0, 2, &list, bins);
    assert_int_equal(ABI_VTBL(IMAPIFolder, f->folder)->CopyMessages(f->folder, &list, NULL, f->other, 0, NULL,
                                                                    MESSAGE_MOVE), S_OK);
    free_rows(rows);
    rows = entryids_at(f, 10, 1, &list, bins);
    assert_int_equal(ABI_VTBL(IMAPIFolder, f->folder)->SetReadFlags(f->folder, &list, 0, NULL, 0), S_OK);
    free_rows(rows);
    expect_replica(f->ordered, &ordered);
    expect_replica(f->held, &held);
    assert_int_equal(ordered.changed, 0);
    assert_true(ordered.events >= 8); /* two added, one changed, three deleted, two moved away (and one read, unless it was) */

    /* Thirty more saved, every one read, then every one unread: more rows than a change tells row by row. */
    for (i = 0; i < 30; i++) save_message(f->folder, 200 + i, L"later");
    assert_int_equal(ABI_VTBL(IMAPIFolder, f->folder)->SetReadFlags(f->folder, NULL, 0, NULL, 0), S_OK);
    expect_replica(f->ordered, &ordered);
    expect_replica(f->held, &held);
    assert_int_equal(ordered.changed, 0);
    assert_int_equal(ABI_VTBL(IMAPIFolder, f->folder)->SetReadFlags(f->folder, NULL, 0, NULL, CLEAR_READ_FLAG), S_OK);
    expect_replica(f->ordered, &ordered);
    expect_replica(f->held, &held);
    assert_int_equal(ordered.changed, 1); /* the store's order tells of every message a change names */
    assert_int_equal(held.changed, 0);    /* held rows keep their columns only, and no column shows the read state */

    /* With the read state a column of the held table, the same change is too many rows for row events. */
    assert_int_equal(f->held->lpVtbl->SetColumns(f->held, (LPSPropTagArray)&key_subject_flags, 0), S_OK);
    assert_int_equal(ABI_VTBL(IMAPIFolder, f->folder)->SetReadFlags(f->folder, NULL, 0, NULL, 0), S_OK);
    assert_int_equal(held.changed, 1);

    assert_int_equal(ABI_VTBL(IMAPITable, f->ordered)->Unadvise(f->ordered, ordered_connection), S_OK);
    assert_int_equal(ABI_VTBL(IMAPITable, f->held)->Unadvise(f->held, held_connection), S_OK);
}

/* ---- SaveContentsSort ---- */

/* The sort a new contents table of folder opens with, as the number of keys and the first one's tag and order. */
static void expect_opening_sort(IMAPIFolder *folder, ULONG keys, ULONG tag, ULONG order)
{
    IMAPITable *table = NULL;
    SSortOrderSet *sort = NULL;
    assert_int_equal(folder->lpVtbl->GetContentsTable(folder, 0, &table), S_OK);
    assert_int_equal(table->lpVtbl->QuerySortOrder(table, &sort), S_OK);
    assert_int_equal(sort->cSorts, keys);
    if (keys) {
        assert_int_equal(sort->aSort[0].ulPropTag, tag);
        assert_int_equal(sort->aSort[0].ulOrder, order);
    }
    mapisim_FreeBuffer(sort);
    assert_int_equal(table->lpVtbl->Release(table), 0);
}

/* A folder found by name anywhere in the store, opened with the best access the logon gives. */
static IMAPIFolder *open_folder_named(IMsgStore *store, const char *name)
{
    IMAPIFolder *root = NULL, *folder = NULL;
    SizedSPropTagArray(1, entryid) = {1, {PR_ENTRYID}};
    SPropValue wanted = {PR_DISPLAY_NAME_A, 0, {.lpszA = (char *)name}};
    SRestriction is_named;
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    ULONG type = 0;
    assert_int_equal(store->lpVtbl->OpenEntry(store, 0, NULL, NULL, MAPI_BEST_ACCESS, &type, (IUnknown **)&root), S_OK);
    is_named.rt = RES_PROPERTY;
    is_named.res.resProperty.relop = RELOP_EQ;
    is_named.res.resProperty.ulPropTag = PR_DISPLAY_NAME_A;
    is_named.res.resProperty.lpProp = &wanted;
    assert_int_equal(root->lpVtbl->GetHierarchyTable(root, CONVENIENT_DEPTH, &table), S_OK);
    assert_int_equal(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&entryid, 0), S_OK);
    assert_int_equal(table->lpVtbl->Restrict(table, &is_named, 0), S_OK);
    assert_int_equal(table->lpVtbl->QueryRows(table, 1, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    assert_int_equal(root->lpVtbl->OpenEntry(root, rows->aRow[0].lpProps[0].Value.bin.cb,
                                             (LPENTRYID)rows->aRow[0].lpProps[0].Value.bin.lpb, NULL, MAPI_BEST_ACCESS,
                                             &type, (IUnknown **)&folder), S_OK);
    free_rows(rows);
    table->lpVtbl->Release(table);
    root->lpVtbl->Release(root);
    return folder;
}

/* The message id an instance key carries (bytes 22 to 29, little-endian: the entry-ID format). */
static ULONGLONG key_id(const SBinary *key)
{
    ULONGLONG id = 0;
    ULONG i;
    assert_true(key->cb >= 30);
    for (i = 0; i < 8; i++) id |= (ULONGLONG)key->lpb[22 + i] << (8 * i);
    return id;
}

/*
 * Rows of equal keys go by id in the last key's direction, in both engines:
 * so a descending sort is its index read backward, with no group to sort.
 */
static void ties_go_by_id_in_the_last_keys_direction_in_both_engines(void **state)
{
    static const SizedSPropTagArray(3, columns) = {3, {PR_INSTANCE_KEY, PR_IMPORTANCE, PR_MESSAGE_FLAGS}};
    static const two_keys sorts[] = {SORT1(PR_IMPORTANCE, TABLE_SORT_DESCEND), SORT1(PR_IMPORTANCE, TABLE_SORT_ASCEND),
                                     SORT2(PR_IMPORTANCE, TABLE_SORT_ASCEND, PR_MESSAGE_FLAGS, TABLE_SORT_DESCEND)};
    struct fixture *f = *state;
    IMAPITable *tables[2] = {f->ordered, f->held};
    ULONG s, t, i, ties;
    for (s = 0; s < ARRAYSIZE(sorts); s++) {
        BOOL descending = sorts[s].aSort[sorts[s].cSorts - 1].ulOrder == TABLE_SORT_DESCEND;
        for (t = 0; t < 2; t++) {
            SRowSet *rows = NULL;
            IMAPITable *table = tables[t];
            assert_int_equal(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&columns, 0), S_OK);
            assert_int_equal(table->lpVtbl->SortTable(table, (LPSSortOrderSet)&sorts[s], 0), S_OK);
            assert_int_equal(table->lpVtbl->QueryRows(table, 1000, 0, &rows), S_OK);
            assert_int_equal(rows->cRows, MESSAGES);
            for (i = 1, ties = 0; i < rows->cRows; i++) {
                const SPropValue *a = rows->aRow[i - 1].lpProps, *b = rows->aRow[i].lpProps;
                ULONGLONG id_a = key_id(&a[0].Value.bin), id_b = key_id(&b[0].Value.bin);
                if (a[1].Value.l != b[1].Value.l || (sorts[s].cSorts == 2 && a[2].Value.l != b[2].Value.l)) continue;
                ties++;
                if (descending) assert_true(id_a > id_b);
                else assert_true(id_a < id_b);
            }
            /* Three importances: 37 rows tie with the one before; with the read state too, six groups. */
            assert_int_equal(ties, sorts[s].cSorts == 1 ? MESSAGES - 3 : MESSAGES - 6);
            free_rows(rows);
            assert_int_equal(table->lpVtbl->SeekRow(table, BOOKMARK_BEGINNING, 0, NULL), S_OK);
            assert_int_equal(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&key_and_subject, 0), S_OK);
        }
        expect_same_rows(f);
    }
}

/* Message i of setup's: unread unless every fourth; importance i % 3. */
#define UNREAD_MESSAGES (MESSAGES - (MESSAGES + 3) / 4)

static ULONG row_count(IMAPITable *table)
{
    ULONG count = 0;
    assert_int_equal(table->lpVtbl->GetRowCount(table, 0, &count), S_OK);
    return count;
}

/*
 * A restricted table holds only the rows that pass and only their columns
 * (and sort and restriction keys); a column set later, and a FindRow on a
 * property it did not hold, are read for it and answer right.
 */
static void a_restricted_table_reads_a_later_column_and_a_searched_property_it_did_not_hold(void **state)
{
    static const SizedSPropTagArray(3, with_importance) = {3, {PR_INSTANCE_KEY, PR_SUBJECT_W, PR_IMPORTANCE}};
    struct fixture *f = *state;
    SRestriction unread = {RES_BITMASK, {.resBitMask = {BMR_EQZ, PR_MESSAGE_FLAGS, MSGFLAG_READ}}};
    SPropValue two = {PR_IMPORTANCE, 0, {.l = 2}};
    SRestriction important = {RES_PROPERTY, {.resProperty = {RELOP_EQ, PR_IMPORTANCE, &two}}};
    IMAPITable *table = contents_table(f->folder, FALSE);
    SRowSet *rows = NULL;
    ULONG i, with_zero = 0, found_at = 0, numerator, denominator;

    assert_int_equal(table->lpVtbl->Restrict(table, &unread, 0), S_OK);
    assert_int_equal(row_count(table), UNREAD_MESSAGES);

    /* FindRow on importance, which no column shows: the first unread message of importance 2. */
    assert_int_equal(table->lpVtbl->FindRow(table, &important, BOOKMARK_BEGINNING, 0), S_OK);
    assert_int_equal(table->lpVtbl->QueryPosition(table, &found_at, &numerator, &denominator), S_OK);

    assert_int_equal(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&with_importance, 0), S_OK);
    assert_int_equal(table->lpVtbl->SeekRow(table, BOOKMARK_BEGINNING, 0, NULL), S_OK);
    assert_int_equal(table->lpVtbl->QueryRows(table, 1000, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, UNREAD_MESSAGES);
    for (i = 0; i < rows->cRows; i++) {
        const SPropValue *importance = &rows->aRow[i].lpProps[2];
        assert_int_equal(importance->ulPropTag, PR_IMPORTANCE);
        if (importance->Value.l == 0) with_zero++;
        if (i < found_at) assert_int_not_equal(importance->Value.l, 2);
        if (i == found_at) assert_int_equal(importance->Value.l, 2);
    }
    assert_true(found_at < rows->cRows);
    assert_int_equal(with_zero, 10); /* i % 3 == 0 and i % 4 != 0, for i below 40 */
    free_rows(rows);

    /* A restriction lifted from a table sorted by a key the store does not keep: every row is back. */
    {
        static const two_keys by_sensitivity = SORT1(PR_SENSITIVITY, TABLE_SORT_ASCEND);
        assert_int_equal(table->lpVtbl->SortTable(table, (LPSSortOrderSet)&by_sensitivity, 0), S_OK);
        assert_int_equal(row_count(table), UNREAD_MESSAGES);
        assert_int_equal(table->lpVtbl->Restrict(table, NULL, 0), S_OK);
        assert_int_equal(row_count(table), MESSAGES);
    }
    assert_int_equal(table->lpVtbl->Release(table), 0);
}

/*
 * A restriction the store can test in the file (the read state here) keeps
 * the table in the store's order: it holds the ids that pass, not rows, and
 * gives a client what a table holding its rows gives, notifications too (a
 * message that comes to pass joins the view as TABLE_ROW_ADDED).
 */
static void a_restriction_the_store_tests_keeps_the_table_ordered_holding_only_ids(void **state)
{
    static const two_keys by_subject = SORT1(PR_SUBJECT_W, TABLE_SORT_ASCEND);
    static const two_keys by_date = SORT1(PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND);
    struct fixture *f = *state;
    SRestriction unread = {RES_BITMASK, {.resBitMask = {BMR_EQZ, PR_MESSAGE_FLAGS, MSGFLAG_READ}}};
    SRestriction both[2], held_unread = {RES_AND, {.resAnd = {2, both}}};
    struct mapisim_alloc_stats before, after;
    struct replica ordered, held;
    ULONG_PTR ordered_connection = 0, held_connection = 0;
    ENTRYLIST list;
    SBinary bins[8];
    SRowSet *rows;
    ULONG i;

    /* The held table: the same restriction and one the store cannot test (RES_EXIST of PR_ENTRYID). */
    both[0] = unread;
    both[1].rt = RES_EXIST;
    both[1].res.resExist.ulPropTag = PR_ENTRYID;
    both[1].res.resExist.ulReserved1 = both[1].res.resExist.ulReserved2 = 0;
    assert_int_equal(f->held->lpVtbl->Restrict(f->held, &held_unread, 0), S_OK);
    mapisim_alloc_stats(&before);
    assert_int_equal(f->ordered->lpVtbl->Restrict(f->ordered, &unread, 0), S_OK);
    mapisim_alloc_stats(&after);
    /* Its restriction and 8 bytes an id: thirty rows held would be kilobytes. */
    assert_true(after.live_bytes - before.live_bytes < 256 + 8 * UNREAD_MESSAGES);
    assert_int_equal(row_count(f->ordered), UNREAD_MESSAGES);
    assert_int_equal(row_count(f->held), UNREAD_MESSAGES);
    expect_same_rows(f);
    for (i = 0; i < 3; i++) expect_same_query(f, 7, 0);
    mapisim_alloc_stats(&before);
    assert_true(before.live_bytes == after.live_bytes); /* reading pages holds nothing */
    sort_both(f, (const SSortOrderSet *)&by_date);
    expect_same_rows(f);
    sort_both(f, (const SSortOrderSet *)&by_subject);
    expect_same_rows(f);

    replica_start(f->ordered, &ordered, &ordered_connection);
    replica_start(f->held, &held, &held_connection);
    save_message(f->folder, 101, L"Mike"); /* unread: joins */
    save_message(f->folder, 104, L"Kilo"); /* read: does not */
    expect_replica(f->ordered, &ordered);
    expect_replica(f->held, &held);

    /* The first row read: it leaves; then unread again: it comes back. */
    rows = entryids_at(f, 0, 1, &list, bins);
    assert_int_equal(ABI_VTBL(IMAPIFolder, f->folder)->SetReadFlags(f->folder, &list, 0, NULL, 0), S_OK);
    expect_replica(f->ordered, &ordered);
    expect_replica(f->held, &held);
    assert_int_equal(row_count(f->ordered), UNREAD_MESSAGES);
    assert_int_equal(ABI_VTBL(IMAPIFolder, f->folder)->SetReadFlags(f->folder, &list, 0, NULL, CLEAR_READ_FLAG), S_OK);
    free_rows(rows);
    expect_replica(f->ordered, &ordered);
    expect_replica(f->held, &held);
    assert_int_equal(row_count(f->ordered), UNREAD_MESSAGES + 1);

    /* A subject changed: the row moves; two deleted. */
    retitle_row(f, 2, L"Zulu");
    rows = entryids_at(f, 4, 2, &list, bins);
    assert_int_equal(ABI_VTBL(IMAPIFolder, f->folder)->DeleteMessages(f->folder, &list, 0, NULL, 0), S_OK);
    free_rows(rows);
    expect_replica(f->ordered, &ordered);
    expect_replica(f->held, &held);
    assert_int_equal(row_count(f->ordered), UNREAD_MESSAGES - 1);
    assert_int_equal(ordered.changed, 0);
    assert_int_equal(ordered.added, 2); /* the new unread message, and the one unread again */
    assert_int_equal(held.added, 2);
    expect_same_rows(f);

    assert_int_equal(ABI_VTBL(IMAPITable, f->ordered)->Unadvise(f->ordered, ordered_connection), S_OK);
    assert_int_equal(ABI_VTBL(IMAPITable, f->held)->Unadvise(f->held, held_connection), S_OK);
}

/* Every form of restriction the store tests in the file gives the rows a table holding its rows gives. */
static void every_restriction_the_store_tests_gives_the_rows_a_held_table_gives(void **state)
{
    static const two_keys by_date = SORT1(PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND);
    struct fixture *f = *state;
    SPropValue zero_size = {PR_MESSAGE_SIZE, 0, {.l = 0}}, read_only = {PR_MESSAGE_FLAGS, 0, {.l = MSGFLAG_READ}};
    SPropValue epoch = {PR_CREATION_TIME, 0, {.ft = {0, 0}}}, now = {PR_LAST_MODIFICATION_TIME, 0, {.ft = {0, 0x7fffffff}}};
    SRestriction read = {RES_BITMASK, {.resBitMask = {BMR_NEZ, PR_MESSAGE_FLAGS, MSGFLAG_READ}}};
    SRestriction unread = {RES_BITMASK, {.resBitMask = {BMR_EQZ, PR_MESSAGE_FLAGS, MSGFLAG_READ}}};
    SRestriction big = {RES_PROPERTY, {.resProperty = {RELOP_GT, PR_MESSAGE_SIZE, &zero_size}}};
    SRestriction no_size = {RES_PROPERTY, {.resProperty = {RELOP_LE, PR_MESSAGE_SIZE, &zero_size}}};
    SRestriction exactly_read = {RES_PROPERTY, {.resProperty = {RELOP_NE, PR_MESSAGE_FLAGS, &read_only}}};
    SRestriction made = {RES_PROPERTY, {.resProperty = {RELOP_GE, PR_CREATION_TIME, &epoch}}};
    SRestriction before_now = {RES_PROPERTY, {.resProperty = {RELOP_LT, PR_LAST_MODIFICATION_TIME, &now}}};
    SRestriction sized = {RES_EXIST, {.resExist = {0, PR_MESSAGE_SIZE, 0}}};
    SRestriction pair[2] = {unread, no_size}, either = {RES_OR, {.resOr = {2, pair}}};
    SRestriction not_read = {RES_NOT, {.resNot = {0, &read}}}, none = {RES_OR, {.resOr = {0, NULL}}};
    SRestriction all = {RES_AND, {.resAnd = {0, NULL}}};
    SRestriction *tested[] = {&read, &unread, &big, &no_size, &exactly_read, &made, &before_now, &sized, &either,
                              &not_read, &none, &all};
    SRestriction both[2], held = {RES_AND, {.resAnd = {2, both}}};
    ULONG i;
    both[1].rt = RES_EXIST;
    both[1].res.resExist.ulPropTag = PR_ENTRYID;
    both[1].res.resExist.ulReserved1 = both[1].res.resExist.ulReserved2 = 0;
    sort_both(f, (const SSortOrderSet *)&by_date);
    for (i = 0; i < ARRAYSIZE(tested); i++) {
        both[0] = *tested[i];
        assert_int_equal(f->ordered->lpVtbl->Restrict(f->ordered, tested[i], 0), S_OK);
        assert_int_equal(f->held->lpVtbl->Restrict(f->held, &held, 0), S_OK);
        assert_int_equal(row_count(f->ordered), row_count(f->held));
        expect_same_rows(f);
    }
    assert_int_equal(row_count(f->ordered), MESSAGES); /* the last, an empty AND, passes every message */
}

static void save_contents_sort_is_how_the_folders_contents_tables_open_in_every_session(void **state)
{
    static const two_keys by_subject = SORT2(PR_SUBJECT_W, TABLE_SORT_DESCEND, PR_IMPORTANCE, TABLE_SORT_ASCEND);
    static const two_keys by_time = SORT1(PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_ASCEND);
    struct mapisim_session s;
    IMAPIFolder *folder, *sub, *subsub;
    WCHAR path[MAX_PATH];
    IMAPITable *ordered, *held;
    ULONG i;
    (void)state;
    mapisim_scratch_store_path(path);
    session_start_on(&s, path);
    folder = make_folder(s.store, "Sorted");
    assert_int_equal(folder->lpVtbl->CreateFolder(folder, FOLDER_GENERIC, (LPTSTR) "Sub", NULL, NULL, 0, &sub), S_OK);
    assert_int_equal(sub->lpVtbl->CreateFolder(sub, FOLDER_GENERIC, (LPTSTR) "Subsub", NULL, NULL, 0, &subsub), S_OK);
    for (i = 0; i < 12; i++) save_message(folder, i, NULL);
    expect_opening_sort(folder, 0, 0, 0);
    assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->SaveContentsSort(folder, (LPSSortOrderSet)&by_subject, 0), S_OK);
    expect_opening_sort(folder, 2, PR_SUBJECT_W, TABLE_SORT_DESCEND);
    expect_opening_sort(sub, 0, 0, 0); /* without RECURSIVE_SORT, only the folder */
    assert_int_equal(ABI_VTBL(IMAPIFolder, sub)->SaveContentsSort(sub, (LPSSortOrderSet)&by_time, RECURSIVE_SORT), S_OK);
    expect_opening_sort(sub, 1, PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_ASCEND);
    expect_opening_sort(subsub, 1, PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_ASCEND);
    expect_opening_sort(folder, 2, PR_SUBJECT_W, TABLE_SORT_DESCEND);
    subsub->lpVtbl->Release(subsub);
    sub->lpVtbl->Release(sub);
    folder->lpVtbl->Release(folder);
    session_finish(&s);

    /* The next session's table opens in that order: its rows are those of a table sorted so. */
    session_start_on(&s, path);
    folder = open_folder_named(s.store, "Sorted");
    expect_opening_sort(folder, 2, PR_SUBJECT_W, TABLE_SORT_DESCEND);
    {
        struct fixture f;
        f.ordered = ordered = contents_table(folder, FALSE);
        f.held = held = contents_table(folder, TRUE);
        assert_int_equal(held->lpVtbl->SortTable(held, (LPSSortOrderSet)&by_subject, 0), S_OK);
        expect_same_rows(&f);
    }
    ordered->lpVtbl->Release(ordered);
    held->lpVtbl->Release(held);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
    mapisim_remove_store(path);
}

static void save_contents_sort_refuses_bad_sorts_and_read_only_logons_and_keeps_the_old_one(void **state)
{
    static const two_keys by_subject = SORT1(PR_SUBJECT_W, TABLE_SORT_ASCEND);
    static const two_keys categories = {1, 1, 1, {{PR_SUBJECT_W, TABLE_SORT_ASCEND}}};
    static const two_keys bad_order = SORT1(PR_SUBJECT_W, 7);
    static const two_keys descending = SORT1(PR_SUBJECT_W, TABLE_SORT_DESCEND);
    struct mapisim_session s;
    IMAPIFolder *folder;
    WCHAR path[MAX_PATH];
    (void)state;
    mapisim_scratch_store_path(path);
    session_start_on(&s, path);
    folder = make_folder(s.store, "Sorted");
    assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->SaveContentsSort(folder, (LPSSortOrderSet)&by_subject, 0), S_OK);
    assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->SaveContentsSort(folder, NULL, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->SaveContentsSort(folder, (LPSSortOrderSet)&by_subject, 0x100),
                     MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->SaveContentsSort(folder, (LPSSortOrderSet)&categories, 0),
                     MAPI_E_NO_SUPPORT);
    assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->SaveContentsSort(folder, (LPSSortOrderSet)&bad_order, 0),
                     MAPI_E_INVALID_PARAMETER);
    expect_opening_sort(folder, 1, PR_SUBJECT_W, TABLE_SORT_ASCEND);
    folder->lpVtbl->Release(folder);
    session_finish(&s);

    session_start_read_only_on(&s, path);
    folder = open_folder_named(s.store, "Sorted");
    assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->SaveContentsSort(folder, (LPSSortOrderSet)&descending, 0),
                     MAPI_E_NO_ACCESS);
    expect_opening_sort(folder, 1, PR_SUBJECT_W, TABLE_SORT_ASCEND);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
    mapisim_remove_store(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_sort_the_store_keeps_gives_the_rows_a_held_table_gives, setup, teardown),
        cmocka_unit_test_setup_teardown(an_ordered_table_holds_no_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(the_cursor_moves_alike_by_seeks_fractions_and_backward_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(bookmarks_and_findrow_agree_also_once_a_marked_row_is_gone, setup, teardown),
        cmocka_unit_test_setup_teardown(all_columns_and_the_row_count_agree, setup, teardown),
        cmocka_unit_test_setup_teardown(a_table_moves_between_held_and_ordered_rows_with_its_bookmarks, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(notifications_keep_a_clients_copy_of_either_table_equal_to_its_rows, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(ties_go_by_id_in_the_last_keys_direction_in_both_engines, setup, teardown),
        cmocka_unit_test_setup_teardown(a_restriction_the_store_tests_keeps_the_table_ordered_holding_only_ids, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(every_restriction_the_store_tests_gives_the_rows_a_held_table_gives, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_restricted_table_reads_a_later_column_and_a_searched_property_it_did_not_hold,
                                        setup, teardown),
        cmocka_unit_test(save_contents_sort_is_how_the_folders_contents_tables_open_in_every_session),
        cmocka_unit_test(save_contents_sort_refuses_bad_sorts_and_read_only_logons_and_keeps_the_old_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
