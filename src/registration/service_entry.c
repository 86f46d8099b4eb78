/*
 * ServiceEntry: the message-service entry point MAPI calls when the service is
 * installed in, configured in or removed from a profile (contract §11.4).
 *
 * msstore's settings are the store's display name and its file
 * (PR_MSSTORE_PATH). It has no dialogs, so it configures only from lpProps;
 * SERVICE_UI_ALWAYS without a setting to make is MAPI_E_NO_SUPPORT. The
 * configuration support object is valid only during the call: it is neither
 * AddRef'd nor kept.
 */
#include "lifecycle/lock_rule.h"
#include "mapi/memory.h"
#include "profile/profile.h"

#include <string.h>

#define SERVICE_FLAGS                                                                      \
    (SERVICE_UI_ALWAYS | UI_CURRENT_PROVIDER_FIRST | MSG_SERVICE_UI_READ_ONLY |            \
     SERVICE_UI_ALLOWED | SERVICE_LOGON_FAILED | MAPI_UNICODE)

static const WCHAR default_display_name[] = L"msstore";

MSGSERVICEENTRY_ABI ServiceEntry;

/* The string lpProps sets for tag's property (either width), wide in text, or FALSE if it sets none. */
static BOOL string_of(ULONG cValues, const SPropValue *lpProps, ULONG tag, WCHAR *text, int size)
{
    ULONG i;
    for (i = 0; lpProps && i < cValues; i++) {
        if (PROP_ID(lpProps[i].ulPropTag) != PROP_ID(tag)) continue;
        if (PROP_TYPE(lpProps[i].ulPropTag) == PT_UNICODE && lpProps[i].Value.lpszW) {
            lstrcpynW(text, lpProps[i].Value.lpszW, size);
            return TRUE;
        }
        if (PROP_TYPE(lpProps[i].ulPropTag) == PT_STRING8 && lpProps[i].Value.lpszA)
            return MultiByteToWideChar(CP_ACP, 0, lpProps[i].Value.lpszA, -1, text, size) > 0;
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

/*
 * MSG_SERVICE_CREATE and MSG_SERVICE_CONFIGURE: the display name and the
 * store file lpProps give, into the provider's section. A new service is
 * named "msstore" unless lpProps names it; a configuration changes only what
 * lpProps sets.
 */
static HRESULT configure(const struct mapi_allocators *alloc, ULONG context, ULONG flags, ULONG cValues,
                         const SPropValue *lpProps, IProviderAdmin *admin)
{
    WCHAR name[PROFILE_NAME_MAX], path[MAX_PATH];
    BOOL named = string_of(cValues, lpProps, PR_DISPLAY_NAME_W, name, ARRAYSIZE(name));
    BOOL placed = string_of(cValues, lpProps, PR_MSSTORE_PATH, path, ARRAYSIZE(path));
    SPropValue values[2];
    IProfSect *section = NULL;
    ULONG count = 0;
    MAPIUID uid;
    HRESULT hr;

    if (!admin) return MAPI_E_INVALID_PARAMETER;
    if (!named && !placed && (flags & SERVICE_UI_ALWAYS)) return MAPI_E_NO_SUPPORT; /* it would need a dialog */
    if (placed && !path[0]) return MAPI_E_INVALID_PARAMETER;
    if (!named && context == MSG_SERVICE_CREATE) {
        lstrcpyW(name, default_display_name);
        named = TRUE;
    }
    memset(values, 0, sizeof(values));
    if (named) {
        values[count].ulPropTag = PR_DISPLAY_NAME_W;
        values[count++].Value.lpszW = name;
    }
    if (placed) {
        values[count].ulPropTag = PR_MSSTORE_PATH;
        values[count++].Value.lpszW = path;
    }
    if (!count) return S_OK;
    if (FAILED(hr = store_provider_uid(alloc, admin, &uid))) return hr;
    hr = ABI_VTBL(IProviderAdmin, admin)->OpenProfileSection(admin, &uid, NULL, MAPI_MODIFY, &section);
    if (FAILED(hr)) return hr;
    if (SUCCEEDED(hr = section->lpVtbl->SetProps(section, count, values, NULL)))
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
            hr = configure(&alloc, ulContext, ulFlags, cValues, lpProps, lpProviderAdmin);
            break;
        default: /* MSG_SERVICE_PROVIDER_CREATE / _DELETE: a service of one store provider */
            hr = MAPI_E_NO_SUPPORT;
            break;
        }
    }
    if (FAILED(hr) && lppMapiError) mapi_error_describe(&alloc, hr, ulFlags & MAPI_UNICODE, lppMapiError);
    return hr;
}
