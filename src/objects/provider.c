#include "objects/provider.h"

#include "lifecycle/lock_rule.h"
#include "lifecycle/open_store.h"
#include "objects/logon.h"
#include "objects/store.h"
#include "profile/profile.h"

#include <string.h>

struct provider {
    IMSProvider IMSProvider_iface;
    IMAPIProviderShutdown IMAPIProviderShutdown_iface;
    LONG refs;
    struct mapi_allocators alloc;
    IMalloc *malloc; /* AddRef'd; released with the provider */
    /* Guards open_stores and shut_down. Never held together with an open store's lock. */
    CRITICAL_SECTION lock;
    struct list open_stores;
    BOOL shut_down;
};

#define LOGON_FLAGS                                                                        \
    (MDB_NO_DIALOG | MDB_WRITE | MAPI_DEFERRED_ERRORS | MAPI_BEST_ACCESS | MDB_TEMPORARY |  \
     MDB_NO_MAIL | MDB_ONLINE | MAPI_UNICODE)
#define SPOOLER_LOGON_FLAGS (MAPI_DEFERRED_ERRORS | MAPI_UNICODE | MDB_NO_DIALOG | MDB_WRITE)

static inline struct provider *impl_from_IMSProvider(IMSProvider *iface)
{
    return CONTAINING_RECORD(iface, struct provider, IMSProvider_iface);
}

static inline struct provider *impl_from_IMAPIProviderShutdown(IMAPIProviderShutdown *iface)
{
    return CONTAINING_RECORD(iface, struct provider, IMAPIProviderShutdown_iface);
}

ULONG provider_addref(struct provider *provider)
{
    return (ULONG)InterlockedIncrement(&provider->refs);
}

ULONG provider_release(struct provider *provider)
{
    struct mapi_allocators alloc;
    LONG refs = InterlockedDecrement(&provider->refs);
    if (refs) return (ULONG)refs;
    lock_rule_calling_out();
    if (provider->malloc) provider->malloc->lpVtbl->Release(provider->malloc);
    DeleteCriticalSection(&provider->lock);
    alloc = provider->alloc;
    mapi_free(&alloc, provider);
    return 0;
}

void provider_remember_open_store(struct provider *provider, struct open_store *os)
{
    lock_acquire(&provider->lock);
    list_add_tail(&provider->open_stores, &os->provider_entry);
    lock_release(&provider->lock);
}

void provider_forget_open_store(struct provider *provider, struct open_store *os)
{
    lock_acquire(&provider->lock);
    list_remove(&os->provider_entry);
    lock_release(&provider->lock);
}

/* D14: the store with that identity, AddRef'd, if this provider has it open. */
static IMsgStore *find_open_store(struct provider *provider, const MAPIUID *uid)
{
    IMsgStore *found = NULL;
    struct list *cursor;
    lock_acquire(&provider->lock);
    for (cursor = provider->open_stores.next; !found && cursor != &provider->open_stores;
         cursor = cursor->next) {
        struct open_store *os = LIST_ENTRY(cursor, struct open_store, provider_entry);
        if (!memcmp(&os->content.uid, uid, sizeof(MAPIUID))) found = store_reopen(os->store);
    }
    lock_release(&provider->lock);
    return found;
}

static HRESULT check_store_interface(LPCIID iid)
{
    if (!iid || IsEqualIID(iid, &IID_IMsgStore) || IsEqualIID(iid, &IID_IUnknown)) return S_OK;
    return MAPI_E_INTERFACE_NOT_SUPPORTED;
}

/* The store identity in a Logon's entry ID: the unwrapped ID of an msstore store (D12). */
static HRESULT entryid_identity(ULONG cbEntryID, LPENTRYID lpEntryID, MAPIUID *uid)
{
    struct entryid_fields fields;
    HRESULT hr = entryid_decode(cbEntryID, lpEntryID, &fields);
    if (FAILED(hr)) return hr;
    if (fields.kind != ENTRYID_KIND_STORE) return MAPI_E_INVALID_ENTRYID;
    *uid = fields.store_uid;
    return S_OK;
}

/* D14 without an entry ID: the identity the profile section saved, else a new one. */
static HRESULT profile_identity(IMAPISupport *support, const struct profile_config *config, MAPIUID *uid)
{
    if (!config->has_uid) return support_methods(support)->NewUID(support, uid);
    *uid = config->uid;
    return S_OK;
}

/*
 * What a new logon tells MAPI, once every object exists: the profile section
 * (identity and names), ModifyProfile unless the store is temporary, the status
 * row, and last the UID (contract §3.3). SetProviderUID cannot be undone, so
 * nothing that can fail comes after it.
 */
static HRESULT announce_store(IMAPISupport *support, IProfSect *section, struct open_store *os,
                              const WCHAR *display_name, ULONG flags)
{
    const IMAPISupportAbiVtbl *v = support_methods(support);
    const struct prop_list *status = &os->content.status_props;
    HRESULT hr;
    if (FAILED(hr = profile_write(section, &os->content, display_name))) return hr;
    if (!(flags & MDB_TEMPORARY) && FAILED(hr = v->ModifyProfile(support, 0))) return hr;
    if (FAILED(hr = v->ModifyStatusRow(support, status->count, status->values, 0))) return hr;
    return v->SetProviderUID(support, &os->content.uid, 0);
}

/* A new open store for uid: its objects, then its announcement, then the support reference (D3). */
static HRESULT open_new_store(struct provider *provider, IMAPISupport *support, IProfSect *section,
                              const MAPIUID *uid, const struct profile_config *config, ULONG flags,
                              IMSLogon **lppMSLogon, IMsgStore **lppMDB)
{
    struct open_store *os;
    IMSLogon *logon = NULL;
    IMsgStore *store = NULL;
    HRESULT hr;

    if (FAILED(hr = open_store_create(provider, &provider->alloc, &os))) return hr;
    hr = store_content_build(&os->content, &os->alloc, support, uid, config->display_name);
    if (SUCCEEDED(hr)) hr = logon_create(os, &logon);
    if (SUCCEEDED(hr)) hr = store_create(os, &store);
    if (SUCCEEDED(hr)) hr = announce_store(support, section, os, config->display_name, flags);
    if (SUCCEEDED(hr)) {
        open_store_go_live(os, support);
        *lppMSLogon = logon;
        *lppMDB = store;
    } else {
        /* Still OPENING: these releases tear nothing down and touch no support object. */
        if (store) store->lpVtbl->Release(store);
        if (logon) logon->lpVtbl->Release(logon);
    }
    open_store_release(os);
    return hr;
}

/*
 * Logon and SpoolerLogon, once their arguments are checked. A store this
 * provider has open is returned as it is, with no IMSLogon, no profile work,
 * no support AddRef and no SetProviderUID (D14); otherwise the identity comes
 * from the entry ID, else from the profile section, else from NewUID.
 */
static HRESULT open_or_reopen(struct provider *provider, IMAPISupport *support, ULONG cbEntryID,
                              LPENTRYID lpEntryID, ULONG flags, IMSLogon **lppMSLogon, IMsgStore **lppMDB)
{
    BOOL from_entryid = cbEntryID || lpEntryID;
    struct profile_config config;
    IProfSect *section = NULL;
    MAPIUID uid;
    HRESULT hr;

    if (from_entryid) {
        if (FAILED(hr = entryid_identity(cbEntryID, lpEntryID, &uid))) return hr;
        if ((*lppMDB = find_open_store(provider, &uid))) return S_OK;
    }
    hr = support_methods(support)->OpenProfileSection(support, NULL, MAPI_MODIFY, &section);
    if (FAILED(hr)) return hr;
    hr = profile_read(&provider->alloc, section, &config);
    if (SUCCEEDED(hr) && !from_entryid) hr = profile_identity(support, &config, &uid);
    if (SUCCEEDED(hr) && !(*lppMDB = find_open_store(provider, &uid)))
        hr = open_new_store(provider, support, section, &uid, &config, flags, lppMSLogon, lppMDB);
    lock_rule_calling_out();
    section->lpVtbl->Release(section);
    return hr;
}

static HRESULT check_live(struct provider *provider)
{
    BOOL shut_down;
    lock_acquire(&provider->lock);
    shut_down = provider->shut_down;
    lock_release(&provider->lock);
    return shut_down ? MAPI_E_INVALID_OBJECT : S_OK;
}

static HRESULT STDMETHODCALLTYPE provider_QueryInterface(IMSProvider *iface, REFIID riid, void **ppv)
{
    struct provider *provider = impl_from_IMSProvider(iface);
    if (!ppv) return MAPI_E_INVALID_PARAMETER;
    *ppv = NULL;
    if (!riid) return MAPI_E_INVALID_PARAMETER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMSProvider))
        *ppv = &provider->IMSProvider_iface;
    else if (IsEqualIID(riid, &IID_IMAPIProviderShutdown))
        *ppv = &provider->IMAPIProviderShutdown_iface;
    else
        return E_NOINTERFACE;
    provider_addref(provider);
    return S_OK;
}

static ULONG STDMETHODCALLTYPE provider_AddRef(IMSProvider *iface)
{
    return provider_addref(impl_from_IMSProvider(iface));
}

static ULONG STDMETHODCALLTYPE provider_Release(IMSProvider *iface)
{
    return provider_release(impl_from_IMSProvider(iface));
}

/* D8: validates like Logoff, then tears down any store MAPI left open. */
static HRESULT STDMETHODCALLTYPE provider_Shutdown(IMSProvider *iface, ULONG *lpulFlags)
{
    struct provider *provider = impl_from_IMSProvider(iface);
    if (!lpulFlags) return MAPI_E_INVALID_PARAMETER;
    if (*lpulFlags) return MAPI_E_UNKNOWN_FLAGS;

    lock_acquire(&provider->lock);
    provider->shut_down = TRUE;
    for (;;) {
        struct open_store *os;
        if (list_empty(&provider->open_stores)) break;
        os = LIST_ENTRY(provider->open_stores.next, struct open_store, provider_entry);
        list_remove(&os->provider_entry); /* so this loop ends even if os is mid-teardown */
        open_store_addref(os);
        lock_release(&provider->lock);
        open_store_teardown(os);
        open_store_release(os);
        lock_acquire(&provider->lock);
    }
    lock_release(&provider->lock);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE provider_Logon(IMSProvider *iface, LPMAPISUP lpMAPISup,
                                                ULONG_PTR ulUIParam, LPTSTR lpszProfileName,
                                                ULONG cbEntryID, LPENTRYID lpEntryID,
                                                ULONG ulFlags, LPCIID lpInterface,
                                                ULONG *lpcbSpoolSecurity,
                                                LPBYTE *lppbSpoolSecurity,
                                                LPMAPIERROR *lppMAPIError,
                                                LPMSLOGON *lppMSLogon, LPMDB *lppMDB)
{
    struct provider *provider = impl_from_IMSProvider(iface);
    HRESULT hr;
    (void)ulUIParam;      /* msstore shows no UI */
    (void)lpszProfileName;

    /* Every output is NULL/0 unless the Logon succeeds. */
    if (lpcbSpoolSecurity) *lpcbSpoolSecurity = 0;
    if (lppbSpoolSecurity) *lppbSpoolSecurity = NULL;
    if (lppMAPIError) *lppMAPIError = NULL;
    if (lppMSLogon) *lppMSLogon = NULL;
    if (lppMDB) *lppMDB = NULL;

    if (FAILED(hr = check_live(provider))) return hr;
    if (!lpMAPISup || !lpcbSpoolSecurity || !lppbSpoolSecurity || !lppMSLogon || !lppMDB)
        return MAPI_E_INVALID_PARAMETER;
    if (ulFlags & ~LOGON_FLAGS) return MAPI_E_UNKNOWN_FLAGS;
    if (FAILED(hr = check_store_interface(lpInterface))) return hr;
    /* Spool security stays empty: the profile section alone identifies the store. */
    return open_or_reopen(provider, lpMAPISup, cbEntryID, lpEntryID, ulFlags, lppMSLogon, lppMDB);
}

static HRESULT STDMETHODCALLTYPE provider_SpoolerLogon(IMSProvider *iface, LPMAPISUP lpMAPISup,
                                                       ULONG_PTR ulUIParam, LPTSTR lpszProfileName,
                                                       ULONG cbEntryID, LPENTRYID lpEntryID,
                                                       ULONG ulFlags, LPCIID lpInterface,
                                                       ULONG cbSpoolSecurity,
                                                       LPBYTE lpbSpoolSecurity,
                                                       LPMAPIERROR *lppMAPIError,
                                                       LPMSLOGON *lppMSLogon, LPMDB *lppMDB)
{
    struct provider *provider = impl_from_IMSProvider(iface);
    HRESULT hr;
    (void)ulUIParam;
    (void)lpszProfileName;

    if (lppMAPIError) *lppMAPIError = NULL;
    if (lppMSLogon) *lppMSLogon = NULL;
    if (lppMDB) *lppMDB = NULL;

    if (FAILED(hr = check_live(provider))) return hr;
    if (!lpMAPISup || !lppMSLogon || !lppMDB || (cbSpoolSecurity && !lpbSpoolSecurity))
        return MAPI_E_INVALID_PARAMETER;
    if (ulFlags & ~SPOOLER_LOGON_FLAGS) return MAPI_E_UNKNOWN_FLAGS;
    if (FAILED(hr = check_store_interface(lpInterface))) return hr;
    return open_or_reopen(provider, lpMAPISup, cbEntryID, lpEntryID, ulFlags, lppMSLogon, lppMDB);
}

static HRESULT STDMETHODCALLTYPE provider_CompareStoreIDs(IMSProvider *iface, ULONG cbEntryID1,
                                                          LPENTRYID lpEntryID1, ULONG cbEntryID2,
                                                          LPENTRYID lpEntryID2, ULONG ulFlags,
                                                          ULONG *lpulResult)
{
    struct entryid_fields first, second;
    HRESULT hr;
    (void)iface;

    if (!lpulResult) return MAPI_E_INVALID_PARAMETER;
    *lpulResult = FALSE;
    if (ulFlags) return MAPI_E_UNKNOWN_FLAGS;
    if (FAILED(hr = entryid_decode(cbEntryID1, lpEntryID1, &first)) ||
        FAILED(hr = entryid_decode(cbEntryID2, lpEntryID2, &second)))
        return hr;
    if (first.kind != ENTRYID_KIND_STORE || second.kind != ENTRYID_KIND_STORE)
        return MAPI_E_INVALID_ENTRYID;
    *lpulResult = !memcmp(&first.store_uid, &second.store_uid, sizeof(MAPIUID));
    return S_OK;
}

static const IMSProviderAbiVtbl provider_vtbl = {
    provider_QueryInterface,
    provider_AddRef,
    provider_Release,
    provider_Shutdown,
    provider_Logon,
    provider_SpoolerLogon,
    provider_CompareStoreIDs,
};

/* IMAPIProviderShutdown (D10): a read-only store has nothing to save, so fast shutdown is always fine. */

static HRESULT STDMETHODCALLTYPE shutdown_QueryInterface(IMAPIProviderShutdown *iface, REFIID riid,
                                                         void **ppv)
{
    struct provider *provider = impl_from_IMAPIProviderShutdown(iface);
    return provider_QueryInterface(&provider->IMSProvider_iface, riid, ppv);
}

static ULONG STDMETHODCALLTYPE shutdown_AddRef(IMAPIProviderShutdown *iface)
{
    return provider_AddRef(&impl_from_IMAPIProviderShutdown(iface)->IMSProvider_iface);
}

static ULONG STDMETHODCALLTYPE shutdown_Release(IMAPIProviderShutdown *iface)
{
    return provider_Release(&impl_from_IMAPIProviderShutdown(iface)->IMSProvider_iface);
}

static HRESULT STDMETHODCALLTYPE shutdown_QueryFastShutdown(IMAPIProviderShutdown *iface)
{
    (void)iface;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE shutdown_NotifyProcessShutdown(IMAPIProviderShutdown *iface)
{
    (void)iface;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE shutdown_DoFastShutdown(IMAPIProviderShutdown *iface)
{
    (void)iface;
    return S_OK;
}

static const IMAPIProviderShutdownVtbl provider_shutdown_vtbl = {
    shutdown_QueryInterface,        shutdown_AddRef,
    shutdown_Release,               shutdown_QueryFastShutdown,
    shutdown_NotifyProcessShutdown, shutdown_DoFastShutdown,
};

HRESULT __cdecl MSProviderInit(HINSTANCE hInstance, LPMALLOC lpMalloc,
                               LPALLOCATEBUFFER lpAllocateBuffer, LPALLOCATEMORE lpAllocateMore,
                               LPFREEBUFFER lpFreeBuffer, ULONG ulFlags, ULONG ulMAPIVer,
                               ULONG *lpulProviderVer, LPMSPROVIDER *lppMSProvider)
{
    struct mapi_allocators alloc = {lpAllocateBuffer, lpAllocateMore, lpFreeBuffer};
    struct provider *provider;
    (void)hInstance;

    if (!lpulProviderVer || !lppMSProvider) return MAPI_E_INVALID_PARAMETER;
    *lppMSProvider = NULL;
    *lpulProviderVer = CURRENT_SPI_VERSION; /* what msstore speaks, so MAPI can tell why it failed */
    if (!lpAllocateBuffer || !lpAllocateMore || !lpFreeBuffer) return MAPI_E_INVALID_PARAMETER;
    if (ulFlags & ~MAPI_NT_SERVICE) return MAPI_E_UNKNOWN_FLAGS;
    if (ulMAPIVer < CURRENT_SPI_VERSION) return MAPI_E_VERSION;

    if (!(provider = mapi_alloc_zeroed(&alloc, sizeof(*provider)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    provider->IMSProvider_iface.lpVtbl = ABI_AS_VTBL(IMSProvider, &provider_vtbl);
    provider->IMAPIProviderShutdown_iface.lpVtbl = &provider_shutdown_vtbl;
    provider->refs = 1;
    provider->alloc = alloc;
    provider->malloc = lpMalloc;
    if (lpMalloc) lpMalloc->lpVtbl->AddRef(lpMalloc);
    InitializeCriticalSection(&provider->lock);
    list_init(&provider->open_stores);
    *lppMSProvider = &provider->IMSProvider_iface;
    return S_OK;
}
