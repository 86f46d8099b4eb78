/* Advise and Unadvise through IMAPISupport::Subscribe (open_store.h), and who wants what. */
#include "lifecycle/open_store.h"

#include "lifecycle/lock_rule.h"
#include "model/model.h"

#include <string.h>

/* A notification key: an entry ID, or a table's own key. */
#define MAX_KEY_SIZE 32

/* One Advise registration, owned by the open store until Unadvise or teardown. */
struct advise_connection {
    struct list entry;
    ULONG_PTR connection; /* the support object's, handed on to the client (D9 width) */
    IMAPIAdviseSink *sink;
    const void *owner;
    ULONG event_mask;
    ULONG cb_key;
    BYTE key[MAX_KEY_SIZE];
};

#define KNOWN_EVENTS                                                                       \
    (fnevCriticalError | fnevNewMail | fnevObjectCreated | fnevObjectDeleted |             \
     fnevObjectModified | fnevObjectMoved | fnevObjectCopied | fnevSearchComplete |        \
     fnevTableModified | fnevStatusObjectModified | fnevExtended)

BOOL open_store_wants(struct open_store *os, ULONG cb_key, const BYTE *key, ULONG mask)
{
    struct list *cursor;
    for (cursor = os->advises.next; cursor != &os->advises; cursor = cursor->next) {
        const struct advise_connection *c = LIST_ENTRY(cursor, struct advise_connection, entry);
        if ((c->event_mask & mask) && c->cb_key == cb_key && !memcmp(c->key, key, cb_key)) return TRUE;
    }
    return FALSE;
}

static void free_connection(struct open_store *os, struct advise_connection *c)
{
    lock_rule_calling_out();
    c->sink->lpVtbl->Release(c->sink);
    mapi_free(&os->alloc, c);
}

/* Subscribes sink for key; the lock is not held. */
static HRESULT subscribe(struct open_store *os, IMAPISupport *support, const void *owner, ULONG cb_key,
                         const BYTE *key, ULONG mask, LPMAPIADVISESINK sink, ULONG_PTR *lpulConnection)
{
    struct advise_connection *c;
    SizedNOTIFKEY(MAX_KEY_SIZE, notify_key);
    BOOL too_late;
    HRESULT hr;

    if (!(c = mapi_alloc_zeroed(&os->alloc, sizeof(*c)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    list_init(&c->entry);
    c->sink = sink;
    c->owner = owner;
    c->event_mask = mask;
    c->cb_key = cb_key;
    memcpy(c->key, key, cb_key);
    notify_key.cb = cb_key;
    memcpy(notify_key.ab, key, cb_key);
    lock_rule_calling_out();
    sink->lpVtbl->AddRef(sink);
    hr = support_methods(support)->Subscribe(support, (LPNOTIFKEY)&notify_key, mask, 0, sink, &c->connection);
    if (FAILED(hr)) {
        free_connection(os, c);
        return hr;
    }

    lock_acquire(&os->lock);
    too_late = os->state == OPEN_STORE_ENDED; /* teardown ran while we subscribed */
    if (!too_late) list_add_tail(&os->advises, &c->entry);
    lock_release(&os->lock);
    if (too_late) {
        support_methods(support)->Unsubscribe(support, c->connection);
        free_connection(os, c);
        return MAPI_E_INVALID_OBJECT;
    }
    *lpulConnection = c->connection;
    return S_OK;
}

/* Advise once the key is known: arguments checked, support borrowed, Subscribe outside the lock. */
static HRESULT advise_locked(struct open_store *os, const void *owner, ULONG cb_key, const BYTE *key,
                             ULONG ulEventMask, LPMAPIADVISESINK lpAdviseSink, ULONG_PTR *lpulConnection,
                             HRESULT hr)
{
    IMAPISupport *support = NULL;
    if (SUCCEEDED(hr) && (!lpAdviseSink || !lpulConnection || !ulEventMask || (ulEventMask & ~KNOWN_EVENTS)))
        hr = MAPI_E_INVALID_PARAMETER;
    if (SUCCEEDED(hr) && !(support = open_store_borrow_support_locked(os))) hr = MAPI_E_INVALID_OBJECT;
    open_store_leave(os);
    if (lpulConnection) *lpulConnection = 0;
    if (FAILED(hr)) return hr;
    hr = subscribe(os, support, owner, cb_key, key, ulEventMask, lpAdviseSink, lpulConnection);
    open_store_return_support(os);
    return hr;
}

HRESULT open_store_advise(struct open_store *os, const void *owner, ULONG cbEntryID, LPENTRYID lpEntryID,
                          ULONG ulEventMask, LPMAPIADVISESINK lpAdviseSink, ULONG_PTR *lpulConnection)
{
    struct entryid_fields fields;
    BYTE key[ENTRYID_SIZE];
    HRESULT hr = open_store_enter(os);
    if (FAILED(hr)) {
        if (lpulConnection) *lpulConnection = 0;
        return hr;
    }
    /* The key is the canonical entry ID of what is watched, whatever abFlags (or version) it came with. */
    if (!cbEntryID && !lpEntryID) memcpy(key, model_store_entryid(os->model), ENTRYID_SIZE);
    else if (SUCCEEDED(hr = model_resolve(os->model, cbEntryID, lpEntryID, &fields)))
        model_entryid(os->model, fields.kind, fields.object_id, key);
    return advise_locked(os, owner, ENTRYID_SIZE, key, ulEventMask, lpAdviseSink, lpulConnection, hr);
}

HRESULT open_store_advise_key(struct open_store *os, const void *owner, ULONG cb_key, const BYTE *key,
                              ULONG ulEventMask, LPMAPIADVISESINK lpAdviseSink, ULONG_PTR *lpulConnection)
{
    HRESULT hr = open_store_enter(os);
    if (FAILED(hr)) {
        if (lpulConnection) *lpulConnection = 0;
        return hr;
    }
    return advise_locked(os, owner, cb_key, key, ulEventMask, lpAdviseSink, lpulConnection,
                         cb_key <= MAX_KEY_SIZE ? S_OK : MAPI_E_INVALID_PARAMETER);
}

/*
 * Unsubscribes and frees detached connections: no lock held, support kept valid
 * by the caller. One whose Unsubscribe fails goes back to the store, owned by
 * the store alone, while the store is live: MAPI still holds its sink, so
 * Unadvise or the teardown must try again. Returns the first failure.
 */
static HRESULT end_connections(struct open_store *os, IMAPISupport *support, struct list *connections)
{
    HRESULT first_failure = S_OK, hr;
    BOOL kept;
    while (!list_empty(connections)) {
        struct advise_connection *c = LIST_ENTRY(connections->next, struct advise_connection, entry);
        list_remove(&c->entry);
        hr = support_methods(support)->Unsubscribe(support, c->connection);
        kept = FALSE;
        if (FAILED(hr)) {
            if (SUCCEEDED(first_failure)) first_failure = hr;
            lock_acquire(&os->lock);
            if ((kept = os->state != OPEN_STORE_ENDED)) {
                c->owner = NULL;
                list_add_tail(&os->advises, &c->entry);
            }
            lock_release(&os->lock);
        }
        if (!kept) free_connection(os, c);
    }
    return first_failure;
}

/*
 * With the lock held: moves the connections that match to ended and borrows the
 * support object to end them with (in the same critical section, so a
 * teardown no longer sees them). NULL and nothing moved once the store ended.
 */
static IMAPISupport *detach_connections_locked(struct open_store *os, const void *owner,
                                               const ULONG_PTR *connection, struct list *ended)
{
    struct list *cursor, *next;
    IMAPISupport *support = NULL;
    for (cursor = os->advises.next; cursor != &os->advises; cursor = next) {
        struct advise_connection *c = LIST_ENTRY(cursor, struct advise_connection, entry);
        next = cursor->next;
        if (connection ? c->connection != *connection : c->owner != owner) continue;
        if (!support && !(support = open_store_borrow_support_locked(os))) return NULL;
        list_remove(&c->entry);
        list_add_tail(ended, &c->entry);
        if (connection) break;
    }
    return support;
}

HRESULT open_store_unadvise(struct open_store *os, ULONG_PTR ulConnection)
{
    IMAPISupport *support;
    struct list ended;
    HRESULT hr;

    if (FAILED(hr = open_store_enter(os))) return hr;
    list_init(&ended);
    support = detach_connections_locked(os, NULL, &ulConnection, &ended);
    open_store_leave(os);
    if (!support) return MAPI_E_NOT_FOUND;
    hr = end_connections(os, support, &ended);
    open_store_return_support(os);
    return hr;
}

void open_store_unadvise_owner(struct open_store *os, const void *owner)
{
    IMAPISupport *support;
    struct list ended;

    lock_acquire(&os->lock);
    list_init(&ended);
    support = detach_connections_locked(os, owner, NULL, &ended);
    lock_release(&os->lock);
    if (!support) return; /* none, or the teardown ended them */
    (void)end_connections(os, support, &ended); /* the owner is going: there is no caller to tell */
    open_store_return_support(os);
}

void open_store_end_all_connections(struct open_store *os, IMAPISupport *support)
{
    struct list advises;
    lock_acquire(&os->lock);
    list_init(&advises);
    list_move_tail(&advises, &os->advises);
    lock_release(&os->lock);
    (void)end_connections(os, support, &advises);
}
