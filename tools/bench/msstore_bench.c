/*
 * msstore-bench: what msstore costs Outlook at start (Logon, the folder-pane
 * walk), while it works (a folder created and deleted) and at exit
 * (teardown), measured against a floor, through the real DLL loaded with
 * LoadLibrary and mapisim's MAPI side, on one store file made at the start.
 *
 * Times come from QueryPerformanceCounter: each scenario runs a warm-up, then
 * REPETITIONS timed repetitions of a fixed number of iterations; the report
 * gives the median and the range. Bytes come from mapisim's allocator, which
 * sees every byte msstore allocates. The targets are judged here and printed
 * as PASS/FAIL lines; they are not unit tests.
 */
#include "bench_floor.h"
#include "mapisim.h"

#include "msg/msg_mapi.h"
#include "msg/msg_ole.h"
#include "storage/storage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPETITIONS 7
#define MAX_RECORDED_CALLS 64

struct options {
    const char *dll;
    BOOL json;
    BOOL quick; /* a short run, for checking the benchmark works: small counts, one repetition */
    const char *msg_samples; /* a folder of real .msg files to import and export, or NULL */
    char **reader; /* STORE FOLDER MILLISECONDS: this process is the table reader of scenario 8 */
};

struct bench {
    const struct options *options;
    MSPROVIDERINIT *init;
    int repetitions;
    WCHAR store[MAX_PATH]; /* the store file every session opens */
    /* What one session cycle asks of MAPI, recorded to replay as the floor. */
    enum mapisim_method support_calls[MAX_RECORDED_CALLS];
    int support_call_count;
    LONG section_calls[MAPISIM_PROP_METHOD_COUNT];
    LONG buffer_allocations, more_allocations;
};

/* ---- time ---- */

static double now_us(void)
{
    static LARGE_INTEGER frequency;
    LARGE_INTEGER counter;
    if (!frequency.QuadPart) QueryPerformanceFrequency(&frequency);
    QueryPerformanceCounter(&counter);
    return (double)counter.QuadPart * 1e6 / (double)frequency.QuadPart;
}

struct timing {
    double median, low, high; /* per iteration, in the unit measured */
};

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static struct timing summarize(double *samples, int count)
{
    struct timing t;
    qsort(samples, (size_t)count, sizeof(double), compare_doubles);
    t.median = samples[count / 2];
    t.low = samples[0];
    t.high = samples[count - 1];
    return t;
}

/* Runs body(context) iterations times per repetition after a warm-up: microseconds per iteration. */
static struct timing measure(struct bench *b, void (*body)(struct bench *, void *), void *context, int iterations)
{
    double samples[REPETITIONS];
    int r, i;
    for (i = 0; i < iterations / 10 + 1; i++) body(b, context); /* warm-up */
    for (r = 0; r < b->repetitions; r++) {
        double start = now_us();
        for (i = 0; i < iterations; i++) body(b, context);
        samples[r] = (now_us() - start) / iterations;
    }
    return summarize(samples, b->repetitions);
}

static struct timing scaled(struct timing t, double factor)
{
    t.median *= factor;
    t.low *= factor;
    t.high *= factor;
    return t;
}

static struct timing in_nanoseconds(struct timing microseconds) { return scaled(microseconds, 1000.0); }

static LONG64 live_bytes(void)
{
    struct mapisim_alloc_stats stats;
    mapisim_alloc_stats(&stats);
    return stats.live_bytes;
}

/* ---- a logged-on store ---- */

static const SizedSPropTagArray(8, required_store_props) = {
    8, {PR_DISPLAY_NAME_W, PR_ENTRYID, PR_OBJECT_TYPE, PR_RECORD_KEY, PR_STORE_ENTRYID, PR_STORE_RECORD_KEY,
        PR_MDB_PROVIDER, PR_STORE_SUPPORT_MASK}};

/* The bench's store file turned to a new scratch one; the main one's path kept in main_store. */
static void use_scratch_store(struct bench *b, WCHAR main_store[MAX_PATH])
{
    memcpy(main_store, b->store, MAX_PATH * sizeof(WCHAR));
    mapisim_scratch_store_path(b->store);
}

/* The scratch store removed, and the bench's store file the main one again. */
static void back_to_main_store(struct bench *b, const WCHAR main_store[MAX_PATH])
{
    mapisim_remove_store(b->store);
    memcpy(b->store, main_store, MAX_PATH * sizeof(WCHAR));
}

/* A session on the bench's store file, as Outlook opens it at start (the file exists after the first). */
static void start(struct bench *b, struct mapisim_session *s)
{
    if (FAILED(mapisim_session_init(s, b->init))) exit(2);
    mapisim_support_use_store(&s->support, b->store);
    if (FAILED(mapisim_session_logon(s, MDB_WRITE, "bench"))) {
        fprintf(stderr, "msstore-bench: the provider does not log on\n");
        exit(2);
    }
}

/* MAPI's end of the session: StoreLogoff, the store's Release, Shutdown, the provider's Release. */
static void finish(struct mapisim_session *s)
{
    ULONG flags = LOGOFF_NO_WAIT, zero = 0;
    if (s->store) {
        s->store->lpVtbl->StoreLogoff(s->store, &flags);
        s->store->lpVtbl->Release(s->store);
    }
    s->provider->lpVtbl->Shutdown(s->provider, &zero);
    s->provider->lpVtbl->Release(s->provider);
    mapisim_support_cleanup(&s->support);
}

static void get_store_props(IMsgStore *store)
{
    SPropValue *values = NULL;
    ULONG count = 0;
    store->lpVtbl->GetProps(store, (LPSPropTagArray)&required_store_props, MAPI_UNICODE, &count, &values);
    mapisim_FreeBuffer(values);
}

/* ---- 1. the session cycle, and its floor ---- */

static void session_cycle(struct bench *b, void *context)
{
    struct mapisim_session s;
    (void)context;
    start(b, &s);
    get_store_props(s.store);
    finish(&s);
}

static void record_call(struct mapisim_support *support, enum mapisim_method method)
{
    struct bench *b = support->hook_context;
    if (b->support_call_count < MAX_RECORDED_CALLS) b->support_calls[b->support_call_count++] = method;
}

/* One cycle, recording every MAPI call and allocation it makes. */
static void record_cycle(struct bench *b)
{
    struct mapisim_alloc_stats before, after;
    struct mapisim_session s;
    int m;
    mapisim_alloc_stats(&before);
    if (FAILED(mapisim_session_init(&s, b->init))) exit(2);
    s.support.hook = record_call;
    s.support.hook_context = b;
    mapisim_support_use_store(&s.support, b->store);
    if (FAILED(mapisim_session_logon(&s, MDB_WRITE, "bench"))) exit(2);
    get_store_props(s.store);
    for (m = 0; m < MAPISIM_PROP_METHOD_COUNT; m++) b->section_calls[m] = s.support.profile.calls[m];
    finish(&s);
    mapisim_alloc_stats(&after);
    b->buffer_allocations = after.buffer_calls - before.buffer_calls;
    b->more_allocations = (after.calls - after.buffer_calls) - (before.calls - before.buffer_calls);
}

/* The support call a do-nothing provider would make in msstore's place. */
static void replay_support_call(IMAPISupport *support, enum mapisim_method method, IProfSect **section)
{
    const IMAPISupportAbiVtbl *v = ABI_VTBL(IMAPISupport, support);
    MAPIUID uid;
    BYTE entryid[30] = {0};
    ENTRYID *wrapped = NULL;
    ULONG cb = 0, flags = LOGOFF_NO_WAIT;
    SPropValue column = {PR_STATUS_CODE, 0, {.l = STATUS_AVAILABLE}};
    switch (method) {
    case MAPISIM_OpenProfileSection: v->OpenProfileSection(support, NULL, MAPI_MODIFY, section); break;
    case MAPISIM_NewUID: v->NewUID(support, &uid); break;
    case MAPISIM_WrapStoreEntryID:
        v->WrapStoreEntryID(support, sizeof(entryid), (LPENTRYID)entryid, &cb, &wrapped);
        mapisim_FreeBuffer(wrapped);
        break;
    case MAPISIM_ModifyProfile: v->ModifyProfile(support, 0); break;
    case MAPISIM_ModifyStatusRow: v->ModifyStatusRow(support, 1, &column, 0); break;
    case MAPISIM_SetProviderUID: v->NewUID(support, &uid), v->SetProviderUID(support, &uid, 0); break;
    case MAPISIM_StoreLogoffTransports: v->StoreLogoffTransports(support, &flags); break;
    default: v->GetLastError(support, S_OK, 0, NULL); break; /* a call, at least */
    }
}

/* The profile-section calls, as many of each as msstore made. */
static void replay_section_calls(const struct bench *b, IProfSect *section)
{
    SizedSPropTagArray(2, tags) = {2, {PR_DISPLAY_NAME_W, PR_RECORD_KEY}};
    SPropValue value = {PR_DISPLAY_NAME_W, 0, {.lpszW = (WCHAR *)L"floor"}}, *values;
    ULONG count;
    LONG i;
    for (i = 0; i < b->section_calls[MAPISIM_PROP_GetProps]; i++) {
        values = NULL;
        section->lpVtbl->GetProps(section, (LPSPropTagArray)&tags, MAPI_UNICODE, &count, &values);
        mapisim_FreeBuffer(values);
    }
    for (i = 0; i < b->section_calls[MAPISIM_PROP_SetProps]; i++) section->lpVtbl->SetProps(section, 1, &value, NULL);
    for (i = 0; i < b->section_calls[MAPISIM_PROP_SaveChanges]; i++) section->lpVtbl->SaveChanges(section, 0);
}

/* The same allocations, as many buffers and as many linked blocks, then freed. */
static void replay_allocations(const struct bench *b)
{
    void *buffers[256], *more;
    LONG n = b->buffer_allocations < 256 ? b->buffer_allocations : 256, i;
    for (i = 0; i < n; i++) mapisim_AllocateBuffer(64, &buffers[i]);
    for (i = 0; n && i < b->more_allocations; i++) mapisim_AllocateMore(32, buffers[i % n], &more);
    for (i = 0; i < n; i++) mapisim_FreeBuffer(buffers[i]);
}

/*
 * The floor: what a provider that talks to MAPI as msstore does, and opens
 * its store file and reads the store's identity from it, would cost.
 */
static void floor_cycle(struct bench *b, void *context)
{
    struct mapisim_support support;
    struct storage *st = NULL;
    IProfSect *section = NULL;
    BYTE uid[16];
    int i;
    (void)context;
    mapisim_support_init(&support);
    if (storage_open(b->store, STORAGE_OPEN_WRITE, NULL, &st) == STORAGE_OK) storage_identity_get(st, uid);
    storage_close(st);
    for (i = 0; i < b->support_call_count; i++)
        replay_support_call(&support.IMAPISupport_iface, b->support_calls[i], &section);
    if (section) {
        replay_section_calls(b, section);
        section->lpVtbl->Release(section);
    }
    support.IMAPISupport_iface.lpVtbl->AddRef(&support.IMAPISupport_iface); /* the provider's reference */
    support.IMAPISupport_iface.lpVtbl->Release(&support.IMAPISupport_iface);
    replay_allocations(b);
    mapisim_support_cleanup(&support);
}

/* ---- 2. teardown with N open folders ---- */

struct teardown {
    ULONG folders;
    double microseconds; /* the last Logoff's */
    LONG64 bytes_per_folder;
};

/* N folders opened and held, then MAPI's session Logoff: only the Logoff is timed. */
static void teardown_with_open_folders(struct bench *b, void *context)
{
    struct teardown *t = context;
    struct mapisim_session s;
    IUnknown **held = HeapAlloc(GetProcessHeap(), 0, (t->folders + 1) * sizeof(IUnknown *));
    ULONG i, type, left;
    LONG64 before;
    double started;
    start(b, &s);
    before = live_bytes();
    for (i = 0; i < t->folders; i++) s.store->lpVtbl->OpenEntry(s.store, 0, NULL, NULL, 0, &type, &held[i]);
    t->bytes_per_folder = t->folders ? (live_bytes() - before) / (LONG64)t->folders : 0;
    started = now_us();
    mapisim_session_logoff(&s, &left);
    t->microseconds = now_us() - started;
    for (i = 0; i < t->folders; i++) held[i]->lpVtbl->Release(held[i]);
    HeapFree(GetProcessHeap(), 0, held);
    finish(&s);
}

static struct timing measure_teardown(struct bench *b, struct teardown *t)
{
    double samples[REPETITIONS];
    int r;
    teardown_with_open_folders(b, t); /* warm-up */
    for (r = 0; r < b->repetitions; r++) {
        teardown_with_open_folders(b, t);
        samples[r] = t->microseconds;
    }
    return summarize(samples, b->repetitions);
}

/* ---- 3 and 4. Outlook's opening walk, GetProps, QueryRows ---- */

static void free_rows(SRowSet *rows)
{
    ULONG i;
    for (i = 0; i < rows->cRows; i++) mapisim_FreeBuffer(rows->aRow[i].lpProps);
    mapisim_FreeBuffer(rows);
}

/* Store properties, the IPM subtree, its hierarchy table, and each folder in it opened and read. */
static void opening_walk(struct bench *b, void *context)
{
    SizedSPropTagArray(3, columns) = {3, {PR_ENTRYID, PR_DISPLAY_NAME_W, PR_CONTAINER_CLASS_W}};
    IMsgStore *store = context;
    SPropValue *ipm_id = NULL, *name;
    SizedSPropTagArray(1, ipm_tag) = {1, {PR_IPM_SUBTREE_ENTRYID}};
    IMAPIFolder *ipm = NULL, *folder;
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    ULONG count, type, r;
    (void)b;
    get_store_props(store);
    store->lpVtbl->GetProps(store, (LPSPropTagArray)&ipm_tag, 0, &count, &ipm_id);
    store->lpVtbl->OpenEntry(store, ipm_id->Value.bin.cb, (LPENTRYID)ipm_id->Value.bin.lpb, NULL, 0, &type,
                             (LPUNKNOWN *)&ipm);
    ipm->lpVtbl->GetHierarchyTable(ipm, MAPI_UNICODE, &table);
    table->lpVtbl->SetColumns(table, (LPSPropTagArray)&columns, 0);
    table->lpVtbl->QueryRows(table, 100, 0, &rows);
    for (r = 0; r < rows->cRows; r++) {
        SBinary *id = &rows->aRow[r].lpProps[0].Value.bin;
        store->lpVtbl->OpenEntry(store, id->cb, (LPENTRYID)id->lpb, NULL, 0, &type, (LPUNKNOWN *)&folder);
        name = NULL;
        folder->lpVtbl->GetProps(folder, (LPSPropTagArray)&columns, MAPI_UNICODE, &count, &name);
        mapisim_FreeBuffer(name);
        folder->lpVtbl->Release(folder);
    }
    free_rows(rows);
    table->lpVtbl->Release(table);
    ipm->lpVtbl->Release(ipm);
    mapisim_FreeBuffer(ipm_id);
}

/* A folder made and deleted: two changes, each one committed transaction (D16). */
static void create_and_delete_folder(struct bench *b, void *context)
{
    SizedSPropTagArray(1, id_tag) = {1, {PR_ENTRYID}};
    IMAPIFolder *root = context, *folder = NULL;
    SPropValue *id = NULL;
    ULONG count;
    (void)b;
    if (FAILED(root->lpVtbl->CreateFolder(root, FOLDER_GENERIC, (LPTSTR) "Bench", NULL, NULL, 0, &folder))) exit(2);
    folder->lpVtbl->GetProps(folder, (LPSPropTagArray)&id_tag, 0, &count, &id);
    folder->lpVtbl->Release(folder);
    if (FAILED(ABI_VTBL(IMAPIFolder, root)->DeleteFolder(root, id->Value.bin.cb, (LPENTRYID)id->Value.bin.lpb, 0, NULL, 0)))
        exit(2);
    mapisim_FreeBuffer(id);
}

static void store_getprops(struct bench *b, void *context)
{
    (void)b;
    get_store_props(context);
}

static void hierarchy_queryrows(struct bench *b, void *context)
{
    IMAPITable *table = context;
    SRowSet *rows = NULL;
    (void)b;
    ABI_VTBL(IMAPITable, table)->SeekRow(table, BOOKMARK_BEGINNING, 0, NULL);
    table->lpVtbl->QueryRows(table, 100, 0, &rows);
    free_rows(rows);
}

/* The table's columns: its defaults, as a client that never calls SetColumns gets them. */
static ULONG column_count(IMAPITable *table)
{
    SPropTagArray *columns = NULL;
    ULONG count = 0;
    if (SUCCEEDED(table->lpVtbl->QueryColumns(table, 0, &columns))) count = columns->cValues;
    mapisim_FreeBuffer(columns);
    return count;
}

/* ---- 5. contents tables at scale ---- */

#define SCALES 3
#define SCALE_BASE 1000 /* distinct messages saved through MAPI; the rest are copies of them */
#define FIRST_PAGE 50

/* The columns Outlook's message list asks for. */
static const SizedSPropTagArray(15, outlook_columns) = {
    15, {PR_ENTRYID, PR_INSTANCE_KEY, PR_MESSAGE_CLASS_W, PR_SUBJECT_W, PR_SENT_REPRESENTING_NAME_W,
         PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_SIZE, PR_MESSAGE_FLAGS, PR_IMPORTANCE, PR_HASATTACH, PR_FLAG_STATUS,
         PR_DISPLAY_TO_W, PR_ICON_INDEX, PR_SENSITIVITY, PR_LAST_MODIFICATION_TIME}};
static const SizedSSortOrderSet(1, by_delivery_descending) = {1, 0, 0,
                                                              {{PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND}}};
static const SizedSSortOrderSet(1, by_subject) = {1, 0, 0, {{PR_SUBJECT_W, TABLE_SORT_ASCEND}}};

struct scale_folder {
    ULONG messages;
    IMAPIFolder *folder;
};

/* What a first page costs: the table opened, Outlook's columns, a sort or a restriction, 50 rows read. */
struct first_page {
    IMAPIFolder *folder;
    const SSortOrderSet *sort;
    SRestriction *restriction;
    LONG64 bytes_held; /* by the table, once its first page is read */
};

/* One message of the scale folders: Outlook's columns set, a 4 KB body, every other one read. */
static void save_scale_message(IMAPIFolder *folder, ULONG i, SBinary *entryid_out)
{
    static WCHAR body[4096 / sizeof(WCHAR)];
    WCHAR subject[64], sender[32];
    SPropValue props[10], *id = NULL;
    SizedSPropTagArray(1, id_tag) = {1, {PR_ENTRYID}};
    ULONGLONG when = 133000000000000000ULL + (ULONGLONG)((i * 7919u) % SCALE_BASE) * 36000000000ULL;
    IMessage *message = NULL;
    ULONG n = 0, count, c;
    for (c = 0; c + 1 < ARRAYSIZE(body); c++) body[c] = L"lorem ipsum dolor sit amet "[c % 27];
    swprintf(subject, ARRAYSIZE(subject), L"Quarterly report %lu", (unsigned long)((i * 31u) % SCALE_BASE));
    swprintf(sender, ARRAYSIZE(sender), L"Sender %lu", (unsigned long)(i % 37));
    props[n].ulPropTag = PR_MESSAGE_CLASS_W, props[n++].Value.lpszW = (WCHAR *)L"IPM.Note";
    props[n].ulPropTag = PR_SUBJECT_W, props[n++].Value.lpszW = subject;
    props[n].ulPropTag = PR_SENT_REPRESENTING_NAME_W, props[n++].Value.lpszW = sender;
    props[n].ulPropTag = PR_SENDER_NAME_W, props[n++].Value.lpszW = sender;
    props[n].ulPropTag = PR_MESSAGE_DELIVERY_TIME;
    props[n].Value.ft.dwLowDateTime = (DWORD)when;
    props[n++].Value.ft.dwHighDateTime = (DWORD)(when >> 32);
    props[n].ulPropTag = PR_IMPORTANCE, props[n++].Value.l = IMPORTANCE_NORMAL;
    props[n].ulPropTag = PR_ICON_INDEX, props[n++].Value.l = 0x100;
    props[n].ulPropTag = PR_SENSITIVITY, props[n++].Value.l = 0;
    props[n].ulPropTag = PR_MESSAGE_FLAGS, props[n++].Value.l = i % 2 ? MSGFLAG_READ : 0;
    props[n].ulPropTag = PR_BODY_W, props[n++].Value.lpszW = body;
    if (FAILED(folder->lpVtbl->CreateMessage(folder, NULL, 0, &message)) ||
        FAILED(message->lpVtbl->SetProps(message, n, props, NULL)) || FAILED(message->lpVtbl->SaveChanges(message, 0)) ||
        FAILED(message->lpVtbl->GetProps(message, (LPSPropTagArray)&id_tag, 0, &count, &id)) ||
        id->ulPropTag != PR_ENTRYID) {
        fprintf(stderr, "msstore-bench: a scale message does not save\n");
        exit(2);
    }
    entryid_out->cb = id->Value.bin.cb;
    entryid_out->lpb = HeapAlloc(GetProcessHeap(), 0, id->Value.bin.cb);
    memcpy(entryid_out->lpb, id->Value.bin.lpb, id->Value.bin.cb);
    mapisim_FreeBuffer(id);
    message->lpVtbl->Release(message);
}

/*
 * A folder of f->messages messages: up to SCALE_BASE saved one by one, then
 * copied beside themselves with CopyMessages (one transaction per copy)
 * until the count is reached. Setting up, not measured.
 */
static void fill_scale_folder(IMAPIFolder *root, struct scale_folder *f)
{
    char name[32];
    ULONG base = f->messages < SCALE_BASE ? f->messages : SCALE_BASE, i, have;
    SBinary *ids = HeapAlloc(GetProcessHeap(), 0, base * sizeof(SBinary));
    ENTRYLIST list = {0, ids};
    snprintf(name, sizeof(name), "Scale %lu", (unsigned long)f->messages);
    if (FAILED(root->lpVtbl->CreateFolder(root, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL, 0, &f->folder))) exit(2);
    for (i = 0; i < base; i++) save_scale_message(f->folder, i, &ids[i]);
    for (have = base; have < f->messages; have += list.cValues) {
        list.cValues = f->messages - have < base ? f->messages - have : base;
        if (FAILED(ABI_VTBL(IMAPIFolder, f->folder)->CopyMessages(f->folder, &list, NULL, f->folder, 0, NULL, 0))) {
            fprintf(stderr, "msstore-bench: the scale folder's messages do not copy\n");
            exit(2);
        }
    }
    for (i = 0; i < base; i++) HeapFree(GetProcessHeap(), 0, ids[i].lpb);
    HeapFree(GetProcessHeap(), 0, ids);
}

static void first_page(struct bench *b, void *context)
{
    struct first_page *p = context;
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    LONG64 before = live_bytes();
    (void)b;
    if (FAILED(p->folder->lpVtbl->GetContentsTable(p->folder, MAPI_UNICODE, &table)) ||
        FAILED(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&outlook_columns, 0)) ||
        (p->sort && FAILED(table->lpVtbl->SortTable(table, (LPSSortOrderSet)p->sort, 0))) ||
        (p->restriction && FAILED(table->lpVtbl->Restrict(table, p->restriction, 0))) ||
        FAILED(table->lpVtbl->QueryRows(table, FIRST_PAGE, 0, &rows)) ||
        (rows->cRows != FIRST_PAGE && !(p->restriction && rows->cRows))) { /* a small folder may have fewer that pass */
        fprintf(stderr, "msstore-bench: a contents table does not give its first page\n");
        exit(2);
    }
    free_rows(rows);
    p->bytes_held = live_bytes() - before;
    table->lpVtbl->Release(table);
}

/* ---- the report ---- */

struct report {
    const struct options *options;
    BOOL first_metric;
};


static void metric(struct report *r, const char *name, const char *unit, struct timing t)
{
    if (r->options->json)
        printf("%s\n  {\"name\": \"%s\", \"unit\": \"%s\", \"median\": %.3f, \"low\": %.3f, \"high\": %.3f}",
               r->first_metric ? "" : ",", name, unit, t.median, t.low, t.high);
    else
        printf("%-44s %12.2f %-6s (%.2f .. %.2f)\n", name, t.median, unit, t.low, t.high);
    r->first_metric = FALSE;
}

static void amount(struct report *r, const char *name, const char *unit, double value)
{
    struct timing t = {value, value, value};
    metric(r, name, unit, t);
}

/* A line that is no figure (a scenario skipped); under --json on stderr, so that stdout stays JSON. */
static void note(const struct report *r, const char *text)
{
    if (r->options->json) fprintf(stderr, "msstore-bench: %s\n", text);
    else printf("%s\n", text);
}

enum verdict { FAIL, PASS, NOT_JUDGED };

struct target {
    const char *text;
    enum verdict verdict;
    char detail[96];
};

/* A timing target is judged on full runs only: a quick run's counts are too small to time. */
static enum verdict timing_verdict(const struct options *options, BOOL met)
{
    return options->quick ? NOT_JUDGED : met ? PASS : FAIL;
}

/* ---- bulk changes ---- */

#define BULK_COUNT 1000

/* The entry IDs of count messages of a folder, from its first (from_end: its last) in the order first saved. */
static void list_entry_ids(IMAPIFolder *folder, ULONG count, BOOL from_end, ENTRYLIST *out)
{
    SizedSPropTagArray(1, id_tag) = {1, {PR_ENTRYID}};
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    ULONG i;
    if (FAILED(folder->lpVtbl->GetContentsTable(folder, 0, &table)) ||
        FAILED(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&id_tag, 0)) ||
        FAILED(ABI_VTBL(IMAPITable, table)->SeekRow(table, from_end ? BOOKMARK_END : BOOKMARK_BEGINNING,
                                                     from_end ? -(LONG)count : 0, NULL)) ||
        FAILED(table->lpVtbl->QueryRows(table, (LONG)count, 0, &rows)) || rows->cRows != count) {
        fprintf(stderr, "msstore-bench: a folder does not list its messages\n");
        exit(2);
    }
    out->cValues = count;
    out->lpbin = HeapAlloc(GetProcessHeap(), 0, count * sizeof(SBinary));
    for (i = 0; i < count; i++) {
        const SBinary *id = &rows->aRow[i].lpProps[0].Value.bin;
        out->lpbin[i].cb = id->cb;
        out->lpbin[i].lpb = HeapAlloc(GetProcessHeap(), 0, id->cb);
        memcpy(out->lpbin[i].lpb, id->lpb, id->cb);
    }
    free_rows(rows);
    table->lpVtbl->Release(table);
}

static void free_entry_ids(ENTRYLIST *list)
{
    ULONG i;
    for (i = 0; i < list->cValues; i++) HeapFree(GetProcessHeap(), 0, list->lpbin[i].lpb);
    HeapFree(GetProcessHeap(), 0, list->lpbin);
}

/*
 * One folder's bulk changes: messages moved to `away` and back, read flags set and cleared; and
 * their floors, the same changes made by msstore's storage calls on a connection of their own.
 */
struct bulk {
    IMAPIFolder *folder, *away;
    ENTRYLIST list;
    BOOL there, read; /* where the listed messages are now; whether they were last marked read */
    struct storage *floor;
    LONGLONG folder_id, away_id, *ids; /* the folders' object ids, and the listed messages' (object_ids) */
};

/* The object ids in the entry IDs of a list, as the floors name messages (HeapFree them). */
static LONGLONG *object_ids(const ENTRYLIST *list)
{
    LONGLONG *ids = HeapAlloc(GetProcessHeap(), 0, (list->cValues + 1) * sizeof(*ids));
    ULONG i;
    for (i = 0; i < list->cValues; i++) ids[i] = floor_object_id(&list->lpbin[i]);
    return ids;
}

static LONGLONG folder_object_id(IMAPIFolder *folder)
{
    SizedSPropTagArray(1, id_tag) = {1, {PR_ENTRYID}};
    SPropValue *id = NULL;
    ULONG count;
    LONGLONG object_id;
    if (FAILED(folder->lpVtbl->GetProps(folder, (LPSPropTagArray)&id_tag, 0, &count, &id)) ||
        id->ulPropTag != PR_ENTRYID)
        exit(2);
    object_id = floor_object_id(&id->Value.bin);
    mapisim_FreeBuffer(id);
    return object_id;
}

static void bulk_move(struct bench *b, void *context)
{
    struct bulk *k = context;
    IMAPIFolder *from = k->there ? k->away : k->folder, *to = k->there ? k->folder : k->away;
    (void)b;
    if (FAILED(ABI_VTBL(IMAPIFolder, from)->CopyMessages(from, &k->list, NULL, to, 0, NULL, MESSAGE_MOVE))) {
        fprintf(stderr, "msstore-bench: messages do not move\n");
        exit(2);
    }
    k->there = !k->there;
}

/* bulk_move's floor. */
static void floor_bulk_move(struct bench *b, void *context)
{
    struct bulk *k = context;
    (void)b;
    if (floor_move(k->floor, k->there ? k->away_id : k->folder_id, k->there ? k->folder_id : k->away_id, k->ids,
                   k->list.cValues) != STORAGE_OK) {
        fprintf(stderr, "msstore-bench: the floor's messages do not move\n");
        exit(2);
    }
    k->there = !k->there;
}

static void bulk_read_flags(struct bench *b, void *context)
{
    struct bulk *k = context;
    (void)b;
    if (FAILED(ABI_VTBL(IMAPIFolder, k->folder)->SetReadFlags(k->folder, &k->list, 0, NULL,
                                                              k->read ? CLEAR_READ_FLAG : 0))) {
        fprintf(stderr, "msstore-bench: read flags do not change\n");
        exit(2);
    }
    k->read = !k->read;
}

/* bulk_read_flags's floor. */
static void floor_bulk_read_flags(struct bench *b, void *context)
{
    struct bulk *k = context;
    (void)b;
    if (floor_set_read(k->floor, k->folder_id, k->ids, k->list.cValues, !k->read) != STORAGE_OK) {
        fprintf(stderr, "msstore-bench: the floor's read flags do not change\n");
        exit(2);
    }
    k->read = !k->read;
}

static void delete_messages(struct bulk *k, ENTRYLIST *messages)
{
    if (FAILED(ABI_VTBL(IMAPIFolder, k->folder)->DeleteMessages(k->folder, messages, 0, NULL, 0))) {
        fprintf(stderr, "msstore-bench: messages do not delete\n");
        exit(2);
    }
}

/* delete_messages's floor, of the copies floor_copy_beside made. */
static void floor_delete_copies(struct bulk *k, const LONGLONG *copies)
{
    if (floor_delete(k->floor, k->folder_id, copies, k->list.cValues) != STORAGE_OK) {
        fprintf(stderr, "msstore-bench: the floor's messages do not delete\n");
        exit(2);
    }
}

/* Copies of the listed messages made beside them (the last saved), with their entry IDs. */
static void copy_beside(struct bulk *k, ENTRYLIST *copies)
{
    if (FAILED(ABI_VTBL(IMAPIFolder, k->folder)->CopyMessages(k->folder, &k->list, NULL, k->folder, 0, NULL, 0))) {
        fprintf(stderr, "msstore-bench: messages do not copy\n");
        exit(2);
    }
    list_entry_ids(k->folder, k->list.cValues, TRUE, copies);
}

/* copy_beside's floor, on the floor's connection: the copies' ids (HeapFree them). */
static LONGLONG *floor_copy_beside(struct bulk *k)
{
    LONGLONG *copies = HeapAlloc(GetProcessHeap(), 0, (k->list.cValues + 1) * sizeof(*copies));
    if (floor_copy(k->floor, k->folder_id, k->folder_id, k->ids, k->list.cValues, copies) != STORAGE_OK) {
        fprintf(stderr, "msstore-bench: the floor's messages do not copy\n");
        exit(2);
    }
    return copies;
}

/* Copies made beside the listed messages (not timed), then deleted: the deletion's microseconds. */
typedef double (*deletion_fn)(struct bulk *k);

static double copy_and_delete(struct bulk *k)
{
    ENTRYLIST copies;
    double begin, elapsed;
    copy_beside(k, &copies);
    begin = now_us();
    delete_messages(k, &copies);
    elapsed = now_us() - begin;
    free_entry_ids(&copies);
    return elapsed;
}

/* copy_and_delete's floor: its own copies, since another connection's commit would empty its page cache. */
static double floor_copy_and_delete(struct bulk *k)
{
    LONGLONG *copies = floor_copy_beside(k);
    double begin = now_us(), elapsed;
    floor_delete_copies(k, copies);
    elapsed = now_us() - begin;
    HeapFree(GetProcessHeap(), 0, copies);
    return elapsed;
}

/* The deletion of BULK_COUNT copies just made in the folder, msstore's or its floor's. */
static struct timing measure_bulk_delete(struct bench *b, struct bulk *k, deletion_fn copy_then_delete)
{
    double samples[REPETITIONS], elapsed;
    int r;
    for (r = -1; r < b->repetitions; r++) { /* -1: warm-up */
        elapsed = copy_then_delete(k);
        if (r >= 0) samples[r] = elapsed;
    }
    return summarize(samples, b->repetitions);
}

/* The first count messages of the folder listed, by entry ID and by object id. */
static void bulk_list(struct bulk *k, ULONG count)
{
    list_entry_ids(k->folder, count, FALSE, &k->list);
    k->ids = object_ids(&k->list);
}

static void bulk_unlist(struct bulk *k)
{
    free_entry_ids(&k->list);
    HeapFree(GetProcessHeap(), 0, k->ids);
}

/*
 * Moving, deleting and read-flagging BULK_COUNT messages (and read-flagging
 * 10,000) in the biggest folder against the same in the smallest: the
 * worst of the ratios at most 1.5 (target[0]); and the same changes in the
 * biggest folder against their floors, the worst at most 3x (target[1]).
 */
static void bulk_changes_at_scale(struct bench *b, struct report *r, IMAPIFolder *root,
                                  const struct scale_folder *folders, struct target *target)
{
    static const char *const ops[] = {"CopyMessages(MESSAGE_MOVE)", "DeleteMessages", "SetReadFlags"};
    const struct scale_folder *small = &folders[0], *big = &folders[SCALES - 1], *middle = &folders[1];
    struct bulk bulk[SCALES];
    struct timing t[2][3], wide[2], floors[3]; /* floors: of t[1][0], t[1][1] and wide[1] */
    struct storage *floor = NULL;
    ULONG count = small->messages < BULK_COUNT ? small->messages : BULK_COUNT, i, op;
    double worst = 0, against_floor[3], worst_against_floor = 0;
    char name[128];
    int which[2] = {0, SCALES - 1}, side;

    /* The floors' connection: the DLL has the file open too, and no transaction open between calls. */
    if (floor_connect(b->store, &floor) != STORAGE_OK) exit(2);
    for (i = 0; i < SCALES; i++) {
        memset(&bulk[i], 0, sizeof(bulk[i]));
        bulk[i].folder = folders[i].folder;
        snprintf(name, sizeof(name), "Away %lu", (unsigned long)folders[i].messages);
        if (FAILED(root->lpVtbl->CreateFolder(root, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL, 0, &bulk[i].away))) exit(2);
        bulk[i].floor = floor;
        bulk[i].folder_id = folder_object_id(bulk[i].folder);
        bulk[i].away_id = folder_object_id(bulk[i].away);
    }
    for (side = 0; side < 2; side++) {
        struct bulk *k = &bulk[which[side]];
        bulk_list(k, count);
        t[side][0] = measure(b, bulk_move, k, 1);
        if (k->there) bulk_move(b, k); /* back home */
        t[side][1] = measure_bulk_delete(b, k, copy_and_delete);
        t[side][2] = measure(b, bulk_read_flags, k, 1);
        if (side) { /* the floors, in the biggest folder, leaving it as they found it */
            floors[0] = measure(b, floor_bulk_move, k, 1);
            if (k->there) floor_bulk_move(b, k);
            floors[1] = measure_bulk_delete(b, k, floor_copy_and_delete);
        }
        bulk_unlist(k);
    }
    for (op = 0; op < 3; op++) {
        double ratio = t[1][op].median / t[0][op].median;
        snprintf(name, sizeof(name), "%s of %lu messages in a folder of %lu", ops[op], (unsigned long)count,
                 (unsigned long)big->messages);
        metric(r, name, "ms", scaled(t[1][op], 0.001));
        snprintf(name, sizeof(name), "%s of %lu messages, t(%lu)/t(%lu)", ops[op], (unsigned long)count,
                 (unsigned long)big->messages, (unsigned long)small->messages);
        amount(r, name, "ratio", ratio);
        if (ratio > worst) worst = ratio;
    }
    /* SetReadFlags of as many messages as the middle folder has, there and in the biggest. */
    for (side = 0; side < 2; side++) {
        struct bulk *k = &bulk[side ? SCALES - 1 : 1];
        bulk_list(k, middle->messages);
        wide[side] = measure(b, bulk_read_flags, k, 1);
        if (side) floors[2] = measure(b, floor_bulk_read_flags, k, 1);
        bulk_unlist(k);
    }
    snprintf(name, sizeof(name), "SetReadFlags of %lu messages in a folder of %lu", (unsigned long)middle->messages,
             (unsigned long)big->messages);
    metric(r, name, "ms", scaled(wide[1], 0.001));
    snprintf(name, sizeof(name), "SetReadFlags of %lu messages, t(%lu)/t(%lu)", (unsigned long)middle->messages,
             (unsigned long)big->messages, (unsigned long)middle->messages);
    amount(r, name, "ratio", wide[1].median / wide[0].median);
    if (wide[1].median / wide[0].median > worst) worst = wide[1].median / wide[0].median;
    for (op = 0; op < 3; op++) {
        snprintf(name, sizeof(name), "%s of %lu messages in a folder of %lu, floor (msstore's storage calls)",
                 ops[op], (unsigned long)(op < 2 ? count : middle->messages), (unsigned long)big->messages);
        metric(r, name, "ms", scaled(floors[op], 0.001));
        against_floor[op] = (op < 2 ? t[1][op] : wide[1]).median / floors[op].median;
        if (against_floor[op] > worst_against_floor) worst_against_floor = against_floor[op];
    }
    for (i = 0; i < SCALES; i++) bulk[i].away->lpVtbl->Release(bulk[i].away);
    storage_close(floor);

    target[0].text = "bulk move, delete and SetReadFlags: t(100k folder)/t(small folder) at most 1.5";
    target[0].verdict = timing_verdict(b->options, worst <= 1.5);
    snprintf(target[0].detail, sizeof(target[0].detail), "worst ratio %.2f", worst);
    target[1].text = "bulk move, delete and SetReadFlags within 3x of their floors";
    target[1].verdict = timing_verdict(b->options, worst_against_floor <= 3);
    snprintf(target[1].detail, sizeof(target[1].detail), "worst %.2fx (move %.2fx, delete %.2fx, SetReadFlags %.2fx)",
             worst_against_floor, against_floor[0], against_floor[1], against_floor[2]);
}

/* ---- the scale store's folders ---- */

#define STARTUP_FOLDERS 50 /* the IPM subtree's subfolders in the scale store, as the benchmark issue asks */

static IMAPIFolder *ipm_subtree(IMsgStore *store)
{
    SizedSPropTagArray(1, ipm_tag) = {1, {PR_IPM_SUBTREE_ENTRYID}};
    SPropValue *ipm_id = NULL;
    IMAPIFolder *ipm = NULL;
    ULONG count, type;
    if (FAILED(store->lpVtbl->GetProps(store, (LPSPropTagArray)&ipm_tag, 0, &count, &ipm_id)) ||
        FAILED(store->lpVtbl->OpenEntry(store, ipm_id->Value.bin.cb, (LPENTRYID)ipm_id->Value.bin.lpb, NULL,
                                        MAPI_MODIFY, &type, (LPUNKNOWN *)&ipm)))
        exit(2);
    mapisim_FreeBuffer(ipm_id);
    return ipm;
}

/* Empty folders added under parent until it has count subfolders. */
static void add_empty_folders(IMAPIFolder *parent, ULONG count)
{
    IMAPITable *table = NULL;
    ULONG have = 0, i;
    char name[32];
    if (FAILED(parent->lpVtbl->GetHierarchyTable(parent, 0, &table)) ||
        FAILED(table->lpVtbl->GetRowCount(table, 0, &have)))
        exit(2);
    table->lpVtbl->Release(table);
    for (i = have; i < count; i++) {
        IMAPIFolder *folder = NULL;
        snprintf(name, sizeof(name), "Project %lu", (unsigned long)i);
        if (FAILED(parent->lpVtbl->CreateFolder(parent, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL, 0, &folder))) exit(2);
        folder->lpVtbl->Release(folder);
    }
}

static ULONG stored_messages(const struct scale_folder *folders)
{
    ULONG i, n = 0;
    for (i = 0; i < SCALES; i++) n += folders[i].messages;
    return n;
}

/* ---- start-up and reading messages ---- */

/* Outlook's start on the store file: Logon, the opening walk, then the session's end. */
static void startup_walk(struct bench *b, void *context)
{
    struct mapisim_session s;
    (void)context;
    start(b, &s);
    opening_walk(b, s.store);
    finish(&s);
}

/* Messages opened one after another, as the reading pane opens each one clicked. */
struct open_read {
    IMAPIFolder *folder;
    ENTRYLIST ids;
    ULONG next;
    ULONGLONG body_bytes;
};

/* The entry IDs of count messages of a folder at pseudo-random positions (a fixed seed). */
static void random_entry_ids(IMAPIFolder *folder, ULONG total, ULONG count, ENTRYLIST *out)
{
    SizedSPropTagArray(1, id_tag) = {1, {PR_ENTRYID}};
    IMAPITable *table = NULL;
    ULONG seed = 20261202, i;
    out->cValues = 0;
    out->lpbin = HeapAlloc(GetProcessHeap(), 0, count * sizeof(SBinary));
    if (FAILED(folder->lpVtbl->GetContentsTable(folder, 0, &table)) ||
        FAILED(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&id_tag, 0)))
        exit(2);
    for (i = 0; i < count; i++) {
        SRowSet *rows = NULL;
        const SBinary *id;
        seed = seed * 1103515245u + 12345u;
        if (FAILED(ABI_VTBL(IMAPITable, table)->SeekRow(table, BOOKMARK_BEGINNING, (LONG)((seed >> 8) % total), NULL)) ||
            FAILED(table->lpVtbl->QueryRows(table, 1, 0, &rows)) || rows->cRows != 1)
            exit(2);
        id = &rows->aRow[0].lpProps[0].Value.bin;
        out->lpbin[i].cb = id->cb;
        out->lpbin[i].lpb = HeapAlloc(GetProcessHeap(), 0, id->cb);
        memcpy(out->lpbin[i].lpb, id->lpb, id->cb);
        out->cValues++;
        free_rows(rows);
    }
    table->lpVtbl->Release(table);
}

/* One message: OpenEntry, GetProps of Outlook's columns, its body read whole through a stream. */
static void open_and_read(struct bench *b, void *context)
{
    struct open_read *o = context;
    const SBinary *id = &o->ids.lpbin[o->next++ % o->ids.cValues];
    IMessage *message = NULL;
    IStream *body = NULL;
    SPropValue *values = NULL;
    ULONG type = 0, count = 0, got = 0;
    BYTE buffer[4096];
    (void)b;
    if (FAILED(o->folder->lpVtbl->OpenEntry(o->folder, id->cb, (LPENTRYID)id->lpb, NULL, 0, &type,
                                            (LPUNKNOWN *)&message)) ||
        FAILED(message->lpVtbl->GetProps(message, (LPSPropTagArray)&outlook_columns, MAPI_UNICODE, &count, &values)) ||
        FAILED(message->lpVtbl->OpenProperty(message, PR_BODY_W, &IID_IStream, 0, 0, (LPUNKNOWN *)&body))) {
        fprintf(stderr, "msstore-bench: a message does not open and read\n");
        exit(2);
    }
    do {
        if (FAILED(body->lpVtbl->Read(body, buffer, sizeof(buffer), &got))) exit(2);
        o->body_bytes += got;
    } while (got == sizeof(buffer));
    body->lpVtbl->Release(body);
    mapisim_FreeBuffer(values);
    message->lpVtbl->Release(message);
}

/*
 * The first page by delivery time under restriction, in the biggest folder and
 * against the smallest; the bytes the biggest folder's table held.
 */
static LONG64 restricted_page(struct bench *b, struct report *r, const struct scale_folder *folders,
                              SRestriction *restriction, const char *what, int iterations)
{
    struct first_page page = {folders[0].folder, (const SSortOrderSet *)&by_delivery_descending, restriction, 0};
    struct timing small, big;
    char name[160];
    small = measure(b, first_page, &page, iterations);
    page.folder = folders[SCALES - 1].folder;
    big = measure(b, first_page, &page, iterations);
    snprintf(name, sizeof(name), "contents table first page, %lu messages, %s", (unsigned long)folders[SCALES - 1].messages,
             what);
    metric(r, name, "us", big);
    snprintf(name, sizeof(name), "contents table first page, %s, t(%lu)/t(%lu)", what,
             (unsigned long)folders[SCALES - 1].messages, (unsigned long)folders[0].messages);
    amount(r, name, "ratio", big.median / small.median);
    return page.bytes_held;
}

/*
 * Contents tables of 1,000, 10,000 and 100,000 messages, in a store file of
 * their own: the first page in Outlook's order, then on the biggest folder
 * the same by subject and restricted to unread messages, each against the
 * smallest folder's; and what an open table holds per row. Two targets; then
 * the bulk changes on the same folders (bulk_changes_at_scale), a third and
 * a fourth; messages opened and read; and Outlook's start on that store
 * against its start on the main store, a fifth.
 */
static void contents_tables_at_scale(struct bench *b, struct report *r, struct target *targets)
{
    static const ULONG full[SCALES] = {1000, 10000, 100000}, quick[SCALES] = {100, 300, 1000};
    SRestriction unread = {RES_BITMASK, {.resBitMask = {BMR_EQZ, PR_MESSAGE_FLAGS, MSGFLAG_READ}}};
    SPropValue report_1 = {PR_SUBJECT_W, 0, {.lpszW = (WCHAR *)L"report 1"}};
    SRestriction containing = {RES_CONTENT, {.resContent = {FL_SUBSTRING | FL_IGNORECASE, PR_SUBJECT_W, &report_1}}};
    struct scale_folder folders[SCALES];
    struct first_page page;
    struct open_read reading;
    struct timing by_date[SCALES], small, big, empty_startup;
    struct mapisim_session s;
    IMAPIFolder *root = NULL;
    WCHAR main_store[MAX_PATH];
    LONG64 held_by_date, held_unread, held_containing;
    ULONG i, biggest;
    char name[128];
    double ratio;

    /* The start-up's floor: Outlook's start on a store of as many folders, all empty. */
    use_scratch_store(b, main_store);
    start(b, &s);
    root = ipm_subtree(s.store);
    add_empty_folders(root, STARTUP_FOLDERS);
    root->lpVtbl->Release(root);
    finish(&s);
    empty_startup = measure(b, startup_walk, NULL, 20);
    mapisim_remove_store(b->store);

    mapisim_scratch_store_path(b->store);
    start(b, &s);
    root = ipm_subtree(s.store); /* where Outlook's walk finds them */
    for (i = 0; i < SCALES; i++) {
        folders[i].messages = b->options->quick ? quick[i] : full[i];
        fill_scale_folder(root, &folders[i]);
    }
    biggest = folders[SCALES - 1].messages;
    for (i = 0; i < SCALES; i++) {
        page.folder = folders[i].folder, page.sort = (const SSortOrderSet *)&by_delivery_descending;
        page.restriction = NULL;
        by_date[i] = measure(b, first_page, &page, 10);
        snprintf(name, sizeof(name), "contents table first page, %lu messages, by delivery time",
                 (unsigned long)folders[i].messages);
        metric(r, name, "us", by_date[i]);
    }
    held_by_date = page.bytes_held; /* the biggest folder's */
    ratio = by_date[SCALES - 1].median / by_date[0].median;
    snprintf(name, sizeof(name), "contents table first page by delivery time, t(%lu)/t(%lu)", (unsigned long)biggest,
             (unsigned long)folders[0].messages);
    amount(r, name, "ratio", ratio);
    targets[0].text = "contents table first page t(100k)/t(1k) at most 3 (an index, not a scan)";
    targets[0].verdict = timing_verdict(b->options, ratio <= 3);
    snprintf(targets[0].detail, sizeof(targets[0].detail), "%.2f for %lu and %lu messages", ratio,
             (unsigned long)biggest, (unsigned long)folders[0].messages);

    page.sort = (const SSortOrderSet *)&by_subject;
    page.folder = folders[0].folder, small = measure(b, first_page, &page, 10);
    page.folder = folders[SCALES - 1].folder, big = measure(b, first_page, &page, 10);
    snprintf(name, sizeof(name), "contents table first page, %lu messages, by subject", (unsigned long)biggest);
    metric(r, name, "us", big);
    snprintf(name, sizeof(name), "contents table first page by subject, t(%lu)/t(%lu)", (unsigned long)biggest,
             (unsigned long)folders[0].messages);
    amount(r, name, "ratio", big.median / small.median);

    /* Outlook's "Unread" view, a restriction the store tests in the file; then one it cannot (rows held). */
    held_unread = restricted_page(b, r, folders, &unread, "restricted to unread", 10);
    held_containing = restricted_page(b, r, folders, &containing, "subject containing 'report 1' (rows held)", 1);

    snprintf(name, sizeof(name), "bytes per row held by a table of %lu messages, by delivery time",
             (unsigned long)biggest);
    amount(r, name, "bytes", (double)held_by_date / biggest);
    snprintf(name, sizeof(name), "bytes per row held by a table of %lu messages, restricted to unread",
             (unsigned long)biggest);
    amount(r, name, "bytes", (double)held_unread / biggest);
    snprintf(name, sizeof(name), "bytes per row held by a table of %lu messages, subject containing",
             (unsigned long)biggest);
    amount(r, name, "bytes", (double)held_containing / biggest);
    targets[1].text = "at most 64 bytes held per row by Outlook's contents table, by delivery time and unread";
    targets[1].verdict = held_by_date <= 64 * (LONG64)biggest && held_unread <= 64 * (LONG64)biggest ? PASS : FAIL;
    snprintf(targets[1].detail, sizeof(targets[1].detail), "%.2f and %.2f bytes per row of %lu",
             (double)held_by_date / biggest, (double)held_unread / biggest, (unsigned long)biggest);

    bulk_changes_at_scale(b, r, root, folders, &targets[2]);
    add_empty_folders(root, STARTUP_FOLDERS);

    /* 1,000 messages of the biggest folder opened and read, each at a random place in it. */
    memset(&reading, 0, sizeof(reading));
    reading.folder = folders[SCALES - 1].folder;
    random_entry_ids(reading.folder, biggest, b->options->quick ? 100 : 1000, &reading.ids);
    snprintf(name, sizeof(name), "OpenEntry, GetProps of Outlook's columns and the body read, %lu random messages "
             "of %lu", (unsigned long)reading.ids.cValues, (unsigned long)biggest);
    metric(r, name, "us", measure(b, open_and_read, &reading, (int)reading.ids.cValues));
    free_entry_ids(&reading.ids);

    for (i = 0; i < SCALES; i++) folders[i].folder->lpVtbl->Release(folders[i].folder);
    root->lpVtbl->Release(root);
    finish(&s);

    /* Outlook's start on the scale store, against the main store's. */
    big = measure(b, startup_walk, NULL, 20);
    snprintf(name, sizeof(name), "Logon and Outlook's opening walk, a store of %lu messages in %d folders",
             (unsigned long)stored_messages(folders), STARTUP_FOLDERS);
    metric(r, name, "us", big);
    snprintf(name, sizeof(name), "Logon and Outlook's opening walk, a store of %d empty folders", STARTUP_FOLDERS);
    metric(r, name, "us", empty_startup);
    ratio = big.median / empty_startup.median;
    amount(r, "Logon and Outlook's opening walk, t(full store)/t(empty store)", "ratio", ratio);
    targets[4].text = "start-up on a store of 100,000 messages in 50 folders at most 1.5x that on the same folders empty";
    targets[4].verdict = timing_verdict(b->options, ratio <= 1.5);
    snprintf(targets[4].detail, sizeof(targets[4].detail), "%.2fx", ratio);
    back_to_main_store(b, main_store);
}

/* ---- 1 and 7. Saving typical messages; what an open message holds; no growth ---- */

#define TYPICAL_RECIPIENTS 10
#define TYPICAL_ATTACHMENT (100 * 1024)
#define TYPICAL_NAMED 5
#define TYPICAL_OTHER 30
#define OPEN_MESSAGES 1000

/*
 * The benchmark issue's typical message: a 4 KB plain body, the same as 8 KB
 * of HTML, 10 recipients, one 100 KB attachment, 30 other properties and 5
 * named ones (their ids asked for once, as Outlook caches them).
 */
struct typical {
    IMAPIFolder *folder;
    ULONG named_tags[TYPICAL_NAMED];
    SPropValue other[TYPICAL_OTHER];
    char body[4096], html[8192];
    BYTE attachment[TYPICAL_ATTACHMENT];
    ADRLIST *recipients;
    ULONG saved;
    struct save_floor *floor; /* the save's floor: one of the messages saved, written again by storage calls */
    ULONG floor_saved;
};

static void write_property_stream(IMAPIProp *object, ULONG tag, const void *data, ULONG size)
{
    IStream *stream = NULL;
    if (FAILED(object->lpVtbl->OpenProperty(object, tag, &IID_IStream, 0, MAPI_CREATE | MAPI_MODIFY,
                                            (LPUNKNOWN *)&stream)) ||
        FAILED(stream->lpVtbl->Write(stream, data, size, NULL)) || FAILED(stream->lpVtbl->Commit(stream, 0))) {
        fprintf(stderr, "msstore-bench: a property stream does not write\n");
        exit(2);
    }
    stream->lpVtbl->Release(stream);
}

/* The parts every typical message shares, made once. */
static void typical_prepare(struct typical *t, IMAPIFolder *folder)
{
    static const char *const named[TYPICAL_NAMED] = {"Keywords", "x-bench-project", "x-bench-owner",
                                                    "x-bench-review", "x-bench-state"};
    static WCHAR names[TYPICAL_NAMED][32];
    MAPINAMEID ids[TYPICAL_NAMED], *id_list[TYPICAL_NAMED];
    SPropTagArray *tags = NULL;
    IMessage *message = NULL;
    ULONG i;
    memset(t, 0, sizeof(*t));
    t->folder = folder;
    for (i = 0; i < sizeof(t->body) - 1; i++) t->body[i] = "Minutes of the weekly meeting. "[i % 31];
    memcpy(t->html, "<html><body><p>", 15);
    for (i = 15; i < sizeof(t->html) - 18; i++) t->html[i] = t->body[i % (sizeof(t->body) - 1)];
    memcpy(t->html + sizeof(t->html) - 18, "</p></body></html>", 18);
    for (i = 0; i < sizeof(t->attachment); i++) t->attachment[i] = (BYTE)(i * 2654435761u >> 24);
    for (i = 0; i < TYPICAL_NAMED; i++) {
        MultiByteToWideChar(CP_ACP, 0, named[i], -1, names[i], ARRAYSIZE(names[i]));
        ids[i].lpguid = (GUID *)&PS_PUBLIC_STRINGS, ids[i].ulKind = MNID_STRING, ids[i].Kind.lpwstrName = names[i];
        id_list[i] = &ids[i];
    }
    if (FAILED(folder->lpVtbl->CreateMessage(folder, NULL, 0, &message)) ||
        FAILED(message->lpVtbl->GetIDsFromNames(message, TYPICAL_NAMED, id_list, MAPI_CREATE, &tags))) {
        fprintf(stderr, "msstore-bench: named properties do not map\n");
        exit(2);
    }
    for (i = 0; i < TYPICAL_NAMED; i++) t->named_tags[i] = PROP_TAG(PT_UNICODE, PROP_ID(tags->aulPropTag[i]));
    mapisim_FreeBuffer(tags);
    message->lpVtbl->Release(message);
    /* 30 other properties, of the kinds a received message carries. */
    for (i = 0; i < TYPICAL_OTHER; i++) {
        SPropValue *p = &t->other[i];
        switch (i % 4) {
        case 0: p->ulPropTag = PROP_TAG(PT_LONG, 0x6800 + i), p->Value.l = (LONG)i; break;
        case 1: p->ulPropTag = PROP_TAG(PT_UNICODE, 0x6800 + i), p->Value.lpszW = (WCHAR *)L"a value of some words"; break;
        case 2: p->ulPropTag = PROP_TAG(PT_SYSTIME, 0x6800 + i), p->Value.ft.dwHighDateTime = 0x01DB0000; break;
        default:
            p->ulPropTag = PROP_TAG(PT_BINARY, 0x6800 + i);
            p->Value.bin.cb = 22, p->Value.bin.lpb = t->attachment;
        }
    }
    t->other[0].ulPropTag = PR_MESSAGE_CLASS_W, t->other[0].Value.lpszW = (WCHAR *)L"IPM.Note";
    t->other[1].ulPropTag = PR_SUBJECT_W, t->other[1].Value.lpszW = (WCHAR *)L"Minutes of the weekly meeting";
    t->other[2].ulPropTag = PR_MESSAGE_DELIVERY_TIME;
    t->other[3].ulPropTag = PR_SENDER_NAME_W, t->other[3].Value.lpszW = (WCHAR *)L"Team Lead";
    t->other[4].ulPropTag = PR_IMPORTANCE, t->other[4].Value.l = IMPORTANCE_NORMAL;

    if (FAILED(mapisim_AllocateBuffer(CbNewADRLIST(TYPICAL_RECIPIENTS), (void **)&t->recipients))) exit(2);
    t->recipients->cEntries = TYPICAL_RECIPIENTS;
    for (i = 0; i < TYPICAL_RECIPIENTS; i++) {
        static WCHAR display[TYPICAL_RECIPIENTS][32], address[TYPICAL_RECIPIENTS][48];
        SPropValue *props = NULL;
        swprintf(display[i], ARRAYSIZE(display[i]), L"Colleague %lu", (unsigned long)i);
        swprintf(address[i], ARRAYSIZE(address[i]), L"colleague%lu@example.org", (unsigned long)i);
        if (FAILED(mapisim_AllocateMore(4 * sizeof(SPropValue), t->recipients, (void **)&props))) exit(2);
        props[0].ulPropTag = PR_DISPLAY_NAME_W, props[0].Value.lpszW = display[i];
        props[1].ulPropTag = PR_EMAIL_ADDRESS_W, props[1].Value.lpszW = address[i];
        props[2].ulPropTag = PR_ADDRTYPE_W, props[2].Value.lpszW = (WCHAR *)L"SMTP";
        props[3].ulPropTag = PR_RECIPIENT_TYPE, props[3].Value.l = i < 7 ? MAPI_TO : MAPI_CC;
        t->recipients->aEntries[i].cValues = 4;
        t->recipients->aEntries[i].rgPropVals = props;
    }
}

/* One typical message saved as a client saves it: CreateMessage ... SaveChanges, Release. */
static void save_typical_message(struct bench *b, void *context)
{
    struct typical *t = context;
    SPropValue named[TYPICAL_NAMED], attach_props[2];
    ULONGLONG when = 133000000000000000ULL + (ULONGLONG)t->saved++ * 600000000ULL;
    IMessage *message = NULL;
    IAttach *attach = NULL;
    ULONG i, number = 0;
    (void)b;
    t->other[2].Value.ft.dwLowDateTime = (DWORD)when, t->other[2].Value.ft.dwHighDateTime = (DWORD)(when >> 32);
    for (i = 0; i < TYPICAL_NAMED; i++) named[i].ulPropTag = t->named_tags[i], named[i].Value.lpszW = (WCHAR *)L"bench";
    attach_props[0].ulPropTag = PR_ATTACH_METHOD, attach_props[0].Value.l = ATTACH_BY_VALUE;
    attach_props[1].ulPropTag = PR_ATTACH_LONG_FILENAME_W, attach_props[1].Value.lpszW = (WCHAR *)L"minutes.pdf";
    if (FAILED(t->folder->lpVtbl->CreateMessage(t->folder, NULL, 0, &message)) ||
        FAILED(message->lpVtbl->SetProps(message, TYPICAL_OTHER, t->other, NULL)) ||
        FAILED(message->lpVtbl->SetProps(message, TYPICAL_NAMED, named, NULL)) ||
        FAILED(message->lpVtbl->ModifyRecipients(message, MODRECIP_ADD, t->recipients)) ||
        FAILED(message->lpVtbl->CreateAttach(message, NULL, 0, &number, &attach)) ||
        FAILED(attach->lpVtbl->SetProps(attach, 2, attach_props, NULL))) {
        fprintf(stderr, "msstore-bench: a typical message does not save\n");
        exit(2);
    }
    write_property_stream((IMAPIProp *)message, PR_BODY_A, t->body, sizeof(t->body) - 1);
    write_property_stream((IMAPIProp *)message, PR_HTML, t->html, sizeof(t->html));
    write_property_stream((IMAPIProp *)attach, PR_ATTACH_DATA_BIN, t->attachment, sizeof(t->attachment));
    if (FAILED(attach->lpVtbl->SaveChanges(attach, 0)) || FAILED(message->lpVtbl->SaveChanges(message, 0))) {
        fprintf(stderr, "msstore-bench: a typical message does not save\n");
        exit(2);
    }
    attach->lpVtbl->Release(attach);
    message->lpVtbl->Release(message);
}

/* save_typical_message's floor: a new message with the same values, by msstore's storage calls alone. */
static void floor_save_typical_message(struct bench *b, void *context)
{
    struct typical *t = context;
    (void)b;
    if (save_floor_save(t->floor) != STORAGE_OK) {
        fprintf(stderr, "msstore-bench: the floor's typical message does not save\n");
        exit(2);
    }
    t->floor_saved++;
}

static ULONGLONG file_bytes(const WCHAR *path)
{
    WIN32_FILE_ATTRIBUTE_DATA data;
    if (!GetFileAttributesExW(path, GetFileExInfoStandard, &data)) return 0;
    return (ULONGLONG)data.nFileSizeHigh << 32 | data.nFileSizeLow;
}

/*
 * The peer and the .msg rates: one typical message as a model, .msg files written into dir; the
 * messages exported and the files imported, each in turn.
 */
struct msg_bench {
    IMsgStore *store;
    IMAPIFolder *folder;
    ENTRYLIST exports;
    struct msg_file model;
    WCHAR dir[MAX_PATH], source[MAX_PATH];
    WCHAR (*sources)[MAX_PATH];
    ULONG source_count, written, exported, imported;
};

static const struct msg_allocator bench_memory = {mapisim_AllocateBuffer, mapisim_AllocateMore, mapisim_FreeBuffer};

static void next_msg_path(struct msg_bench *m, WCHAR path[MAX_PATH])
{
    swprintf(path, MAX_PATH, L"%ls\\%lu.msg", m->dir, (unsigned long)m->written++);
}

/* The peer, Microsoft's sample store's design: each message a compound file of its own. */
static void write_msg_file(struct bench *b, void *context)
{
    struct msg_bench *m = context;
    WCHAR path[MAX_PATH];
    (void)b;
    next_msg_path(m, path);
    if (msg_ole_write(path, &m->model) != MSG_OK) exit(2);
}

/* A folder of the process's own under the temporary folder, for the .msg files written. */
static void make_msg_dir(struct msg_bench *m)
{
    GetTempPathW(MAX_PATH - 40, m->dir);
    swprintf(m->dir + wcslen(m->dir), 40, L"msstore-bench-msg-%lu", (unsigned long)GetCurrentProcessId());
    CreateDirectoryW(m->dir, NULL);
}

static void remove_msg_dir(struct msg_bench *m)
{
    ULONG i;
    for (i = 0; i < m->written; i++) {
        WCHAR path[MAX_PATH];
        swprintf(path, MAX_PATH, L"%ls\\%lu.msg", m->dir, (unsigned long)i);
        DeleteFileW(path);
    }
    RemoveDirectoryW(m->dir);
}

/* Export: the next message opened, read whole through MAPI and written as a (Unicode) .msg file. */
static void export_message(struct bench *b, void *context)
{
    struct msg_bench *m = context;
    const SBinary *id = &m->exports.lpbin[m->exported++ % m->exports.cValues];
    struct msg_file model;
    IMessage *message = NULL;
    WCHAR path[MAX_PATH];
    ULONG type;
    (void)b;
    next_msg_path(m, path);
    if (FAILED(m->store->lpVtbl->OpenEntry(m->store, id->cb, (LPENTRYID)id->lpb, NULL, 0, &type,
                                           (LPUNKNOWN *)&message)) ||
        FAILED(msg_from_message(message, &bench_memory, FALSE, &model)) || msg_ole_write(path, &model) != MSG_OK) {
        fprintf(stderr, "msstore-bench: a message does not export\n");
        exit(2);
    }
    msg_file_free(&model);
    message->lpVtbl->Release(message);
}

/* Import: the next .msg file read and saved as a new message. */
static void import_msg_file(struct bench *b, void *context)
{
    struct msg_bench *m = context;
    const WCHAR *source = m->sources[m->imported++ % m->source_count];
    struct msg_file model;
    IMessage *message = NULL;
    char why[256] = "";
    (void)b;
    if (msg_ole_read(source, &model, why, sizeof(why)) != MSG_OK ||
        FAILED(m->folder->lpVtbl->CreateMessage(m->folder, NULL, 0, &message)) ||
        FAILED(msg_to_message(&model, message, &bench_memory, why, sizeof(why))) ||
        FAILED(message->lpVtbl->SaveChanges(message, 0))) {
        fprintf(stderr, "msstore-bench: %ls does not import: %s\n", source, why);
        exit(2);
    }
    message->lpVtbl->Release(message);
    msg_file_free(&model);
}

/*
 * The typical message with that entry ID against .msg files: the peer's save (targets[0]: msstore's
 * save at least 5x faster), the store's bytes per message against the .msg file's (targets[1]: at
 * most 1.2x), and .msg files exported and imported per second.
 */
static void against_msg_files(struct bench *b, struct report *r, IMsgStore *store, IMAPIFolder *folder,
                              const SBinary *id, struct timing save, double store_bytes, struct target *targets)
{
    struct msg_bench m;
    struct timing peer, exported, imported;
    IMessage *message = NULL;
    ULONG type, runs = b->options->quick ? 10 : 100;
    double msg_bytes;
    memset(&m, 0, sizeof(m));
    m.store = store, m.folder = folder;
    m.exports.cValues = 1, m.exports.lpbin = (SBinary *)id;
    m.sources = &m.source, m.source_count = 1;
    make_msg_dir(&m);
    if (FAILED(store->lpVtbl->OpenEntry(store, id->cb, (LPENTRYID)id->lpb, NULL, 0, &type, (LPUNKNOWN *)&message)) ||
        FAILED(msg_from_message(message, &bench_memory, FALSE, &m.model)))
        exit(2);
    message->lpVtbl->Release(message);
    peer = measure(b, write_msg_file, &m, runs);
    swprintf(m.source, MAX_PATH, L"%ls\\0.msg", m.dir);
    msg_bytes = (double)file_bytes(m.source);
    metric(r, "peer: the typical message written as a .msg file of its own (ole32, the codec)", "us", peer);
    amount(r, "the typical message's .msg file", "bytes", msg_bytes);
    exported = measure(b, export_message, &m, runs);
    metric(r, "export of a typical message to a .msg file (OpenEntry, read whole, written)", "us", exported);
    amount(r, "typical messages exported per second", "messages/s", 1e6 / exported.median);
    imported = measure(b, import_msg_file, &m, runs);
    metric(r, "import of a typical message from a .msg file (read, CreateMessage ... SaveChanges)", "us", imported);
    amount(r, "typical messages imported per second", "messages/s", 1e6 / imported.median);
    msg_file_free(&m.model);
    remove_msg_dir(&m);

    targets[0].text = "save of a typical message at least 5x faster than the peer's (a .msg file per message)";
    targets[0].verdict = timing_verdict(b->options, 5 * save.median <= peer.median);
    snprintf(targets[0].detail, sizeof(targets[0].detail), "%.2fx (%.0f us against %.0f us)",
             peer.median / save.median, save.median, peer.median);
    targets[1].text = "store file bytes per typical message at most 1.2x its .msg file";
    targets[1].verdict = store_bytes <= 1.2 * msg_bytes ? PASS : FAIL;
    snprintf(targets[1].detail, sizeof(targets[1].detail), "%.2fx (%.0f bytes against %.0f)", store_bytes / msg_bytes,
             store_bytes, msg_bytes);
}

/*
 * Typical messages saved one by one (messages per second), the store file's
 * bytes per message, the same against .msg files (targets[1] and [2]), the
 * bytes one open message object holds, no growth: as many bytes live after
 * 10,000 create/save/release cycles as after 10 (targets[0]); and the save
 * against its floor, at most 2x (targets[3]).
 */
static void typical_messages(struct bench *b, struct report *r, struct target *targets)
{
    WCHAR main_store[MAX_PATH], wal[MAX_PATH + 4];
    struct mapisim_session s;
    struct typical *t = HeapAlloc(GetProcessHeap(), 0, sizeof(*t));
    struct timing save;
    IMAPIFolder *ipm = NULL;
    IUnknown **open = HeapAlloc(GetProcessHeap(), 0, OPEN_MESSAGES * sizeof(IUnknown *));
    ENTRYLIST ids;
    LONG64 before, after_few, after_many, per_message;
    ULONGLONG empty_file, full_file, database, per_save;
    ULONG i, type, cycles = b->options->quick ? 100 : 10000, opened;
    LONGLONG template_id;
    struct timing floor;
    char name[128];

    use_scratch_store(b, main_store);
    swprintf(wal, ARRAYSIZE(wal), L"%ls-wal", b->store);
    start(b, &s);
    ipm = ipm_subtree(s.store);
    if (FAILED(ipm->lpVtbl->CreateFolder(ipm, FOLDER_GENERIC, (LPTSTR)"Typical", NULL, NULL, 0, &t->folder))) exit(2);
    typical_prepare(t, t->folder);
    empty_file = file_bytes(b->store) + file_bytes(wal);

    database = store_database_bytes(b->store);
    save = measure(b, save_typical_message, t, b->options->quick ? 10 : 100);
    per_save = (store_database_bytes(b->store) - database) / t->saved; /* against the floor's, below */
    metric(r, "save of a typical message (4 KB body, 8 KB HTML, 10 recipients, 100 KB attachment, 35 properties)",
           "us", save);
    amount(r, "typical messages saved per second", "messages/s", 1e6 / save.median);

    for (i = 0; i < 10; i++) save_typical_message(b, t);
    after_few = live_bytes();
    for (i = 0; i < cycles; i++) save_typical_message(b, t);
    after_many = live_bytes();
    full_file = file_bytes(b->store) + file_bytes(wal);
    amount(r, "store file bytes per typical message (the WAL included)", "bytes",
           (double)(full_file - empty_file) / t->saved);

    list_entry_ids(t->folder, t->saved < OPEN_MESSAGES ? t->saved : OPEN_MESSAGES, FALSE, &ids);
    against_msg_files(b, r, s.store, t->folder, &ids.lpbin[0], save, (double)(full_file - empty_file) / t->saved,
                      &targets[1]);
    before = live_bytes();
    for (opened = 0; opened < ids.cValues; opened++)
        if (FAILED(t->folder->lpVtbl->OpenEntry(t->folder, ids.lpbin[opened].cb, (LPENTRYID)ids.lpbin[opened].lpb,
                                                NULL, 0, &type, &open[opened])))
            exit(2);
    per_message = (live_bytes() - before) / (LONG64)opened;
    for (i = 0; i < opened; i++) open[i]->lpVtbl->Release(open[i]);
    template_id = floor_object_id(&ids.lpbin[0]);
    free_entry_ids(&ids);
    snprintf(name, sizeof(name), "provider memory per open message object (%lu typical messages open)",
             (unsigned long)opened);
    amount(r, name, "bytes", (double)per_message);
    amount(r, "bytes live after 10 typical-message cycles", "bytes", (double)after_few);
    snprintf(name, sizeof(name), "bytes live after %lu more", (unsigned long)cycles);
    amount(r, name, "bytes", (double)after_many);

    /* The floor last, on a connection of its own while the DLL has the file open: its messages join the folder. */
    if (save_floor_open(b->store, template_id, &t->floor) != STORAGE_OK) exit(2);
    database = store_database_bytes(b->store);
    floor = measure(b, floor_save_typical_message, t, b->options->quick ? 10 : 100);
    metric(r, "save of a typical message, floor (msstore's storage calls without MAPI)", "us", floor);
    amount(r, "database bytes per typical message (its page count, WAL included), msstore's save", "bytes",
           (double)per_save);
    amount(r, "database bytes per typical message (its page count, WAL included), the floor's", "bytes",
           (double)((store_database_bytes(b->store) - database) / t->floor_saved));
    save_floor_close(t->floor);

    mapisim_FreeBuffer(t->recipients);
    t->folder->lpVtbl->Release(t->folder);
    ipm->lpVtbl->Release(ipm);
    finish(&s);
    HeapFree(GetProcessHeap(), 0, open);
    HeapFree(GetProcessHeap(), 0, t);
    back_to_main_store(b, main_store);

    targets[0].text = "no growth: bytes live after 10,000 typical-message create/save/release cycles equal those after 10";
    targets[0].verdict = after_many == after_few ? PASS : FAIL;
    snprintf(targets[0].detail, sizeof(targets[0].detail), "%lld bytes after 10 cycles, %lld after %lu more",
             (long long)after_few, (long long)after_many, (unsigned long)cycles);
    targets[3].text = "save of a typical message within 2x of its floor";
    targets[3].verdict = timing_verdict(b->options, save.median <= 2 * floor.median);
    snprintf(targets[3].detail, sizeof(targets[3].detail), "%.2fx (%.0f us against %.0f us)",
             save.median / floor.median, save.median, floor.median);
}

/* ---- the floors checked: what msstore runs for each change, traced in its own code linked in ---- */

/* The statements of a change's transaction, msstore's and its floor's. */
struct floor_check {
    const char *what;
    struct statement_tally msstore, floor;
};

/*
 * Each floor runs the statements msstore runs: msstore's own code, linked
 * into the bench (its MSProviderInit, not the DLL's, whose SQLite the bench
 * cannot trace), saves a typical message, moves, copies, deletes and
 * read-flags messages of a scratch store; each floor then makes the same change there.
 * The statements of each one's transaction, counted by their text, must be
 * the same (target). And how many msstore runs outside its save's transaction.
 */
static void check_floors(struct bench *b, struct report *r, struct target *target)
{
    MSPROVIDERINIT *dll_init = b->init;
    WCHAR main_store[MAX_PATH];
    struct mapisim_session s;
    struct typical *t = HeapAlloc(GetProcessHeap(), 0, sizeof(*t));
    struct floor_check *checks = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, 5 * sizeof(*checks));
    struct bulk k;
    ENTRYLIST copies;
    LONGLONG *floor_copies;
    IMAPIFolder *ipm;
    const char *differing = NULL;
    ULONG outside, i;

    tally_install(); /* before the connections open */
    use_scratch_store(b, main_store);
    b->init = MSProviderInit;
    start(b, &s);
    ipm = ipm_subtree(s.store);
    if (FAILED(ipm->lpVtbl->CreateFolder(ipm, FOLDER_GENERIC, (LPTSTR)"Typical", NULL, NULL, 0, &t->folder))) exit(2);
    typical_prepare(t, t->folder);
    save_typical_message(b, t); /* the session's first save, and the floor's template */
    checks[0].what = "save";
    tally_start(&checks[0].msstore);
    save_typical_message(b, t);
    tally_stop();
    outside = checks[0].msstore.outside;
    memset(&k, 0, sizeof(k));
    k.folder = t->folder;
    bulk_list(&k, t->saved);
    if (save_floor_open(b->store, k.ids[0], &t->floor) != STORAGE_OK) exit(2);
    tally_start(&checks[0].floor);
    floor_save_typical_message(b, t);
    tally_stop();
    bulk_unlist(&k);

    bulk_list(&k, t->saved + t->floor_saved); /* the floor's message among them */
    if (FAILED(ipm->lpVtbl->CreateFolder(ipm, FOLDER_GENERIC, (LPTSTR)"Away", NULL, NULL, 0, &k.away)) ||
        floor_connect(b->store, &k.floor) != STORAGE_OK)
        exit(2);
    k.folder_id = folder_object_id(k.folder);
    k.away_id = folder_object_id(k.away);
    checks[1].what = "move";
    tally_start(&checks[1].msstore);
    bulk_move(b, &k);
    tally_start(&checks[1].floor);
    floor_bulk_move(b, &k); /* back */
    checks[2].what = "copy", checks[3].what = "delete";
    tally_start(&checks[2].msstore);
    copy_beside(&k, &copies);
    tally_start(&checks[3].msstore);
    delete_messages(&k, &copies);
    tally_start(&checks[2].floor);
    floor_copies = floor_copy_beside(&k);
    tally_start(&checks[3].floor);
    floor_delete_copies(&k, floor_copies);
    checks[4].what = "SetReadFlags";
    tally_start(&checks[4].msstore);
    bulk_read_flags(b, &k); /* read */
    tally_start(&checks[4].floor);
    floor_bulk_read_flags(b, &k); /* unread */
    tally_stop();
    free_entry_ids(&copies);
    HeapFree(GetProcessHeap(), 0, floor_copies);

    for (i = 0; i < 5 && tally_same(&checks[i].msstore, &checks[i].floor, &differing); i++) continue;
    amount(r, "statements in the transaction of a typical message's save (msstore's, traced)", "calls",
           checks[0].msstore.total);
    amount(r, "statements msstore runs for a typical message outside its save's transaction", "calls", outside);
    target->text = "the floors run msstore's own statements for the same changes (traced)";
    target->verdict = i == 5 ? PASS : FAIL;
    if (i == 5)
        snprintf(target->detail, sizeof(target->detail),
                 "save %lu, move %lu, copy %lu, delete %lu, SetReadFlags %lu statements",
                 (unsigned long)checks[0].floor.total, (unsigned long)checks[1].floor.total,
                 (unsigned long)checks[2].floor.total, (unsigned long)checks[3].floor.total,
                 (unsigned long)checks[4].floor.total);
    else
        snprintf(target->detail, sizeof(target->detail), "%s (%lu against %lu): %.60s", checks[i].what,
                 (unsigned long)checks[i].floor.total, (unsigned long)checks[i].msstore.total, differing);

    storage_close(k.floor);
    save_floor_close(t->floor);
    bulk_unlist(&k);
    k.away->lpVtbl->Release(k.away);
    mapisim_FreeBuffer(t->recipients);
    t->folder->lpVtbl->Release(t->folder);
    ipm->lpVtbl->Release(ipm);
    finish(&s);
    tally_uninstall();
    HeapFree(GetProcessHeap(), 0, checks);
    HeapFree(GetProcessHeap(), 0, t);
    back_to_main_store(b, main_store);
    b->init = dll_init;
}

/* ---- 6. import and export of real .msg files ---- */

/* The .msg files of dir, into *out (NULL when none), and their bytes, all told: how many. */
static ULONG list_msg_files(const char *dir, WCHAR (**out)[MAX_PATH], ULONGLONG *bytes)
{
    WCHAR folder[MAX_PATH], pattern[MAX_PATH];
    WIN32_FIND_DATAW found;
    HANDLE search;
    ULONG count = 0, capacity = 16;
    *out = NULL, *bytes = 0;
    MultiByteToWideChar(CP_ACP, 0, dir, -1, folder, MAX_PATH - 8);
    swprintf(pattern, MAX_PATH, L"%ls\\*.msg", folder);
    if ((search = FindFirstFileW(pattern, &found)) == INVALID_HANDLE_VALUE) return 0;
    *out = HeapAlloc(GetProcessHeap(), 0, capacity * sizeof(**out));
    do {
        if (count == capacity) *out = HeapReAlloc(GetProcessHeap(), 0, *out, (capacity *= 2) * sizeof(**out));
        swprintf((*out)[count++], MAX_PATH, L"%ls\\%ls", folder, found.cFileName);
        *bytes += (ULONGLONG)found.nFileSizeHigh << 32 | found.nFileSizeLow;
    } while (FindNextFileW(search, &found));
    FindClose(search);
    return count;
}

/*
 * The real .msg files of --msg-samples (the suite's, most written by Outlook) imported one after
 * another into a folder of a store of their own, then each imported message exported again
 * (as a Unicode file, whatever the sample's width): files per second both ways, each figure a
 * pass over all the files.
 */
static void msg_samples(struct bench *b, struct report *r)
{
    struct msg_bench m;
    struct mapisim_session s;
    struct timing imported, exported;
    WCHAR main_store[MAX_PATH];
    IMAPIFolder *ipm;
    ULONGLONG bytes = 0;
    char name[128];
    memset(&m, 0, sizeof(m));
    if (b->options->msg_samples) m.source_count = list_msg_files(b->options->msg_samples, &m.sources, &bytes);
    if (!m.source_count) {
        note(r, "import and export of the sample .msg files: skipped (no .msg file in a --msg-samples folder)");
        return;
    }
    use_scratch_store(b, main_store);
    start(b, &s);
    ipm = ipm_subtree(s.store);
    if (FAILED(ipm->lpVtbl->CreateFolder(ipm, FOLDER_GENERIC, (LPTSTR) "Imported", NULL, NULL, 0, &m.folder))) exit(2);
    m.store = s.store;
    make_msg_dir(&m);

    imported = measure(b, import_msg_file, &m, (int)m.source_count);
    list_entry_ids(m.folder, m.source_count, FALSE, &m.exports); /* the first saved: each file once, in turn */
    exported = measure(b, export_message, &m, (int)m.exports.cValues);
    snprintf(name, sizeof(name), "the %lu sample .msg files, all told", (unsigned long)m.source_count);
    amount(r, name, "bytes", (double)bytes);
    metric(r, "import of a sample .msg file (read, CreateMessage ... SaveChanges), per file", "us", imported);
    amount(r, "sample .msg files imported per second", "files/s", 1e6 / imported.median);
    metric(r, "export of an imported sample to a .msg file (as Unicode), per file", "us", exported);
    amount(r, "sample .msg files exported per second (as Unicode)", "files/s", 1e6 / exported.median);

    free_entry_ids(&m.exports);
    remove_msg_dir(&m);
    HeapFree(GetProcessHeap(), 0, m.sources);
    m.folder->lpVtbl->Release(m.folder);
    ipm->lpVtbl->Release(ipm);
    finish(&s);
    back_to_main_store(b, main_store);
}

/* ---- 8. a second process reading tables while this one saves ---- */

#define READER_SILENCE_MS 60000 /* the longest the reader may say nothing before it is ended */
#define READER_ID_MAX 256        /* bytes of the folder's entry ID, given to it in hex */

/*
 * The reader: this program again, started with --reader STORE FOLDER MILLISECONDS. It says
 * "ready" once logged on, reads for MILLISECONDS, says how many tables it read, and ends by
 * itself; what it writes (stdout and stderr) comes back through a pipe.
 */
struct reader_process {
    HANDLE process, output; /* output: the pipe's read end */
    char said[256];         /* what it wrote, not yet taken as a line */
    DWORD length;
};

/* The reader's side: Outlook's first page of the folder (its entry ID in hex) read again and again. */
static int run_reader(struct bench *b, char **args)
{
    struct first_page page = {NULL, (const SSortOrderSet *)&by_delivery_descending, NULL, 0};
    struct mapisim_session s;
    BYTE id[READER_ID_MAX];
    ULONG size = 0, type, reads = 0;
    unsigned int byte;
    const char *hex;
    double duration = atof(args[2]) * 1000, begin, elapsed;
    MultiByteToWideChar(CP_ACP, 0, args[0], -1, b->store, MAX_PATH);
    for (hex = args[1]; hex[0] && size < sizeof(id) && sscanf(hex, "%2x", &byte) == 1; hex += 2) id[size++] = (BYTE)byte;
    start(b, &s);
    if (FAILED(s.store->lpVtbl->OpenEntry(s.store, size, (LPENTRYID)id, NULL, 0, &type, (LPUNKNOWN *)&page.folder))) {
        fprintf(stderr, "msstore-bench: the reader does not open its folder\n");
        return 2;
    }
    first_page(b, &page); /* warm-up */
    printf("ready\n");
    fflush(stdout);
    begin = now_us();
    do {
        first_page(b, &page);
        reads++;
    } while ((elapsed = now_us() - begin) < duration);
    printf("%lu tables read in %.0f us\n", (unsigned long)reads, elapsed);
    fflush(stdout);
    page.folder->lpVtbl->Release(page.folder);
    finish(&s);
    return 0;
}

/* Waits for the reader to end (at once with at_once), ending it if it does not. */
static void end_reader(struct reader_process *p, BOOL at_once)
{
    if (WaitForSingleObject(p->process, at_once ? 0 : 10000) != WAIT_OBJECT_0) {
        TerminateProcess(p->process, 1);
        WaitForSingleObject(p->process, 10000);
    }
    CloseHandle(p->process);
    CloseHandle(p->output);
}

static void reader_failed(struct reader_process *p, const char *what, const char *said)
{
    fprintf(stderr, "msstore-bench: the reader process %s%s\n", what, said);
    end_reader(p, TRUE);
    exit(2);
}

static void start_reader(struct bench *b, const SBinary *folder_id, int milliseconds, struct reader_process *p)
{
    SECURITY_ATTRIBUTES inherited = {sizeof(inherited), NULL, TRUE};
    STARTUPINFOW startup;
    PROCESS_INFORMATION process;
    WCHAR self[MAX_PATH], command[3 * MAX_PATH + 2 * READER_ID_MAX + 16], *at;
    HANDLE input;
    ULONG i;
    int written;
    GetModuleFileNameW(NULL, self, MAX_PATH);
    written = swprintf(command, 3 * MAX_PATH, L"\"%ls\" --dll \"%hs\" --reader \"%ls\" ", self, b->options->dll, b->store);
    if (written < 0 || folder_id->cb > READER_ID_MAX) exit(2);
    for (at = command + written, i = 0; i < folder_id->cb; i++) at += swprintf(at, 3, L"%02X", folder_id->lpb[i]);
    swprintf(at, 16, L" %d", milliseconds);
    if (!CreatePipe(&p->output, &input, &inherited, 0)) exit(2);
    SetHandleInformation(p->output, HANDLE_FLAG_INHERIT, 0);
    memset(&startup, 0, sizeof(startup));
    startup.cb = sizeof(startup);
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdOutput = startup.hStdError = input;
    if (!CreateProcessW(NULL, command, NULL, NULL, TRUE, 0, NULL, NULL, &startup, &process)) {
        fprintf(stderr, "msstore-bench: the reader process does not start\n");
        exit(2);
    }
    CloseHandle(input); /* the reader's copy is then the only one: the pipe breaks when it ends */
    CloseHandle(process.hThread);
    p->process = process.hProcess;
    p->length = 0;
}

/* Whether the reader has written a whole line (then in line); ends the run if it ended or is silent too long. */
static BOOL reader_line(struct reader_process *p, double since, char *line, size_t size)
{
    BOOL ended = WaitForSingleObject(p->process, 0) == WAIT_OBJECT_0; /* before the pipe is read: nothing is missed */
    DWORD available = 0, got = 0, room = sizeof(p->said) - 1 - p->length;
    char *end;
    if (PeekNamedPipe(p->output, NULL, 0, NULL, &available, NULL) && available)
        ReadFile(p->output, p->said + p->length, available < room ? available : room, &got, NULL);
    p->length += got;
    p->said[p->length] = 0;
    if ((end = strchr(p->said, '\n')) || p->length == sizeof(p->said) - 1) {
        DWORD taken = end ? (DWORD)(end - p->said) + 1 : p->length;
        snprintf(line, size, "%.*s", (int)taken, p->said);
        memmove(p->said, p->said + taken, p->length - taken);
        p->length -= taken;
        return TRUE;
    }
    if (!got && ended) reader_failed(p, "ended, having said: ", p->said);
    if (now_us() - since > READER_SILENCE_MS * 1e3) reader_failed(p, "says nothing", "");
    return FALSE;
}

/* The typical messages saved into the folder the reader reads. */
struct concurrency {
    struct typical *typical;
    SBinary folder_id;
    int milliseconds; /* the reader's time, and the saver's alone */
};

/* One round: the saver alone, the reader alone, or both at once (the saver then saving until the reader is done). */
static void concurrency_round(struct bench *b, struct concurrency *c, BOOL saving, BOOL reading,
                              double *saves_per_second, double *reads_per_second)
{
    struct reader_process reader;
    char line[256];
    unsigned long reads = 0;
    double begin, elapsed, read_us = 0;
    ULONG saved = 0;
    if (reading) {
        start_reader(b, &c->folder_id, c->milliseconds, &reader);
        begin = now_us();
        while (!reader_line(&reader, begin, line, sizeof(line))) Sleep(1);
        if (strncmp(line, "ready", 5)) reader_failed(&reader, "said: ", line);
    }
    begin = now_us();
    while (reading ? !reader_line(&reader, begin, line, sizeof(line)) : now_us() - begin < c->milliseconds * 1e3) {
        if (saving) save_typical_message(b, c->typical), saved++;
        else Sleep(1);
    }
    elapsed = now_us() - begin;
    if (reading) {
        if (sscanf(line, "%lu tables read in %lf us", &reads, &read_us) != 2 || !read_us)
            reader_failed(&reader, "said: ", line);
        end_reader(&reader, FALSE);
        *reads_per_second = reads * 1e6 / read_us;
    }
    if (saving) *saves_per_second = saved * 1e6 / elapsed;
}

/*
 * A second process opening Outlook's first page of a folder again and again (GetContentsTable,
 * Outlook's 15 columns, by delivery time, 50 rows) while this one saves typical messages into
 * it: both rates, each against the same alone, rounds of the three in turn. Figures only: the
 * benchmark issue sets no target here.
 */
static void concurrent_processes(struct bench *b, struct report *r)
{
    SizedSPropTagArray(1, id_tag) = {1, {PR_ENTRYID}};
    struct scale_folder folder = {FIRST_PAGE, NULL}; /* a first page to read from the start */
    struct concurrency c;
    struct mapisim_session s;
    struct timing saves[2], reads[2]; /* [0] alone, [1] both at once */
    double save_rates[2][REPETITIONS], read_rates[2][REPETITIONS];
    WCHAR main_store[MAX_PATH];
    IMAPIFolder *ipm;
    SPropValue *id = NULL;
    ULONG count;
    int round, both;

    use_scratch_store(b, main_store);
    start(b, &s);
    ipm = ipm_subtree(s.store);
    fill_scale_folder(ipm, &folder);
    if (FAILED(folder.folder->lpVtbl->GetProps(folder.folder, (LPSPropTagArray)&id_tag, 0, &count, &id)) ||
        id->ulPropTag != PR_ENTRYID)
        exit(2);
    c.typical = HeapAlloc(GetProcessHeap(), 0, sizeof(*c.typical));
    typical_prepare(c.typical, folder.folder);
    c.folder_id = id->Value.bin;
    c.milliseconds = b->options->quick ? 200 : 1000;
    for (round = 0; round < b->repetitions; round++) {
        concurrency_round(b, &c, TRUE, FALSE, &save_rates[0][round], NULL);
        concurrency_round(b, &c, FALSE, TRUE, NULL, &read_rates[0][round]);
        concurrency_round(b, &c, TRUE, TRUE, &save_rates[1][round], &read_rates[1][round]);
    }
    for (both = 0; both < 2; both++) {
        saves[both] = summarize(save_rates[both], b->repetitions);
        reads[both] = summarize(read_rates[both], b->repetitions);
    }
    metric(r, "two processes: typical messages saved per second by the first, alone", "messages/s", saves[0]);
    metric(r, "two processes: typical messages saved per second by the first while the second reads", "messages/s",
           saves[1]);
    metric(r, "two processes: contents table first pages read per second by the second, alone", "tables/s", reads[0]);
    metric(r, "two processes: contents table first pages read per second by the second while the first saves",
           "tables/s", reads[1]);
    amount(r, "two processes: saves per second, both at once / alone", "ratio", saves[1].median / saves[0].median);
    amount(r, "two processes: first pages read per second, both at once / alone", "ratio",
           reads[1].median / reads[0].median);

    mapisim_FreeBuffer(id);
    mapisim_FreeBuffer(c.typical->recipients);
    HeapFree(GetProcessHeap(), 0, c.typical);
    folder.folder->lpVtbl->Release(folder.folder);
    ipm->lpVtbl->Release(ipm);
    finish(&s);
    back_to_main_store(b, main_store);
}

/* Prints the verdicts; FALSE if any judged target failed. */
static BOOL print_targets(const struct report *r, const struct target *targets, int count)
{
    static const char *const words[] = {"FAIL", "PASS", "NOT JUDGED"};
    BOOL all_met = TRUE;
    int i;
    if (r->options->json) printf("\n], \"targets\": [");
    for (i = 0; i < count; i++) {
        if (r->options->json)
            printf("%s\n  {\"target\": \"%s\", \"verdict\": \"%s\", \"detail\": \"%s\"}", i ? "," : "",
                   targets[i].text, words[targets[i].verdict], targets[i].detail);
        else
            printf("%s %s: %s\n", words[targets[i].verdict], targets[i].text, targets[i].detail);
        all_met &= targets[i].verdict != FAIL;
    }
    if (r->options->json) printf("\n]}\n");
    return all_met;
}

/* Bytes live after cycles session cycles, all ended. */
static LONG64 bytes_after_cycles(struct bench *b, int cycles)
{
    int i;
    for (i = 0; i < cycles; i++) session_cycle(b, NULL);
    return live_bytes();
}

int main(int argc, char **argv)
{
    struct options options = {.dll = "msstore32.dll"};
    struct bench b;
    struct report report;
    struct mapisim_provider_dll dll;
    struct mapisim_session s;
    struct teardown no_folders = {0, 0, 0}, teardowns[3] = {{1000, 0, 0}, {10000, 0, 0}, {100000, 0, 0}};
    struct timing cycle, floor, bare_logoff, teardown_times[3];
    struct target targets[14];
    IMAPITable *table = NULL, *tables[100];
    IMAPIFolder *root = NULL;
    ULONG type, i, row_count = 0;
    LONG64 before, walk_bytes, table_bytes, after_few, after_many;
    char why[512], name[96];
    int scale, a, many_cycles;
    BOOL met;

    for (a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--json")) options.json = TRUE;
        else if (!strcmp(argv[a], "--quick")) options.quick = TRUE;
        else if (!strcmp(argv[a], "--dll") && a + 1 < argc) options.dll = argv[++a];
        else if (!strcmp(argv[a], "--msg-samples") && a + 1 < argc) options.msg_samples = argv[++a];
        else if (!strcmp(argv[a], "--reader") && a + 3 < argc) options.reader = &argv[a + 1], a += 3; /* not for users */
        else {
            fprintf(stderr, "usage: msstore-bench [--dll PATH] [--json] [--quick] [--msg-samples DIR]\n");
            return 2;
        }
    }
    if (FAILED(mapisim_load_provider(options.dll, &dll, why, sizeof(why)))) {
        fprintf(stderr, "msstore-bench: %s\n", why);
        return 2;
    }
    memset(&b, 0, sizeof(b));
    b.options = &options;
    b.init = dll.init;
    if (options.reader) {
        int status = run_reader(&b, options.reader);
        mapisim_unload_provider(&dll);
        return status;
    }
    b.repetitions = options.quick ? 1 : REPETITIONS;
    scale = options.quick ? 100 : 1;
    report.options = &options;
    report.first_metric = TRUE;
    mapisim_scratch_store_path(b.store);
    if (options.json) printf("{\"dll\": \"%s\", \"repetitions\": %d, \"metrics\": [", options.dll, b.repetitions);
    else printf("msstore-bench: %s, %d repetition(s), medians (low .. high)\n\n", options.dll, b.repetitions);

    /* 1. The session cycle, against the same MAPI calls and allocations made by a stand-in. */
    session_cycle(&b, NULL); /* the store file made: from here on Logon opens it, as at every Outlook start */
    record_cycle(&b);
    cycle = measure(&b, session_cycle, NULL, 2000 / scale);
    floor = measure(&b, floor_cycle, NULL, 2000 / scale);
    metric(&report, "session cycle", "us", cycle);
    metric(&report, "session cycle floor (same MAPI calls, the file opened, its identity read)", "us", floor);
    amount(&report, "session cycle: MAPI allocations", "calls", (double)(b.buffer_allocations + b.more_allocations));

    /* 2. Teardown with 1,000 / 10,000 / 100,000 open folders, after the Logoff of a store with none open. */
    bare_logoff = measure_teardown(&b, &no_folders);
    metric(&report, "Logoff with no open folders", "us", bare_logoff);
    for (i = 0; i < 3; i++) {
        if (options.quick) teardowns[i].folders /= 10;
        teardown_times[i] = measure_teardown(&b, &teardowns[i]);
        snprintf(name, sizeof(name), "Logoff with %lu open folders, per folder", (unsigned long)teardowns[i].folders);
        metric(&report, name, "ns", scaled(teardown_times[i], 1000.0 / teardowns[i].folders));
    }

    /* 3, 4 and 5: on one logged-on store. */
    start(&b, &s);
    s.store->lpVtbl->OpenEntry(s.store, 0, NULL, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&root);
    root->lpVtbl->GetHierarchyTable(root, CONVENIENT_DEPTH, &table);
    table->lpVtbl->GetRowCount(table, 0, &row_count);
    before = live_bytes();
    metric(&report, "Outlook's opening walk", "us", measure(&b, opening_walk, s.store, 1000 / scale));
    walk_bytes = live_bytes() - before;
    metric(&report, "store GetProps of the required properties", "ns",
           in_nanoseconds(measure(&b, store_getprops, s.store, 100000 / scale)));
    snprintf(name, sizeof(name), "hierarchy table QueryRows (%lu rows x %lu columns)", (unsigned long)row_count,
             (unsigned long)column_count(table));
    metric(&report, name, "ns", in_nanoseconds(measure(&b, hierarchy_queryrows, table, 100000 / scale)));
    metric(&report, "CreateFolder, then DeleteFolder (two commits)", "us",
           measure(&b, create_and_delete_folder, root, 200 / (options.quick ? 20 : 1)));
    before = live_bytes();
    for (i = 0; i < ARRAYSIZE(tables); i++) root->lpVtbl->GetHierarchyTable(root, CONVENIENT_DEPTH, &tables[i]);
    table_bytes = (live_bytes() - before) / (LONG64)ARRAYSIZE(tables);
    for (i = 0; i < ARRAYSIZE(tables); i++) tables[i]->lpVtbl->Release(tables[i]);
    amount(&report, "provider memory per open folder object", "bytes", (double)teardowns[1].bytes_per_folder);
    amount(&report, "provider memory per open hierarchy table", "bytes", (double)table_bytes);
    amount(&report, "bytes left live by the opening walk", "bytes", (double)walk_bytes);
    amount(&report, "bytes live while the store is open", "bytes", (double)live_bytes());
    table->lpVtbl->Release(table);
    root->lpVtbl->Release(root);
    finish(&s);

    /* No growth: as many bytes live after 10,000 cycles as after 10. */
    after_few = bytes_after_cycles(&b, 10);
    many_cycles = options.quick ? 100 : 10000;
    after_many = bytes_after_cycles(&b, many_cycles);
    amount(&report, "bytes live after 10 session cycles", "bytes", (double)after_few);
    snprintf(name, sizeof(name), "bytes live after %d more", many_cycles);
    amount(&report, name, "bytes", (double)after_many);

    targets[0].text = "session cycle within 3x of its floor";
    targets[0].verdict = timing_verdict(&options, cycle.median <= 3 * floor.median);
    snprintf(targets[0].detail, sizeof(targets[0].detail), "%.2fx", cycle.median / floor.median);
    /* The issue asked for 7 to 13 (a linear walk); the teardown visits no object, so only the upper bound matters. */
    targets[1].text = "teardown t(100k)/t(10k) at most 13 (no worse than linear)";
    targets[1].verdict = timing_verdict(&options, teardown_times[2].median / teardown_times[1].median <= 13);
    snprintf(targets[1].detail, sizeof(targets[1].detail), "%.2f for %lu and %lu folders",
             teardown_times[2].median / teardown_times[1].median, (unsigned long)teardowns[2].folders,
             (unsigned long)teardowns[1].folders);
    targets[2].text = "no growth: bytes live after 10,000 session cycles equal those after 10";
    targets[2].verdict = after_many == after_few ? PASS : FAIL;
    snprintf(targets[2].detail, sizeof(targets[2].detail), "%lld bytes after 10 cycles, %lld after %d more",
             (long long)after_few, (long long)after_many, many_cycles);
    targets[3].text = "under 256 bytes per open folder object";
    targets[3].verdict = teardowns[1].bytes_per_folder < 256 ? PASS : FAIL;
    snprintf(targets[3].detail, sizeof(targets[3].detail), "%lld bytes", (long long)teardowns[1].bytes_per_folder);
    contents_tables_at_scale(&b, &report, &targets[4]);
    typical_messages(&b, &report, &targets[9]);
    check_floors(&b, &report, &targets[13]);
    msg_samples(&b, &report);
    concurrent_processes(&b, &report);
    if (!options.json) printf("\n");
    met = print_targets(&report, targets, ARRAYSIZE(targets));
    mapisim_unload_provider(&dll);
    mapisim_remove_store(b.store);
    return met ? 0 : 1;
}
