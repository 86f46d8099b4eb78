/*
 * Notifications (D19, open_store.h): batches queued under the lock, sent in
 * order once it is left, and the object notifications a change makes
 * ("Handling Message Store Notification": the store's sinks hear of every
 * change, a folder's own sinks of what happens to it).
 */
#include "lifecycle/open_store.h"

#include "lifecycle/lock_rule.h"
#include "model/model.h"

#include <string.h>

struct notification_batch *notification_batch_create(struct open_store *os, ULONG cb_key, const BYTE *key,
                                                     ULONG capacity)
{
    struct notification_batch *batch = mapi_alloc_zeroed(&os->alloc, sizeof(*batch));
    if (!batch) return NULL;
    list_init(&batch->entry);
    batch->capacity = capacity;
    batch->key = mapi_alloc_more(&os->alloc, offsetof(NOTIFKEY, ab) + cb_key, batch);
    batch->notifications = mapi_alloc_more(&os->alloc, (capacity ? capacity : 1) * sizeof(NOTIFICATION), batch);
    if (!batch->key || !batch->notifications) {
        mapi_free(&os->alloc, batch);
        return NULL;
    }
    batch->key->cb = cb_key;
    memcpy(batch->key->ab, key, cb_key);
    return batch;
}

NOTIFICATION *notification_batch_add(struct notification_batch *batch, ULONG event_type)
{
    NOTIFICATION *n;
    if (batch->count == batch->capacity) return NULL;
    n = &batch->notifications[batch->count++];
    memset(n, 0, sizeof(*n)); /* unused members zero, as MAPI asks ("Supporting Event Notification") */
    n->ulEventType = event_type;
    return n;
}

void *notification_batch_copy(struct open_store *os, struct notification_batch *batch, const void *data, ULONG size)
{
    return mapi_alloc_copy_more(&os->alloc, data, size, batch);
}

void open_store_queue(struct open_store *os, struct notification_batch *batch)
{
    if (!batch) return;
    if (!batch->count) {
        mapi_free(&os->alloc, batch);
        return;
    }
    list_add_tail(&os->outbox, &batch->entry);
}

void open_store_send_queued(struct open_store *os)
{
    IMAPISupport *support;
    lock_acquire(&os->lock);
    if (os->sending) { /* that thread sends ours too, after its own: order is kept */
        lock_release(&os->lock);
        return;
    }
    os->sending = TRUE;
    while (!list_empty(&os->outbox) && (support = open_store_borrow_support_locked(os))) {
        struct notification_batch *batch = LIST_ENTRY(os->outbox.next, struct notification_batch, entry);
        ULONG first, end, flags = 0;
        list_remove(&batch->entry);
        lock_release(&os->lock);
        /*
         * A sink may call back into the store from OnNotify: no lock is held here. One Notify per run
         * of one event type, so that no sink is handed an event its mask left out, however MAPI
         * shares one call's notifications among the sinks of its key.
         */
        for (first = 0; first < batch->count; first = end) {
            for (end = first + 1; end < batch->count && batch->notifications[end].ulEventType ==
                                                            batch->notifications[first].ulEventType;
                 end++)
                ;
            (void)support_methods(support)->Notify(support, batch->key, end - first, &batch->notifications[first],
                                                   &flags);
        }
        mapi_free(&os->alloc, batch);
        open_store_return_support(os);
        lock_acquire(&os->lock);
    }
    os->sending = FALSE;
    lock_release(&os->lock);
}

static ULONG event_of(enum change_kind kind)
{
    switch (kind) {
    case CHANGE_CREATED: return fnevObjectCreated;
    case CHANGE_DELETED: return fnevObjectDeleted;
    case CHANGE_MODIFIED: return fnevObjectModified;
    case CHANGE_MOVED: return fnevObjectMoved;
    case CHANGE_NEW_MAIL: return fnevNewMail;
    default: return fnevObjectCopied;
    }
}

/* An entry ID of the store's, copied into the batch; FALSE when the allocator fails. */
static BOOL add_entryid(struct open_store *os, struct notification_batch *batch, enum entryid_kind kind, ULONGLONG id,
                        ULONG *cb, LPENTRYID *out)
{
    BYTE entryid[ENTRYID_SIZE];
    if (!id) return TRUE;
    model_entryid(os->model, kind, id, entryid);
    *cb = ENTRYID_SIZE;
    return (*out = notification_batch_copy(os, batch, entryid, ENTRYID_SIZE)) != NULL;
}

/* One NEWMAIL_NOTIFICATION (class wide: MAPI_UNICODE) into batch; FALSE when it cannot be made (it is dropped). */
static BOOL add_new_mail_notification(struct open_store *os, struct notification_batch *batch, const struct change *c)
{
    WCHAR message_class[MODEL_CLASS_MAX + 1];
    LONG flags = 0;
    NOTIFICATION *n;
    NEWMAIL_NOTIFICATION *mail;
    if (FAILED(model_message_class(os->model, c->id, message_class, &flags))) return FALSE;
    n = notification_batch_add(batch, fnevNewMail);
    mail = &n->info.newmail;
    mail->ulFlags = MAPI_UNICODE;
    mail->ulMessageFlags = (ULONG)flags;
    if (add_entryid(os, batch, ENTRYID_KIND_MESSAGE, c->id, &mail->cbEntryID, &mail->lpEntryID) &&
        add_entryid(os, batch, ENTRYID_KIND_FOLDER, c->parent_id, &mail->cbParentID, &mail->lpParentID) &&
        (mail->lpszMessageClass = (LPTSTR)notification_batch_copy(os, batch, message_class,
                                                          (ULONG)((wcslen(message_class) + 1) * sizeof(WCHAR)))))
        return TRUE;
    batch->count--;
    return FALSE;
}

/* One OBJECT_NOTIFICATION for change into batch; FALSE when the allocator fails (the notification is dropped). */
static BOOL add_object_notification(struct open_store *os, struct notification_batch *batch, const struct change *c)
{
    if (c->kind == CHANGE_NEW_MAIL) return add_new_mail_notification(os, batch, c);
    enum entryid_kind kind = c->object_type == MAPI_FOLDER ? ENTRYID_KIND_FOLDER : ENTRYID_KIND_MESSAGE;
    NOTIFICATION *n = notification_batch_add(batch, event_of(c->kind));
    OBJECT_NOTIFICATION *o = &n->info.obj;
    BOOL moved_or_copied = c->kind == CHANGE_MOVED || c->kind == CHANGE_COPIED;
    o->ulObjType = c->object_type;
    if (add_entryid(os, batch, kind, c->id, &o->cbEntryID, &o->lpEntryID) &&
        add_entryid(os, batch, ENTRYID_KIND_FOLDER, c->parent_id, &o->cbParentID, &o->lpParentID) &&
        (!moved_or_copied || (add_entryid(os, batch, kind, c->old_id, &o->cbOldID, &o->lpOldID) &&
                              add_entryid(os, batch, ENTRYID_KIND_FOLDER, c->old_parent_id, &o->cbOldParentID,
                                          &o->lpOldParentID))))
        return TRUE;
    batch->count--;
    return FALSE;
}

/* The object a change is about, whose own sinks hear of it: a created object has none yet. */
static ULONGLONG watched_object(const struct change *c)
{
    switch (c->kind) {
    case CHANGE_CREATED: case CHANGE_NEW_MAIL: return 0; /* told to the store's sinks */
    case CHANGE_COPIED: return c->old_id; /* the copied folder's sinks (the copy is new) */
    default: return c->id;
    }
}

void open_store_queue_object_notifications(struct open_store *os, const struct model_changes *changes)
{
    const BYTE *store_key = model_store_entryid(os->model);
    struct notification_batch *store_batch = NULL;
    BYTE key[ENTRYID_SIZE];
    ULONG i;

    for (i = 0; i < changes->count; i++) {
        const struct change *c = &changes->items[i];
        ULONG event = event_of(c->kind);
        ULONGLONG watched = watched_object(c);
        if (open_store_wants(os, ENTRYID_SIZE, store_key, event)) {
            if (!store_batch) store_batch = notification_batch_create(os, ENTRYID_SIZE, store_key, changes->count);
            if (store_batch) add_object_notification(os, store_batch, c);
        }
        if (!watched) continue;
        model_entryid(os->model, c->object_type == MAPI_FOLDER ? ENTRYID_KIND_FOLDER : ENTRYID_KIND_MESSAGE, watched,
                      key);
        if (open_store_wants(os, ENTRYID_SIZE, key, event)) {
            struct notification_batch *batch = notification_batch_create(os, ENTRYID_SIZE, key, 1);
            if (batch) add_object_notification(os, batch, c);
            open_store_queue(os, batch);
        }
    }
    /* The store's batch goes last: a client's own sinks are told before the store-wide ones. */
    open_store_queue(os, store_batch);
}
