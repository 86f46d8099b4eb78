/*
 * D11 under stress: 8 threads share one logon and call it in random
 * interleavings (seeded, so a failing round can be replayed): they open
 * folders and hold some, read the store and folders, query a shared table and
 * their own (columns, order, restriction, rows), Advise/Unadvise on the store
 * and on a table, compare entry IDs, StoreLogoff, Release -- and change the
 * store: create folders from a small pool of names (so that they collide),
 * rename and delete them, save messages in them, change, save and read-flag
 * those, mark folders unread and empty them, while the live tables follow
 * and notify. At a
 * random iteration one of them performs MAPI's session Logoff. Every call
 * answers S_OK or MAPI_E_INVALID_OBJECT, or for a change or a folder another
 * thread may have changed, the answer that race calls for (MAPI_E_COLLISION,
 * MAPI_E_OBJECT_DELETED, MAPI_E_NOT_FOUND, MAPI_E_NO_ACCESS); no round
 * deadlocks (each is bounded by a watchdog); the session ends clean and the
 * store file passes verify. The suite also runs this under WINEDEBUG=warn+heap
 * and fails on any heap warning Wine prints.
 */
#include "harness.h"

#include "storage/storage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROUNDS 60
#define WORKERS 8
#define ITERATIONS 400
#define HELD 4 /* objects a worker may hold across iterations */
#define MAX_FOLDERS 8
#define WATCHDOG_MS 30000
#define NAME_POOL 6 /* folder names the writers share: collisions are certain */

struct shared {
    IMAPITable *table; /* the root's hierarchy table, one reference per worker */
    struct test_sink sink;
    BYTE store_id[64]; /* unwrapped */
    ULONG cb_store_id;
    SBinary folder_ids[MAX_FOLDERS]; /* from the hierarchy table, as a client has them */
    ULONG folder_count;
    struct mapisim_session *session;
    volatile LONG iterations_done, answered_ok, answered_invalid, answered_race, unexpected, first_unexpected;
    volatile LONG logoffs;
};

struct worker {
    struct shared *shared;
    IMsgStore *store; /* the worker's own reference */
    IMAPITable *table;
    IUnknown *held[HELD];
    ULONG seed;
    LONG release_store_at; /* ITERATIONS: keeps it to the end */
    LONG logoff_at;        /* -1: never */
};

/* Counts an answer: S_OK or MAPI_E_INVALID_OBJECT, or, where racing writers allow it, what a race explains. */
static HRESULT judge(struct worker *w, HRESULT hr, BOOL racing)
{
    struct shared *sh = w->shared;
    if (hr == S_OK) InterlockedIncrement(&sh->answered_ok);
    else if (hr == MAPI_E_INVALID_OBJECT) InterlockedIncrement(&sh->answered_invalid);
    else if (racing && (hr == MAPI_E_COLLISION || hr == MAPI_E_OBJECT_DELETED || hr == MAPI_E_NOT_FOUND ||
                        hr == MAPI_E_NO_ACCESS))
        InterlockedIncrement(&sh->answered_race);
    else {
        InterlockedIncrement(&sh->unexpected);
        InterlockedCompareExchange(&sh->first_unexpected, hr, 0);
    }
    return hr;
}

static HRESULT check(struct worker *w, HRESULT hr) { return judge(w, hr, FALSE); }
/* A call on something another thread may have renamed or deleted. */
static HRESULT check_racing(struct worker *w, HRESULT hr) { return judge(w, hr, TRUE); }

/* Keeps object in a free slot, or releases it at once if there is none. */
static void hold_or_release(struct worker *w, IUnknown *object)
{
    int i;
    for (i = 0; i < HELD; i++)
        if (!w->held[i]) {
            w->held[i] = object;
            return;
        }
    object->lpVtbl->Release(object);
}

static IUnknown *any_held(struct worker *w, int *slot)
{
    *slot = (int)(next_random(&w->seed) % HELD);
    return w->held[*slot];
}

static void open_folder(struct worker *w)
{
    struct shared *sh = w->shared;
    ULONG pick = next_random(&w->seed) % (sh->folder_count + 1), type;
    IUnknown *folder = NULL;
    HRESULT hr = pick == sh->folder_count
                     ? w->store->lpVtbl->OpenEntry(w->store, 0, NULL, NULL, 0, &type, &folder)
                     : w->store->lpVtbl->OpenEntry(w->store, sh->folder_ids[pick].cb,
                                                   (LPENTRYID)sh->folder_ids[pick].lpb, NULL, 0, &type, &folder);
    if (SUCCEEDED(check(w, hr))) hold_or_release(w, folder);
}

static void read_held(struct worker *w)
{
    SPropValue *values = NULL;
    ULONG count;
    int slot;
    IUnknown *object = any_held(w, &slot);
    if (!object) return;
    /* Folders, messages and tables are held; folders are read here. */
    if (object->lpVtbl->QueryInterface(object, &IID_IMAPIFolder, (void **)&object) != S_OK) return;
    check_racing(w, ((IMAPIProp *)object)->lpVtbl->GetProps((IMAPIProp *)object, NULL, MAPI_UNICODE, &count, &values));
    mapisim_FreeBuffer(values);
    object->lpVtbl->Release(object);
}

static void release_held(struct worker *w)
{
    int slot;
    IUnknown *object = any_held(w, &slot);
    if (object) object->lpVtbl->Release(object);
    w->held[slot] = NULL;
}

static void query_table(struct worker *w, IMAPITable *table)
{
    SRowSet *rows = NULL;
    check(w, ABI_VTBL(IMAPITable, table)->SeekRow(table, BOOKMARK_BEGINNING, 0, NULL));
    check(w, table->lpVtbl->QueryRows(table, 10, 0, &rows));
    free_rows(rows);
}

/* A table of its own from a held folder (or the root): columns, order, restriction, rows. */
static void own_table(struct worker *w)
{
    static const SizedSPropTagArray(3, columns) = {3, {PR_ENTRYID, PR_DISPLAY_NAME_W, PR_CONTENT_COUNT}};
    static const SizedSSortOrderSet(1, order) = {1, 0, 0, {{PR_DISPLAY_NAME_W, TABLE_SORT_DESCEND}}};
    SRestriction exists = {RES_EXIST, {.resExist = {0, PR_DISPLAY_NAME_W, 0}}};
    IMAPIFolder *folder = NULL;
    IMAPITable *table = NULL;
    ULONG type;
    int slot;
    IUnknown *object = any_held(w, &slot);
    HRESULT hr;
    if (!object || object->lpVtbl->QueryInterface(object, &IID_IMAPIFolder, (void **)&folder) != S_OK) {
        if (FAILED(check(w, w->store->lpVtbl->OpenEntry(w->store, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&folder))))
            return;
    }
    hr = next_random(&w->seed) & 1 ? folder->lpVtbl->GetHierarchyTable(folder, CONVENIENT_DEPTH, &table)
                                    : folder->lpVtbl->GetContentsTable(folder, 0, &table);
    folder->lpVtbl->Release(folder);
    if (FAILED(check_racing(w, hr))) return;
    check(w, table->lpVtbl->SetColumns(table, (LPSPropTagArray)&columns, 0));
    check(w, table->lpVtbl->SortTable(table, (LPSSortOrderSet)&order, 0));
    check(w, table->lpVtbl->Restrict(table, &exists, 0));
    query_table(w, table);
    hold_or_release(w, (IUnknown *)table);
}

static void advise_and_unadvise(struct worker *w, BOOL on_table)
{
    IMAPIAdviseSink *sink = &w->shared->sink.IMAPIAdviseSink_iface;
    ULONG_PTR connection = 0;
    HRESULT hr;
    if (on_table) {
        hr = check(w, ABI_VTBL(IMAPITable, w->table)->Advise(w->table, fnevTableModified, sink, &connection));
        if (SUCCEEDED(hr)) check(w, ABI_VTBL(IMAPITable, w->table)->Unadvise(w->table, connection));
    } else {
        hr = check(w, ABI_VTBL(IMsgStore, w->store)->Advise(w->store, 0, NULL, fnevNewMail, sink, &connection));
        if (SUCCEEDED(hr)) check(w, ABI_VTBL(IMsgStore, w->store)->Unadvise(w->store, connection));
    }
}

/* ---- writers ---- */

static void pool_name(struct worker *w, char *name, size_t size)
{
    snprintf(name, size, "Shared %lu", (unsigned long)(next_random(&w->seed) % NAME_POOL));
}

static IMAPIFolder *writable_root(struct worker *w)
{
    IMAPIFolder *root = NULL;
    ULONG type;
    if (FAILED(check(w, w->store->lpVtbl->OpenEntry(w->store, 0, NULL, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&root))))
        return NULL;
    return root;
}

/* A folder of the pool under the root, held (writable) when it was made. */
static void create_shared_folder(struct worker *w)
{
    IMAPIFolder *root = writable_root(w), *folder = NULL;
    char name[32];
    if (!root) return;
    pool_name(w, name, sizeof(name));
    if (SUCCEEDED(check_racing(w, root->lpVtbl->CreateFolder(root, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL, 0,
                                                             &folder))))
        hold_or_release(w, (IUnknown *)folder);
    root->lpVtbl->Release(root);
}

/* A held folder renamed to a name of the pool (a layout folder opened for reading refuses). */
static void rename_held_folder(struct worker *w)
{
    IMAPIFolder *folder = NULL;
    SPropValue name = {PR_DISPLAY_NAME_A, 0, {.lpszA = NULL}};
    char text[32];
    int slot;
    IUnknown *object = any_held(w, &slot);
    if (!object || object->lpVtbl->QueryInterface(object, &IID_IMAPIFolder, (void **)&folder) != S_OK) return;
    pool_name(w, text, sizeof(text));
    name.Value.lpszA = text;
    check_racing(w, folder->lpVtbl->SetProps(folder, 1, &name, NULL));
    folder->lpVtbl->Release(folder);
}

/* A held folder deleted from the root with everything in it. */
static void delete_held_folder(struct worker *w)
{
    SizedSPropTagArray(1, id_tag) = {1, {PR_ENTRYID}};
    IMAPIFolder *folder = NULL, *root;
    SPropValue *id = NULL;
    ULONG count;
    int slot;
    IUnknown *object = any_held(w, &slot);
    if (!object || object->lpVtbl->QueryInterface(object, &IID_IMAPIFolder, (void **)&folder) != S_OK) return;
    if (SUCCEEDED(check_racing(w, folder->lpVtbl->GetProps(folder, (LPSPropTagArray)&id_tag, 0, &count, &id))) &&
        id->ulPropTag == PR_ENTRYID && (root = writable_root(w))) {
        check_racing(w, ABI_VTBL(IMAPIFolder, root)->DeleteFolder(root, id->Value.bin.cb, (LPENTRYID)id->Value.bin.lpb,
                                                                  0, NULL, DEL_FOLDERS | DEL_MESSAGES));
        root->lpVtbl->Release(root);
    }
    mapisim_FreeBuffer(id);
    folder->lpVtbl->Release(folder);
}

/* A held folder's IMAPIFolder reference (the caller releases it), or NULL when the slot holds none. */
static IMAPIFolder *held_folder(struct worker *w)
{
    IMAPIFolder *folder = NULL;
    int slot;
    IUnknown *object = any_held(w, &slot);
    if (!object || object->lpVtbl->QueryInterface(object, &IID_IMAPIFolder, (void **)&folder) != S_OK) return NULL;
    return folder;
}

/* A message saved in a held folder (one opened for reading refuses), held to be changed later. */
static void save_message_in_held_folder(struct worker *w)
{
    SPropValue subject = {PR_SUBJECT_A, 0, {.lpszA = (char *)"From a worker"}};
    IMAPIFolder *folder = held_folder(w);
    IMessage *message = NULL;
    if (!folder) return;
    if (SUCCEEDED(check_racing(w, folder->lpVtbl->CreateMessage(folder, NULL, 0, &message)))) {
        check_racing(w, message->lpVtbl->SetProps(message, 1, &subject, NULL));
        if (SUCCEEDED(check_racing(w, message->lpVtbl->SaveChanges(message, KEEP_OPEN_READWRITE))))
            hold_or_release(w, (IUnknown *)message);
        else
            message->lpVtbl->Release(message);
    }
    folder->lpVtbl->Release(folder);
}

/*
 * A held message changed and saved again, and marked read (its folder may be
 * gone meanwhile): given an attachment first, or one of its attachments
 * deleted, each time the other.
 */
static void change_held_message(struct worker *w)
{
    SPropValue importance = {PR_IMPORTANCE, 0, {.l = IMPORTANCE_HIGH}};
    SPropValue name = {PR_ATTACH_FILENAME_A, 0, {.lpszA = (char *)"worker.txt"}};
    IMessage *message = NULL;
    IAttach *attach = NULL;
    ULONG num = 0;
    int slot;
    IUnknown *object = any_held(w, &slot);
    if (!object || object->lpVtbl->QueryInterface(object, &IID_IMessage, (void **)&message) != S_OK) return;
    check_racing(w, message->lpVtbl->SetProps(message, 1, &importance, NULL));
    if (next_random(&w->seed) % 2) {
        if (SUCCEEDED(check_racing(w, message->lpVtbl->CreateAttach(message, NULL, 0, &num, &attach)))) {
            check_racing(w, attach->lpVtbl->SetProps(attach, 1, &name, NULL));
            check_racing(w, attach->lpVtbl->SaveChanges(attach, 0));
            attach->lpVtbl->Release(attach);
        }
    } else { /* attachment 0 may never have been made, or be gone: MAPI_E_NOT_FOUND */
        check_racing(w, ABI_VTBL(IMessage, message)->DeleteAttach(message, 0, 0, NULL, 0));
    }
    check_racing(w, message->lpVtbl->SaveChanges(message, KEEP_OPEN_READWRITE));
    check_racing(w, message->lpVtbl->SetReadFlag(message, 0));
    message->lpVtbl->Release(message);
}

/* A held folder's messages marked unread, or emptied. */
static void clear_held_folder(struct worker *w)
{
    IMAPIFolder *folder = held_folder(w);
    if (!folder) return;
    if (next_random(&w->seed) % 2)
        check_racing(w, ABI_VTBL(IMAPIFolder, folder)->SetReadFlags(folder, NULL, 0, NULL, CLEAR_READ_FLAG));
    else
        check_racing(w, ABI_VTBL(IMAPIFolder, folder)->EmptyFolder(folder, 0, NULL, 0));
    folder->lpVtbl->Release(folder);
}

/* MAPI's session logoff, made by a worker: take the IMSLogon from the support object, Logoff, Release. */
static void session_logoff_from_worker(struct worker *w)
{
    IMSLogon *logon = mapisim_support_take_logon(&w->shared->session->support);
    ULONG zero = 0;
    if (!logon) return; /* the store's final Release already ended it through MAPI */
    check(w, logon->lpVtbl->Logoff(logon, &zero));
    if (logon->lpVtbl->Release(logon) != 0) check(w, E_UNEXPECTED);
    InterlockedIncrement(&w->shared->logoffs);
}

static void one_call(struct worker *w)
{
    struct shared *sh = w->shared;
    SPropValue *values = NULL;
    ULONG count, same, flags = LOGOFF_NO_WAIT;
    switch (next_random(&w->seed) % 16) {
    case 0: open_folder(w); break;
    case 1: release_held(w); break;
    case 2:
        check(w, w->store->lpVtbl->GetProps(w->store, NULL, MAPI_UNICODE, &count, &values));
        mapisim_FreeBuffer(values);
        break;
    case 3: read_held(w); break;
    case 4: query_table(w, w->table); break;
    case 5: own_table(w); break;
    case 6: advise_and_unadvise(w, FALSE); break;
    case 7: advise_and_unadvise(w, TRUE); break;
    case 8:
        check(w, w->store->lpVtbl->CompareEntryIDs(w->store, sh->cb_store_id, (LPENTRYID)sh->store_id,
                                                   sh->cb_store_id, (LPENTRYID)sh->store_id, 0, &same));
        break;
    case 9: check(w, w->store->lpVtbl->StoreLogoff(w->store, &flags)); break;
    case 10: create_shared_folder(w); break;
    case 11: rename_held_folder(w); break;
    case 12: save_message_in_held_folder(w); break;
    case 13: change_held_message(w); break;
    case 14: clear_held_folder(w); break;
    default: delete_held_folder(w); break;
    }
}

static DWORD WINAPI worker_main(void *context)
{
    struct worker *w = context;
    LONG i;
    int h;
    for (i = 0; i < ITERATIONS && i < w->release_store_at; i++) {
        if (i == w->logoff_at) session_logoff_from_worker(w);
        one_call(w);
        InterlockedIncrement(&w->shared->iterations_done);
    }
    for (h = 0; h < HELD; h++)
        if (w->held[h]) w->held[h]->lpVtbl->Release(w->held[h]);
    w->table->lpVtbl->Release(w->table);
    w->store->lpVtbl->Release(w->store); /* maybe the last reference: ends the logon through MAPI */
    return 0;
}

/* What the workers share: the root's hierarchy table and the folders' entry IDs from it. */
static void prepare(struct shared *sh, struct mapisim_session *s)
{
    SizedSPropTagArray(1, id_column) = {1, {PR_ENTRYID}};
    IMAPIFolder *root = NULL;
    SRowSet *rows = NULL;
    ULONG type, i;
    memset(sh, 0, sizeof(*sh));
    sh->session = s;
    test_sink_init(&sh->sink);
    sh->cb_store_id = unwrapped_store_entryid(s->store, sh->store_id, sizeof(sh->store_id));
    assert_int_equal(s->store->lpVtbl->OpenEntry(s->store, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&root), S_OK);
    assert_int_equal(root->lpVtbl->GetHierarchyTable(root, CONVENIENT_DEPTH, &sh->table), S_OK);
    root->lpVtbl->Release(root);
    assert_int_equal(sh->table->lpVtbl->SetColumns(sh->table, (LPSPropTagArray)&id_column, 0), S_OK);
    assert_int_equal(sh->table->lpVtbl->QueryRows(sh->table, MAX_FOLDERS, 0, &rows), S_OK);
    assert_true(rows->cRows >= 4);
    for (i = 0; i < rows->cRows; i++) {
        sh->folder_ids[i].cb = rows->aRow[i].lpProps[0].Value.bin.cb;
        sh->folder_ids[i].lpb = malloc(sh->folder_ids[i].cb);
        memcpy(sh->folder_ids[i].lpb, rows->aRow[i].lpProps[0].Value.bin.lpb, sh->folder_ids[i].cb);
    }
    sh->folder_count = rows->cRows;
    free_rows(rows);
}

struct tally {
    LONG ok, invalid, race;
};

static void report_problem(void *context, const char *problem)
{
    ULONG *round = context;
    print_error("round %lu: verify: %s\n", (unsigned long)*round, problem);
}

/* The store file, once every thread let go: SQLite's integrity check and the model's invariants. */
static void verify_store(struct mapisim_session *s, ULONG round)
{
    struct storage *st = NULL;
    ULONG problems = 0;
    assert_int_equal(storage_open(s->support.scratch_store, STORAGE_OPEN_READ_ONLY, NULL, &st), STORAGE_OK);
    assert_int_equal(storage_verify(st, report_problem, &round, &problems), STORAGE_OK);
    storage_close(st);
    if (problems) fail_msg("round %lu: the store file has %lu problem(s)", (unsigned long)round, (unsigned long)problems);
}

/*
 * One round: WORKERS threads on one store; one of them logs the session off
 * at a random iteration. With workers_hold_last_reference, the client's own
 * store reference goes first and each worker drops its own at a random point.
 */
static void run_round(ULONG round, BOOL workers_hold_last_reference, struct tally *tally)
{
    struct mapisim_session s;
    struct shared sh;
    struct worker workers[WORKERS];
    HANDLE threads[WORKERS];
    ULONG seed = 0x9e3779b9u * (round + 1), i;
    ULONG logoff_worker = next_random(&seed) % WORKERS;

    session_start(&s);
    prepare(&sh, &s);
    memset(workers, 0, sizeof(workers));
    for (i = 0; i < WORKERS; i++) {
        struct worker *w = &workers[i];
        w->shared = &sh;
        w->store = s.store;
        s.store->lpVtbl->AddRef(s.store);
        w->table = sh.table;
        sh.table->lpVtbl->AddRef(sh.table);
        w->seed = seed + i * 7919u;
        w->release_store_at = workers_hold_last_reference ? (LONG)(next_random(&seed) % ITERATIONS) : ITERATIONS;
        w->logoff_at = i == logoff_worker ? (LONG)(next_random(&seed) % ITERATIONS) : -1;
    }
    sh.table->lpVtbl->Release(sh.table); /* the workers hold it now */
    if (workers_hold_last_reference) {
        s.store->lpVtbl->Release(s.store);
        s.store = NULL;
    }
    for (i = 0; i < WORKERS; i++) threads[i] = CreateThread(NULL, 0, worker_main, &workers[i], 0, NULL);
    if (WaitForMultipleObjects(WORKERS, threads, TRUE, WATCHDOG_MS) != WAIT_OBJECT_0)
        fail_msg("round %lu: the workers did not finish within %d ms (deadlock?)", (unsigned long)round, WATCHDOG_MS);
    for (i = 0; i < WORKERS; i++) CloseHandle(threads[i]);

    if (sh.unexpected)
        fail_msg("round %lu: %ld unexpected results, first 0x%08lx", (unsigned long)round, (long)sh.unexpected,
                 (unsigned long)sh.first_unexpected);
    /* The logon ended once: by the chosen worker's session logoff, or by MAPI at the store's final Release. */
    assert_true(sh.logoffs <= 1);
    assert_null(s.support.logon);
    assert_int_equal(sh.sink.refs, 1);
    verify_store(&s, round);
    session_finish(&s);
    for (i = 0; i < sh.folder_count; i++) free(sh.folder_ids[i].lpb);
    tally->ok += sh.answered_ok;
    tally->invalid += sh.answered_invalid;
    tally->race += sh.answered_race;
}

static void print_tally(const char *what, const struct tally *t)
{
    printf("threads: %d rounds x %d threads x %s: %ld calls answered S_OK, %ld MAPI_E_INVALID_OBJECT, %ld the "
           "answer a writers' race calls for (collision, deleted, not found, read-only), none anything else; "
           "the store file sound after every round\n",
           ROUNDS, WORKERS, what, (long)t->ok, (long)t->invalid, (long)t->race);
}

static void session_logoff_racing_eight_threads_is_safe(void **state)
{
    struct tally tally = {0, 0, 0};
    ULONG round;
    (void)state;
    for (round = 0; round < ROUNDS; round++) run_round(round, FALSE, &tally);
    print_tally("400 iterations, session logoff by one thread at a random point", &tally);
}

static void session_logoff_racing_the_final_store_release_is_safe(void **state)
{
    struct tally tally = {0, 0, 0};
    ULONG round;
    (void)state;
    for (round = 0; round < ROUNDS; round++) run_round(round + ROUNDS, TRUE, &tally);
    print_tally("up to 400 iterations, each thread dropping the store at a random point", &tally);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(session_logoff_racing_eight_threads_is_safe),
        cmocka_unit_test(session_logoff_racing_the_final_store_release_is_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
