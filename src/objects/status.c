#include "objects/status.h"

#include "mapi/com.h"
#include "model/model.h"
#include "objects/prop_object.h"
#include "registration/module_path.h"

#include <string.h>

struct status {
    IMAPIStatus IMAPIStatus_iface;
    LONG refs;
    struct prop_object prop;
};

#define VALIDATE_STATE_FLAGS                                                               \
    (SUPPRESS_UI | REFRESH_XP_HEADER_CACHE | PROCESS_XP_HEADER_CACHE | FORCE_XP_CONNECT |  \
     FORCE_XP_DISCONNECT | CONFIG_CHANGED | ABORT_XP_HEADER_OPERATION | SHOW_XP_SESSION_UI)

static const IID *const status_iids[] = {&IID_IMAPIStatus, &IID_IMAPIProp, NULL};

static inline struct status *impl_from_IMAPIStatus(IMAPIStatus *iface)
{
    return CONTAINING_RECORD(iface, struct status, IMAPIStatus_iface);
}

static inline struct open_store *status_os(IMAPIStatus *iface)
{
    return impl_from_IMAPIStatus(iface)->prop.os;
}

static HRESULT STDMETHODCALLTYPE status_QueryInterface(IMAPIStatus *iface, REFIID riid, void **ppv)
{
    return com_query_interface((IUnknown *)iface, status_iids, riid, ppv);
}

static ULONG STDMETHODCALLTYPE status_AddRef(IMAPIStatus *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IMAPIStatus(iface)->refs);
}

static ULONG STDMETHODCALLTYPE status_Release(IMAPIStatus *iface)
{
    struct status *status = impl_from_IMAPIStatus(iface);
    struct open_store *os = status->prop.os;
    struct mapi_allocators alloc = os->alloc;
    LONG refs = InterlockedDecrement(&status->refs);
    if (refs) return (ULONG)refs;
    open_store_unregister(os); /* may free os */
    mapi_free(&alloc, status);
    return 0;
}

HRESULT status_build_props(const struct mapi_allocators *alloc, const WCHAR *display_name, struct prop_list *out)
{
    WCHAR dll_name[MAX_PATH];
    struct prop_builder b;
    if (!module_registered_path(dll_name, ARRAYSIZE(dll_name))) wcscpy(dll_name, L"msstore.dll");
    props_begin(&b, alloc, 8);
    props_add_long(&b, PR_OBJECT_TYPE, MAPI_STATUS);
    props_add_string(&b, PR_PROVIDER_DISPLAY, msstore_provider_display);
    props_add_string(&b, PR_DISPLAY_NAME, display_name);
    props_add_string(&b, PR_PROVIDER_DLL_NAME, dll_name);
    props_add_long(&b, PR_RESOURCE_TYPE, MAPI_STORE_PROVIDER);
    props_add_long(&b, PR_RESOURCE_METHODS, STATUS_VALIDATE_STATE);
    props_add_long(&b, PR_STATUS_CODE, STATUS_AVAILABLE);
    props_add_string(&b, PR_STATUS_STRING, L"Available");
    return props_end(&b, out);
}

static HRESULT read_status(struct prop_object *object, struct prop_list *out)
{
    return status_build_props(&object->os->alloc, model_display_name(object->os->model), out);
}

/* The status row is the provider's to set (ModifyStatusRow), not a client's. */
static const struct prop_object_ops status_prop_ops = {read_status, NULL, NULL, MAPI_E_NO_ACCESS, NULL, NULL, NULL, NULL};

PROP_OBJECT_METHODS(status, IMAPIStatus, struct status, prop)

static HRESULT STDMETHODCALLTYPE status_OpenProperty(IMAPIStatus *iface, ULONG ulPropTag, LPCIID lpiid,
                                                     ULONG ulInterfaceOptions, ULONG ulFlags, LPUNKNOWN *lppUnk)
{
    (void)ulPropTag, (void)lpiid, (void)ulInterfaceOptions, (void)ulFlags;
    if (lppUnk) *lppUnk = NULL;
    return open_store_refuse(status_os(iface), MAPI_E_NO_SUPPORT);
}

/* A store without a server has nothing to reconnect or refresh: always valid. */
static HRESULT STDMETHODCALLTYPE status_ValidateState(IMAPIStatus *iface, ULONG_PTR ulUIParam, ULONG ulFlags)
{
    HRESULT hr = open_store_check_alive(status_os(iface));
    (void)ulUIParam;
    if (FAILED(hr)) return hr;
    return ulFlags & ~VALIDATE_STATE_FLAGS ? MAPI_E_UNKNOWN_FLAGS : S_OK;
}

/* msstore has no settings, no password and no queues. */

static HRESULT STDMETHODCALLTYPE status_SettingsDialog(IMAPIStatus *iface, ULONG_PTR ulUIParam, ULONG ulFlags)
{
    (void)ulUIParam, (void)ulFlags;
    return open_store_refuse(status_os(iface), MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE status_ChangePassword(IMAPIStatus *iface, LPTSTR lpOldPass, LPTSTR lpNewPass,
                                                       ULONG ulFlags)
{
    (void)lpOldPass, (void)lpNewPass, (void)ulFlags;
    return open_store_refuse(status_os(iface), MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE status_FlushQueues(IMAPIStatus *iface, ULONG_PTR ulUIParam, ULONG cbTargetTransport,
                                                    LPENTRYID lpTargetTransport, ULONG ulFlags)
{
    (void)ulUIParam, (void)cbTargetTransport, (void)lpTargetTransport, (void)ulFlags;
    return open_store_refuse(status_os(iface), MAPI_E_NO_SUPPORT);
}

static const IMAPIStatusAbiVtbl status_vtbl = {
    status_QueryInterface,  status_AddRef,          status_Release,
    PROP_OBJECT_VTBL_ENTRIES(status),
    status_ValidateState,   status_SettingsDialog,  status_ChangePassword,
    status_FlushQueues,
};

HRESULT status_open(struct open_store *os, LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType,
                    LPVOID *lppEntry)
{
    struct status *status;
    HRESULT hr;

    if (lpulObjType) *lpulObjType = 0;
    if (lppEntry) *lppEntry = NULL;
    if (FAILED(hr = open_store_check_alive(os))) return hr;
    if (!lpulObjType || !lppEntry) return MAPI_E_INVALID_PARAMETER;
    if (ulFlags & ~MAPI_MODIFY) return MAPI_E_UNKNOWN_FLAGS;
    if (lpInterface && !com_iid_listed(status_iids, lpInterface)) return MAPI_E_INTERFACE_NOT_SUPPORTED;

    if (!(status = mapi_alloc_zeroed(&os->alloc, sizeof(*status)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    status->IMAPIStatus_iface.lpVtbl = ABI_AS_VTBL(IMAPIStatus, &status_vtbl);
    status->refs = 1;
    status->prop.os = os;
    status->prop.ops = &status_prop_ops;
    if (FAILED(hr = open_store_register(os))) {
        mapi_free(&os->alloc, status);
        return hr;
    }
    *lpulObjType = MAPI_STATUS;
    *lppEntry = &status->IMAPIStatus_iface;
    return S_OK;
}
