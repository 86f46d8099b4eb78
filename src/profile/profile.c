#include "profile/profile.h"

#include "lifecycle/lock_rule.h"

#include <string.h>

static const WCHAR default_display_name[] = L"msstore";

HRESULT profile_read(const struct mapi_allocators *alloc, IProfSect *section, struct profile_config *config)
{
    SizedSPropTagArray(2, tags) = {2, {PR_DISPLAY_NAME_W, PR_MSSTORE_STORE_UID}};
    SPropValue *values = NULL;
    ULONG count = 0;
    HRESULT hr;

    memset(config, 0, sizeof(*config));
    wcscpy(config->display_name, default_display_name);
    lock_rule_calling_out();
    hr = section->lpVtbl->GetProps(section, (LPSPropTagArray)&tags, MAPI_UNICODE, &count, &values);
    if (FAILED(hr)) return hr;
    if (count == 2 && values) {
        if (values[0].ulPropTag == PR_DISPLAY_NAME_W && values[0].Value.lpszW[0] &&
            wcslen(values[0].Value.lpszW) < PROFILE_NAME_MAX)
            wcscpy(config->display_name, values[0].Value.lpszW);
        if (values[1].ulPropTag == PR_MSSTORE_STORE_UID && values[1].Value.bin.cb == sizeof(MAPIUID)) {
            memcpy(&config->uid, values[1].Value.bin.lpb, sizeof(MAPIUID));
            config->has_uid = TRUE;
        }
    }
    mapi_free(alloc, values); /* MAPI's memory: the allocator MSProviderInit was given */
    return S_OK;
}

HRESULT profile_write(IProfSect *section, const struct store_content *content, const WCHAR *display_name)
{
    const SPropValue *entryid = props_find(&content->store_props, PR_ENTRYID);
    SPropValue values[6];
    HRESULT hr;

    memset(values, 0, sizeof(values));
    values[0].ulPropTag = PR_DISPLAY_NAME_W;
    values[0].Value.lpszW = (WCHAR *)display_name;
    values[1].ulPropTag = PR_PROVIDER_DISPLAY_W;
    values[1].Value.lpszW = (WCHAR *)msstore_provider_display;
    values[2].ulPropTag = PR_ENTRYID; /* wrapped, as the profile must hold it (contract §4.2) */
    values[2].Value.bin = entryid->Value.bin;
    values[3].ulPropTag = PR_RECORD_KEY;
    values[3].Value.bin.cb = sizeof(MAPIUID);
    values[3].Value.bin.lpb = (BYTE *)&content->uid;
    values[4].ulPropTag = PR_MDB_PROVIDER;
    values[4].Value.bin.cb = sizeof(MAPIUID);
    values[4].Value.bin.lpb = (BYTE *)&msstore_provider_uid;
    values[5].ulPropTag = PR_MSSTORE_STORE_UID;
    values[5].Value.bin = values[3].Value.bin;
    lock_rule_calling_out();
    if (FAILED(hr = section->lpVtbl->SetProps(section, ARRAYSIZE(values), values, NULL))) return hr;
    return section->lpVtbl->SaveChanges(section, KEEP_OPEN_READWRITE);
}
