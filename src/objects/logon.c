#include "objects/logon.h"

#include "mapi/com.h"
#include "objects/folder.h"
#include "objects/status.h"

struct logon {
    IMSLogon IMSLogon_iface;
    LONG refs;
    struct open_store *os;
};

static inline struct logon *impl_from_IMSLogon(IMSLogon *iface)
{
    return CONTAINING_RECORD(iface, struct logon, IMSLogon_iface);
}

static inline struct open_store *logon_os(IMSLogon *iface) { return impl_from_IMSLogon(iface)->os; }

static HRESULT STDMETHODCALLTYPE logon_QueryInterface(IMSLogon *iface, REFIID riid, void **ppv)
{
    static const IID *const iids[] = {&IID_IMSLogon, NULL};
    return com_query_interface((IUnknown *)iface, iids, riid, ppv);
}

static ULONG STDMETHODCALLTYPE logon_AddRef(IMSLogon *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IMSLogon(iface)->refs);
}

/* D6: a logon released without a successful Logoff still tears down, so nothing leaks. */
static ULONG STDMETHODCALLTYPE logon_Release(IMSLogon *iface)
{
    struct logon *logon = impl_from_IMSLogon(iface);
    struct open_store *os = logon->os;
    struct mapi_allocators alloc = os->alloc;
    LONG refs = InterlockedDecrement(&logon->refs);
    if (refs) return (ULONG)refs;
    open_store_teardown(os);
    mapi_free(&alloc, logon);
    open_store_release(os);
    return 0;
}

static HRESULT STDMETHODCALLTYPE logon_GetLastError(IMSLogon *iface, HRESULT hResult,
                                                    ULONG ulFlags, LPMAPIERROR *lppMAPIError)
{
    return open_store_describe_error(logon_os(iface), hResult, ulFlags, lppMAPIError);
}

/*
 * D6: reserved flags pointing to zero, checked before anything happens; then
 * the teardown, which is a no-op when it already ran (a second Logoff, or the
 * Logoff MAPI makes from inside the support object's final Release).
 */
static HRESULT STDMETHODCALLTYPE logon_Logoff(IMSLogon *iface, ULONG *lpulFlags)
{
    if (!lpulFlags) return MAPI_E_INVALID_PARAMETER;
    if (*lpulFlags) return MAPI_E_UNKNOWN_FLAGS;
    open_store_teardown(logon_os(iface));
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE logon_OpenEntry(IMSLogon *iface, ULONG cbEntryID,
                                                 LPENTRYID lpEntryID, LPCIID lpInterface,
                                                 ULONG ulFlags, ULONG *lpulObjType,
                                                 LPUNKNOWN *lppUnk)
{
    return folder_open_entry(logon_os(iface), cbEntryID, lpEntryID, lpInterface, ulFlags,
                             lpulObjType, lppUnk);
}

static HRESULT STDMETHODCALLTYPE logon_CompareEntryIDs(IMSLogon *iface, ULONG cbEntryID1,
                                                       LPENTRYID lpEntryID1, ULONG cbEntryID2,
                                                       LPENTRYID lpEntryID2, ULONG ulFlags,
                                                       ULONG *lpulResult)
{
    return open_store_compare_entryids(logon_os(iface), cbEntryID1, lpEntryID1, cbEntryID2,
                                       lpEntryID2, ulFlags, lpulResult);
}

static HRESULT STDMETHODCALLTYPE logon_Advise(IMSLogon *iface, ULONG cbEntryID,
                                              LPENTRYID lpEntryID, ULONG ulEventMask,
                                              LPMAPIADVISESINK lpAdviseSink,
                                              ULONG_PTR *lpulConnection)
{
    return open_store_advise(logon_os(iface), NULL, cbEntryID, lpEntryID, ulEventMask, lpAdviseSink,
                             lpulConnection);
}

static HRESULT STDMETHODCALLTYPE logon_Unadvise(IMSLogon *iface, ULONG_PTR ulConnection)
{
    return open_store_unadvise(logon_os(iface), ulConnection);
}

static HRESULT STDMETHODCALLTYPE logon_OpenStatusEntry(IMSLogon *iface, LPCIID lpInterface,
                                                       ULONG ulFlags, ULONG *lpulObjType,
                                                       LPVOID *lppEntry)
{
    return status_open(logon_os(iface), lpInterface, ulFlags, lpulObjType, lppEntry);
}

static const IMSLogonAbiVtbl logon_vtbl = {
    logon_QueryInterface,  logon_AddRef,         logon_Release,
    logon_GetLastError,    logon_Logoff,         logon_OpenEntry,
    logon_CompareEntryIDs, logon_Advise,         logon_Unadvise,
    logon_OpenStatusEntry,
};

HRESULT logon_create(struct open_store *os, IMSLogon **out)
{
    struct logon *logon = mapi_alloc_zeroed(&os->alloc, sizeof(*logon));
    if (!logon) return MAPI_E_NOT_ENOUGH_MEMORY;
    logon->IMSLogon_iface.lpVtbl = ABI_AS_VTBL(IMSLogon, &logon_vtbl);
    logon->refs = 1;
    logon->os = os;
    open_store_addref(os);
    *out = &logon->IMSLogon_iface;
    return S_OK;
}
