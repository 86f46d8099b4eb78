/*
 * Test harness: msstore driven the way MAPI drives it, through mapisim.
 *
 * A test starts a session (MSProviderInit, then Logon with MAPI's support
 * object holding the IMSLogon and MAPI's own support reference dropped, as
 * MAPI does once Logon returns), acts, and ends with session_finish, which
 * shuts the provider down and asserts what every correct session leaves:
 * support count back to zero with no underflow, StoreLogoffTransports called
 * exactly once per store opened, no subscription left, no MAPI allocation live, IMalloc
 * balanced, and every final Release returning 0.
 */
#ifndef MSSTORE_TEST_HARNESS_H
#define MSSTORE_TEST_HARNESS_H

#include <msstore/mapi_abi.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mapisim.h"

struct session {
    struct mapisim_support support;
    struct mapisim_malloc malloc;
    IMSProvider *provider; /* NULL once the test released it */
    IMsgStore *store; /* the client's reference; NULL once the test released it */
    ULONG stores_opened; /* each must see exactly one StoreLogoffTransports */
    LONG blocks_at_start;
};

/* MSProviderInit with mapisim's allocators and the session's IMalloc. */
HRESULT init_provider(struct session *s, ULONG flags, ULONG mapi_version, IMSProvider **out);

/* IMSProvider::Logon through Microsoft's vtable layout, with all outputs. */
HRESULT call_logon(IMSProvider *provider, IMAPISupport *support, ULONG flags, ULONG cbEntryID,
                   LPENTRYID lpEntryID, LPCIID iid, IMSLogon **logon, IMsgStore **store);

/* Provider and support ready; no Logon yet. */
void session_init(struct session *s);
/* session_init, then a Logon as MAPI makes it; s->store is the client's store. */
void session_start(struct session *s);
/* What MAPI does at session logoff: takes the IMSLogon, Logoff(&0), Release (Path C). */
void session_logoff(struct session *s);
/* Releases what the test still holds, shuts the provider down, asserts the invariants. */
void session_finish(struct session *s);

/* Live MAPI allocator blocks now, for before/after comparisons. */
LONG live_blocks(void);

/* One property of an object, as GetProps returns it; free with mapisim_FreeBuffer. */
SPropValue *get_prop(IMAPIProp *object, ULONG tag);

/* The store's unwrapped entry ID (from its wrapped PR_STORE_ENTRYID), copied into out. */
ULONG unwrapped_store_entryid(IMsgStore *store, BYTE *out, ULONG size);

/* An IMAPIAdviseSink that counts references and notifications. */
struct test_sink {
    IMAPIAdviseSink IMAPIAdviseSink_iface;
    LONG refs;
    LONG notifications;
};
void test_sink_init(struct test_sink *sink);

#endif
