#include "profile/profile.h"

#include "lifecycle/lock_rule.h"
#include "model/model.h"

#include <stdio.h>
#include <string.h>

static const WCHAR default_display_name[] = L"msstore";

HRESULT profile_read(const struct mapi_allocators *alloc, IProfSect *section, struct profile_config *config)
{
    SizedSPropTagArray(3, tags) = {3, {PR_DISPLAY_NAME_W, PR_MSSTORE_STORE_UID, PR_MSSTORE_PATH}};
    SPropValue *values = NULL;
    ULONG count = 0;
    HRESULT hr;

    memset(config, 0, sizeof(*config));
    wcscpy(config->display_name, default_display_name);
    lock_rule_calling_out();
    hr = section->lpVtbl->GetProps(section, (LPSPropTagArray)&tags, MAPI_UNICODE, &count, &values);
    if (FAILED(hr)) return hr;
    hr = S_OK;
    if (count == 3 && values) {
        if (values[0].ulPropTag == PR_DISPLAY_NAME_W && values[0].Value.lpszW[0] &&
            wcslen(values[0].Value.lpszW) < PROFILE_NAME_MAX)
            wcscpy(config->display_name, values[0].Value.lpszW);
        if (values[1].ulPropTag == PR_MSSTORE_STORE_UID && values[1].Value.bin.cb == sizeof(MAPIUID)) {
            memcpy(&config->uid, values[1].Value.bin.lpb, sizeof(MAPIUID));
            config->has_uid = TRUE;
        }
        if (values[2].ulPropTag == PR_MSSTORE_PATH && values[2].Value.lpszW[0]) {
            if (wcslen(values[2].Value.lpszW) >= MAX_PATH) hr = MAPI_E_UNCONFIGURED;
            else wcscpy(config->path, values[2].Value.lpszW), config->has_path = TRUE;
        }
    }
    mapi_free(alloc, values); /* MAPI's memory: the allocator MSProviderInit was given */
    return hr;
}

/* Whether a name is one Windows keeps for a device (CON, NUL, COM1, ...), whatever follows it. */
static BOOL is_device_name(const WCHAR *name)
{
    static const WCHAR *const devices[] = {L"CON", L"PRN", L"AUX", L"NUL"};
    size_t i;
    for (i = 0; i < ARRAYSIZE(devices); i++)
        if (!_wcsicmp(name, devices[i])) return TRUE;
    return wcslen(name) == 4 && (!_wcsnicmp(name, L"COM", 3) || !_wcsnicmp(name, L"LPT", 3)) && name[3] >= '1' &&
           name[3] <= '9';
}

/* A display name as a file name: characters Windows forbids become '_', no trailing dots or spaces. */
static void file_safe(const WCHAR *name, WCHAR *out, size_t size)
{
    size_t i, n = 0;
    for (i = 0; name[i] && n + 2 < size; i++) out[n++] = name[i] < 32 || wcschr(L"<>:\"/\\|?*", name[i]) ? '_' : name[i];
    while (n && (out[n - 1] == '.' || out[n - 1] == ' ')) n--;
    out[n] = 0;
    if (!n) wcscpy(out, default_display_name);
    else if (is_device_name(out)) wcscat(out, L"_");
}

HRESULT profile_default_path(const struct profile_config *config, WCHAR path[MAX_PATH])
{
    WCHAR base[MAX_PATH], name[PROFILE_NAME_MAX + 2];
    DWORD length = GetEnvironmentVariableW(L"LOCALAPPDATA", base, ARRAYSIZE(base));
    if (!length || length >= ARRAYSIZE(base)) return MAPI_E_UNCONFIGURED;
    file_safe(config->display_name, name, ARRAYSIZE(name));
    if (_snwprintf(path, MAX_PATH, L"%ls\\msstore", base) < 0) return MAPI_E_UNCONFIGURED;
    path[MAX_PATH - 1] = 0;
    if (!CreateDirectoryW(path, NULL) && GetLastError() != ERROR_ALREADY_EXISTS) return MAPI_E_DISK_ERROR;
    if (_snwprintf(path, MAX_PATH, L"%ls\\msstore\\%ls.msstore", base, name) < 0) return MAPI_E_UNCONFIGURED;
    path[MAX_PATH - 1] = 0;
    return S_OK;
}

HRESULT profile_write(IProfSect *section, const struct profile_store *store)
{
    SPropValue values[7];
    HRESULT hr;

    memset(values, 0, sizeof(values));
    values[0].ulPropTag = PR_DISPLAY_NAME_W;
    values[0].Value.lpszW = (WCHAR *)store->display_name;
    values[1].ulPropTag = PR_PROVIDER_DISPLAY_W;
    values[1].Value.lpszW = (WCHAR *)msstore_provider_display;
    values[2].ulPropTag = PR_ENTRYID; /* wrapped, as the profile must hold it (contract §4.2) */
    values[2].Value.bin.cb = store->cb_wrapped;
    values[2].Value.bin.lpb = (BYTE *)store->wrapped;
    values[3].ulPropTag = PR_RECORD_KEY;
    values[3].Value.bin.cb = sizeof(MAPIUID);
    values[3].Value.bin.lpb = (BYTE *)store->uid;
    values[4].ulPropTag = PR_MDB_PROVIDER;
    values[4].Value.bin.cb = sizeof(MAPIUID);
    values[4].Value.bin.lpb = (BYTE *)&msstore_provider_uid;
    values[5].ulPropTag = PR_MSSTORE_STORE_UID;
    values[5].Value.bin = values[3].Value.bin;
    values[6].ulPropTag = PR_MSSTORE_PATH;
    values[6].Value.lpszW = (WCHAR *)store->path;
    lock_rule_calling_out();
    if (FAILED(hr = section->lpVtbl->SetProps(section, ARRAYSIZE(values), values, NULL))) return hr;
    return section->lpVtbl->SaveChanges(section, KEEP_OPEN_READWRITE);
}
