/*
 * The stores one provider object has open (D14: a Logon with the entry ID of
 * one of them returns it), and whether the provider has shut down. The
 * provider and each of its open stores hold a reference, so neither needs the
 * other alive to leave it.
 */
#ifndef MSSTORE_STORE_REGISTRY_H
#define MSSTORE_STORE_REGISTRY_H

#include "mapi/memory.h"

struct open_store;
struct store_registry;

HRESULT store_registry_create(const struct mapi_allocators *alloc, struct store_registry **out);
void store_registry_addref(struct store_registry *registry);
void store_registry_release(struct store_registry *registry);

/* Joins when Logon completes, leaves at teardown. */
void store_registry_add(struct store_registry *registry, struct open_store *os);
void store_registry_remove(struct store_registry *registry, struct open_store *os);

/* The open store of that identity, with a reference for the caller, or NULL. */
struct open_store *store_registry_find(struct store_registry *registry, const MAPIUID *uid);

BOOL store_registry_is_shut_down(struct store_registry *registry);
/* IMSProvider::Shutdown (D8): no Logon from now on, and every store still open torn down. */
void store_registry_shut_down(struct store_registry *registry);

#endif
