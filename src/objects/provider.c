/*
 * The provider object MSProviderInit returns: IMSProvider, plus
 * IMAPIProviderShutdown on the same object (D10). It keeps MAPI's allocators
 * and IMalloc, and the registry of the stores opened through it.
 */
#include <msstore/mapi_abi.h>

#include "lifecycle/lock_rule.h"
#include "lifecycle/open_store.h"
#include "lifecycle/store_registry.h"
#include "model/model.h"
#include "objects/logon.h"
#include "objects/status.h"
#include "objects/store.h"
#include "profile/profile.h"

#include <stdio.h>
#include <string.h>

struct provider {
    IMSProvider IMSProvider_iface;
    IMAPIProviderShutdown IMAPIProviderShutdown_iface;
    LONG refs;
    struct mapi_allocators alloc;
    IMalloc *malloc; /* AddRef'd; released with the provider */
    struct store_registry *registry; /* the stores opened through it (D14), and whether it shut down */
};

#define LOGON_FLAGS                                                                        \
    (MDB_NO_DIALOG | MDB_WRITE | MAPI_DEFERRED_ERRORS | MAPI_BEST_ACCESS | MDB_TEMPORARY |  \
     MDB_NO_MAIL | MDB_ONLINE | MAPI_UNICODE)
#define SPOOLER_LOGON_FLAGS (MAPI_DEFERRED_ERRORS | MAPI_UNICODE | MDB_NO_DIALOG | MDB_WRITE)
/* What asks for a store that can be written (SMPMS tests the same pair). */
#define WRITE_FLAGS (MDB_WRITE | MAPI_BEST_ACCESS)

static inline struct provider *impl_from_IMSProvider(IMSProvider *iface)
{
    return CONTAINING_RECORD(iface, struct provider, IMSProvider_iface);
}

static inline struct provider *impl_from_IMAPIProviderShutdown(IMAPIProviderShutdown *iface)
{
    return CONTAINING_RECORD(iface, struct provider, IMAPIProviderShutdown_iface);
}

static ULONG provider_addref(struct provider *provider)
{
    return (ULONG)InterlockedIncrement(&provider->refs);
}

/* Frees at zero; an open store holds a reference, so a provider outlives its stores. */
static ULONG provider_release(struct provider *provider)
{
    struct mapi_allocators alloc;
    LONG refs = InterlockedDecrement(&provider->refs);
    if (refs) return (ULONG)refs;
    lock_rule_calling_out();
    if (provider->malloc) provider->malloc->lpVtbl->Release(provider->malloc);
    store_registry_release(provider->registry);
    alloc = provider->alloc;
    mapi_free(&alloc, provider);
    return 0;
}

/* D14: the store with that identity, AddRef'd, if this provider has it open; a logon that writes may write to it. */
static IMsgStore *find_open_store(struct provider *provider, const MAPIUID *uid, ULONG flags)
{
    struct open_store *os = store_registry_find(provider->registry, uid);
    IMsgStore *found = NULL;
    if (!os) return NULL;
    if (SUCCEEDED(open_store_enter(os))) {
        if ((found = store_reopen(os->store)) && (flags & WRITE_FLAGS)) model_allow_writing(os->model);
        open_store_leave(os);
    }
    open_store_release(os);
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

/* The store file a logon opens: the one the profile names, else its default place (D15). */
struct store_file {
    WCHAR path[MAX_PATH];
    BOOL created; /* this Logon made the file: a Logon that fails removes it again */
};

static BOOL file_exists(const WCHAR *path) { return GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES; }

/* Removes a store file this Logon created, with SQLite's companions, once nothing has it open. */
static void remove_created_file(const struct store_file *file)
{
    static const WCHAR *const companions[] = {L"-wal", L"-shm"};
    WCHAR name[MAX_PATH + 8];
    size_t i;
    if (!file->created) return;
    DeleteFileW(file->path);
    for (i = 0; i < ARRAYSIZE(companions); i++) {
        _snwprintf(name, ARRAYSIZE(name), L"%ls%ls", file->path, companions[i]);
        name[ARRAYSIZE(name) - 1] = 0;
        DeleteFileW(name);
    }
}

/*
 * Opens the store file, giving a new one its identity: the one the profile
 * kept (a profile of the read-only msstore keeps its entry IDs), else NewUID.
 */
static HRESULT open_store_file(struct provider *provider, IMAPISupport *support, const struct profile_config *config,
                               struct store_file *file, struct model **model)
{
    BOOL needs_identity = FALSE;
    MAPIUID uid;
    HRESULT hr = S_OK;

    if (config->has_path) wcscpy(file->path, config->path);
    else hr = profile_default_path(config, file->path);
    if (FAILED(hr)) return hr;
    file->created = !file_exists(file->path);
    if (FAILED(hr = model_open(&provider->alloc, file->path, model, &needs_identity))) {
        remove_created_file(file);
        return hr;
    }
    if (needs_identity) {
        if (config->has_uid) uid = config->uid;
        else hr = support_methods(support)->NewUID(support, &uid);
        if (SUCCEEDED(hr)) hr = model_initialize(*model, &uid);
    }
    if (FAILED(hr)) {
        model_close(*model);
        *model = NULL;
        remove_created_file(file);
    }
    return hr;
}

static HRESULT wrap_store_entryid(IMAPISupport *support, struct model *model, ULONG *cb, ENTRYID **wrapped)
{
    HRESULT hr = support_methods(support)->WrapStoreEntryID(support, ENTRYID_SIZE, (ENTRYID *)model_store_entryid(model),
                                                            cb, wrapped);
    if (SUCCEEDED(hr) && (!*wrapped || !*cb)) hr = MAPI_E_CALL_FAILED;
    return hr;
}

/*
 * What a new logon tells MAPI, once every object exists: the profile section
 * (identity, names and file), ModifyProfile unless the store is temporary,
 * the status row, and last the UID (contract §3.3). SetProviderUID cannot be
 * undone, so nothing that can fail comes after it.
 */
static HRESULT announce_store(struct provider *provider, IMAPISupport *support, IProfSect *section,
                              struct model *model, const struct profile_store *store, ULONG flags)
{
    const IMAPISupportAbiVtbl *v = support_methods(support);
    struct prop_list status = {0, NULL};
    HRESULT hr;
    if (FAILED(hr = profile_write(section, store))) return hr;
    if (!(flags & MDB_TEMPORARY) && FAILED(hr = v->ModifyProfile(support, 0))) return hr;
    if (FAILED(hr = status_build_props(&provider->alloc, store->display_name, &status))) return hr;
    hr = v->ModifyStatusRow(support, status.count, status.values, 0);
    props_free(&provider->alloc, &status);
    if (FAILED(hr)) return hr;
    return v->SetProviderUID(support, (LPMAPIUID)model_uid(model), 0);
}

/* A new open store for the file's model: its objects, then its announcement, then the support reference (D3). */
static HRESULT open_new_store(struct provider *provider, IMAPISupport *support, IProfSect *section,
                              struct model *model, const struct profile_config *config, const struct store_file *file,
                              ULONG flags, IMSLogon **lppMSLogon, IMsgStore **lppMDB)
{
    struct profile_store store = {config->display_name, 0, NULL, model_uid(model), file->path};
    struct open_store *os;
    IMSLogon *logon = NULL;
    IMsgStore *msg_store = NULL;
    ENTRYID *wrapped = NULL;
    HRESULT hr;

    if (FAILED(hr = open_store_create((IUnknown *)&provider->IMSProvider_iface, provider->registry, &provider->alloc,
                                      &os))) {
        model_close(model);
        return hr;
    }
    open_store_attach_model(os, model); /* closed with os from here on */
    if (SUCCEEDED(hr = wrap_store_entryid(support, model, &store.cb_wrapped, &wrapped))) {
        store.wrapped = wrapped;
        hr = model_present(model, config->display_name, store.cb_wrapped, wrapped, (flags & WRITE_FLAGS) != 0);
    }
    if (SUCCEEDED(hr)) hr = logon_create(os, &logon);
    if (SUCCEEDED(hr)) hr = store_create(os, &msg_store);
    if (SUCCEEDED(hr)) hr = announce_store(provider, support, section, model, &store, flags);
    mapi_free(&provider->alloc, wrapped); /* MAPIFreeBuffer: the same allocator family */
    if (SUCCEEDED(hr)) {
        open_store_go_live(os, support);
        *lppMSLogon = logon;
        *lppMDB = msg_store;
    } else {
        /* Still OPENING: these releases tear nothing down and touch no support object. */
        if (msg_store) msg_store->lpVtbl->Release(msg_store);
        if (logon) logon->lpVtbl->Release(logon);
    }
    open_store_release(os); /* on failure the last reference: the file is closed */
    return hr;
}

/*
 * Logon and SpoolerLogon, once their arguments are checked. A store this
 * provider has open is returned as it is, with no IMSLogon, no profile work,
 * no support AddRef and no SetProviderUID (D14); otherwise the store file
 * the profile names is opened (made, the first time), its identity read.
 */
static HRESULT open_or_reopen(struct provider *provider, IMAPISupport *support, ULONG cbEntryID,
                              LPENTRYID lpEntryID, ULONG flags, IMSLogon **lppMSLogon, IMsgStore **lppMDB)
{
    struct profile_config config;
    struct store_file file = {{0}, FALSE};
    struct model *model = NULL;
    IProfSect *section = NULL;
    MAPIUID uid;
    HRESULT hr;

    if (cbEntryID || lpEntryID) {
        if (FAILED(hr = entryid_identity(cbEntryID, lpEntryID, &uid))) return hr;
        if ((*lppMDB = find_open_store(provider, &uid, flags))) return S_OK;
    }
    hr = support_methods(support)->OpenProfileSection(support, NULL, MAPI_MODIFY, &section);
    if (FAILED(hr)) return hr;
    hr = profile_read(&provider->alloc, section, &config);
    if (SUCCEEDED(hr)) hr = open_store_file(provider, support, &config, &file, &model);
    if (SUCCEEDED(hr) && (*lppMDB = find_open_store(provider, model_uid(model), flags))) {
        model_close(model); /* the file is open already, in that store */
    } else if (SUCCEEDED(hr)) {
        hr = open_new_store(provider, support, section, model, &config, &file, flags, lppMSLogon, lppMDB);
        if (FAILED(hr)) remove_created_file(&file);
    }
    lock_rule_calling_out();
    section->lpVtbl->Release(section);
    return hr;
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
    store_registry_shut_down(provider->registry);
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

    if (store_registry_is_shut_down(provider->registry)) return MAPI_E_INVALID_OBJECT;
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

    if (store_registry_is_shut_down(provider->registry)) return MAPI_E_INVALID_OBJECT;
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

/*
 * IMAPIProviderShutdown (D10): every completed write is committed already
 * (D16), so fast shutdown is always fine; unsaved changes die with their
 * objects as at Logoff.
 */

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
    if (FAILED(store_registry_create(&alloc, &provider->registry))) {
        mapi_free(&alloc, provider);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    provider->IMSProvider_iface.lpVtbl = ABI_AS_VTBL(IMSProvider, &provider_vtbl);
    provider->IMAPIProviderShutdown_iface.lpVtbl = &provider_shutdown_vtbl;
    provider->refs = 1;
    provider->alloc = alloc;
    provider->malloc = lpMalloc;
    if (lpMalloc) lpMalloc->lpVtbl->AddRef(lpMalloc);
    *lppMSProvider = &provider->IMSProvider_iface;
    return S_OK;
}
