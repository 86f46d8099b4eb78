#include "registration/module_path.h"

#include <string.h>

BOOL module_registered_path(WCHAR *out, DWORD size)
{
    static const WCHAR suffix[] = L"32.dll";
    const size_t suffix_length = ARRAYSIZE(suffix) - 1;
    HMODULE module;
    DWORD length;

    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)(void *)module_registered_path, &module))
        return FALSE;
    length = GetModuleFileNameW(module, out, size);
    if (!length || length >= size || length < suffix_length || _wcsicmp(out + length - suffix_length, suffix))
        return FALSE;
    memmove(out + length - suffix_length, out + length - suffix_length + 2, (suffix_length - 1) * sizeof(WCHAR));
    out[length - 2] = 0;
    return TRUE;
}
