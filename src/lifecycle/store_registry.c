#include "lifecycle/store_registry.h"

#include "lifecycle/lock_rule.h"
#include "lifecycle/open_store.h"

#include <string.h>

struct store_registry {
    LONG refs;
    struct mapi_allocators alloc;
    /* Guards stores and shut_down. Never held together with an open store's lock. */
    CRITICAL_SECTION lock;
    struct list stores; /* struct open_store, by registry_entry */
    BOOL shut_down;
};

HRESULT store_registry_create(const struct mapi_allocators *alloc, struct store_registry **out)
{
    struct store_registry *registry = mapi_alloc_zeroed(alloc, sizeof(*registry));
    if (!(*out = registry)) return MAPI_E_NOT_ENOUGH_MEMORY;
    registry->refs = 1;
    registry->alloc = *alloc;
    InitializeCriticalSection(&registry->lock);
    list_init(&registry->stores);
    return S_OK;
}

void store_registry_addref(struct store_registry *registry) { InterlockedIncrement(&registry->refs); }

void store_registry_release(struct store_registry *registry)
{
    struct mapi_allocators alloc;
    if (InterlockedDecrement(&registry->refs)) return;
    DeleteCriticalSection(&registry->lock);
    alloc = registry->alloc;
    mapi_free(&alloc, registry);
}

void store_registry_add(struct store_registry *registry, struct open_store *os)
{
    lock_acquire(&registry->lock);
    list_add_tail(&registry->stores, &os->registry_entry);
    lock_release(&registry->lock);
}

void store_registry_remove(struct store_registry *registry, struct open_store *os)
{
    lock_acquire(&registry->lock);
    list_remove(&os->registry_entry);
    lock_release(&registry->lock);
}

struct open_store *store_registry_find(struct store_registry *registry, const MAPIUID *uid)
{
    struct open_store *found = NULL;
    struct list *cursor;
    lock_acquire(&registry->lock);
    for (cursor = registry->stores.next; !found && cursor != &registry->stores; cursor = cursor->next) {
        struct open_store *os = LIST_ENTRY(cursor, struct open_store, registry_entry);
        if (!memcmp(&os->uid, uid, sizeof(MAPIUID))) {
            open_store_addref(os); /* its memory outlives our use, even if its teardown starts */
            found = os;
        }
    }
    lock_release(&registry->lock);
    return found;
}

BOOL store_registry_is_shut_down(struct store_registry *registry)
{
    BOOL shut_down;
    lock_acquire(&registry->lock);
    shut_down = registry->shut_down;
    lock_release(&registry->lock);
    return shut_down;
}

void store_registry_shut_down(struct store_registry *registry)
{
    lock_acquire(&registry->lock);
    registry->shut_down = TRUE;
    while (!list_empty(&registry->stores)) {
        struct open_store *os = LIST_ENTRY(registry->stores.next, struct open_store, registry_entry);
        list_remove(&os->registry_entry); /* so this loop ends even if os is mid-teardown */
        open_store_addref(os);
        lock_release(&registry->lock);
        open_store_teardown(os);
        open_store_release(os);
        lock_acquire(&registry->lock);
    }
    lock_release(&registry->lock);
}
