/* MSProviderInit and IMSProvider: parameters, versions, identity, Shutdown, CompareStoreIDs. */
#include "harness.h"

#include <string.h>

static HRESULT init_with(struct mapisim_session *s, LPALLOCATEBUFFER alloc, ULONG flags, ULONG version,
                         ULONG *out_version, IMSProvider **out)
{
    return MSProviderInit(NULL, &s->malloc.IMalloc_iface, alloc, mapisim_AllocateMore,
                          mapisim_FreeBuffer, flags, version, out_version, out);
}

static void init_succeeds_with_current_spi_version_and_keeps_malloc(void **state)
{
    struct mapisim_session s;
    ULONG version = 0;
    IMSProvider *provider = NULL;
    (void)state;
    session_init(&s);
    assert_int_equal(init_with(&s, mapisim_AllocateBuffer, 0, CURRENT_SPI_VERSION, &version, &provider), S_OK);
    assert_int_equal(version, CURRENT_SPI_VERSION);
    assert_non_null(provider);
    assert_int_equal(s.malloc.refs, 3); /* the test's, and one per provider */
    assert_int_equal(provider->lpVtbl->Release(provider), 0);
    assert_int_equal(s.malloc.refs, 2);
    session_finish(&s);
}

static void init_accepts_newer_mapi_and_nt_service_flag(void **state)
{
    struct mapisim_session s;
    ULONG version = 0;
    IMSProvider *provider = NULL;
    (void)state;
    session_init(&s);
    assert_int_equal(init_with(&s, mapisim_AllocateBuffer, MAPI_NT_SERVICE, CURRENT_SPI_VERSION + 1,
                               &version, &provider),
                     S_OK);
    assert_int_equal(version, CURRENT_SPI_VERSION);
    assert_int_equal(provider->lpVtbl->Release(provider), 0);
    session_finish(&s);
}

static void init_without_malloc_works(void **state)
{
    struct mapisim_session s;
    ULONG version = 0;
    IMSProvider *provider = NULL;
    (void)state;
    session_init(&s);
    assert_int_equal(MSProviderInit(NULL, NULL, mapisim_AllocateBuffer, mapisim_AllocateMore,
                                    mapisim_FreeBuffer, 0, CURRENT_SPI_VERSION, &version, &provider),
                     S_OK);
    assert_int_equal(provider->lpVtbl->Release(provider), 0);
    session_finish(&s);
}

static void init_rejects_older_mapi_with_version_error(void **state)
{
    struct mapisim_session s;
    ULONG version = 0;
    IMSProvider *provider = (IMSProvider *)1;
    LONG before;
    (void)state;
    session_init(&s);
    before = live_blocks();
    assert_int_equal(init_with(&s, mapisim_AllocateBuffer, 0, PDK2_SPI_VERSION, &version, &provider),
                     MAPI_E_VERSION);
    assert_null(provider);
    assert_int_equal(version, CURRENT_SPI_VERSION); /* tells MAPI what msstore needs */
    assert_int_equal(live_blocks(), before);
    assert_int_equal(s.malloc.refs, 2);
    session_finish(&s);
}

static void init_rejects_unknown_flags(void **state)
{
    struct mapisim_session s;
    ULONG version = 0;
    IMSProvider *provider = (IMSProvider *)1;
    LONG before;
    (void)state;
    session_init(&s);
    before = live_blocks();
    assert_int_equal(init_with(&s, mapisim_AllocateBuffer, 0x1, CURRENT_SPI_VERSION, &version, &provider),
                     MAPI_E_UNKNOWN_FLAGS);
    assert_null(provider);
    assert_int_equal(live_blocks(), before);
    session_finish(&s);
}

static void init_rejects_missing_pointers(void **state)
{
    struct mapisim_session s;
    ULONG version = 0;
    IMSProvider *provider = (IMSProvider *)1;
    LONG before;
    (void)state;
    session_init(&s);
    before = live_blocks();
    assert_int_equal(init_with(&s, mapisim_AllocateBuffer, 0, CURRENT_SPI_VERSION, NULL, &provider),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(init_with(&s, mapisim_AllocateBuffer, 0, CURRENT_SPI_VERSION, &version, NULL),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(init_with(&s, NULL, 0, CURRENT_SPI_VERSION, &version, &provider),
                     MAPI_E_INVALID_PARAMETER);
    assert_null(provider);
    assert_int_equal(live_blocks(), before);
    assert_int_equal(s.malloc.refs, 2);
    session_finish(&s);
}

static void init_fails_cleanly_when_allocation_fails(void **state)
{
    struct mapisim_session s;
    ULONG version = 0;
    IMSProvider *provider = (IMSProvider *)1;
    (void)state;
    session_init(&s);
    mapisim_alloc_fail_at(1);
    assert_int_equal(init_with(&s, mapisim_AllocateBuffer, 0, CURRENT_SPI_VERSION, &version, &provider),
                     MAPI_E_NOT_ENOUGH_MEMORY);
    mapisim_alloc_fail_at(0);
    assert_null(provider);
    assert_int_equal(s.malloc.refs, 2);
    session_finish(&s);
}

static void init_twice_gives_two_providers(void **state)
{
    struct mapisim_session s;
    ULONG version = 0;
    IMSProvider *first = NULL, *second = NULL;
    (void)state;
    session_init(&s);
    assert_int_equal(init_with(&s, mapisim_AllocateBuffer, 0, CURRENT_SPI_VERSION, &version, &first), S_OK);
    assert_int_equal(init_with(&s, mapisim_AllocateBuffer, 0, CURRENT_SPI_VERSION, &version, &second), S_OK);
    assert_ptr_not_equal(first, second);
    assert_ptr_not_equal(first, s.provider);
    assert_int_equal(first->lpVtbl->Release(first), 0);
    assert_int_equal(second->lpVtbl->Release(second), 0);
    session_finish(&s);
}

static void query_interface_gives_provider_and_fast_shutdown(void **state)
{
    struct mapisim_session s;
    IUnknown *unknown = NULL, *again = NULL;
    IMSProvider *provider = NULL;
    IMAPIProviderShutdown *fast = NULL;
    void *none = (void *)1;
    (void)state;
    session_init(&s);
    assert_int_equal(s.provider->lpVtbl->QueryInterface(s.provider, &IID_IUnknown, (void **)&unknown), S_OK);
    assert_ptr_equal(unknown, s.provider);
    assert_int_equal(s.provider->lpVtbl->QueryInterface(s.provider, &IID_IMSProvider, (void **)&provider), S_OK);
    assert_ptr_equal(provider, s.provider);
    assert_int_equal(s.provider->lpVtbl->QueryInterface(s.provider, &IID_IMAPIProviderShutdown, (void **)&fast), S_OK);
    assert_non_null(fast);
    assert_int_equal(fast->lpVtbl->QueryFastShutdown(fast), S_OK);
    assert_int_equal(fast->lpVtbl->NotifyProcessShutdown(fast), S_OK);
    assert_int_equal(fast->lpVtbl->DoFastShutdown(fast), S_OK);
    /* COM identity: back to IUnknown from the second interface gives the same object. */
    assert_int_equal(fast->lpVtbl->QueryInterface(fast, &IID_IUnknown, (void **)&again), S_OK);
    assert_ptr_equal(again, unknown);
    assert_int_equal(fast->lpVtbl->AddRef(fast), 6); /* one provider count behind both interfaces */
    assert_int_equal(fast->lpVtbl->Release(fast), 5);
    assert_int_equal(s.provider->lpVtbl->QueryInterface(s.provider, &IID_IMsgStore, &none), E_NOINTERFACE);
    assert_null(none);
    assert_int_equal(s.provider->lpVtbl->QueryInterface(s.provider, &IID_IUnknown, NULL),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(again->lpVtbl->Release(again), 4);
    assert_int_equal(fast->lpVtbl->Release(fast), 3);
    assert_int_equal(provider->lpVtbl->Release(provider), 2);
    assert_int_equal(unknown->lpVtbl->Release(unknown), 1);
    assert_int_equal(s.provider->lpVtbl->AddRef(s.provider), 2);
    assert_int_equal(s.provider->lpVtbl->Release(s.provider), 1);
    session_finish(&s);
}

static void shutdown_validates_reserved_flags(void **state)
{
    struct mapisim_session s;
    ULONG flags = 1;
    (void)state;
    session_init(&s);
    assert_int_equal(s.provider->lpVtbl->Shutdown(s.provider, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(s.provider->lpVtbl->Shutdown(s.provider, &flags), MAPI_E_UNKNOWN_FLAGS);
    session_finish(&s); /* a valid Shutdown */
}

static void logon_after_shutdown_is_refused(void **state)
{
    struct mapisim_session s;
    IMSLogon *logon = (IMSLogon *)1;
    IMsgStore *store = (IMsgStore *)1;
    ULONG zero = 0;
    (void)state;
    session_init(&s);
    assert_int_equal(s.provider->lpVtbl->Shutdown(s.provider, &zero), S_OK);
    assert_int_equal(call_logon(s.provider, &s.support.IMAPISupport_iface, 0, 0, NULL, NULL, &logon, &store),
                     MAPI_E_INVALID_OBJECT);
    assert_null(logon);
    assert_null(store);
    assert_int_equal(s.support.refs, 1);
    session_finish(&s);
}

static void compare_store_ids_compares_identity(void **state)
{
    struct mapisim_session s, other;
    BYTE mine[64], theirs[64], folder[64];
    ULONG cb_mine, cb_theirs, cb_folder, result = 7;
    SPropValue *root_id;
    ULONG type = 0;
    IMAPIFolder *root = NULL;
    IMSProvider *p;
    (void)state;
    session_start(&s);
    session_start(&other);
    p = s.provider;
    cb_mine = unwrapped_store_entryid(s.store, mine, sizeof(mine));
    cb_theirs = unwrapped_store_entryid(other.store, theirs, sizeof(theirs));
    assert_int_equal(s.store->lpVtbl->OpenEntry(s.store, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&root), S_OK);
    root_id = get_prop((IMAPIProp *)root, PR_ENTRYID);
    cb_folder = root_id->Value.bin.cb;
    memcpy(folder, root_id->Value.bin.lpb, cb_folder);
    mapisim_FreeBuffer(root_id);
    root->lpVtbl->Release(root);

    assert_int_equal(p->lpVtbl->CompareStoreIDs(p, cb_mine, (LPENTRYID)mine, cb_mine, (LPENTRYID)mine, 0, &result), S_OK);
    assert_int_equal(result, TRUE);
    assert_int_equal(p->lpVtbl->CompareStoreIDs(p, cb_mine, (LPENTRYID)mine, cb_theirs, (LPENTRYID)theirs, 0, &result), S_OK);
    assert_int_equal(result, FALSE);
    /* Works with no store open through this provider: it is pure. */
    assert_int_equal(other.provider->lpVtbl->CompareStoreIDs(other.provider, cb_mine, (LPENTRYID)mine, cb_mine,
                                                             (LPENTRYID)mine, 0, &result),
                     S_OK);
    assert_int_equal(result, TRUE);
    assert_int_equal(p->lpVtbl->CompareStoreIDs(p, cb_mine, (LPENTRYID)mine, cb_folder, (LPENTRYID)folder, 0, &result),
                     MAPI_E_INVALID_ENTRYID);
    assert_int_equal(p->lpVtbl->CompareStoreIDs(p, cb_mine - 1, (LPENTRYID)mine, cb_mine, (LPENTRYID)mine, 0, &result),
                     MAPI_E_INVALID_ENTRYID);
    assert_int_equal(p->lpVtbl->CompareStoreIDs(p, cb_mine, (LPENTRYID)mine, cb_mine, (LPENTRYID)mine, 1, &result),
                     MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(p->lpVtbl->CompareStoreIDs(p, cb_mine, (LPENTRYID)mine, cb_mine, (LPENTRYID)mine, 0, NULL),
                     MAPI_E_INVALID_PARAMETER);
    session_finish(&other);
    session_finish(&s);
}

/*
 * The support object's Details takes Microsoft's callbacks, whose ulUIParam is a
 * ULONG_PTR (D9): with MinGW-w64's LPFNDISMISS/LPFNBUTTON these fail to compile on x64.
 */
#define SAME_TYPE(expression, type) _Generic((expression), type: 1, default: 0)
_Static_assert(SAME_TYPE((LPFNDISMISS_ABI)0, void(WINAPI *)(ULONG_PTR, LPVOID)),
               "DISMISSMODELESS takes a ULONG_PTR ulUIParam");
_Static_assert(SAME_TYPE((LPFNBUTTON_ABI)0, SCODE(WINAPI *)(ULONG_PTR, LPVOID, ULONG, LPENTRYID, ULONG)),
               "LPFNBUTTON takes a ULONG_PTR ulUIParam");
_Static_assert(SAME_TYPE(((IMAPISupportAbiVtbl *)0)->Details,
                         HRESULT(STDMETHODCALLTYPE *)(IMAPISupport *, ULONG_PTR *, LPFNDISMISS_ABI, LPVOID, ULONG,
                                                      LPENTRYID, LPFNBUTTON_ABI, LPVOID, LPTSTR, ULONG)),
               "IMAPISupport::Details at Microsoft's widths");

static void every_vtable_slot_is_filled(void **state)
{
    struct mapisim_session s;
    IMAPIProviderShutdown *fast = NULL;
    IMAPIFolder *root = NULL;
    IMAPITable *table = NULL;
    IMAPIStatus *status = NULL;
    ULONG type = 0;
    (void)state;
    session_start(&s);
    assert_int_equal(s.provider->lpVtbl->QueryInterface(s.provider, &IID_IMAPIProviderShutdown, (void **)&fast), S_OK);
    assert_int_equal(s.store->lpVtbl->OpenEntry(s.store, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&root), S_OK);
    assert_int_equal(root->lpVtbl->GetHierarchyTable(root, 0, &table), S_OK);
    assert_int_equal(s.support.logon->lpVtbl->OpenStatusEntry(s.support.logon, NULL, 0, &type, (LPVOID *)&status),
                     S_OK);
    {
        const struct {
            const void *vtbl;
            size_t slots;
        } tables[] = {
            {s.provider->lpVtbl, sizeof(IMSProviderVtbl) / sizeof(void *)},
            {fast->lpVtbl, sizeof(IMAPIProviderShutdownVtbl) / sizeof(void *)},
            {s.support.logon->lpVtbl, sizeof(IMSLogonVtbl) / sizeof(void *)},
            {s.store->lpVtbl, sizeof(IMsgStoreVtbl) / sizeof(void *)},
            {root->lpVtbl, sizeof(IMAPIFolderVtbl) / sizeof(void *)},
            {table->lpVtbl, sizeof(IMAPITableVtbl) / sizeof(void *)},
            {status->lpVtbl, sizeof(IMAPIStatusVtbl) / sizeof(void *)},
        };
        size_t t, i;
        for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
            for (i = 0; i < tables[t].slots; i++)
                assert_non_null(((void *const *)tables[t].vtbl)[i]);
    }
    status->lpVtbl->Release(status);
    table->lpVtbl->Release(table);
    root->lpVtbl->Release(root);
    fast->lpVtbl->Release(fast);
    session_finish(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_succeeds_with_current_spi_version_and_keeps_malloc),
        cmocka_unit_test(init_accepts_newer_mapi_and_nt_service_flag),
        cmocka_unit_test(init_without_malloc_works),
        cmocka_unit_test(init_rejects_older_mapi_with_version_error),
        cmocka_unit_test(init_rejects_unknown_flags),
        cmocka_unit_test(init_rejects_missing_pointers),
        cmocka_unit_test(init_fails_cleanly_when_allocation_fails),
        cmocka_unit_test(init_twice_gives_two_providers),
        cmocka_unit_test(query_interface_gives_provider_and_fast_shutdown),
        cmocka_unit_test(shutdown_validates_reserved_flags),
        cmocka_unit_test(logon_after_shutdown_is_refused),
        cmocka_unit_test(compare_store_ids_compares_identity),
        cmocka_unit_test(every_vtable_slot_is_filled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
