/*
 * Test harness: msstore driven the way MAPI drives it, through mapisim's
 * sessions (the same code mapihost and the benchmark use).
 *
 * A test starts a session (MSProviderInit, then Logon with MAPI's support
 * object holding the IMSLogon and MAPI's own support reference dropped, as
 * MAPI does once Logon returns), acts, and ends with session_finish, which
 * shuts the provider down and fails the test on anything a correct session
 * does not leave: a support reference kept or released once too often, not
 * exactly one StoreLogoffTransports per store opened, a subscription, a live
 * MAPI allocation, an unbalanced IMalloc, or a final Release not returning 0.
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

/* IMSProvider::Logon through Microsoft's vtable layout; checks it returns no spool security or MAPIERROR. */
HRESULT call_logon(IMSProvider *provider, IMAPISupport *support, ULONG flags, ULONG cbEntryID,
                   LPENTRYID lpEntryID, LPCIID iid, IMSLogon **logon, IMsgStore **store);

/* Provider (msstore's MSProviderInit) and support ready; no Logon yet. */
void session_init(struct mapisim_session *s);
/* session_init, then a Logon as MAPI makes it; s->store is the client's store. */
void session_start(struct mapisim_session *s);
/* session_init, then a Logon without MDB_WRITE: a store the logon only reads. */
void session_start_read_only(struct mapisim_session *s);
/* session_start on the store file at path, which outlives the session (remove it with mapisim_remove_store). */
void session_start_on(struct mapisim_session *s, const WCHAR *path);
/* The same without MDB_WRITE: the logon only reads the file. */
void session_start_read_only_on(struct mapisim_session *s, const WCHAR *path);
/* What MAPI does at session logoff: takes the IMSLogon, Logoff(&0), Release (Path C). */
void session_logoff(struct mapisim_session *s);
/* Releases what the test still holds, shuts the provider down, fails on anything left over. */
void session_finish(struct mapisim_session *s);
/* Ends two sessions that overlapped (b begun after a), then judges both. */
void session_finish_together(struct mapisim_session *a, struct mapisim_session *b);

/* Frees a QueryRows answer as MAPI's rules ask: each row's values, then the set; NULL is fine. */
void free_rows(SRowSet *rows);

/* The next number of a seeded xorshift sequence: random input that a failing run can replay. */
ULONG next_random(ULONG *seed);

/* Live MAPI allocator blocks now, for before/after comparisons. */
LONG live_blocks(void);

/* One property of an object, as GetProps returns it; free with mapisim_FreeBuffer. */
SPropValue *get_prop(IMAPIProp *object, ULONG tag);

/* The value a profile section or status row holds for tag (type included); fails the test if there is none. */
const SPropValue *propbag_value(struct mapisim_propbag *bag, ULONG tag);

/* The store's unwrapped entry ID (from its wrapped PR_STORE_ENTRYID), copied into out. */
ULONG unwrapped_store_entryid(IMsgStore *store, BYTE *out, ULONG size);

/* The store's root folder, opened with MAPI_MODIFY; the test fails if it does not open. */
IMAPIFolder *open_root_for_writing(IMsgStore *store);

/* CreateFolder(FOLDER_GENERIC) of an 8-bit name under parent; the new folder is released. */
HRESULT create_folder_named(IMAPIFolder *parent, const char *name);

/* An IMAPIAdviseSink that counts references and notifications. */
struct test_sink {
    IMAPIAdviseSink IMAPIAdviseSink_iface;
    LONG refs;
    LONG notifications;
};
void test_sink_init(struct test_sink *sink);

#endif
