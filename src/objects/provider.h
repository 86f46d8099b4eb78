/*
 * The provider object MSProviderInit returns: IMSProvider, plus
 * IMAPIProviderShutdown on the same object (D10). It keeps MAPI's allocators
 * and IMalloc, and the list of stores opened through it.
 */
#ifndef MSSTORE_PROVIDER_H
#define MSSTORE_PROVIDER_H

#include "mapi/memory.h"

struct provider;
struct open_store;

ULONG provider_addref(struct provider *provider);
ULONG provider_release(struct provider *provider); /* frees at zero */

/* The provider's list of open stores: joined when Logon completes, left at teardown. */
void provider_remember_open_store(struct provider *provider, struct open_store *os);
void provider_forget_open_store(struct provider *provider, struct open_store *os);

#endif
