#include "objects/store.h"

#include "mapi/com.h"
#include "model/model.h"
#include "objects/folder.h"
#include "objects/prop_object.h"
#include "table/table.h"

#include <string.h>

struct store {
    IMsgStore IMsgStore_iface;
    LONG refs;
    struct prop_object prop;
};

static const ULONG receive_folder_columns[] = {PR_MESSAGE_CLASS_W, PR_ENTRYID, PR_RECORD_KEY,
                                               PR_INSTANCE_KEY};

static inline struct store *impl_from_IMsgStore(IMsgStore *iface)
{
    return CONTAINING_RECORD(iface, struct store, IMsgStore_iface);
}

static inline struct open_store *store_os(IMsgStore *iface)
{
    return impl_from_IMsgStore(iface)->prop.os;
}

IMsgStore *store_reopen(struct store *store)
{
    LONG refs = store->refs;
    while (refs > 0) { /* never resurrect a store whose count already reached zero */
        LONG seen = InterlockedCompareExchange(&store->refs, refs + 1, refs);
        if (seen == refs) return &store->IMsgStore_iface;
        refs = seen;
    }
    return NULL;
}

static HRESULT STDMETHODCALLTYPE store_QueryInterface(IMsgStore *iface, REFIID riid, void **ppv)
{
    static const IID *const iids[] = {&IID_IMsgStore, &IID_IMAPIProp, NULL};
    return com_query_interface((IUnknown *)iface, iids, riid, ppv);
}

static ULONG STDMETHODCALLTYPE store_AddRef(IMsgStore *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IMsgStore(iface)->refs);
}

/* D5: the last client reference ends the store; its memory goes with the open store. */
static ULONG STDMETHODCALLTYPE store_Release(IMsgStore *iface)
{
    struct open_store *os = store_os(iface);
    LONG refs = InterlockedDecrement(&impl_from_IMsgStore(iface)->refs);
    if (refs) return (ULONG)refs;
    open_store_teardown(os);
    open_store_release(os);
    return 0;
}

static HRESULT read_store(struct prop_object *object, struct prop_list *out)
{
    return model_store_props(object->os->model, out);
}

/* The store's own properties are its identity and special folders: nothing a client sets. */
static const struct prop_object_ops store_prop_ops = {read_store, NULL, NULL, MAPI_E_NO_SUPPORT, NULL, NULL, NULL, NULL};

PROP_OBJECT_METHODS(store, IMsgStore, struct store, prop)

static HRESULT STDMETHODCALLTYPE store_OpenProperty(IMsgStore *iface, ULONG ulPropTag,
                                                    LPCIID lpiid, ULONG ulInterfaceOptions,
                                                    ULONG ulFlags, LPUNKNOWN *lppUnk)
{
    (void)ulPropTag, (void)lpiid, (void)ulInterfaceOptions, (void)ulFlags;
    if (lppUnk) *lppUnk = NULL;
    return open_store_refuse(store_os(iface), MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE store_Advise(IMsgStore *iface, ULONG cbEntryID,
                                              LPENTRYID lpEntryID, ULONG ulEventMask,
                                              LPMAPIADVISESINK lpAdviseSink,
                                              ULONG_PTR *lpulConnection)
{
    return open_store_advise(store_os(iface), NULL, cbEntryID, lpEntryID, ulEventMask, lpAdviseSink,
                             lpulConnection);
}

static HRESULT STDMETHODCALLTYPE store_Unadvise(IMsgStore *iface, ULONG_PTR ulConnection)
{
    return open_store_unadvise(store_os(iface), ulConnection);
}

static HRESULT STDMETHODCALLTYPE store_CompareEntryIDs(IMsgStore *iface, ULONG cbEntryID1,
                                                       LPENTRYID lpEntryID1, ULONG cbEntryID2,
                                                       LPENTRYID lpEntryID2, ULONG ulFlags,
                                                       ULONG *lpulResult)
{
    return open_store_compare_entryids(store_os(iface), cbEntryID1, lpEntryID1, cbEntryID2,
                                       lpEntryID2, ulFlags, lpulResult);
}

static HRESULT STDMETHODCALLTYPE store_OpenEntry(IMsgStore *iface, ULONG cbEntryID,
                                                 LPENTRYID lpEntryID, LPCIID lpInterface,
                                                 ULONG ulFlags, ULONG *lpulObjType,
                                                 LPUNKNOWN *lppUnk)
{
    return folder_open_entry(store_os(iface), cbEntryID, lpEntryID, lpInterface, ulFlags,
                             lpulObjType, lppUnk);
}

/* A client's message class, wide; NULL is "", the default class. */
static HRESULT widen_message_class(LPTSTR message_class, ULONG flags, WCHAR wide[MODEL_CLASS_MAX + 1])
{
    if (!message_class) {
        wide[0] = 0;
    } else if (flags & MAPI_UNICODE) {
        size_t length = wcsnlen((const WCHAR *)message_class, MODEL_CLASS_MAX + 1);
        if (length > MODEL_CLASS_MAX) return MAPI_E_INVALID_PARAMETER;
        memcpy(wide, message_class, (length + 1) * sizeof(WCHAR));
    } else if (!MultiByteToWideChar(CP_ACP, 0, (const char *)message_class, -1, wide, MODEL_CLASS_MAX + 1)) {
        return MAPI_E_INVALID_PARAMETER; /* longer than a message class can be */
    }
    return S_OK;
}

/* IMsgStore::SetReceiveFolder: a folder of this store for a message class, or (NULL) the store's default. */
static HRESULT STDMETHODCALLTYPE store_SetReceiveFolder(IMsgStore *iface, LPTSTR lpszMessageClass,
                                                        ULONG ulFlags, ULONG cbEntryID,
                                                        LPENTRYID lpEntryID)
{
    struct open_store *os = store_os(iface);
    WCHAR message_class[MODEL_CLASS_MAX + 1];
    struct entryid_fields fields = {{{0}}, ENTRYID_KIND_FOLDER, 0};
    HRESULT hr;

    if (FAILED(hr = open_store_check_alive(os))) return hr;
    if (ulFlags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (FAILED(hr = widen_message_class(lpszMessageClass, ulFlags, message_class))) return hr;
    if (FAILED(hr = open_store_enter(os))) return hr;
    if (!model_writable(os->model)) hr = MAPI_E_NO_ACCESS;
    else if ((cbEntryID || lpEntryID) && SUCCEEDED(hr = model_resolve(os->model, cbEntryID, lpEntryID, &fields)) &&
             fields.kind != ENTRYID_KIND_FOLDER)
        hr = MAPI_E_INVALID_ENTRYID;
    if (SUCCEEDED(hr)) hr = model_receive_folder_set(os->model, message_class, fields.object_id);
    open_store_leave(os);
    return hr;
}

/* The receive folder of a message class (contract §10.5): its entry ID and the class that chose it. */
static HRESULT STDMETHODCALLTYPE store_GetReceiveFolder(IMsgStore *iface, LPTSTR lpszMessageClass,
                                                        ULONG ulFlags, ULONG *lpcbEntryID,
                                                        LPENTRYID *lppEntryID,
                                                        LPTSTR *lppszExplicitClass)
{
    struct open_store *os = store_os(iface);
    WCHAR message_class[MODEL_CLASS_MAX + 1], explicit_class[MODEL_CLASS_MAX + 1];
    BYTE entryid[ENTRYID_SIZE];
    void *id_copy = NULL, *class_copy = NULL;
    ULONGLONG folder_id = 0;
    HRESULT hr;

    if (lpcbEntryID) *lpcbEntryID = 0;
    if (lppEntryID) *lppEntryID = NULL;
    if (lppszExplicitClass) *lppszExplicitClass = NULL;
    if (FAILED(hr = open_store_check_alive(os))) return hr;
    if (!lpcbEntryID || !lppEntryID) return MAPI_E_INVALID_PARAMETER;
    if (ulFlags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (FAILED(hr = widen_message_class(lpszMessageClass, ulFlags, message_class))) return hr;

    if (FAILED(hr = open_store_enter(os))) return hr;
    if (SUCCEEDED(hr = model_receive_folder(os->model, message_class, &folder_id, explicit_class)))
        model_entryid(os->model, ENTRYID_KIND_FOLDER, folder_id, entryid);
    open_store_leave(os);
    if (FAILED(hr)) return hr;
    if (!(id_copy = mapi_alloc_copy(&os->alloc, entryid, ENTRYID_SIZE)) ||
        (lppszExplicitClass && !(class_copy = props_string_block(&os->alloc, explicit_class, ulFlags)))) {
        mapi_free(&os->alloc, id_copy);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    *lpcbEntryID = ENTRYID_SIZE;
    *lppEntryID = id_copy;
    if (lppszExplicitClass) *lppszExplicitClass = class_copy;
    return S_OK;
}

/* The receive-folder table's rows, listed by their index (1 up) and read the same way. */
static HRESULT list_receive_folders(const struct table_source *source, struct model *model, struct model_row **rows,
                                    ULONG *count)
{
    const struct mapi_allocators *alloc = model_allocators(model);
    struct prop_list *lists;
    ULONG n, i;
    HRESULT hr = model_receive_folder_rows(model, &lists, &n);
    (void)source;
    if (FAILED(hr)) return hr;
    model_free_rows(alloc, lists, n);
    if (!(*rows = mapi_alloc_zeroed(alloc, (n ? n : 1) * sizeof(**rows)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < n; i++) (*rows)[i].id = i + 1;
    *count = n;
    return S_OK;
}

static HRESULT read_receive_folder(const struct table_source *source, struct model *model, ULONGLONG id,
                                   const SPropTagArray *only, struct prop_list *out)
{
    struct prop_list *lists;
    ULONG n;
    HRESULT hr = model_receive_folder_rows(model, &lists, &n);
    (void)source, (void)only; /* three values a row */
    if (FAILED(hr)) return hr;
    if (id < 1 || id > n) {
        hr = MAPI_E_NOT_FOUND;
    } else {
        *out = lists[id - 1]; /* taken from the rows, which are freed without it */
        lists[id - 1].values = NULL;
        lists[id - 1].count = 0;
    }
    model_free_rows(model_allocators(model), lists, n);
    return hr;
}

/* What the table shows is what it read when opened (or after another process's change). */
static const struct table_source_ops receive_folder_source = {list_receive_folders, read_receive_folder, NULL, NULL, NULL,
                                                             NULL};

static HRESULT STDMETHODCALLTYPE store_GetReceiveFolderTable(IMsgStore *iface, ULONG ulFlags,
                                                             LPMAPITABLE *lppTable)
{
    struct table_spec spec = {{&receive_folder_source, 0, 0, NULL}, receive_folder_columns,
                              ARRAYSIZE(receive_folder_columns), FALSE, ulFlags, NULL};
    HRESULT hr;

    if (lppTable) *lppTable = NULL;
    if (FAILED(hr = open_store_check_alive(store_os(iface)))) return hr;
    if (!lppTable) return MAPI_E_INVALID_PARAMETER;
    if (ulFlags & ~(MAPI_UNICODE | MAPI_DEFERRED_ERRORS)) return MAPI_E_UNKNOWN_FLAGS;
    return table_create(store_os(iface), &spec, lppTable);
}

static HRESULT STDMETHODCALLTYPE store_StoreLogoff(IMsgStore *iface, ULONG *lpulFlags)
{
    return open_store_store_logoff(store_os(iface), lpulFlags);
}

/* msstore has no outgoing mail: the spooler-facing methods are unsupported. */

static HRESULT STDMETHODCALLTYPE store_AbortSubmit(IMsgStore *iface, ULONG cbEntryID,
                                                   LPENTRYID lpEntryID, ULONG ulFlags)
{
    (void)cbEntryID, (void)lpEntryID, (void)ulFlags;
    return open_store_refuse(store_os(iface), MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE store_GetOutgoingQueue(IMsgStore *iface, ULONG ulFlags,
                                                        LPMAPITABLE *lppTable)
{
    (void)ulFlags;
    if (lppTable) *lppTable = NULL;
    return open_store_refuse(store_os(iface), MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE store_SetLockState(IMsgStore *iface, LPMESSAGE lpMessage,
                                                    ULONG ulLockState)
{
    (void)lpMessage, (void)ulLockState;
    return open_store_refuse(store_os(iface), MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE store_FinishedMsg(IMsgStore *iface, ULONG ulFlags,
                                                   ULONG cbEntryID, LPENTRYID lpEntryID)
{
    (void)ulFlags, (void)cbEntryID, (void)lpEntryID;
    return open_store_refuse(store_os(iface), MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE store_NotifyNewMail(IMsgStore *iface,
                                                     LPNOTIFICATION lpNotification)
{
    (void)lpNotification;
    return open_store_refuse(store_os(iface), MAPI_E_NO_SUPPORT);
}

static const IMsgStoreAbiVtbl store_vtbl = {
    store_QueryInterface,
    store_AddRef,
    store_Release,
    PROP_OBJECT_VTBL_ENTRIES(store),
    store_Advise,
    store_Unadvise,
    store_CompareEntryIDs,
    store_OpenEntry,
    store_SetReceiveFolder,
    store_GetReceiveFolder,
    store_GetReceiveFolderTable,
    store_StoreLogoff,
    store_AbortSubmit,
    store_GetOutgoingQueue,
    store_SetLockState,
    store_FinishedMsg,
    store_NotifyNewMail,
};

HRESULT store_create(struct open_store *os, IMsgStore **out)
{
    struct store *store = mapi_alloc_zeroed(&os->alloc, sizeof(*store));
    if (!store) return MAPI_E_NOT_ENOUGH_MEMORY;
    store->IMsgStore_iface.lpVtbl = ABI_AS_VTBL(IMsgStore, &store_vtbl);
    store->refs = 1;
    store->prop.os = os;
    store->prop.ops = &store_prop_ops;
    open_store_addref(os);
    os->store = store;
    *out = &store->IMsgStore_iface;
    return S_OK;
}
