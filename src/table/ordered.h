/*
 * A contents table's rows in the store's own order (model_order, D19's live
 * view without the rows): nothing of a row is held but the id under the
 * cursor; positions, pages and the rows a change touched are asked of the
 * store at each call. A table takes this view while its sort is one the
 * store keeps and its restriction, if any, one the store can test in the
 * file (model_order_make); a restricted view holds the ids that pass, 8
 * bytes each. Otherwise the table holds its rows (view.h).
 */
#ifndef MSSTORE_ORDERED_H
#define MSSTORE_ORDERED_H

#include "model/model.h"

struct ordered_view {
    struct model_order order;
    ULONG position; /* the cursor as it was last placed */
    ULONGLONG row;  /* the id at the cursor then, 0 past the last row: the cursor stays on it */
    /*
     * With a restriction (order.test_count): the ids of the messages that
     * pass it, sorted, 8 bytes each -- so that a change tells a row that
     * joins the view from one that changed in it, and the count needs no
     * scan. A MAPI block, NULL without a restriction.
     */
    ULONGLONG *members;
    ULONG member_count, member_room;
};

/* Reads the members of a restricted order (ordered_view.members) from the file; nothing for one without tests. */
HRESULT ordered_read_members(struct ordered_view *view, struct model *model, const struct mapi_allocators *alloc);
void ordered_free_members(struct ordered_view *view, const struct mapi_allocators *alloc);

/* What one change did to the view's rows, in the order a client can apply them. */
enum ordered_event_kind { ORDERED_ROW_DELETED, ORDERED_ROW_ADDED, ORDERED_ROW_MODIFIED };
struct ordered_event {
    enum ordered_event_kind kind;
    ULONGLONG id;
    ULONGLONG prior; /* added or modified: the id of the row before it now, 0 at the top */
    ULONG position;  /* added or modified: where it is now */
};

HRESULT ordered_count(const struct ordered_view *view, struct model *model, ULONG *count);
/* The cursor's position now: its row's, or (its row gone) where it was, at most the count. */
HRESULT ordered_cursor(const struct ordered_view *view, struct model *model, ULONG *position);
/* Puts the cursor at position (at most the count) and on the row there. */
HRESULT ordered_place(struct ordered_view *view, struct model *model, ULONG position);
/* A bookmark's position: its row's (S_OK), or, its row gone, last clamped to the count (MAPI_W_POSITION_CHANGED). */
HRESULT ordered_row_position(const struct ordered_view *view, struct model *model, ULONGLONG row, ULONG last,
                             ULONG *position);
/*
 * The events of the message changes in ids (ids[i] with added[i]: new in
 * the view if it is there, a copy or a move in): deleted ones first, then
 * the rest by position, each row once. events has room for count. A
 * restricted view's members follow; on failure they must be read again.
 */
HRESULT ordered_events(struct ordered_view *view, struct model *model, const struct mapi_allocators *alloc,
                       const ULONGLONG *ids, const BOOL *added, ULONG count, struct ordered_event *events,
                       ULONG *event_count);

#endif
