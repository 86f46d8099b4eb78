/*
 * MergeWithMAPISVC and RemoveFromMAPISVC: rundll32 entry points that add
 * msstore's service to MAPISVC.INF, or take it out again (contract §11.1-11.3).
 *
 *   rundll32 msstore32.dll,MergeWithMAPISVC [path of MAPISVC.INF]
 *
 * Without a path, the INF beside Outlook's MAPI is found the documented way
 * (FGetComponentPath), else the system directory's is used. Each edit is made
 * on a copy that replaces the file only when every write succeeded, so a
 * failure leaves the file as it was. Problems are reported on the console if
 * there is one, else in a message box.
 */
#include "model/model.h"
#include "registration/module_path.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DLL_PLACEHOLDER NULL /* an entry whose value is this DLL's registered path */

/* Every line msstore puts in MAPISVC.INF: the service list entry, the service and its provider. */
static const struct {
    const char *section;
    const char *key;
    const char *value;
} entries[] = {
    {"Services", "MSSTORE", "msstore Message Store"},
    {"MSSTORE", "PR_DISPLAY_NAME", "msstore Message Store"},
    {"MSSTORE", "Providers", "MSSTORE_MS"},
    {"MSSTORE", "PR_SERVICE_DLL_NAME", DLL_PLACEHOLDER},
    {"MSSTORE", "PR_SERVICE_ENTRY_NAME", "ServiceEntry"},
    {"MSSTORE", "PR_RESOURCE_FLAGS", "SERVICE_NO_PRIMARY_IDENTITY"},
    {"MSSTORE_MS", "PR_DISPLAY_NAME", "msstore"},
    {"MSSTORE_MS", "PR_PROVIDER_DISPLAY", "msstore Message Store"},
    {"MSSTORE_MS", "PR_PROVIDER_DLL_NAME", DLL_PLACEHOLDER},
    {"MSSTORE_MS", "PR_RESOURCE_TYPE", "MAPI_STORE_PROVIDER"},
    /* Read-only and without mail: never the profile's default store. */
    {"MSSTORE_MS", "PR_RESOURCE_FLAGS", "STATUS_NO_DEFAULT_STORE"},
    {"MSSTORE_MS", "34140102", ""}, /* PR_MDB_PROVIDER, filled in from msstore_provider_uid */
};
static const char services_section[] = "Services";
static const char service_key[] = "MSSTORE";
static const char *const own_sections[] = {"MSSTORE", "MSSTORE_MS"};

/* On the console of whoever ran rundll32, or else in a message box. */
static void report(const char *format, ...)
{
    char text[1024];
    HANDLE console;
    DWORD written;
    va_list args;
    va_start(args, format);
    vsnprintf(text, sizeof(text), format, args);
    va_end(args);
    console = GetStdHandle(STD_ERROR_HANDLE);
    if (console && console != INVALID_HANDLE_VALUE &&
        WriteFile(console, text, (DWORD)strlen(text), &written, NULL) && WriteFile(console, "\n", 1, &written, NULL))
        return;
    MessageBoxA(NULL, text, "msstore", MB_OK | MB_ICONERROR);
}

/*
 * The DLL path MAPISVC.INF gets: this DLL's, without the "32" (MAPI adds it
 * before the first period, so a period in a directory name breaks loading),
 * in the ANSI code page MAPI converts it through, without loss.
 */
static BOOL registered_dll_path(char *out, int size)
{
    WCHAR path[MAX_PATH], back[MAX_PATH];
    const WCHAR *file_name;
    BOOL lossy = FALSE;

    if (!module_registered_path(path, MAX_PATH)) {
        report("msstore: this DLL must be named msstore32.dll (MAPI adds the \"32\" to the registered name).");
        return FALSE;
    }
    file_name = wcsrchr(path, L'\\');
    if (wcschr(path, L'.') < (file_name ? file_name : path)) {
        report("msstore: %ls has a period in a folder name. MAPI inserts \"32\" before the first period of the "
               "path, so it cannot load the DLL from there; move it to a folder without one.",
               path);
        return FALSE;
    }
    if (!WideCharToMultiByte(CP_ACP, 0, path, -1, out, size, NULL, &lossy) || lossy ||
        !MultiByteToWideChar(CP_ACP, 0, out, -1, back, MAX_PATH) || wcscmp(back, path)) {
        report("msstore: the path %ls does not survive MAPI's conversion to the ANSI code page.", path);
        return FALSE;
    }
    return TRUE;
}

typedef BOOL(STDAPICALLTYPE FGETCOMPONENTPATH)(LPCSTR component, LPSTR qualifier, LPSTR dll_path,
                                               DWORD size, BOOL install);

/* A registry value of Outlook's mail client key, as stored (REG_SZ or REG_MULTI_SZ). */
static BOOL read_mail_client_value(const char *name, char *out, DWORD size)
{
    DWORD type;
    memset(out, 0, size);
    size -= 2; /* keep a double terminator */
    return !RegGetValueA(HKEY_LOCAL_MACHINE, "Software\\Clients\\Mail\\Microsoft Outlook", name,
                         RRF_RT_REG_SZ | RRF_RT_REG_MULTI_SZ, &type, out, &size);
}

/* The folder of Outlook's MAPI DLL, asked of FGetComponentPath with each qualifier in turn (contract §11.3). */
static BOOL outlook_mapi_folder(char *folder, DWORD size)
{
    static const char *const stubs[] = {"mapistub.dll", "mapi32.dll"};
    static const char *const qualifiers[] = {"MSIApplicationLCID", "MSIOfficeLCID", NULL};
    char component[256], qualifier[512];
    size_t s, q;
    BOOL found = FALSE;

    if (!read_mail_client_value("MSIComponentID", component, sizeof(component))) return FALSE;
    for (s = 0; !found && s < ARRAYSIZE(stubs); s++) {
        HMODULE stub = LoadLibraryA(stubs[s]);
        FGETCOMPONENTPATH *get_path;
        if (!stub) continue;
        get_path = (FGETCOMPONENTPATH *)(void *)GetProcAddress(stub, "FGetComponentPath");
        if (!get_path) get_path = (FGETCOMPONENTPATH *)(void *)GetProcAddress(stub, "FGetComponentPath@20");
        for (q = 0; get_path && !found && q < ARRAYSIZE(qualifiers); q++) {
            if (qualifiers[q] && !read_mail_client_value(qualifiers[q], qualifier, sizeof(qualifier))) continue;
            found = get_path(component, qualifiers[q] ? qualifier : NULL, folder, size, FALSE);
        }
        FreeLibrary(stub);
    }
    if (found) { /* the path of the DLL: keep its folder */
        char *slash = strrchr(folder, '\\');
        if (slash) *slash = 0;
    }
    return found;
}

/* The INF to edit: the one on the command line, else Outlook's, else the system directory's. */
static BOOL target_inf(const char *command_line, char *path, DWORD size)
{
    char folder[MAX_PATH];
    size_t length;
    while (command_line && (*command_line == ' ' || *command_line == '\t')) command_line++;
    if (command_line && *command_line) {
        if (*command_line == '"') command_line++;
        lstrcpynA(path, command_line, (int)size);
        length = strlen(path);
        while (length && (path[length - 1] == ' ' || path[length - 1] == '"' || path[length - 1] == '\t'))
            path[--length] = 0;
        return length != 0;
    }
    if (!outlook_mapi_folder(folder, sizeof(folder)) && !GetSystemDirectoryA(folder, sizeof(folder))) return FALSE;
    return snprintf(path, size, "%s\\MAPISVC.INF", folder) < (int)size;
}

static BOOL file_exists(const char *path) { return GetFileAttributesA(path) != INVALID_FILE_ATTRIBUTES; }

/* Removes msstore's lines from inf, so that writing them afresh leaves no stale key behind. */
static BOOL remove_entries(const char *inf)
{
    if (!file_exists(inf)) return TRUE; /* nothing to remove, and no file to create */
    char keys[64];
    size_t i;
    if (!WritePrivateProfileStringA(services_section, service_key, NULL, inf)) return FALSE;
    for (i = 0; i < ARRAYSIZE(own_sections); i++)
        if (!WritePrivateProfileStringA(own_sections[i], NULL, NULL, inf)) return FALSE;
    /* A [Services] section msstore's entry was alone in goes with it. */
    if (!GetPrivateProfileSectionA(services_section, keys, sizeof(keys), inf))
        return WritePrivateProfileStringA(services_section, NULL, NULL, inf);
    return TRUE;
}

static BOOL write_entries(const char *inf, const char *dll_path)
{
    char provider_uid[2 * sizeof(MAPIUID) + 1];
    size_t i;
    for (i = 0; i < sizeof(MAPIUID); i++) sprintf(provider_uid + 2 * i, "%02x", msstore_provider_uid.ab[i]);
    if (!remove_entries(inf)) return FALSE;
    for (i = 0; i < ARRAYSIZE(entries); i++) {
        const char *value = entries[i].value ? entries[i].value : dll_path;
        if (!strcmp(entries[i].key, "34140102")) value = provider_uid;
        if (!WritePrivateProfileStringA(entries[i].section, entries[i].key, value, inf)) return FALSE;
    }
    return TRUE;
}

/*
 * Applies edit to a copy of inf (which need not exist yet) and puts the copy in
 * its place only if every write succeeded.
 */
static void edit_inf(const char *command_line, const char *dll_path, BOOL (*edit)(const char *, const char *))
{
    char inf[MAX_PATH], copy[MAX_PATH + 16];
    if (!target_inf(command_line, inf, sizeof(inf))) {
        report("msstore: no MAPISVC.INF to edit was named or found.");
        return;
    }
    snprintf(copy, sizeof(copy), "%s.msstore-new", inf);
    if (!CopyFileA(inf, copy, FALSE) && GetLastError() != ERROR_FILE_NOT_FOUND) {
        report("msstore: cannot copy %s (error %lu).", inf, GetLastError());
        return;
    }
    if (!edit(copy, dll_path) || (file_exists(copy) && !MoveFileExA(copy, inf, MOVEFILE_REPLACE_EXISTING))) {
        report("msstore: cannot write %s (error %lu); it is unchanged.", inf, GetLastError());
        DeleteFileA(copy);
    }
}

static BOOL remove_edit(const char *inf, const char *dll_path)
{
    (void)dll_path;
    return remove_entries(inf);
}

void CALLBACK MergeWithMAPISVC(HWND hwnd, HINSTANCE instance, LPSTR command_line, int show)
{
    char dll_path[MAX_PATH * 2];
    (void)hwnd, (void)instance, (void)show;
    if (registered_dll_path(dll_path, sizeof(dll_path))) edit_inf(command_line, dll_path, write_entries);
}

void CALLBACK RemoveFromMAPISVC(HWND hwnd, HINSTANCE instance, LPSTR command_line, int show)
{
    (void)hwnd, (void)instance, (void)show;
    edit_inf(command_line, NULL, remove_edit);
}
