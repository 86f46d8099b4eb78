#include "objects/folder.h"

#include "content/folder_tree.h"
#include "objects/com.h"
#include "objects/prop_object.h"
#include "table/table.h"

struct folder {
    IMAPIFolder IMAPIFolder_iface;
    LONG refs;
    struct prop_object prop;
    ULONG folder_id;
};

/* A hierarchy table's default columns (contract §10.6), strings as PT_UNICODE. */
static const ULONG hierarchy_columns[] = {
    PR_ENTRYID,       PR_RECORD_KEY,     PR_INSTANCE_KEY,   PR_DISPLAY_NAME_W, PR_COMMENT_W,
    PR_DEPTH,         PR_OBJECT_TYPE,    PR_DISPLAY_TYPE,   PR_STATUS,         PR_FOLDER_TYPE,
    PR_SUBFOLDERS,    PR_CONTENT_COUNT,  PR_CONTENT_UNREAD, PR_CONTAINER_CLASS_W,
};

/* A contents table's default columns: the message properties a folder view shows. */
static const ULONG contents_columns[] = {
    PR_ENTRYID,         PR_RECORD_KEY,           PR_INSTANCE_KEY,       PR_OBJECT_TYPE,
    PR_MESSAGE_CLASS_W, PR_SUBJECT_W,            PR_SENDER_NAME_W,      PR_DISPLAY_TO_W,
    PR_MESSAGE_FLAGS,   PR_MESSAGE_SIZE,         PR_HASATTACH,          PR_IMPORTANCE,
    PR_SENSITIVITY,     PR_CLIENT_SUBMIT_TIME,   PR_MESSAGE_DELIVERY_TIME,
    PR_LAST_MODIFICATION_TIME,
};

#define HIERARCHY_TABLE_FLAGS (CONVENIENT_DEPTH | MAPI_DEFERRED_ERRORS | MAPI_UNICODE | SHOW_SOFT_DELETES)
#define CONTENTS_TABLE_FLAGS (MAPI_ASSOCIATED | MAPI_DEFERRED_ERRORS | MAPI_UNICODE | SHOW_SOFT_DELETES)

#define OPEN_ENTRY_FLAGS                                                                   \
    (MAPI_MODIFY | MAPI_DEFERRED_ERRORS | MAPI_BEST_ACCESS | MAPI_NO_CACHE | MAPI_CACHE_ONLY | \
     SHOW_SOFT_DELETES)

static inline struct folder *impl_from_IMAPIFolder(IMAPIFolder *iface)
{
    return CONTAINING_RECORD(iface, struct folder, IMAPIFolder_iface);
}

static inline struct open_store *folder_os(IMAPIFolder *iface)
{
    return impl_from_IMAPIFolder(iface)->prop.os;
}

static HRESULT folder_create(struct open_store *os, ULONG folder_id, IMAPIFolder **out);

static const IID *const folder_iids[] = {&IID_IMAPIFolder, &IID_IMAPIContainer, &IID_IMAPIProp, NULL};

/* OpenEntry's lpInterface for a folder: NULL, IUnknown or one of folder_iids. */
static BOOL is_folder_interface(LPCIID iid) { return !iid || com_iid_listed(folder_iids, iid); }

HRESULT folder_open_entry(struct open_store *os, ULONG cbEntryID, LPENTRYID lpEntryID,
                          LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType,
                          LPUNKNOWN *lppUnk)
{
    struct entryid_fields fields = {{{0}}, ENTRYID_KIND_FOLDER, FOLDER_ID_ROOT};
    IMAPIFolder *folder;
    HRESULT hr;

    if (lpulObjType) *lpulObjType = 0;
    if (lppUnk) *lppUnk = NULL;
    if (FAILED(hr = open_store_refuse(os, S_OK))) return hr;
    if (!lpulObjType || !lppUnk) return MAPI_E_INVALID_PARAMETER;
    if (ulFlags & ~OPEN_ENTRY_FLAGS) return MAPI_E_UNKNOWN_FLAGS;
    if (!is_folder_interface(lpInterface)) return MAPI_E_INTERFACE_NOT_SUPPORTED;
    /* Read-only: MAPI_MODIFY alone is refused, MAPI_BEST_ACCESS settles for reading. */
    if ((ulFlags & MAPI_MODIFY) && !(ulFlags & MAPI_BEST_ACCESS)) return MAPI_E_NO_ACCESS;
    if ((cbEntryID || lpEntryID) &&
        FAILED(hr = store_content_resolve(&os->content, cbEntryID, lpEntryID, &fields)))
        return hr;
    if (fields.kind != ENTRYID_KIND_FOLDER) return MAPI_E_INVALID_ENTRYID;

    if (FAILED(hr = folder_create(os, fields.object_id, &folder))) return hr;
    *lpulObjType = MAPI_FOLDER;
    *lppUnk = (LPUNKNOWN)folder;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE folder_QueryInterface(IMAPIFolder *iface, REFIID riid, void **ppv)
{
    return com_query_interface((IUnknown *)iface, folder_iids, riid, ppv);
}

static ULONG STDMETHODCALLTYPE folder_AddRef(IMAPIFolder *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IMAPIFolder(iface)->refs);
}

static ULONG STDMETHODCALLTYPE folder_Release(IMAPIFolder *iface)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    struct open_store *os = folder->prop.os;
    struct mapi_allocators alloc = os->alloc;
    LONG refs = InterlockedDecrement(&folder->refs);
    if (refs) return (ULONG)refs;
    open_store_unregister(os); /* may free os */
    mapi_free(&alloc, folder);
    return 0;
}

PROP_OBJECT_METHODS(folder, IMAPIFolder, struct folder, prop)

/* A table of this folder: rows (none for contents tables) and its default columns. */
static HRESULT open_table(struct folder *folder, struct table_spec *spec, ULONG flags,
                          IMAPITable **out)
{
    const SPropValue *entryid = props_find(folder->prop.props, PR_ENTRYID);
    spec->flags = flags;
    spec->cb_notify_key = entryid->Value.bin.cb; /* its Advise watches the folder */
    spec->notify_key = entryid->Value.bin.lpb;
    return table_create(folder->prop.os, spec, out);
}

/* Subfolders, or with CONVENIENT_DEPTH every descendant, PR_DEPTH relative to this folder. */
static HRESULT open_hierarchy_table(struct folder *folder, ULONG flags, IMAPITable **out)
{
    const struct mapi_allocators *alloc = &folder->prop.os->alloc;
    struct table_spec spec = {NULL, 0, hierarchy_columns, ARRAYSIZE(hierarchy_columns), TRUE, 0, 0, NULL};
    struct table_row *rows = mapi_alloc_zeroed(alloc, folder_tree_count * sizeof(*rows));
    HRESULT hr;
    if (!rows) return MAPI_E_NOT_ENOUGH_MEMORY;
    spec.rows = rows;
    spec.row_count = store_content_hierarchy(&folder->prop.os->content, folder->folder_id,
                                             (flags & CONVENIENT_DEPTH) != 0, rows);
    hr = open_table(folder, &spec, flags, out);
    mapi_free(alloc, rows);
    return hr;
}

/* msstore folders hold no messages, normal or associated: an empty table with message columns. */
static HRESULT open_contents_table(struct folder *folder, ULONG flags, IMAPITable **out)
{
    struct table_spec spec = {NULL, 0, contents_columns, ARRAYSIZE(contents_columns), FALSE, 0, 0, NULL};
    return open_table(folder, &spec, flags, out);
}

static HRESULT STDMETHODCALLTYPE folder_GetContentsTable(IMAPIFolder *iface, ULONG ulFlags,
                                                         LPMAPITABLE *lppTable)
{
    HRESULT hr;
    if (lppTable) *lppTable = NULL;
    if (FAILED(hr = open_store_refuse(folder_os(iface), S_OK))) return hr;
    if (!lppTable) return MAPI_E_INVALID_PARAMETER;
    if (ulFlags & ~CONTENTS_TABLE_FLAGS) return MAPI_E_UNKNOWN_FLAGS;
    return open_contents_table(impl_from_IMAPIFolder(iface), ulFlags, lppTable);
}

static HRESULT STDMETHODCALLTYPE folder_GetHierarchyTable(IMAPIFolder *iface, ULONG ulFlags,
                                                          LPMAPITABLE *lppTable)
{
    HRESULT hr;
    if (lppTable) *lppTable = NULL;
    if (FAILED(hr = open_store_refuse(folder_os(iface), S_OK))) return hr;
    if (!lppTable) return MAPI_E_INVALID_PARAMETER;
    if (ulFlags & ~HIERARCHY_TABLE_FLAGS) return MAPI_E_UNKNOWN_FLAGS;
    return open_hierarchy_table(impl_from_IMAPIFolder(iface), ulFlags, lppTable);
}

/*
 * The folder's tables are also its PT_OBJECT properties (contract §10.6), opened
 * here as IMAPITable, ulInterfaceOptions being the table flags. Nothing else
 * opens as an object, and nothing opens for writing.
 */
static HRESULT STDMETHODCALLTYPE folder_OpenProperty(IMAPIFolder *iface, ULONG ulPropTag,
                                                     LPCIID lpiid, ULONG ulInterfaceOptions,
                                                     ULONG ulFlags, LPUNKNOWN *lppUnk)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    HRESULT hr;
    if (lppUnk) *lppUnk = NULL;
    if (FAILED(hr = open_store_refuse(folder_os(iface), S_OK))) return hr;
    if (!lppUnk || !lpiid) return MAPI_E_INVALID_PARAMETER;
    if (ulFlags & ~(MAPI_MODIFY | MAPI_CREATE | MAPI_DEFERRED_ERRORS)) return MAPI_E_UNKNOWN_FLAGS;
    if (ulPropTag != PR_CONTAINER_HIERARCHY && ulPropTag != PR_CONTAINER_CONTENTS &&
        ulPropTag != PR_FOLDER_ASSOCIATED_CONTENTS)
        return MAPI_E_NO_SUPPORT;
    if (!IsEqualIID(lpiid, &IID_IMAPITable)) return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (ulFlags & (MAPI_MODIFY | MAPI_CREATE)) return MAPI_E_NO_ACCESS;
    if (ulPropTag == PR_CONTAINER_HIERARCHY) {
        if (ulInterfaceOptions & ~HIERARCHY_TABLE_FLAGS) return MAPI_E_UNKNOWN_FLAGS;
        return open_hierarchy_table(folder, ulInterfaceOptions, (IMAPITable **)lppUnk);
    }
    if (ulInterfaceOptions & ~CONTENTS_TABLE_FLAGS) return MAPI_E_UNKNOWN_FLAGS;
    if (ulPropTag == PR_FOLDER_ASSOCIATED_CONTENTS) ulInterfaceOptions |= MAPI_ASSOCIATED;
    return open_contents_table(folder, ulInterfaceOptions, (IMAPITable **)lppUnk);
}

static HRESULT STDMETHODCALLTYPE folder_OpenEntry(IMAPIFolder *iface, ULONG cbEntryID,
                                                  LPENTRYID lpEntryID, LPCIID lpInterface,
                                                  ULONG ulFlags, ULONG *lpulObjType,
                                                  LPUNKNOWN *lppUnk)
{
    return folder_open_entry(folder_os(iface), cbEntryID, lpEntryID, lpInterface, ulFlags,
                             lpulObjType, lppUnk);
}

/* msstore has no search folders. */

static HRESULT STDMETHODCALLTYPE folder_SetSearchCriteria(IMAPIFolder *iface,
                                                          LPSRestriction lpRestriction,
                                                          LPENTRYLIST lpContainerList,
                                                          ULONG ulSearchFlags)
{
    (void)lpRestriction, (void)lpContainerList, (void)ulSearchFlags;
    return open_store_refuse(folder_os(iface), MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE folder_GetSearchCriteria(IMAPIFolder *iface, ULONG ulFlags,
                                                          LPSRestriction *lppRestriction,
                                                          LPENTRYLIST *lppContainerList,
                                                          ULONG *lpulSearchState)
{
    (void)ulFlags;
    if (lppRestriction) *lppRestriction = NULL;
    if (lppContainerList) *lppContainerList = NULL;
    if (lpulSearchState) *lpulSearchState = 0;
    return open_store_refuse(folder_os(iface), MAPI_E_NO_SUPPORT);
}

/* The store is read-only: every method that would change a folder is refused. */

static HRESULT STDMETHODCALLTYPE folder_CreateMessage(IMAPIFolder *iface, LPCIID lpInterface,
                                                      ULONG ulFlags, LPMESSAGE *lppMessage)
{
    (void)lpInterface, (void)ulFlags;
    if (lppMessage) *lppMessage = NULL;
    return open_store_refuse(folder_os(iface), MAPI_E_NO_ACCESS);
}

static HRESULT STDMETHODCALLTYPE folder_CopyMessages(IMAPIFolder *iface, LPENTRYLIST lpMsgList,
                                                     LPCIID lpInterface, LPVOID lpDestFolder,
                                                     ULONG_PTR ulUIParam,
                                                     LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    (void)lpMsgList, (void)lpInterface, (void)lpDestFolder, (void)ulUIParam, (void)lpProgress;
    (void)ulFlags;
    return open_store_refuse(folder_os(iface), MAPI_E_NO_ACCESS);
}

static HRESULT STDMETHODCALLTYPE folder_DeleteMessages(IMAPIFolder *iface, LPENTRYLIST lpMsgList,
                                                       ULONG_PTR ulUIParam,
                                                       LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    (void)lpMsgList, (void)ulUIParam, (void)lpProgress, (void)ulFlags;
    return open_store_refuse(folder_os(iface), MAPI_E_NO_ACCESS);
}

static HRESULT STDMETHODCALLTYPE folder_CreateFolder(IMAPIFolder *iface, ULONG ulFolderType,
                                                     LPTSTR lpszFolderName,
                                                     LPTSTR lpszFolderComment,
                                                     LPCIID lpInterface, ULONG ulFlags,
                                                     LPMAPIFOLDER *lppFolder)
{
    (void)ulFolderType, (void)lpszFolderName, (void)lpszFolderComment, (void)lpInterface;
    (void)ulFlags;
    if (lppFolder) *lppFolder = NULL;
    return open_store_refuse(folder_os(iface), MAPI_E_NO_ACCESS);
}

static HRESULT STDMETHODCALLTYPE folder_CopyFolder(IMAPIFolder *iface, ULONG cbEntryID,
                                                   LPENTRYID lpEntryID, LPCIID lpInterface,
                                                   LPVOID lpDestFolder, LPTSTR lpszNewFolderName,
                                                   ULONG_PTR ulUIParam,
                                                   LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    (void)cbEntryID, (void)lpEntryID, (void)lpInterface, (void)lpDestFolder;
    (void)lpszNewFolderName, (void)ulUIParam, (void)lpProgress, (void)ulFlags;
    return open_store_refuse(folder_os(iface), MAPI_E_NO_ACCESS);
}

static HRESULT STDMETHODCALLTYPE folder_DeleteFolder(IMAPIFolder *iface, ULONG cbEntryID,
                                                     LPENTRYID lpEntryID, ULONG_PTR ulUIParam,
                                                     LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    (void)cbEntryID, (void)lpEntryID, (void)ulUIParam, (void)lpProgress, (void)ulFlags;
    return open_store_refuse(folder_os(iface), MAPI_E_NO_ACCESS);
}

static HRESULT STDMETHODCALLTYPE folder_SetReadFlags(IMAPIFolder *iface, LPENTRYLIST lpMsgList,
                                                     ULONG_PTR ulUIParam,
                                                     LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    (void)lpMsgList, (void)ulUIParam, (void)lpProgress, (void)ulFlags;
    return open_store_refuse(folder_os(iface), MAPI_E_NO_ACCESS);
}

/* msstore folders hold no messages. */
static HRESULT STDMETHODCALLTYPE folder_GetMessageStatus(IMAPIFolder *iface, ULONG cbEntryID,
                                                         LPENTRYID lpEntryID, ULONG ulFlags,
                                                         ULONG *lpulMessageStatus)
{
    (void)cbEntryID, (void)lpEntryID, (void)ulFlags;
    if (lpulMessageStatus) *lpulMessageStatus = 0;
    return open_store_refuse(folder_os(iface), MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE folder_SetMessageStatus(IMAPIFolder *iface, ULONG cbEntryID,
                                                         LPENTRYID lpEntryID, ULONG ulNewStatus,
                                                         ULONG ulNewStatusMask,
                                                         ULONG *lpulOldStatus)
{
    (void)cbEntryID, (void)lpEntryID, (void)ulNewStatus, (void)ulNewStatusMask;
    if (lpulOldStatus) *lpulOldStatus = 0;
    return open_store_refuse(folder_os(iface), MAPI_E_NO_ACCESS);
}

static HRESULT STDMETHODCALLTYPE folder_SaveContentsSort(IMAPIFolder *iface,
                                                         LPSSortOrderSet lpSortCriteria,
                                                         ULONG ulFlags)
{
    (void)lpSortCriteria, (void)ulFlags;
    return open_store_refuse(folder_os(iface), MAPI_E_NO_ACCESS);
}

static HRESULT STDMETHODCALLTYPE folder_EmptyFolder(IMAPIFolder *iface, ULONG_PTR ulUIParam,
                                                    LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    (void)ulUIParam, (void)lpProgress, (void)ulFlags;
    return open_store_refuse(folder_os(iface), MAPI_E_NO_ACCESS);
}

static const IMAPIFolderAbiVtbl folder_vtbl = {
    folder_QueryInterface,
    folder_AddRef,
    folder_Release,
    PROP_OBJECT_VTBL_ENTRIES(folder),
    folder_GetContentsTable,
    folder_GetHierarchyTable,
    folder_OpenEntry,
    folder_SetSearchCriteria,
    folder_GetSearchCriteria,
    folder_CreateMessage,
    folder_CopyMessages,
    folder_DeleteMessages,
    folder_CreateFolder,
    folder_CopyFolder,
    folder_DeleteFolder,
    folder_SetReadFlags,
    folder_GetMessageStatus,
    folder_SetMessageStatus,
    folder_SaveContentsSort,
    folder_EmptyFolder,
};

static HRESULT folder_create(struct open_store *os, ULONG folder_id, IMAPIFolder **out)
{
    struct folder *folder = mapi_alloc_zeroed(&os->alloc, sizeof(*folder));
    HRESULT hr;
    if (!folder) return MAPI_E_NOT_ENOUGH_MEMORY;
    folder->IMAPIFolder_iface.lpVtbl = ABI_AS_VTBL(IMAPIFolder, &folder_vtbl);
    folder->refs = 1;
    folder->prop.os = os;
    folder->prop.props = store_content_folder(&os->content, folder_id);
    folder->folder_id = folder_id;
    if (FAILED(hr = open_store_register(os))) {
        mapi_free(&os->alloc, folder);
        return hr;
    }
    *out = &folder->IMAPIFolder_iface;
    return S_OK;
}
