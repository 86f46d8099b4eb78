/*
 * Fault injection over a whole session, SQLite-style: one run counts every
 * fallible call msstore makes to MAPI (each MAPI allocation, each IMalloc
 * allocation, each IMAPISupport method, each profile-section method), then the
 * session is run again once per fault point with exactly that call failing.
 *
 * In every run the public call during which the fault hit either returns an
 * error with its outputs NULL, or is one of the few calls where msstore
 * absorbs the failure by design (listed in absorbed_faults, with the reason);
 * and once the session is over, nothing is left: the support object's count
 * back where MAPI started it, StoreLogoffTransports at most once, no
 * subscription, no live MAPI allocation, IMalloc balanced, final Releases 0.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

struct run {
    LONG fail_at;             /* the fault point failed in this run; 0: none */
    const char *faulted_step; /* the public call during which it hit */
    HRESULT faulted_hr;       /* what that call returned */
    BOOL faulted_output_null; /* and whether its output was NULL */
    const char *fault;        /* what failed: "MAPIAllocateBuffer", "NewUID", ... */
    int failed_steps;         /* public calls that did not return S_OK */
    LONG points;              /* fault points passed in the whole run */
};

/* Notes the outcome of one public call, and whether the run's fault hit during it. */
static void step_done(struct run *r, const char *step, LONG points_before, HRESULT hr, const void *output)
{
    if (hr != S_OK) r->failed_steps++;
    if (r->fail_at > points_before && r->fail_at <= mapisim_faults_count() && !r->faulted_step) {
        r->faulted_step = step;
        r->faulted_hr = hr;
        r->faulted_output_null = output == NULL;
    }
}

/* Runs call, a public msstore method, as one step; output is its out-pointer's value afterwards (NULL if none). */
#define STEP(r, name, hr, call, output)                              \
    do {                                                             \
        LONG points_before_ = mapisim_faults_count();               \
        (hr) = (call);                                               \
        step_done((r), (name), points_before_, (hr), (output));      \
    } while (0)

static const SizedSPropTagArray(5, table_columns) = {
    5, {PR_ENTRYID, PR_DISPLAY_NAME_W, PR_DEPTH, PR_CONTENT_COUNT, PR_RECORD_KEY}};
static const SizedSSortOrderSet(1, by_name_descending) = {1, 0, 0, {{PR_DISPLAY_NAME_W, TABLE_SORT_DESCEND}}};

/* A table as a client reads it: columns, order, a restriction, rows, then what it asks back and a bookmark. */
static void read_table(struct run *r, IMAPITable *table, SRowSet **rows)
{
    SPropValue ipf = {PR_CONTAINER_CLASS_W, 0, {.lpszW = (WCHAR *)L"IPF"}};
    SRestriction exists = {RES_EXIST, {.resExist = {0, PR_DISPLAY_NAME_W, 0}}};
    SRestriction content = {RES_CONTENT, {.resContent = {FL_PREFIX | FL_IGNORECASE, PR_CONTAINER_CLASS_W, &ipf}}};
    SRestriction not_content = {RES_NOT, {.resNot = {0, &content}}};
    SRestriction either[2] = {exists, not_content};
    SRestriction restriction = {RES_OR, {.resOr = {2, either}}};
    SPropTagArray *columns = NULL;
    SSortOrderSet *order = NULL;
    BOOKMARK_ABI bookmark = 0;
    HRESULT hr;
    *rows = NULL;
    STEP(r, "IMAPITable::SetColumns", hr, table->lpVtbl->SetColumns(table, (LPSPropTagArray)&table_columns, 0), NULL);
    STEP(r, "IMAPITable::SortTable", hr, table->lpVtbl->SortTable(table, (LPSSortOrderSet)&by_name_descending, 0),
         NULL);
    STEP(r, "IMAPITable::Restrict", hr, table->lpVtbl->Restrict(table, &restriction, 0), NULL);
    STEP(r, "IMAPITable::QueryRows", hr, table->lpVtbl->QueryRows(table, 50, 0, rows), *rows);
    STEP(r, "IMAPITable::QueryColumns", hr, table->lpVtbl->QueryColumns(table, 0, &columns), columns);
    mapisim_FreeBuffer(columns);
    STEP(r, "IMAPITable::QuerySortOrder", hr, table->lpVtbl->QuerySortOrder(table, &order), order);
    mapisim_FreeBuffer(order);
    STEP(r, "IMAPITable::CreateBookmark", hr, ABI_VTBL(IMAPITable, table)->CreateBookmark(table, &bookmark),
         (void *)bookmark);
    if (SUCCEEDED(hr)) ABI_VTBL(IMAPITable, table)->FreeBookmark(table, bookmark);
}

/* Each folder in the rows opened, read, and its contents table read. */
static void open_each_folder(struct run *r, IMsgStore *store, const SRowSet *rows)
{
    ULONG i, type, count;
    HRESULT hr;
    for (i = 0; rows && i < rows->cRows; i++) {
        const SBinary *id = &rows->aRow[i].lpProps[0].Value.bin;
        IMAPIFolder *folder = NULL;
        IMAPITable *contents = NULL;
        SPropValue *props = NULL;
        SRowSet *messages = NULL;
        if (rows->aRow[i].lpProps[0].ulPropTag != PR_ENTRYID) continue;
        STEP(r, "IMsgStore::OpenEntry", hr,
             store->lpVtbl->OpenEntry(store, id->cb, (LPENTRYID)id->lpb, NULL, 0, &type, (LPUNKNOWN *)&folder), folder);
        if (FAILED(hr)) continue;
        STEP(r, "IMAPIFolder::GetProps", hr, folder->lpVtbl->GetProps(folder, NULL, MAPI_UNICODE, &count, &props),
             props);
        mapisim_FreeBuffer(props);
        STEP(r, "IMAPIFolder::GetContentsTable", hr, folder->lpVtbl->GetContentsTable(folder, 0, &contents), contents);
        if (SUCCEEDED(hr)) {
            read_table(r, contents, &messages);
            free_rows(messages);
            contents->lpVtbl->Release(contents);
        }
        folder->lpVtbl->Release(folder);
    }
}

/* The status object, as the session's status table opens it. */
static void read_status(struct run *r, IMSLogon *logon)
{
    SizedSPropTagArray(2, tags) = {2, {PR_DISPLAY_NAME_W, PR_STATUS_CODE}};
    IMAPIStatus *status = NULL;
    SPropValue *props = NULL;
    ULONG type, count;
    HRESULT hr;
    STEP(r, "IMSLogon::OpenStatusEntry", hr,
         logon->lpVtbl->OpenStatusEntry(logon, NULL, 0, &type, (LPVOID *)&status), status);
    if (FAILED(hr)) return;
    STEP(r, "IMAPIStatus::GetProps", hr,
         status->lpVtbl->GetProps(status, (LPSPropTagArray)&tags, MAPI_UNICODE, &count, &props), props);
    mapisim_FreeBuffer(props);
    status->lpVtbl->Release(status);
}

/* Everything a client does with an open store, each call a step; sink outlives the session. */
static void use_store(struct run *r, struct mapisim_session *s, struct test_sink *sink)
{
    static const SizedSPropTagArray(4, store_tags) = {
        4, {PR_DISPLAY_NAME_W, PR_STORE_ENTRYID, PR_IPM_SUBTREE_ENTRYID, PR_STORE_SUPPORT_MASK}};
    IMsgStore *store = s->store;
    IMAPIFolder *root = NULL;
    IMAPITable *hierarchy = NULL, *receive = NULL;
    SPropTagArray *tags = NULL;
    MAPIERROR *error = NULL;
    SPropValue *props = NULL;
    SRowSet *rows = NULL;
    ENTRYID *inbox = NULL;
    ULONG_PTR connection = 0;
    ULONG type, count, cb = 0;
    HRESULT hr;

    STEP(r, "IMsgStore::GetProps", hr,
         store->lpVtbl->GetProps(store, (LPSPropTagArray)&store_tags, MAPI_UNICODE, &count, &props), props);
    mapisim_FreeBuffer(props);
    props = NULL;
    STEP(r, "IMsgStore::GetProps(all)", hr, store->lpVtbl->GetProps(store, NULL, 0, &count, &props), props);
    mapisim_FreeBuffer(props);

    STEP(r, "IMsgStore::GetPropList", hr, store->lpVtbl->GetPropList(store, MAPI_UNICODE, &tags), tags);
    mapisim_FreeBuffer(tags);
    STEP(r, "IMsgStore::GetLastError", hr, store->lpVtbl->GetLastError(store, MAPI_E_NO_ACCESS, MAPI_UNICODE, &error),
         error);
    mapisim_FreeBuffer(error);

    STEP(r, "IMsgStore::OpenEntry", hr,
         store->lpVtbl->OpenEntry(store, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&root), root);
    if (SUCCEEDED(hr)) {
        STEP(r, "IMAPIFolder::GetHierarchyTable", hr,
             root->lpVtbl->GetHierarchyTable(root, CONVENIENT_DEPTH | MAPI_UNICODE, &hierarchy), hierarchy);
        if (SUCCEEDED(hr)) {
            read_table(r, hierarchy, &rows);
            open_each_folder(r, store, rows);
            free_rows(rows);
            hierarchy->lpVtbl->Release(hierarchy);
        }
        root->lpVtbl->Release(root);
    }

    STEP(r, "IMsgStore::Advise", hr,
         ABI_VTBL(IMsgStore, store)->Advise(store, 0, NULL, fnevNewMail, &sink->IMAPIAdviseSink_iface, &connection),
         (void *)connection);
    if (SUCCEEDED(hr)) STEP(r, "IMsgStore::Unadvise", hr, ABI_VTBL(IMsgStore, store)->Unadvise(store, connection), NULL);

    STEP(r, "IMsgStore::GetReceiveFolder", hr,
         store->lpVtbl->GetReceiveFolder(store, (LPTSTR) "IPM.Note", 0, &cb, &inbox, NULL), inbox);
    mapisim_FreeBuffer(inbox);
    STEP(r, "IMsgStore::GetReceiveFolderTable", hr, store->lpVtbl->GetReceiveFolderTable(store, 0, &receive), receive);
    if (SUCCEEDED(hr)) receive->lpVtbl->Release(receive);

    read_status(r, s->support.logon);
}

/* One whole session, from MSProviderInit to the provider's final Release, then what it left. */
static void run_session(struct run *r, char *problems, size_t size)
{
    struct mapisim_session s;
    struct test_sink sink; /* a connection Unadvise could not end stays until the teardown */
    ULONG flags = LOGOFF_ORDERLY, zero = 0;
    HRESULT hr;

    problems[0] = 0;
    test_sink_init(&sink);
    mapisim_faults_reset(r->fail_at);
    {
        LONG points_before = mapisim_faults_count();
        hr = mapisim_session_init(&s, MSProviderInit);
        step_done(r, "MSProviderInit", points_before, hr, s.provider);
    }
    if (SUCCEEDED(hr)) {
        STEP(r, "IMSProvider::Logon", hr, mapisim_session_logon(&s, 0, "faults"), s.store);
        if (SUCCEEDED(hr)) {
            use_store(r, &s, &sink);
            STEP(r, "IMsgStore::StoreLogoff", hr, s.store->lpVtbl->StoreLogoff(s.store, &flags), NULL);
            STEP(r, "IMsgStore::Release", hr, s.store->lpVtbl->Release(s.store) ? E_FAIL : S_OK, NULL);
            if (hr != S_OK) mapisim_add_problem(problems, size, "the store's final Release not 0");
            s.store = NULL;
        }
        STEP(r, "IMSProvider::Shutdown", hr, s.provider->lpVtbl->Shutdown(s.provider, &zero), NULL);
        STEP(r, "IMSProvider::Release", hr, s.provider->lpVtbl->Release(s.provider) ? E_FAIL : S_OK, NULL);
        if (hr != S_OK) mapisim_add_problem(problems, size, "the provider's final Release not 0");
        s.provider = NULL;
    }
    r->fault = mapisim_faults_failed();
    r->points = mapisim_faults_count();
    mapisim_faults_reset(0);
    mapisim_session_problems(&s, problems, size);
    if (s.support.logon) mapisim_add_problem(problems, size, "MAPI's support object still holds the logon");
    if (s.support.logon_release_result) mapisim_add_problem(problems, size, "the logon's final Release not 0");
    if (sink.refs != 1) mapisim_add_problem(problems, size, "the advise sink holds %ld extra reference(s)", (long)sink.refs - 1);
    if (s.support.calls[MAPISIM_StoreLogoffTransports] > 1)
        mapisim_add_problem(problems, size, "StoreLogoffTransports called more than once");
    mapisim_support_cleanup(&s.support);
}

/*
 * Faults msstore absorbs by design: the public call succeeds in full because
 * nothing the caller asked for depended on the failed call.
 */
static const struct absorbed_fault {
    const char *step, *fault, *why;
} absorbed_faults[] = {
    {"IMsgStore::Release", "StoreLogoffTransports",
     "the store's final Release tears it down whatever the spooler says (D4): MAPI_E_NO_SUPPORT is normal"},
};

static BOOL absorbed(const struct run *r)
{
    size_t i;
    for (i = 0; i < ARRAYSIZE(absorbed_faults); i++)
        if (!strcmp(r->faulted_step, absorbed_faults[i].step) && r->fault && !strcmp(r->fault, absorbed_faults[i].fault))
            return TRUE;
    return FALSE;
}

/* The kinds of fault point, for the figures printed. */
static int fault_kind(const char *fault)
{
    if (!strncmp(fault, "MAPIAllocate", 12)) return 0;
    if (!strncmp(fault, "IMalloc::", 9)) return 1;
    if (!strncmp(fault, "IMAPIProp::", 11)) return 2;
    return 3; /* an IMAPISupport method */
}

static void every_fault_point_fails_cleanly(void **state)
{
    static const char *const kinds[] = {"MAPI allocations", "IMalloc allocations", "profile-section and status-row calls",
                                        "IMAPISupport calls"};
    struct run counting = {0};
    char problems[1024];
    LONG i;
    int by_kind[4] = {0}, absorbed_count = 0, k;
    (void)state;

    run_session(&counting, problems, sizeof(problems));
    if (problems[0]) fail_msg("the session without a fault left: %s", problems);
    assert_int_equal(counting.failed_steps, 0);
    assert_true(counting.points > 100); /* the session really is a whole one */

    for (i = 1; i <= counting.points; i++) {
        struct run r = {0};
        r.fail_at = i;
        run_session(&r, problems, sizeof(problems));
        if (!r.fault) fail_msg("fault point %ld of %ld was never reached", (long)i, (long)counting.points);
        if (!r.faulted_step) fail_msg("fault point %ld (%s) hit outside any public call", (long)i, r.fault);
        if (problems[0])
            fail_msg("fault point %ld (%s in %s): the session left: %s", (long)i, r.fault, r.faulted_step, problems);
        if (absorbed(&r)) {
            if (r.faulted_hr != S_OK)
                fail_msg("fault point %ld (%s in %s): an absorbed fault, yet the call returned 0x%08lx", (long)i,
                         r.fault, r.faulted_step, (unsigned long)r.faulted_hr);
            absorbed_count++;
        } else {
            if (!FAILED(r.faulted_hr))
                fail_msg("fault point %ld (%s in %s): the call returned 0x%08lx, not an error", (long)i, r.fault,
                         r.faulted_step, (unsigned long)r.faulted_hr);
            if (!r.faulted_output_null)
                fail_msg("fault point %ld (%s in %s): failed, but left its output set", (long)i, r.fault,
                         r.faulted_step);
        }
        by_kind[fault_kind(r.fault)]++;
    }
    printf("fault injection: %ld fault points in one whole session, each failed in its own run:", (long)counting.points);
    for (k = 0; k < 4; k++) printf(" %d %s%s", by_kind[k], kinds[k], k < 3 ? "," : "");
    printf("; %d absorbed by design, the rest failing their public call cleanly; nothing left behind in any run\n",
           absorbed_count);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_fault_point_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
