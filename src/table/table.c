#include "table/table.h"

#include "lifecycle/lock_rule.h"
#include "lifecycle/open_store.h"
#include "mapi/com.h"
#include "table/ordered.h"
#include "table/restriction.h"
#include "table/view.h"

#include <string.h>

#define FIRST_BOOKMARK_ID ((BOOKMARK_ABI)0x100) /* well clear of BOOKMARK_BEGINNING/CURRENT/END */
#define MAX_SORT_KEYS 64
#define TABLE_SET_FLAGS (TBL_ASYNC | TBL_BATCH)
/* More row events than this from one change: the sinks get one TABLE_CHANGED instead. */
#define MAX_ROW_EVENTS 64
/* A change of at most this many messages reads only their rows again; a bigger one reads the whole table. */
#define MAX_PATCHED_ROWS 256

/* A table's notification key: its own, so that two tables of one folder are told apart. */
struct table_key {
    char tag[4];       /* "MSTB" */
    MAPIUID store_uid;
    ULONGLONG serial;
};

struct table {
    IMAPITable IMAPITable_iface;
    LONG refs;
    struct open_store *os;
    struct mapi_allocators alloc; /* the view's, which outlives os at the final Release */
    ULONG flags; /* MAPI_UNICODE or 0: how string values come out */
    struct table_source source;
    BOOL with_depth;
    struct table_key key;
    struct change_listener listener;
    ULONG generation; /* the store file's generation the rows were read at (model_generation) */
    BOOL stale;       /* a change could not be followed: the rows are read again at the next call */

    SPropTagArray *default_columns; /* linked to the table's block */

    /* The view, guarded by the open store's lock. */
    SPropTagArray *columns; /* own block */
    SPropTagArray *held_tags; /* own block: the properties held rows were read with (row_tags), NULL before any */
    struct view view;       /* restriction, sort and bookmarks; the rows too unless ordered */
    BOOL ordered;           /* rows in the store's order (no restriction, a sort it keeps): none held */
    struct ordered_view order;
    BOOKMARK_ABI next_bookmark_id;
};

static inline struct table *impl_from_IMAPITable(IMAPITable *iface)
{
    return CONTAINING_RECORD(iface, struct table, IMAPITable_iface);
}

/* ---- rows from the source ---- */

static void free_view_rows(const struct mapi_allocators *alloc, struct view_row *rows, ULONG count)
{
    ULONG i;
    for (i = 0; rows && i < count; i++) props_free(alloc, &rows[i].props);
    mapi_free(alloc, rows);
}

static void count_tag(void *context, ULONG tag)
{
    (void)tag;
    ++*(ULONG *)context;
}

/* Adds tag to set unless a tag with its property ID is there. */
static void add_column(SPropTagArray *set, ULONG tag)
{
    ULONG i;
    for (i = 0; i < set->cValues; i++)
        if (PROP_ID(set->aulPropTag[i]) == PROP_ID(tag)) return;
    set->aulPropTag[set->cValues++] = tag;
}

static void add_tag(void *context, ULONG tag) { add_column(context, tag); }

/*
 * The properties a row must have for a view of columns, restriction and sort
 * (and a FindRow's also): those, and PR_INSTANCE_KEY, which notifications
 * name rows by. A row holds nothing else: not the message's body, nor its
 * other values. A new block; NULL when the allocator fails.
 */
static SPropTagArray *row_tags(const struct table *table, const SPropTagArray *columns,
                               const SRestriction *restriction, const SSortOrderSet *sort, const SRestriction *also)
{
    ULONG most = 1 + columns->cValues + (sort ? sort->cSorts : 0), i;
    SPropTagArray *set;
    if (restriction) restriction_each_tag(restriction, count_tag, &most);
    if (also) restriction_each_tag(also, count_tag, &most);
    if (!(set = mapi_alloc_zeroed(&table->alloc, CbNewSPropTagArray(most)))) return NULL;
    add_column(set, PR_INSTANCE_KEY);
    for (i = 0; i < columns->cValues; i++) add_column(set, columns->aulPropTag[i]);
    for (i = 0; sort && i < sort->cSorts; i++) add_column(set, sort->aSort[i].ulPropTag);
    if (restriction) restriction_each_tag(restriction, add_tag, set);
    if (also) restriction_each_tag(also, add_tag, set);
    return set;
}

/* The properties a restriction tests (and PR_INSTANCE_KEY): a new block, or NULL. */
static SPropTagArray *restriction_tags(const struct table *table, const SRestriction *restriction)
{
    static const SPropTagArray no_columns = {0, {0}};
    return row_tags(table, &no_columns, NULL, NULL, restriction);
}

/* Whether held has every property ID of wanted. */
static BOOL tags_cover(const SPropTagArray *held, const SPropTagArray *wanted)
{
    ULONG i;
    for (i = 0; i < wanted->cValues; i++)
        if (!props_id_listed(held->aulPropTag, held->cValues, wanted->aulPropTag[i])) return FALSE;
    return TRUE;
}

/* Reads one row of the store's order with only's properties; MAPI_E_NOT_FOUND for one gone since it was listed. */
static HRESULT read_ordered_row(const struct table *table, ULONGLONG id, const SPropTagArray *only,
                                struct view_row *row)
{
    memset(row, 0, sizeof(*row));
    row->id = id;
    return table->source.ops->read(&table->source, table->os->model, id, only, &row->props);
}

/* Sets a row's id and PR_DEPTH as listed, with no properties yet. */
static void start_row(const struct table *table, const struct model_row *listed, struct view_row *row)
{
    memset(row, 0, sizeof(*row));
    row->id = listed->id;
    row->depth.ulPropTag = table->with_depth ? PR_DEPTH : 0;
    row->depth.Value.l = listed->depth;
}

/* Whether one listed row read with filter_tags passes filter; a row gone is MAPI_E_NOT_FOUND. */
static HRESULT row_passes(const struct table *table, struct model *model, const struct model_row *listed,
                          const SRestriction *filter, const SPropTagArray *filter_tags, BOOL *passes)
{
    struct view_row row;
    HRESULT hr;
    start_row(table, listed, &row);
    if (FAILED(hr = table->source.ops->read(&table->source, model, row.id, filter_tags, &row.props))) return hr;
    *passes = restriction_matches(filter, view_row_value, &row);
    props_free(&table->alloc, &row.props);
    return S_OK;
}

/*
 * The rows the source lists that pass filter (NULL: all), each with the
 * properties only names (NULL: all): a MAPI block of rows for view_update.
 * A row is first read with just the properties filter tests, so a row the
 * table does not show costs only those.
 */
static HRESULT read_rows(struct table *table, const SPropTagArray *only, const SRestriction *filter,
                         struct view_row **out, ULONG *count)
{
    const struct mapi_allocators *alloc = &table->alloc;
    struct model *model = table->os->model;
    struct model_row *listed = NULL;
    struct view_row *rows = NULL;
    SPropTagArray *filter_tags = NULL;
    ULONG n = 0, kept = 0, i;
    HRESULT hr = model_read_begin(model); /* the listing and every row from one commit, under one lock */
    if (FAILED(hr)) return hr;
    hr = table->source.ops->list(&table->source, model, &listed, &n);
    if (SUCCEEDED(hr) && filter && !(filter_tags = restriction_tags(table, filter))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr) && !(rows = mapi_alloc_zeroed(alloc, (n ? n : 1) * sizeof(*rows)))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; SUCCEEDED(hr) && i < n; i++) {
        struct view_row *row = &rows[kept];
        BOOL passes = TRUE;
        if (filter) hr = row_passes(table, model, &listed[i], filter, filter_tags, &passes);
        if (SUCCEEDED(hr) && passes) {
            start_row(table, &listed[i], row);
            if (SUCCEEDED(hr = table->source.ops->read(&table->source, model, listed[i].id, only, &row->props)))
                kept++;
        }
        /* A row gone between the listing and its reading (another process) is left out. */
        if (hr == MAPI_E_NOT_FOUND) hr = S_OK;
    }
    model_read_end(model);
    mapi_free(alloc, filter_tags);
    mapi_free(alloc, listed);
    if (FAILED(hr)) {
        free_view_rows(alloc, rows, kept);
        return hr;
    }
    *out = rows;
    *count = kept;
    return S_OK;
}

/* Reads the rows again, after another connection's commit or a change that could not be followed. */
static HRESULT refresh(struct table *table, ULONG generation)
{
    struct view_row *rows;
    ULONG count;
    HRESULT hr = S_OK;
    if (!table->held_tags &&
        !(table->held_tags = row_tags(table, table->columns, table->view.restriction, table->view.sort, NULL)))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr = read_rows(table, table->held_tags, table->view.restriction, &rows, &count)) &&
        FAILED(hr = view_update(&table->view, rows, count, NULL, NULL)))
        free_view_rows(&table->alloc, rows, count);
    if (SUCCEEDED(hr)) {
        table->generation = generation;
        table->stale = FALSE;
    }
    return hr;
}

/* *holds: whether the rows held have every property a view of columns and sort (and a FindRow's also) needs. */
static HRESULT holds_for(const struct table *table, const SPropTagArray *columns, const SSortOrderSet *sort,
                         const SRestriction *also, BOOL *holds)
{
    SPropTagArray *wanted;
    *holds = FALSE;
    if (!table->held_tags) return S_OK;
    if (!(wanted = row_tags(table, columns, table->view.restriction, sort, also))) return MAPI_E_NOT_ENOUGH_MEMORY;
    *holds = tags_cover(table->held_tags, wanted);
    mapi_free(&table->alloc, wanted);
    return S_OK;
}

/*
 * Holds the rows again, read for columns, restriction and sort (each new or
 * the current one: a new restriction changes which rows are held, new
 * columns or keys which of their properties). On failure the new
 * restriction and sort are freed and the view is as it was.
 */
static HRESULT hold_again(struct table *table, const SPropTagArray *columns, SRestriction *restriction,
                          SSortOrderSet *sort, const SRestriction *also)
{
    SPropTagArray *wanted = row_tags(table, columns, restriction, sort, also);
    struct view_row *rows = NULL;
    ULONG count = 0, generation = 0;
    BOOL same_view = restriction == table->view.restriction && sort == table->view.sort;
    HRESULT hr = wanted ? model_generation(table->os->model, &generation) : MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr)) hr = read_rows(table, wanted, restriction, &rows, &count);
    if (SUCCEEDED(hr)) {
        /* The same view keeps its cursor on its row; a new one starts at the top. */
        hr = same_view ? view_update(&table->view, rows, count, NULL, NULL)
                       : view_replace(&table->view, rows, count, restriction, sort);
        if (FAILED(hr)) free_view_rows(&table->alloc, rows, count);
    } else if (!same_view) {
        if (restriction != table->view.restriction) mapi_free(&table->alloc, restriction);
        if (sort != table->view.sort) mapi_free(&table->alloc, sort);
    }
    if (FAILED(hr)) {
        mapi_free(&table->alloc, wanted);
        return hr;
    }
    mapi_free(&table->alloc, table->held_tags);
    table->held_tags = wanted;
    table->generation = generation;
    table->stale = FALSE;
    table->ordered = FALSE;
    ordered_free_members(&table->order, &table->alloc);
    return S_OK;
}

/* Enters the store's lock for a table method, with rows as committed: MAPI_E_INVALID_OBJECT once the store ended. */
static HRESULT enter(IMAPITable *iface, struct table **out)
{
    struct table *table = impl_from_IMAPITable(iface);
    ULONG generation = 0;
    HRESULT hr = open_store_enter(table->os);
    *out = table;
    if (FAILED(hr)) return hr;
    /* Rows held, or a restricted order's members, are read again after a commit they did not follow. */
    if ((!table->ordered || table->order.order.test_count) && SUCCEEDED(hr = model_read_begin(table->os->model))) {
        if (SUCCEEDED(hr = model_generation(table->os->model, &generation)) &&
            (table->stale || generation != table->generation))
            hr = table->ordered ? ordered_read_members(&table->order, table->os->model, &table->alloc)
                                : refresh(table, generation);
        if (SUCCEEDED(hr)) {
            table->generation = generation;
            table->stale = FALSE;
        }
        model_read_end(table->os->model);
    }
    if (FAILED(hr)) open_store_leave(table->os);
    return hr;
}

static void leave(struct table *table) { open_store_leave(table->os); }

/* ---- following changes ---- */

/* A row's PR_INSTANCE_KEY into a notification's SPropValue, copied into batch; FALSE when the allocator fails. */
static BOOL instance_key(struct open_store *os, struct notification_batch *batch, const struct view_row *row,
                         SPropValue *out)
{
    const SPropValue *key = row ? props_find(&row->props, PR_INSTANCE_KEY) : NULL;
    if (!row) {
        out->ulPropTag = PR_NULL; /* "the first row": PR_NULL, not zero (TABLE_NOTIFICATION) */
        return TRUE;
    }
    if (!key || PROP_TYPE(key->ulPropTag) != PT_BINARY) return FALSE;
    out->ulPropTag = PR_INSTANCE_KEY;
    out->Value.bin.cb = key->Value.bin.cb;
    return (out->Value.bin.lpb = notification_batch_copy(os, batch, key->Value.bin.lpb, key->Value.bin.cb)) != NULL;
}

/* A row in the table's current columns, its data linked to batch. */
static BOOL row_in_columns(struct table *table, struct notification_batch *batch, const struct view_row *row, SRow *out)
{
    const SPropTagArray *columns = table->columns;
    ULONG c;
    out->cValues = 0;
    if (!(out->lpProps = mapi_alloc_more(&table->alloc, (columns->cValues ? columns->cValues : 1) * sizeof(SPropValue),
                                         batch)))
        return FALSE;
    for (c = 0; c < columns->cValues; c++) {
        ULONG tag = columns->aulPropTag[c];
        if (FAILED(props_copy_value(&table->alloc, view_row_value(row, tag), tag, table->flags, &out->lpProps[c], batch)))
            return FALSE;
    }
    out->cValues = columns->cValues;
    return TRUE;
}

static const ULONG table_events[] = {TABLE_ROW_DELETED, TABLE_ROW_ADDED, TABLE_ROW_MODIFIED};

/* The row events of one change as the table's notifications (view_event_fn). */
static void notify_row_events(void *context, const struct view_event *events, ULONG count)
{
    struct table *table = context;
    struct open_store *os = table->os;
    struct notification_batch *batch;
    NOTIFICATION *n;
    ULONG i;

    if (!open_store_wants(os, sizeof(table->key), (const BYTE *)&table->key, fnevTableModified)) return;
    if (!(batch = notification_batch_create(os, sizeof(table->key), (const BYTE *)&table->key,
                                            count > MAX_ROW_EVENTS ? 1 : count)))
        return; /* the rows changed all the same: a sink that missed this rereads at its next TABLE_CHANGED */
    if (count > MAX_ROW_EVENTS) {
        n = notification_batch_add(batch, fnevTableModified);
        n->info.tab.ulTableEvent = TABLE_CHANGED;
        n->info.tab.propIndex.ulPropTag = n->info.tab.propPrior.ulPropTag = PR_NULL;
    }
    for (i = 0; count <= MAX_ROW_EVENTS && i < count; i++) {
        TABLE_NOTIFICATION *t;
        n = notification_batch_add(batch, fnevTableModified);
        t = &n->info.tab;
        t->ulTableEvent = table_events[events[i].kind];
        t->propPrior.ulPropTag = PR_NULL;
        if (!instance_key(os, batch, events[i].row, &t->propIndex) ||
            (events[i].kind != VIEW_ROW_DELETED && (!instance_key(os, batch, events[i].prior, &t->propPrior) ||
                                                    !row_in_columns(table, batch, events[i].row, &t->row)))) {
            mapi_free(&os->alloc, batch); /* a part missing: none of it, rather than a misleading part */
            return;
        }
    }
    open_store_queue(os, batch);
}

/* A row of one message as a notification names it: its PR_INSTANCE_KEY only (also of a message that is gone). */
static void key_row(struct table *table, ULONGLONG id, BYTE key[ENTRYID_SIZE], SPropValue *value, struct view_row *row)
{
    model_order_instance_key(table->os->model, id, key);
    value->ulPropTag = PR_INSTANCE_KEY;
    value->Value.bin.cb = ENTRYID_SIZE;
    value->Value.bin.lpb = key;
    memset(row, 0, sizeof(*row));
    row->id = id;
    row->props.count = 1;
    row->props.values = value;
}

/*
 * An ordered table follows its logon's changes of messages by asking the
 * store where each is now (ordered_events); nothing is read when no sink
 * listens, and a change of more rows than MAX_ROW_EVENTS is one TABLE_CHANGED.
 */
static void ordered_changed(struct table *table, const struct model_changes *changes)
{
    ULONGLONG ids[MAX_ROW_EVENTS + 1];
    BOOL added[MAX_ROW_EVENTS + 1];
    struct ordered_event found[MAX_ROW_EVENTS + 1];
    struct view_event events[MAX_ROW_EVENTS + 1];
    struct view_row rows[MAX_ROW_EVENTS + 1], priors[MAX_ROW_EVENTS + 1];
    SPropValue keys[2 * (MAX_ROW_EVENTS + 1)];
    BYTE key_bytes[2 * (MAX_ROW_EVENTS + 1)][ENTRYID_SIZE];
    SPropTagArray *only;
    ULONG n = 0, count = 0, i, e = 0;

    if (!open_store_wants(table->os, sizeof(table->key), (const BYTE *)&table->key, fnevTableModified)) {
        if (table->order.order.test_count) table->stale = TRUE; /* its members are read again at the next call */
        return;
    }
    for (i = 0; i < changes->count && n <= MAX_ROW_EVENTS; i++) {
        const struct change *c = &changes->items[i];
        if (c->kind == CHANGE_NEW_MAIL || !table->source.ops->follows(&table->source, c)) continue;
        ids[n] = c->id;
        added[n++] = c->kind == CHANGE_CREATED || c->kind == CHANGE_COPIED ||
                     (c->kind == CHANGE_MOVED && c->old_parent_id != table->source.folder_id);
    }
    if (n > MAX_ROW_EVENTS) {
        notify_row_events(table, NULL, n); /* more than MAX_ROW_EVENTS: one TABLE_CHANGED, no event read */
        if (table->order.order.test_count) table->stale = TRUE;
        return;
    }
    if (!n) return;
    if (!(only = row_tags(table, table->columns, NULL, NULL, NULL)) ||
        FAILED(ordered_events(&table->order, table->os->model, &table->alloc, ids, added, n, found, &count))) {
        mapi_free(&table->alloc, only);
        table->stale = TRUE; /* no events: a restricted order's members are read again at the next call */
        return;
    }
    for (i = 0; i < count; i++) {
        struct view_event *event = &events[e];
        event->kind = found[i].kind == ORDERED_ROW_DELETED ? VIEW_ROW_DELETED
                      : found[i].kind == ORDERED_ROW_ADDED  ? VIEW_ROW_ADDED
                                                            : VIEW_ROW_MODIFIED;
        event->prior = NULL;
        if (found[i].kind == ORDERED_ROW_DELETED) {
            key_row(table, found[i].id, key_bytes[2 * i], &keys[2 * i], &rows[i]);
        } else {
            memset(&rows[i], 0, sizeof(rows[i]));
            rows[i].id = found[i].id;
            /* A row gone since (another process) is not told of: the client's next read shows it gone. */
            if (FAILED(read_ordered_row(table, found[i].id, only, &rows[i]))) continue;
            if (found[i].prior) {
                key_row(table, found[i].prior, key_bytes[2 * i + 1], &keys[2 * i + 1], &priors[i]);
                event->prior = &priors[i];
            }
        }
        event->row = &rows[i];
        e++;
    }
    if (e) notify_row_events(table, events, e);
    for (i = 0; i < count; i++)
        if (found[i].kind != ORDERED_ROW_DELETED) props_free(&table->alloc, &rows[i].props);
    mapi_free(&table->alloc, only);
}

/*
 * The ids of the rows a change may have altered, when it names few and the
 * source can say whether it lists one (lists): *count 0 when there are none.
 * FALSE when the rows must all be read again.
 */
static BOOL changed_rows(const struct table *table, const struct model_changes *changes, ULONGLONG *ids,
                         ULONG *count)
{
    ULONG i, j;
    *count = 0;
    for (i = 0; i < changes->count; i++) {
        const struct change *c = &changes->items[i];
        if (c->kind == CHANGE_NEW_MAIL || !table->source.ops->follows(&table->source, c)) continue;
        if (!table->source.ops->lists || c->object_type != MAPI_MESSAGE) return FALSE;
        for (j = 0; j < *count && ids[j] != c->id; j++) continue;
        if (j < *count) continue;
        if (*count == MAX_PATCHED_ROWS) return FALSE;
        ids[(*count)++] = c->id;
    }
    return TRUE;
}

/* Reads just the rows of ids again (changed_rows): those still listed that pass the restriction replace them. */
static HRESULT patch_rows(struct table *table, ULONGLONG *ids, ULONG count)
{
    struct model *model = table->os->model;
    struct view_row *rows = mapi_alloc_zeroed(&table->alloc, (count + 1) * sizeof(*rows));
    ULONG n = 0, i;
    HRESULT hr = rows ? model_read_begin(model) : MAPI_E_NOT_ENOUGH_MEMORY;
    if (FAILED(hr)) {
        mapi_free(&table->alloc, rows);
        return hr;
    }
    for (i = 0; SUCCEEDED(hr) && i < count; i++) {
        BOOL listed = FALSE;
        if (FAILED(hr = table->source.ops->lists(&table->source, model, ids[i], &listed)) || !listed) continue;
        if ((hr = read_ordered_row(table, ids[i], table->held_tags, &rows[n])) == MAPI_E_NOT_FOUND) {
            hr = S_OK; /* gone since (another process) */
            continue;
        }
        if (SUCCEEDED(hr) && table->view.restriction &&
            !restriction_matches(table->view.restriction, view_row_value, &rows[n])) {
            props_free(&table->alloc, &rows[n].props);
            continue;
        }
        if (SUCCEEDED(hr)) n++;
    }
    model_read_end(model);
    if (SUCCEEDED(hr)) hr = view_patch(&table->view, ids, count, rows, n, notify_row_events, table);
    if (FAILED(hr)) free_view_rows(&table->alloc, rows, n);
    return hr;
}

/* change_listener: the store changed through this logon. */
static void table_changed(struct change_listener *listener, const struct model_changes *changes)
{
    struct table *table = CONTAINING_RECORD(listener, struct table, listener);
    struct view_row *rows;
    ULONGLONG ids[MAX_PATCHED_ROWS];
    ULONG count, i;
    BOOL follows = FALSE;

    if (!table->source.ops->follows || table->stale) return;
    if (table->ordered) {
        ordered_changed(table, changes);
        return;
    }
    for (i = 0; !follows && i < changes->count; i++) follows = table->source.ops->follows(&table->source, &changes->items[i]);
    if (!follows) return;
    /* A few messages changed: only their rows are read, not the folder's (a restricted view of 100,000). */
    if (table->held_tags && changed_rows(table, changes, ids, &count)) {
        if (FAILED(patch_rows(table, ids, count))) table->stale = TRUE;
        return;
    }
    if (!table->held_tags || FAILED(read_rows(table, table->held_tags, table->view.restriction, &rows, &count))) {
        table->stale = TRUE; /* read again at the next call */
        return;
    }
    if (FAILED(view_update(&table->view, rows, count, notify_row_events, table))) {
        free_view_rows(&table->alloc, rows, count);
        table->stale = TRUE;
    }
}

/* ---- rows out ---- */

static void free_row_set(const struct mapi_allocators *alloc, SRowSet *rows)
{
    ULONG i;
    for (i = 0; i < rows->cRows; i++) mapi_free(alloc, rows->aRow[i].lpProps);
    mapi_free(alloc, rows);
}

/* The row at each position i of rows(context, i) in the current columns: one block per row (contract §13). */
static HRESULT copy_rows(const struct table *table, const struct view_row *(*row_at)(const void *, ULONG),
                         const void *context, ULONG count, SRowSet **out)
{
    const struct mapi_allocators *alloc = &table->alloc;
    const SPropTagArray *columns = table->columns;
    SRowSet *rows = mapi_alloc_zeroed(alloc, CbNewSRowSet(count));
    ULONG r, c;

    if (!rows) return MAPI_E_NOT_ENOUGH_MEMORY;
    for (r = 0; r < count; r++) {
        const struct view_row *row = row_at(context, r);
        SRow *dst = &rows->aRow[r];
        if (!(dst->lpProps = mapi_alloc_zeroed(alloc, columns->cValues * sizeof(SPropValue)))) break;
        rows->cRows = r + 1;
        dst->cValues = columns->cValues;
        for (c = 0; c < columns->cValues; c++) {
            ULONG tag = columns->aulPropTag[c];
            if (FAILED(props_copy_value(alloc, view_row_value(row, tag), tag, table->flags, &dst->lpProps[c],
                                        dst->lpProps)))
                break;
        }
        if (c < columns->cValues) break;
    }
    if (r < count) {
        free_row_set(alloc, rows);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    *out = rows;
    return S_OK;
}

/* The rows from a held view's position on (copy_rows). */
struct held_rows {
    const struct view *view;
    ULONG first;
};

static const struct view_row *held_row_at(const void *context, ULONG i)
{
    const struct held_rows *held = context;
    return view_at(held->view, held->first + i);
}

static const struct view_row *array_row_at(const void *context, ULONG i) { return &((const struct view_row *)context)[i]; }

/* A copy of a tag array in its own block. */
static SPropTagArray *copy_tags(const struct mapi_allocators *alloc, const SPropTagArray *tags)
{
    SPropTagArray *copy = mapi_alloc_zeroed(alloc, CbSPropTagArray(tags));
    if (copy) memcpy(copy, tags, CbSPropTagArray(tags));
    return copy;
}

/* TBL_ALL_COLUMNS: the default columns, then every other property any of rows has. */
static SPropTagArray *all_columns(const struct table *table, const struct view_row *rows, ULONG count)
{
    ULONG r, i, most = table->default_columns->cValues + 1;
    SPropTagArray *set;
    for (r = 0; r < count; r++) most += rows[r].props.count;
    if (!(set = mapi_alloc_zeroed(&table->alloc, CbNewSPropTagArray(most)))) return NULL;
    for (i = 0; i < table->default_columns->cValues; i++) add_column(set, table->default_columns->aulPropTag[i]);
    for (r = 0; r < count; r++) {
        const struct prop_list *props = &rows[r].props;
        if (rows[r].depth.ulPropTag) add_column(set, PR_DEPTH);
        for (i = 0; i < props->count; i++)
            if (PROP_TYPE(props->values[i].ulPropTag) != PT_OBJECT)
                add_column(set, props_reported_tag(props->values[i].ulPropTag, table->flags));
    }
    return set;
}

/* ---- the cursor and positions, rows held or in the store's order ---- */

static HRESULT cursor_position(const struct table *table, ULONG *position)
{
    if (!table->ordered) {
        *position = table->view.cursor;
        return S_OK;
    }
    return ordered_cursor(&table->order, table->os->model, position);
}

static HRESULT row_total(const struct table *table, ULONG *count)
{
    if (!table->ordered) {
        *count = table->view.order_count;
        return S_OK;
    }
    return ordered_count(&table->order, table->os->model, count);
}

/* Puts the cursor at a position (at most the row count). */
static HRESULT place_cursor(struct table *table, ULONG position)
{
    if (!table->ordered) {
        table->view.cursor = position;
        return S_OK;
    }
    return ordered_place(&table->order, table->os->model, position);
}

/* The view position a bookmark stands for. */
static HRESULT bookmark_position(const struct table *table, BOOKMARK_ABI id, ULONG *position)
{
    const struct view_bookmark *b;
    switch (id) {
    case BOOKMARK_BEGINNING: *position = 0; return S_OK;
    case BOOKMARK_CURRENT: return cursor_position(table, position);
    case BOOKMARK_END: return row_total(table, position);
    }
    if (!table->ordered) return view_bookmark_position(&table->view, id, position);
    if (!(b = view_find_bookmark(&table->view, id))) return MAPI_E_INVALID_BOOKMARK;
    return ordered_row_position(&table->order, table->os->model, b->row_id, b->last_position, position);
}

/*
 * The store's order for sort and restriction when the table may take it:
 * every key one the store keeps, and a restriction it can test (the source says).
 */
static BOOL store_order(const struct table *table, const SRestriction *restriction, const SSortOrderSet *sort,
                        struct model_order *out)
{
    return table->source.ops->order && SUCCEEDED(table->source.ops->order(&table->source, sort, restriction, out));
}

/*
 * Makes restriction and sort (each new, or the current one) the view: rows in
 * the store's order when it keeps that one, else held and sorted here. On
 * failure the new ones are freed and the view is as it was.
 */
static HRESULT change_view(struct table *table, SRestriction *restriction, SSortOrderSet *sort)
{
    struct model_order order;
    BOOL holds;
    HRESULT hr;
    if (store_order(table, restriction, sort, &order)) {
        struct ordered_view next;
        ULONG generation = 0;
        memset(&next, 0, sizeof(next));
        next.order = order;
        if (FAILED(hr = model_generation(table->os->model, &generation)) ||
            FAILED(hr = ordered_read_members(&next, table->os->model, &table->alloc))) {
            if (restriction != table->view.restriction) mapi_free(&table->alloc, restriction);
            if (sort != table->view.sort) mapi_free(&table->alloc, sort);
            return hr;
        }
        view_drop_rows(&table->view);
        if (FAILED(hr = view_change(&table->view, restriction, sort))) {
            ordered_free_members(&next, &table->alloc);
            if (!table->ordered) table->stale = TRUE; /* its rows are read again at the next call */
            return hr;
        }
        ordered_free_members(&table->order, &table->alloc);
        table->ordered = TRUE;
        table->stale = FALSE; /* nothing held to read again */
        table->generation = generation;
        table->order = next;
        (void)ordered_place(&table->order, table->os->model, 0); /* without its row, the cursor is still at the top */
        return S_OK;
    }
    /* Rows held are the ones that pass the restriction, with the properties the view needs: else read again. */
    if (table->ordered || restriction != table->view.restriction)
        return hold_again(table, table->columns, restriction, sort, NULL);
    if (FAILED(hr = holds_for(table, table->columns, sort, NULL, &holds))) {
        if (sort != table->view.sort) mapi_free(&table->alloc, sort);
        return hr;
    }
    return holds ? view_change(&table->view, restriction, sort)
                 : hold_again(table, table->columns, restriction, sort, NULL);
}

/*
 * The first row from origin on (backward: before origin, nearest first) that
 * matches, in the store's order, read a page at a time.
 */
static HRESULT find_ordered(const struct table *table, const SRestriction *restriction, ULONG origin, BOOL backward,
                            ULONG *found)
{
    ULONGLONG ids[64];
    ULONG total = 0, start, got = 0, i;
    SPropTagArray *only = restriction_tags(table, restriction);
    HRESULT hr = only ? row_total(table, &total) : MAPI_E_NOT_ENOUGH_MEMORY;
    for (start = origin; SUCCEEDED(hr) && (backward ? start > 0 : start < total); start = backward ? start - got : start + got) {
        ULONG first = backward ? (start > ARRAYSIZE(ids) ? start - ARRAYSIZE(ids) : 0) : start;
        ULONG want = backward ? start - first : ARRAYSIZE(ids);
        if (FAILED(hr = model_order_ids(table->os->model, &table->order.order, first, want, ids, &got)) || !got) break;
        for (i = 0; SUCCEEDED(hr) && i < got; i++) {
            ULONG k = backward ? got - 1 - i : i;
            struct view_row row;
            BOOL match;
            if ((hr = read_ordered_row(table, ids[k], only, &row)) == MAPI_E_NOT_FOUND) {
                hr = S_OK;
                continue;
            }
            if (FAILED(hr)) break;
            match = restriction_matches(restriction, view_row_value, &row);
            props_free(&table->alloc, &row.props);
            if (match) {
                *found = first + k;
                mapi_free(&table->alloc, only);
                return S_OK;
            }
        }
    }
    mapi_free(&table->alloc, only);
    return FAILED(hr) ? hr : MAPI_E_NOT_FOUND;
}

/* QueryRows of the rows [first, first + count) of the store's order: a room for the ids, each row read. */
static HRESULT query_ordered(const struct table *table, ULONG first, ULONG count, ULONG *got, SRowSet **out)
{
    ULONGLONG *ids = mapi_alloc_zeroed(&table->alloc, (count ? count : 1) * sizeof(*ids));
    struct view_row *rows = mapi_alloc_zeroed(&table->alloc, (count ? count : 1) * sizeof(*rows));
    SPropTagArray *only = row_tags(table, table->columns, NULL, NULL, NULL);
    ULONG listed = 0, n = 0, i;
    HRESULT hr = ids && rows && only ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr)) hr = model_read_begin(table->os->model); /* the page and its rows from one commit */
    if (SUCCEEDED(hr)) {
        hr = model_order_ids(table->os->model, &table->order.order, first, count, ids, &listed);
        for (i = 0; SUCCEEDED(hr) && i < listed; i++) {
            hr = read_ordered_row(table, ids[i], only, &rows[n]);
            if (SUCCEEDED(hr)) n++;
            else if (hr == MAPI_E_NOT_FOUND) hr = S_OK; /* gone since it was listed */
        }
        model_read_end(table->os->model);
    }
    if (SUCCEEDED(hr)) hr = copy_rows(table, array_row_at, rows, n, out);
    free_view_rows(&table->alloc, rows, n);
    mapi_free(&table->alloc, only);
    mapi_free(&table->alloc, ids);
    *got = listed;
    return hr;
}

/* ---- IMAPITable ---- */

static void free_table(struct table *table)
{
    struct mapi_allocators alloc = table->alloc;
    if (table->source.ops->release) table->source.ops->release(&alloc, table->source.context);
    view_free(&table->view);
    ordered_free_members(&table->order, &alloc);
    mapi_free(&alloc, table->held_tags);
    mapi_free(&alloc, table->columns);
    mapi_free(&alloc, table); /* the default columns are linked to it */
}

static HRESULT STDMETHODCALLTYPE table_QueryInterface(IMAPITable *iface, REFIID riid, void **ppv)
{
    static const IID *const iids[] = {&IID_IMAPITable, NULL};
    return com_query_interface((IUnknown *)iface, iids, riid, ppv);
}

static ULONG STDMETHODCALLTYPE table_AddRef(IMAPITable *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IMAPITable(iface)->refs);
}

static ULONG STDMETHODCALLTYPE table_Release(IMAPITable *iface)
{
    struct table *table = impl_from_IMAPITable(iface);
    struct open_store *os = table->os;
    LONG refs = InterlockedDecrement(&table->refs);
    if (refs) return (ULONG)refs;
    lock_acquire(&os->lock);
    open_store_unlisten(os, &table->listener); /* a released table follows nothing */
    lock_release(&os->lock);
    open_store_unadvise_owner(os, table); /* and notifies no one */
    open_store_unregister(os);            /* may free os */
    free_table(table);
    return 0;
}

static HRESULT STDMETHODCALLTYPE table_GetLastError(IMAPITable *iface, HRESULT hResult, ULONG ulFlags,
                                                    LPMAPIERROR *lppMAPIError)
{
    return open_store_describe_error(impl_from_IMAPITable(iface)->os, hResult, ulFlags, lppMAPIError);
}

static HRESULT STDMETHODCALLTYPE table_Advise(IMAPITable *iface, ULONG ulEventMask,
                                              LPMAPIADVISESINK lpAdviseSink, ULONG_PTR *lpulConnection)
{
    struct table *table = impl_from_IMAPITable(iface);
    return open_store_advise_key(table->os, table, sizeof(table->key), (const BYTE *)&table->key, ulEventMask,
                                 lpAdviseSink, lpulConnection);
}

static HRESULT STDMETHODCALLTYPE table_Unadvise(IMAPITable *iface, ULONG_PTR ulConnection)
{
    return open_store_unadvise(impl_from_IMAPITable(iface)->os, ulConnection);
}

/* Every operation completes before its call returns; tables that follow changes are dynamic. */
static HRESULT STDMETHODCALLTYPE table_GetStatus(IMAPITable *iface, ULONG *lpulTableStatus,
                                                 ULONG *lpulTableType)
{
    struct table *table;
    HRESULT hr = enter(iface, &table);
    if (FAILED(hr)) return hr;
    leave(table);
    if (!lpulTableStatus || !lpulTableType) return MAPI_E_INVALID_PARAMETER;
    *lpulTableStatus = TBLSTAT_COMPLETE;
    *lpulTableType = table->source.ops->follows ? TBLTYPE_DYNAMIC : TBLTYPE_SNAPSHOT;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE table_SetColumns(IMAPITable *iface, LPSPropTagArray lpPropTagArray,
                                                  ULONG ulFlags)
{
    struct table *table;
    SPropTagArray *columns;
    HRESULT hr = enter(iface, &table);
    if (FAILED(hr)) return hr;
    if (ulFlags & ~TABLE_SET_FLAGS)
        hr = MAPI_E_UNKNOWN_FLAGS;
    else if (SUCCEEDED(hr = props_check_tags(lpPropTagArray, FALSE))) {
        BOOL holds = TRUE;
        if (!(columns = copy_tags(&table->alloc, lpPropTagArray))) {
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
        } else if (!table->ordered &&
                   (FAILED(hr = holds_for(table, columns, table->view.sort, NULL, &holds)) ||
                    /* the rows held lack a new column: read again with it */
                    (!holds && FAILED(hr = hold_again(table, columns, table->view.restriction, table->view.sort,
                                                      NULL))))) {
            mapi_free(&table->alloc, columns);
        } else {
            mapi_free(&table->alloc, table->columns);
            table->columns = columns;
        }
    }
    leave(table);
    return hr;
}

static HRESULT STDMETHODCALLTYPE table_QueryColumns(IMAPITable *iface, ULONG ulFlags,
                                                    LPSPropTagArray *lpPropTagArray)
{
    struct table *table;
    HRESULT hr;
    if (lpPropTagArray) *lpPropTagArray = NULL;
    if (FAILED(hr = enter(iface, &table))) return hr;
    if (!lpPropTagArray)
        hr = MAPI_E_INVALID_PARAMETER;
    else if (ulFlags & ~TBL_ALL_COLUMNS)
        hr = MAPI_E_UNKNOWN_FLAGS;
    else if (ulFlags) {
        struct view_row *rows;
        ULONG count;
        /* Every property of every row: read whole for this call, rows hold only what their view shows. */
        if (SUCCEEDED(hr = read_rows(table, NULL, NULL, &rows, &count))) {
            if (!(*lpPropTagArray = all_columns(table, rows, count))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
            free_view_rows(&table->alloc, rows, count);
        }
    } else if (!(*lpPropTagArray = copy_tags(&table->alloc, table->columns)))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    leave(table);
    return hr;
}

static HRESULT STDMETHODCALLTYPE table_GetRowCount(IMAPITable *iface, ULONG ulFlags, ULONG *lpulCount)
{
    struct table *table;
    HRESULT hr = enter(iface, &table);
    if (FAILED(hr)) return hr;
    if (!lpulCount)
        hr = MAPI_E_INVALID_PARAMETER;
    else if (ulFlags)
        hr = MAPI_E_UNKNOWN_FLAGS;
    else
        hr = row_total(table, lpulCount);
    leave(table);
    return hr;
}

static HRESULT STDMETHODCALLTYPE table_SeekRow(IMAPITable *iface, BOOKMARK_ABI bkOrigin, LONG lRowCount,
                                               LONG *lplRowsSought)
{
    struct table *table;
    ULONG origin, total = 0;
    LONGLONG target;
    HRESULT hr, placed;
    if (lplRowsSought) *lplRowsSought = 0;
    if (FAILED(hr = enter(iface, &table))) return hr;
    if (SUCCEEDED(hr = bookmark_position(table, bkOrigin, &origin)) && FAILED(placed = row_total(table, &total)))
        hr = placed;
    if (SUCCEEDED(hr)) {
        target = (LONGLONG)origin + lRowCount;
        if (target < 0) target = 0;
        if (target > (LONGLONG)total) target = total;
        if (FAILED(placed = place_cursor(table, (ULONG)target))) hr = placed;
        else if (lplRowsSought) *lplRowsSought = (LONG)(target - (LONGLONG)origin);
    }
    leave(table);
    return hr;
}

static HRESULT STDMETHODCALLTYPE table_SeekRowApprox(IMAPITable *iface, ULONG ulNumerator,
                                                     ULONG ulDenominator)
{
    struct table *table;
    ULONG total = 0;
    HRESULT hr = enter(iface, &table);
    if (FAILED(hr)) return hr;
    if (!ulDenominator || ulNumerator > ulDenominator)
        hr = MAPI_E_INVALID_PARAMETER;
    else if (SUCCEEDED(hr = row_total(table, &total)))
        hr = place_cursor(table, (ULONG)((ULONGLONG)total * ulNumerator / ulDenominator));
    leave(table);
    return hr;
}

static HRESULT STDMETHODCALLTYPE table_QueryPosition(IMAPITable *iface, ULONG *lpulRow,
                                                     ULONG *lpulNumerator, ULONG *lpulDenominator)
{
    struct table *table;
    HRESULT hr = enter(iface, &table);
    if (FAILED(hr)) return hr;
    if (!lpulRow || !lpulNumerator || !lpulDenominator) {
        hr = MAPI_E_INVALID_PARAMETER;
    } else {
        ULONG cursor = 0, total = 0;
        if (SUCCEEDED(hr = cursor_position(table, &cursor)) && SUCCEEDED(hr = row_total(table, &total))) {
            *lpulRow = cursor;
            *lpulNumerator = cursor;
            *lpulDenominator = total ? total : 1;
        }
    }
    leave(table);
    return hr;
}

/* Forward from the bookmark's row, or backward from the row before it; the cursor lands on the match. */
static HRESULT STDMETHODCALLTYPE table_FindRow(IMAPITable *iface, LPSRestriction lpRestriction,
                                               BOOKMARK_ABI bkOrigin, ULONG ulFlags)
{
    struct table *table;
    ULONG origin, i;
    BOOL holds = FALSE;
    HRESULT hr;
    if (FAILED(hr = enter(iface, &table))) return hr;
    if (ulFlags & ~DIR_BACKWARD)
        hr = MAPI_E_UNKNOWN_FLAGS;
    else if (!lpRestriction)
        hr = MAPI_E_INVALID_PARAMETER;
    else if (SUCCEEDED(hr = restriction_check(lpRestriction)) &&
             /* Rows held without a property the search tests are read again with it. */
             (table->ordered ||
              (SUCCEEDED(hr = holds_for(table, table->columns, table->view.sort, lpRestriction, &holds)) &&
               (holds || SUCCEEDED(hr = hold_again(table, table->columns, table->view.restriction,
                                                   table->view.sort, lpRestriction))))) &&
             SUCCEEDED(hr = bookmark_position(table, bkOrigin, &origin))) {
        const struct view *view = &table->view;
        HRESULT moved = hr;
        hr = MAPI_E_NOT_FOUND;
        if (table->ordered) {
            if (SUCCEEDED(hr = find_ordered(table, lpRestriction, origin, (ulFlags & DIR_BACKWARD) != 0, &i)) &&
                SUCCEEDED(hr = place_cursor(table, i)))
                hr = moved;
        } else if (ulFlags & DIR_BACKWARD) {
            for (i = origin; i-- > 0;)
                if (restriction_matches(lpRestriction, view_row_value, view_at(view, i))) break;
            if (i != (ULONG)-1) hr = moved;
        } else {
            for (i = origin; i < view->order_count; i++)
                if (restriction_matches(lpRestriction, view_row_value, view_at(view, i))) break;
            if (i < view->order_count) hr = moved;
        }
        if (SUCCEEDED(hr) && !table->ordered) table->view.cursor = i;
    }
    leave(table);
    return hr;
}

static HRESULT STDMETHODCALLTYPE table_Restrict(IMAPITable *iface, LPSRestriction lpRestriction,
                                                ULONG ulFlags)
{
    struct table *table;
    SRestriction *copy = NULL;
    HRESULT hr = enter(iface, &table);
    if (FAILED(hr)) return hr;
    if (ulFlags & ~TABLE_SET_FLAGS)
        hr = MAPI_E_UNKNOWN_FLAGS;
    else if (lpRestriction && SUCCEEDED(hr = restriction_check(lpRestriction)))
        hr = restriction_copy(&table->alloc, lpRestriction, &copy);
    /* A NULL copy lifts the restriction. */
    if (SUCCEEDED(hr)) hr = change_view(table, copy, table->view.sort);
    leave(table);
    return hr;
}

static HRESULT STDMETHODCALLTYPE table_CreateBookmark(IMAPITable *iface, BOOKMARK_ABI *lpbkPosition)
{
    struct table *table;
    HRESULT hr;
    if (lpbkPosition) *lpbkPosition = 0;
    if (FAILED(hr = enter(iface, &table))) return hr;
    if (!lpbkPosition) {
        hr = MAPI_E_INVALID_PARAMETER;
    } else {
        ULONG cursor = 0;
        if (!table->ordered) {
            hr = view_create_bookmark(&table->view, table->next_bookmark_id);
        } else if (SUCCEEDED(hr = cursor_position(table, &cursor)) &&
                   SUCCEEDED(hr = ordered_place(&table->order, table->os->model, cursor))) {
            hr = view_add_bookmark(&table->view, table->next_bookmark_id, table->order.row, cursor);
        }
        if (SUCCEEDED(hr)) *lpbkPosition = table->next_bookmark_id++;
    }
    leave(table);
    return hr;
}

static HRESULT STDMETHODCALLTYPE table_FreeBookmark(IMAPITable *iface, BOOKMARK_ABI bkPosition)
{
    struct table *table;
    HRESULT hr = enter(iface, &table);
    if (FAILED(hr)) return hr;
    if (bkPosition > BOOKMARK_END) hr = view_free_bookmark(&table->view, bkPosition); /* the three predefined ones are ignored */
    leave(table);
    return hr;
}

/* Plain sorts only: categories (cCategories > 0) are not supported. */
HRESULT table_check_sort(const SSortOrderSet *set)
{
    ULONG i;
    if (!set) return MAPI_E_INVALID_PARAMETER;
    if (set->cCategories || set->cExpanded) return MAPI_E_NO_SUPPORT;
    if (set->cSorts > MAX_SORT_KEYS) return MAPI_E_TOO_COMPLEX;
    for (i = 0; i < set->cSorts; i++) {
        if (set->aSort[i].ulOrder != TABLE_SORT_ASCEND && set->aSort[i].ulOrder != TABLE_SORT_DESCEND)
            return MAPI_E_INVALID_PARAMETER;
        if (PROP_TYPE(set->aSort[i].ulPropTag) & MV_INSTANCE) return MAPI_E_NO_SUPPORT;
    }
    return S_OK;
}

static SSortOrderSet *copy_sort_order(const struct mapi_allocators *alloc, const SSortOrderSet *set)
{
    SSortOrderSet *copy = mapi_alloc_zeroed(alloc, CbSSortOrderSet(set));
    if (copy) memcpy(copy, set, CbSSortOrderSet(set));
    return copy;
}

static HRESULT STDMETHODCALLTYPE table_SortTable(IMAPITable *iface, LPSSortOrderSet lpSortCriteria,
                                                 ULONG ulFlags)
{
    struct table *table;
    SSortOrderSet *copy;
    HRESULT hr = enter(iface, &table);
    if (FAILED(hr)) return hr;
    if (ulFlags & ~TABLE_SET_FLAGS)
        hr = MAPI_E_UNKNOWN_FLAGS;
    else if (SUCCEEDED(hr = table_check_sort(lpSortCriteria)))
        hr = (copy = copy_sort_order(&table->alloc, lpSortCriteria))
                 ? change_view(table, table->view.restriction, copy)
                 : MAPI_E_NOT_ENOUGH_MEMORY;
    leave(table);
    return hr;
}

static HRESULT STDMETHODCALLTYPE table_QuerySortOrder(IMAPITable *iface, LPSSortOrderSet *lppSortCriteria)
{
    static const SSortOrderSet none = {0, 0, 0, {{0, 0}}};
    struct table *table;
    HRESULT hr;
    if (lppSortCriteria) *lppSortCriteria = NULL;
    if (FAILED(hr = enter(iface, &table))) return hr;
    if (!lppSortCriteria)
        hr = MAPI_E_INVALID_PARAMETER;
    else if (!(*lppSortCriteria = copy_sort_order(&table->alloc, table->view.sort ? table->view.sort : &none)))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    leave(table);
    return hr;
}

/*
 * Forward: rows from the cursor. Backward (negative count): the cursor first
 * moves back that many rows, then rows are read forward (IMAPITable::QueryRows).
 * The cursor then follows the last row returned, or, with TBL_NOADVANCE, the first.
 */
static HRESULT STDMETHODCALLTYPE table_QueryRows(IMAPITable *iface, LONG lRowCount, ULONG ulFlags,
                                                 LPSRowSet *lppRows)
{
    struct table *table;
    ULONG first, count, cursor = 0, total = 0;
    HRESULT hr;
    if (lppRows) *lppRows = NULL;
    if (FAILED(hr = enter(iface, &table))) return hr;
    if (!lppRows || !lRowCount) {
        hr = MAPI_E_INVALID_PARAMETER;
    } else if (ulFlags & ~TBL_NOADVANCE) {
        hr = MAPI_E_UNKNOWN_FLAGS;
    } else if (SUCCEEDED(hr = cursor_position(table, &cursor)) && SUCCEEDED(hr = row_total(table, &total))) {
        if (cursor > total) cursor = total;
        if (lRowCount > 0) {
            first = cursor;
            count = total - first;
            if ((ULONG)lRowCount < count) count = (ULONG)lRowCount;
        } else {
            ULONGLONG back = (ULONGLONG)(-(LONGLONG)lRowCount);
            first = back < cursor ? cursor - (ULONG)back : 0;
            count = cursor - first;
        }
        if (table->ordered) {
            hr = query_ordered(table, first, count, &count, lppRows);
        } else {
            struct held_rows held = {&table->view, first};
            hr = copy_rows(table, held_row_at, &held, count, lppRows);
        }
        if (SUCCEEDED(hr)) (void)place_cursor(table, ulFlags & TBL_NOADVANCE ? first : first + count);
    }
    leave(table);
    return hr;
}

/* Nothing runs asynchronously: there is nothing to abort or wait for. */
static HRESULT STDMETHODCALLTYPE table_Abort(IMAPITable *iface)
{
    struct table *table;
    HRESULT hr = enter(iface, &table);
    if (SUCCEEDED(hr)) leave(table);
    return hr;
}

static HRESULT STDMETHODCALLTYPE table_WaitForCompletion(IMAPITable *iface, ULONG ulFlags, ULONG ulTimeout,
                                                         ULONG *lpulTableStatus)
{
    struct table *table;
    HRESULT hr = enter(iface, &table);
    (void)ulTimeout;
    if (FAILED(hr)) return hr;
    leave(table);
    if (ulFlags) return MAPI_E_UNKNOWN_FLAGS;
    if (lpulTableStatus) *lpulTableStatus = TBLSTAT_COMPLETE;
    return S_OK;
}

/* Categories are not supported, so neither is expanding, collapsing or their state. */

static HRESULT STDMETHODCALLTYPE table_ExpandRow(IMAPITable *iface, ULONG cbInstanceKey, LPBYTE pbInstanceKey,
                                                 ULONG ulRowCount, ULONG ulFlags, LPSRowSet *lppRows,
                                                 ULONG *lpulMoreRows)
{
    (void)cbInstanceKey, (void)pbInstanceKey, (void)ulRowCount, (void)ulFlags;
    if (lppRows) *lppRows = NULL;
    if (lpulMoreRows) *lpulMoreRows = 0;
    return open_store_refuse(impl_from_IMAPITable(iface)->os, MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE table_CollapseRow(IMAPITable *iface, ULONG cbInstanceKey,
                                                   LPBYTE pbInstanceKey, ULONG ulFlags, ULONG *lpulRowCount)
{
    (void)cbInstanceKey, (void)pbInstanceKey, (void)ulFlags;
    if (lpulRowCount) *lpulRowCount = 0;
    return open_store_refuse(impl_from_IMAPITable(iface)->os, MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE table_GetCollapseState(IMAPITable *iface, ULONG ulFlags, ULONG cbInstanceKey,
                                                        LPBYTE lpbInstanceKey, ULONG *lpcbCollapseState,
                                                        LPBYTE *lppbCollapseState)
{
    (void)ulFlags, (void)cbInstanceKey, (void)lpbInstanceKey;
    if (lpcbCollapseState) *lpcbCollapseState = 0;
    if (lppbCollapseState) *lppbCollapseState = NULL;
    return open_store_refuse(impl_from_IMAPITable(iface)->os, MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE table_SetCollapseState(IMAPITable *iface, ULONG ulFlags, ULONG cbCollapseState,
                                                        LPBYTE pbCollapseState, BOOKMARK_ABI *lpbkLocation)
{
    (void)ulFlags, (void)cbCollapseState, (void)pbCollapseState;
    if (lpbkLocation) *lpbkLocation = 0;
    return open_store_refuse(impl_from_IMAPITable(iface)->os, MAPI_E_NO_SUPPORT);
}

static const IMAPITableAbiVtbl table_vtbl = {
    table_QueryInterface,  table_AddRef,           table_Release,         table_GetLastError,
    table_Advise,          table_Unadvise,         table_GetStatus,       table_SetColumns,
    table_QueryColumns,    table_GetRowCount,      table_SeekRow,         table_SeekRowApprox,
    table_QueryPosition,   table_FindRow,          table_Restrict,        table_CreateBookmark,
    table_FreeBookmark,    table_SortTable,        table_QuerySortOrder,  table_QueryRows,
    table_Abort,           table_ExpandRow,        table_CollapseRow,     table_WaitForCompletion,
    table_GetCollapseState, table_SetCollapseState,
};

/* The table's block and columns, before it has rows or is known to anyone. */
static struct table *new_table(struct open_store *os, const struct table_spec *spec)
{
    const struct mapi_allocators *alloc = &os->alloc;
    struct table *table = mapi_alloc_zeroed(alloc, sizeof(*table));
    ULONG i;
    if (!table) {
        if (spec->source.ops->release) spec->source.ops->release(alloc, spec->source.context);
        return NULL;
    }
    table->IMAPITable_iface.lpVtbl = ABI_AS_VTBL(IMAPITable, &table_vtbl);
    table->refs = 1;
    table->os = os;
    table->alloc = *alloc;
    table->flags = spec->flags & MAPI_UNICODE;
    table->source = spec->source;
    table->with_depth = spec->with_depth;
    memcpy(table->key.tag, "MSTB", 4);
    table->key.store_uid = os->uid;
    table->next_bookmark_id = FIRST_BOOKMARK_ID;
    view_init(&table->view, &table->alloc);
    table->view.ties_by_id = spec->source.ops->order != NULL; /* a held view sorts as the store's order does */
    table->default_columns = mapi_alloc_more(alloc, CbNewSPropTagArray(spec->column_count), table);
    if (table->default_columns) {
        table->default_columns->cValues = spec->column_count;
        for (i = 0; i < spec->column_count; i++)
            table->default_columns->aulPropTag[i] = props_reported_tag(spec->columns[i], table->flags);
        table->columns = copy_tags(alloc, table->default_columns);
    }
    if (!table->columns) {
        free_table(table);
        return NULL;
    }
    return table;
}

/* A table nobody got: its rows, columns and block. */
HRESULT table_create(struct open_store *os, const struct table_spec *spec, IMAPITable **out)
{
    struct table *table = new_table(os, spec);
    SSortOrderSet *sort;
    ULONG generation = 0;
    HRESULT hr;

    *out = NULL;
    if (!table) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (FAILED(hr = open_store_enter(os))) {
        free_table(table);
        return hr;
    }
    if (store_order(table, NULL, NULL, &table->order.order)) table->ordered = TRUE; /* nothing to read yet */
    else if (SUCCEEDED(hr = model_generation(os->model, &generation))) hr = refresh(table, generation);
    if (SUCCEEDED(hr) && spec->sort)
        hr = (sort = copy_sort_order(&table->alloc, spec->sort)) ? change_view(table, NULL, sort)
                                                                 : MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr)) {
        table->key.serial = ++os->next_table_key;
        table->listener.changed = table_changed;
        open_store_listen(os, &table->listener);
        open_store_register_locked(os);
    }
    open_store_leave(os);
    if (FAILED(hr)) {
        free_table(table);
        return hr;
    }
    *out = &table->IMAPITable_iface;
    return S_OK;
}
