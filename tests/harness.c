#include "harness.h"

#include <string.h>

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

void session_init(struct mapisim_session *s)
{
    assert_int_equal(mapisim_session_init(s, MSProviderInit), S_OK);
}

/* Logon as MAPI makes it, on the store file the profile names. */
static void session_logon(struct mapisim_session *s, ULONG flags)
{
    assert_int_equal(mapisim_session_logon(s, flags, "profile"), S_OK);
    assert_non_null(s->store);
    assert_non_null(s->support.logon);
    assert_int_equal(s->support.refs, 1); /* the provider's own (D3) */
}

void session_start(struct mapisim_session *s)
{
    session_init(s);
    session_logon(s, MDB_WRITE);
}

void session_start_read_only(struct mapisim_session *s)
{
    session_init(s);
    session_logon(s, 0);
}

static void start_on(struct mapisim_session *s, const WCHAR *path, ULONG flags)
{
    session_init(s);
    mapisim_support_use_store(&s->support, path);
    session_logon(s, flags);
}

void session_start_on(struct mapisim_session *s, const WCHAR *path) { start_on(s, path, MDB_WRITE); }
void session_start_read_only_on(struct mapisim_session *s, const WCHAR *path) { start_on(s, path, 0); }

void session_logoff(struct mapisim_session *s)
{
    ULONG released = 99;
    assert_int_equal(mapisim_session_logoff(s, &released), S_OK);
    assert_int_equal(released, 0);
}

void free_rows(SRowSet *rows)
{
    ULONG i;
    if (!rows) return;
    for (i = 0; i < rows->cRows; i++) mapisim_FreeBuffer(rows->aRow[i].lpProps);
    mapisim_FreeBuffer(rows);
}

ULONG next_random(ULONG *seed)
{
    *seed ^= *seed << 13;
    *seed ^= *seed >> 17;
    *seed ^= *seed << 5;
    return *seed;
}

LONG live_blocks(void)
{
    struct mapisim_alloc_stats stats;
    mapisim_alloc_stats(&stats);
    return stats.live_blocks;
}

void session_finish(struct mapisim_session *s)
{
    char problems[512] = "";
    ULONG zero = 0;

    if (s->store) assert_int_equal(s->store->lpVtbl->Release(s->store), 0);
    if (s->provider) {
        assert_int_equal(s->provider->lpVtbl->Shutdown(s->provider, &zero), S_OK);
        assert_int_equal(s->provider->lpVtbl->Release(s->provider), 0);
    }
    if (mapisim_session_problems(s, problems, sizeof(problems))) fail_msg("%s", problems);
    /* If MAPI's support still held the logon, its final Release logged it off. */
    assert_null(s->support.logon);
    assert_int_equal(s->support.logon_release_result, 0);
    mapisim_support_cleanup(&s->support);
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

const SPropValue *propbag_value(struct mapisim_propbag *bag, ULONG tag)
{
    const SPropValue *value = mapisim_propbag_find(bag, tag);
    if (!value) fail_msg("no property 0x%08lx", (unsigned long)tag);
    assert_int_equal(value->ulPropTag, tag);
    return value;
}

IMAPIFolder *open_root_for_writing(IMsgStore *store)
{
    IMAPIFolder *root = NULL;
    ULONG type = 0;
    assert_int_equal(store->lpVtbl->OpenEntry(store, 0, NULL, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&root), S_OK);
    return root;
}

HRESULT create_folder_named(IMAPIFolder *parent, const char *name)
{
    IMAPIFolder *folder = NULL;
    HRESULT hr = parent->lpVtbl->CreateFolder(parent, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL, 0, &folder);
    if (folder) folder->lpVtbl->Release(folder);
    return hr;
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

/* Ends a session's store and provider without judging it yet. */
static void end_session(struct mapisim_session *s)
{
    ULONG zero = 0;
    assert_int_equal(s->store->lpVtbl->Release(s->store), 0);
    assert_int_equal(s->provider->lpVtbl->Shutdown(s->provider, &zero), S_OK);
    assert_int_equal(s->provider->lpVtbl->Release(s->provider), 0);
    s->store = NULL;
    s->provider = NULL;
}

/*
 * Ends two sessions that overlapped, then judges each against the MAPI memory
 * live before the first began: the allocator counts per process, so neither
 * can be judged while the other still holds blocks.
 */
void session_finish_together(struct mapisim_session *a, struct mapisim_session *b)
{
    end_session(b);
    end_session(a);
    b->blocks_at_start = a->blocks_at_start;
    session_finish(b);
    session_finish(a);
}
