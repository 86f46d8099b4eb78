/*
 * The built msstore32.dll itself, loaded as MAPI loads it (LoadLibrary and
 * GetProcAddress): its version resource, its exports, and one whole session
 * through them. Runs with the DLL's folder as its working directory.
 */
#include "harness.h"

#include <string.h>

static const WCHAR dll_name[] = L"msstore32.dll";

static void the_version_resource_names_msstore_and_its_version(void **state)
{
    DWORD handle = 0, size = GetFileVersionInfoSizeW(dll_name, &handle);
    void *info, *value = NULL;
    VS_FIXEDFILEINFO *fixed = NULL;
    UINT length = 0;
    char version[32];
    (void)state;
    assert_true(size > 0);
    info = HeapAlloc(GetProcessHeap(), 0, size);
    assert_true(GetFileVersionInfoW(dll_name, 0, size, info));
    assert_true(VerQueryValueW(info, L"\\StringFileInfo\\040904B0\\ProductName", &value, &length));
    assert_true(wcscmp(value, L"msstore") == 0);
    assert_true(VerQueryValueW(info, L"\\StringFileInfo\\040904B0\\FileVersion", &value, &length));
    WideCharToMultiByte(CP_ACP, 0, value, -1, version, sizeof(version), NULL, NULL);
    assert_string_equal(version, MSSTORE_VERSION);
    assert_true(VerQueryValueW(info, L"\\", (void **)&fixed, &length));
    assert_int_equal(HIWORD(fixed->dwFileVersionMS), MSSTORE_VERSION_MAJOR);
    assert_int_equal(LOWORD(fixed->dwFileVersionMS), MSSTORE_VERSION_MINOR);
    assert_int_equal(HIWORD(fixed->dwFileVersionLS), MSSTORE_VERSION_PATCH);
    HeapFree(GetProcessHeap(), 0, info);
}

/* MSProviderInit found by name, a Logon, StoreLogoff, the final Release, Shutdown, FreeLibrary. */
static void the_dll_runs_a_whole_session_through_its_export(void **state)
{
    HMODULE dll = LoadLibraryW(dll_name);
    MSPROVIDERINIT *init;
    struct mapisim_support support;
    struct mapisim_malloc malloc;
    IMSProvider *provider = NULL;
    IMSLogon *logon = NULL;
    IMsgStore *store = NULL;
    ULONG version = 0, flags = LOGOFF_NO_WAIT, zero = 0;
    LONG blocks = live_blocks();
    (void)state;
    assert_non_null(dll);
    init = (MSPROVIDERINIT *)(void *)GetProcAddress(dll, "MSProviderInit");
    assert_non_null(init);
    assert_non_null(GetProcAddress(dll, "ServiceEntry"));
    mapisim_support_init(&support);
    mapisim_malloc_init(&malloc);
    assert_int_equal(init(dll, &malloc.IMalloc_iface, mapisim_AllocateBuffer, mapisim_AllocateMore,
                          mapisim_FreeBuffer, 0, CURRENT_SPI_VERSION, &version, &provider),
                     S_OK);
    assert_int_equal(call_logon(provider, &support.IMAPISupport_iface, 0, 0, NULL, NULL, &logon, &store), S_OK);
    mapisim_support_hold_logon(&support, logon);
    support.IMAPISupport_iface.lpVtbl->Release(&support.IMAPISupport_iface);
    /* Loaded from its file, the DLL names itself in the status row by its registered path. */
    assert_non_null(wcsstr(propbag_value(&support.status_row, PR_PROVIDER_DLL_NAME_W)->Value.lpszW,
                           L"msstore.dll"));
    assert_int_equal(store->lpVtbl->StoreLogoff(store, &flags), S_OK);
    assert_int_equal(store->lpVtbl->Release(store), 0);
    assert_int_equal(provider->lpVtbl->Shutdown(provider, &zero), S_OK);
    assert_int_equal(provider->lpVtbl->Release(provider), 0);
    assert_true(FreeLibrary(dll));
    assert_int_equal(support.refs, 0);
    assert_int_equal(support.logoffs_in_release, 1);
    assert_int_equal(support.calls[MAPISIM_StoreLogoffTransports], 1);
    assert_int_equal(support.logoff_transports_flags, LOGOFF_NO_WAIT);
    assert_int_equal(mapisim_support_cleanup(&support), 0);
    assert_int_equal(live_blocks(), blocks);
    assert_int_equal(malloc.refs, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_version_resource_names_msstore_and_its_version),
        cmocka_unit_test(the_dll_runs_a_whole_session_through_its_export),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
