#include "table/ordered.h"

#include <stdlib.h>

HRESULT ordered_count(const struct ordered_view *view, struct model *model, ULONG *count)
{
    return model_order_count(model, &view->order, count);
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

HRESULT ordered_events(const struct ordered_view *view, struct model *model, const ULONGLONG *ids, const BOOL *added,
                       ULONG count, struct ordered_event *events, ULONG *event_count)
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
