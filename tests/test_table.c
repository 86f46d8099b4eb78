/*
 * The IMAPITable every msstore table uses, checked against hand-computed
 * answers on a CONVENIENT_DEPTH hierarchy table whose six rows are, in order:
 * Top of Information Store (0), Inbox (1), Outbox (1), Sent Items (1),
 * Deleted Items (1), Search Root (0) -- folders the fixture makes (through
 * CreateFolder) under a folder of its own, the mail ones of class IPF.Note.
 */
#include "harness.h"

#include <limits.h>
#include <string.h>

static const char *const names[] = {"Top of Information Store", "Inbox", "Outbox",
                                    "Sent Items", "Deleted Items", "Search Root"};

struct fixture {
    struct mapisim_session s;
    IMAPIFolder *root; /* the fixture's folder: the table is its hierarchy */
    IMAPITable *table;
    const IMAPITableAbiVtbl *v;
};

static IMAPIFolder *create_folder(IMAPIFolder *parent, const char *name, const WCHAR *container_class)
{
    IMAPIFolder *folder = NULL;
    assert_int_equal(parent->lpVtbl->CreateFolder(parent, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL, 0, &folder), S_OK);
    if (container_class) {
        SPropValue value = {PR_CONTAINER_CLASS_W, 0, {.lpszW = (WCHAR *)container_class}};
        assert_int_equal(folder->lpVtbl->SetProps(folder, 1, &value, NULL), S_OK);
    }
    return folder;
}

static void open_fixture(struct fixture *f, ULONG table_flags)
{
    SizedSPropTagArray(2, columns) = {2, {PR_DISPLAY_NAME_A, PR_DEPTH}};
    IMAPIFolder *store_root, *top;
    ULONG i;
    session_start(&f->s);
    store_root = open_root_for_writing(f->s.store);
    f->root = create_folder(store_root, "Fixture", NULL);
    store_root->lpVtbl->Release(store_root);
    top = create_folder(f->root, names[0], NULL);
    for (i = 1; i <= 5; i++) {
        IMAPIFolder *folder = create_folder(i < 5 ? top : f->root, names[i], i < 5 ? L"IPF.Note" : NULL);
        folder->lpVtbl->Release(folder);
    }
    top->lpVtbl->Release(top);
    assert_int_equal(f->root->lpVtbl->GetHierarchyTable(f->root, CONVENIENT_DEPTH | table_flags, &f->table), S_OK);
    f->v = ABI_VTBL(IMAPITable, f->table);
    if (!(table_flags & MAPI_UNICODE))
        assert_int_equal(f->v->SetColumns(f->table, (LPSPropTagArray)&columns, 0), S_OK);
}

static void close_fixture(struct fixture *f)
{
    if (f->table) assert_int_equal(f->table->lpVtbl->Release(f->table), 0);
    assert_int_equal(f->root->lpVtbl->Release(f->root), 0);
    session_finish(&f->s);
}

/* QueryRows(count, flags), checking the rows are names[first..] in order. */
static void expect_rows(struct fixture *f, LONG count, ULONG flags, ULONG first, ULONG expected)
{
    SRowSet *rows = NULL;
    ULONG i;
    assert_int_equal(f->v->QueryRows(f->table, count, flags, &rows), S_OK);
    assert_int_equal(rows->cRows, expected);
    for (i = 0; i < expected; i++) {
        assert_int_equal(rows->aRow[i].cValues, 2);
        assert_string_equal(rows->aRow[i].lpProps[0].Value.lpszA, names[first + i]);
    }
    free_rows(rows);
}

static ULONG position(struct fixture *f)
{
    ULONG row = 99, numerator = 99, denominator = 0;
    assert_int_equal(f->v->QueryPosition(f->table, &row, &numerator, &denominator), S_OK);
    assert_int_equal(numerator, row);
    return row;
}

static void queryrows_reads_forward_in_pages_and_stops_at_the_end(void **state)
{
    struct fixture f;
    (void)state;
    open_fixture(&f, 0);
    expect_rows(&f, 4, 0, 0, 4);
    assert_int_equal(position(&f), 4);
    expect_rows(&f, 4, 0, 4, 2);
    assert_int_equal(position(&f), 6);
    expect_rows(&f, 4, 0, 6, 0); /* at the end: an empty set */
    close_fixture(&f);
}

static void queryrows_backward_moves_back_then_reads_forward(void **state)
{
    struct fixture f;
    LONG sought = 0;
    (void)state;
    open_fixture(&f, 0);
    assert_int_equal(f.v->SeekRow(f.table, BOOKMARK_END, 0, &sought), S_OK);
    expect_rows(&f, -2, 0, 4, 2); /* rows 4 and 5, in table order */
    assert_int_equal(position(&f), 6); /* the row after the last one returned */
    expect_rows(&f, -2, TBL_NOADVANCE, 4, 2);
    assert_int_equal(position(&f), 4); /* the first row returned */
    expect_rows(&f, -100, 0, 0, 4);      /* clamped at the beginning */
    assert_int_equal(f.v->SeekRow(f.table, BOOKMARK_BEGINNING, 0, &sought), S_OK);
    expect_rows(&f, -1, 0, 0, 0); /* nothing before the beginning */
    expect_rows(&f, LONG_MIN, 0, 0, 0);
    close_fixture(&f);
}

static void queryrows_with_noadvance_leaves_the_cursor(void **state)
{
    struct fixture f;
    (void)state;
    open_fixture(&f, 0);
    expect_rows(&f, 3, TBL_NOADVANCE, 0, 3);
    assert_int_equal(position(&f), 0);
    expect_rows(&f, LONG_MAX, 0, 0, 6);
    close_fixture(&f);
}

static void queryrows_rejects_zero_rows_unknown_flags_and_no_output(void **state)
{
    struct fixture f;
    SRowSet *rows = (SRowSet *)1;
    (void)state;
    open_fixture(&f, 0);
    assert_int_equal(f.v->QueryRows(f.table, 0, 0, &rows), MAPI_E_INVALID_PARAMETER);
    assert_null(rows);
    assert_int_equal(f.v->QueryRows(f.table, 1, 0x100, &rows), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(f.v->QueryRows(f.table, 1, 0, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(position(&f), 0);
    close_fixture(&f);
}

static void queryrows_gives_one_block_per_row_and_one_for_the_set(void **state)
{
    struct fixture f;
    SRowSet *rows = NULL;
    LONG before;
    ULONG i;
    (void)state;
    open_fixture(&f, 0);
    before = live_blocks();
    assert_int_equal(f.v->QueryRows(f.table, 6, 0, &rows), S_OK);
    assert_int_equal(live_blocks(), before + 7);
    for (i = 0; i < rows->cRows; i++) mapisim_FreeBuffer(rows->aRow[i].lpProps);
    assert_int_equal(live_blocks(), before + 1);
    mapisim_FreeBuffer(rows);
    assert_int_equal(live_blocks(), before);
    close_fixture(&f);
}

static void queryrows_fails_cleanly_at_each_allocation(void **state)
{
    struct fixture f;
    SRowSet *rows = (SRowSet *)1;
    LONG before, n;
    (void)state;
    open_fixture(&f, 0);
    before = live_blocks();
    for (n = 1; n <= 13; n++) { /* the set, then each row and its string */
        mapisim_alloc_fail_at(n);
        assert_int_equal(f.v->QueryRows(f.table, 6, 0, &rows), MAPI_E_NOT_ENOUGH_MEMORY);
        mapisim_alloc_fail_at(0);
        assert_null(rows);
        assert_int_equal(live_blocks(), before);
        assert_int_equal(position(&f), 0); /* the cursor did not move */
    }
    expect_rows(&f, 6, 0, 0, 6);
    close_fixture(&f);
}

static void seekrow_moves_from_each_origin_and_reports_rows_sought(void **state)
{
    struct fixture f;
    LONG sought = 0;
    (void)state;
    open_fixture(&f, 0);
    assert_int_equal(f.v->SeekRow(f.table, BOOKMARK_BEGINNING, 2, &sought), S_OK);
    assert_int_equal(sought, 2);
    assert_int_equal(f.v->SeekRow(f.table, BOOKMARK_CURRENT, 3, &sought), S_OK);
    assert_int_equal(sought, 3);
    assert_int_equal(position(&f), 5);
    assert_int_equal(f.v->SeekRow(f.table, BOOKMARK_CURRENT, 10, &sought), S_OK);
    assert_int_equal(sought, 1); /* only one row left */
    assert_int_equal(f.v->SeekRow(f.table, BOOKMARK_END, -2, &sought), S_OK);
    assert_int_equal(sought, -2);
    assert_int_equal(position(&f), 4);
    assert_int_equal(f.v->SeekRow(f.table, BOOKMARK_CURRENT, LONG_MIN, &sought), S_OK);
    assert_int_equal(sought, -4);
    assert_int_equal(f.v->SeekRow(f.table, BOOKMARK_BEGINNING, LONG_MAX, NULL), S_OK);
    assert_int_equal(position(&f), 6);
    close_fixture(&f);
}

static void seekrowapprox_and_queryposition_use_fractions(void **state)
{
    struct fixture f;
    ULONG row, numerator, denominator;
    (void)state;
    open_fixture(&f, 0);
    assert_int_equal(f.v->SeekRowApprox(f.table, 1, 2), S_OK);
    assert_int_equal(f.v->QueryPosition(f.table, &row, &numerator, &denominator), S_OK);
    assert_int_equal(row, 3);
    assert_int_equal(denominator, 6);
    assert_int_equal(f.v->SeekRowApprox(f.table, 3, 3), S_OK);
    assert_int_equal(position(&f), 6);
    assert_int_equal(f.v->SeekRowApprox(f.table, 1, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(f.v->SeekRowApprox(f.table, 4, 3), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(f.v->QueryPosition(f.table, NULL, &numerator, &denominator), MAPI_E_INVALID_PARAMETER);
    close_fixture(&f);
}

static void bookmarks_mark_rows_until_freed(void **state)
{
    struct fixture f;
    BOOKMARK_ABI mark = 0, end = 0;
    LONG sought;
    (void)state;
    open_fixture(&f, 0);
    f.v->SeekRow(f.table, BOOKMARK_BEGINNING, 2, NULL);
    assert_int_equal(f.v->CreateBookmark(f.table, &mark), S_OK);
    assert_true(mark > BOOKMARK_END);
    f.v->SeekRow(f.table, BOOKMARK_END, 0, NULL);
    assert_int_equal(f.v->CreateBookmark(f.table, &end), S_OK);
    assert_true(end != mark);
    assert_int_equal(f.v->SeekRow(f.table, mark, 1, &sought), S_OK);
    assert_int_equal(position(&f), 3);
    expect_rows(&f, 1, 0, 3, 1);
    assert_int_equal(f.v->SeekRow(f.table, end, -1, &sought), S_OK);
    assert_int_equal(position(&f), 5);
    assert_int_equal(f.v->FreeBookmark(f.table, mark), S_OK);
    assert_int_equal(f.v->SeekRow(f.table, mark, 0, &sought), MAPI_E_INVALID_BOOKMARK);
    assert_int_equal(f.v->FreeBookmark(f.table, mark), MAPI_E_INVALID_BOOKMARK);
    assert_int_equal(f.v->FreeBookmark(f.table, 0x12345), MAPI_E_INVALID_BOOKMARK);
    assert_int_equal(f.v->FreeBookmark(f.table, BOOKMARK_CURRENT), S_OK); /* predefined: ignored */
    assert_int_equal(f.v->CreateBookmark(f.table, NULL), MAPI_E_INVALID_PARAMETER);
    /* `end` is never freed: the table's Release frees it (the harness checks nothing is live). */
    close_fixture(&f);
}

static BOOL has_tag(const SPropTagArray *tags, ULONG tag)
{
    ULONG i;
    for (i = 0; i < tags->cValues; i++)
        if (tags->aulPropTag[i] == tag) return TRUE;
    return FALSE;
}

static void columns_are_what_setcolumns_set_including_unknown_and_repeated_tags(void **state)
{
    SizedSPropTagArray(4, columns) = {4, {PR_SUBJECT_A, PR_DISPLAY_NAME_A, PR_DISPLAY_NAME_A,
                                          PROP_TAG(PT_UNSPECIFIED, PROP_ID(PR_DEPTH))}};
    SizedSPropTagArray(1, none) = {0, {0}};
    struct fixture f;
    SPropTagArray *now = NULL;
    SRowSet *rows = NULL;
    (void)state;
    open_fixture(&f, 0);
    assert_int_equal(f.v->SetColumns(f.table, (LPSPropTagArray)&columns, TBL_BATCH), S_OK);
    assert_int_equal(f.v->QueryColumns(f.table, 0, &now), S_OK);
    assert_int_equal(now->cValues, 4);
    assert_memory_equal(now->aulPropTag, columns.aulPropTag, sizeof(columns.aulPropTag));
    mapisim_FreeBuffer(now);
    assert_int_equal(f.v->QueryRows(f.table, 1, 0, &rows), S_OK);
    assert_int_equal(rows->aRow[0].lpProps[0].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(PR_SUBJECT)));
    assert_int_equal(rows->aRow[0].lpProps[0].Value.err, MAPI_E_NOT_FOUND);
    assert_string_equal(rows->aRow[0].lpProps[1].Value.lpszA, names[0]);
    assert_string_equal(rows->aRow[0].lpProps[2].Value.lpszA, names[0]);
    assert_int_equal(rows->aRow[0].lpProps[3].ulPropTag, PR_DEPTH);
    free_rows(rows);
    assert_int_equal(f.v->SetColumns(f.table, (LPSPropTagArray)&none, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(f.v->SetColumns(f.table, NULL, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(f.v->SetColumns(f.table, (LPSPropTagArray)&columns, 0x4), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(f.v->QueryColumns(f.table, TBL_ALL_COLUMNS, &now), S_OK);
    assert_true(has_tag(now, PR_DEPTH));
    assert_true(has_tag(now, PR_CONTAINER_CLASS_A));
    assert_true(has_tag(now, PR_INSTANCE_KEY));
    assert_false(has_tag(now, PR_CONTAINER_HIERARCHY)); /* objects are not columns */
    mapisim_FreeBuffer(now);
    assert_int_equal(f.v->QueryColumns(f.table, 0x2, &now), MAPI_E_UNKNOWN_FLAGS);
    close_fixture(&f);
}

static void unicode_tables_give_wide_strings_by_default(void **state)
{
    struct fixture f;
    SPropTagArray *columns = NULL;
    SRowSet *rows = NULL;
    ULONG i, name = ~0u;
    (void)state;
    open_fixture(&f, MAPI_UNICODE);
    assert_int_equal(f.v->QueryColumns(f.table, 0, &columns), S_OK);
    for (i = 0; i < columns->cValues; i++)
        if (columns->aulPropTag[i] == PR_DISPLAY_NAME_W) name = i;
    assert_int_not_equal(name, ~0u);
    assert_int_equal(f.v->QueryRows(f.table, 1, 0, &rows), S_OK);
    assert_true(wcscmp(rows->aRow[0].lpProps[name].Value.lpszW, L"Top of Information Store") == 0);
    free_rows(rows);
    mapisim_FreeBuffer(columns);
    close_fixture(&f);
}

static void status_and_completion_say_the_table_is_complete(void **state)
{
    struct fixture f;
    ULONG status = 0, type = 0, more = 9, count = 9, cb = 9;
    BYTE *state_blob = (BYTE *)1;
    SRowSet *rows = (SRowSet *)1;
    BOOKMARK_ABI location = 9;
    (void)state;
    open_fixture(&f, 0);
    assert_int_equal(f.v->GetStatus(f.table, &status, &type), S_OK);
    assert_int_equal(status, TBLSTAT_COMPLETE);
    assert_int_equal(type, TBLTYPE_DYNAMIC); /* it follows the store's changes */
    status = 0xdead;
    assert_int_equal(f.v->WaitForCompletion(f.table, 0, 1000, &status), S_OK);
    assert_int_equal(status, TBLSTAT_COMPLETE);
    assert_int_equal(f.v->WaitForCompletion(f.table, 0, 1000, NULL), S_OK); /* the status is optional */
    assert_int_equal(f.v->Abort(f.table), S_OK);
    assert_int_equal(f.v->GetRowCount(f.table, 0, &count), S_OK);
    assert_int_equal(count, 6);
    assert_int_equal(f.v->GetRowCount(f.table, 1, &count), MAPI_E_UNKNOWN_FLAGS);
    /* Categories are not supported. */
    assert_int_equal(f.v->ExpandRow(f.table, 0, NULL, 1, 0, &rows, &more), MAPI_E_NO_SUPPORT);
    assert_null(rows);
    assert_int_equal(f.v->CollapseRow(f.table, 0, NULL, 0, &count), MAPI_E_NO_SUPPORT);
    assert_int_equal(f.v->GetCollapseState(f.table, 0, 0, NULL, &cb, &state_blob), MAPI_E_NO_SUPPORT);
    assert_null(state_blob);
    assert_int_equal(f.v->SetCollapseState(f.table, 0, 0, NULL, &location), MAPI_E_NO_SUPPORT);
    close_fixture(&f);
}

/* A table's Advise subscribes for its own notifications; releasing the table ends its connections. */
static void table_advise_watches_the_folder_and_ends_with_the_table(void **state)
{
    struct fixture f;
    struct test_sink sink;
    ULONG_PTR connection = 0;
    SPropValue *root_id;
    (void)state;
    open_fixture(&f, 0);
    test_sink_init(&sink);
    assert_int_equal(f.v->Advise(f.table, fnevTableModified, &sink.IMAPIAdviseSink_iface, &connection), S_OK);
    assert_true(connection != 0);
    /* Its own key, not the folder's entry ID: two tables of one folder are told apart. */
    root_id = get_prop((IMAPIProp *)f.root, PR_ENTRYID);
    assert_true(f.s.support.subscriptions->key_size != root_id->Value.bin.cb ||
                memcmp(f.s.support.subscriptions->key, root_id->Value.bin.lpb, root_id->Value.bin.cb));
    assert_int_equal(f.s.support.subscriptions->event_mask, fnevTableModified);
    mapisim_FreeBuffer(root_id);
    assert_int_equal(f.table->lpVtbl->Release(f.table), 0);
    f.table = NULL;
    assert_int_equal(f.s.support.calls[MAPISIM_Unsubscribe], 1);
    assert_int_equal(mapisim_support_subscription_count(&f.s.support), 0);
    assert_int_equal(sink.refs, 1);
    close_fixture(&f);
}

static void a_held_table_is_a_zombie_after_logoff(void **state)
{
    struct fixture f;
    SRowSet *rows = (SRowSet *)1;
    ULONG count;
    BOOKMARK_ABI mark;
    (void)state;
    open_fixture(&f, 0);
    assert_int_equal(f.v->CreateBookmark(f.table, &mark), S_OK);
    session_logoff(&f.s);
    assert_int_equal(f.v->QueryRows(f.table, 1, 0, &rows), MAPI_E_INVALID_OBJECT);
    assert_null(rows);
    assert_int_equal(f.v->GetRowCount(f.table, 0, &count), MAPI_E_INVALID_OBJECT);
    assert_int_equal(f.v->SeekRow(f.table, BOOKMARK_BEGINNING, 1, NULL), MAPI_E_INVALID_OBJECT);
    assert_int_equal(f.v->SetColumns(f.table, NULL, 0), MAPI_E_INVALID_OBJECT);
    assert_int_equal(f.v->GetStatus(f.table, &count, &count), MAPI_E_INVALID_OBJECT);
    assert_int_equal(f.v->Abort(f.table), MAPI_E_INVALID_OBJECT);
    close_fixture(&f); /* their Releases free the table, its bookmark and the folder */
}

/* ---- Restrict, SortTable, FindRow ---- */

static void expect_view(struct fixture *f, const char *const *expected, ULONG count)
{
    SRowSet *rows = NULL;
    ULONG i;
    assert_int_equal(f->v->SeekRow(f->table, BOOKMARK_BEGINNING, 0, NULL), S_OK);
    assert_int_equal(f->v->QueryRows(f->table, 100, TBL_NOADVANCE, &rows), S_OK);
    assert_int_equal(rows->cRows, count);
    for (i = 0; i < count; i++) assert_string_equal(rows->aRow[i].lpProps[0].Value.lpszA, expected[i]);
    free_rows(rows);
}

static void property_restriction(SRestriction *r, SPropValue *value, ULONG relop, ULONG tag)
{
    r->rt = RES_PROPERTY;
    r->res.resProperty.relop = relop;
    r->res.resProperty.ulPropTag = tag;
    r->res.resProperty.lpProp = value;
    value->ulPropTag = tag;
}

static void restrict_shows_only_matching_rows_until_lifted(void **state)
{
    static const char *const subfolders[] = {"Inbox", "Outbox", "Sent Items", "Deleted Items"};
    static const char *const boxes[] = {"Inbox", "Outbox"};
    struct fixture f;
    SRestriction r, content;
    SPropValue depth, text;
    ULONG count = 0;
    (void)state;
    open_fixture(&f, 0);
    property_restriction(&r, &depth, RELOP_EQ, PR_DEPTH);
    depth.Value.l = 1;
    f.v->SeekRow(f.table, BOOKMARK_BEGINNING, 3, NULL);
    assert_int_equal(f.v->Restrict(f.table, &r, 0), S_OK);
    assert_int_equal(position(&f), 0); /* the cursor goes back to the beginning */
    assert_int_equal(f.v->GetRowCount(f.table, 0, &count), S_OK);
    assert_int_equal(count, 4);
    expect_view(&f, subfolders, 4);

    content.rt = RES_CONTENT;
    content.res.resContent.ulFuzzyLevel = FL_SUBSTRING | FL_IGNORECASE;
    content.res.resContent.ulPropTag = PR_DISPLAY_NAME_A;
    content.res.resContent.lpProp = &text;
    text.ulPropTag = PR_DISPLAY_NAME_A;
    text.Value.lpszA = (char *)"BOX";
    assert_int_equal(f.v->Restrict(f.table, &content, TBL_BATCH), S_OK);
    expect_view(&f, boxes, 2);
    /* The client's restriction was copied: changing it changes nothing. */
    text.Value.lpszA = (char *)"zzz";
    expect_view(&f, boxes, 2);

    assert_int_equal(f.v->Restrict(f.table, NULL, 0), S_OK);
    expect_view(&f, names, 6);
    close_fixture(&f);
}

static void a_refused_restriction_leaves_the_view_as_it_was(void **state)
{
    static const char *const top_level[] = {"Top of Information Store", "Search Root"};
    struct fixture f;
    SRestriction keep, bad, *deep;
    SPropValue depth;
    ULONG i, n = 100000;
    (void)state;
    open_fixture(&f, 0);
    property_restriction(&keep, &depth, RELOP_EQ, PR_DEPTH);
    depth.Value.l = 0;
    assert_int_equal(f.v->Restrict(f.table, &keep, 0), S_OK);
    bad.rt = RES_SUBRESTRICTION;
    assert_int_equal(f.v->Restrict(f.table, &bad, 0), MAPI_E_TOO_COMPLEX);
    /* A hostile 100,000-deep chain is refused, not followed to a stack overflow. */
    deep = HeapAlloc(GetProcessHeap(), 0, n * sizeof(SRestriction));
    for (i = 0; i < n; i++) {
        deep[i].rt = RES_NOT;
        deep[i].res.resNot.lpRes = i + 1 < n ? &deep[i + 1] : &keep;
    }
    assert_int_equal(f.v->Restrict(f.table, deep, 0), MAPI_E_TOO_COMPLEX);
    assert_int_equal(f.v->FindRow(f.table, deep, BOOKMARK_BEGINNING, 0), MAPI_E_TOO_COMPLEX);
    HeapFree(GetProcessHeap(), 0, deep);
    assert_int_equal(f.v->Restrict(f.table, &keep, 0x8), MAPI_E_UNKNOWN_FLAGS);
    expect_view(&f, top_level, 2);
    close_fixture(&f);
}

static void restrict_fails_cleanly_at_each_allocation(void **state)
{
    static const char *const top_level[] = {"Top of Information Store", "Search Root"};
    struct fixture f;
    SRestriction keep, other;
    SPropValue depth, other_depth;
    LONG n, before;
    HRESULT hr;
    (void)state;
    open_fixture(&f, 0);
    property_restriction(&keep, &depth, RELOP_EQ, PR_DEPTH);
    depth.Value.l = 0;
    assert_int_equal(f.v->Restrict(f.table, &keep, 0), S_OK);
    property_restriction(&other, &other_depth, RELOP_EQ, PR_DEPTH);
    other_depth.Value.l = 1;
    for (n = 1;; n++) {
        before = live_blocks();
        mapisim_alloc_fail_at(n);
        hr = f.v->Restrict(f.table, &other, 0);
        mapisim_alloc_fail_at(0);
        if (hr == S_OK) break;
        assert_int_equal(hr, MAPI_E_NOT_ENOUGH_MEMORY);
        assert_int_equal(live_blocks(), before);
        expect_view(&f, top_level, 2); /* still the previous restriction */
    }
    assert_true(n > 1);
    close_fixture(&f);
}

static SSortOrderSet *sort_set(ULONG count, const ULONG *tags, const ULONG *orders)
{
    static SizedSSortOrderSet(4, set);
    ULONG i;
    set.cSorts = count;
    set.cCategories = 0;
    set.cExpanded = 0;
    for (i = 0; i < count; i++) {
        set.aSort[i].ulPropTag = tags[i];
        set.aSort[i].ulOrder = orders[i];
    }
    return (SSortOrderSet *)&set;
}

static void sorttable_orders_rows_by_several_keys_both_ways(void **state)
{
    static const char *const by_name[] = {"Deleted Items", "Inbox", "Outbox",
                                          "Search Root", "Sent Items", "Top of Information Store"};
    static const char *const deep_first[] = {"Deleted Items", "Inbox", "Outbox", "Sent Items",
                                             "Search Root", "Top of Information Store"};
    static const ULONG name_tag[] = {PR_DISPLAY_NAME_W};
    static const ULONG ascending[] = {TABLE_SORT_ASCEND, TABLE_SORT_ASCEND};
    static const ULONG depth_then_name[] = {PR_DEPTH, PR_DISPLAY_NAME_A};
    static const ULONG descending_then_ascending[] = {TABLE_SORT_DESCEND, TABLE_SORT_ASCEND};
    struct fixture f;
    SSortOrderSet *now = NULL;
    (void)state;
    open_fixture(&f, 0);
    assert_int_equal(f.v->QuerySortOrder(f.table, &now), S_OK);
    assert_int_equal(now->cSorts, 0);
    mapisim_FreeBuffer(now);
    assert_int_equal(f.v->SortTable(f.table, sort_set(1, name_tag, ascending), 0), S_OK);
    expect_view(&f, by_name, 6);
    assert_int_equal(f.v->SortTable(f.table, sort_set(2, depth_then_name, descending_then_ascending), 0), S_OK);
    expect_view(&f, deep_first, 6);
    assert_int_equal(f.v->QuerySortOrder(f.table, &now), S_OK);
    assert_int_equal(now->cSorts, 2);
    assert_int_equal(now->aSort[0].ulPropTag, PR_DEPTH);
    assert_int_equal(now->aSort[0].ulOrder, TABLE_SORT_DESCEND);
    mapisim_FreeBuffer(now);
    assert_int_equal(f.v->SortTable(f.table, sort_set(0, NULL, NULL), 0), S_OK);
    expect_view(&f, names, 6); /* back to the tree's order */
    close_fixture(&f);
}

/* The sort is stable: rows with equal keys keep the tree's order (here, folders of one depth). */
static void sorttable_keeps_the_tree_order_among_equal_keys(void **state)
{
    static const char *const deepest_first[] = {"Inbox", "Outbox", "Sent Items", "Deleted Items",
                                                "Top of Information Store", "Search Root"};
    static const ULONG depth_tag[] = {PR_DEPTH};
    static const ULONG descending[] = {TABLE_SORT_DESCEND};
    struct fixture f;
    (void)state;
    open_fixture(&f, 0);
    assert_int_equal(f.v->SortTable(f.table, sort_set(1, depth_tag, descending), 0), S_OK);
    expect_view(&f, deepest_first, 6);
    close_fixture(&f);
}

static void sorttable_refuses_categories_and_unknown_orders(void **state)
{
    static const ULONG name_tag[] = {PR_DISPLAY_NAME_A};
    static const ULONG combine[] = {TABLE_SORT_COMBINE};
    static const ULONG ascending[] = {TABLE_SORT_ASCEND};
    struct fixture f;
    SSortOrderSet *set;
    (void)state;
    open_fixture(&f, 0);
    set = sort_set(1, name_tag, ascending);
    set->cCategories = 1;
    assert_int_equal(f.v->SortTable(f.table, set, 0), MAPI_E_NO_SUPPORT);
    assert_int_equal(f.v->SortTable(f.table, sort_set(1, name_tag, combine), 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(f.v->SortTable(f.table, NULL, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(f.v->SortTable(f.table, sort_set(1, name_tag, ascending), 0x8), MAPI_E_UNKNOWN_FLAGS);
    expect_view(&f, names, 6);
    close_fixture(&f);
}

static void restrict_and_sort_combine(void **state)
{
    static const char *const reversed[] = {"Sent Items", "Outbox", "Inbox", "Deleted Items"};
    static const ULONG name_tag[] = {PR_DISPLAY_NAME_A};
    static const ULONG descending[] = {TABLE_SORT_DESCEND};
    struct fixture f;
    SRestriction r;
    SPropValue depth;
    (void)state;
    open_fixture(&f, 0);
    property_restriction(&r, &depth, RELOP_GT, PR_DEPTH);
    depth.Value.l = 0;
    assert_int_equal(f.v->SortTable(f.table, sort_set(1, name_tag, descending), 0), S_OK);
    assert_int_equal(f.v->Restrict(f.table, &r, 0), S_OK);
    expect_view(&f, reversed, 4);
    close_fixture(&f);
}

static void findrow_searches_from_a_bookmark_in_either_direction(void **state)
{
    struct fixture f;
    SRestriction r;
    SPropValue value;
    BOOKMARK_ABI mark;
    (void)state;
    open_fixture(&f, 0);
    property_restriction(&r, &value, RELOP_EQ, PR_DISPLAY_NAME_A);
    value.Value.lpszA = (char *)"Sent Items";
    assert_int_equal(f.v->FindRow(f.table, &r, BOOKMARK_BEGINNING, 0), S_OK);
    assert_int_equal(position(&f), 3);
    /* Forward searches start at the bookmark's row: the current row is found again. */
    assert_int_equal(f.v->FindRow(f.table, &r, BOOKMARK_CURRENT, 0), S_OK);
    assert_int_equal(position(&f), 3);
    /* Backward searches start at the row before it. */
    assert_int_equal(f.v->FindRow(f.table, &r, BOOKMARK_CURRENT, DIR_BACKWARD), MAPI_E_NOT_FOUND);
    assert_int_equal(position(&f), 3); /* not found: the cursor stays */
    assert_int_equal(f.v->FindRow(f.table, &r, BOOKMARK_END, DIR_BACKWARD), S_OK);
    assert_int_equal(position(&f), 3);
    property_restriction(&r, &value, RELOP_EQ, PR_DEPTH);
    value.Value.l = 0;
    assert_int_equal(f.v->FindRow(f.table, &r, BOOKMARK_END, DIR_BACKWARD), S_OK);
    assert_int_equal(position(&f), 5); /* Search Root */
    assert_int_equal(f.v->FindRow(f.table, &r, BOOKMARK_BEGINNING, DIR_BACKWARD), MAPI_E_NOT_FOUND);
    /* From a bookmark. */
    f.v->SeekRow(f.table, BOOKMARK_BEGINNING, 1, NULL);
    assert_int_equal(f.v->CreateBookmark(f.table, &mark), S_OK);
    assert_int_equal(f.v->FindRow(f.table, &r, mark, 0), S_OK);
    assert_int_equal(position(&f), 5);
    assert_int_equal(f.v->FindRow(f.table, &r, mark, DIR_BACKWARD), S_OK);
    assert_int_equal(position(&f), 0);
    assert_int_equal(f.v->FindRow(f.table, NULL, BOOKMARK_BEGINNING, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(f.v->FindRow(f.table, &r, BOOKMARK_BEGINNING, 0x2), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(f.v->FindRow(f.table, &r, 0x4242, 0), MAPI_E_INVALID_BOOKMARK);
    close_fixture(&f);
}

/* Every table must let FindRow find a row by PR_INSTANCE_KEY. */
static void findrow_finds_a_row_by_its_instance_key(void **state)
{
    SizedSPropTagArray(1, key_column) = {1, {PR_INSTANCE_KEY}};
    struct fixture f;
    SRowSet *rows = NULL;
    SRestriction r;
    SPropValue key;
    (void)state;
    open_fixture(&f, 0);
    f.v->SetColumns(f.table, (LPSPropTagArray)&key_column, 0);
    f.v->SeekRow(f.table, BOOKMARK_BEGINNING, 4, NULL);
    assert_int_equal(f.v->QueryRows(f.table, 1, TBL_NOADVANCE, &rows), S_OK);
    property_restriction(&r, &key, RELOP_EQ, PR_INSTANCE_KEY);
    key.Value.bin = rows->aRow[0].lpProps[0].Value.bin;
    assert_int_equal(f.v->FindRow(f.table, &r, BOOKMARK_BEGINNING, 0), S_OK);
    assert_int_equal(position(&f), 4);
    free_rows(rows);
    close_fixture(&f);
}

/* A bookmark follows its row through a sort; a row the restriction hides moves it to the end. */
static void bookmarks_follow_their_row_through_sorts_and_restrictions(void **state)
{
    static const ULONG name_tag[] = {PR_DISPLAY_NAME_A};
    static const ULONG ascending[] = {TABLE_SORT_ASCEND};
    struct fixture f;
    BOOKMARK_ABI outbox;
    SRestriction r;
    SPropValue depth;
    LONG sought;
    (void)state;
    open_fixture(&f, 0);
    f.v->SeekRow(f.table, BOOKMARK_BEGINNING, 2, NULL); /* Outbox */
    assert_int_equal(f.v->CreateBookmark(f.table, &outbox), S_OK);
    assert_int_equal(f.v->SortTable(f.table, sort_set(1, name_tag, ascending), 0), S_OK);
    assert_int_equal(f.v->SeekRow(f.table, outbox, 0, &sought), S_OK);
    assert_int_equal(position(&f), 2); /* Deleted Items, Inbox, Outbox, ... */
    expect_rows(&f, 1, TBL_NOADVANCE, 2, 1);
    property_restriction(&r, &depth, RELOP_EQ, PR_DEPTH);
    depth.Value.l = 0;
    assert_int_equal(f.v->Restrict(f.table, &r, 0), S_OK);
    assert_int_equal(f.v->SeekRow(f.table, outbox, 0, &sought), MAPI_W_POSITION_CHANGED);
    assert_int_equal(position(&f), 2); /* the end of the two-row view */
    close_fixture(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(queryrows_reads_forward_in_pages_and_stops_at_the_end),
        cmocka_unit_test(queryrows_backward_moves_back_then_reads_forward),
        cmocka_unit_test(queryrows_with_noadvance_leaves_the_cursor),
        cmocka_unit_test(queryrows_rejects_zero_rows_unknown_flags_and_no_output),
        cmocka_unit_test(queryrows_gives_one_block_per_row_and_one_for_the_set),
        cmocka_unit_test(queryrows_fails_cleanly_at_each_allocation),
        cmocka_unit_test(seekrow_moves_from_each_origin_and_reports_rows_sought),
        cmocka_unit_test(seekrowapprox_and_queryposition_use_fractions),
        cmocka_unit_test(bookmarks_mark_rows_until_freed),
        cmocka_unit_test(columns_are_what_setcolumns_set_including_unknown_and_repeated_tags),
        cmocka_unit_test(unicode_tables_give_wide_strings_by_default),
        cmocka_unit_test(status_and_completion_say_the_table_is_complete),
        cmocka_unit_test(table_advise_watches_the_folder_and_ends_with_the_table),
        cmocka_unit_test(a_held_table_is_a_zombie_after_logoff),
        cmocka_unit_test(restrict_shows_only_matching_rows_until_lifted),
        cmocka_unit_test(a_refused_restriction_leaves_the_view_as_it_was),
        cmocka_unit_test(restrict_fails_cleanly_at_each_allocation),
        cmocka_unit_test(sorttable_orders_rows_by_several_keys_both_ways),
        cmocka_unit_test(sorttable_keeps_the_tree_order_among_equal_keys),
        cmocka_unit_test(sorttable_refuses_categories_and_unknown_orders),
        cmocka_unit_test(restrict_and_sort_combine),
        cmocka_unit_test(findrow_searches_from_a_bookmark_in_either_direction),
        cmocka_unit_test(findrow_finds_a_row_by_its_instance_key),
        cmocka_unit_test(bookmarks_follow_their_row_through_sorts_and_restrictions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
