/*
 * A deliberately broken store provider, for proving that mapihost check
 * catches what it claims to: msstore32.dll (loaded from this DLL's folder)
 * behind a wrapper that adds one defect, chosen when it is built:
 *
 *   BROKEN_NEVER_RELEASES   takes a support reference it never gives back
 *   BROKEN_RELEASES_TWICE   releases the support object once more than it took it
 *   BROKEN_LOGOFF_CRASHES   IMSLogon::Logoff dereferences NULL
 *   BROKEN_LOGON_FAILS      Logon answers MAPI_E_LOGON_FAILED
 */
#include <msstore/mapi_abi.h>

#include <string.h>

MSPROVIDERINIT MSProviderInit;

struct wrapper {
    IMSProvider IMSProvider_iface;
    LONG refs;
    IMSProvider *inner;
};

static struct wrapper *impl_from_IMSProvider(IMSProvider *iface)
{
    return CONTAINING_RECORD(iface, struct wrapper, IMSProvider_iface);
}

#define INNER(iface) (impl_from_IMSProvider(iface)->inner)

#ifdef BROKEN_LOGOFF_CRASHES
/* An IMSLogon passing everything to msstore's, but for a Logoff that crashes. */
struct crashing_logon {
    IMSLogon IMSLogon_iface;
    LONG refs;
    IMSLogon *inner;
};

static IMSLogon *inner_logon(IMSLogon *iface)
{
    return CONTAINING_RECORD(iface, struct crashing_logon, IMSLogon_iface)->inner;
}

static HRESULT STDMETHODCALLTYPE logon_QueryInterface(IMSLogon *iface, REFIID riid, void **ppv)
{
    return inner_logon(iface)->lpVtbl->QueryInterface(inner_logon(iface), riid, ppv);
}
static ULONG STDMETHODCALLTYPE logon_AddRef(IMSLogon *iface)
{
    return (ULONG)InterlockedIncrement(&CONTAINING_RECORD(iface, struct crashing_logon, IMSLogon_iface)->refs);
}
static ULONG STDMETHODCALLTYPE logon_Release(IMSLogon *iface)
{
    struct crashing_logon *logon = CONTAINING_RECORD(iface, struct crashing_logon, IMSLogon_iface);
    LONG refs = InterlockedDecrement(&logon->refs);
    if (!refs) {
        logon->inner->lpVtbl->Release(logon->inner);
        HeapFree(GetProcessHeap(), 0, logon);
    }
    return (ULONG)refs;
}
static HRESULT STDMETHODCALLTYPE logon_GetLastError(IMSLogon *iface, HRESULT hr, ULONG flags, LPMAPIERROR *error)
{
    return inner_logon(iface)->lpVtbl->GetLastError(inner_logon(iface), hr, flags, error);
}
static HRESULT STDMETHODCALLTYPE logon_Logoff(IMSLogon *iface, ULONG *flags)
{
    (void)iface, (void)flags;
    *(volatile ULONG *)NULL = 0; /* the defect */
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE logon_OpenEntry(IMSLogon *iface, ULONG cb, LPENTRYID id, LPCIID iid, ULONG flags,
                                                 ULONG *type, LPUNKNOWN *unk)
{
    return inner_logon(iface)->lpVtbl->OpenEntry(inner_logon(iface), cb, id, iid, flags, type, unk);
}
static HRESULT STDMETHODCALLTYPE logon_CompareEntryIDs(IMSLogon *iface, ULONG cb1, LPENTRYID id1, ULONG cb2,
                                                       LPENTRYID id2, ULONG flags, ULONG *result)
{
    return inner_logon(iface)->lpVtbl->CompareEntryIDs(inner_logon(iface), cb1, id1, cb2, id2, flags, result);
}
static HRESULT STDMETHODCALLTYPE logon_Advise(IMSLogon *iface, ULONG cb, LPENTRYID id, ULONG mask,
                                              LPMAPIADVISESINK sink, ULONG_PTR *connection)
{
    return ABI_VTBL(IMSLogon, inner_logon(iface))->Advise(inner_logon(iface), cb, id, mask, sink, connection);
}
static HRESULT STDMETHODCALLTYPE logon_Unadvise(IMSLogon *iface, ULONG_PTR connection)
{
    return ABI_VTBL(IMSLogon, inner_logon(iface))->Unadvise(inner_logon(iface), connection);
}
static HRESULT STDMETHODCALLTYPE logon_OpenStatusEntry(IMSLogon *iface, LPCIID iid, ULONG flags, ULONG *type,
                                                       LPVOID *entry)
{
    return inner_logon(iface)->lpVtbl->OpenStatusEntry(inner_logon(iface), iid, flags, type, entry);
}

static const IMSLogonAbiVtbl crashing_logon_vtbl = {
    logon_QueryInterface,  logon_AddRef,  logon_Release,   logon_GetLastError,    logon_Logoff,
    logon_OpenEntry,       logon_CompareEntryIDs, logon_Advise, logon_Unadvise, logon_OpenStatusEntry,
};
#endif

#ifndef BROKEN_LOGON_FAILS
/* The defect, applied to a Logon msstore completed. */
static void break_logon(IMAPISupport *support, IMSLogon **logon)
{
#if defined(BROKEN_NEVER_RELEASES)
    (void)logon;
    support->lpVtbl->AddRef(support);
#elif defined(BROKEN_RELEASES_TWICE)
    (void)logon;
    support->lpVtbl->Release(support);
#elif defined(BROKEN_LOGOFF_CRASHES)
    struct crashing_logon *crashing = HeapAlloc(GetProcessHeap(), 0, sizeof(*crashing));
    (void)support;
    crashing->IMSLogon_iface.lpVtbl = ABI_AS_VTBL(IMSLogon, &crashing_logon_vtbl);
    crashing->refs = 1;
    crashing->inner = *logon;
    *logon = &crashing->IMSLogon_iface;
#endif
}
#endif

static HRESULT STDMETHODCALLTYPE provider_QueryInterface(IMSProvider *iface, REFIID riid, void **ppv)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMSProvider)) {
        *ppv = iface;
        iface->lpVtbl->AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE provider_AddRef(IMSProvider *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IMSProvider(iface)->refs);
}

static ULONG STDMETHODCALLTYPE provider_Release(IMSProvider *iface)
{
    struct wrapper *wrapper = impl_from_IMSProvider(iface);
    LONG refs = InterlockedDecrement(&wrapper->refs);
    if (!refs) {
        wrapper->inner->lpVtbl->Release(wrapper->inner);
        HeapFree(GetProcessHeap(), 0, wrapper);
    }
    return (ULONG)refs;
}

static HRESULT STDMETHODCALLTYPE provider_Shutdown(IMSProvider *iface, ULONG *flags)
{
    return INNER(iface)->lpVtbl->Shutdown(INNER(iface), flags);
}

static HRESULT STDMETHODCALLTYPE provider_Logon(IMSProvider *iface, LPMAPISUP support, ULONG_PTR ui, LPTSTR profile,
                                                ULONG cb, LPENTRYID id, ULONG flags, LPCIID iid, ULONG *cb_spool,
                                                LPBYTE *spool, LPMAPIERROR *error, LPMSLOGON *logon, LPMDB *store)
{
    HRESULT hr;
#ifdef BROKEN_LOGON_FAILS
    (void)iface, (void)support, (void)ui, (void)profile, (void)cb, (void)id, (void)flags, (void)iid;
    *cb_spool = 0;
    *spool = NULL;
    if (error) *error = NULL;
    *logon = NULL;
    *store = NULL;
    hr = MAPI_E_LOGON_FAILED;
#else
    hr = ABI_VTBL(IMSProvider, INNER(iface))
             ->Logon(INNER(iface), support, ui, profile, cb, id, flags, iid, cb_spool, spool, error, logon, store);
    if (SUCCEEDED(hr) && *logon) break_logon(support, logon);
#endif
    return hr;
}

static HRESULT STDMETHODCALLTYPE provider_SpoolerLogon(IMSProvider *iface, LPMAPISUP support, ULONG_PTR ui,
                                                       LPTSTR profile, ULONG cb, LPENTRYID id, ULONG flags, LPCIID iid,
                                                       ULONG cb_spool, LPBYTE spool, LPMAPIERROR *error,
                                                       LPMSLOGON *logon, LPMDB *store)
{
    return ABI_VTBL(IMSProvider, INNER(iface))
        ->SpoolerLogon(INNER(iface), support, ui, profile, cb, id, flags, iid, cb_spool, spool, error, logon, store);
}

static HRESULT STDMETHODCALLTYPE provider_CompareStoreIDs(IMSProvider *iface, ULONG cb1, LPENTRYID id1, ULONG cb2,
                                                          LPENTRYID id2, ULONG flags, ULONG *result)
{
    return INNER(iface)->lpVtbl->CompareStoreIDs(INNER(iface), cb1, id1, cb2, id2, flags, result);
}

static const IMSProviderAbiVtbl provider_vtbl = {
    provider_QueryInterface, provider_AddRef,       provider_Release,         provider_Shutdown,
    provider_Logon,          provider_SpoolerLogon, provider_CompareStoreIDs,
};

/* msstore32.dll from this DLL's own folder. */
static MSPROVIDERINIT *msstore_init(void)
{
    WCHAR path[MAX_PATH], *slash;
    HMODULE self, msstore;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)(void *)msstore_init, &self) ||
        !GetModuleFileNameW(self, path, MAX_PATH) || !(slash = wcsrchr(path, L'\\')))
        return NULL;
    lstrcpyW(slash + 1, L"msstore32.dll");
    if (!(msstore = LoadLibraryW(path))) return NULL; /* kept loaded: its objects may outlive the wrapper */
    return (MSPROVIDERINIT *)(void *)GetProcAddress(msstore, "MSProviderInit");
}

HRESULT __cdecl MSProviderInit(HINSTANCE hInstance, LPMALLOC lpMalloc, LPALLOCATEBUFFER lpAllocateBuffer,
                               LPALLOCATEMORE lpAllocateMore, LPFREEBUFFER lpFreeBuffer, ULONG ulFlags,
                               ULONG ulMAPIVer, ULONG *lpulProviderVer, LPMSPROVIDER *lppMSProvider)
{
    MSPROVIDERINIT *init = msstore_init();
    struct wrapper *wrapper;
    HRESULT hr;
    if (!init) return MAPI_E_CALL_FAILED;
    if (!(wrapper = HeapAlloc(GetProcessHeap(), 0, sizeof(*wrapper)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    hr = init(hInstance, lpMalloc, lpAllocateBuffer, lpAllocateMore, lpFreeBuffer, ulFlags, ulMAPIVer,
              lpulProviderVer, &wrapper->inner);
    if (FAILED(hr)) {
        HeapFree(GetProcessHeap(), 0, wrapper);
        return hr;
    }
    wrapper->IMSProvider_iface.lpVtbl = ABI_AS_VTBL(IMSProvider, &provider_vtbl);
    wrapper->refs = 1;
    *lppMSProvider = &wrapper->IMSProvider_iface;
    return S_OK;
}
