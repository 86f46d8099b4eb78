/*
 * IAttach: one attachment of an open message, transacted like the message.
 * Its SetProps, DeleteProps and streams change its own copy; its
 * SaveChanges gives the copy to the message's, which the message's
 * SaveChanges writes. Its data is PR_ATTACH_DATA_BIN through an IStream, or
 * an embedded message through OpenProperty(PR_ATTACH_DATA_OBJ, IID_IMessage).
 */
#include "objects/attach.h"

#include "mapi/com.h"
#include "model/model.h"
#include "objects/copy.h"
#include "objects/message.h"
#include "objects/prop_object.h"
#include "objects/stream.h"

struct attach {
    IAttach IAttach_iface;
    LONG refs;
    struct prop_object prop;
    IMessage *parent; /* a reference: the message whose copy SaveChanges goes into */
    struct model_attachment *model;
};

static const IID *const attach_iids[] = {&IID_IAttachment, &IID_IMAPIProp, NULL};
static const IAttachAbiVtbl attach_vtbl;

static inline struct attach *impl_from_IAttach(IAttach *iface)
{
    return CONTAINING_RECORD(iface, struct attach, IAttach_iface);
}

static struct attach *attach_of(struct prop_object *object) { return CONTAINING_RECORD(object, struct attach, prop); }

HRESULT attach_check(IAttach *iface) { return message_check(impl_from_IAttach(iface)->parent); }

HRESULT attach_embed(IAttach *iface, struct model_message *embedded)
{
    struct attach *attach = impl_from_IAttach(iface);
    HRESULT hr = attach_check(iface);
    if (SUCCEEDED(hr)) hr = model_attachment_embed(attach->prop.os->model, attach->model, embedded);
    return hr;
}

/* ---- properties ---- */

static HRESULT read_attach(struct prop_object *object, struct prop_list *out)
{
    struct attach *attach = attach_of(object);
    HRESULT hr = attach_check(&attach->IAttach_iface);
    if (SUCCEEDED(hr)) hr = model_attachment_props(object->os->model, attach->model, object->writable, out);
    return hr;
}

static HRESULT set_attach_props(struct prop_object *object, ULONG count, const SPropValue *values, SCODE *problems)
{
    struct attach *attach = attach_of(object);
    HRESULT hr = attach_check(&attach->IAttach_iface);
    if (SUCCEEDED(hr)) hr = model_attachment_set_props(object->os->model, attach->model, count, values, problems);
    return hr;
}

static HRESULT delete_attach_props(struct prop_object *object, const SPropTagArray *tags, SCODE *problems)
{
    struct attach *attach = attach_of(object);
    HRESULT hr = attach_check(&attach->IAttach_iface);
    if (SUCCEEDED(hr)) hr = model_attachment_delete_props(object->os->model, attach->model, tags, problems);
    return hr;
}

/* SaveChanges: into the message's copy, not the store (the message's own SaveChanges writes it there). */
static HRESULT save_attach(struct prop_object *object, ULONG flags)
{
    struct attach *attach = attach_of(object);
    HRESULT hr = attach_check(&attach->IAttach_iface);
    if (SUCCEEDED(hr))
        hr = model_attachment_save(object->os->model, message_model(attach->parent), attach->model);
    if (SUCCEEDED(hr) && (flags & KEEP_OPEN_READONLY)) object->writable = FALSE;
    return hr;
}

static UINT attach_codepage_of(struct prop_object *object)
{
    return model_attachment_codepage(attach_of(object)->model);
}

static HRESULT attach_copy_source(struct prop_object *object, struct copy_source **out)
{
    struct attach *attach = attach_of(object);
    HRESULT hr = attach_check(&attach->IAttach_iface);
    if (SUCCEEDED(hr)) hr = copy_source_of_attachment(object->os, attach->model, out);
    return hr;
}

static const struct prop_object_ops attach_prop_ops = {read_attach,      set_attach_props, delete_attach_props,
                                                       MAPI_E_NO_ACCESS, save_attach,      attach_copy_source,
                                                       &IID_IAttachment, attach_codepage_of};

/* ---- the object ---- */

HRESULT attach_create(struct open_store *os, IMessage *parent, struct model_attachment *model, BOOL writable,
                      IAttach **out)
{
    struct attach *attach = mapi_alloc_zeroed(&os->alloc, sizeof(*attach));
    *out = NULL;
    if (!attach) {
        model_attachment_free(model);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    attach->IAttach_iface.lpVtbl = ABI_AS_VTBL(IAttach, &attach_vtbl);
    attach->refs = 1;
    attach->prop.os = os;
    attach->prop.ops = &attach_prop_ops;
    attach->prop.writable = writable;
    attach->parent = parent;
    parent->lpVtbl->AddRef(parent);
    attach->model = model;
    open_store_register_locked(os);
    *out = &attach->IAttach_iface;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE attach_QueryInterface(IAttach *iface, REFIID riid, void **ppv)
{
    return com_query_interface((IUnknown *)iface, attach_iids, riid, ppv);
}

static ULONG STDMETHODCALLTYPE attach_AddRef(IAttach *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IAttach(iface)->refs);
}

static ULONG STDMETHODCALLTYPE attach_Release(IAttach *iface)
{
    struct attach *attach = impl_from_IAttach(iface);
    struct open_store *os = attach->prop.os;
    struct mapi_allocators alloc = os->alloc;
    LONG refs = InterlockedDecrement(&attach->refs);
    if (refs) return (ULONG)refs;
    model_attachment_free(attach->model); /* changes not saved into the message die with the object */
    attach->parent->lpVtbl->Release(attach->parent);
    open_store_unregister(os); /* may free os */
    mapi_free(&alloc, attach);
    return 0;
}

PROP_OBJECT_METHODS(attach, IAttach, struct attach, prop)

/* ---- its data ---- */

#define OPEN_PROPERTY_FLAGS (MAPI_CREATE | MAPI_MODIFY | MAPI_DEFERRED_ERRORS)

static HRESULT read_from_attach(IUnknown *owner, ULONG tag, BYTE **data, ULONG *size)
{
    struct attach *attach = impl_from_IAttach((IAttach *)owner);
    return model_attachment_stream_read(attach->prop.os->model, attach->model, tag, data, size);
}

static HRESULT commit_to_attach(IUnknown *owner, ULONG tag, const BYTE *data, ULONG size)
{
    struct attach *attach = impl_from_IAttach((IAttach *)owner);
    HRESULT hr = attach_check((IAttach *)owner);
    if (SUCCEEDED(hr)) hr = model_attachment_stream_write(attach->prop.os->model, attach->model, tag, data, size);
    return hr;
}

/* The embedded message: a new one with MAPI_CREATE (it replaces the old one when saved), else the one there is. */
static HRESULT open_embedded(struct attach *attach, ULONG flags, IMessage **out)
{
    struct open_store *os = attach->prop.os;
    struct model_message *model;
    HRESULT hr = model_attachment_embedded(os->model, attach->model, (flags & MAPI_CREATE) != 0, &model);
    if (FAILED(hr)) return hr;
    return message_from_model(os, model, (flags & (MAPI_MODIFY | MAPI_CREATE)) != 0, &attach->IAttach_iface, out);
}

/*
 * OpenProperty: IID_IStream of a binary or string value (PR_ATTACH_DATA_BIN
 * above all), IID_IMessage of PR_ATTACH_DATA_OBJ. OLE attachments'
 * IID_IStorage is MAPI_E_NO_SUPPORT: msstore is not STORE_OLE_OK.
 */
static HRESULT STDMETHODCALLTYPE attach_OpenProperty(IAttach *iface, ULONG ulPropTag, LPCIID lpiid,
                                                     ULONG ulInterfaceOptions, ULONG ulFlags, LPUNKNOWN *lppUnk)
{
    struct attach *attach = impl_from_IAttach(iface);
    struct open_store *os = attach->prop.os;
    HRESULT hr;
    (void)ulInterfaceOptions;
    if (lppUnk) *lppUnk = NULL;
    if (FAILED(hr = open_store_enter(os))) return hr;
    hr = attach_check(iface);
    if (SUCCEEDED(hr) && (ulFlags & (MAPI_MODIFY | MAPI_CREATE)) && !attach->prop.writable) hr = MAPI_E_NO_ACCESS;
    if (FAILED(hr)) {
        open_store_leave(os);
        return hr;
    }
    if (!lppUnk || !lpiid) hr = MAPI_E_INVALID_PARAMETER;
    else if (ulFlags & ~OPEN_PROPERTY_FLAGS) hr = MAPI_E_UNKNOWN_FLAGS;
    else if (ulPropTag == PR_ATTACH_DATA_OBJ && IsEqualIID(lpiid, &IID_IMessage))
        hr = open_embedded(attach, ulFlags, (IMessage **)lppUnk);
    else if (ulPropTag == PR_ATTACH_DATA_OBJ && IsEqualIID(lpiid, &IID_IStorage)) hr = MAPI_E_NO_SUPPORT;
    else if (!IsEqualIID(lpiid, &IID_IStream)) hr = MAPI_E_INTERFACE_NOT_SUPPORTED;
    else hr = stream_open_value(os, (IUnknown *)iface, ulPropTag, ulFlags, read_from_attach, commit_to_attach,
                                (IStream **)lppUnk);
    open_store_leave(os);
    return hr;
}

static const IAttachAbiVtbl attach_vtbl = {
    attach_QueryInterface,
    attach_AddRef,
    attach_Release,
    PROP_OBJECT_VTBL_ENTRIES(attach),
};
