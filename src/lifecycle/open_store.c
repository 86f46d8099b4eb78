#include "lifecycle/open_store.h"

#include "lifecycle/lock_rule.h"
#include "lifecycle/store_registry.h"
#include "model/model.h"

#include <stdio.h>
#include <string.h>

#define LOGOFF_IN_FLAGS (LOGOFF_NO_WAIT | LOGOFF_ORDERLY | LOGOFF_PURGE | LOGOFF_ABORT | LOGOFF_QUIET)

HRESULT open_store_create(IUnknown *provider, struct store_registry *registry, const struct mapi_allocators *alloc,
                          struct open_store **out)
{
    struct open_store *os = mapi_alloc_zeroed(alloc, sizeof(*os));
    if (!os) return MAPI_E_NOT_ENOUGH_MEMORY;
    os->provider = provider;
    provider->lpVtbl->AddRef(provider); /* a host may drop the provider first: it lives until the store ends */
    os->refs = 1;
    InitializeCriticalSection(&os->lock);
    os->state = OPEN_STORE_OPENING;
    os->alloc = *alloc;
    os->registry = registry;
    store_registry_addref(registry);
    list_init(&os->registry_entry);
    os->logoff_flags = LOGOFF_ABORT; /* D4: the flag when StoreLogoff never came */
    list_init(&os->advises);
    list_init(&os->listeners);
    list_init(&os->outbox);
    changes_init(&os->changes, &os->alloc);
    *out = os;
    return S_OK;
}

void open_store_addref(struct open_store *os) { InterlockedIncrement(&os->refs); }

void open_store_release(struct open_store *os)
{
    struct mapi_allocators alloc;
    if (InterlockedDecrement(&os->refs)) return;
    /* Teardown closed the file and dropped the registry and provider, unless Logon failed before going live. */
    model_close(os->model);
    if (os->registry) store_registry_release(os->registry);
    if (os->provider) os->provider->lpVtbl->Release(os->provider);
    changes_free(&os->changes);
    mapi_free(&os->alloc, os->store);
    DeleteCriticalSection(&os->lock);
    alloc = os->alloc;
    mapi_free(&alloc, os);
}

void open_store_attach_model(struct open_store *os, struct model *model)
{
    os->model = model;
    os->uid = *model_uid(model);
}

void open_store_go_live(struct open_store *os, IMAPISupport *support)
{
    support_methods(support)->AddRef(support); /* the one reference (D3), after everything that can fail */
    lock_acquire(&os->lock);
    os->support = support;
    os->support_users = 1;
    os->state = OPEN_STORE_LIVE;
    lock_release(&os->lock);
    store_registry_add(os->registry, os);
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

void open_store_leave(struct open_store *os)
{
    BOOL queued = !list_empty(&os->outbox) && !os->sending;
    lock_release(&os->lock);
    if (queued) open_store_send_queued(os);
}

HRESULT open_store_check_alive(struct open_store *os)
{
    HRESULT alive = open_store_enter(os);
    if (FAILED(alive)) return alive;
    open_store_leave(os);
    return S_OK;
}

HRESULT open_store_refuse(struct open_store *os, HRESULT error)
{
    HRESULT alive = open_store_check_alive(os);
    return FAILED(alive) ? alive : error;
}

void open_store_register_locked(struct open_store *os)
{
    os->object_count++;
    open_store_addref(os);
}

HRESULT open_store_register(struct open_store *os)
{
    HRESULT hr = open_store_enter(os);
    if (FAILED(hr)) return hr;
    open_store_register_locked(os);
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

IMAPISupport *open_store_borrow_support_locked(struct open_store *os)
{
    if (os->state == OPEN_STORE_ENDED || !os->support) return NULL;
    os->support_users++;
    return os->support;
}

void open_store_return_support(struct open_store *os)
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

/* ---- changes ---- */

struct model_changes *open_store_begin_change(struct open_store *os)
{
    changes_clear(&os->changes);
    return &os->changes;
}

void open_store_publish(struct open_store *os)
{
    struct list *cursor, *next;
    if (!os->changes.count) return;
    for (cursor = os->listeners.next; cursor != &os->listeners; cursor = next) {
        struct change_listener *listener = LIST_ENTRY(cursor, struct change_listener, entry);
        next = cursor->next;
        listener->changed(listener, &os->changes);
    }
    open_store_queue_object_notifications(os, &os->changes);
    changes_clear(&os->changes);
}

void open_store_listen(struct open_store *os, struct change_listener *listener)
{
    list_add_tail(&os->listeners, &listener->entry);
}

void open_store_unlisten(struct open_store *os, struct change_listener *listener)
{
    (void)os;
    list_remove(&listener->entry);
}

HRESULT open_store_describe_error(struct open_store *os, HRESULT hResult, ULONG ulFlags,
                                  LPMAPIERROR *lppMAPIError)
{
    HRESULT hr = open_store_check_alive(os);
    if (FAILED(hr)) return hr;
    return mapi_error_describe(&os->alloc, hResult, ulFlags, lppMAPIError);
}

HRESULT open_store_compare_entryids(struct open_store *os, ULONG cbEntryID1, LPENTRYID lpEntryID1,
                                    ULONG cbEntryID2, LPENTRYID lpEntryID2, ULONG ulFlags,
                                    ULONG *lpulResult)
{
    struct entryid_fields first, second;
    HRESULT hr = open_store_check_alive(os); /* the identity compared with is immutable */
    if (FAILED(hr)) return hr;
    if (!lpulResult) return MAPI_E_INVALID_PARAMETER;
    *lpulResult = FALSE;
    if (ulFlags) return MAPI_E_UNKNOWN_FLAGS;
    /* Another store's ID is not this store's to compare, as OpenEntry refuses it. */
    if (FAILED(hr = entryid_decode(cbEntryID1, lpEntryID1, &first)) ||
        FAILED(hr = entryid_decode(cbEntryID2, lpEntryID2, &second)))
        return hr;
    if (memcmp(&first.store_uid, &os->uid, sizeof(MAPIUID)) || memcmp(&second.store_uid, &os->uid, sizeof(MAPIUID)))
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
    struct list unsent;
    struct store_registry *registry;
    struct model *model;
    IMAPISupport *support;
    IUnknown *provider;
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
    store_registry_remove(os->registry, os);

    /* Still LIVE for callers: the spooler may use the store while it logs off. */
    hr = support_methods(support)->StoreLogoffTransports(support, &flags);
    (void)hr; /* MAPI_E_NO_SUPPORT from a configuration support object is fine (D4) */

    lock_acquire(&os->lock);
    os->state = OPEN_STORE_ENDED;
    leaked = os->object_count; /* zombies from here on, by state: nothing to visit */
    os->object_count = 0;
    list_init(&unsent);
    list_move_tail(&unsent, &os->outbox);
    model = os->model; /* nobody reaches it once ENDED */
    os->model = NULL;
    registry = os->registry;
    os->registry = NULL;
    provider = os->provider;
    os->provider = NULL;
    lock_release(&os->lock);

    while (!list_empty(&unsent)) { /* notifications of a store that is gone reach no one */
        struct notification_batch *batch = LIST_ENTRY(unsent.next, struct notification_batch, entry);
        list_remove(&batch->entry);
        mapi_free(&os->alloc, batch);
    }
    model_close(model);
    trace_leaked_objects(leaked);
    open_store_end_all_connections(os, support); /* the last chance: nothing is left to try again */
    store_registry_release(registry);
    provider->lpVtbl->Release(provider);
    open_store_return_support(os); /* last: the held reference, unless a borrower still has it */
    open_store_release(os);
}
