/*
 * ServiceEntry: the message-service entry point MAPI calls when the service is
 * installed in, configured in or removed from a profile (contract §11.4).
 *
 * msstore's only setting is the store's display name. It has no dialogs, so it
 * configures only from lpProps; SERVICE_UI_ALWAYS without a name to set is
 * MAPI_E_NO_SUPPORT. The configuration support object is valid only during the
 * call: it is neither AddRef'd nor kept.
 */
#include "lifecycle/lock_rule.h"
#include "mapi/memory.h"

#include <string.h>

#define SERVICE_FLAGS                                                                      \
    (SERVICE_UI_ALWAYS | UI_CURRENT_PROVIDER_FIRST | MSG_SERVICE_UI_READ_ONLY |            \
     SERVICE_UI_ALLOWED | SERVICE_LOGON_FAILED | MAPI_UNICODE)

static const WCHAR default_display_name[] = L"msstore";

MSGSERVICEENTRY_ABI ServiceEntry;

/* The display name lpProps sets, as a wide string in name, or FALSE if it sets none. */
static BOOL display_name_of(ULONG cValues, const SPropValue *lpProps, WCHAR *name, int size)
{
    ULONG i;
    for (i = 0; lpProps && i < cValues; i++) {
        if (lpProps[i].ulPropTag == PR_DISPLAY_NAME_W && lpProps[i].Value.lpszW) {
            lstrcpynW(name, lpProps[i].Value.lpszW, size);
            return TRUE;
        }
        if (lpProps[i].ulPropTag == PR_DISPLAY_NAME_A && lpProps[i].Value.lpszA)
            return MultiByteToWideChar(CP_ACP, 0, lpProps[i].Value.lpszA, -1, name, size) > 0;
    }
    return FALSE;
}

/* The UID of the service's store provider, from IProviderAdmin's provider table. */
static HRESULT store_provider_uid(const struct mapi_allocators *alloc, IProviderAdmin *admin, MAPIUID *uid)
{
    SizedSPropTagArray(2, columns) = {2, {PR_PROVIDER_UID, PR_RESOURCE_TYPE}};
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    HRESULT hr;
    ULONG i;

    if (FAILED(hr = ABI_VTBL(IProviderAdmin, admin)->GetProviderTable(admin, 0, &table))) return hr;
    if (SUCCEEDED(hr = table->lpVtbl->SetColumns(table, (LPSPropTagArray)&columns, 0)))
        hr = table->lpVtbl->QueryRows(table, 100, 0, &rows);
    table->lpVtbl->Release(table);
    if (FAILED(hr)) return hr;
    hr = MAPI_E_NOT_FOUND;
    for (i = 0; i < rows->cRows; i++) {
        const SPropValue *v = rows->aRow[i].lpProps;
        if (hr == MAPI_E_NOT_FOUND && rows->aRow[i].cValues == 2 && v[0].ulPropTag == PR_PROVIDER_UID &&
            v[0].Value.bin.cb == sizeof(MAPIUID) && v[1].ulPropTag == PR_RESOURCE_TYPE &&
            v[1].Value.l == MAPI_STORE_PROVIDER) {
            memcpy(uid, v[0].Value.bin.lpb, sizeof(MAPIUID));
            hr = S_OK;
        }
        mapi_free(alloc, rows->aRow[i].lpProps);
    }
    mapi_free(alloc, rows);
    return hr;
}

/* MSG_SERVICE_CREATE and MSG_SERVICE_CONFIGURE: the display name into the provider's section. */
static HRESULT configure(const struct mapi_allocators *alloc, ULONG flags, ULONG cValues, const SPropValue *lpProps,
                         IProviderAdmin *admin)
{
    WCHAR name[256];
    SPropValue value;
    IProfSect *section = NULL;
    MAPIUID uid;
    HRESULT hr;

    if (!admin) return MAPI_E_INVALID_PARAMETER;
    if (!display_name_of(cValues, lpProps, name, ARRAYSIZE(name))) {
        if (flags & SERVICE_UI_ALWAYS) return MAPI_E_NO_SUPPORT; /* it would need a dialog */
        lstrcpyW(name, default_display_name);
    }
    if (FAILED(hr = store_provider_uid(alloc, admin, &uid))) return hr;
    hr = ABI_VTBL(IProviderAdmin, admin)->OpenProfileSection(admin, &uid, NULL, MAPI_MODIFY, &section);
    if (FAILED(hr)) return hr;
    value.ulPropTag = PR_DISPLAY_NAME_W;
    value.dwAlignPad = 0;
    value.Value.lpszW = name;
    if (SUCCEEDED(hr = section->lpVtbl->SetProps(section, 1, &value, NULL)))
        hr = section->lpVtbl->SaveChanges(section, 0);
    section->lpVtbl->Release(section);
    return hr;
}

HRESULT STDAPICALLTYPE ServiceEntry(HINSTANCE hInstance, LPMALLOC lpMalloc, LPMAPISUP lpMAPISup,
                                    ULONG_PTR ulUIParam, ULONG ulFlags, ULONG ulContext, ULONG cValues,
                                    LPSPropValue lpProps, LPPROVIDERADMIN lpProviderAdmin,
                                    LPMAPIERROR *lppMapiError)
{
    struct mapi_allocators alloc;
    HRESULT hr;
    (void)hInstance, (void)lpMalloc, (void)ulUIParam;

    if (lppMapiError) *lppMapiError = NULL;
    if (!lpMAPISup) return MAPI_E_INVALID_PARAMETER;
    hr = support_methods(lpMAPISup)
             ->GetMemAllocRoutines(lpMAPISup, &alloc.allocate_buffer, &alloc.allocate_more, &alloc.free_buffer);
    if (FAILED(hr)) return hr;

    if (ulFlags & ~SERVICE_FLAGS) {
        hr = MAPI_E_UNKNOWN_FLAGS;
    } else {
        switch (ulContext) {
        case MSG_SERVICE_INSTALL:
        case MSG_SERVICE_UNINSTALL:
        case MSG_SERVICE_DELETE:
            hr = S_OK; /* msstore keeps nothing outside the profile */
            break;
        case MSG_SERVICE_CREATE:
        case MSG_SERVICE_CONFIGURE:
            hr = configure(&alloc, ulFlags, cValues, lpProps, lpProviderAdmin);
            break;
        default: /* MSG_SERVICE_PROVIDER_CREATE / _DELETE: a service of one store provider */
            hr = MAPI_E_NO_SUPPORT;
            break;
        }
    }
    if (FAILED(hr) && lppMapiError) mapi_error_describe(&alloc, hr, ulFlags & MAPI_UNICODE, lppMapiError);
    return hr;
}
