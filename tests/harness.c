#include "harness.h"

#include <string.h>

HRESULT init_provider(struct session *s, ULONG flags, ULONG mapi_version, IMSProvider **out)
{
    ULONG version = 0;
    return MSProviderInit(GetModuleHandleW(NULL), &s->malloc.IMalloc_iface, mapisim_AllocateBuffer,
                          mapisim_AllocateMore, mapisim_FreeBuffer, flags, mapi_version, &version,
                          out);
}

HRESULT call_logon(IMSProvider *provider, IMAPISupport *support, ULONG flags, ULONG cbEntryID,
                   LPENTRYID lpEntryID, LPCIID iid, IMSLogon **logon, IMsgStore **store)
{
    ULONG cb_spool = 0xdead;
    BYTE *spool = (BYTE *)1;
    MAPIERROR *error = (MAPIERROR *)1;
    HRESULT hr = ABI_VTBL(IMSProvider, provider)
                     ->Logon(provider, support, 0, (LPTSTR) "profile", cbEntryID, lpEntryID, flags,
                             iid, &cb_spool, &spool, &error, (LPMSLOGON *)logon, (LPMDB *)store);
    /* msstore needs no spool security and reports no MAPIERROR from Logon. */
    assert_int_equal(cb_spool, 0);
    assert_null(spool);
    assert_null(error);
    return hr;
}

void session_init(struct session *s)
{
    struct mapisim_alloc_stats stats;
    memset(s, 0, sizeof(*s));
    mapisim_support_init(&s->support);
    mapisim_malloc_init(&s->malloc);
    mapisim_alloc_stats(&stats);
    s->blocks_at_start = stats.live_blocks;
    assert_int_equal(init_provider(s, 0, CURRENT_SPI_VERSION, &s->provider), S_OK);
}

void session_start(struct session *s)
{
    IMSLogon *logon = NULL;
    session_init(s);
    assert_int_equal(call_logon(s->provider, &s->support.IMAPISupport_iface, 0, 0, NULL, NULL,
                                &logon, &s->store),
                     S_OK);
    assert_non_null(logon);
    assert_non_null(s->store);
    s->stores_opened = 1;
    mapisim_support_hold_logon(&s->support, logon);
    /* MAPI's own reference goes; the provider's (D3) keeps the support object alive. */
    assert_int_equal(s->support.IMAPISupport_iface.lpVtbl->Release(&s->support.IMAPISupport_iface), 1);
}

void session_logoff(struct session *s)
{
    ULONG zero = 0;
    IMSLogon *logon = mapisim_support_take_logon(&s->support);
    assert_non_null(logon);
    assert_int_equal(logon->lpVtbl->Logoff(logon, &zero), S_OK);
    assert_int_equal(logon->lpVtbl->Release(logon), 0);
}

LONG live_blocks(void)
{
    struct mapisim_alloc_stats stats;
    mapisim_alloc_stats(&stats);
    return stats.live_blocks;
}

void session_finish(struct session *s)
{
    struct mapisim_alloc_stats stats;
    ULONG zero = 0;

    if (s->store) assert_int_equal(s->store->lpVtbl->Release(s->store), 0);
    if (s->provider) {
        assert_int_equal(s->provider->lpVtbl->Shutdown(s->provider, &zero), S_OK);
        assert_int_equal(s->provider->lpVtbl->Release(s->provider), 0);
    }

    assert_int_equal(s->support.refs, s->stores_opened ? 0 : 1); /* 1: MAPI's own, never dropped */
    assert_int_equal(s->support.underflows, 0);
    assert_int_equal(s->support.calls[MAPISIM_StoreLogoffTransports], s->stores_opened);
    assert_int_equal(mapisim_support_cleanup(&s->support), 0);
    /* If MAPI's support still held the logon, its final Release logged it off. */
    assert_null(s->support.logon);
    assert_int_equal(s->support.logon_release_result, 0);
    mapisim_alloc_stats(&stats);
    assert_int_equal(stats.live_blocks, s->blocks_at_start);
    assert_int_equal(stats.bad_frees, 0);
    assert_int_equal(s->malloc.refs, 1);
    assert_int_equal(s->malloc.live, 0);
}

SPropValue *get_prop(IMAPIProp *object, ULONG tag)
{
    SizedSPropTagArray(1, tags) = {1, {tag}};
    SPropValue *value = NULL;
    ULONG count = 0;
    HRESULT hr = object->lpVtbl->GetProps(object, (LPSPropTagArray)&tags, 0, &count, &value);
    assert_true(hr == S_OK || hr == MAPI_W_ERRORS_RETURNED);
    assert_int_equal(count, 1);
    return value;
}

ULONG unwrapped_store_entryid(IMsgStore *store, BYTE *out, ULONG size)
{
    SPropValue *wrapped = get_prop((IMAPIProp *)store, PR_STORE_ENTRYID);
    const ENTRYID *inner;
    ULONG cb = 0;
    assert_int_equal(wrapped->ulPropTag, PR_STORE_ENTRYID);
    inner = mapisim_unwrap_store_entryid(wrapped->Value.bin.cb,
                                         (const ENTRYID *)wrapped->Value.bin.lpb, &cb);
    assert_non_null(inner);
    assert_true(cb <= size);
    memcpy(out, inner, cb);
    mapisim_FreeBuffer(wrapped);
    return cb;
}

static struct test_sink *impl_from_IMAPIAdviseSink(IMAPIAdviseSink *iface)
{
    return CONTAINING_RECORD(iface, struct test_sink, IMAPIAdviseSink_iface);
}

static HRESULT STDMETHODCALLTYPE sink_QueryInterface(IMAPIAdviseSink *iface, REFIID riid, void **ppv)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMAPIAdviseSink)) {
        *ppv = iface;
        iface->lpVtbl->AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE sink_AddRef(IMAPIAdviseSink *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IMAPIAdviseSink(iface)->refs);
}

static ULONG STDMETHODCALLTYPE sink_Release(IMAPIAdviseSink *iface)
{
    return (ULONG)InterlockedDecrement(&impl_from_IMAPIAdviseSink(iface)->refs);
}

static ULONG STDMETHODCALLTYPE sink_OnNotify(IMAPIAdviseSink *iface, ULONG cNotif,
                                             LPNOTIFICATION lpNotifications)
{
    (void)lpNotifications;
    InterlockedExchangeAdd(&impl_from_IMAPIAdviseSink(iface)->notifications, (LONG)cNotif);
    return 0;
}

static const IMAPIAdviseSinkVtbl sink_vtbl = {
    sink_QueryInterface, sink_AddRef, sink_Release, sink_OnNotify,
};

void test_sink_init(struct test_sink *sink)
{
    sink->IMAPIAdviseSink_iface.lpVtbl = &sink_vtbl;
    sink->refs = 1;
    sink->notifications = 0;
}
