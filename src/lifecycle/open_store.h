/*
 * One open store: the state behind one successful IMSProvider::Logon, shared
 * by its IMSLogon, its IMsgStore and every object they hand out. This is the
 * one place that knows what a logon has open, and the one place that tears
 * it down (decisions D3-D7, D11).
 *
 * Ownership (D3): MAPI's support object holds the IMSLogon; the open store
 * holds the one support reference msstore takes; every object (logon, store,
 * folder, ...) holds a reference on the open store, so its lock and memory
 * outlive every object that can still be called. Objects never hold COM
 * references on each other, so there is no cycle and a leaked folder never
 * keeps the store or the support object alive.
 *
 * Teardown (D5, D6) runs once, from whichever comes first: the store's final
 * Release, IMSLogon::Logoff, the IMSLogon's final Release, or
 * IMSProvider::Shutdown. It calls StoreLogoffTransports with the flag
 * StoreLogoff recorded (LOGOFF_ABORT if none), turns every object into a
 * zombie (D7: every method but IUnknown's answers MAPI_E_INVALID_OBJECT),
 * unsubscribes and releases advise sinks, and releases the support object
 * last. MAPI re-enters IMSLogon::Logoff and IMSLogon::Release from inside
 * that final support Release; both find the store ended and do nothing more.
 *
 * Lock rule (D11): each open store has one lock, taken by every method of
 * every object of that logon. Code never holds two locks at once (not this
 * one and the provider's), and never holds this one while calling the support
 * object, an advise sink or any other object outside msstore. Calls to the
 * support object borrow it under the lock and make the call after leaving it,
 * so that a teardown on another thread cannot release it mid-call.
 */
#ifndef MSSTORE_OPEN_STORE_H
#define MSSTORE_OPEN_STORE_H

#include "content/store_content.h"
#include "mapi/list.h"

struct provider;
struct store;

enum open_store_state {
    OPEN_STORE_OPENING, /* inside Logon: no support reference yet, teardown does nothing */
    OPEN_STORE_LIVE,
    OPEN_STORE_CLOSING, /* teardown claimed, StoreLogoffTransports running: calls still served */
    OPEN_STORE_ENDED,   /* every object is a zombie */
};

struct open_store {
    LONG refs; /* one per object pointing here, plus one per teardown in progress */
    CRITICAL_SECTION lock;
    enum open_store_state state;
    struct mapi_allocators alloc;

    struct provider *provider;  /* a reference until teardown */
    struct list provider_entry; /* in the provider's list of open stores; provider lock */
    /* The IMsgStore. Its memory lives as long as the open store, so a re-open
     * (D14) may look at its reference count while the open store is listed. */
    struct store *store;

    IMAPISupport *support; /* the one reference msstore holds (D3) */
    ULONG support_users;   /* the held reference counts as one; plus one per borrow */
    ULONG logoff_flags;    /* recorded by StoreLogoff (D4) */

    /* Folders, tables and status objects handed out and not yet released. The
     * teardown only reads and zeroes it: objects turn into zombies through
     * state, so ending a store costs the same however many the client holds. */
    ULONG object_count;
    struct list advises;  /* advise connections not yet unadvised */

    struct store_content content; /* built by Logon, immutable after */
};

/* A new open store in state OPENING, holding one reference for the caller. */
HRESULT open_store_create(struct provider *provider, const struct mapi_allocators *alloc,
                          struct open_store **out);
void open_store_addref(struct open_store *os);
void open_store_release(struct open_store *os);

/* The last step of Logon: takes the support reference (D3) and goes LIVE. Cannot fail. */
void open_store_go_live(struct open_store *os, IMAPISupport *support);

/* Enters the lock of a store that has not ended; MAPI_E_INVALID_OBJECT otherwise. */
HRESULT open_store_enter(struct open_store *os);
void open_store_leave(struct open_store *os);

/*
 * The answer of a method that does no work on the store: MAPI_E_INVALID_OBJECT
 * once it has ended (D7), else hr (S_OK to go on; MAPI_E_NO_ACCESS for writes
 * to this read-only store; MAPI_E_NO_SUPPORT for what msstore does not implement).
 */
HRESULT open_store_refuse(struct open_store *os, HRESULT hr);

/* Counts a newly created object and takes its open-store reference; MAPI_E_INVALID_OBJECT once ended. */
HRESULT open_store_register(struct open_store *os);
/* At the object's final Release: uncounts it (unless the teardown did) and drops its reference. */
void open_store_unregister(struct open_store *os);

/* IMsgStore::StoreLogoff (D4). */
HRESULT open_store_store_logoff(struct open_store *os, ULONG *lpulFlags);

/*
 * Advise and Unadvise of the store, the logon and tables, through
 * IMAPISupport::Subscribe. A connection belongs to owner (NULL: the store
 * itself): teardown ends them all, open_store_unadvise_owner those of one owner.
 */
HRESULT open_store_advise(struct open_store *os, const void *owner, ULONG cbEntryID,
                          LPENTRYID lpEntryID, ULONG ulEventMask, LPMAPIADVISESINK lpAdviseSink,
                          ULONG_PTR *lpulConnection);
HRESULT open_store_unadvise(struct open_store *os, ULONG_PTR ulConnection);
void open_store_unadvise_owner(struct open_store *os, const void *owner);

/* GetLastError of any object of the store. */
HRESULT open_store_describe_error(struct open_store *os, HRESULT hResult, ULONG ulFlags,
                                  LPMAPIERROR *lppMAPIError);

/* IMsgStore/IMSLogon::CompareEntryIDs. */
HRESULT open_store_compare_entryids(struct open_store *os, ULONG cbEntryID1, LPENTRYID lpEntryID1,
                                    ULONG cbEntryID2, LPENTRYID lpEntryID2, ULONG ulFlags,
                                    ULONG *lpulResult);

/* The teardown described above. Idempotent; safe to re-enter. */
void open_store_teardown(struct open_store *os);

#endif
