#include "table/table.h"

#include "lifecycle/open_store.h"
#include "objects/com.h"
#include "table/restriction.h"

#include <string.h>

/* One row of the snapshot: its property list, and PR_DEPTH where the table has one. */
struct row_ref {
    const struct prop_list *props;
    SPropValue depth; /* ulPropTag is 0 in tables without depth */
};

/* A client's bookmark: the row it marks, so that it follows the row through sorts. */
struct bookmark {
    struct list entry;
    BOOKMARK_ABI id;
    ULONG row; /* index into rows, or AT_END */
};

#define AT_END ((ULONG)-1)
#define FIRST_BOOKMARK_ID ((BOOKMARK_ABI)0x100) /* well clear of BOOKMARK_BEGINNING/CURRENT/END */
#define MAX_SORT_KEYS 64
#define TABLE_SET_FLAGS (TBL_ASYNC | TBL_BATCH)

struct table {
    IMAPITable IMAPITable_iface;
    LONG refs;
    struct open_store *os;
    ULONG flags; /* MAPI_UNICODE or 0: how string values come out */
    ULONG cb_notify_key;
    BYTE notify_key[ENTRYID_SIZE];
    ULONG row_count;
    struct row_ref *rows; /* linked to the table's own block */

    SPropTagArray *default_columns; /* linked to the table's block */

    /* The view, guarded by the open store's lock. */
    SPropTagArray *columns;    /* own block */
    SRestriction *restriction; /* own block, or NULL */
    SSortOrderSet *sort;       /* own block, or NULL for snapshot order */
    ULONG *view;               /* row indices in view order; linked to the table's block */
    ULONG view_count;
    ULONG cursor; /* 0..view_count */
    struct list bookmarks;
    BOOKMARK_ABI next_bookmark_id;
};

static inline struct table *impl_from_IMAPITable(IMAPITable *iface)
{
    return CONTAINING_RECORD(iface, struct table, IMAPITable_iface);
}

/* The restriction engine's lookup: a row's value for a property ID. */
static const SPropValue *row_value(const void *row, ULONG tag)
{
    const struct row_ref *ref = row;
    if (ref->depth.ulPropTag && PROP_ID(tag) == PROP_ID(PR_DEPTH)) return &ref->depth;
    return props_find(ref->props, tag);
}

/* Enters the store's lock for a table method: MAPI_E_INVALID_OBJECT once the store has ended. */
static HRESULT enter(IMAPITable *iface, struct table **table)
{
    *table = impl_from_IMAPITable(iface);
    return open_store_enter((*table)->os);
}

static void leave(struct table *table) { open_store_leave(table->os); }

/* ---- the view: restriction, then sort ---- */

static int compare_rows(const struct table *table, ULONG a, ULONG b)
{
    ULONG i;
    for (i = 0; i < table->sort->cSorts; i++) {
        const SSortOrder *key = &table->sort->aSort[i];
        const SPropValue *va = row_value(&table->rows[a], key->ulPropTag);
        const SPropValue *vb = row_value(&table->rows[b], key->ulPropTag);
        /* A missing value sorts before any value. */
        int order = !va || !vb ? (va != NULL) - (vb != NULL)
                               : restriction_compare_values(va, vb, TRUE);
        if (order) return key->ulOrder == TABLE_SORT_DESCEND ? -order : order;
    }
    return 0;
}

/* A stable merge sort of view[0..count) using scratch of the same size. */
static void sort_view(const struct table *table, ULONG *view, ULONG *scratch, ULONG count)
{
    ULONG width, start;
    for (width = 1; width < count; width *= 2) {
        for (start = 0; start < count; start += 2 * width) {
            ULONG middle = start + width < count ? start + width : count;
            ULONG end = start + 2 * width < count ? start + 2 * width : count;
            ULONG left = start, right = middle, out = start;
            while (left < middle || right < end)
                scratch[out++] = right >= end || (left < middle && compare_rows(table, view[left], view[right]) <= 0)
                                     ? view[left++]
                                     : view[right++];
        }
        memcpy(view, scratch, count * sizeof(ULONG));
    }
}

/* Rebuilds the view from the restriction and sort order, cursor at the beginning; fails before changing it. */
static HRESULT rebuild_view(struct table *table)
{
    ULONG i, count = 0, *scratch = NULL;
    if (table->sort && table->sort->cSorts && table->row_count > 1 &&
        !(scratch = mapi_alloc_zeroed(&table->os->alloc, table->row_count * sizeof(ULONG))))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < table->row_count; i++)
        if (!table->restriction || restriction_matches(table->restriction, row_value, &table->rows[i]))
            table->view[count++] = i;
    if (scratch) sort_view(table, table->view, scratch, count);
    mapi_free(&table->os->alloc, scratch);
    table->view_count = count;
    table->cursor = 0;
    return S_OK;
}

/*
 * Makes restriction and sort (each new, or the current one) the table's view.
 * On failure the table keeps its view and the new one is freed.
 */
static HRESULT change_view(struct table *table, SRestriction *restriction, SSortOrderSet *sort)
{
    SRestriction *old_restriction = table->restriction;
    SSortOrderSet *old_sort = table->sort;
    const struct mapi_allocators *alloc = &table->os->alloc;
    HRESULT hr;
    table->restriction = restriction;
    table->sort = sort;
    if (FAILED(hr = rebuild_view(table))) {
        table->restriction = old_restriction;
        table->sort = old_sort;
        old_restriction = restriction; /* what to free: the new ones */
        old_sort = sort;
    }
    if (old_restriction != table->restriction) mapi_free(alloc, old_restriction);
    if (old_sort != table->sort) mapi_free(alloc, old_sort);
    return hr;
}

/* ---- bookmarks ---- */

static struct bookmark *find_bookmark(const struct table *table, BOOKMARK_ABI id)
{
    struct list *cursor;
    for (cursor = table->bookmarks.next; cursor != &table->bookmarks; cursor = cursor->next) {
        struct bookmark *b = LIST_ENTRY(cursor, struct bookmark, entry);
        if (b->id == id) return b;
    }
    return NULL;
}

/*
 * The view position a bookmark stands for. A bookmarked row that the current
 * restriction hides puts the position at the end, with MAPI_W_POSITION_CHANGED.
 */
static HRESULT bookmark_position(const struct table *table, BOOKMARK_ABI id, ULONG *position)
{
    const struct bookmark *b;
    ULONG i;
    switch (id) {
    case BOOKMARK_BEGINNING: *position = 0; return S_OK;
    case BOOKMARK_CURRENT: *position = table->cursor; return S_OK;
    case BOOKMARK_END: *position = table->view_count; return S_OK;
    }
    if (!(b = find_bookmark(table, id))) return MAPI_E_INVALID_BOOKMARK;
    *position = table->view_count;
    if (b->row == AT_END) return S_OK;
    for (i = 0; i < table->view_count; i++)
        if (table->view[i] == b->row) {
            *position = i;
            return S_OK;
        }
    return MAPI_W_POSITION_CHANGED;
}

/* ---- rows out ---- */

static void free_rows(const struct mapi_allocators *alloc, SRowSet *rows)
{
    ULONG i;
    for (i = 0; i < rows->cRows; i++) mapi_free(alloc, rows->aRow[i].lpProps);
    mapi_free(alloc, rows);
}

/* The view rows [first, first + count) in the current columns: one block per row (contract §13). */
static HRESULT copy_rows(const struct table *table, ULONG first, ULONG count, SRowSet **out)
{
    const struct mapi_allocators *alloc = &table->os->alloc;
    const SPropTagArray *columns = table->columns;
    SRowSet *rows = mapi_alloc_zeroed(alloc, CbNewSRowSet(count));
    ULONG r, c;

    if (!rows) return MAPI_E_NOT_ENOUGH_MEMORY;
    for (r = 0; r < count; r++) {
        const struct row_ref *row = &table->rows[table->view[first + r]];
        SRow *dst = &rows->aRow[r];
        if (!(dst->lpProps = mapi_alloc_zeroed(alloc, columns->cValues * sizeof(SPropValue)))) break;
        rows->cRows = r + 1;
        dst->cValues = columns->cValues;
        for (c = 0; c < columns->cValues; c++) {
            ULONG tag = columns->aulPropTag[c];
            if (FAILED(props_copy_value(alloc, row_value(row, tag), tag, table->flags, &dst->lpProps[c],
                                        dst->lpProps)))
                break;
        }
        if (c < columns->cValues) break;
    }
    if (r < count) {
        free_rows(alloc, rows);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    *out = rows;
    return S_OK;
}

/* A copy of a tag array in its own block. */
static SPropTagArray *copy_tags(const struct mapi_allocators *alloc, const SPropTagArray *tags)
{
    SPropTagArray *copy = mapi_alloc_zeroed(alloc, CbSPropTagArray(tags));
    if (copy) memcpy(copy, tags, CbSPropTagArray(tags));
    return copy;
}

/* Adds tag to set unless a tag with its property ID is there. */
static void add_column(SPropTagArray *set, ULONG tag)
{
    ULONG i;
    for (i = 0; i < set->cValues; i++)
        if (PROP_ID(set->aulPropTag[i]) == PROP_ID(tag)) return;
    set->aulPropTag[set->cValues++] = tag;
}

/* TBL_ALL_COLUMNS: the default columns, then every other property any row has. */
static SPropTagArray *all_columns(const struct table *table)
{
    ULONG r, i, most = table->default_columns->cValues + 1;
    SPropTagArray *set;
    for (r = 0; r < table->row_count; r++) most += table->rows[r].props->count;
    if (!(set = mapi_alloc_zeroed(&table->os->alloc, CbNewSPropTagArray(most)))) return NULL;
    for (i = 0; i < table->default_columns->cValues; i++) add_column(set, table->default_columns->aulPropTag[i]);
    for (r = 0; r < table->row_count; r++) {
        const struct prop_list *props = table->rows[r].props;
        if (table->rows[r].depth.ulPropTag) add_column(set, PR_DEPTH);
        for (i = 0; i < props->count; i++)
            if (PROP_TYPE(props->values[i].ulPropTag) != PT_OBJECT)
                add_column(set, props_reported_tag(props->values[i].ulPropTag, table->flags));
    }
    return set;
}

/* ---- IMAPITable ---- */

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
    struct mapi_allocators alloc = os->alloc;
    LONG refs = InterlockedDecrement(&table->refs);
    if (refs) return (ULONG)refs;
    open_store_unadvise_owner(os, table); /* a released table notifies no one */
    open_store_unregister(os); /* may free os */
    while (!list_empty(&table->bookmarks)) {
        struct bookmark *b = LIST_ENTRY(table->bookmarks.next, struct bookmark, entry);
        list_remove(&b->entry);
        mapi_free(&alloc, b);
    }
    mapi_free(&alloc, table->columns);
    mapi_free(&alloc, table->restriction);
    mapi_free(&alloc, table->sort);
    mapi_free(&alloc, table); /* rows and view are linked to it */
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
    return open_store_advise(table->os, table, table->cb_notify_key, (LPENTRYID)table->notify_key,
                             ulEventMask, lpAdviseSink, lpulConnection);
}

static HRESULT STDMETHODCALLTYPE table_Unadvise(IMAPITable *iface, ULONG_PTR ulConnection)
{
    return open_store_unadvise(impl_from_IMAPITable(iface)->os, ulConnection);
}

/* msstore's tables are complete when they are created and never change. */
static HRESULT STDMETHODCALLTYPE table_GetStatus(IMAPITable *iface, ULONG *lpulTableStatus,
                                                 ULONG *lpulTableType)
{
    struct table *table;
    HRESULT hr = enter(iface, &table);
    if (FAILED(hr)) return hr;
    leave(table);
    if (!lpulTableStatus || !lpulTableType) return MAPI_E_INVALID_PARAMETER;
    *lpulTableStatus = TBLSTAT_COMPLETE;
    *lpulTableType = TBLTYPE_SNAPSHOT;
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
        if (!(columns = copy_tags(&table->os->alloc, lpPropTagArray))) {
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
        } else {
            mapi_free(&table->os->alloc, table->columns);
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
    else if (!(*lpPropTagArray = ulFlags ? all_columns(table) : copy_tags(&table->os->alloc, table->columns)))
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
        *lpulCount = table->view_count;
    leave(table);
    return hr;
}

static HRESULT STDMETHODCALLTYPE table_SeekRow(IMAPITable *iface, BOOKMARK_ABI bkOrigin, LONG lRowCount,
                                               LONG *lplRowsSought)
{
    struct table *table;
    ULONG origin;
    LONGLONG target;
    HRESULT hr;
    if (lplRowsSought) *lplRowsSought = 0;
    if (FAILED(hr = enter(iface, &table))) return hr;
    if (SUCCEEDED(hr = bookmark_position(table, bkOrigin, &origin))) {
        target = (LONGLONG)origin + lRowCount;
        if (target < 0) target = 0;
        if (target > (LONGLONG)table->view_count) target = table->view_count;
        table->cursor = (ULONG)target;
        if (lplRowsSought) *lplRowsSought = (LONG)(target - (LONGLONG)origin);
    }
    leave(table);
    return hr;
}

static HRESULT STDMETHODCALLTYPE table_SeekRowApprox(IMAPITable *iface, ULONG ulNumerator,
                                                     ULONG ulDenominator)
{
    struct table *table;
    HRESULT hr = enter(iface, &table);
    if (FAILED(hr)) return hr;
    if (!ulDenominator || ulNumerator > ulDenominator)
        hr = MAPI_E_INVALID_PARAMETER;
    else
        table->cursor = (ULONG)((ULONGLONG)table->view_count * ulNumerator / ulDenominator);
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
        *lpulRow = table->cursor;
        *lpulNumerator = table->cursor;
        *lpulDenominator = table->view_count ? table->view_count : 1;
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
    HRESULT hr;
    if (FAILED(hr = enter(iface, &table))) return hr;
    if (ulFlags & ~DIR_BACKWARD)
        hr = MAPI_E_UNKNOWN_FLAGS;
    else if (!lpRestriction)
        hr = MAPI_E_INVALID_PARAMETER;
    else if (SUCCEEDED(hr = restriction_check(lpRestriction)) &&
             SUCCEEDED(hr = bookmark_position(table, bkOrigin, &origin))) {
        HRESULT moved = hr;
        hr = MAPI_E_NOT_FOUND;
        if (ulFlags & DIR_BACKWARD) {
            for (i = origin; i-- > 0;)
                if (restriction_matches(lpRestriction, row_value, &table->rows[table->view[i]])) break;
            if (i != (ULONG)-1) hr = moved;
        } else {
            for (i = origin; i < table->view_count; i++)
                if (restriction_matches(lpRestriction, row_value, &table->rows[table->view[i]])) break;
            if (i < table->view_count) hr = moved;
        }
        if (SUCCEEDED(hr)) table->cursor = i;
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
        hr = restriction_copy(&table->os->alloc, lpRestriction, &copy);
    if (SUCCEEDED(hr)) hr = change_view(table, copy, table->sort); /* a NULL copy lifts the restriction */
    leave(table);
    return hr;
}

static HRESULT STDMETHODCALLTYPE table_CreateBookmark(IMAPITable *iface, BOOKMARK_ABI *lpbkPosition)
{
    struct table *table;
    struct bookmark *b;
    HRESULT hr;
    if (lpbkPosition) *lpbkPosition = 0;
    if (FAILED(hr = enter(iface, &table))) return hr;
    if (!lpbkPosition) {
        hr = MAPI_E_INVALID_PARAMETER;
    } else if (!(b = mapi_alloc_zeroed(&table->os->alloc, sizeof(*b)))) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    } else {
        b->id = table->next_bookmark_id++;
        b->row = table->cursor < table->view_count ? table->view[table->cursor] : AT_END;
        list_add_tail(&table->bookmarks, &b->entry);
        *lpbkPosition = b->id;
    }
    leave(table);
    return hr;
}

static HRESULT STDMETHODCALLTYPE table_FreeBookmark(IMAPITable *iface, BOOKMARK_ABI bkPosition)
{
    struct table *table;
    struct bookmark *b;
    HRESULT hr = enter(iface, &table);
    if (FAILED(hr)) return hr;
    if (bkPosition > BOOKMARK_END) { /* the three predefined ones are ignored */
        if ((b = find_bookmark(table, bkPosition))) {
            list_remove(&b->entry);
            mapi_free(&table->os->alloc, b);
        } else {
            hr = MAPI_E_INVALID_BOOKMARK;
        }
    }
    leave(table);
    return hr;
}

/* Plain sorts only: categories (cCategories > 0) are not supported. */
static HRESULT check_sort_order(const SSortOrderSet *set)
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
    else if (SUCCEEDED(hr = check_sort_order(lpSortCriteria)))
        hr = (copy = copy_sort_order(&table->os->alloc, lpSortCriteria))
                 ? change_view(table, table->restriction, copy)
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
    else if (!(*lppSortCriteria = copy_sort_order(&table->os->alloc, table->sort ? table->sort : &none)))
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
    ULONG first, count;
    HRESULT hr;
    if (lppRows) *lppRows = NULL;
    if (FAILED(hr = enter(iface, &table))) return hr;
    if (!lppRows || !lRowCount) {
        hr = MAPI_E_INVALID_PARAMETER;
    } else if (ulFlags & ~TBL_NOADVANCE) {
        hr = MAPI_E_UNKNOWN_FLAGS;
    } else {
        if (lRowCount > 0) {
            first = table->cursor;
            count = table->view_count - first;
            if ((ULONG)lRowCount < count) count = (ULONG)lRowCount;
        } else {
            ULONGLONG back = (ULONGLONG)(-(LONGLONG)lRowCount);
            first = back < table->cursor ? table->cursor - (ULONG)back : 0;
            count = table->cursor - first;
        }
        if (SUCCEEDED(hr = copy_rows(table, first, count, lppRows)))
            table->cursor = ulFlags & TBL_NOADVANCE ? first : first + count;
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

HRESULT table_create(struct open_store *os, const struct table_spec *spec, IMAPITable **out)
{
    const struct mapi_allocators *alloc = &os->alloc;
    struct table *table = mapi_alloc_zeroed(alloc, sizeof(*table));
    ULONG i, n = spec->row_count;
    HRESULT hr;

    *out = NULL;
    if (!table) return MAPI_E_NOT_ENOUGH_MEMORY;
    table->IMAPITable_iface.lpVtbl = ABI_AS_VTBL(IMAPITable, &table_vtbl);
    table->refs = 1;
    table->os = os;
    table->flags = spec->flags & MAPI_UNICODE;
    table->cb_notify_key = spec->cb_notify_key;
    memcpy(table->notify_key, spec->notify_key, spec->cb_notify_key);
    table->row_count = n;
    list_init(&table->bookmarks);
    table->next_bookmark_id = FIRST_BOOKMARK_ID;
    table->rows = mapi_alloc_more(alloc, (n ? n : 1) * sizeof(struct row_ref), table);
    table->view = mapi_alloc_more(alloc, (n ? n : 1) * sizeof(ULONG), table);
    table->default_columns = mapi_alloc_more(alloc, CbNewSPropTagArray(spec->column_count), table);
    if (table->default_columns) {
        table->default_columns->cValues = spec->column_count;
        for (i = 0; i < spec->column_count; i++)
            table->default_columns->aulPropTag[i] = props_reported_tag(spec->columns[i], table->flags);
        table->columns = copy_tags(alloc, table->default_columns);
    }
    if (!table->rows || !table->view || !table->columns) {
        mapi_free(alloc, table->columns);
        mapi_free(alloc, table);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    for (i = 0; i < n; i++) {
        table->rows[i].props = spec->rows[i].props;
        table->rows[i].depth.ulPropTag = spec->with_depth ? PR_DEPTH : 0;
        table->rows[i].depth.Value.l = spec->rows[i].depth;
        table->view[i] = i;
    }
    table->view_count = n;

    if (FAILED(hr = open_store_register(os))) {
        mapi_free(alloc, table->columns);
        mapi_free(alloc, table);
        return hr;
    }
    *out = &table->IMAPITable_iface;
    return S_OK;
}
