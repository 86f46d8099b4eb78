#include "lifecycle/open_store.h"

#include "lifecycle/lock_rule.h"
#include "objects/provider.h"

#include <stdio.h>
#include <string.h>

/* One IMsgStore/IMSLogon::Advise registration, owned by the open store until Unadvise or teardown. */
struct advise_connection {
    struct list entry;
    ULONG_PTR connection; /* the support object's, handed on to the client (D9 width) */
    IMAPIAdviseSink *sink;
    const void *owner;
};

#define LOGOFF_IN_FLAGS (LOGOFF_NO_WAIT | LOGOFF_ORDERLY | LOGOFF_PURGE | LOGOFF_ABORT | LOGOFF_QUIET)

#define KNOWN_EVENTS                                                                       \
    (fnevCriticalError | fnevNewMail | fnevObjectCreated | fnevObjectDeleted |             \
     fnevObjectModified | fnevObjectMoved | fnevObjectCopied | fnevSearchComplete |        \
     fnevTableModified | fnevStatusObjectModified | fnevExtended)

HRESULT open_store_create(struct provider *provider, const struct mapi_allocators *alloc,
                          struct open_store **out)
{
    struct open_store *os = mapi_alloc_zeroed(alloc, sizeof(*os));
    if (!os) return MAPI_E_NOT_ENOUGH_MEMORY;
    os->refs = 1;
    InitializeCriticalSection(&os->lock);
    os->state = OPEN_STORE_OPENING;
    os->alloc = *alloc;
    os->provider = provider;
    provider_addref(provider);
    list_init(&os->provider_entry);
    os->logoff_flags = LOGOFF_ABORT; /* D4: the flag when StoreLogoff never came */
    list_init(&os->advises);
    *out = os;
    return S_OK;
}

void open_store_addref(struct open_store *os) { InterlockedIncrement(&os->refs); }

void open_store_release(struct open_store *os)
{
    struct mapi_allocators alloc;
    if (InterlockedDecrement(&os->refs)) return;
    /* Teardown dropped the provider unless Logon failed before going live. */
    if (os->provider) provider_release(os->provider);
    store_content_free(&os->content, &os->alloc);
    mapi_free(&os->alloc, os->store);
    DeleteCriticalSection(&os->lock);
    alloc = os->alloc;
    mapi_free(&alloc, os);
}

void open_store_go_live(struct open_store *os, IMAPISupport *support)
{
    support_methods(support)->AddRef(support); /* the one reference (D3), after everything that can fail */
    lock_acquire(&os->lock);
    os->support = support;
    os->support_users = 1;
    os->state = OPEN_STORE_LIVE;
    lock_release(&os->lock);
    provider_remember_open_store(os->provider, os);
}

HRESULT open_store_enter(struct open_store *os)
{
    lock_acquire(&os->lock);
    if (os->state == OPEN_STORE_ENDED) {
        lock_release(&os->lock);
        return MAPI_E_INVALID_OBJECT;
    }
    return S_OK;
}

void open_store_leave(struct open_store *os) { lock_release(&os->lock); }

HRESULT open_store_refuse(struct open_store *os, HRESULT hr)
{
    HRESULT alive = open_store_enter(os);
    if (FAILED(alive)) return alive;
    open_store_leave(os);
    return hr;
}

HRESULT open_store_register(struct open_store *os)
{
    HRESULT hr = open_store_enter(os);
    if (FAILED(hr)) return hr;
    os->object_count++;
    open_store_addref(os);
    open_store_leave(os);
    return S_OK;
}

void open_store_unregister(struct open_store *os)
{
    lock_acquire(&os->lock);
    if (os->state != OPEN_STORE_ENDED) os->object_count--; /* else the teardown has uncounted it */
    lock_release(&os->lock);
    open_store_release(os);
}

/* With the lock held: a borrow of the support object, or NULL once ended. */
static IMAPISupport *borrow_support_locked(struct open_store *os)
{
    if (os->state == OPEN_STORE_ENDED || !os->support) return NULL;
    os->support_users++;
    return os->support;
}

/* Ends a borrow; the last one out after the teardown releases the support object. */
static void return_support(struct open_store *os)
{
    IMAPISupport *last = NULL;
    lock_acquire(&os->lock);
    if (--os->support_users == 0) {
        last = os->support;
        os->support = NULL;
    }
    lock_release(&os->lock);
    /* MAPI may call IMSLogon::Logoff and IMSLogon::Release from inside this Release. */
    if (last) support_methods(last)->Release(last);
}

HRESULT open_store_store_logoff(struct open_store *os, ULONG *lpulFlags)
{
    HRESULT hr = open_store_enter(os);
    ULONG flags;
    if (FAILED(hr)) return hr;
    if (!lpulFlags) {
        hr = MAPI_E_INVALID_PARAMETER;
    } else if ((flags = *lpulFlags) & ~LOGOFF_IN_FLAGS) {
        hr = MAPI_E_UNKNOWN_FLAGS;
    } else if (flags == 0 || (flags & (flags - 1)) != 0) {
        hr = MAPI_E_INVALID_PARAMETER; /* exactly one flag */
    } else {
        os->logoff_flags = flags; /* a later call overwrites it (contract §6.3) */
        *lpulFlags = LOGOFF_COMPLETE;
    }
    open_store_leave(os);
    return hr;
}

/* The notification key of an Advise: the entry ID it watches, the store's when none. */
struct advise_key {
    ULONG cb;
    BYTE ab[ENTRYID_SIZE];
};

static HRESULT advise_key(struct open_store *os, ULONG cbEntryID, LPENTRYID lpEntryID,
                          struct advise_key *key)
{
    struct entryid_fields fields;
    HRESULT hr;

    key->cb = ENTRYID_SIZE;
    if (!cbEntryID && !lpEntryID) {
        memcpy(key->ab, os->content.entryid, ENTRYID_SIZE);
        return S_OK;
    }
    if (FAILED(hr = store_content_resolve(&os->content, cbEntryID, lpEntryID, &fields)))
        return hr;
    entryid_encode(&fields, key->ab); /* canonical bytes, whatever abFlags said */
    return S_OK;
}

static void free_connection(struct open_store *os, struct advise_connection *c)
{
    lock_rule_calling_out();
    c->sink->lpVtbl->Release(c->sink);
    mapi_free(&os->alloc, c);
}

HRESULT open_store_advise(struct open_store *os, const void *owner, ULONG cbEntryID,
                          LPENTRYID lpEntryID, ULONG ulEventMask, LPMAPIADVISESINK lpAdviseSink,
                          ULONG_PTR *lpulConnection)
{
    struct advise_connection *c;
    struct advise_key key;
    IMAPISupport *support;
    BOOL too_late;
    HRESULT hr;

    if (FAILED(hr = open_store_enter(os))) return hr;
    if (!lpAdviseSink || !lpulConnection || !ulEventMask || (ulEventMask & ~KNOWN_EVENTS))
        hr = MAPI_E_INVALID_PARAMETER;
    else
        hr = advise_key(os, cbEntryID, lpEntryID, &key);
    support = SUCCEEDED(hr) ? borrow_support_locked(os) : NULL;
    open_store_leave(os);
    if (lpulConnection) *lpulConnection = 0;
    if (FAILED(hr)) return hr;
    if (!support) return MAPI_E_INVALID_OBJECT;

    if (!(c = mapi_alloc_zeroed(&os->alloc, sizeof(*c)))) {
        return_support(os);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    list_init(&c->entry);
    c->sink = lpAdviseSink;
    c->owner = owner;
    lock_rule_calling_out();
    lpAdviseSink->lpVtbl->AddRef(lpAdviseSink);
    hr = support_methods(support)->Subscribe(support, (LPNOTIFKEY)&key, ulEventMask, 0, lpAdviseSink,
                                             &c->connection);
    if (FAILED(hr)) {
        free_connection(os, c);
        return_support(os);
        return hr;
    }

    lock_acquire(&os->lock);
    too_late = os->state == OPEN_STORE_ENDED; /* teardown ran while we subscribed */
    if (!too_late) list_add_tail(&os->advises, &c->entry);
    lock_release(&os->lock);
    if (too_late) {
        support_methods(support)->Unsubscribe(support, c->connection);
        free_connection(os, c);
        hr = MAPI_E_INVALID_OBJECT;
    } else {
        *lpulConnection = c->connection;
    }
    return_support(os);
    return hr;
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
        if (!support && !(support = borrow_support_locked(os))) return NULL;
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
    return_support(os);
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
    return_support(os);
}

HRESULT open_store_describe_error(struct open_store *os, HRESULT hResult, ULONG ulFlags,
                                  LPMAPIERROR *lppMAPIError)
{
    HRESULT hr = open_store_refuse(os, S_OK);
    if (FAILED(hr)) return hr;
    return mapi_error_describe(&os->alloc, hResult, ulFlags, lppMAPIError);
}

HRESULT open_store_compare_entryids(struct open_store *os, ULONG cbEntryID1, LPENTRYID lpEntryID1,
                                    ULONG cbEntryID2, LPENTRYID lpEntryID2, ULONG ulFlags,
                                    ULONG *lpulResult)
{
    struct entryid_fields first, second;
    HRESULT hr = open_store_refuse(os, S_OK); /* the identity compared with is immutable */
    if (FAILED(hr)) return hr;
    if (!lpulResult) return MAPI_E_INVALID_PARAMETER;
    *lpulResult = FALSE;
    if (ulFlags) return MAPI_E_UNKNOWN_FLAGS;
    /* Another store's ID is not this store's to compare, as OpenEntry refuses it. */
    if (FAILED(hr = entryid_decode(cbEntryID1, lpEntryID1, &first)) ||
        FAILED(hr = entryid_decode(cbEntryID2, lpEntryID2, &second)))
        return hr;
    if (memcmp(&first.store_uid, &os->content.uid, sizeof(MAPIUID)) ||
        memcmp(&second.store_uid, &os->content.uid, sizeof(MAPIUID)))
        return MAPI_E_INVALID_ENTRYID;
    *lpulResult = entryid_same_object(&first, &second);
    return S_OK;
}

/* Tells a developer watching debug output that the client still held objects at logoff. */
static void trace_leaked_objects(ULONG count)
{
    char text[96];
    if (!count) return;
    snprintf(text, sizeof(text),
             "msstore: logoff with %lu object(s) still open; they now answer MAPI_E_INVALID_OBJECT\n",
             (unsigned long)count);
    OutputDebugStringA(text);
}

void open_store_teardown(struct open_store *os)
{
    struct list advises;
    struct provider *provider;
    IMAPISupport *support;
    ULONG flags, leaked;
    HRESULT hr;

    lock_acquire(&os->lock);
    if (os->state != OPEN_STORE_LIVE) { /* never opened, or another teardown has it */
        lock_release(&os->lock);
        return;
    }
    os->state = OPEN_STORE_CLOSING;
    flags = os->logoff_flags;
    support = os->support; /* kept valid by the held reference until the end */
    open_store_addref(os); /* the objects holding os may go while MAPI re-enters */
    lock_release(&os->lock);

    /* Not to be found for re-open (D14) from here on. */
    provider_forget_open_store(os->provider, os);

    /* Still LIVE for callers: the spooler may use the store while it logs off. */
    hr = support_methods(support)->StoreLogoffTransports(support, &flags);
    (void)hr; /* MAPI_E_NO_SUPPORT from a configuration support object is fine (D4) */

    lock_acquire(&os->lock);
    os->state = OPEN_STORE_ENDED;
    leaked = os->object_count; /* zombies from here on, by state: nothing to visit */
    os->object_count = 0;
    list_init(&advises);
    list_move_tail(&advises, &os->advises);
    provider = os->provider;
    os->provider = NULL;
    lock_release(&os->lock);

    trace_leaked_objects(leaked);
    (void)end_connections(os, support, &advises); /* the last chance: nothing is left to try again */
    provider_release(provider);
    return_support(os); /* last: the held reference, unless a borrower still has it */
    open_store_release(os);
}
