/*
 * Live tables and notifications (D19), as a client sees them through one logon:
 *
 * - hierarchy tables held open (CONVENIENT_DEPTH and one-level) follow
 *   CreateFolder, renames, DeleteFolder, CopyFolder (COPY_SUBFOLDERS) and
 *   moves into, out of and within their subtree, without being reopened;
 * - a view keeps its sort order and restriction while rows change, and its
 *   cursor and bookmarks stay on their rows;
 * - fnevTableModified notifications (TABLE_ROW_ADDED/MODIFIED/DELETED) name
 *   rows by PR_INSTANCE_KEY, with propPrior the row before (PR_NULL at the
 *   top) and the row in the table's current columns; each table hears only
 *   of its own view, and a client replaying them one by one on its copy of
 *   the rows (struct replica) ends with the table's rows;
 * - object notifications (fnevObjectCreated/Modified/Deleted/Moved/Copied)
 *   reach sinks advised on the store and on a folder's own entry ID, with
 *   the right entry IDs, and only the events of their mask;
 * - Unadvise, a table's Release and a logoff end notifications; a failed
 *   change sends none; a sink may call back into the store from OnNotify.
 *
 * Every test works under a folder of its own ("Base") in a fresh store, so
 * that the rows expected are the test's. Views are written "Name/depth ...",
 * table events "+Added/depth@Prior", "~Modified/depth@Prior", "-Deleted"
 * (Prior "^": the top), object events "created X in Parent" and the like.
 */
#include "harness.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_RECORDS 80
#define MAX_ROWS 160
#define MAX_HELD 24
#define MAX_KNOWN 40
#define BLOB_MAX 64
#define NAME_MAX_CHARS 40
#define ROW_TAGS 8
#define NO_DEPTH (-99)
#define TEXT_SIZE 4096
#define ALL_OBJECT_EVENTS \
    (fnevObjectCreated | fnevObjectModified | fnevObjectDeleted | fnevObjectMoved | fnevObjectCopied)

/* ---- text ---- */

static void append(char *text, const char *format, ...) __attribute__((format(printf, 2, 3)));
static void append(char *text, const char *format, ...)
{
    size_t used = strlen(text);
    va_list args;
    va_start(args, format);
    vsnprintf(text + used, TEXT_SIZE - used, format, args);
    va_end(args);
}

/* ---- a recording advise sink ---- */

struct blob {
    ULONG cb;
    BYTE ab[BLOB_MAX];
};

static BOOL blob_equal(const struct blob *a, const struct blob *b)
{
    return a->cb == b->cb && !memcmp(a->ab, b->ab, a->cb);
}

/* What one notification said, copied during OnNotify (MAPI frees it right after). */
struct record {
    ULONG event;
    /* fnevTableModified */
    ULONG table_event;
    ULONG index_tag, prior_tag;
    struct blob index, prior;
    ULONG row_count;
    ULONG row_tags[ROW_TAGS];
    char name[NAME_MAX_CHARS]; /* the row's PR_DISPLAY_NAME_A, "" without */
    LONG depth;                /* the row's PR_DEPTH, NO_DEPTH without */
    BOOL has_row_key;
    struct blob row_key; /* the row's PR_INSTANCE_KEY */
    /* object notifications */
    ULONG obj_type;
    struct blob entry, parent, old, old_parent;
};

/* What the sink does from OnNotify, after recording. */
enum callback { CALL_NOTHING, CALL_STORE_GETPROPS, CALL_TABLE_READ, CALL_CREATE_FOLDER_ONCE };

struct recorder {
    IMAPIAdviseSink IMAPIAdviseSink_iface;
    LONG refs;
    ULONG calls;   /* OnNotify calls */
    ULONG count;   /* notifications recorded */
    ULONG seen;    /* how many of them the test has checked */
    BOOL overflow; /* more than it could record, or a value too large */
    struct record records[MAX_RECORDS];
    enum callback callback;
    IMsgStore *store;     /* CALL_STORE_GETPROPS */
    IMAPITable *table;    /* CALL_TABLE_READ */
    IMAPIFolder *folder;  /* CALL_CREATE_FOLDER_ONCE: where "Echo" is made */
    ULONG callbacks;
    HRESULT callback_result; /* the first failure of a callback, or S_OK */
    ULONG callback_rows;     /* GetRowCount from the last CALL_TABLE_READ */
};

static struct recorder *recorder_of(IMAPIAdviseSink *iface)
{
    return CONTAINING_RECORD(iface, struct recorder, IMAPIAdviseSink_iface);
}

static HRESULT STDMETHODCALLTYPE recorder_QueryInterface(IMAPIAdviseSink *iface, REFIID riid, void **ppv)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMAPIAdviseSink)) {
        *ppv = iface;
        iface->lpVtbl->AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE recorder_AddRef(IMAPIAdviseSink *iface)
{
    return (ULONG)InterlockedIncrement(&recorder_of(iface)->refs);
}

static ULONG STDMETHODCALLTYPE recorder_Release(IMAPIAdviseSink *iface)
{
    return (ULONG)InterlockedDecrement(&recorder_of(iface)->refs);
}

static void copy_blob(struct blob *out, ULONG cb, const void *data, BOOL *overflow)
{
    if (cb > BLOB_MAX || (cb && !data)) {
        *overflow = TRUE;
        return;
    }
    out->cb = cb;
    if (cb) memcpy(out->ab, data, cb);
}

static void copy_key(struct blob *out, const SPropValue *value, BOOL *overflow)
{
    if (PROP_TYPE(value->ulPropTag) == PT_BINARY) copy_blob(out, value->Value.bin.cb, value->Value.bin.lpb, overflow);
}

static void record(struct record *r, const NOTIFICATION *n, BOOL *overflow)
{
    ULONG c;
    memset(r, 0, sizeof(*r));
    r->event = n->ulEventType;
    r->depth = NO_DEPTH;
    if (n->ulEventType == fnevTableModified) {
        const TABLE_NOTIFICATION *t = &n->info.tab;
        r->table_event = t->ulTableEvent;
        r->index_tag = t->propIndex.ulPropTag;
        r->prior_tag = t->propPrior.ulPropTag;
        copy_key(&r->index, &t->propIndex, overflow);
        copy_key(&r->prior, &t->propPrior, overflow);
        r->row_count = t->row.cValues;
        for (c = 0; c < t->row.cValues; c++) {
            const SPropValue *v = &t->row.lpProps[c];
            if (c < ROW_TAGS) r->row_tags[c] = v->ulPropTag;
            if (v->ulPropTag == PR_DISPLAY_NAME_A && v->Value.lpszA) {
                snprintf(r->name, sizeof(r->name), "%s", v->Value.lpszA);
            } else if (v->ulPropTag == PR_DEPTH) {
                r->depth = v->Value.l;
            } else if (v->ulPropTag == PR_INSTANCE_KEY) {
                r->has_row_key = TRUE;
                copy_key(&r->row_key, v, overflow);
            }
        }
    } else {
        const OBJECT_NOTIFICATION *o = &n->info.obj;
        r->obj_type = o->ulObjType;
        copy_blob(&r->entry, o->cbEntryID, o->lpEntryID, overflow);
        copy_blob(&r->parent, o->cbParentID, o->lpParentID, overflow);
        copy_blob(&r->old, o->cbOldID, o->lpOldID, overflow);
        copy_blob(&r->old_parent, o->cbOldParentID, o->lpOldParentID, overflow);
    }
}

static void callback_failed(struct recorder *r, HRESULT hr)
{
    if (FAILED(hr) && r->callback_result == S_OK) r->callback_result = hr;
}

/* Calls back into msstore from OnNotify: a lock still held would deadlock another thread or trip the lock rule. */
static void call_back(struct recorder *r)
{
    SizedSPropTagArray(1, name) = {1, {PR_DISPLAY_NAME_A}};
    SPropValue *values = NULL;
    SRowSet *rows = NULL;
    IMAPIFolder *echo = NULL;
    ULONG count = 0;
    HRESULT hr;

    switch (r->callback) {
    case CALL_NOTHING: return;
    case CALL_STORE_GETPROPS:
        hr = r->store->lpVtbl->GetProps(r->store, (LPSPropTagArray)&name, 0, &count, &values);
        callback_failed(r, hr);
        if (SUCCEEDED(hr) && (count != 1 || values[0].ulPropTag != PR_DISPLAY_NAME_A)) callback_failed(r, E_FAIL);
        mapisim_FreeBuffer(values);
        break;
    case CALL_TABLE_READ:
        callback_failed(r, hr = ABI_VTBL(IMAPITable, r->table)->GetRowCount(r->table, 0, &r->callback_rows));
        callback_failed(r, hr = ABI_VTBL(IMAPITable, r->table)->QueryRows(r->table, 1, TBL_NOADVANCE, &rows));
        free_rows(rows);
        break;
    case CALL_CREATE_FOLDER_ONCE:
        if (r->callbacks) break;
        hr = r->folder->lpVtbl->CreateFolder(r->folder, FOLDER_GENERIC, (LPTSTR) "Echo", NULL, NULL, 0, &echo);
        callback_failed(r, hr);
        if (echo) echo->lpVtbl->Release(echo);
        break;
    }
    r->callbacks++;
}

static ULONG STDMETHODCALLTYPE recorder_OnNotify(IMAPIAdviseSink *iface, ULONG cNotif, LPNOTIFICATION lpNotifications)
{
    struct recorder *r = recorder_of(iface);
    ULONG i;
    r->calls++;
    for (i = 0; i < cNotif; i++) {
        if (r->count == MAX_RECORDS) {
            r->overflow = TRUE;
            break;
        }
        record(&r->records[r->count++], &lpNotifications[i], &r->overflow);
    }
    call_back(r);
    return 0;
}

static const IMAPIAdviseSinkVtbl recorder_vtbl = {
    recorder_QueryInterface, recorder_AddRef, recorder_Release, recorder_OnNotify,
};

static void recorder_init(struct recorder *r)
{
    memset(r, 0, sizeof(*r));
    r->IMAPIAdviseSink_iface.lpVtbl = &recorder_vtbl;
    r->refs = 1;
}

/* ---- the test's folders ---- */

/* A folder the test made (or the store's root), held open, by the name the test calls it. */
struct held {
    char name[NAME_MAX_CHARS];
    char parent[NAME_MAX_CHARS];
    IMAPIFolder *folder;
    struct blob id;
};

/* An entry ID the test can name in object notifications. */
struct known {
    char name[NAME_MAX_CHARS];
    struct blob id;
};

struct fixture {
    struct mapisim_session s;
    ULONG held_count, known_count;
    struct held held[MAX_HELD];
    struct known known[MAX_KNOWN];
};

static struct held *held(struct fixture *f, const char *name)
{
    ULONG i;
    for (i = 0; i < f->held_count; i++)
        if (!strcmp(f->held[i].name, name)) return &f->held[i];
    fail_msg("the test holds no folder %s", name);
    return NULL;
}

static const char *name_of(const struct fixture *f, const struct blob *id)
{
    ULONG i;
    if (!id->cb) return "-";
    for (i = 0; i < f->known_count; i++)
        if (blob_equal(&f->known[i].id, id)) return f->known[i].name;
    return "?";
}

static BOOL name_known(const struct fixture *f, const char *name)
{
    ULONG i;
    for (i = 0; i < f->known_count; i++)
        if (!strcmp(f->known[i].name, name)) return TRUE;
    return FALSE;
}

/* Learns an entry ID's name; a name taken already by another ID gets a ' (a copy's). */
static void know(struct fixture *f, const char *name, ULONG cb, const BYTE *id)
{
    struct known *k;
    BOOL overflow = FALSE;
    struct blob b = {0, {0}};
    copy_blob(&b, cb, id, &overflow);
    assert_false(overflow);
    if (strcmp(name_of(f, &b), "?")) return;
    assert_true(f->known_count < MAX_KNOWN);
    k = &f->known[f->known_count];
    k->id = b;
    snprintf(k->name, sizeof(k->name), "%s", name);
    while (name_known(f, k->name)) {
        size_t n = strlen(k->name);
        assert_true(n + 1 < sizeof(k->name));
        k->name[n] = '\'';
        k->name[n + 1] = 0;
    }
    f->known_count++;
}

static void hold(struct fixture *f, const char *name, const char *parent, IMAPIFolder *folder)
{
    struct held *h;
    SPropValue *id = get_prop((IMAPIProp *)folder, PR_ENTRYID);
    BOOL overflow = FALSE;
    assert_true(f->held_count < MAX_HELD);
    assert_int_equal(id->ulPropTag, PR_ENTRYID);
    h = &f->held[f->held_count++];
    snprintf(h->name, sizeof(h->name), "%s", name);
    snprintf(h->parent, sizeof(h->parent), "%s", parent);
    h->folder = folder;
    copy_blob(&h->id, id->Value.bin.cb, id->Value.bin.lpb, &overflow);
    assert_false(overflow);
    know(f, name, id->Value.bin.cb, id->Value.bin.lpb);
    mapisim_FreeBuffer(id);
}

/* Every folder under Base (copies among them) gets its name. */
static void learn_names(struct fixture *f)
{
    SizedSPropTagArray(2, columns) = {2, {PR_DISPLAY_NAME_A, PR_ENTRYID}};
    IMAPIFolder *base = held(f, "Base")->folder;
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    ULONG i;
    assert_int_equal(base->lpVtbl->GetHierarchyTable(base, CONVENIENT_DEPTH, &table), S_OK);
    assert_int_equal(ABI_VTBL(IMAPITable, table)->SetColumns(table, (LPSPropTagArray)&columns, 0), S_OK);
    assert_int_equal(ABI_VTBL(IMAPITable, table)->QueryRows(table, MAX_ROWS, 0, &rows), S_OK);
    for (i = 0; i < rows->cRows; i++)
        know(f, rows->aRow[i].lpProps[0].Value.lpszA, rows->aRow[i].lpProps[1].Value.bin.cb,
             rows->aRow[i].lpProps[1].Value.bin.lpb);
    free_rows(rows);
    assert_int_equal(table->lpVtbl->Release(table), 0);
}

static HRESULT try_create(struct fixture *f, const char *parent, const char *name)
{
    IMAPIFolder *p = held(f, parent)->folder, *folder = NULL;
    HRESULT hr = p->lpVtbl->CreateFolder(p, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL, 0, &folder);
    if (SUCCEEDED(hr)) hold(f, name, parent, folder);
    return hr;
}

static void add(struct fixture *f, const char *parent, const char *name)
{
    assert_int_equal(try_create(f, parent, name), S_OK);
}

static HRESULT rename_folder(struct fixture *f, const char *name, const char *new_name)
{
    IMAPIFolder *folder = held(f, name)->folder;
    SPropValue value = {PR_DISPLAY_NAME_A, 0, {.lpszA = (char *)new_name}};
    return folder->lpVtbl->SetProps(folder, 1, &value, NULL);
}

static void set_comment(struct fixture *f, const char *name, const char *comment)
{
    IMAPIFolder *folder = held(f, name)->folder;
    SPropValue value = {PR_COMMENT_A, 0, {.lpszA = (char *)comment}};
    assert_int_equal(folder->lpVtbl->SetProps(folder, 1, &value, NULL), S_OK);
}

static void delete_comment(struct fixture *f, const char *name)
{
    IMAPIFolder *folder = held(f, name)->folder;
    SizedSPropTagArray(1, tags) = {1, {PR_COMMENT_A}};
    assert_int_equal(folder->lpVtbl->DeleteProps(folder, (LPSPropTagArray)&tags, NULL), S_OK);
}

/* DeleteFolder on the folder's parent. */
static HRESULT delete_folder(struct fixture *f, const char *name, ULONG flags)
{
    struct held *h = held(f, name);
    IMAPIFolder *parent = held(f, h->parent)->folder;
    return ABI_VTBL(IMAPIFolder, parent)->DeleteFolder(parent, h->id.cb, (LPENTRYID)h->id.ab, 0, NULL, flags);
}

/* CopyFolder on the folder's parent, into dest; names the copies it made. */
static HRESULT copy_folder(struct fixture *f, const char *name, const char *dest, const char *new_name, ULONG flags)
{
    struct held *h = held(f, name);
    IMAPIFolder *parent = held(f, h->parent)->folder, *to = held(f, dest)->folder;
    HRESULT hr = ABI_VTBL(IMAPIFolder, parent)->CopyFolder(parent, h->id.cb, (LPENTRYID)h->id.ab, NULL, to,
                                                           (LPTSTR)new_name, 0, NULL, flags);
    if (SUCCEEDED(hr) && (flags & FOLDER_MOVE)) snprintf(h->parent, sizeof(h->parent), "%s", dest);
    if (SUCCEEDED(hr) && !(flags & FOLDER_MOVE)) learn_names(f);
    return hr;
}

static HRESULT move_folder(struct fixture *f, const char *name, const char *dest)
{
    return copy_folder(f, name, dest, NULL, FOLDER_MOVE);
}

/* A fresh store, its root opened writable ("Root"), and the test's own folder under it ("Base"). */
static void open_fixture(struct fixture *f)
{
    memset(f, 0, sizeof(*f));
    session_start(&f->s);
    hold(f, "Root", "", open_root_for_writing(f->s.store));
    add(f, "Root", "Base");
}

static void close_fixture(struct fixture *f)
{
    ULONG i;
    for (i = f->held_count; i-- > 0;) assert_int_equal(f->held[i].folder->lpVtbl->Release(f->held[i].folder), 0);
    session_finish(&f->s);
}

/* ---- tables, and a client's copy of their rows ---- */

struct replica_row {
    struct blob key;
    char name[NAME_MAX_CHARS];
    LONG depth;
};

struct replica {
    ULONG count;
    struct replica_row rows[MAX_ROWS];
};

/* A table the test watches: its rows in the standard columns, a sink, and the client's copy of the rows. */
struct watch {
    IMAPITable *table;
    const IMAPITableAbiVtbl *v;
    struct recorder sink;
    ULONG_PTR connection;
    struct replica replica;
};

static SizedSPropTagArray(3, standard_columns) = {3, {PR_DISPLAY_NAME_A, PR_DEPTH, PR_INSTANCE_KEY}};

static void watch_open(struct fixture *f, struct watch *w, const char *folder, ULONG flags)
{
    IMAPIFolder *of = held(f, folder)->folder;
    memset(w, 0, sizeof(*w));
    recorder_init(&w->sink);
    assert_int_equal(of->lpVtbl->GetHierarchyTable(of, flags, &w->table), S_OK);
    w->v = ABI_VTBL(IMAPITable, w->table);
    assert_int_equal(w->v->SetColumns(w->table, (LPSPropTagArray)&standard_columns, 0), S_OK);
}

/* The table's rows in view order, the cursor left where it was. */
static void read_view(struct watch *w, struct replica *out)
{
    BOOKMARK_ABI mark = 0;
    SRowSet *rows = NULL;
    ULONG i;
    BOOL overflow = FALSE;
    assert_int_equal(w->v->CreateBookmark(w->table, &mark), S_OK);
    assert_int_equal(w->v->SeekRow(w->table, BOOKMARK_BEGINNING, 0, NULL), S_OK);
    assert_int_equal(w->v->QueryRows(w->table, MAX_ROWS, TBL_NOADVANCE, &rows), S_OK);
    assert_true(rows->cRows < MAX_ROWS);
    memset(out, 0, sizeof(*out));
    for (i = 0; i < rows->cRows; i++) {
        const SPropValue *props = rows->aRow[i].lpProps;
        assert_int_equal(rows->aRow[i].cValues, 3);
        assert_int_equal(props[0].ulPropTag, PR_DISPLAY_NAME_A);
        assert_int_equal(props[1].ulPropTag, PR_DEPTH);
        assert_int_equal(props[2].ulPropTag, PR_INSTANCE_KEY);
        snprintf(out->rows[i].name, NAME_MAX_CHARS, "%s", props[0].Value.lpszA);
        out->rows[i].depth = props[1].Value.l;
        copy_key(&out->rows[i].key, &props[2], &overflow);
    }
    out->count = rows->cRows;
    free_rows(rows);
    assert_false(overflow);
    assert_int_equal(w->v->SeekRow(w->table, mark, 0, NULL), S_OK);
    assert_int_equal(w->v->FreeBookmark(w->table, mark), S_OK);
}

static const char *replica_text(const struct replica *r, char *text)
{
    ULONG i;
    text[0] = 0;
    for (i = 0; i < r->count; i++) append(text, "%s%s/%ld", i ? " " : "", r->rows[i].name, (long)r->rows[i].depth);
    return text;
}

static void expect_view(struct watch *w, const char *expected)
{
    char text[TEXT_SIZE];
    struct replica now;
    read_view(w, &now);
    assert_string_equal(replica_text(&now, text), expected);
}

static ULONG row_count(struct watch *w)
{
    ULONG count = 0;
    assert_int_equal(w->v->GetRowCount(w->table, 0, &count), S_OK);
    return count;
}

/* The PR_INSTANCE_KEY of the row named name. */
static struct blob key_of(struct watch *w, const char *name)
{
    struct replica now;
    ULONG i;
    read_view(w, &now);
    for (i = 0; i < now.count; i++)
        if (!strcmp(now.rows[i].name, name)) return now.rows[i].key;
    fail_msg("no row %s", name);
    return now.rows[0].key;
}

/* Advise for fnevTableModified, the client's copy taken first (after the test set the view). */
static void watch_advise(struct watch *w)
{
    read_view(w, &w->replica);
    assert_int_equal(w->v->Advise(w->table, fnevTableModified, &w->sink.IMAPIAdviseSink_iface, &w->connection), S_OK);
    assert_true(w->connection != 0);
}

static void watch_close(struct watch *w)
{
    if (!w->table) return;
    if (w->connection) assert_int_equal(w->v->Unadvise(w->table, w->connection), S_OK);
    assert_int_equal(w->table->lpVtbl->Release(w->table), 0);
    w->table = NULL;
    assert_int_equal(w->sink.refs, 1);
}

static ULONG find_key(const struct replica *r, const struct blob *key)
{
    ULONG i;
    for (i = 0; i < r->count; i++)
        if (blob_equal(&r->rows[i].key, key)) return i;
    return (ULONG)-1;
}

static void replica_remove(struct replica *r, ULONG at)
{
    memmove(&r->rows[at], &r->rows[at + 1], (r->count - at - 1) * sizeof(r->rows[0]));
    r->count--;
}

/* Where a row goes after propPrior, which must be PR_NULL or a row the client has. */
static ULONG place_after_prior(const struct replica *r, const struct record *rec, char *text)
{
    ULONG prior;
    if (rec->prior_tag == PR_NULL) {
        append(text, "@^");
        return 0;
    }
    if (rec->prior_tag != PR_INSTANCE_KEY) fail_msg("propPrior is 0x%08lx, not PR_NULL or PR_INSTANCE_KEY", (unsigned long)rec->prior_tag);
    if ((prior = find_key(r, &rec->prior)) == (ULONG)-1)
        fail_msg("after \"%s\": the propPrior of %s names a row the client does not have", text, rec->name);
    append(text, "@%s", r->rows[prior].name);
    return prior + 1;
}

/* Applies one table notification to the client's copy as a client would, describing it into text. */
static void replica_apply(struct replica *r, const struct record *rec, char *text)
{
    struct replica_row row;
    ULONG at;
    if (text[0]) append(text, " ");
    if (rec->event != fnevTableModified) fail_msg("a table sink got event 0x%lx", (unsigned long)rec->event);
    if (rec->table_event == TABLE_CHANGED) {
        append(text, "changed");
        return;
    }
    if (rec->index_tag != PR_INSTANCE_KEY) fail_msg("propIndex is 0x%08lx", (unsigned long)rec->index_tag);
    at = find_key(r, &rec->index);
    switch (rec->table_event) {
    case TABLE_ROW_DELETED:
        if (at == (ULONG)-1) fail_msg("after \"%s\": TABLE_ROW_DELETED of a row the client does not have", text);
        append(text, "-%s", r->rows[at].name);
        replica_remove(r, at);
        return;
    case TABLE_ROW_ADDED:
    case TABLE_ROW_MODIFIED:
        if (rec->table_event == TABLE_ROW_ADDED && at != (ULONG)-1)
            fail_msg("after \"%s\": TABLE_ROW_ADDED of %s, a row the client has", text, rec->name);
        if (rec->table_event == TABLE_ROW_MODIFIED && at == (ULONG)-1)
            fail_msg("after \"%s\": TABLE_ROW_MODIFIED of %s, a row the client does not have", text, rec->name);
        if (rec->has_row_key) assert_true(blob_equal(&rec->row_key, &rec->index));
        append(text, "%c%s/%ld", rec->table_event == TABLE_ROW_ADDED ? '+' : '~', rec->name, (long)rec->depth);
        if (at != (ULONG)-1) replica_remove(r, at);
        at = place_after_prior(r, rec, text);
        memset(&row, 0, sizeof(row));
        row.key = rec->index;
        row.depth = rec->depth;
        snprintf(row.name, NAME_MAX_CHARS, "%s", rec->name);
        assert_true(r->count < MAX_ROWS);
        memmove(&r->rows[at + 1], &r->rows[at], (r->count - at) * sizeof(r->rows[0]));
        r->rows[at] = row;
        r->count++;
        return;
    default: fail_msg("table event 0x%lx", (unsigned long)rec->table_event);
    }
}

/*
 * The table notifications since the last check, applied one by one to the
 * client's copy: they read as expected (NULL: whatever they are), and the
 * copy they leave is the table's rows.
 */
static void expect_events(struct watch *w, const char *expected)
{
    char text[TEXT_SIZE] = "", mine[TEXT_SIZE], table[TEXT_SIZE];
    struct replica now;
    BOOL changed = FALSE;
    assert_false(w->sink.overflow);
    for (; w->sink.seen < w->sink.count; w->sink.seen++) {
        replica_apply(&w->replica, &w->sink.records[w->sink.seen], text);
        changed |= w->sink.records[w->sink.seen].table_event == TABLE_CHANGED;
    }
    if (expected) assert_string_equal(text, expected);
    if (changed) read_view(w, &w->replica); /* what TABLE_CHANGED asks of a client */
    read_view(w, &now);
    assert_string_equal(replica_text(&w->replica, mine), replica_text(&now, table));
}

/* ---- object notifications ---- */

static void describe_object(const struct fixture *f, const struct record *r, char *text)
{
    BOOL olds = r->old.cb || r->old_parent.cb;
    switch (r->event) {
    case fnevObjectCreated: append(text, "created %s in %s", name_of(f, &r->entry), name_of(f, &r->parent)); break;
    case fnevObjectModified: append(text, "modified %s in %s", name_of(f, &r->entry), name_of(f, &r->parent)); break;
    case fnevObjectDeleted: append(text, "deleted %s from %s", name_of(f, &r->entry), name_of(f, &r->parent)); break;
    case fnevObjectMoved:
        append(text, "moved %s from %s to %s", name_of(f, &r->entry), name_of(f, &r->old_parent),
               name_of(f, &r->parent));
        if (!blob_equal(&r->old, &r->entry)) append(text, " (was %s)", name_of(f, &r->old));
        olds = FALSE;
        break;
    case fnevObjectCopied:
        append(text, "copied %s from %s as %s in %s", name_of(f, &r->old), name_of(f, &r->old_parent),
               name_of(f, &r->entry), name_of(f, &r->parent));
        olds = FALSE;
        break;
    default: append(text, "event 0x%lx", (unsigned long)r->event); return;
    }
    if (olds) append(text, " [old IDs set]"); /* unused members are zero */
    if (r->obj_type != MAPI_FOLDER) append(text, " [type %lu]", (unsigned long)r->obj_type);
}

/* The object notifications since the last check, "; "-separated. */
static void expect_objects(struct fixture *f, struct recorder *sink, const char *expected)
{
    char text[TEXT_SIZE] = "";
    assert_false(sink->overflow);
    for (; sink->seen < sink->count; sink->seen++) {
        if (text[0]) append(text, "; ");
        describe_object(f, &sink->records[sink->seen], text);
    }
    assert_string_equal(text, expected);
}

/* IMsgStore::Advise on the store (name NULL) or on a held folder's entry ID. */
static ULONG_PTR advise_objects(struct fixture *f, const char *name, ULONG mask, struct recorder *sink)
{
    ULONG_PTR connection = 0;
    const struct blob *id = name ? &held(f, name)->id : NULL;
    assert_int_equal(ABI_VTBL(IMsgStore, f->s.store)
                         ->Advise(f->s.store, id ? id->cb : 0, id ? (LPENTRYID)id->ab : NULL, mask,
                                  &sink->IMAPIAdviseSink_iface, &connection),
                     S_OK);
    assert_true(connection != 0);
    return connection;
}

static void unadvise_objects(struct fixture *f, ULONG_PTR connection, struct recorder *sink)
{
    assert_int_equal(ABI_VTBL(IMsgStore, f->s.store)->Unadvise(f->s.store, connection), S_OK);
    assert_int_equal(sink->refs, 1);
}

/* ---- views that follow changes ---- */

static void sort_by_name(struct watch *w, ULONG order)
{
    SizedSSortOrderSet(1, sort) = {1, 0, 0, {{PR_DISPLAY_NAME_A, order}}};
    assert_int_equal(w->v->SortTable(w->table, (LPSSortOrderSet)&sort, 0), S_OK);
}

static void restrict_to_names_containing(struct watch *w, const char *text)
{
    SPropValue value = {PR_DISPLAY_NAME_A, 0, {.lpszA = (char *)text}};
    SRestriction r;
    r.rt = RES_CONTENT;
    r.res.resContent.ulFuzzyLevel = FL_SUBSTRING | FL_IGNORECASE;
    r.res.resContent.ulPropTag = PR_DISPLAY_NAME_A;
    r.res.resContent.lpProp = &value;
    assert_int_equal(w->v->Restrict(w->table, &r, 0), S_OK);
}

static void restrict_to_depth_below(struct watch *w, LONG depth)
{
    SPropValue value = {PR_DEPTH, 0, {.l = depth}};
    SRestriction r;
    r.rt = RES_PROPERTY;
    r.res.resProperty.relop = RELOP_LT;
    r.res.resProperty.ulPropTag = PR_DEPTH;
    r.res.resProperty.lpProp = &value;
    assert_int_equal(w->v->Restrict(w->table, &r, 0), S_OK);
}

static void created_renamed_and_deleted_folders_show_in_an_open_deep_table(void **state)
{
    struct fixture f;
    struct watch w;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    add(&f, "Base", "B");
    watch_open(&f, &w, "Base", CONVENIENT_DEPTH);
    expect_view(&w, "A/0 B/0");
    add(&f, "A", "A1");
    assert_int_equal(row_count(&w), 3);
    expect_view(&w, "A/0 A1/1 B/0");
    assert_int_equal(rename_folder(&f, "A1", "Alpha1"), S_OK);
    expect_view(&w, "A/0 Alpha1/1 B/0");
    assert_int_equal(delete_folder(&f, "A1", 0), S_OK);
    assert_int_equal(row_count(&w), 2);
    expect_view(&w, "A/0 B/0");
    watch_close(&w);
    close_fixture(&f);
}

static void a_one_level_table_follows_only_its_folders_own_subfolders(void **state)
{
    struct fixture f;
    struct watch w;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    add(&f, "Base", "B");
    watch_open(&f, &w, "Base", 0);
    add(&f, "A", "A1");
    expect_view(&w, "A/0 B/0");
    add(&f, "Base", "C");
    expect_view(&w, "A/0 B/0 C/0");
    assert_int_equal(rename_folder(&f, "B", "Bee"), S_OK);
    expect_view(&w, "A/0 Bee/0 C/0");
    assert_int_equal(delete_folder(&f, "B", 0), S_OK);
    expect_view(&w, "A/0 C/0");
    assert_int_equal(row_count(&w), 2);
    watch_close(&w);
    close_fixture(&f);
}

static void copyfolder_adds_the_copy_and_with_copy_subfolders_its_subtree_at_its_depths(void **state)
{
    struct fixture f;
    struct watch deep, level;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    add(&f, "A", "A1");
    add(&f, "A1", "A1x");
    add(&f, "Base", "B");
    watch_open(&f, &deep, "Base", CONVENIENT_DEPTH);
    watch_open(&f, &level, "B", 0);
    assert_int_equal(copy_folder(&f, "A", "B", NULL, COPY_SUBFOLDERS), S_OK);
    expect_view(&deep, "A/0 A1/1 A1x/2 B/0 A/1 A1/2 A1x/3");
    expect_view(&level, "A/0");
    /* Without COPY_SUBFOLDERS the copy comes alone. */
    assert_int_equal(copy_folder(&f, "A1", "Base", "Lone", 0), S_OK);
    expect_view(&deep, "A/0 A1/1 A1x/2 B/0 A/1 A1/2 A1x/3 Lone/0");
    expect_view(&level, "A/0");
    watch_close(&level);
    watch_close(&deep);
    close_fixture(&f);
}

static void moves_into_and_out_of_the_tables_subtree_add_and_remove_rows(void **state)
{
    struct fixture f;
    struct watch deep, level;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "T");
    add(&f, "T", "T1");
    add(&f, "Base", "X");
    add(&f, "X", "X1");
    add(&f, "X1", "X1a");
    watch_open(&f, &deep, "T", CONVENIENT_DEPTH);
    watch_open(&f, &level, "T", 0);
    expect_view(&deep, "T1/0");
    assert_int_equal(move_folder(&f, "X1", "T"), S_OK);
    expect_view(&deep, "T1/0 X1/0 X1a/1");
    expect_view(&level, "T1/0 X1/0");
    assert_int_equal(move_folder(&f, "T1", "X"), S_OK);
    expect_view(&deep, "X1/0 X1a/1");
    expect_view(&level, "X1/0");
    watch_close(&level);
    watch_close(&deep);
    close_fixture(&f);
}

static void a_move_within_the_subtree_changes_the_rows_depths(void **state)
{
    struct fixture f;
    struct watch w;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "P");
    add(&f, "P", "P1");
    add(&f, "Base", "Q");
    watch_open(&f, &w, "Base", CONVENIENT_DEPTH);
    expect_view(&w, "P/0 P1/1 Q/0");
    assert_int_equal(move_folder(&f, "P", "Q"), S_OK);
    expect_view(&w, "Q/0 P/1 P1/2");
    /* Back up two levels: subfolders are listed in creation order, so P1 comes before Q. */
    assert_int_equal(move_folder(&f, "P1", "Base"), S_OK);
    expect_view(&w, "P1/0 Q/0 P/1");
    watch_close(&w);
    close_fixture(&f);
}

/* ---- sort order and restriction kept ---- */

static void a_new_folder_lands_at_its_sorted_position(void **state)
{
    struct fixture f;
    struct watch w;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "Bravo");
    add(&f, "Base", "Delta");
    watch_open(&f, &w, "Base", 0);
    sort_by_name(&w, TABLE_SORT_ASCEND);
    add(&f, "Base", "Charlie");
    expect_view(&w, "Bravo/0 Charlie/0 Delta/0");
    add(&f, "Base", "Alpha");
    expect_view(&w, "Alpha/0 Bravo/0 Charlie/0 Delta/0");
    add(&f, "Base", "Echo");
    expect_view(&w, "Alpha/0 Bravo/0 Charlie/0 Delta/0 Echo/0");
    watch_close(&w);
    close_fixture(&f);
}

static void a_renamed_folder_moves_to_its_new_sorted_position(void **state)
{
    struct fixture f;
    struct watch w;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "Bravo");
    add(&f, "Base", "Charlie");
    add(&f, "Base", "Delta");
    watch_open(&f, &w, "Base", 0);
    sort_by_name(&w, TABLE_SORT_DESCEND);
    expect_view(&w, "Delta/0 Charlie/0 Bravo/0");
    assert_int_equal(rename_folder(&f, "Bravo", "Echo"), S_OK);
    expect_view(&w, "Echo/0 Delta/0 Charlie/0");
    assert_int_equal(rename_folder(&f, "Delta", "Able"), S_OK);
    expect_view(&w, "Echo/0 Charlie/0 Able/0");
    watch_close(&w);
    close_fixture(&f);
}

static void the_restriction_drops_rows_that_stop_matching_and_takes_rows_that_start(void **state)
{
    struct fixture f;
    struct watch w;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "Inbox");
    add(&f, "Base", "Outbox");
    add(&f, "Base", "Notes");
    watch_open(&f, &w, "Base", 0);
    restrict_to_names_containing(&w, "box");
    expect_view(&w, "Inbox/0 Outbox/0");
    assert_int_equal(rename_folder(&f, "Notes", "Mailbox"), S_OK);
    expect_view(&w, "Inbox/0 Outbox/0 Mailbox/0");
    assert_int_equal(rename_folder(&f, "Inbox", "Incoming"), S_OK);
    expect_view(&w, "Outbox/0 Mailbox/0");
    add(&f, "Base", "Other");
    expect_view(&w, "Outbox/0 Mailbox/0");
    add(&f, "Base", "Dropbox");
    expect_view(&w, "Outbox/0 Mailbox/0 Dropbox/0");
    assert_int_equal(row_count(&w), 3);
    watch_close(&w);
    close_fixture(&f);
}

/* ---- cursor and bookmarks ---- */

static ULONG position(struct watch *w)
{
    ULONG row = 99, numerator = 99, denominator = 0;
    assert_int_equal(w->v->QueryPosition(w->table, &row, &numerator, &denominator), S_OK);
    return row;
}

/* The cursor is at row `at`, on the row named name. */
static void expect_cursor(struct watch *w, ULONG at, const char *name)
{
    SRowSet *rows = NULL;
    assert_int_equal(position(w), at);
    assert_int_equal(w->v->QueryRows(w->table, 1, TBL_NOADVANCE, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    assert_string_equal(rows->aRow[0].lpProps[0].Value.lpszA, name);
    free_rows(rows);
}

static void the_cursor_stays_on_its_row_when_rows_before_it_come_and_go(void **state)
{
    struct fixture f;
    struct watch w;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    add(&f, "Base", "B");
    add(&f, "Base", "C");
    watch_open(&f, &w, "Base", CONVENIENT_DEPTH);
    assert_int_equal(w.v->SeekRow(w.table, BOOKMARK_BEGINNING, 2, NULL), S_OK);
    expect_cursor(&w, 2, "C");
    add(&f, "A", "A1");
    expect_cursor(&w, 3, "C");
    assert_int_equal(delete_folder(&f, "B", 0), S_OK);
    expect_cursor(&w, 2, "C");
    assert_int_equal(delete_folder(&f, "A", DEL_FOLDERS), S_OK);
    expect_cursor(&w, 0, "C");
    add(&f, "Base", "D"); /* after it: nothing moves */
    expect_cursor(&w, 0, "C");
    watch_close(&w);
    close_fixture(&f);
}

static void a_bookmark_still_seeks_to_its_row_after_rows_before_it_come_and_go(void **state)
{
    struct fixture f;
    struct watch w;
    BOOKMARK_ABI mark = 0;
    LONG sought = 0;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    add(&f, "Base", "B");
    add(&f, "Base", "C");
    watch_open(&f, &w, "Base", CONVENIENT_DEPTH);
    assert_int_equal(w.v->SeekRow(w.table, BOOKMARK_BEGINNING, 2, NULL), S_OK);
    assert_int_equal(w.v->CreateBookmark(w.table, &mark), S_OK);
    assert_int_equal(w.v->SeekRow(w.table, BOOKMARK_BEGINNING, 0, NULL), S_OK);
    add(&f, "A", "A1");
    add(&f, "A", "A2");
    assert_int_equal(w.v->SeekRow(w.table, mark, 0, &sought), S_OK);
    expect_cursor(&w, 4, "C");
    assert_int_equal(w.v->SeekRow(w.table, BOOKMARK_BEGINNING, 0, NULL), S_OK);
    assert_int_equal(delete_folder(&f, "B", 0), S_OK);
    assert_int_equal(delete_folder(&f, "A", DEL_FOLDERS), S_OK);
    assert_int_equal(w.v->SeekRow(w.table, mark, 0, &sought), S_OK);
    expect_cursor(&w, 0, "C");
    assert_int_equal(w.v->FreeBookmark(w.table, mark), S_OK);
    watch_close(&w);
    close_fixture(&f);
}

static void a_bookmark_of_a_deleted_row_seeks_with_position_changed(void **state)
{
    struct fixture f;
    struct watch w;
    BOOKMARK_ABI mark = 0;
    LONG sought = 0;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    add(&f, "Base", "B");
    add(&f, "Base", "C");
    watch_open(&f, &w, "Base", 0);
    assert_int_equal(w.v->SeekRow(w.table, BOOKMARK_BEGINNING, 1, NULL), S_OK);
    assert_int_equal(w.v->CreateBookmark(w.table, &mark), S_OK);
    assert_int_equal(w.v->SeekRow(w.table, BOOKMARK_BEGINNING, 0, NULL), S_OK);
    assert_int_equal(delete_folder(&f, "B", 0), S_OK);
    assert_int_equal(w.v->SeekRow(w.table, mark, 0, &sought), MAPI_W_POSITION_CHANGED);
    expect_cursor(&w, 1, "C"); /* where its row was */
    watch_close(&w); /* the table's Release frees the bookmark */
    close_fixture(&f);
}

/* ---- table notifications ---- */

static void creating_a_folder_notifies_row_added_after_the_row_before_it(void **state)
{
    struct fixture f;
    struct watch w;
    struct blob b, c;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    add(&f, "Base", "B");
    watch_open(&f, &w, "Base", CONVENIENT_DEPTH);
    watch_advise(&w);
    add(&f, "Base", "C");
    expect_events(&w, "+C/0@B");
    b = key_of(&w, "B");
    c = key_of(&w, "C");
    assert_int_equal(w.sink.records[0].table_event, TABLE_ROW_ADDED);
    assert_int_equal(w.sink.records[0].index_tag, PR_INSTANCE_KEY);
    assert_true(blob_equal(&w.sink.records[0].index, &c));
    assert_int_equal(w.sink.records[0].prior_tag, PR_INSTANCE_KEY);
    assert_true(blob_equal(&w.sink.records[0].prior, &b));
    /* A gets its first subfolder: its row changes (PR_SUBFOLDERS) before the new row is added under it. */
    add(&f, "A", "A1");
    expect_events(&w, "~A/0@^ +A1/1@A");
    watch_close(&w);
    close_fixture(&f);
}

static void a_row_added_at_the_top_has_a_prior_of_pr_null(void **state)
{
    struct fixture f;
    struct watch sorted, empty;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "Bravo");
    add(&f, "Base", "Empty");
    watch_open(&f, &sorted, "Base", 0);
    sort_by_name(&sorted, TABLE_SORT_ASCEND);
    watch_advise(&sorted);
    add(&f, "Base", "Alpha");
    expect_events(&sorted, "+Alpha/0@^");
    assert_int_equal(sorted.sink.records[0].prior_tag, PR_NULL); /* PR_NULL, not 0 */
    /* The first row of an empty table. */
    watch_open(&f, &empty, "Empty", 0);
    watch_advise(&empty);
    add(&f, "Empty", "First");
    expect_events(&empty, "+First/0@^");
    assert_int_equal(empty.sink.records[0].prior_tag, PR_NULL);
    watch_close(&empty);
    watch_close(&sorted);
    close_fixture(&f);
}

static void row_events_carry_the_row_in_the_tables_current_columns(void **state)
{
    SizedSPropTagArray(2, name_and_type) = {2, {PR_DISPLAY_NAME_A, PR_FOLDER_TYPE}};
    SizedSPropTagArray(2, key_and_depth) = {2, {PR_INSTANCE_KEY, PR_DEPTH}};
    struct fixture f;
    struct watch w;
    const struct record *r;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    watch_open(&f, &w, "Base", 0);
    assert_int_equal(w.v->SetColumns(w.table, (LPSPropTagArray)&name_and_type, 0), S_OK);
    assert_int_equal(w.v->Advise(w.table, fnevTableModified, &w.sink.IMAPIAdviseSink_iface, &w.connection), S_OK);
    add(&f, "Base", "New");
    assert_int_equal(w.sink.count, 1);
    r = &w.sink.records[0];
    assert_int_equal(r->table_event, TABLE_ROW_ADDED);
    assert_int_equal(r->row_count, 2);
    assert_int_equal(r->row_tags[0], PR_DISPLAY_NAME_A);
    assert_int_equal(r->row_tags[1], PR_FOLDER_TYPE);
    assert_string_equal(r->name, "New");
    assert_false(r->has_row_key);
    assert_int_equal(w.v->SetColumns(w.table, (LPSPropTagArray)&key_and_depth, 0), S_OK);
    assert_int_equal(rename_folder(&f, "New", "Newer"), S_OK);
    assert_int_equal(w.sink.count, 2);
    r = &w.sink.records[1];
    assert_int_equal(r->table_event, TABLE_ROW_MODIFIED);
    assert_int_equal(r->row_count, 2);
    assert_int_equal(r->row_tags[0], PR_INSTANCE_KEY);
    assert_int_equal(r->row_tags[1], PR_DEPTH);
    assert_true(r->has_row_key && blob_equal(&r->row_key, &r->index));
    assert_int_equal(r->depth, 0);
    assert_string_equal(r->name, "");
    watch_close(&w);
    close_fixture(&f);
}

static void renaming_notifies_row_modified_with_the_prior_of_its_new_position(void **state)
{
    struct fixture f;
    struct watch w;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "Bravo");
    add(&f, "Base", "Charlie");
    add(&f, "Base", "Delta");
    watch_open(&f, &w, "Base", 0);
    sort_by_name(&w, TABLE_SORT_ASCEND);
    watch_advise(&w);
    assert_int_equal(rename_folder(&f, "Bravo", "Echo"), S_OK);
    expect_events(&w, "~Echo/0@Delta");
    assert_int_equal(w.sink.records[0].table_event, TABLE_ROW_MODIFIED);
    assert_int_equal(rename_folder(&f, "Delta", "Alpha"), S_OK);
    expect_events(&w, "~Alpha/0@^");
    expect_view(&w, "Alpha/0 Charlie/0 Echo/0");
    watch_close(&w);
    close_fixture(&f);
}

static void deleting_a_folder_notifies_row_deleted_with_its_instance_key(void **state)
{
    struct fixture f;
    struct watch w;
    struct blob b;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    add(&f, "Base", "B");
    add(&f, "Base", "C");
    watch_open(&f, &w, "Base", 0);
    watch_advise(&w);
    b = key_of(&w, "B");
    assert_int_equal(delete_folder(&f, "B", 0), S_OK);
    expect_events(&w, "-B");
    assert_int_equal(w.sink.records[0].table_event, TABLE_ROW_DELETED);
    assert_int_equal(w.sink.records[0].index_tag, PR_INSTANCE_KEY);
    assert_true(blob_equal(&w.sink.records[0].index, &b));
    watch_close(&w);
    close_fixture(&f);
}

static void rows_the_restriction_hides_send_no_notification(void **state)
{
    struct fixture f;
    struct watch w;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "Inbox");
    add(&f, "Base", "Outbox");
    watch_open(&f, &w, "Base", 0);
    restrict_to_names_containing(&w, "box");
    watch_advise(&w);
    add(&f, "Base", "Notes");
    assert_int_equal(rename_folder(&f, "Notes", "Memo"), S_OK);
    add(&f, "Notes", "Sub"); /* the hidden row's PR_SUBFOLDERS changes */
    assert_int_equal(delete_folder(&f, "Notes", DEL_FOLDERS), S_OK);
    assert_int_equal(w.sink.calls, 0);
    expect_events(&w, "");
    add(&f, "Base", "Jukebox");
    expect_events(&w, "+Jukebox/0@Outbox");
    watch_close(&w);
    close_fixture(&f);
}

static void deleting_a_subtree_notifies_one_row_deleted_per_visible_row(void **state)
{
    struct fixture f;
    struct watch all, shallow;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    add(&f, "A", "A1");
    add(&f, "A1", "A1x");
    add(&f, "A", "A2");
    add(&f, "Base", "B");
    watch_open(&f, &all, "Base", CONVENIENT_DEPTH);
    watch_open(&f, &shallow, "Base", CONVENIENT_DEPTH);
    restrict_to_depth_below(&shallow, 2); /* A1x hidden */
    watch_advise(&all);
    watch_advise(&shallow);
    assert_int_equal(delete_folder(&f, "A", DEL_FOLDERS), S_OK);
    expect_events(&all, "-A -A1 -A1x -A2");
    expect_events(&shallow, "-A -A1 -A2");
    expect_view(&all, "B/0");
    watch_close(&shallow);
    watch_close(&all);
    close_fixture(&f);
}

/* Subfolders named prefix00, prefix01, ... under a held folder, not held themselves. */
static void add_many(struct fixture *f, const char *parent, const char *prefix, ULONG count)
{
    char name[16];
    ULONG i;
    for (i = 0; i < count; i++) {
        snprintf(name, sizeof(name), "%s%02lu", prefix, (unsigned long)i);
        assert_int_equal(create_folder_named(held(f, parent)->folder, name), S_OK);
    }
}

/* Up to 64 rows, one event each; a change of more rows is one TABLE_CHANGED, and the table reads right after it. */
static void a_change_of_more_than_64_rows_notifies_table_changed(void **state)
{
    struct fixture f;
    struct watch all;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    add_many(&f, "A", "a", 63);
    add(&f, "Base", "C");
    add_many(&f, "C", "c", 64);
    add(&f, "Base", "D");
    watch_open(&f, &all, "Base", CONVENIENT_DEPTH);
    watch_advise(&all);
    assert_int_equal(delete_folder(&f, "A", DEL_FOLDERS), S_OK); /* 64 rows */
    assert_int_equal(all.sink.count, 64);
    expect_events(&all, NULL);
    assert_int_equal(row_count(&all), 66);
    assert_int_equal(delete_folder(&f, "C", DEL_FOLDERS), S_OK); /* 65 rows */
    expect_events(&all, "changed");
    expect_view(&all, "D/0");
    watch_close(&all);
    close_fixture(&f);
}

static void two_tables_of_one_folder_each_hear_only_of_their_own_view(void **state)
{
    struct fixture f;
    struct watch all, boxes;
    const struct mapisim_subscription *first, *second;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "Inbox");
    add(&f, "Base", "Outbox");
    add(&f, "Base", "Notes");
    watch_open(&f, &all, "Base", 0);
    sort_by_name(&all, TABLE_SORT_DESCEND);
    watch_open(&f, &boxes, "Base", 0);
    restrict_to_names_containing(&boxes, "box");
    watch_advise(&all);
    watch_advise(&boxes);
    /* Their Advise keys differ. */
    second = f.s.support.subscriptions;
    first = second->next;
    assert_true(first->key_size != second->key_size || memcmp(first->key, second->key, first->key_size));
    add(&f, "Base", "Mailbox");
    expect_events(&all, "+Mailbox/0@Notes"); /* Outbox Notes Mailbox Inbox */
    expect_events(&boxes, "+Mailbox/0@Outbox"); /* Inbox Outbox Mailbox */
    add(&f, "Base", "Zeta");
    expect_events(&all, "+Zeta/0@^");
    expect_events(&boxes, "");
    assert_int_equal(boxes.sink.calls, 1);
    watch_close(&boxes);
    watch_close(&all);
    close_fixture(&f);
}

static void a_copied_subtree_notifies_rows_in_an_order_a_client_can_apply(void **state)
{
    struct fixture f;
    struct watch w;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    add(&f, "A", "A1");
    add(&f, "A1", "A1x");
    add(&f, "Base", "B");
    watch_open(&f, &w, "Base", CONVENIENT_DEPTH);
    watch_advise(&w);
    assert_int_equal(copy_folder(&f, "A", "B", "Copy", COPY_SUBFOLDERS), S_OK);
    expect_events(&w, "~B/0@A1x +Copy/1@B +A1/2@Copy +A1x/3@A1");
    expect_view(&w, "A/0 A1/1 A1x/2 B/0 Copy/1 A1/2 A1x/3");
    watch_close(&w);
    close_fixture(&f);
}

static void moving_into_and_out_of_the_subtree_notifies_added_and_deleted_rows(void **state)
{
    struct fixture f;
    struct watch w;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "T");
    add(&f, "T", "T1");
    add(&f, "Base", "X");
    add(&f, "X", "X1");
    add(&f, "X1", "X1a");
    watch_open(&f, &w, "T", CONVENIENT_DEPTH);
    watch_advise(&w);
    assert_int_equal(move_folder(&f, "X1", "T"), S_OK);
    expect_events(&w, "+X1/0@T1 +X1a/1@X1");
    assert_int_equal(move_folder(&f, "T1", "X"), S_OK);
    expect_events(&w, "-T1");
    watch_close(&w);
    close_fixture(&f);
}

static void a_move_within_the_subtree_notifies_the_rows_at_their_new_depths(void **state)
{
    struct fixture f;
    struct watch w;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "P");
    add(&f, "P", "P1");
    add(&f, "Base", "Q");
    watch_open(&f, &w, "Base", CONVENIENT_DEPTH);
    watch_advise(&w);
    assert_int_equal(move_folder(&f, "P", "Q"), S_OK);
    expect_events(&w, "~Q/0@^ ~P/1@Q ~P1/2@P");
    watch_close(&w);
    close_fixture(&f);
}

/*
 * A1 (with A1x under it) moves from A to B at the same depth: A1x's row does
 * not change, but its place does. The events must still rebuild the view.
 */
static void moving_a_subtree_at_the_same_depth_sends_events_that_rebuild_the_view(void **state)
{
    struct fixture f;
    struct watch w;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    add(&f, "Base", "B");
    add(&f, "A", "A1");
    add(&f, "A1", "A1x");
    add(&f, "B", "B1");
    watch_open(&f, &w, "Base", CONVENIENT_DEPTH);
    watch_advise(&w);
    expect_view(&w, "A/0 A1/1 A1x/2 B/0 B1/1");
    assert_int_equal(move_folder(&f, "A1", "B"), S_OK);
    expect_view(&w, "A/0 B/0 A1/1 A1x/2 B1/1");
    expect_events(&w, NULL); /* whatever they are, applied in order they give that view */
    watch_close(&w);
    close_fixture(&f);
}

/* ---- the end of table notifications ---- */

static void after_unadvise_no_notification_arrives_and_the_sink_is_released(void **state)
{
    struct fixture f;
    struct watch w;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    watch_open(&f, &w, "Base", 0);
    watch_advise(&w);
    assert_int_equal(w.sink.refs, 3); /* the test's, msstore's and MAPI's */
    add(&f, "Base", "B");
    expect_events(&w, "+B/0@A");
    assert_int_equal(w.v->Unadvise(w.table, w.connection), S_OK);
    w.connection = 0;
    assert_int_equal(w.sink.refs, 1);
    assert_int_equal(mapisim_support_subscription_count(&f.s.support), 0);
    add(&f, "Base", "C");
    assert_int_equal(w.sink.count, 1);
    expect_view(&w, "A/0 B/0 C/0"); /* the table still follows */
    watch_close(&w);
    close_fixture(&f);
}

static void releasing_the_table_ends_its_notifications(void **state)
{
    struct fixture f;
    struct watch w;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    watch_open(&f, &w, "Base", 0);
    watch_advise(&w);
    assert_int_equal(w.table->lpVtbl->Release(w.table), 0);
    w.table = NULL;
    assert_int_equal(w.sink.refs, 1);
    assert_int_equal(mapisim_support_subscription_count(&f.s.support), 0);
    add(&f, "Base", "B");
    assert_int_equal(rename_folder(&f, "A", "Alpha"), S_OK);
    assert_int_equal(w.sink.calls, 0);
    close_fixture(&f);
}

/* ---- object notifications ---- */

static void createfolder_notifies_object_created_with_its_and_its_parents_entry_ids(void **state)
{
    struct fixture f;
    struct recorder sink;
    ULONG_PTR connection;
    const struct record *r;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    recorder_init(&sink);
    connection = advise_objects(&f, NULL, fnevObjectCreated, &sink);
    add(&f, "A", "A1");
    expect_objects(&f, &sink, "created A1 in A");
    r = &sink.records[0];
    assert_int_equal(r->obj_type, MAPI_FOLDER);
    assert_true(blob_equal(&r->entry, &held(&f, "A1")->id));
    assert_true(blob_equal(&r->parent, &held(&f, "A")->id));
    unadvise_objects(&f, connection, &sink);
    close_fixture(&f);
}

static void a_parent_whose_subfolders_flag_changes_is_notified_modified(void **state)
{
    struct fixture f;
    struct recorder sink;
    ULONG_PTR connection;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    recorder_init(&sink);
    connection = advise_objects(&f, NULL, ALL_OBJECT_EVENTS, &sink);
    add(&f, "A", "A1");
    expect_objects(&f, &sink, "modified A in Base; created A1 in A");
    add(&f, "A", "A2"); /* A had a subfolder already */
    expect_objects(&f, &sink, "created A2 in A");
    unadvise_objects(&f, connection, &sink);
    close_fixture(&f);
}

static void setprops_and_deleteprops_notify_object_modified(void **state)
{
    struct fixture f;
    struct recorder sink;
    ULONG_PTR connection;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    recorder_init(&sink);
    connection = advise_objects(&f, NULL, ALL_OBJECT_EVENTS, &sink);
    assert_int_equal(rename_folder(&f, "A", "Renamed"), S_OK);
    expect_objects(&f, &sink, "modified A in Base");
    set_comment(&f, "A", "a comment");
    expect_objects(&f, &sink, "modified A in Base");
    delete_comment(&f, "A");
    expect_objects(&f, &sink, "modified A in Base");
    unadvise_objects(&f, connection, &sink);
    close_fixture(&f);
}

static void deletefolder_notifies_object_deleted_for_each_folder_of_the_subtree(void **state)
{
    struct fixture f;
    struct recorder sink;
    ULONG_PTR connection;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    add(&f, "A", "A1");
    add(&f, "Base", "B");
    recorder_init(&sink);
    connection = advise_objects(&f, NULL, ALL_OBJECT_EVENTS, &sink);
    assert_int_equal(delete_folder(&f, "A", DEL_FOLDERS), S_OK);
    expect_objects(&f, &sink, "deleted A1 from A; deleted A from Base");
    unadvise_objects(&f, connection, &sink);
    close_fixture(&f);
}

static void a_move_notifies_object_moved_from_the_old_parent_to_the_new(void **state)
{
    struct fixture f;
    struct recorder sink;
    ULONG_PTR connection;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    add(&f, "Base", "B");
    add(&f, "A", "A1");
    recorder_init(&sink);
    connection = advise_objects(&f, NULL, ALL_OBJECT_EVENTS, &sink);
    assert_int_equal(move_folder(&f, "A1", "B"), S_OK);
    /* A loses its only subfolder, B gets its first. */
    expect_objects(&f, &sink, "modified A in Base; modified B in Base; moved A1 from A to B");
    unadvise_objects(&f, connection, &sink);
    close_fixture(&f);
}

static void a_copy_notifies_object_copied_from_the_source_and_no_object_created(void **state)
{
    struct fixture f;
    struct recorder sink;
    ULONG_PTR connection;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    add(&f, "A", "A1");
    add(&f, "Base", "B");
    recorder_init(&sink);
    connection = advise_objects(&f, NULL, fnevObjectCopied | fnevObjectCreated, &sink);
    assert_int_equal(copy_folder(&f, "A", "B", "Copy", COPY_SUBFOLDERS), S_OK);
    expect_objects(&f, &sink, "copied A from Base as Copy in B; copied A1 from A as A1' in Copy");
    unadvise_objects(&f, connection, &sink);
    close_fixture(&f);
}

static void a_sink_on_a_folders_entry_id_hears_only_of_that_folder(void **state)
{
    struct fixture f;
    struct recorder sink;
    ULONG_PTR connection;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    add(&f, "Base", "B");
    add(&f, "B", "B1");
    recorder_init(&sink);
    connection = advise_objects(&f, "A", ALL_OBJECT_EVENTS, &sink);
    add(&f, "A", "A1");
    expect_objects(&f, &sink, "modified A in Base");
    add(&f, "B", "B2");
    assert_int_equal(rename_folder(&f, "B", "Bee"), S_OK);
    assert_int_equal(rename_folder(&f, "A1", "Sub"), S_OK);
    expect_objects(&f, &sink, "");
    assert_int_equal(rename_folder(&f, "A", "Alpha"), S_OK);
    expect_objects(&f, &sink, "modified A in Base");
    assert_int_equal(move_folder(&f, "A", "B"), S_OK);
    expect_objects(&f, &sink, "moved A from Base to B");
    assert_int_equal(delete_folder(&f, "A", DEL_FOLDERS), S_OK);
    expect_objects(&f, &sink, "deleted A from B");
    unadvise_objects(&f, connection, &sink);
    close_fixture(&f);
}

static void an_event_outside_the_sinks_mask_is_not_delivered(void **state)
{
    struct fixture f;
    struct recorder deletions, moves, modifications;
    ULONG_PTR on_store, on_a, on_store_modified;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    add(&f, "Base", "B");
    recorder_init(&deletions);
    recorder_init(&moves);
    on_store = advise_objects(&f, NULL, fnevObjectDeleted, &deletions);
    on_a = advise_objects(&f, "A", fnevObjectMoved, &moves);
    add(&f, "A", "A1");                                     /* created, and A modified */
    assert_int_equal(rename_folder(&f, "A", "Alpha"), S_OK); /* modified */
    assert_int_equal(copy_folder(&f, "A", "B", "Copy", 0), S_OK);
    assert_int_equal(move_folder(&f, "A1", "B"), S_OK);
    assert_int_equal(deletions.calls, 0);
    assert_int_equal(moves.calls, 0);
    assert_int_equal(move_folder(&f, "A", "B"), S_OK);
    expect_objects(&f, &deletions, "");
    expect_objects(&f, &moves, "moved A from Base to B");
    assert_int_equal(delete_folder(&f, "A", 0), S_OK);
    expect_objects(&f, &deletions, "deleted A from B");
    expect_objects(&f, &moves, "");
    /*
     * One change of two events, Lonely losing its only subfolder, with another store sink wanting the
     * other event: each sink hears only of its own.
     */
    add(&f, "Base", "Lonely");
    add(&f, "Lonely", "Solo");
    recorder_init(&modifications);
    on_store_modified = advise_objects(&f, NULL, fnevObjectModified, &modifications);
    assert_int_equal(delete_folder(&f, "Solo", 0), S_OK);
    expect_objects(&f, &deletions, "deleted Solo from Lonely");
    expect_objects(&f, &modifications, "modified Lonely in Base");
    unadvise_objects(&f, on_store_modified, &modifications);
    unadvise_objects(&f, on_a, &moves);
    unadvise_objects(&f, on_store, &deletions);
    close_fixture(&f);
}

/* ---- calling back from OnNotify ---- */

static void a_sink_may_call_the_store_from_onnotify(void **state)
{
    struct fixture f;
    struct recorder sink;
    ULONG_PTR connection;
    (void)state;
    open_fixture(&f);
    recorder_init(&sink);
    sink.callback = CALL_STORE_GETPROPS;
    sink.store = f.s.store;
    connection = advise_objects(&f, NULL, fnevObjectCreated, &sink);
    add(&f, "Base", "A");
    expect_objects(&f, &sink, "created A in Base");
    assert_int_equal(sink.callbacks, 1);
    assert_int_equal(sink.callback_result, S_OK);
    unadvise_objects(&f, connection, &sink);
    close_fixture(&f);
}

static void a_sink_may_read_its_table_from_onnotify_and_sees_the_change_made(void **state)
{
    struct fixture f;
    struct watch w;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    watch_open(&f, &w, "Base", 0);
    w.sink.callback = CALL_TABLE_READ;
    w.sink.table = w.table;
    watch_advise(&w);
    add(&f, "Base", "B");
    assert_int_equal(w.sink.callbacks, 1);
    assert_int_equal(w.sink.callback_result, S_OK);
    assert_int_equal(w.sink.callback_rows, 2);
    expect_events(&w, "+B/0@A");
    watch_close(&w);
    close_fixture(&f);
}

static void a_change_made_from_onnotify_is_notified_after_the_one_delivered(void **state)
{
    struct fixture f;
    struct watch w;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    watch_open(&f, &w, "Base", 0);
    w.sink.callback = CALL_CREATE_FOLDER_ONCE;
    w.sink.folder = held(&f, "Base")->folder;
    watch_advise(&w);
    add(&f, "Base", "B");
    assert_int_equal(w.sink.callback_result, S_OK);
    assert_int_equal(w.sink.calls, 2);
    expect_events(&w, "+B/0@A +Echo/0@B");
    expect_view(&w, "A/0 B/0 Echo/0");
    watch_close(&w);
    close_fixture(&f);
}

/* ---- failures and logoff ---- */

static void a_failed_change_sends_nothing_and_leaves_tables_unchanged(void **state)
{
    struct fixture f;
    struct watch w;
    struct recorder sink;
    ULONG_PTR connection;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    add(&f, "A", "A1");
    add(&f, "Base", "B");
    watch_open(&f, &w, "Base", CONVENIENT_DEPTH);
    watch_advise(&w);
    recorder_init(&sink);
    connection = advise_objects(&f, NULL, ALL_OBJECT_EVENTS, &sink);
    assert_int_equal(try_create(&f, "Base", "A"), MAPI_E_COLLISION);
    assert_int_equal(rename_folder(&f, "B", "A"), MAPI_E_COLLISION);
    assert_int_equal(delete_folder(&f, "A", 0), MAPI_E_HAS_FOLDERS);
    assert_int_equal(move_folder(&f, "A", "A1"), MAPI_E_FOLDER_CYCLE);
    assert_int_equal(copy_folder(&f, "B", "Base", "A", 0), MAPI_E_COLLISION);
    assert_int_equal(w.sink.calls, 0);
    assert_int_equal(sink.calls, 0);
    expect_view(&w, "A/0 A1/1 B/0");
    expect_events(&w, "");
    /* Nothing of them is left to go out with the next change. */
    add(&f, "Base", "C");
    expect_events(&w, "+C/0@B");
    expect_objects(&f, &sink, "created C in Base");
    unadvise_objects(&f, connection, &sink);
    watch_close(&w);
    close_fixture(&f);
}

static void after_logoff_a_held_table_is_dead_and_no_notification_follows(void **state)
{
    struct fixture f;
    struct watch w;
    struct recorder sink;
    SRowSet *rows = (SRowSet *)1;
    ULONG count = 0;
    (void)state;
    open_fixture(&f);
    add(&f, "Base", "A");
    watch_open(&f, &w, "Base", 0);
    watch_advise(&w);
    recorder_init(&sink);
    advise_objects(&f, NULL, ALL_OBJECT_EVENTS, &sink);
    session_logoff(&f.s);
    assert_int_equal(w.v->QueryRows(w.table, 1, 0, &rows), MAPI_E_INVALID_OBJECT);
    assert_null(rows);
    assert_int_equal(w.v->GetRowCount(w.table, 0, &count), MAPI_E_INVALID_OBJECT);
    assert_int_equal(w.v->Unadvise(w.table, w.connection), MAPI_E_INVALID_OBJECT);
    w.connection = 0; /* the teardown ended it */
    assert_int_equal(try_create(&f, "Base", "Late"), MAPI_E_INVALID_OBJECT);
    assert_int_equal(rename_folder(&f, "A", "Later"), MAPI_E_INVALID_OBJECT);
    assert_int_equal(delete_folder(&f, "A", 0), MAPI_E_INVALID_OBJECT);
    assert_int_equal(w.sink.calls, 0);
    assert_int_equal(sink.calls, 0);
    assert_int_equal(w.sink.refs, 1);
    assert_int_equal(sink.refs, 1);
    assert_int_equal(mapisim_support_subscription_count(&f.s.support), 0);
    watch_close(&w);
    close_fixture(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(created_renamed_and_deleted_folders_show_in_an_open_deep_table),
        cmocka_unit_test(a_one_level_table_follows_only_its_folders_own_subfolders),
        cmocka_unit_test(copyfolder_adds_the_copy_and_with_copy_subfolders_its_subtree_at_its_depths),
        cmocka_unit_test(moves_into_and_out_of_the_tables_subtree_add_and_remove_rows),
        cmocka_unit_test(a_move_within_the_subtree_changes_the_rows_depths),
        cmocka_unit_test(a_new_folder_lands_at_its_sorted_position),
        cmocka_unit_test(a_renamed_folder_moves_to_its_new_sorted_position),
        cmocka_unit_test(the_restriction_drops_rows_that_stop_matching_and_takes_rows_that_start),
        cmocka_unit_test(the_cursor_stays_on_its_row_when_rows_before_it_come_and_go),
        cmocka_unit_test(a_bookmark_still_seeks_to_its_row_after_rows_before_it_come_and_go),
        cmocka_unit_test(a_bookmark_of_a_deleted_row_seeks_with_position_changed),
        cmocka_unit_test(creating_a_folder_notifies_row_added_after_the_row_before_it),
        cmocka_unit_test(a_row_added_at_the_top_has_a_prior_of_pr_null),
        cmocka_unit_test(row_events_carry_the_row_in_the_tables_current_columns),
        cmocka_unit_test(renaming_notifies_row_modified_with_the_prior_of_its_new_position),
        cmocka_unit_test(deleting_a_folder_notifies_row_deleted_with_its_instance_key),
        cmocka_unit_test(rows_the_restriction_hides_send_no_notification),
        cmocka_unit_test(deleting_a_subtree_notifies_one_row_deleted_per_visible_row),
        cmocka_unit_test(a_change_of_more_than_64_rows_notifies_table_changed),
        cmocka_unit_test(two_tables_of_one_folder_each_hear_only_of_their_own_view),
        cmocka_unit_test(a_copied_subtree_notifies_rows_in_an_order_a_client_can_apply),
        cmocka_unit_test(moving_into_and_out_of_the_subtree_notifies_added_and_deleted_rows),
        cmocka_unit_test(a_move_within_the_subtree_notifies_the_rows_at_their_new_depths),
        cmocka_unit_test(moving_a_subtree_at_the_same_depth_sends_events_that_rebuild_the_view),
        cmocka_unit_test(after_unadvise_no_notification_arrives_and_the_sink_is_released),
        cmocka_unit_test(releasing_the_table_ends_its_notifications),
        cmocka_unit_test(createfolder_notifies_object_created_with_its_and_its_parents_entry_ids),
        cmocka_unit_test(a_parent_whose_subfolders_flag_changes_is_notified_modified),
        cmocka_unit_test(setprops_and_deleteprops_notify_object_modified),
        cmocka_unit_test(deletefolder_notifies_object_deleted_for_each_folder_of_the_subtree),
        cmocka_unit_test(a_move_notifies_object_moved_from_the_old_parent_to_the_new),
        cmocka_unit_test(a_copy_notifies_object_copied_from_the_source_and_no_object_created),
        cmocka_unit_test(a_sink_on_a_folders_entry_id_hears_only_of_that_folder),
        cmocka_unit_test(an_event_outside_the_sinks_mask_is_not_delivered),
        cmocka_unit_test(a_sink_may_call_the_store_from_onnotify),
        cmocka_unit_test(a_sink_may_read_its_table_from_onnotify_and_sees_the_change_made),
        cmocka_unit_test(a_change_made_from_onnotify_is_notified_after_the_one_delivered),
        cmocka_unit_test(a_failed_change_sends_nothing_and_leaves_tables_unchanged),
        cmocka_unit_test(after_logoff_a_held_table_is_dead_and_no_notification_follows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
