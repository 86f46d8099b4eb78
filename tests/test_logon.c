/*
 * IMSProvider::Logon and SpoolerLogon: argument checks, the support reference
 * taken once and last (D3), failure at every fallible step leaving nothing
 * behind, and re-opening a store that is already open (D14).
 */
#include "harness.h"

#include <string.h>

/* Logon on a session whose provider exists but has no store; checks a clean failure. */
static void assert_logon_fails_cleanly(struct mapisim_session *s, HRESULT expected, ULONG flags,
                                       ULONG cb, LPENTRYID entryid, LPCIID iid)
{
    IMSLogon *logon = (IMSLogon *)1;
    IMsgStore *store = (IMsgStore *)1;
    LONG before = live_blocks();
    assert_int_equal(call_logon(s->provider, &s->support.IMAPISupport_iface, flags, cb, entryid, iid,
                                &logon, &store),
                     expected);
    assert_null(logon);
    assert_null(store);
    assert_int_equal(live_blocks(), before);
    assert_int_equal(s->support.refs, 1); /* MAPI's own only */
    assert_int_equal(s->support.calls[MAPISIM_StoreLogoffTransports], 0);
}

static void logon_takes_one_support_reference_and_registers_the_store_uid(void **state)
{
    struct mapisim_session s;
    IMSLogon *logon = NULL;
    SPropValue *key;
    (void)state;
    session_init(&s);
    assert_int_equal(call_logon(s.provider, &s.support.IMAPISupport_iface, 0, 0, NULL, NULL, &logon, &s.store),
                     S_OK);
    s.stores_opened = 1;
    assert_int_equal(s.support.refs, 2); /* MAPI's and msstore's */
    assert_int_equal(s.support.calls[MAPISIM_NewUID], 1);
    assert_int_equal(s.support.calls[MAPISIM_SetProviderUID], 1);
    key = get_prop((IMAPIProp *)s.store, PR_STORE_RECORD_KEY);
    assert_int_equal(key->Value.bin.cb, sizeof(MAPIUID));
    assert_memory_equal(key->Value.bin.lpb, &s.support.uids[0], sizeof(MAPIUID));
    mapisim_FreeBuffer(key);
    mapisim_support_hold_logon(&s.support, logon);
    s.support.IMAPISupport_iface.lpVtbl->Release(&s.support.IMAPISupport_iface);
    session_finish(&s);
}

/* COM identity: the logon answers IMSLogon and IUnknown, the store IMsgStore, IMAPIProp and IUnknown; nothing else. */
static void logon_and_store_answer_their_own_interfaces_only(void **state)
{
    struct mapisim_session s;
    IMSLogon *logon;
    void *got = (void *)1;
    (void)state;
    session_start(&s);
    logon = s.support.logon;
    assert_int_equal(logon->lpVtbl->QueryInterface(logon, &IID_IMSLogon, &got), S_OK);
    assert_ptr_equal(got, logon);
    assert_int_equal(logon->lpVtbl->AddRef(logon), 3); /* MAPI's, the QueryInterface's, this one */
    assert_int_equal(logon->lpVtbl->Release(logon), 2);
    assert_int_equal(logon->lpVtbl->Release(logon), 1);
    assert_int_equal(logon->lpVtbl->QueryInterface(logon, &IID_IMsgStore, &got), E_NOINTERFACE);
    assert_null(got);
    assert_int_equal(s.store->lpVtbl->QueryInterface(s.store, &IID_IMAPIProp, &got), S_OK);
    assert_ptr_equal(got, s.store);
    assert_int_equal(s.store->lpVtbl->Release(s.store), 1);
    assert_int_equal(s.store->lpVtbl->QueryInterface(s.store, &IID_IMSLogon, &got), E_NOINTERFACE);
    assert_null(got);
    assert_int_equal(s.store->lpVtbl->QueryInterface(s.store, NULL, &got), MAPI_E_INVALID_PARAMETER);
    session_finish(&s);
}

static void logon_rejects_each_missing_output(void **state)
{
    struct mapisim_session s;
    ULONG cb_spool;
    BYTE *spool;
    MAPIERROR *error;
    IMSLogon *logon;
    IMsgStore *store;
    IMSProvider *p;
    const IMSProviderAbiVtbl *v;
    IMAPISupport *sup;
    LONG before;
    (void)state;
    session_init(&s);
    p = s.provider;
    v = ABI_VTBL(IMSProvider, p);
    sup = &s.support.IMAPISupport_iface;
    before = live_blocks();
    assert_int_equal(v->Logon(p, NULL, 0, NULL, 0, NULL, 0, NULL, &cb_spool, &spool, &error, &logon, &store),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(v->Logon(p, sup, 0, NULL, 0, NULL, 0, NULL, NULL, &spool, &error, &logon, &store),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(v->Logon(p, sup, 0, NULL, 0, NULL, 0, NULL, &cb_spool, NULL, &error, &logon, &store),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(v->Logon(p, sup, 0, NULL, 0, NULL, 0, NULL, &cb_spool, &spool, &error, NULL, &store),
                     MAPI_E_INVALID_PARAMETER);
    logon = (IMSLogon *)1;
    assert_int_equal(v->Logon(p, sup, 0, NULL, 0, NULL, 0, NULL, &cb_spool, &spool, &error, &logon, NULL),
                     MAPI_E_INVALID_PARAMETER);
    assert_null(logon);
    assert_int_equal(live_blocks(), before);
    assert_int_equal(s.support.calls[MAPISIM_NewUID], 0);
    session_finish(&s);
}

static void logon_without_error_pointer_succeeds(void **state)
{
    struct mapisim_session s;
    ULONG cb_spool;
    BYTE *spool;
    IMSLogon *logon = NULL;
    (void)state;
    session_init(&s);
    assert_int_equal(ABI_VTBL(IMSProvider, s.provider)
                         ->Logon(s.provider, &s.support.IMAPISupport_iface, 0, NULL, 0, NULL, 0, NULL,
                                 &cb_spool, &spool, NULL, &logon, &s.store),
                     S_OK);
    s.stores_opened = 1;
    mapisim_support_hold_logon(&s.support, logon);
    s.support.IMAPISupport_iface.lpVtbl->Release(&s.support.IMAPISupport_iface);
    session_finish(&s);
}

static void logon_rejects_unknown_flags_and_interfaces(void **state)
{
    struct mapisim_session s;
    (void)state;
    session_init(&s);
    assert_logon_fails_cleanly(&s, MAPI_E_UNKNOWN_FLAGS, 0x2, 0, NULL, NULL);
    assert_logon_fails_cleanly(&s, MAPI_E_UNKNOWN_FLAGS, 0x40000000, 0, NULL, NULL);
    assert_logon_fails_cleanly(&s, MAPI_E_INTERFACE_NOT_SUPPORTED, 0, 0, NULL, &IID_IMAPIFolder);
    session_finish(&s);
}

static void logon_accepts_every_documented_flag_and_interface(void **state)
{
    static const ULONG flags[] = {MDB_NO_DIALOG, MDB_WRITE,    MAPI_DEFERRED_ERRORS, MAPI_BEST_ACCESS,
                                  MDB_TEMPORARY, MDB_NO_MAIL,  MDB_ONLINE,           MAPI_UNICODE};
    static const IID *const iids[] = {&IID_IMsgStore, &IID_IUnknown};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(flags) / sizeof(flags[0]) + 2; i++) {
        struct mapisim_session s;
        IMSLogon *logon = NULL;
        ULONG flag = i < 8 ? flags[i] : 0;
        const IID *iid = i < 8 ? NULL : iids[i - 8];
        session_init(&s);
        assert_int_equal(call_logon(s.provider, &s.support.IMAPISupport_iface, flag, 0, NULL, iid, &logon, &s.store),
                         S_OK);
        s.stores_opened = 1;
        mapisim_support_hold_logon(&s.support, logon);
        s.support.IMAPISupport_iface.lpVtbl->Release(&s.support.IMAPISupport_iface);
        session_finish(&s);
    }
}

static void logon_fails_cleanly_when_a_support_call_fails(void **state)
{
    static const enum mapisim_method methods[] = {MAPISIM_NewUID, MAPISIM_WrapStoreEntryID,
                                                  MAPISIM_SetProviderUID};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
        struct mapisim_session s;
        session_init(&s);
        s.support.fail[methods[i]] = MAPI_E_CALL_FAILED;
        assert_logon_fails_cleanly(&s, MAPI_E_CALL_FAILED, 0, 0, NULL, NULL);
        assert_int_equal(s.support.calls[methods[i]], 1);
        session_finish(&s);
    }
}

static void logon_fails_cleanly_at_every_allocation(void **state)
{
    struct mapisim_alloc_stats before, after;
    struct mapisim_session s;
    LONG allocations, n;
    IMSLogon *logon = NULL;
    (void)state;
    /* Count the allocation calls of one successful Logon... */
    session_init(&s);
    mapisim_alloc_stats(&before);
    assert_int_equal(call_logon(s.provider, &s.support.IMAPISupport_iface, 0, 0, NULL, NULL, &logon, &s.store),
                     S_OK);
    mapisim_alloc_stats(&after);
    allocations = after.calls - before.calls;
    assert_true(allocations > 3);
    s.stores_opened = 1;
    mapisim_support_hold_logon(&s.support, logon);
    s.support.IMAPISupport_iface.lpVtbl->Release(&s.support.IMAPISupport_iface);
    session_finish(&s);

    /* ...then fail each one in turn. */
    for (n = 1; n <= allocations; n++) {
        session_init(&s);
        mapisim_alloc_fail_at(n);
        assert_logon_fails_cleanly(&s, MAPI_E_NOT_ENOUGH_MEMORY, 0, 0, NULL, NULL);
        mapisim_alloc_fail_at(0);
        session_finish(&s);
    }
    print_message("Logon failed cleanly at each of its %ld allocations\n", (long)allocations);
}

static void logon_rejects_malformed_entry_ids(void **state)
{
    struct mapisim_session s, open;
    BYTE id[64];
    ULONG cb;
    SPropValue *root_id;
    IMAPIFolder *root = NULL;
    ULONG type;
    (void)state;
    session_start(&open);
    cb = unwrapped_store_entryid(open.store, id, sizeof(id));
    session_init(&s);
    assert_logon_fails_cleanly(&s, MAPI_E_INVALID_ENTRYID, 0, cb - 1, (LPENTRYID)id, NULL);
    assert_logon_fails_cleanly(&s, MAPI_E_INVALID_ENTRYID, 0, cb, NULL, NULL);
    assert_logon_fails_cleanly(&s, MAPI_E_INVALID_ENTRYID, 0, 0, (LPENTRYID)id, NULL);
    id[20] ^= 0xff; /* the format version */
    assert_logon_fails_cleanly(&s, MAPI_E_INVALID_ENTRYID, 0, cb, (LPENTRYID)id, NULL);
    /* A folder's entry ID is not a store's. */
    open.store->lpVtbl->OpenEntry(open.store, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&root);
    root_id = get_prop((IMAPIProp *)root, PR_ENTRYID);
    assert_logon_fails_cleanly(&s, MAPI_E_INVALID_ENTRYID, 0, root_id->Value.bin.cb,
                               (LPENTRYID)root_id->Value.bin.lpb, NULL);
    mapisim_FreeBuffer(root_id);
    root->lpVtbl->Release(root);
    session_finish(&s);
    session_finish(&open);
}

/* D14: a second Logon for an open store returns it, with no IMSLogon and no support AddRef. */
static void logon_with_open_store_entry_id_returns_that_store(void **state)
{
    struct mapisim_session s;
    BYTE id[64];
    ULONG cb;
    IMSLogon *logon = (IMSLogon *)1;
    IMsgStore *again = NULL;
    (void)state;
    session_start(&s);
    cb = unwrapped_store_entryid(s.store, id, sizeof(id));
    assert_int_equal(call_logon(s.provider, &s.support.IMAPISupport_iface, 0, cb, (LPENTRYID)id, NULL, &logon, &again),
                     S_OK);
    assert_ptr_equal(again, s.store);
    assert_null(logon);
    assert_int_equal(s.support.refs, 1);
    assert_int_equal(s.support.calls[MAPISIM_SetProviderUID], 1);
    assert_int_equal(s.support.calls[MAPISIM_WrapStoreEntryID], 1);
    assert_int_equal(again->lpVtbl->Release(again), 1); /* the client's reference remains */
    assert_int_equal(s.support.calls[MAPISIM_StoreLogoffTransports], 0);
    session_finish(&s);
}

/* D14: a Logon without an entry ID whose profile names the file of a store open already returns that store. */
static void logon_of_an_open_stores_file_returns_that_store(void **state)
{
    struct mapisim_session s;
    IMSLogon *logon = (IMSLogon *)1;
    IMsgStore *again = NULL;
    (void)state;
    session_start(&s);
    assert_int_equal(call_logon(s.provider, &s.support.IMAPISupport_iface, 0, 0, NULL, NULL, &logon, &again), S_OK);
    assert_ptr_equal(again, s.store);
    assert_null(logon);
    assert_int_equal(s.support.refs, 1);
    assert_int_equal(s.support.calls[MAPISIM_SetProviderUID], 1);
    assert_int_equal(again->lpVtbl->Release(again), 1);
    session_finish(&s);
}

/* D14: a Logon that writes, for a store open for reading only, returns it writable from then on. */
static void a_writing_logon_makes_an_open_read_only_store_writable(void **state)
{
    struct mapisim_session s;
    IMSLogon *logon = (IMSLogon *)1;
    IMsgStore *again = NULL;
    IMAPIFolder *root = NULL;
    SPropValue *mask;
    ULONG type = 0, i;
    (void)state;
    session_start_read_only(&s);
    for (i = 0; i < 2; i++) { /* a Logon without MDB_WRITE, then one with it */
        assert_int_equal(s.store->lpVtbl->OpenEntry(s.store, 0, NULL, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&root),
                         MAPI_E_NO_ACCESS);
        assert_int_equal(call_logon(s.provider, &s.support.IMAPISupport_iface, i ? MDB_WRITE : 0, 0, NULL, NULL,
                                    &logon, &again),
                         S_OK);
        assert_ptr_equal(again, s.store);
        assert_null(logon);
        assert_int_equal(again->lpVtbl->Release(again), 1);
    }
    mask = get_prop((IMAPIProp *)s.store, PR_STORE_SUPPORT_MASK);
    assert_int_equal(mask->Value.l & (STORE_MODIFY_OK | STORE_CREATE_OK | STORE_READONLY),
                     STORE_MODIFY_OK | STORE_CREATE_OK);
    mapisim_FreeBuffer(mask);
    root = open_root_for_writing(s.store);
    assert_int_equal(create_folder_named(root, "After"), S_OK);
    root->lpVtbl->Release(root);
    session_finish(&s);
}

static void spooler_logon_of_open_store_returns_that_store(void **state)
{
    struct mapisim_session s;
    BYTE id[64];
    ULONG cb;
    IMSLogon *logon = (IMSLogon *)1;
    IMsgStore *spooler = NULL;
    const IMSProviderAbiVtbl *v;
    (void)state;
    session_start(&s);
    v = ABI_VTBL(IMSProvider, s.provider);
    cb = unwrapped_store_entryid(s.store, id, sizeof(id));
    assert_int_equal(v->SpoolerLogon(s.provider, &s.support.IMAPISupport_iface, 0, NULL, cb, (LPENTRYID)id,
                                     MDB_NO_DIALOG, NULL, 0, NULL, NULL, &logon, (LPMDB *)&spooler),
                     S_OK);
    assert_ptr_equal(spooler, s.store);
    assert_null(logon);
    assert_int_equal(v->SpoolerLogon(s.provider, &s.support.IMAPISupport_iface, 0, NULL, cb, (LPENTRYID)id,
                                     MDB_TEMPORARY, NULL, 0, NULL, NULL, &logon, (LPMDB *)&spooler),
                     MAPI_E_UNKNOWN_FLAGS);
    assert_null(spooler);
    assert_int_equal(v->SpoolerLogon(s.provider, &s.support.IMAPISupport_iface, 0, NULL, cb, (LPENTRYID)id,
                                     0, NULL, 4, NULL, NULL, &logon, (LPMDB *)&spooler),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(s.store->lpVtbl->Release(s.store), 1); /* the spooler's reference */
    session_finish(&s);
}

/* D14: the entry ID of a store that is no longer open brings the same identity back, from its file. */
static void logon_with_closed_store_entry_id_reopens_the_same_identity(void **state)
{
    struct mapisim_session s;
    BYTE id[64], again_id[64];
    WCHAR path[MAX_PATH];
    ULONG cb;
    IMSLogon *logon = NULL;
    (void)state;
    mapisim_scratch_store_path(path);
    session_start_on(&s, path);
    cb = unwrapped_store_entryid(s.store, id, sizeof(id));
    assert_int_equal(s.store->lpVtbl->Release(s.store), 0);
    s.store = NULL;

    /* MAPI opens the store again, with a new support object (and a profile naming the same file). */
    mapisim_support_cleanup(&s.support);
    mapisim_support_init(&s.support);
    mapisim_support_use_store(&s.support, path);
    assert_int_equal(call_logon(s.provider, &s.support.IMAPISupport_iface, 0, cb, (LPENTRYID)id, NULL, &logon, &s.store),
                     S_OK);
    assert_non_null(logon);
    assert_int_equal(s.support.calls[MAPISIM_NewUID], 0);
    assert_int_equal(unwrapped_store_entryid(s.store, again_id, sizeof(again_id)), cb);
    assert_memory_equal(again_id, id, cb);
    mapisim_support_hold_logon(&s.support, logon);
    s.support.IMAPISupport_iface.lpVtbl->Release(&s.support.IMAPISupport_iface);
    session_finish(&s);
    mapisim_remove_store(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(logon_takes_one_support_reference_and_registers_the_store_uid),
        cmocka_unit_test(logon_and_store_answer_their_own_interfaces_only),
        cmocka_unit_test(logon_rejects_each_missing_output),
        cmocka_unit_test(logon_without_error_pointer_succeeds),
        cmocka_unit_test(logon_rejects_unknown_flags_and_interfaces),
        cmocka_unit_test(logon_accepts_every_documented_flag_and_interface),
        cmocka_unit_test(logon_fails_cleanly_when_a_support_call_fails),
        cmocka_unit_test(logon_fails_cleanly_at_every_allocation),
        cmocka_unit_test(logon_rejects_malformed_entry_ids),
        cmocka_unit_test(logon_with_open_store_entry_id_returns_that_store),
        cmocka_unit_test(logon_of_an_open_stores_file_returns_that_store),
        cmocka_unit_test(a_writing_logon_makes_an_open_read_only_store_writable),
        cmocka_unit_test(spooler_logon_of_open_store_returns_that_store),
        cmocka_unit_test(logon_with_closed_store_entry_id_reopens_the_same_identity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
