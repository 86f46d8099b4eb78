#include "objects/message.h"

#include "mapi/com.h"
#include "model/model.h"
#include "objects/attach.h"
#include "objects/copy.h"
#include "objects/prop_object.h"
#include "objects/stream.h"
#include "table/table.h"

struct message {
    IMessage IMessage_iface;
    LONG refs;
    struct prop_object prop;
    struct model_message *model; /* the message's copy of its values, and its id once saved */
    IAttach *owner; /* for an embedded message, the attachment it is saved into (a reference); else NULL */
};

static const IID *const message_iids[] = {&IID_IMessage, &IID_IMAPIProp, NULL};
static const IMessageAbiVtbl message_vtbl;

static inline struct message *impl_from_IMessage(IMessage *iface)
{
    return CONTAINING_RECORD(iface, struct message, IMessage_iface);
}

static inline struct open_store *message_os(IMessage *iface) { return impl_from_IMessage(iface)->prop.os; }

static struct message *message_of(struct prop_object *object)
{
    return CONTAINING_RECORD(object, struct message, prop);
}

BOOL message_is_interface(LPCIID iid) { return !iid || com_iid_listed(message_iids, iid); }

/* A message deleted (or whose folder was deleted) while open answers as such (D13). */
static HRESULT deleted_if_gone(HRESULT hr) { return hr == MAPI_E_NOT_FOUND ? MAPI_E_OBJECT_DELETED : hr; }

HRESULT message_check(IMessage *iface)
{
    struct message *message = impl_from_IMessage(iface);
    HRESULT hr = deleted_if_gone(model_message_check(message->prop.os->model, message->model));
    /* An embedded message lives while its attachment does, and that one while its message does. */
    if (SUCCEEDED(hr) && message->owner) hr = attach_check(message->owner);
    return hr;
}

struct model_message *message_model(IMessage *iface) { return impl_from_IMessage(iface)->model; }

/* ---- properties ---- */

static HRESULT read_message(struct prop_object *object, struct prop_list *out)
{
    struct message *message = message_of(object);
    HRESULT hr = message_check(&message->IMessage_iface);
    if (SUCCEEDED(hr)) hr = model_message_props(object->os->model, message->model, object->writable, out);
    return hr;
}

static HRESULT set_message_props(struct prop_object *object, ULONG count, const SPropValue *values, SCODE *problems)
{
    struct message *message = message_of(object);
    HRESULT hr = message_check(&message->IMessage_iface);
    if (SUCCEEDED(hr)) hr = model_message_set_props(object->os->model, message->model, count, values, problems);
    return hr;
}

static HRESULT delete_message_props(struct prop_object *object, const SPropTagArray *tags, SCODE *problems)
{
    struct message *message = message_of(object);
    HRESULT hr = message_check(&message->IMessage_iface);
    if (SUCCEEDED(hr)) hr = model_message_delete_props(object->os->model, message->model, tags, problems);
    return hr;
}

/* SaveChanges: into the file in one transaction; an embedded message's into its attachment's copy. */
static HRESULT save_message(struct prop_object *object, ULONG flags)
{
    struct message *message = message_of(object);
    HRESULT hr = message->owner ? attach_embed(message->owner, message->model)
                                : deleted_if_gone(model_message_save(object->os->model, message->model,
                                                                     (flags & FORCE_SAVE) != 0, &object->os->changes));
    if (SUCCEEDED(hr) && (flags & KEEP_OPEN_READONLY)) object->writable = FALSE;
    return hr;
}

static UINT message_codepage_of(struct prop_object *object)
{
    return model_message_codepage(message_of(object)->model);
}

static HRESULT message_copy_source(struct prop_object *object, struct copy_source **out)
{
    struct message *message = message_of(object);
    HRESULT hr = message_check(&message->IMessage_iface);
    if (SUCCEEDED(hr)) hr = copy_source_of_message(object->os, message->model, out);
    return hr;
}

static const struct prop_object_ops message_prop_ops = {read_message,     set_message_props,  delete_message_props,
                                                        MAPI_E_NO_ACCESS, save_message,       message_copy_source,
                                                        &IID_IMessage,    message_codepage_of};

/* ---- objects ---- */

/* A message object for model (which it takes), counted with os (lock held, the store live). */
static IMessage *message_wrap(struct open_store *os, struct model_message *model, BOOL writable, IAttach *owner)
{
    struct message *message = mapi_alloc_zeroed(&os->alloc, sizeof(*message));
    if (!message) return NULL;
    message->IMessage_iface.lpVtbl = ABI_AS_VTBL(IMessage, &message_vtbl);
    message->refs = 1;
    message->prop.os = os;
    message->prop.ops = &message_prop_ops;
    message->prop.writable = writable;
    message->model = model;
    message->owner = owner;
    if (owner) owner->lpVtbl->AddRef(owner);
    open_store_register_locked(os);
    return &message->IMessage_iface;
}

HRESULT message_create(struct open_store *os, ULONGLONG folder_id, BOOL associated, IMessage **out)
{
    struct model_message *model;
    HRESULT hr = model_message_new(os->model, folder_id, associated, &model);
    *out = NULL;
    if (FAILED(hr)) return hr;
    return message_from_model(os, model, TRUE, NULL, out);
}

HRESULT message_open(struct open_store *os, ULONGLONG message_id, BOOL writable, IMessage **out)
{
    struct model_message *model;
    HRESULT hr = model_message_open(os->model, message_id, &model);
    *out = NULL;
    if (FAILED(hr)) return hr;
    return message_from_model(os, model, writable, NULL, out);
}

HRESULT message_from_model(struct open_store *os, struct model_message *model, BOOL writable, IAttach *owner,
                                IMessage **out)
{
    if (!(*out = message_wrap(os, model, writable, owner))) {
        model_message_free(model);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE message_QueryInterface(IMessage *iface, REFIID riid, void **ppv)
{
    return com_query_interface((IUnknown *)iface, message_iids, riid, ppv);
}

static ULONG STDMETHODCALLTYPE message_AddRef(IMessage *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IMessage(iface)->refs);
}

static ULONG STDMETHODCALLTYPE message_Release(IMessage *iface)
{
    struct message *message = impl_from_IMessage(iface);
    struct open_store *os = message->prop.os;
    struct mapi_allocators alloc = os->alloc;
    LONG refs = InterlockedDecrement(&message->refs);
    if (refs) return (ULONG)refs;
    model_message_free(message->model); /* unsaved changes die with the object */
    if (message->owner) message->owner->lpVtbl->Release(message->owner);
    open_store_unregister(os); /* may free os */
    mapi_free(&alloc, message);
    return 0;
}

PROP_OBJECT_METHODS(message, IMessage, struct message, prop)

/* Enters the lock for a method of a message that must still exist; on success the lock is held. */
static HRESULT enter_message(struct message *message, BOOL for_writing)
{
    struct open_store *os = message->prop.os;
    HRESULT hr = open_store_enter(os);
    if (FAILED(hr)) return hr;
    hr = message_check(&message->IMessage_iface);
    if (SUCCEEDED(hr) && for_writing && !message->prop.writable) hr = MAPI_E_NO_ACCESS;
    if (FAILED(hr)) open_store_leave(os);
    return hr;
}

/* ---- recipient and attachment tables ---- */

/* A recipient table's default columns. */
static const ULONG recipient_columns[] = {PR_ROWID,       PR_DISPLAY_NAME_W, PR_EMAIL_ADDRESS_W, PR_ADDRTYPE_W,
                                          PR_RECIPIENT_TYPE, PR_ENTRYID,     PR_INSTANCE_KEY};
/* An attachment table's default columns. */
static const ULONG attachment_columns[] = {PR_ATTACH_NUM, PR_INSTANCE_KEY, PR_RECORD_KEY, PR_RENDERING_POSITION};

#define SUBOBJECT_TABLE_FLAGS (MAPI_UNICODE | MAPI_DEFERRED_ERRORS)

/* The rows a recipient or attachment table shows: the object's copy when the table was opened, owned by the table. */
struct row_snapshot {
    struct prop_list *rows;
    ULONG count;
};

static HRESULT list_snapshot(const struct table_source *source, struct model *model, struct model_row **rows,
                             ULONG *count)
{
    const struct row_snapshot *snapshot = source->context;
    ULONG i;
    *count = 0;
    if (!(*rows = mapi_alloc_zeroed(model_allocators(model), (snapshot->count + 1) * sizeof(**rows))))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < snapshot->count; i++) (*rows)[i].id = i + 1;
    *count = snapshot->count;
    return S_OK;
}

static HRESULT read_snapshot(const struct table_source *source, struct model *model, ULONGLONG id,
                             const SPropTagArray *only, struct prop_list *out)
{
    const struct row_snapshot *snapshot = source->context;
    (void)only; /* a few rows, held whole */
    return props_copy_list(model_allocators(model), &snapshot->rows[id - 1], out);
}

static void release_snapshot(const struct mapi_allocators *alloc, void *context)
{
    struct row_snapshot *snapshot = context;
    model_free_rows(alloc, snapshot->rows, snapshot->count);
    mapi_free(alloc, snapshot);
}

static const struct table_source_ops snapshot_source = {list_snapshot, read_snapshot, NULL, NULL, release_snapshot, NULL};

/* The rows of one of the message's sub-object tables, from its copy. */
typedef HRESULT (*snapshot_rows_fn)(struct model *model, const struct model_message *message, struct prop_list **rows,
                                    ULONG *count);

/* A table of what the object's copy holds now, saved or not (TBLTYPE_SNAPSHOT). */
static HRESULT open_snapshot_table(struct message *message, snapshot_rows_fn rows_of, const ULONG *columns,
                                   ULONG column_count, ULONG flags, IMAPITable **out)
{
    struct open_store *os = message->prop.os;
    struct table_spec spec = {{&snapshot_source, 0, 0, NULL}, columns, column_count, FALSE, flags, NULL};
    struct row_snapshot *snapshot = mapi_alloc_zeroed(&os->alloc, sizeof(*snapshot));
    HRESULT hr = snapshot ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr)) hr = rows_of(os->model, message->model, &snapshot->rows, &snapshot->count);
    if (FAILED(hr)) {
        mapi_free(&os->alloc, snapshot);
        return hr;
    }
    spec.source.context = snapshot;
    return table_create(os, &spec, out);
}

static HRESULT open_recipient_table(struct message *message, ULONG flags, IMAPITable **out)
{
    return open_snapshot_table(message, model_message_recipient_rows, recipient_columns, ARRAYSIZE(recipient_columns),
                               flags, out);
}

static HRESULT open_attachment_table(struct message *message, ULONG flags, IMAPITable **out)
{
    return open_snapshot_table(message, model_message_attachment_rows, attachment_columns,
                               ARRAYSIZE(attachment_columns), flags, out);
}

/* GetRecipientTable and GetAttachmentTable. */
static HRESULT get_table(IMessage *iface, ULONG flags, IMAPITable **out,
                         HRESULT (*open)(struct message *, ULONG, IMAPITable **))
{
    struct message *message = impl_from_IMessage(iface);
    HRESULT hr;
    if (out) *out = NULL;
    if (FAILED(hr = enter_message(message, FALSE))) return hr;
    if (!out) hr = MAPI_E_INVALID_PARAMETER;
    else if (flags & ~SUBOBJECT_TABLE_FLAGS) hr = MAPI_E_UNKNOWN_FLAGS;
    else hr = open(message, flags, out);
    open_store_leave(message->prop.os);
    return hr;
}

static HRESULT STDMETHODCALLTYPE message_GetRecipientTable(IMessage *iface, ULONG ulFlags, LPMAPITABLE *lppTable)
{
    return get_table(iface, ulFlags, lppTable, open_recipient_table);
}

static HRESULT STDMETHODCALLTYPE message_GetAttachmentTable(IMessage *iface, ULONG ulFlags, LPMAPITABLE *lppTable)
{
    return get_table(iface, ulFlags, lppTable, open_attachment_table);
}

static HRESULT STDMETHODCALLTYPE message_ModifyRecipients(IMessage *iface, ULONG ulFlags, LPADRLIST lpMods)
{
    struct message *message = impl_from_IMessage(iface);
    HRESULT hr;
    if (FAILED(hr = enter_message(message, TRUE))) return hr;
    if (!lpMods) hr = MAPI_E_INVALID_PARAMETER;
    else if (ulFlags & ~(MODRECIP_ADD | MODRECIP_MODIFY | MODRECIP_REMOVE)) hr = MAPI_E_UNKNOWN_FLAGS;
    else hr = model_message_modify_recipients(message->prop.os->model, message->model, ulFlags, lpMods);
    open_store_leave(message->prop.os);
    return hr;
}

/* ---- streams ---- */

#define OPEN_PROPERTY_FLAGS (MAPI_CREATE | MAPI_MODIFY | MAPI_DEFERRED_ERRORS)

static HRESULT read_from_message(IUnknown *owner, ULONG tag, BYTE **data, ULONG *size)
{
    struct message *message = impl_from_IMessage((IMessage *)owner);
    return model_message_stream_read(message->prop.os->model, message->model, tag, data, size);
}

/* A stream's bytes, committed: one more unsaved change of the message (lock held). */
static HRESULT commit_to_message(IUnknown *owner, ULONG tag, const BYTE *data, ULONG size)
{
    struct message *message = impl_from_IMessage((IMessage *)owner);
    struct model *model = message->prop.os->model;
    HRESULT hr = message_check(&message->IMessage_iface);
    if (SUCCEEDED(hr)) hr = model_message_stream_write(model, message->model, tag, data, size);
    return hr;
}

/*
 * OpenProperty: IID_IStream of a binary or string property (stream.h), and
 * the recipient and attachment tables as the PT_OBJECT properties
 * PR_MESSAGE_RECIPIENTS and PR_MESSAGE_ATTACHMENTS (ulInterfaceOptions: the
 * table's flags).
 */
static HRESULT STDMETHODCALLTYPE message_OpenProperty(IMessage *iface, ULONG ulPropTag, LPCIID lpiid,
                                                      ULONG ulInterfaceOptions, ULONG ulFlags, LPUNKNOWN *lppUnk)
{
    struct message *message = impl_from_IMessage(iface);
    struct open_store *os = message->prop.os;
    BOOL writing = (ulFlags & (MAPI_MODIFY | MAPI_CREATE)) != 0;
    HRESULT hr;
    if (lppUnk) *lppUnk = NULL;
    if (FAILED(hr = enter_message(message, writing))) return hr;
    if (!lppUnk || !lpiid) hr = MAPI_E_INVALID_PARAMETER;
    else if (ulFlags & ~OPEN_PROPERTY_FLAGS) hr = MAPI_E_UNKNOWN_FLAGS;
    else if ((ulPropTag == PR_MESSAGE_RECIPIENTS || ulPropTag == PR_MESSAGE_ATTACHMENTS) &&
             IsEqualIID(lpiid, &IID_IMAPITable))
        hr = writing ? MAPI_E_NO_ACCESS
             : (ulInterfaceOptions & ~SUBOBJECT_TABLE_FLAGS) ? MAPI_E_UNKNOWN_FLAGS
             : ulPropTag == PR_MESSAGE_RECIPIENTS ? open_recipient_table(message, ulInterfaceOptions, (IMAPITable **)lppUnk)
             : open_attachment_table(message, ulInterfaceOptions, (IMAPITable **)lppUnk);
    else if (!IsEqualIID(lpiid, &IID_IStream)) hr = MAPI_E_INTERFACE_NOT_SUPPORTED;
    else hr = stream_open_value(os, (IUnknown *)iface, ulPropTag, ulFlags, read_from_message, commit_to_message,
                                (IStream **)lppUnk);
    open_store_leave(os);
    return hr;
}

/* ---- attachments ---- */

#define OPEN_ATTACH_FLAGS (MAPI_MODIFY | MAPI_DEFERRED_ERRORS | MAPI_BEST_ACCESS)

static BOOL is_attach_interface(LPCIID iid)
{
    return !iid || IsEqualIID(iid, &IID_IAttachment) || IsEqualIID(iid, &IID_IMAPIProp) ||
           IsEqualIID(iid, &IID_IUnknown);
}

static HRESULT STDMETHODCALLTYPE message_OpenAttach(IMessage *iface, ULONG ulAttachmentNum, LPCIID lpInterface,
                                                    ULONG ulFlags, LPATTACH *lppAttach)
{
    struct message *message = impl_from_IMessage(iface);
    struct open_store *os = message->prop.os;
    struct model_attachment *model = NULL;
    BOOL writable = message->prop.writable && (ulFlags & (MAPI_MODIFY | MAPI_BEST_ACCESS));
    HRESULT hr;
    if (lppAttach) *lppAttach = NULL;
    if (FAILED(hr = enter_message(message, (ulFlags & MAPI_MODIFY) != 0))) return hr;
    if (!lppAttach) hr = MAPI_E_INVALID_PARAMETER;
    else if (ulFlags & ~OPEN_ATTACH_FLAGS) hr = MAPI_E_UNKNOWN_FLAGS;
    else if (!is_attach_interface(lpInterface)) hr = MAPI_E_INTERFACE_NOT_SUPPORTED;
    else hr = model_attachment_open(os->model, message->model, ulAttachmentNum, &model);
    if (SUCCEEDED(hr)) hr = attach_create(os, iface, model, writable, lppAttach);
    open_store_leave(os);
    return hr;
}

static HRESULT STDMETHODCALLTYPE message_CreateAttach(IMessage *iface, LPCIID lpInterface, ULONG ulFlags,
                                                      ULONG *lpulAttachmentNum, LPATTACH *lppAttach)
{
    struct message *message = impl_from_IMessage(iface);
    struct open_store *os = message->prop.os;
    struct model_attachment *model = NULL;
    HRESULT hr;
    if (lpulAttachmentNum) *lpulAttachmentNum = 0;
    if (lppAttach) *lppAttach = NULL;
    if (FAILED(hr = enter_message(message, TRUE))) return hr;
    if (!lppAttach || !lpulAttachmentNum) hr = MAPI_E_INVALID_PARAMETER;
    else if (ulFlags & ~MAPI_DEFERRED_ERRORS) hr = MAPI_E_UNKNOWN_FLAGS;
    else if (!is_attach_interface(lpInterface)) hr = MAPI_E_INTERFACE_NOT_SUPPORTED;
    else hr = model_attachment_new(os->model, message->model, &model);
    if (SUCCEEDED(hr)) *lpulAttachmentNum = model_attachment_num(model);
    if (SUCCEEDED(hr)) hr = attach_create(os, iface, model, TRUE, lppAttach);
    if (FAILED(hr) && lpulAttachmentNum) *lpulAttachmentNum = 0;
    open_store_leave(os);
    return hr;
}

/* DeleteAttach: gone from the object's copy at once, from the store at the message's SaveChanges. */
static HRESULT STDMETHODCALLTYPE message_DeleteAttach(IMessage *iface, ULONG ulAttachmentNum, ULONG_PTR ulUIParam,
                                                      LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    struct message *message = impl_from_IMessage(iface);
    HRESULT hr;
    (void)ulUIParam, (void)lpProgress; /* no dialog, and one step: nothing to show progress of */
    if (FAILED(hr = enter_message(message, TRUE))) return hr;
    if (ulFlags & ~ATTACH_DIALOG) hr = MAPI_E_UNKNOWN_FLAGS;
    else hr = model_message_delete_attachment(message->prop.os->model, message->model, ulAttachmentNum);
    open_store_leave(message->prop.os);
    return hr;
}

/* msstore has no transport: a message is never submitted from it (the README says so). */
static HRESULT STDMETHODCALLTYPE message_SubmitMessage(IMessage *iface, ULONG ulFlags)
{
    (void)ulFlags;
    return open_store_refuse(message_os(iface), MAPI_E_NO_SUPPORT);
}

#define SET_READ_FLAG_FLAGS (SUPPRESS_RECEIPT | CLEAR_READ_FLAG | MAPI_DEFERRED_ERRORS | GENERATE_RECEIPT_ONLY | \
                             CLEAR_RN_PENDING | CLEAR_NRN_PENDING)

/*
 * IMessage::SetReadFlag: MSGFLAG_READ set (or cleared) at once, for a saved
 * message in the store too. GENERATE_RECEIPT_ONLY changes nothing: msstore
 * sends no receipts.
 */
static HRESULT STDMETHODCALLTYPE message_SetReadFlag(IMessage *iface, ULONG ulFlags)
{
    struct message *message = impl_from_IMessage(iface);
    struct open_store *os = message->prop.os;
    HRESULT hr = enter_message(message, FALSE);
    if (FAILED(hr)) return hr;
    if (ulFlags & ~SET_READ_FLAG_FLAGS) hr = MAPI_E_UNKNOWN_FLAGS;
    else if ((ulFlags & CLEAR_READ_FLAG) && (ulFlags & (SUPPRESS_RECEIPT | GENERATE_RECEIPT_ONLY)))
        hr = MAPI_E_INVALID_PARAMETER;
    else if (!model_writable(os->model)) hr = MAPI_E_NO_ACCESS;
    if (SUCCEEDED(hr) && !(ulFlags & GENERATE_RECEIPT_ONLY)) {
        open_store_begin_change(os);
        hr = deleted_if_gone(model_message_set_read_flag(os->model, message->model, !(ulFlags & CLEAR_READ_FLAG),
                                                         &os->changes));
        if (SUCCEEDED(hr)) open_store_publish(os);
    }
    open_store_leave(os);
    return hr;
}

static const IMessageAbiVtbl message_vtbl = {
    message_QueryInterface,
    message_AddRef,
    message_Release,
    PROP_OBJECT_VTBL_ENTRIES(message),
    message_GetAttachmentTable,
    message_OpenAttach,
    message_CreateAttach,
    message_DeleteAttach,
    message_GetRecipientTable,
    message_ModifyRecipients,
    message_SubmitMessage,
    message_SetReadFlag,
};
