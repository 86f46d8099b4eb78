#include "table/view.h"

#include "table/restriction.h"

#include <stdlib.h>
#include <string.h>

#define NONE ((ULONG)-1)

void view_init(struct view *view, const struct mapi_allocators *alloc)
{
    memset(view, 0, sizeof(*view));
    view->alloc = alloc;
    list_init(&view->bookmarks);
}

static void free_rows(const struct mapi_allocators *alloc, struct view_row *rows, ULONG count)
{
    ULONG i;
    if (!rows) return;
    for (i = 0; i < count; i++) props_free(alloc, &rows[i].props);
    mapi_free(alloc, rows);
}

void view_drop_rows(struct view *view)
{
    free_rows(view->alloc, view->rows, view->row_count);
    mapi_free(view->alloc, view->order);
    view->rows = NULL;
    view->order = NULL;
    view->row_count = view->order_count = view->cursor = 0;
}

void view_free(struct view *view)
{
    while (!list_empty(&view->bookmarks)) {
        struct view_bookmark *b = LIST_ENTRY(view->bookmarks.next, struct view_bookmark, entry);
        list_remove(&b->entry);
        mapi_free(view->alloc, b);
    }
    view_drop_rows(view);
    mapi_free(view->alloc, view->restriction);
    mapi_free(view->alloc, view->sort);
}

const SPropValue *view_row_value(const void *row, ULONG tag)
{
    const struct view_row *r = row;
    if (r->depth.ulPropTag && PROP_ID(tag) == PROP_ID(PR_DEPTH)) return &r->depth;
    return props_find(&r->props, tag);
}

/* ---- ordering ---- */

/* With ties_by_id, rows with equal keys go by id in the last key's direction; else they keep the source's order. */
static int compare_rows(const SSortOrderSet *sort, BOOL ties_by_id, const struct view_row *a, const struct view_row *b)
{
    ULONG i;
    int order = 0;
    for (i = 0; i < sort->cSorts; i++) {
        const SSortOrder *key = &sort->aSort[i];
        const SPropValue *va = view_row_value(a, key->ulPropTag);
        const SPropValue *vb = view_row_value(b, key->ulPropTag);
        /* A missing value sorts before any value. */
        order = !va || !vb ? (va != NULL) - (vb != NULL) : restriction_compare_values(va, vb, TRUE);
        if (!order && ties_by_id && i + 1 == sort->cSorts) order = (a->id > b->id) - (a->id < b->id);
        if (order) return key->ulOrder == TABLE_SORT_DESCEND ? -order : order;
    }
    return order;
}

/* A stable merge sort of order[0..count) by rows, using scratch of the same size. */
static void sort_order(const SSortOrderSet *sort, BOOL ties_by_id, const struct view_row *rows, ULONG *order,
                       ULONG *scratch, ULONG count)
{
    ULONG width, start;
    for (width = 1; width < count; width *= 2) {
        for (start = 0; start < count; start += 2 * width) {
            ULONG middle = start + width < count ? start + width : count;
            ULONG end = start + 2 * width < count ? start + 2 * width : count;
            ULONG left = start, right = middle, out = start;
            while (left < middle || right < end)
                scratch[out++] = right >= end || (left < middle &&
                                                   compare_rows(sort, ties_by_id, &rows[order[left]], &rows[order[right]]) <= 0)
                                     ? order[left++]
                                     : order[right++];
        }
        memcpy(order, scratch, count * sizeof(ULONG));
    }
}

static BOOL visible(const SRestriction *restriction, const struct view_row *row)
{
    return !restriction || restriction_matches(restriction, view_row_value, row);
}

/* The view order of rows under restriction and sort, into a new MAPI block; NULL when the allocator fails. */
static ULONG *build_order(const struct view *view, const struct view_row *rows, ULONG count,
                          const SRestriction *restriction, const SSortOrderSet *sort, ULONG *order_count)
{
    ULONG *order = mapi_alloc_zeroed(view->alloc, (count ? count : 1) * sizeof(ULONG)), *scratch = NULL, i, n = 0;
    if (!order) return NULL;
    if (sort && sort->cSorts && count > 1 && !(scratch = mapi_alloc_zeroed(view->alloc, count * sizeof(ULONG)))) {
        mapi_free(view->alloc, order);
        return NULL;
    }
    for (i = 0; i < count; i++)
        if (visible(restriction, &rows[i])) order[n++] = i;
    if (scratch) sort_order(sort, view->ties_by_id, rows, order, scratch, n);
    mapi_free(view->alloc, scratch);
    *order_count = n;
    return order;
}

/* The view position of the row with that id, or NONE. */
static ULONG position_of(const struct view *view, ULONGLONG row_id)
{
    ULONG i;
    for (i = 0; i < view->order_count; i++)
        if (view_at(view, i)->id == row_id) return i;
    return NONE;
}

/* After the order changed: bookmarks learn where their rows are now. */
static void place_bookmarks(struct view *view)
{
    struct list *cursor;
    for (cursor = view->bookmarks.next; cursor != &view->bookmarks; cursor = cursor->next) {
        struct view_bookmark *b = LIST_ENTRY(cursor, struct view_bookmark, entry);
        ULONG position = b->row_id ? position_of(view, b->row_id) : NONE;
        if (position != NONE) b->last_position = position;
        else if (b->last_position > view->order_count) b->last_position = view->order_count;
    }
}

/* Makes rows (the view's own, or new ones it takes over), restriction and sort the view, cursor at the top. */
static HRESULT replace(struct view *view, struct view_row *rows, ULONG row_count, SRestriction *restriction,
                       SSortOrderSet *sort)
{
    ULONG count = 0, *order = build_order(view, rows, row_count, restriction, sort, &count);
    if (!order) {
        if (restriction != view->restriction) mapi_free(view->alloc, restriction);
        if (sort != view->sort) mapi_free(view->alloc, sort);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (rows != view->rows) {
        free_rows(view->alloc, view->rows, view->row_count);
        view->rows = rows;
        view->row_count = row_count;
    }
    if (restriction != view->restriction) mapi_free(view->alloc, view->restriction);
    if (sort != view->sort) mapi_free(view->alloc, view->sort);
    view->restriction = restriction;
    view->sort = sort;
    mapi_free(view->alloc, view->order);
    view->order = order;
    view->order_count = count;
    view->cursor = 0;
    place_bookmarks(view);
    return S_OK;
}

HRESULT view_change(struct view *view, SRestriction *restriction, SSortOrderSet *sort)
{
    return replace(view, view->rows, view->row_count, restriction, sort);
}

HRESULT view_replace(struct view *view, struct view_row *rows, ULONG count, SRestriction *restriction,
                     SSortOrderSet *sort)
{
    return replace(view, rows, count, restriction, sort);
}

/* ---- replacing the rows ---- */

/* A row's id and where it is (in the rows, or in the view), sorted by id to find rows among many. */
struct id_index {
    ULONGLONG id;
    ULONG index;
};

static int compare_id_index(const void *a, const void *b)
{
    ULONGLONG x = ((const struct id_index *)a)->id, y = ((const struct id_index *)b)->id;
    return (x > y) - (x < y);
}

/* The index kept with id in sorted (count entries), or NONE. */
static ULONG index_of(const struct id_index *sorted, ULONG count, ULONGLONG id)
{
    ULONG low = 0, high = count;
    while (low < high) {
        ULONG middle = low + (high - low) / 2;
        if (sorted[middle].id < id) low = middle + 1;
        else high = middle;
    }
    return low < count && sorted[low].id == id ? sorted[low].index : NONE;
}

static BOOL row_changed(const struct view_row *old, const struct view_row *now)
{
    if (old->props.values == now->props.values) return old->depth.Value.l != now->depth.Value.l; /* one row, kept */
    return old->depth.Value.l != now->depth.Value.l || !props_equal(&old->props, &now->props);
}

/*
 * Marks keep[i] for the rows of the new view that form the longest run keeping their old relative
 * order (old[i]: the row's position in the old view, NONE for a new row); tail and prev are scratch,
 * each as long as the view. Those rows need not move; every other row is placed again.
 */
static void mark_rows_in_order(const ULONG *old, ULONG count, ULONG *tail, ULONG *prev, ULONG *keep)
{
    ULONG i, length = 0, k;
    for (i = 0; i < count; i++) {
        ULONG low = 0, high = length;
        keep[i] = FALSE;
        prev[i] = NONE;
        if (old[i] == NONE) continue;
        while (low < high) {
            ULONG middle = low + (high - low) / 2;
            if (old[tail[middle]] < old[i]) low = middle + 1;
            else high = middle;
        }
        prev[i] = low ? tail[low - 1] : NONE;
        tail[low] = i;
        if (low == length) length++;
    }
    for (k = length ? tail[length - 1] : NONE; k != NONE; k = prev[k]) keep[k] = TRUE;
}

/*
 * What a client must do to go from the old view (order, rows) to the new one, into events: the rows
 * that left; then, in the new view's order, each row that is new, changed or out of order (a folder
 * renamed to another place, a subfolder that moved with its parent), placed after the row before
 * it. Applied one by one they give the new view exactly, and rows that kept their order are not
 * told of. scratch holds old_row_count + 4 * the new view's count; ids, old_row_count + the new view's
 * count. Each row is found by its id in O(log n): a folder of 100,000 rows diffs in O(n log n).
 */
static ULONG diff(const struct view *view, const ULONG *old_order, ULONG old_count, const struct view_row *old_rows,
                  ULONG old_row_count, ULONG *scratch, struct id_index *ids, struct view_event *events)
{
    ULONG count = view->order_count, *old_position = scratch, *old = scratch + old_row_count;
    ULONG *tail = old + count, *prev = tail + count, *keep = prev + count;
    struct id_index *old_ids = ids, *new_ids = ids + old_row_count;
    ULONG i, n = 0;
    for (i = 0; i < old_row_count; i++) {
        old_position[i] = NONE;
        old_ids[i].id = old_rows[i].id;
        old_ids[i].index = i;
    }
    for (i = 0; i < count; i++) {
        new_ids[i].id = view_at(view, i)->id;
        new_ids[i].index = i;
    }
    qsort(old_ids, old_row_count, sizeof(*old_ids), compare_id_index);
    qsort(new_ids, count, sizeof(*new_ids), compare_id_index);
    for (i = 0; i < old_count; i++) {
        const struct view_row *row = &old_rows[old_order[i]];
        old_position[old_order[i]] = i;
        if (index_of(new_ids, count, row->id) != NONE) continue;
        events[n].kind = VIEW_ROW_DELETED;
        events[n].row = row;
        events[n++].prior = NULL;
    }
    for (i = 0; i < count; i++) {
        ULONG found = index_of(old_ids, old_row_count, view_at(view, i)->id);
        old[i] = found != NONE ? old_position[found] : NONE;
    }
    mark_rows_in_order(old, count, tail, prev, keep);
    for (i = 0; i < count; i++) {
        const struct view_row *row = view_at(view, i);
        if (keep[i] && !row_changed(&old_rows[index_of(old_ids, old_row_count, row->id)], row)) continue;
        events[n].kind = old[i] != NONE ? VIEW_ROW_MODIFIED : VIEW_ROW_ADDED;
        events[n].row = row;
        events[n++].prior = i ? view_at(view, i - 1) : NULL;
    }
    return n;
}

static int compare_ids(const void *a, const void *b)
{
    ULONGLONG x = *(const ULONGLONG *)a, y = *(const ULONGLONG *)b;
    return (x > y) - (x < y);
}

static BOOL id_listed(const ULONGLONG *sorted, ULONG count, ULONGLONG id)
{
    ULONG low = 0, high = count;
    while (low < high) {
        ULONG middle = low + (high - low) / 2;
        if (sorted[middle] < id) low = middle + 1;
        else high = middle;
    }
    return low < count && sorted[low] == id;
}

/*
 * Makes rows the view's rows, as view_update says. With replaced (sorted),
 * rows shares the old rows' values but for those ids: only theirs are freed.
 */
static HRESULT update(struct view *view, struct view_row *rows, ULONG count, const ULONGLONG *replaced,
                      ULONG replaced_count, view_event_fn fn, void *context)
{
    struct view_row *old_rows = view->rows;
    ULONG old_row_count = view->row_count, *old_order = view->order, old_count = view->order_count;
    ULONGLONG cursor_row = view->cursor < old_count ? view_at(view, view->cursor)->id : 0;
    ULONG old_cursor = view->cursor, new_count = 0, position, n, i;
    struct view_event *events = NULL;
    struct id_index *ids = NULL;
    ULONG *scratch = NULL;
    ULONG *order = build_order(view, rows, count, view->restriction, view->sort, &new_count);

    if (!order || (fn && (!(events = mapi_alloc_zeroed(view->alloc, (old_count + new_count + 1) * sizeof(*events))) ||
                          !(scratch = mapi_alloc_zeroed(view->alloc, (old_row_count + 4 * new_count + 1) *
                                                                         sizeof(*scratch))) ||
                          !(ids = mapi_alloc_zeroed(view->alloc, (old_row_count + new_count + 1) * sizeof(*ids)))))) {
        mapi_free(view->alloc, scratch);
        mapi_free(view->alloc, events);
        mapi_free(view->alloc, order);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    view->rows = rows;
    view->row_count = count;
    view->order = order;
    view->order_count = new_count;
    /* The cursor stays on its row; a row that went leaves it where it was. */
    position = cursor_row ? position_of(view, cursor_row) : NONE;
    view->cursor = position != NONE ? position : (old_cursor < new_count ? old_cursor : new_count);
    place_bookmarks(view);
    if (fn) {
        n = diff(view, old_order, old_count, old_rows, old_row_count, scratch, ids, events);
        if (n) fn(context, events, n);
    }
    mapi_free(view->alloc, ids);
    mapi_free(view->alloc, scratch);
    mapi_free(view->alloc, events);
    mapi_free(view->alloc, old_order);
    if (!replaced) {
        free_rows(view->alloc, old_rows, old_row_count);
        return S_OK;
    }
    for (i = 0; i < old_row_count; i++)
        if (id_listed(replaced, replaced_count, old_rows[i].id)) props_free(view->alloc, &old_rows[i].props);
    mapi_free(view->alloc, old_rows);
    return S_OK;
}

HRESULT view_update(struct view *view, struct view_row *rows, ULONG count, view_event_fn fn, void *context)
{
    return update(view, rows, count, NULL, 0, fn, context);
}

HRESULT view_patch(struct view *view, ULONGLONG *ids, ULONG id_count, struct view_row *rows, ULONG count,
                   view_event_fn fn, void *context)
{
    struct view_row *all;
    ULONG n = 0, i;
    HRESULT hr;
    qsort(ids, id_count, sizeof(*ids), compare_ids);
    if (!(all = mapi_alloc_zeroed(view->alloc, (view->row_count + count + 1) * sizeof(*all))))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < view->row_count; i++)
        if (!id_listed(ids, id_count, view->rows[i].id)) all[n++] = view->rows[i]; /* shares its values */
    for (i = 0; i < count; i++) all[n++] = rows[i];
    if (FAILED(hr = update(view, all, n, ids, id_count, fn, context))) {
        mapi_free(view->alloc, all);
        return hr;
    }
    mapi_free(view->alloc, rows); /* its rows' values are the view's now */
    return S_OK;
}

/* ---- bookmarks ---- */

static struct view_bookmark *find_bookmark(const struct view *view, ULONG_PTR id)
{
    struct list *cursor;
    for (cursor = view->bookmarks.next; cursor != &view->bookmarks; cursor = cursor->next) {
        struct view_bookmark *b = LIST_ENTRY(cursor, struct view_bookmark, entry);
        if (b->id == id) return b;
    }
    return NULL;
}

HRESULT view_add_bookmark(struct view *view, ULONG_PTR id, ULONGLONG row_id, ULONG position)
{
    struct view_bookmark *b = mapi_alloc_zeroed(view->alloc, sizeof(*b));
    if (!b) return MAPI_E_NOT_ENOUGH_MEMORY;
    b->id = id;
    b->row_id = row_id;
    b->last_position = position;
    list_add_tail(&view->bookmarks, &b->entry);
    return S_OK;
}

HRESULT view_create_bookmark(struct view *view, ULONG_PTR id)
{
    return view_add_bookmark(view, id, view->cursor < view->order_count ? view_at(view, view->cursor)->id : 0,
                             view->cursor);
}

const struct view_bookmark *view_find_bookmark(const struct view *view, ULONG_PTR id)
{
    return find_bookmark(view, id);
}

HRESULT view_bookmark_position(const struct view *view, ULONG_PTR id, ULONG *position)
{
    const struct view_bookmark *b = find_bookmark(view, id);
    ULONG found;
    if (!b) return MAPI_E_INVALID_BOOKMARK;
    if (!b->row_id) {
        *position = view->order_count;
        return S_OK;
    }
    if ((found = position_of(view, b->row_id)) != NONE) {
        *position = found;
        return S_OK;
    }
    *position = b->last_position < view->order_count ? b->last_position : view->order_count;
    return MAPI_W_POSITION_CHANGED;
}

HRESULT view_free_bookmark(struct view *view, ULONG_PTR id)
{
    struct view_bookmark *b = find_bookmark(view, id);
    if (!b) return MAPI_E_INVALID_BOOKMARK;
    list_remove(&b->entry);
    mapi_free(view->alloc, b);
    return S_OK;
}
