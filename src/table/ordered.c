#include "table/ordered.h"

#include <stdlib.h>
#include <string.h>

HRESULT ordered_count(const struct ordered_view *view, struct model *model, ULONG *count)
{
    if (view->order.test_count) {
        *count = view->member_count;
        return S_OK;
    }
    return model_order_count(model, &view->order, count);
}

void ordered_free_members(struct ordered_view *view, const struct mapi_allocators *alloc)
{
    mapi_free(alloc, view->members);
    view->members = NULL;
    view->member_count = view->member_room = 0;
}

HRESULT ordered_read_members(struct ordered_view *view, struct model *model, const struct mapi_allocators *alloc)
{
    struct model_order by_id = view->order; /* the same messages, in id order */
    ULONGLONG *ids = NULL;
    ULONG count = 0, got = 0;
    HRESULT hr;
    if (!view->order.test_count) return S_OK;
    by_id.count = 0;
    if (FAILED(hr = model_read_begin(model))) return hr; /* the count and the list from one commit */
    if (SUCCEEDED(hr = model_order_count(model, &by_id, &count)) &&
        !(ids = mapi_alloc_zeroed(alloc, ((size_t)count + 1) * sizeof(*ids))))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr)) hr = model_order_ids(model, &by_id, 0, count, ids, &got);
    model_read_end(model);
    if (FAILED(hr)) {
        mapi_free(alloc, ids);
        return hr;
    }
    ordered_free_members(view, alloc);
    view->members = ids;
    view->member_count = got;
    view->member_room = count + 1;
    return S_OK;
}

/* Where id is, or would go, among the members. */
static ULONG member_slot(const struct ordered_view *view, ULONGLONG id)
{
    ULONG low = 0, high = view->member_count;
    while (low < high) {
        ULONG middle = low + (high - low) / 2;
        if (view->members[middle] < id) low = middle + 1;
        else high = middle;
    }
    return low;
}

/* Makes id a member (in) or not; *was: whether it was one. */
static HRESULT set_member(struct ordered_view *view, const struct mapi_allocators *alloc, ULONGLONG id, BOOL in,
                          BOOL *was)
{
    ULONG at = member_slot(view, id);
    *was = at < view->member_count && view->members[at] == id;
    if (*was == in) return S_OK;
    if (!in) {
        memmove(&view->members[at], &view->members[at + 1], (view->member_count - at - 1) * sizeof(*view->members));
        view->member_count--;
        return S_OK;
    }
    if (!mapi_array_reserve(alloc, (void **)&view->members, &view->member_room, view->member_count,
                            view->member_count + 1, sizeof(*view->members), 64))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    memmove(&view->members[at + 1], &view->members[at], (view->member_count - at) * sizeof(*view->members));
    view->members[at] = id;
    view->member_count++;
    return S_OK;
}

HRESULT ordered_cursor(const struct ordered_view *view, struct model *model, ULONG *position)
{
    ULONG count = 0;
    BOOL present = FALSE;
    HRESULT hr = view->row ? model_order_position(model, &view->order, view->row, &present, position) : S_OK;
    if (FAILED(hr) || present) return hr;
    if (FAILED(hr = ordered_count(view, model, &count))) return hr;
    *position = view->position < count ? view->position : count;
    return S_OK;
}

HRESULT ordered_place(struct ordered_view *view, struct model *model, ULONG position)
{
    ULONGLONG id = 0;
    ULONG found = 0;
    HRESULT hr = model_order_ids(model, &view->order, position, 1, &id, &found);
    if (FAILED(hr)) return hr;
    view->position = position;
    view->row = found ? id : 0;
    return S_OK;
}

HRESULT ordered_row_position(const struct ordered_view *view, struct model *model, ULONGLONG row, ULONG last,
                             ULONG *position)
{
    ULONG count = 0;
    BOOL present = FALSE;
    HRESULT hr;
    if (!row) return ordered_count(view, model, position); /* a bookmark past the last row stays past it */
    if (FAILED(hr = model_order_position(model, &view->order, row, &present, position)) || present) return hr;
    if (FAILED(hr = ordered_count(view, model, &count))) return hr;
    *position = last < count ? last : count;
    return MAPI_W_POSITION_CHANGED;
}

static int by_kind_then_position(const void *a, const void *b)
{
    const struct ordered_event *x = a, *y = b;
    if ((x->kind == ORDERED_ROW_DELETED) != (y->kind == ORDERED_ROW_DELETED)) return x->kind == ORDERED_ROW_DELETED ? -1 : 1;
    return (x->position > y->position) - (x->position < y->position);
}

HRESULT ordered_events(struct ordered_view *view, struct model *model, const struct mapi_allocators *alloc,
                       const ULONGLONG *ids, const BOOL *added, ULONG count, struct ordered_event *events,
                       ULONG *event_count)
{
    ULONG i, j, n = 0;
    HRESULT hr = S_OK;
    *event_count = 0;
    for (i = 0; SUCCEEDED(hr) && i < count; i++) {
        struct ordered_event *e = &events[n];
        BOOL present = FALSE, again = FALSE;
        for (j = 0; j < n && !again; j++) {
            if (events[j].id != ids[i]) continue;
            again = TRUE; /* created, then changed in one call: added */
            if (added[i] && events[j].kind == ORDERED_ROW_MODIFIED) events[j].kind = ORDERED_ROW_ADDED;
        }
        if (again) continue;
        e->id = ids[i];
        e->prior = 0;
        e->position = 0;
        if (FAILED(hr = model_order_position(model, &view->order, ids[i], &present, &e->position))) break;
        e->kind = !present ? ORDERED_ROW_DELETED : added[i] ? ORDERED_ROW_ADDED : ORDERED_ROW_MODIFIED;
        if (view->order.test_count) {
            /* Restricted: a row that now passes joins the view; one that no longer does leaves it, if it was there. */
            BOOL was = FALSE;
            if (FAILED(hr = set_member(view, alloc, ids[i], present, &was))) break;
            if (!present && !was) continue;
            if (present && !was) e->kind = ORDERED_ROW_ADDED;
        }
        n++;
    }
    if (FAILED(hr)) return hr;
    /* Applied in this order, each row's prior is a row the client has already. */
    qsort(events, n, sizeof(*events), by_kind_then_position);
    for (i = 0; SUCCEEDED(hr) && i < n; i++) {
        ULONG found = 0;
        if (events[i].kind == ORDERED_ROW_DELETED || !events[i].position) continue;
        hr = model_order_ids(model, &view->order, events[i].position - 1, 1, &events[i].prior, &found);
        if (SUCCEEDED(hr) && !found) events[i].prior = 0;
    }
    if (SUCCEEDED(hr)) *event_count = n;
    return hr;
}
