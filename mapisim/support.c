/*
 * The IMAPISupport MAPI gives a store provider at Logon, reduced to what a
 * store provider can observe: counters for every method, a switch to make any
 * method fail, subscriptions with full-width (ULONG_PTR) connection numbers,
 * and MAPI's final Release, which logs the held IMSLogon off and releases it.
 */
#include "mapisim.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* MAPI's MUIDSTOREWRAP: the UID of the wrapper in every wrapped store entry ID. */
static const BYTE store_wrap_uid[16] = {0x38, 0xa1, 0xbb, 0x10, 0x05, 0xe5, 0x10, 0x1a,
                                        0xa1, 0xbb, 0x08, 0x00, 0x2b, 0x2a, 0x56, 0xc2};

/* Connection numbers use the upper half of a ULONG_PTR on x64, so a provider
 * that keeps them in a ULONG (MinGW-w64's width, D9) hands back a wrong one. */
#ifdef _WIN64
#define CONNECTION_BASE ((ULONG_PTR)0x5EED000000000000ull)
#else
#define CONNECTION_BASE ((ULONG_PTR)0x5EED0000u)
#endif

static inline struct mapisim_support *impl_from_IMAPISupport(IMAPISupport *iface)
{
    return CONTAINING_RECORD(iface, struct mapisim_support, IMAPISupport_iface);
}

/* Counts a call of method m and runs the hook; S_OK to carry it out, or the failure asked for. */
static HRESULT enter(IMAPISupport *iface, enum mapisim_method m)
{
    struct mapisim_support *s = impl_from_IMAPISupport(iface);
    InterlockedIncrement(&s->calls[m]);
    if (s->hook) s->hook(s, m);
    if (mapisim_fault_here(mapisim_method_name(m))) return MAPI_E_CALL_FAILED;
    return s->fail[m];
}

static void trace(struct mapisim_support *s, const char *format, ...)
{
    char line[512];
    va_list args;
    if (!s->trace) return;
    va_start(args, format);
    vsnprintf(line, sizeof(line), format, args);
    va_end(args);
    s->trace(s->trace_context, line);
}

/* Ends a call of m: traces "Method(arguments) -> result" and returns hr. */
static HRESULT done(IMAPISupport *iface, enum mapisim_method m, HRESULT hr, const char *format, ...)
{
    struct mapisim_support *s = impl_from_IMAPISupport(iface);
    char arguments[384] = "";
    va_list args;
    if (!s->trace) return hr;
    va_start(args, format);
    vsnprintf(arguments, sizeof(arguments), format, args);
    va_end(args);
    trace(s, "%s(%s) -> %s", mapisim_method_name(m), arguments, mapisim_hresult_name(hr));
    return hr;
}

/* A method a store provider has no business calling, or that mapisim leaves out. */
#define UNSUPPORTED(m)                                                                     \
    do {                                                                                   \
        HRESULT injected = enter(iface, MAPISIM_##m);                                      \
        return done(iface, MAPISIM_##m, FAILED(injected) ? injected : MAPI_E_NO_SUPPORT, ""); \
    } while (0)

static HRESULT STDMETHODCALLTYPE support_QueryInterface(IMAPISupport *iface, REFIID riid, void **ppv)
{
    if (!ppv) return E_INVALIDARG;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMAPISup)) {
        *ppv = iface;
        iface->lpVtbl->AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE support_AddRef(IMAPISupport *iface)
{
    struct mapisim_support *s = impl_from_IMAPISupport(iface);
    LONG refs = InterlockedIncrement(&s->refs);
    trace(s, "AddRef() -> %ld", (long)refs);
    return (ULONG)refs;
}

/*
 * MAPI's support Release: at zero it logs the store's IMSLogon off and
 * releases it, inside this call and on this thread (contract §7.5 step 3).
 */
static ULONG STDMETHODCALLTYPE support_Release(IMAPISupport *iface)
{
    struct mapisim_support *s = impl_from_IMAPISupport(iface);
    LONG refs = InterlockedDecrement(&s->refs);
    IMSLogon *logon;
    if (refs < 0) {
        InterlockedIncrement(&s->underflows);
        InterlockedIncrement(&s->refs);
        trace(s, "Release() -> one Release too many: the count was already 0");
        return 0;
    }
    trace(s, "Release() -> %ld", (long)refs);
    if (refs == 0 && (logon = mapisim_support_take_logon(s))) {
        ULONG zero = 0;
        InterlockedIncrement(&s->logoffs_in_release);
        trace(s, "  MAPI, inside that Release: IMSLogon::Logoff(&0), then IMSLogon::Release()");
        s->logoff_in_release_result = logon->lpVtbl->Logoff(logon, &zero);
        trace(s, "  IMSLogon::Logoff(&0) -> %s", mapisim_hresult_name(s->logoff_in_release_result));
        s->logon_release_result = logon->lpVtbl->Release(logon);
        trace(s, "  IMSLogon::Release() -> %lu", (unsigned long)s->logon_release_result);
    }
    return (ULONG)refs;
}

static HRESULT STDMETHODCALLTYPE support_GetLastError(IMAPISupport *iface, HRESULT hResult,
                                                      ULONG ulFlags, LPMAPIERROR *lppMAPIError)
{
    HRESULT hr = enter(iface, MAPISIM_GetLastError);
    (void)ulFlags;
    if (lppMAPIError) *lppMAPIError = NULL;
    return done(iface, MAPISIM_GetLastError, hr, "%s", mapisim_hresult_name(hResult));
}

static HRESULT STDMETHODCALLTYPE support_GetMemAllocRoutines(IMAPISupport *iface,
                                                             LPALLOCATEBUFFER *lpAllocateBuffer,
                                                             LPALLOCATEMORE *lpAllocateMore,
                                                             LPFREEBUFFER *lpFreeBuffer)
{
    HRESULT hr = enter(iface, MAPISIM_GetMemAllocRoutines);
    if (SUCCEEDED(hr)) {
        *lpAllocateBuffer = mapisim_AllocateBuffer;
        *lpAllocateMore = mapisim_AllocateMore;
        *lpFreeBuffer = mapisim_FreeBuffer;
    }
    return done(iface, MAPISIM_GetMemAllocRoutines, hr, "");
}

static HRESULT subscribe(struct mapisim_support *s, LPNOTIFKEY key, ULONG mask, LPMAPIADVISESINK sink,
                         ULONG_PTR *connection)
{
    struct mapisim_subscription *sub;
    if (!key || !sink || !connection || key->cb > sizeof(sub->key)) return MAPI_E_INVALID_PARAMETER;
    if (!(sub = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*sub)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    sub->event_mask = mask;
    sub->sink = sink;
    sub->key_size = key->cb;
    memcpy(sub->key, key->ab, key->cb);
    sink->lpVtbl->AddRef(sink);
    EnterCriticalSection(&s->lock);
    sub->connection = CONNECTION_BASE + ++s->last_connection;
    sub->next = s->subscriptions;
    s->subscriptions = sub;
    LeaveCriticalSection(&s->lock);
    *connection = sub->connection;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE support_Subscribe(IMAPISupport *iface, LPNOTIFKEY lpKey,
                                                   ULONG ulEventMask, ULONG ulFlags,
                                                   LPMAPIADVISESINK lpAdviseSink,
                                                   ULONG_PTR *lpulConnection)
{
    HRESULT hr = enter(iface, MAPISIM_Subscribe);
    (void)ulFlags;
    if (SUCCEEDED(hr)) hr = subscribe(impl_from_IMAPISupport(iface), lpKey, ulEventMask, lpAdviseSink, lpulConnection);
    return done(iface, MAPISIM_Subscribe, hr, "key %lu bytes, events 0x%lx; connection 0x%llx",
                lpKey ? (unsigned long)lpKey->cb : 0ul, (unsigned long)ulEventMask,
                (unsigned long long)(SUCCEEDED(hr) ? *lpulConnection : 0));
}

static HRESULT unsubscribe(struct mapisim_support *s, ULONG_PTR connection)
{
    struct mapisim_subscription **link, *found = NULL;
    EnterCriticalSection(&s->lock);
    for (link = &s->subscriptions; *link; link = &(*link)->next) {
        if ((*link)->connection == connection) {
            found = *link;
            *link = found->next;
            break;
        }
    }
    LeaveCriticalSection(&s->lock);
    if (!found) return MAPI_E_NOT_FOUND;
    found->sink->lpVtbl->Release(found->sink);
    HeapFree(GetProcessHeap(), 0, found);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE support_Unsubscribe(IMAPISupport *iface, ULONG_PTR ulConnection)
{
    HRESULT hr = enter(iface, MAPISIM_Unsubscribe);
    if (SUCCEEDED(hr)) hr = unsubscribe(impl_from_IMAPISupport(iface), ulConnection);
    return done(iface, MAPISIM_Unsubscribe, hr, "connection 0x%llx", (unsigned long long)ulConnection);
}

#define MAX_NOTIFIED_SINKS 64

/* Whether a subscription wants one of the notifications: same key, an event in its mask. */
static BOOL wants(const struct mapisim_subscription *sub, const NOTIFKEY *key, ULONG count,
                  const NOTIFICATION *notifications)
{
    ULONG i;
    if (sub->key_size != key->cb || memcmp(sub->key, key->ab, key->cb)) return FALSE;
    for (i = 0; i < count; i++)
        if (sub->event_mask & notifications[i].ulEventType) return TRUE;
    return FALSE;
}

/* MAPI's dispatch: every sink subscribed to the key for one of the events gets OnNotify, outside the lock. */
static HRESULT notify(struct mapisim_support *s, LPNOTIFKEY key, ULONG count, LPNOTIFICATION notifications)
{
    IMAPIAdviseSink *sinks[MAX_NOTIFIED_SINKS];
    struct mapisim_subscription *sub;
    ULONG n = 0, i;
    if (!key || !count || !notifications) return MAPI_E_INVALID_PARAMETER;
    EnterCriticalSection(&s->lock);
    for (sub = s->subscriptions; sub && n < MAX_NOTIFIED_SINKS; sub = sub->next) {
        if (!wants(sub, key, count, notifications)) continue;
        sub->sink->lpVtbl->AddRef(sub->sink);
        sinks[n++] = sub->sink;
    }
    LeaveCriticalSection(&s->lock);
    for (i = 0; i < n; i++) {
        sinks[i]->lpVtbl->OnNotify(sinks[i], count, notifications);
        sinks[i]->lpVtbl->Release(sinks[i]);
    }
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE support_Notify(IMAPISupport *iface, LPNOTIFKEY lpKey,
                                                ULONG cNotification,
                                                LPNOTIFICATION lpNotifications, ULONG *lpulFlags)
{
    HRESULT hr = enter(iface, MAPISIM_Notify);
    if (lpulFlags) *lpulFlags = 0;
    if (SUCCEEDED(hr)) hr = notify(impl_from_IMAPISupport(iface), lpKey, cNotification, lpNotifications);
    return done(iface, MAPISIM_Notify, hr, "%lu notification(s)", (unsigned long)cNotification);
}

/* The status row: replaced by each call, or updated with STATUSROW_UPDATE. */
/* The status row: replaced by each call, or updated with STATUSROW_UPDATE. */
static HRESULT STDMETHODCALLTYPE support_ModifyStatusRow(IMAPISupport *iface, ULONG cValues,
                                                         LPSPropValue lpColumnVals, ULONG ulFlags)
{
    struct mapisim_support *s = impl_from_IMAPISupport(iface);
    HRESULT hr = enter(iface, MAPISIM_ModifyStatusRow);
    if (SUCCEEDED(hr) && (!lpColumnVals || ulFlags & ~STATUSROW_UPDATE)) hr = MAPI_E_INVALID_PARAMETER;
    if (SUCCEEDED(hr)) {
        if (!(ulFlags & STATUSROW_UPDATE)) {
            mapisim_propbag_cleanup(&s->status_row);
            mapisim_propbag_init(&s->status_row);
        }
        hr = mapisim_propbag_set(&s->status_row, cValues, lpColumnVals);
    }
    return done(iface, MAPISIM_ModifyStatusRow, hr, "%lu columns%s", (unsigned long)cValues,
                ulFlags & STATUSROW_UPDATE ? ", STATUSROW_UPDATE" : "");
}

/* The provider's own section (NULL UID); mapisim keeps no other. */
/* The provider's own section (NULL UID); mapisim keeps no other. */
static HRESULT STDMETHODCALLTYPE support_OpenProfileSection(IMAPISupport *iface, LPMAPIUID lpUid,
                                                            ULONG ulFlags,
                                                            LPPROFSECT *lppProfileObj)
{
    struct mapisim_support *s = impl_from_IMAPISupport(iface);
    HRESULT hr = enter(iface, MAPISIM_OpenProfileSection);
    if (lppProfileObj) *lppProfileObj = NULL;
    if (SUCCEEDED(hr) && !lppProfileObj) hr = MAPI_E_INVALID_PARAMETER;
    if (SUCCEEDED(hr) && lpUid) hr = MAPI_E_NOT_FOUND;
    if (SUCCEEDED(hr)) {
        s->profile.IMAPIProp_iface.lpVtbl->AddRef(&s->profile.IMAPIProp_iface);
        *lppProfileObj = (LPPROFSECT)&s->profile.IMAPIProp_iface;
    }
    return done(iface, MAPISIM_OpenProfileSection, hr, "%s%s", lpUid ? "a UID" : "NULL",
                ulFlags & MAPI_MODIFY ? ", MAPI_MODIFY" : "");
}

static HRESULT STDMETHODCALLTYPE support_RegisterPreprocessor(IMAPISupport *iface, LPMAPIUID lpMuid,
                                                              LPTSTR lpszAdrType,
                                                              LPTSTR lpszDLLName,
                                                              LPSTR lpszPreprocess,
                                                              LPSTR lpszRemovePreprocessInfo,
                                                              ULONG ulFlags)
{
    (void)lpMuid, (void)lpszAdrType, (void)lpszDLLName, (void)lpszPreprocess;
    (void)lpszRemovePreprocessInfo, (void)ulFlags;
    UNSUPPORTED(RegisterPreprocessor);
}

/* A UID unique in this process: "mapisim uid" and a counter. */
/* A UID unique in this process: "mapisim uid" and a counter. */
static HRESULT STDMETHODCALLTYPE support_NewUID(IMAPISupport *iface, LPMAPIUID lpMuid)
{
    static LONG counter;
    HRESULT hr = enter(iface, MAPISIM_NewUID);
    if (SUCCEEDED(hr) && !lpMuid) hr = MAPI_E_INVALID_PARAMETER;
    if (SUCCEEDED(hr)) {
        LONG n = InterlockedIncrement(&counter);
        memcpy(lpMuid->ab, "mapisim uid:", 12);
        memcpy(lpMuid->ab + 12, &n, sizeof(n));
    }
    return done(iface, MAPISIM_NewUID, hr, "");
}

static HRESULT STDMETHODCALLTYPE support_MakeInvalid(IMAPISupport *iface, ULONG ulFlags,
                                                     LPVOID lpObject, ULONG ulRefCount,
                                                     ULONG cMethods)
{
    (void)ulFlags, (void)lpObject, (void)ulRefCount, (void)cMethods;
    UNSUPPORTED(MakeInvalid);
}

static HRESULT STDMETHODCALLTYPE support_SpoolerYield(IMAPISupport *iface, ULONG ulFlags)
{
    (void)ulFlags;
    UNSUPPORTED(SpoolerYield);
}

static HRESULT STDMETHODCALLTYPE support_SpoolerNotify(IMAPISupport *iface, ULONG ulFlags,
                                                       LPVOID lpvData)
{
    (void)ulFlags, (void)lpvData;
    UNSUPPORTED(SpoolerNotify);
}

static HRESULT STDMETHODCALLTYPE support_CreateOneOff(IMAPISupport *iface, LPTSTR lpszName,
                                                      LPTSTR lpszAdrType, LPTSTR lpszAddress,
                                                      ULONG ulFlags, ULONG *lpcbEntryID,
                                                      LPENTRYID *lppEntryID)
{
    (void)lpszName, (void)lpszAdrType, (void)lpszAddress, (void)ulFlags;
    (void)lpcbEntryID, (void)lppEntryID;
    UNSUPPORTED(CreateOneOff);
}

static HRESULT STDMETHODCALLTYPE support_SetProviderUID(IMAPISupport *iface,
                                                        LPMAPIUID lpProviderID, ULONG ulFlags)
{
    struct mapisim_support *s = impl_from_IMAPISupport(iface);
    HRESULT hr = enter(iface, MAPISIM_SetProviderUID);
    if (SUCCEEDED(hr) && (!lpProviderID || ulFlags)) hr = MAPI_E_INVALID_PARAMETER;
    if (SUCCEEDED(hr)) {
        EnterCriticalSection(&s->lock);
        if (s->uid_count < MAPISIM_MAX_UIDS) s->uids[s->uid_count++] = *lpProviderID;
        LeaveCriticalSection(&s->lock);
    }
    return done(iface, MAPISIM_SetProviderUID, hr, "uid %02x%02x%02x%02x..., %lu",
                lpProviderID ? lpProviderID->ab[0] : 0, lpProviderID ? lpProviderID->ab[1] : 0,
                lpProviderID ? lpProviderID->ab[2] : 0, lpProviderID ? lpProviderID->ab[3] : 0,
                (unsigned long)ulFlags);
}

static HRESULT STDMETHODCALLTYPE support_CompareEntryIDs(IMAPISupport *iface, ULONG cbEntry1,
                                                         LPENTRYID lpEntry1, ULONG cbEntry2,
                                                         LPENTRYID lpEntry2,
                                                         ULONG ulCompareFlags, ULONG *lpulResult)
{
    (void)cbEntry1, (void)lpEntry1, (void)cbEntry2, (void)lpEntry2, (void)ulCompareFlags;
    (void)lpulResult;
    UNSUPPORTED(CompareEntryIDs);
}

static HRESULT STDMETHODCALLTYPE support_OpenTemplateID(IMAPISupport *iface, ULONG cbTemplateID,
                                                        LPENTRYID lpTemplateID,
                                                        ULONG ulTemplateFlags,
                                                        LPMAPIPROP lpMAPIPropData,
                                                        LPCIID lpInterface,
                                                        LPMAPIPROP *lppMAPIPropNew,
                                                        LPMAPIPROP lpMAPIPropSibling)
{
    (void)cbTemplateID, (void)lpTemplateID, (void)ulTemplateFlags, (void)lpMAPIPropData;
    (void)lpInterface, (void)lppMAPIPropNew, (void)lpMAPIPropSibling;
    UNSUPPORTED(OpenTemplateID);
}

static HRESULT STDMETHODCALLTYPE support_OpenEntry(IMAPISupport *iface, ULONG cbEntryID,
                                                   LPENTRYID lpEntryID, LPCIID lpInterface,
                                                   ULONG ulOpenFlags, ULONG *lpulObjType,
                                                   LPUNKNOWN *lppUnk)
{
    (void)cbEntryID, (void)lpEntryID, (void)lpInterface, (void)ulOpenFlags;
    (void)lpulObjType, (void)lppUnk;
    UNSUPPORTED(OpenEntry);
}

static HRESULT STDMETHODCALLTYPE support_GetOneOffTable(IMAPISupport *iface, ULONG ulFlags,
                                                        LPMAPITABLE *lppTable)
{
    (void)ulFlags, (void)lppTable;
    UNSUPPORTED(GetOneOffTable);
}

static HRESULT STDMETHODCALLTYPE support_Address(IMAPISupport *iface, ULONG_PTR *lpulUIParam,
                                                 LPADRPARM lpAdrParms, LPADRLIST *lppAdrList)
{
    (void)lpulUIParam, (void)lpAdrParms, (void)lppAdrList;
    UNSUPPORTED(Address);
}

static HRESULT STDMETHODCALLTYPE support_Details(IMAPISupport *iface, ULONG_PTR *lpulUIParam,
                                                 LPFNDISMISS_ABI lpfnDismiss,
                                                 LPVOID lpvDismissContext, ULONG cbEntryID,
                                                 LPENTRYID lpEntryID,
                                                 LPFNBUTTON_ABI lpfButtonCallback,
                                                 LPVOID lpvButtonContext,
                                                 LPTSTR lpszButtonText, ULONG ulFlags)
{
    (void)lpulUIParam, (void)lpfnDismiss, (void)lpvDismissContext, (void)cbEntryID;
    (void)lpEntryID, (void)lpfButtonCallback, (void)lpvButtonContext, (void)lpszButtonText;
    (void)ulFlags;
    UNSUPPORTED(Details);
}

static HRESULT STDMETHODCALLTYPE support_NewEntry(IMAPISupport *iface, ULONG_PTR ulUIParam,
                                                  ULONG ulFlags, ULONG cbEIDContainer,
                                                  LPENTRYID lpEIDContainer,
                                                  ULONG cbEIDNewEntryTpl,
                                                  LPENTRYID lpEIDNewEntryTpl,
                                                  ULONG *lpcbEIDNewEntry,
                                                  LPENTRYID *lppEIDNewEntry)
{
    (void)ulUIParam, (void)ulFlags, (void)cbEIDContainer, (void)lpEIDContainer;
    (void)cbEIDNewEntryTpl, (void)lpEIDNewEntryTpl, (void)lpcbEIDNewEntry, (void)lppEIDNewEntry;
    UNSUPPORTED(NewEntry);
}

static HRESULT STDMETHODCALLTYPE support_DoConfigPropsheet(IMAPISupport *iface,
                                                           ULONG_PTR ulUIParam, ULONG ulFlags,
                                                           LPTSTR lpszTitle,
                                                           LPMAPITABLE lpDisplayTable,
                                                           LPMAPIPROP lpConfigData,
                                                           ULONG ulTopPage)
{
    (void)ulUIParam, (void)ulFlags, (void)lpszTitle, (void)lpDisplayTable, (void)lpConfigData;
    (void)ulTopPage;
    UNSUPPORTED(DoConfigPropsheet);
}

static HRESULT STDMETHODCALLTYPE support_CopyMessages(IMAPISupport *iface, LPCIID lpSrcInterface,
                                                      LPVOID lpSrcFolder, LPENTRYLIST lpMsgList,
                                                      LPCIID lpDestInterface,
                                                      LPVOID lpDestFolder, ULONG_PTR ulUIParam,
                                                      LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    (void)lpSrcInterface, (void)lpSrcFolder, (void)lpMsgList, (void)lpDestInterface;
    (void)lpDestFolder, (void)ulUIParam, (void)lpProgress, (void)ulFlags;
    UNSUPPORTED(CopyMessages);
}

static HRESULT STDMETHODCALLTYPE support_CopyFolder(IMAPISupport *iface, LPCIID lpSrcInterface,
                                                    LPVOID lpSrcFolder, ULONG cbEntryID,
                                                    LPENTRYID lpEntryID, LPCIID lpDestInterface,
                                                    LPVOID lpDestFolder,
                                                    LPTSTR lpszNewFolderName,
                                                    ULONG_PTR ulUIParam,
                                                    LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    (void)lpSrcInterface, (void)lpSrcFolder, (void)cbEntryID, (void)lpEntryID;
    (void)lpDestInterface, (void)lpDestFolder, (void)lpszNewFolderName, (void)ulUIParam;
    (void)lpProgress, (void)ulFlags;
    UNSUPPORTED(CopyFolder);
}

static HRESULT STDMETHODCALLTYPE support_DoCopyTo(IMAPISupport *iface, LPCIID lpSrcInterface,
                                                  LPVOID lpSrcObj, ULONG ciidExclude,
                                                  LPCIID rgiidExclude,
                                                  LPSPropTagArray lpExcludeProps,
                                                  ULONG_PTR ulUIParam,
                                                  LPMAPIPROGRESS lpProgress,
                                                  LPCIID lpDestInterface, LPVOID lpDestObj,
                                                  ULONG ulFlags,
                                                  LPSPropProblemArray *lppProblems)
{
    (void)lpSrcInterface, (void)lpSrcObj, (void)ciidExclude, (void)rgiidExclude;
    (void)lpExcludeProps, (void)ulUIParam, (void)lpProgress, (void)lpDestInterface;
    (void)lpDestObj, (void)ulFlags, (void)lppProblems;
    UNSUPPORTED(DoCopyTo);
}

static HRESULT STDMETHODCALLTYPE support_DoCopyProps(IMAPISupport *iface, LPCIID lpSrcInterface,
                                                     LPVOID lpSrcObj,
                                                     LPSPropTagArray lpIncludeProps,
                                                     ULONG_PTR ulUIParam,
                                                     LPMAPIPROGRESS lpProgress,
                                                     LPCIID lpDestInterface, LPVOID lpDestObj,
                                                     ULONG ulFlags,
                                                     LPSPropProblemArray *lppProblems)
{
    (void)lpSrcInterface, (void)lpSrcObj, (void)lpIncludeProps, (void)ulUIParam;
    (void)lpProgress, (void)lpDestInterface, (void)lpDestObj, (void)ulFlags, (void)lppProblems;
    UNSUPPORTED(DoCopyProps);
}

static HRESULT STDMETHODCALLTYPE support_DoProgressDialog(IMAPISupport *iface, ULONG_PTR ulUIParam,
                                                          ULONG ulFlags,
                                                          LPMAPIPROGRESS *lppProgress)
{
    (void)ulUIParam, (void)ulFlags, (void)lppProgress;
    UNSUPPORTED(DoProgressDialog);
}

static HRESULT STDMETHODCALLTYPE support_ReadReceipt(IMAPISupport *iface, ULONG ulFlags,
                                                     LPMESSAGE lpReadMessage,
                                                     LPMESSAGE *lppEmptyMessage)
{
    (void)ulFlags, (void)lpReadMessage, (void)lppEmptyMessage;
    UNSUPPORTED(ReadReceipt);
}

static HRESULT STDMETHODCALLTYPE support_PrepareSubmit(IMAPISupport *iface, LPMESSAGE lpMessage,
                                                       ULONG *lpulFlags)
{
    (void)lpMessage, (void)lpulFlags;
    UNSUPPORTED(PrepareSubmit);
}

static HRESULT STDMETHODCALLTYPE support_ExpandRecips(IMAPISupport *iface, LPMESSAGE lpMessage,
                                                      ULONG *lpulFlags)
{
    (void)lpMessage, (void)lpulFlags;
    UNSUPPORTED(ExpandRecips);
}

static HRESULT STDMETHODCALLTYPE support_UpdatePAB(IMAPISupport *iface, ULONG ulFlags,
                                                   LPMESSAGE lpMessage)
{
    (void)ulFlags, (void)lpMessage;
    UNSUPPORTED(UpdatePAB);
}

static HRESULT STDMETHODCALLTYPE support_DoSentMail(IMAPISupport *iface, ULONG ulFlags,
                                                    LPMESSAGE lpMessage)
{
    (void)ulFlags, (void)lpMessage;
    UNSUPPORTED(DoSentMail);
}

static HRESULT STDMETHODCALLTYPE support_OpenAddressBook(IMAPISupport *iface, LPCIID lpInterface,
                                                         ULONG ulFlags, LPADRBOOK *lppAdrBook)
{
    (void)lpInterface, (void)ulFlags, (void)lppAdrBook;
    UNSUPPORTED(OpenAddressBook);
}

static HRESULT STDMETHODCALLTYPE support_Preprocess(IMAPISupport *iface, ULONG ulFlags,
                                                    ULONG cbEntryID, LPENTRYID lpEntryID)
{
    (void)ulFlags, (void)cbEntryID, (void)lpEntryID;
    UNSUPPORTED(Preprocess);
}

static HRESULT STDMETHODCALLTYPE support_CompleteMsg(IMAPISupport *iface, ULONG ulFlags,
                                                     ULONG cbEntryID, LPENTRYID lpEntryID)
{
    (void)ulFlags, (void)cbEntryID, (void)lpEntryID;
    UNSUPPORTED(CompleteMsg);
}

static HRESULT STDMETHODCALLTYPE support_StoreLogoffTransports(IMAPISupport *iface,
                                                               ULONG *lpulFlags)
{
    struct mapisim_support *s = impl_from_IMAPISupport(iface);
    HRESULT hr = enter(iface, MAPISIM_StoreLogoffTransports);
    char flags[128] = "NULL";
    if (lpulFlags) mapisim_format_flags(flags, sizeof(flags), *lpulFlags, mapisim_logoff_flags);
    if (SUCCEEDED(hr) && !lpulFlags) hr = MAPI_E_INVALID_PARAMETER;
    if (SUCCEEDED(hr)) {
        s->logoff_transports_flags = *lpulFlags;
        *lpulFlags = LOGOFF_COMPLETE; /* no transport is busy with this store */
    }
    return done(iface, MAPISIM_StoreLogoffTransports, hr, "%s", flags);
}

static HRESULT STDMETHODCALLTYPE support_StatusRecips(IMAPISupport *iface, LPMESSAGE lpMessage,
                                                      LPADRLIST lpRecipList)
{
    (void)lpMessage, (void)lpRecipList;
    UNSUPPORTED(StatusRecips);
}

/* flags(4) + MUIDSTOREWRAP(16) + version(1) + flag(1) + DLL name + NUL + the provider's ID. */
#define WRAP_HEADER_SIZE 22

const ENTRYID *mapisim_unwrap_store_entryid(ULONG cbWrapped, const ENTRYID *wrapped, ULONG *cbEntryID)
{
    const BYTE *bytes = (const BYTE *)wrapped;
    const BYTE *name_end;
    if (!wrapped || cbWrapped <= WRAP_HEADER_SIZE ||
        memcmp(bytes + 4, store_wrap_uid, sizeof(store_wrap_uid)) != 0)
        return NULL;
    name_end = memchr(bytes + WRAP_HEADER_SIZE, 0, cbWrapped - WRAP_HEADER_SIZE);
    if (!name_end || name_end + 1 >= bytes + cbWrapped) return NULL;
    *cbEntryID = (ULONG)(bytes + cbWrapped - (name_end + 1));
    return (const ENTRYID *)(name_end + 1);
}

static HRESULT wrap(struct mapisim_support *s, ULONG cbOrigEntry, LPENTRYID lpOrigEntry, ULONG *lpcbWrappedEntry,
                    LPENTRYID *lppWrappedEntry)
{
    size_t name = strlen(s->dll_name) + 1;
    ULONG size;
    BYTE *out;
    HRESULT hr;
    if (!cbOrigEntry || !lpOrigEntry || !lpcbWrappedEntry || !lppWrappedEntry) return MAPI_E_INVALID_PARAMETER;
    size = (ULONG)(WRAP_HEADER_SIZE + name) + cbOrigEntry;
    if (FAILED(hr = mapisim_AllocateBuffer(size, (void **)&out))) return hr;
    memset(out, 0, WRAP_HEADER_SIZE);
    memcpy(out + 4, store_wrap_uid, sizeof(store_wrap_uid));
    memcpy(out + WRAP_HEADER_SIZE, s->dll_name, name);
    memcpy(out + WRAP_HEADER_SIZE + name, lpOrigEntry, cbOrigEntry);
    *lpcbWrappedEntry = size;
    *lppWrappedEntry = (LPENTRYID)out;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE support_WrapStoreEntryID(IMAPISupport *iface, ULONG cbOrigEntry,
                                                          LPENTRYID lpOrigEntry,
                                                          ULONG *lpcbWrappedEntry,
                                                          LPENTRYID *lppWrappedEntry)
{
    HRESULT hr = enter(iface, MAPISIM_WrapStoreEntryID);
    if (SUCCEEDED(hr))
        hr = wrap(impl_from_IMAPISupport(iface), cbOrigEntry, lpOrigEntry, lpcbWrappedEntry, lppWrappedEntry);
    return done(iface, MAPISIM_WrapStoreEntryID, hr, "%lu bytes", (unsigned long)cbOrigEntry);
}

static HRESULT STDMETHODCALLTYPE support_ModifyProfile(IMAPISupport *iface, ULONG ulFlags)
{
    return done(iface, MAPISIM_ModifyProfile, enter(iface, MAPISIM_ModifyProfile), "%lu", (unsigned long)ulFlags);
}

static HRESULT STDMETHODCALLTYPE support_IStorageFromStream(IMAPISupport *iface, LPUNKNOWN lpUnkIn,
                                                            LPCIID lpInterface, ULONG ulFlags,
                                                            LPSTORAGE *lppStorageOut)
{
    (void)lpUnkIn, (void)lpInterface, (void)ulFlags, (void)lppStorageOut;
    UNSUPPORTED(IStorageFromStream);
}

static HRESULT STDMETHODCALLTYPE support_GetSvcConfigSupportObj(IMAPISupport *iface, ULONG ulFlags,
                                                                LPMAPISUP *lppSvcSupport)
{
    (void)ulFlags;
    if (lppSvcSupport) *lppSvcSupport = NULL;
    UNSUPPORTED(GetSvcConfigSupportObj);
}

static const IMAPISupportAbiVtbl support_vtbl = {
    support_QueryInterface,
    support_AddRef,
    support_Release,
    support_GetLastError,
    support_GetMemAllocRoutines,
    support_Subscribe,
    support_Unsubscribe,
    support_Notify,
    support_ModifyStatusRow,
    support_OpenProfileSection,
    support_RegisterPreprocessor,
    support_NewUID,
    support_MakeInvalid,
    support_SpoolerYield,
    support_SpoolerNotify,
    support_CreateOneOff,
    support_SetProviderUID,
    support_CompareEntryIDs,
    support_OpenTemplateID,
    support_OpenEntry,
    support_GetOneOffTable,
    support_Address,
    support_Details,
    support_NewEntry,
    support_DoConfigPropsheet,
    support_CopyMessages,
    support_CopyFolder,
    support_DoCopyTo,
    support_DoCopyProps,
    support_DoProgressDialog,
    support_ReadReceipt,
    support_PrepareSubmit,
    support_ExpandRecips,
    support_UpdatePAB,
    support_DoSentMail,
    support_OpenAddressBook,
    support_Preprocess,
    support_CompleteMsg,
    support_StoreLogoffTransports,
    support_StatusRecips,
    support_WrapStoreEntryID,
    support_ModifyProfile,
    support_IStorageFromStream,
    support_GetSvcConfigSupportObj,
};

void mapisim_scratch_store_path(WCHAR path[MAX_PATH])
{
    static LONG counter;
    WCHAR folder[MAX_PATH];
    DWORD length = GetTempPathW(MAX_PATH - 32, folder);
    if (!length || length >= MAX_PATH - 32) wcscpy(folder, L".\\");
    wcscat(folder, L"mapisim");
    CreateDirectoryW(folder, NULL);
    swprintf(path, MAX_PATH, L"%ls\\%lu-%ld.msstore", folder, (unsigned long)GetCurrentProcessId(),
             (long)InterlockedIncrement(&counter));
    mapisim_remove_store(path); /* a leftover of an earlier process with the same id */
}

void mapisim_remove_store(const WCHAR *path)
{
    static const WCHAR *const companions[] = {L"", L"-wal", L"-shm", L"-journal"};
    WCHAR name[MAX_PATH + 16];
    size_t i;
    for (i = 0; i < ARRAYSIZE(companions); i++) {
        swprintf(name, ARRAYSIZE(name), L"%ls%ls", path, companions[i]);
        DeleteFileW(name);
    }
}

void mapisim_support_use_store(struct mapisim_support *support, const WCHAR *path)
{
    SPropValue value;
    value.ulPropTag = MAPISIM_STORE_PATH_PROP;
    value.dwAlignPad = 0;
    value.Value.lpszW = (WCHAR *)path;
    mapisim_propbag_set(&support->profile, 1, &value);
}

void mapisim_support_init(struct mapisim_support *support)
{
    memset(support, 0, sizeof(*support));
    support->IMAPISupport_iface.lpVtbl = ABI_AS_VTBL(IMAPISupport, &support_vtbl);
    support->refs = 1;
    support->dll_name = "msstore.dll";
    InitializeCriticalSection(&support->lock);
    mapisim_propbag_init(&support->profile);
    mapisim_propbag_init(&support->status_row);
    mapisim_scratch_store_path(support->scratch_store);
    mapisim_support_use_store(support, support->scratch_store);
}

ULONG mapisim_support_cleanup(struct mapisim_support *support)
{
    ULONG leftover = 0;
    while (support->subscriptions) {
        struct mapisim_subscription *sub = support->subscriptions;
        support->subscriptions = sub->next;
        sub->sink->lpVtbl->Release(sub->sink);
        HeapFree(GetProcessHeap(), 0, sub);
        leftover++;
    }
    mapisim_propbag_cleanup(&support->profile);
    mapisim_propbag_cleanup(&support->status_row);
    DeleteCriticalSection(&support->lock);
    mapisim_remove_store(support->scratch_store);
    return leftover;
}

void mapisim_support_release_own(struct mapisim_support *support)
{
    void (*trace_call)(void *, const char *) = support->trace;
    LONG refs;
    support->trace = NULL; /* MAPI's own reference: not a call the provider made */
    refs = (LONG)support->IMAPISupport_iface.lpVtbl->Release(&support->IMAPISupport_iface);
    support->trace = trace_call;
    trace(support, "(MAPI drops its own reference: %ld left, the provider's)", (long)refs);
}

void mapisim_support_hold_logon(struct mapisim_support *support, IMSLogon *logon)
{
    InterlockedExchangePointer((void **)&support->logon, logon);
}

IMSLogon *mapisim_support_take_logon(struct mapisim_support *support)
{
    return InterlockedExchangePointer((void **)&support->logon, NULL);
}

ULONG mapisim_support_subscription_count(struct mapisim_support *support)
{
    struct mapisim_subscription *sub;
    ULONG n = 0;
    EnterCriticalSection(&support->lock);
    for (sub = support->subscriptions; sub; sub = sub->next) n++;
    LeaveCriticalSection(&support->lock);
    return n;
}
