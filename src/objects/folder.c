#include "objects/folder.h"

#include "mapi/com.h"
#include "model/model.h"
#include "objects/message.h"
#include "objects/prop_object.h"
#include "table/table.h"

#include <string.h>

struct folder {
    IMAPIFolder IMAPIFolder_iface;
    LONG refs;
    struct prop_object prop;
    ULONGLONG folder_id; /* an id, not a pointer: the folder may be gone (MAPI_E_OBJECT_DELETED) */
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
#define CREATE_FOLDER_FLAGS (MAPI_UNICODE | MAPI_DEFERRED_ERRORS | OPEN_IF_EXISTS)
#define DELETE_FOLDER_FLAGS (DEL_FOLDERS | DEL_MESSAGES | FOLDER_DIALOG)
#define COPY_FOLDER_FLAGS (COPY_SUBFOLDERS | FOLDER_MOVE | FOLDER_DIALOG | MAPI_DECLINE_OK | MAPI_UNICODE)
#define EMPTY_FOLDER_FLAGS (DEL_ASSOCIATED | FOLDER_DIALOG)

static const IID *const folder_iids[] = {&IID_IMAPIFolder, &IID_IMAPIContainer, &IID_IMAPIProp, NULL};
static const IMAPIFolderAbiVtbl folder_vtbl;

static inline struct folder *impl_from_IMAPIFolder(IMAPIFolder *iface)
{
    return CONTAINING_RECORD(iface, struct folder, IMAPIFolder_iface);
}

static inline struct open_store *folder_os(IMAPIFolder *iface)
{
    return impl_from_IMAPIFolder(iface)->prop.os;
}

/* OpenEntry's lpInterface for a folder: NULL, IUnknown or one of folder_iids. */
static BOOL is_folder_interface(LPCIID iid) { return !iid || com_iid_listed(folder_iids, iid); }

/* A folder of this model that has gone answers as an object that was deleted while open (D13). */
static HRESULT deleted_if_gone(HRESULT hr) { return hr == MAPI_E_NOT_FOUND ? MAPI_E_OBJECT_DELETED : hr; }

/* ---- properties ---- */

static struct folder *folder_of(struct prop_object *object) { return CONTAINING_RECORD(object, struct folder, prop); }

static HRESULT read_folder(struct prop_object *object, struct prop_list *out)
{
    HRESULT hr = deleted_if_gone(model_folder_props(object->os->model, folder_of(object)->folder_id, out));
    const SPropValue *level;
    /* PR_ACCESS_LEVEL is this object's: a folder opened for reading is read-only, whatever the logon may do. */
    if (SUCCEEDED(hr) && !object->writable && (level = props_find(out, PR_ACCESS_LEVEL)))
        ((SPropValue *)level)->Value.l = 0;
    return hr;
}

static HRESULT set_folder_props(struct prop_object *object, ULONG count, const SPropValue *values, SCODE *problems)
{
    return deleted_if_gone(model_folder_set_props(object->os->model, folder_of(object)->folder_id, count, values,
                                                  problems, &object->os->changes));
}

static HRESULT delete_folder_props(struct prop_object *object, const SPropTagArray *tags, SCODE *problems)
{
    return deleted_if_gone(model_folder_delete_props(object->os->model, folder_of(object)->folder_id, tags, problems,
                                                     &object->os->changes));
}

static const struct prop_object_ops folder_prop_ops = {read_folder, set_folder_props, delete_folder_props,
                                                       MAPI_E_NO_ACCESS, NULL, NULL, NULL, NULL};

/* ---- objects ---- */

/* A folder object for folder_id, not yet registered (registering cannot fail under the lock of a live store). */
static struct folder *folder_new(struct open_store *os, ULONGLONG folder_id, BOOL writable)
{
    struct folder *folder = mapi_alloc_zeroed(&os->alloc, sizeof(*folder));
    if (!folder) return NULL;
    folder->IMAPIFolder_iface.lpVtbl = ABI_AS_VTBL(IMAPIFolder, &folder_vtbl);
    folder->refs = 1;
    folder->prop.os = os;
    folder->prop.ops = &folder_prop_ops;
    folder->prop.writable = writable;
    folder->folder_id = folder_id;
    return folder;
}

/* Whether an open request gets a writable folder: MAPI_MODIFY insists, MAPI_BEST_ACCESS takes what there is. */
static HRESULT access_asked(struct open_store *os, ULONG flags, BOOL *writable)
{
    BOOL can_write = model_writable(os->model);
    if ((flags & MAPI_MODIFY) && !can_write && !(flags & MAPI_BEST_ACCESS)) return MAPI_E_NO_ACCESS;
    *writable = can_write && (flags & (MAPI_MODIFY | MAPI_BEST_ACCESS));
    return S_OK;
}

HRESULT folder_open_entry(struct open_store *os, ULONG cbEntryID, LPENTRYID lpEntryID,
                          LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType,
                          LPUNKNOWN *lppUnk)
{
    struct entryid_fields fields = {{{0}}, ENTRYID_KIND_FOLDER, FOLDER_ID_ROOT};
    struct folder *folder = NULL;
    BOOL writable = FALSE;
    HRESULT hr;

    if (lpulObjType) *lpulObjType = 0;
    if (lppUnk) *lppUnk = NULL;
    if (FAILED(hr = open_store_enter(os))) return hr;
    if (!lpulObjType || !lppUnk) hr = MAPI_E_INVALID_PARAMETER;
    else if (ulFlags & ~OPEN_ENTRY_FLAGS) hr = MAPI_E_UNKNOWN_FLAGS;
    else hr = access_asked(os, ulFlags, &writable);
    if (SUCCEEDED(hr) && (cbEntryID || lpEntryID)) hr = model_resolve(os->model, cbEntryID, lpEntryID, &fields);
    if (SUCCEEDED(hr) && fields.kind == ENTRYID_KIND_MESSAGE) {
        IMessage *message = NULL;
        if (!message_is_interface(lpInterface)) hr = MAPI_E_INTERFACE_NOT_SUPPORTED;
        else hr = message_open(os, fields.object_id, writable, &message);
        if (SUCCEEDED(hr)) {
            *lpulObjType = MAPI_MESSAGE;
            *lppUnk = (LPUNKNOWN)message;
        }
        open_store_leave(os);
        return hr;
    }
    if (SUCCEEDED(hr) && fields.kind != ENTRYID_KIND_FOLDER) hr = MAPI_E_INVALID_ENTRYID; /* the store's own */
    if (SUCCEEDED(hr) && !is_folder_interface(lpInterface)) hr = MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (SUCCEEDED(hr) && !(folder = folder_new(os, fields.object_id, writable))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr)) {
        open_store_register_locked(os);
        *lpulObjType = MAPI_FOLDER;
        *lppUnk = (LPUNKNOWN)&folder->IMAPIFolder_iface;
    }
    open_store_leave(os);
    return hr;
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

/*
 * Enters the lock for a method of a folder that must still exist:
 * MAPI_E_INVALID_OBJECT once the store ended, MAPI_E_OBJECT_DELETED once
 * the folder is gone, MAPI_E_NO_ACCESS for a write (for_writing) to a folder
 * opened for reading. On success the lock is held.
 */
static HRESULT enter_folder(struct folder *folder, BOOL for_writing, ULONGLONG *parent_id)
{
    struct open_store *os = folder->prop.os;
    ULONGLONG parent;
    BOOL special;
    HRESULT hr = open_store_enter(os);
    if (FAILED(hr)) return hr;
    hr = deleted_if_gone(model_folder_parent(os->model, folder->folder_id, &parent, &special));
    if (SUCCEEDED(hr) && for_writing && !folder->prop.writable) hr = MAPI_E_NO_ACCESS;
    if (FAILED(hr)) open_store_leave(os);
    else if (parent_id) *parent_id = parent;
    return hr;
}

/* ---- tables ---- */

static HRESULT list_subfolders(const struct table_source *source, struct model *model, struct model_row **rows,
                               ULONG *count)
{
    return model_hierarchy(model, source->folder_id, (source->flags & CONVENIENT_DEPTH) != 0, rows, count);
}

static HRESULT read_subfolder(const struct table_source *source, struct model *model, ULONGLONG id,
                              const SPropTagArray *only, struct prop_list *out)
{
    (void)source, (void)only; /* a folder's values are few */
    return model_folder_props(model, id, out);
}

/* Any folder's change may move a row in or out of a subtree, or change one: hierarchy tables read again. */
static BOOL follows_folders(const struct table_source *source, const struct change *change)
{
    (void)source;
    return change->object_type == MAPI_FOLDER;
}

static const struct table_source_ops hierarchy_source = {list_subfolders, read_subfolder, follows_folders, NULL, NULL,
                                                         NULL};

/* A contents table lists the folder's messages, or its associated ones. */
static HRESULT list_messages(const struct table_source *source, struct model *model, struct model_row **rows,
                             ULONG *count)
{
    return model_messages(model, source->folder_id, (source->flags & MAPI_ASSOCIATED) != 0, rows, count);
}

static HRESULT read_message(const struct table_source *source, struct model *model, ULONGLONG id,
                            const SPropTagArray *only, struct prop_list *out)
{
    (void)source;
    return model_message_row(model, id, only, out);
}

static BOOL follows_messages(const struct table_source *source, const struct change *change)
{
    return change->object_type == MAPI_MESSAGE &&
           (change->parent_id == source->folder_id || change->old_parent_id == source->folder_id);
}

static HRESULT lists_message(const struct table_source *source, struct model *model, ULONGLONG id, BOOL *listed)
{
    return model_message_in(model, id, source->folder_id, (source->flags & MAPI_ASSOCIATED) != 0, listed);
}

static HRESULT order_messages(const struct table_source *source, const SSortOrderSet *sort,
                              const SRestriction *restriction, struct model_order *out)
{
    return model_order_make(source->folder_id, (source->flags & MAPI_ASSOCIATED) != 0, sort, restriction, out);
}

static const struct table_source_ops contents_source = {list_messages,  read_message,  follows_messages,
                                                        lists_message, NULL,          order_messages};

/* Subfolders, or with CONVENIENT_DEPTH every descendant, PR_DEPTH relative to this folder. */
static HRESULT open_hierarchy_table(struct folder *folder, ULONG flags, IMAPITable **out)
{
    struct table_spec spec = {{&hierarchy_source, folder->folder_id, flags & CONVENIENT_DEPTH, NULL},
                              hierarchy_columns, ARRAYSIZE(hierarchy_columns), TRUE, flags, NULL};
    return table_create(folder->prop.os, &spec, out);
}

static HRESULT open_contents_table(struct folder *folder, ULONG flags, IMAPITable **out)
{
    struct open_store *os = folder->prop.os;
    struct table_spec spec = {{&contents_source, folder->folder_id, flags & MAPI_ASSOCIATED, NULL},
                              contents_columns, ARRAYSIZE(contents_columns), FALSE, flags, NULL};
    SSortOrderSet *saved = NULL;
    HRESULT hr = S_OK;
    /* The normal contents table opens in the folder's saved sort (SaveContentsSort); associated ones in theirs. */
    if (!(flags & MAPI_ASSOCIATED) && SUCCEEDED(hr = open_store_enter(os))) {
        hr = model_folder_sort(os->model, folder->folder_id, &saved);
        open_store_leave(os);
    }
    spec.sort = saved;
    if (SUCCEEDED(hr)) hr = table_create(os, &spec, out);
    mapi_free(&os->alloc, saved);
    return hr;
}

/* The checks every way of opening a folder's table makes: the store live, the folder there, the arguments. */
static HRESULT check_table_request(struct folder *folder, void *out, ULONG flags, ULONG known_flags)
{
    HRESULT hr = enter_folder(folder, FALSE, NULL);
    if (FAILED(hr)) return hr;
    open_store_leave(folder->prop.os);
    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~known_flags) return MAPI_E_UNKNOWN_FLAGS;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE folder_GetContentsTable(IMAPIFolder *iface, ULONG ulFlags,
                                                         LPMAPITABLE *lppTable)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    HRESULT hr;
    if (lppTable) *lppTable = NULL;
    if (FAILED(hr = check_table_request(folder, lppTable, ulFlags, CONTENTS_TABLE_FLAGS))) return hr;
    return open_contents_table(folder, ulFlags, lppTable);
}

static HRESULT STDMETHODCALLTYPE folder_GetHierarchyTable(IMAPIFolder *iface, ULONG ulFlags,
                                                          LPMAPITABLE *lppTable)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    HRESULT hr;
    if (lppTable) *lppTable = NULL;
    if (FAILED(hr = check_table_request(folder, lppTable, ulFlags, HIERARCHY_TABLE_FLAGS))) return hr;
    return open_hierarchy_table(folder, ulFlags, lppTable);
}

/*
 * The folder's tables are also its PT_OBJECT properties (contract §10.6), opened
 * here as IMAPITable, ulInterfaceOptions being the table flags. Nothing else
 * opens as an object, and tables do not open for writing.
 */
static HRESULT STDMETHODCALLTYPE folder_OpenProperty(IMAPIFolder *iface, ULONG ulPropTag,
                                                     LPCIID lpiid, ULONG ulInterfaceOptions,
                                                     ULONG ulFlags, LPUNKNOWN *lppUnk)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    BOOL hierarchy = ulPropTag == PR_CONTAINER_HIERARCHY;
    HRESULT hr;
    if (lppUnk) *lppUnk = NULL;
    if (FAILED(hr = check_table_request(folder, lppUnk, ulFlags, MAPI_MODIFY | MAPI_CREATE | MAPI_DEFERRED_ERRORS)))
        return hr;
    if (!lpiid) return MAPI_E_INVALID_PARAMETER;
    if (!hierarchy && ulPropTag != PR_CONTAINER_CONTENTS && ulPropTag != PR_FOLDER_ASSOCIATED_CONTENTS)
        return MAPI_E_NO_SUPPORT;
    if (!IsEqualIID(lpiid, &IID_IMAPITable)) return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (ulFlags & (MAPI_MODIFY | MAPI_CREATE)) return MAPI_E_NO_ACCESS;
    if (ulInterfaceOptions & ~(hierarchy ? HIERARCHY_TABLE_FLAGS : CONTENTS_TABLE_FLAGS)) return MAPI_E_UNKNOWN_FLAGS;
    if (hierarchy) return open_hierarchy_table(folder, ulInterfaceOptions, (IMAPITable **)lppUnk);
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

/* ---- subfolders ---- */

/* A client's string, wide, into buffer (MODEL_NAME_MAX + 1 units): MAPI_E_INVALID_PARAMETER when too long. */
static HRESULT widen(LPTSTR text, ULONG flags, WCHAR *buffer, const WCHAR **out)
{
    *out = NULL;
    if (!text) return S_OK;
    if (flags & MAPI_UNICODE) {
        if (wcsnlen((const WCHAR *)text, MODEL_NAME_MAX + 1) > MODEL_NAME_MAX) return MAPI_E_INVALID_PARAMETER;
        *out = (const WCHAR *)text;
        return S_OK;
    }
    if (!MultiByteToWideChar(CP_ACP, 0, (const char *)text, -1, buffer, MODEL_NAME_MAX + 1))
        return MAPI_E_INVALID_PARAMETER;
    *out = buffer;
    return S_OK;
}

/* The id of the folder an entry ID names, within this store; MAPI_E_INVALID_ENTRYID for the store's own. */
static HRESULT folder_named(struct open_store *os, ULONG cbEntryID, LPENTRYID lpEntryID, ULONGLONG *id)
{
    struct entryid_fields fields;
    HRESULT hr = model_resolve(os->model, cbEntryID, lpEntryID, &fields);
    if (SUCCEEDED(hr) && fields.kind != ENTRYID_KIND_FOLDER) hr = MAPI_E_INVALID_ENTRYID;
    *id = SUCCEEDED(hr) ? fields.object_id : 0;
    return hr;
}

/* The names a CreateFolder or CopyFolder gets, widened. */
struct folder_names {
    WCHAR name[MODEL_NAME_MAX + 1], comment[MODEL_NAME_MAX + 1];
};

static HRESULT STDMETHODCALLTYPE folder_CreateFolder(IMAPIFolder *iface, ULONG ulFolderType,
                                                     LPTSTR lpszFolderName,
                                                     LPTSTR lpszFolderComment,
                                                     LPCIID lpInterface, ULONG ulFlags,
                                                     LPMAPIFOLDER *lppFolder)
{
    struct folder *folder = impl_from_IMAPIFolder(iface), *created = NULL;
    struct open_store *os = folder->prop.os;
    struct folder_names *names = NULL;
    const WCHAR *name = NULL, *comment = NULL;
    ULONGLONG id = 0;
    BOOL existed = FALSE;
    HRESULT hr;

    if (lppFolder) *lppFolder = NULL;
    if (FAILED(hr = open_store_check_alive(os))) return hr;
    if (!lppFolder || !lpszFolderName) return MAPI_E_INVALID_PARAMETER;
    if (ulFlags & ~CREATE_FOLDER_FLAGS) return MAPI_E_UNKNOWN_FLAGS;
    if (!is_folder_interface(lpInterface)) return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (ulFolderType == FOLDER_SEARCH) return MAPI_E_NO_SUPPORT;
    if (ulFolderType != FOLDER_GENERIC) return MAPI_E_INVALID_PARAMETER;
    /* The new folder object exists before the folder does: a folder is never made and then not handed over. */
    if (!(names = mapi_alloc_zeroed(&os->alloc, sizeof(*names))) || !(created = folder_new(os, 0, TRUE))) {
        mapi_free(&os->alloc, names);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (SUCCEEDED(hr = widen(lpszFolderName, ulFlags, names->name, &name)))
        hr = widen(lpszFolderComment, ulFlags, names->comment, &comment);
    if (SUCCEEDED(hr) && SUCCEEDED(hr = enter_folder(folder, TRUE, NULL))) {
        hr = model_folder_create(os->model, folder->folder_id, name, comment, (ulFlags & OPEN_IF_EXISTS) != 0,
                                 open_store_begin_change(os), &id, &existed);
        if (SUCCEEDED(hr)) {
            open_store_publish(os);
            created->folder_id = id;
            open_store_register_locked(os);
            *lppFolder = &created->IMAPIFolder_iface;
            created = NULL;
        }
        open_store_leave(os);
    }
    mapi_free(&os->alloc, created);
    mapi_free(&os->alloc, names);
    return hr;
}

static HRESULT STDMETHODCALLTYPE folder_DeleteFolder(IMAPIFolder *iface, ULONG cbEntryID,
                                                     LPENTRYID lpEntryID, ULONG_PTR ulUIParam,
                                                     LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    struct open_store *os = folder->prop.os;
    ULONGLONG id;
    HRESULT hr;
    (void)ulUIParam, (void)lpProgress; /* no dialog; the deletion is one quick transaction */

    if (FAILED(hr = open_store_check_alive(os))) return hr;
    if (ulFlags & ~DELETE_FOLDER_FLAGS) return MAPI_E_UNKNOWN_FLAGS;
    if (FAILED(hr = enter_folder(folder, TRUE, NULL))) return hr;
    if (SUCCEEDED(hr = folder_named(os, cbEntryID, lpEntryID, &id)))
        hr = model_folder_delete(os->model, folder->folder_id, id, (ulFlags & DEL_FOLDERS) != 0,
                                 (ulFlags & DEL_MESSAGES) != 0, open_store_begin_change(os));
    if (SUCCEEDED(hr)) open_store_publish(os);
    open_store_leave(os);
    return hr;
}

/* The msstore folder object behind a client's destination, in this store; NULL for anything else. */
static struct folder *folder_of_this_store(struct open_store *os, LPCIID lpInterface, void *object)
{
    IMAPIFolder *candidate = object;
    struct folder *folder;
    if (!candidate || (lpInterface && !is_folder_interface(lpInterface))) return NULL;
    if (candidate->lpVtbl != ABI_AS_VTBL(IMAPIFolder, &folder_vtbl)) return NULL;
    folder = impl_from_IMAPIFolder(candidate);
    return folder->prop.os == os ? folder : NULL;
}

static HRESULT STDMETHODCALLTYPE folder_CopyFolder(IMAPIFolder *iface, ULONG cbEntryID,
                                                   LPENTRYID lpEntryID, LPCIID lpInterface,
                                                   LPVOID lpDestFolder, LPTSTR lpszNewFolderName,
                                                   ULONG_PTR ulUIParam,
                                                   LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    struct folder *folder = impl_from_IMAPIFolder(iface), *dest;
    struct open_store *os = folder->prop.os;
    struct folder_names *names;
    const WCHAR *new_name = NULL;
    BOOL move = (ulFlags & FOLDER_MOVE) != 0, dest_special;
    ULONGLONG id, dest_parent, new_id;
    HRESULT hr;
    (void)ulUIParam, (void)lpProgress; /* no dialog; the copy is one transaction */

    if (FAILED(hr = open_store_check_alive(os))) return hr;
    if (ulFlags & ~COPY_FOLDER_FLAGS) return MAPI_E_UNKNOWN_FLAGS;
    if (!lpDestFolder) return MAPI_E_INVALID_PARAMETER;
    if (lpInterface && !is_folder_interface(lpInterface)) return MAPI_E_INTERFACE_NOT_SUPPORTED;
    /* Another store's folder: MAPI copies through the client (IMAPIFolder::CopyFolder). */
    if (!(dest = folder_of_this_store(os, lpInterface, lpDestFolder))) return MAPI_E_NO_SUPPORT;
    if (!dest->prop.writable) return MAPI_E_NO_ACCESS;
    if (!(names = mapi_alloc_zeroed(&os->alloc, sizeof(*names)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr = widen(lpszNewFolderName, ulFlags, names->name, &new_name)) &&
        SUCCEEDED(hr = enter_folder(folder, move, NULL))) {
        hr = deleted_if_gone(model_folder_parent(os->model, dest->folder_id, &dest_parent, &dest_special));
        if (SUCCEEDED(hr)) hr = folder_named(os, cbEntryID, lpEntryID, &id);
        if (SUCCEEDED(hr))
            hr = model_folder_copy(os->model, folder->folder_id, id, dest->folder_id, new_name, move,
                                   (ulFlags & COPY_SUBFOLDERS) != 0, open_store_begin_change(os), &new_id);
        if (SUCCEEDED(hr)) open_store_publish(os);
        open_store_leave(os);
    }
    mapi_free(&os->alloc, names);
    return hr;
}

static HRESULT STDMETHODCALLTYPE folder_EmptyFolder(IMAPIFolder *iface, ULONG_PTR ulUIParam,
                                                    LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    struct open_store *os = folder->prop.os;
    ULONG kept = 0;
    HRESULT hr;
    (void)ulUIParam, (void)lpProgress;

    if (FAILED(hr = open_store_check_alive(os))) return hr;
    if (ulFlags & ~EMPTY_FOLDER_FLAGS) return MAPI_E_UNKNOWN_FLAGS;
    if (FAILED(hr = enter_folder(folder, TRUE, NULL))) return hr;
    hr = model_folder_empty(os->model, folder->folder_id, (ulFlags & DEL_ASSOCIATED) != 0,
                            open_store_begin_change(os), &kept);
    if (SUCCEEDED(hr)) open_store_publish(os);
    open_store_leave(os);
    /* Folders the store relies on stay (the IPM subtree's Inbox, ...): the rest went. */
    return SUCCEEDED(hr) && kept ? MAPI_W_PARTIAL_COMPLETION : hr;
}

/* ---- messages ---- */

#define CREATE_MESSAGE_FLAGS (MAPI_DEFERRED_ERRORS | MAPI_ASSOCIATED)
#define DELETE_MESSAGES_FLAGS (MESSAGE_DIALOG | DELETE_HARD_DELETE)
#define SET_READ_FLAGS_FLAGS (SUPPRESS_RECEIPT | CLEAR_READ_FLAG | MAPI_DEFERRED_ERRORS | GENERATE_RECEIPT_ONLY | \
                              CLEAR_RN_PENDING | CLEAR_NRN_PENDING | MESSAGE_DIALOG)

static HRESULT STDMETHODCALLTYPE folder_CreateMessage(IMAPIFolder *iface, LPCIID lpInterface,
                                                      ULONG ulFlags, LPMESSAGE *lppMessage)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    HRESULT hr;
    if (lppMessage) *lppMessage = NULL;
    if (FAILED(hr = enter_folder(folder, TRUE, NULL))) return hr;
    if (!lppMessage) hr = MAPI_E_INVALID_PARAMETER;
    else if (ulFlags & ~CREATE_MESSAGE_FLAGS) hr = MAPI_E_UNKNOWN_FLAGS;
    else if (!message_is_interface(lpInterface)) hr = MAPI_E_INTERFACE_NOT_SUPPORTED;
    else hr = message_create(folder->prop.os, folder->folder_id, (ulFlags & MAPI_ASSOCIATED) != 0, lppMessage);
    open_store_leave(folder->prop.os);
    return hr;
}

/*
 * The message ids of an entry list, in a MAPI block (*ids NULL for a NULL
 * list): MAPI_E_INVALID_ENTRYID when one is not an entry ID of this store's
 * messages, MAPI_E_INVALID_PARAMETER for a list that is not one.
 */
static HRESULT message_ids_of(struct open_store *os, const ENTRYLIST *list, ULONGLONG **ids)
{
    ULONG i;
    *ids = NULL;
    if (!list) return S_OK;
    if (list->cValues && !list->lpbin) return MAPI_E_INVALID_PARAMETER;
    if (!(*ids = mapi_alloc_zeroed(&os->alloc, ((size_t)list->cValues + 1) * sizeof(**ids))))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < list->cValues; i++) {
        struct entryid_fields fields;
        HRESULT hr = entryid_decode(list->lpbin[i].cb, (const ENTRYID *)list->lpbin[i].lpb, &fields);
        if (SUCCEEDED(hr) && (memcmp(&fields.store_uid, model_uid(os->model), sizeof(MAPIUID)) != 0 ||
                              fields.kind != ENTRYID_KIND_MESSAGE))
            hr = MAPI_E_INVALID_ENTRYID;
        if (FAILED(hr)) {
            mapi_free(&os->alloc, *ids);
            *ids = NULL;
            return hr;
        }
        (*ids)[i] = fields.object_id;
    }
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE folder_DeleteMessages(IMAPIFolder *iface, LPENTRYLIST lpMsgList,
                                                       ULONG_PTR ulUIParam,
                                                       LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    struct open_store *os = folder->prop.os;
    ULONGLONG *ids = NULL;
    ULONG missing = 0;
    HRESULT hr;
    (void)ulUIParam, (void)lpProgress; /* no dialog, and one transaction: nothing to show progress of */
    if (FAILED(hr = enter_folder(folder, TRUE, NULL))) return hr;
    if (!lpMsgList) hr = MAPI_E_INVALID_PARAMETER;
    else if (ulFlags & ~DELETE_MESSAGES_FLAGS) hr = MAPI_E_UNKNOWN_FLAGS;
    else hr = message_ids_of(os, lpMsgList, &ids);
    if (SUCCEEDED(hr))
        hr = model_messages_delete(os->model, folder->folder_id, lpMsgList->cValues, ids, &missing,
                                   open_store_begin_change(os));
    if (SUCCEEDED(hr)) open_store_publish(os);
    open_store_leave(os);
    mapi_free(&os->alloc, ids);
    /* Messages already gone, or in another folder, are left as they are. */
    return SUCCEEDED(hr) && missing ? MAPI_W_PARTIAL_COMPLETION : hr;
}

/* IMAPIFolder::SetReadFlags; a NULL list is every message of the folder. msstore sends no receipts. */
static HRESULT STDMETHODCALLTYPE folder_SetReadFlags(IMAPIFolder *iface, LPENTRYLIST lpMsgList,
                                                     ULONG_PTR ulUIParam,
                                                     LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    struct open_store *os = folder->prop.os;
    ULONGLONG *ids = NULL;
    ULONG missing = 0;
    HRESULT hr;
    (void)ulUIParam, (void)lpProgress;
    if (FAILED(hr = enter_folder(folder, TRUE, NULL))) return hr;
    if (ulFlags & ~SET_READ_FLAGS_FLAGS) hr = MAPI_E_UNKNOWN_FLAGS;
    else if ((ulFlags & CLEAR_READ_FLAG) && (ulFlags & (SUPPRESS_RECEIPT | GENERATE_RECEIPT_ONLY)))
        hr = MAPI_E_INVALID_PARAMETER;
    else hr = message_ids_of(os, lpMsgList, &ids);
    if (SUCCEEDED(hr) && !(ulFlags & GENERATE_RECEIPT_ONLY))
        hr = model_messages_set_read(os->model, folder->folder_id, lpMsgList ? lpMsgList->cValues : 0, ids,
                                     !(ulFlags & CLEAR_READ_FLAG), &missing, open_store_begin_change(os));
    if (SUCCEEDED(hr)) open_store_publish(os);
    open_store_leave(os);
    mapi_free(&os->alloc, ids);
    return SUCCEEDED(hr) && missing ? MAPI_W_PARTIAL_COMPLETION : hr;
}

#define COPY_MESSAGES_FLAGS (MESSAGE_MOVE | MESSAGE_DIALOG | MAPI_DECLINE_OK)

/*
 * IMAPIFolder::CopyMessages within this logon's store, in one transaction
 * (a move keeps each message's entry ID). A destination in another store is
 * MAPI_E_NO_SUPPORT: MAPI then copies through the client, message by message.
 */
static HRESULT STDMETHODCALLTYPE folder_CopyMessages(IMAPIFolder *iface, LPENTRYLIST lpMsgList,
                                                     LPCIID lpInterface, LPVOID lpDestFolder,
                                                     ULONG_PTR ulUIParam,
                                                     LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    struct folder *folder = impl_from_IMAPIFolder(iface), *dest;
    struct open_store *os = folder->prop.os;
    BOOL move = (ulFlags & MESSAGE_MOVE) != 0, dest_special;
    ULONGLONG *ids = NULL, dest_parent;
    ULONG missing = 0;
    HRESULT hr;
    (void)ulUIParam, (void)lpProgress; /* no dialog; one transaction */

    if (FAILED(hr = open_store_check_alive(os))) return hr;
    if (ulFlags & ~COPY_MESSAGES_FLAGS) return MAPI_E_UNKNOWN_FLAGS;
    if (!lpMsgList || !lpDestFolder) return MAPI_E_INVALID_PARAMETER;
    if (lpInterface && !is_folder_interface(lpInterface)) return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (!(dest = folder_of_this_store(os, lpInterface, lpDestFolder))) return MAPI_E_NO_SUPPORT;
    if (!dest->prop.writable) return MAPI_E_NO_ACCESS;
    if (FAILED(hr = enter_folder(folder, move, NULL))) return hr;
    hr = deleted_if_gone(model_folder_parent(os->model, dest->folder_id, &dest_parent, &dest_special));
    if (SUCCEEDED(hr)) hr = message_ids_of(os, lpMsgList, &ids);
    if (SUCCEEDED(hr))
        hr = model_messages_copy(os->model, folder->folder_id, lpMsgList->cValues, ids, dest->folder_id, move, &missing,
                                 open_store_begin_change(os));
    if (SUCCEEDED(hr)) open_store_publish(os);
    open_store_leave(os);
    mapi_free(&os->alloc, ids);
    return SUCCEEDED(hr) && missing ? MAPI_W_PARTIAL_COMPLETION : hr;
}

/* The id of one of this store's messages from an entry ID: MAPI_E_INVALID_ENTRYID for anything else. */
static HRESULT message_id_of(struct open_store *os, ULONG cb, const ENTRYID *entryid, ULONGLONG *id)
{
    SBinary bin = {cb, (BYTE *)entryid};
    ENTRYLIST list = {1, &bin};
    ULONGLONG *ids = NULL;
    HRESULT hr = entryid ? message_ids_of(os, &list, &ids) : MAPI_E_INVALID_PARAMETER;
    if (SUCCEEDED(hr)) *id = ids[0];
    mapi_free(&os->alloc, ids);
    return hr;
}

/* Get- and SetMessageStatus: PR_MSG_STATUS, kept by the store apart from the message's own changes. */
static HRESULT message_status(struct folder *folder, ULONG cb, LPENTRYID entryid, ULONG new_status, ULONG mask,
                              ULONG *old_status)
{
    struct open_store *os = folder->prop.os;
    ULONGLONG id = 0;
    HRESULT hr = enter_folder(folder, mask != 0, NULL);
    if (FAILED(hr)) return hr;
    if (!old_status) hr = MAPI_E_INVALID_PARAMETER;
    else hr = message_id_of(os, cb, entryid, &id);
    if (SUCCEEDED(hr))
        hr = model_message_status(os->model, folder->folder_id, id, new_status, mask, old_status,
                                  open_store_begin_change(os));
    if (SUCCEEDED(hr) && mask) open_store_publish(os);
    open_store_leave(os);
    return hr;
}

static HRESULT STDMETHODCALLTYPE folder_GetMessageStatus(IMAPIFolder *iface, ULONG cbEntryID,
                                                         LPENTRYID lpEntryID, ULONG ulFlags,
                                                         ULONG *lpulMessageStatus)
{
    if (lpulMessageStatus) *lpulMessageStatus = 0;
    if (ulFlags) return open_store_refuse(folder_os(iface), MAPI_E_UNKNOWN_FLAGS);
    return message_status(impl_from_IMAPIFolder(iface), cbEntryID, lpEntryID, 0, 0, lpulMessageStatus);
}

static HRESULT STDMETHODCALLTYPE folder_SetMessageStatus(IMAPIFolder *iface, ULONG cbEntryID,
                                                         LPENTRYID lpEntryID, ULONG ulNewStatus,
                                                         ULONG ulNewStatusMask,
                                                         ULONG *lpulOldStatus)
{
    ULONG old = 0;
    /* The old status is optional here. */
    HRESULT hr = message_status(impl_from_IMAPIFolder(iface), cbEntryID, lpEntryID, ulNewStatus, ulNewStatusMask,
                                &old);
    if (lpulOldStatus) *lpulOldStatus = SUCCEEDED(hr) ? old : 0;
    return hr;
}

/* The sort the folder's contents table opens with (RECURSIVE_SORT: every folder's under it too), kept in the file. */
static HRESULT STDMETHODCALLTYPE folder_SaveContentsSort(IMAPIFolder *iface,
                                                         LPSSortOrderSet lpSortCriteria,
                                                         ULONG ulFlags)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    struct open_store *os = folder->prop.os;
    HRESULT hr = enter_folder(folder, TRUE, NULL);
    if (FAILED(hr)) return hr;
    if (ulFlags & ~RECURSIVE_SORT) hr = MAPI_E_UNKNOWN_FLAGS;
    else if (SUCCEEDED(hr = table_check_sort(lpSortCriteria)))
        hr = deleted_if_gone(model_folder_sort_save(os->model, folder->folder_id, lpSortCriteria,
                                                    (ulFlags & RECURSIVE_SORT) != 0));
    open_store_leave(os);
    return hr;
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
