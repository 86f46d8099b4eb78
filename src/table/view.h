/*
 * A table's rows as a client sees them: the rows (each an object id, its
 * PR_DEPTH and its properties), the restriction and sort order that make
 * them a view, the cursor and bookmarks. Plain C over MAPI memory, guarded
 * by the caller's lock; the COM table (table.c) is built on it.
 *
 * The rows are replaced as a whole when the store changes (view_update):
 * the view then says, row by row, what a client holding the old view must do
 * to see the new one (deleted, added after a prior row, modified), and the
 * cursor and bookmarks stay on the rows they were on.
 */
#ifndef MSSTORE_VIEW_H
#define MSSTORE_VIEW_H

#include "mapi/list.h"
#include "mapi/props.h"

struct view_row {
    ULONGLONG id;         /* unique among the table's rows */
    SPropValue depth;     /* PR_DEPTH; ulPropTag 0 in tables without depth */
    struct prop_list props;
};

/* A client's bookmark: the row it marks, so that it follows the row through sorts and changes. */
struct view_bookmark {
    struct list entry;
    ULONG_PTR id;
    ULONGLONG row_id;  /* 0: the end of the table */
    ULONG last_position; /* where it was, for a row that has gone */
};

struct view {
    const struct mapi_allocators *alloc;
    ULONG row_count;
    struct view_row *rows;     /* a MAPI block; each row's props are its own block */
    SRestriction *restriction; /* own block, or NULL */
    SSortOrderSet *sort;       /* own block, or NULL for the source's order */
    ULONG *order;              /* indices into rows, in view order: a MAPI block */
    ULONG order_count;
    ULONG cursor;              /* 0..order_count */
    BOOL ties_by_id;           /* rows with equal keys by id in the last key's direction (the store's order), else as given */
    struct list bookmarks;
};

/* What happened to one row of the view, in the order a client can apply them. */
enum view_event_kind { VIEW_ROW_DELETED, VIEW_ROW_ADDED, VIEW_ROW_MODIFIED };
struct view_event {
    enum view_event_kind kind;
    const struct view_row *row;   /* added or modified: in the new rows; deleted: in the old ones */
    const struct view_row *prior; /* added or modified: the row before it now, or NULL at the top */
};
typedef void (*view_event_fn)(void *context, const struct view_event *events, ULONG count);

void view_init(struct view *view, const struct mapi_allocators *alloc);
void view_free(struct view *view);

/* The restriction engine's lookup: a row's value for a property ID. */
const SPropValue *view_row_value(const void *row, ULONG tag);

/*
 * Makes rows (a MAPI block of count rows, taken over) the view's rows,
 * through the current restriction and sort order, cursor and bookmarks kept
 * on their rows. When fn is not NULL it gets, before the old rows are freed,
 * what changed between the old view and the new, in order. Fails (taking
 * nothing, changing nothing) only when the allocator does.
 */
HRESULT view_update(struct view *view, struct view_row *rows, ULONG count, view_event_fn fn, void *context);

/*
 * As view_update, for a change of a few rows: the rows of ids (sorted here)
 * leave the view, and rows (a MAPI block of count rows, each of an id in
 * ids; taken over on success) join it; every other row stays as it is.
 */
HRESULT view_patch(struct view *view, ULONGLONG *ids, ULONG id_count, struct view_row *rows, ULONG count,
                   view_event_fn fn, void *context);

/* Makes restriction and sort (each new, or the current one) the view, cursor at the top; on failure the new ones are freed. */
HRESULT view_change(struct view *view, SRestriction *restriction, SSortOrderSet *sort);

/* Makes rows (a MAPI block of count rows, taken over only on success), restriction and sort the view, cursor at the top. */
HRESULT view_replace(struct view *view, struct view_row *rows, ULONG count, SRestriction *restriction,
                     SSortOrderSet *sort);

/* The row at a view position (< order_count). */
static inline const struct view_row *view_at(const struct view *view, ULONG position)
{
    return &view->rows[view->order[position]];
}

/* Frees the rows (a table that now reads them from the store's order), keeping restriction, sort and bookmarks. */
void view_drop_rows(struct view *view);

/* Bookmarks: one for the cursor's row, the position one stands for, and freeing one. */
HRESULT view_create_bookmark(struct view *view, ULONG_PTR id);
/* One for row_id (0: past the last row), at position: a table's own cursor. */
HRESULT view_add_bookmark(struct view *view, ULONG_PTR id, ULONGLONG row_id, ULONG position);
const struct view_bookmark *view_find_bookmark(const struct view *view, ULONG_PTR id);
/* S_OK, MAPI_W_POSITION_CHANGED (its row is gone or hidden: the position is its nearest), MAPI_E_INVALID_BOOKMARK. */
HRESULT view_bookmark_position(const struct view *view, ULONG_PTR id, ULONG *position);
HRESULT view_free_bookmark(struct view *view, ULONG_PTR id);

#endif
