/*
 * One open store: the state behind one successful IMSProvider::Logon, shared
 * by its IMSLogon, its IMsgStore and every object they hand out. This is the
 * one place that knows what a logon has open, and the one place that tears
 * it down (decisions D3-D7, D11, D19).
 *
 * Ownership (D3): MAPI's support object holds the IMSLogon; the open store
 * holds the one support reference msstore takes, and the store file (its
 * model); every object (logon, store, folder, table, ...) holds a reference
 * on the open store, so its lock and memory outlive every object that can
 * still be called. Objects never hold COM references on each other, so there
 * is no cycle and a leaked folder never keeps the store or the support
 * object alive. Objects hold ids, not pointers into content: what they show
 * is read from the store file when they are asked.
 *
 * Teardown (D5, D6) runs once, from whichever comes first: the store's final
 * Release, IMSLogon::Logoff, the IMSLogon's final Release, or
 * IMSProvider::Shutdown. It calls StoreLogoffTransports with the flag
 * StoreLogoff recorded (LOGOFF_ABORT if none), turns every object into a
 * zombie (D7: every method but IUnknown's answers MAPI_E_INVALID_OBJECT),
 * drops notifications not yet sent, closes the store file, unsubscribes and
 * releases advise sinks, and releases the support object last. MAPI
 * re-enters IMSLogon::Logoff and IMSLogon::Release from inside that final
 * support Release; both find the store ended and do nothing more. Changes a
 * client never saved die with their objects; everything committed is in the
 * file already (D16).
 *
 * Changes and notifications (D19): a method that changes the store takes
 * the change record from open_store_begin_change, lets the model fill it,
 * and calls open_store_publish, all under the lock: live tables (change
 * listeners) update their rows, and the notifications sinks asked for are
 * queued. Leaving the lock sends what is queued, in order, through
 * IMAPISupport::Notify, so a sink may call back into the store.
 *
 * Lock rule (D11): each open store has one lock, taken by every method of
 * every object of that logon. Code never holds two locks at once (not this
 * one and the registry's), and never holds this one while calling the
 * support object, an advise sink or any other object outside msstore. Calls
 * to the support object borrow it under the lock and make the call after
 * leaving it, so that a teardown on another thread cannot release it mid-call.
 */
#ifndef MSSTORE_OPEN_STORE_H
#define MSSTORE_OPEN_STORE_H

#include <msstore/mapi_abi.h>

#include "mapi/list.h"
#include "mapi/props.h"
#include "model/changes.h"

struct model;
struct store;
struct store_registry;

enum open_store_state {
    OPEN_STORE_OPENING, /* inside Logon: no support reference yet, teardown does nothing */
    OPEN_STORE_LIVE,
    OPEN_STORE_CLOSING, /* teardown claimed, StoreLogoffTransports running: calls still served */
    OPEN_STORE_ENDED,   /* every object is a zombie; the store file is closed */
};

/* An object that follows the store's changes: a live table. */
struct change_listener {
    struct list entry;
    /* Under the lock, after a change committed: update what it shows, queue its notifications. */
    void (*changed)(struct change_listener *listener, const struct model_changes *changes);
};

struct open_store {
    LONG refs; /* one per object pointing here, plus one per teardown in progress */
    CRITICAL_SECTION lock;
    enum open_store_state state;
    struct mapi_allocators alloc;
    MAPIUID uid; /* the store's identity, from its file (D14) */

    IUnknown *provider;              /* the provider that opened it: a reference until teardown */
    struct store_registry *registry; /* a reference until teardown */
    struct list registry_entry;      /* in the registry's list; registry lock */
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
    struct list advises; /* advise connections not yet unadvised */

    struct model *model;             /* the store file; closed by the teardown */
    struct model_changes changes;    /* the change being made, under the lock */
    struct list listeners;           /* struct change_listener: live tables */
    struct list outbox;              /* notification batches waiting for the lock to be left */
    BOOL sending;                    /* a thread is sending the outbox: others leave it to that one */
    ULONGLONG next_table_key;        /* tables' notification keys */
};

/* A new open store in state OPENING, holding one reference for the caller, one on provider, one on registry. */
HRESULT open_store_create(IUnknown *provider, struct store_registry *registry, const struct mapi_allocators *alloc,
                          struct open_store **out);
void open_store_addref(struct open_store *os);
void open_store_release(struct open_store *os);

/* The store file, given to the open store (which closes it) before it goes live. */
void open_store_attach_model(struct open_store *os, struct model *model);

/* The last step of Logon: takes the support reference (D3) and goes LIVE. Cannot fail. */
void open_store_go_live(struct open_store *os, IMAPISupport *support);

/* Enters the lock of a store that has not ended; MAPI_E_INVALID_OBJECT otherwise. */
HRESULT open_store_enter(struct open_store *os);
/* Leaves the lock, then sends the notifications queued while it was held. */
void open_store_leave(struct open_store *os);

/* S_OK while the store has not ended, MAPI_E_INVALID_OBJECT after (D7): for methods that need no lock. */
HRESULT open_store_check_alive(struct open_store *os);
/* The answer of a method that refuses (MAPI_E_NO_SUPPORT, MAPI_E_NO_ACCESS): the error, or MAPI_E_INVALID_OBJECT once ended. */
HRESULT open_store_refuse(struct open_store *os, HRESULT error);

/* Counts a newly created object and takes its open-store reference; MAPI_E_INVALID_OBJECT once ended. */
HRESULT open_store_register(struct open_store *os);
/* The same with the lock held and the store known to be live. */
void open_store_register_locked(struct open_store *os);
/* At the object's final Release: uncounts it (unless the teardown did) and drops its reference. */
void open_store_unregister(struct open_store *os);

/* IMsgStore::StoreLogoff (D4). */
HRESULT open_store_store_logoff(struct open_store *os, ULONG *lpulFlags);

/* ---- changes (lock held) ---- */

/* The change record for a method about to change the store, empty. */
struct model_changes *open_store_begin_change(struct open_store *os);
/* After the model committed a change: live tables follow it, and its notifications are queued. */
void open_store_publish(struct open_store *os);
void open_store_listen(struct open_store *os, struct change_listener *listener);
void open_store_unlisten(struct open_store *os, struct change_listener *listener);

/* ---- notifications (lifecycle/notify.c) ---- */

/* One Notify call waiting to be made: a key and its notifications, in one MAPI block. */
struct notification_batch {
    struct list entry;
    NOTIFKEY *key;
    ULONG count, capacity;
    NOTIFICATION *notifications;
};

/* Whether a connection of this store wants events of mask for key (lock held). */
BOOL open_store_wants(struct open_store *os, ULONG cb_key, const BYTE *key, ULONG mask);
/* A batch for key with room for capacity notifications; NULL when the allocator fails. */
struct notification_batch *notification_batch_create(struct open_store *os, ULONG cb_key, const BYTE *key,
                                                     ULONG capacity);
/* The next notification of a batch, zeroed, of event_type; NULL when the batch is full. */
NOTIFICATION *notification_batch_add(struct notification_batch *batch, ULONG event_type);
/* size bytes of data, linked to the batch's block; NULL when the allocator fails. */
void *notification_batch_copy(struct open_store *os, struct notification_batch *batch, const void *data, ULONG size);
/* Queues a batch to be sent once the lock is left (lock held); an empty one is freed. */
void open_store_queue(struct open_store *os, struct notification_batch *batch);
/* Sends what is queued, in order, unless another thread is sending (no lock held). */
void open_store_send_queued(struct open_store *os);
/* The object notifications of the changes made (lock held). */
void open_store_queue_object_notifications(struct open_store *os, const struct model_changes *changes);

/* ---- advise (lifecycle/advise.c) ---- */

/*
 * Advise and Unadvise of the store, the logon and tables, through
 * IMAPISupport::Subscribe. A connection belongs to owner (NULL: the store
 * itself): teardown ends them all, open_store_unadvise_owner those of one
 * owner. open_store_advise watches an entry ID (NULL: the store), its
 * _key variant a notification key of the caller's (a table's).
 */
HRESULT open_store_advise(struct open_store *os, const void *owner, ULONG cbEntryID, LPENTRYID lpEntryID,
                          ULONG ulEventMask, LPMAPIADVISESINK lpAdviseSink, ULONG_PTR *lpulConnection);
HRESULT open_store_advise_key(struct open_store *os, const void *owner, ULONG cb_key, const BYTE *key,
                              ULONG ulEventMask, LPMAPIADVISESINK lpAdviseSink, ULONG_PTR *lpulConnection);
HRESULT open_store_unadvise(struct open_store *os, ULONG_PTR ulConnection);
void open_store_unadvise_owner(struct open_store *os, const void *owner);
/* At teardown: every connection left ends (no lock held; support still valid). */
void open_store_end_all_connections(struct open_store *os, IMAPISupport *support);

/* ---- for lifecycle/: the support object, borrowed ---- */

/* With the lock held: a borrow of the support object, or NULL once ended. */
IMAPISupport *open_store_borrow_support_locked(struct open_store *os);
/* Ends a borrow; the last one out after the teardown releases the support object. */
void open_store_return_support(struct open_store *os);

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
