/*
 * What Logon does with the provider's profile section (contract §3.3, D14,
 * D15): it reads the store file's path, the display name and the copy of the
 * store's identity saved there, and writes back what MAPI and clients read:
 * PR_DISPLAY_NAME, PR_PROVIDER_DISPLAY, the wrapped PR_ENTRYID,
 * PR_RECORD_KEY, PR_MDB_PROVIDER, the identity and the path.
 */
#ifndef MSSTORE_PROFILE_H
#define MSSTORE_PROFILE_H

#include "mapi/memory.h"

/* msstore's private profile properties (0x6600-0x67FF are provider-private). */
#define PR_MSSTORE_STORE_UID PROP_TAG(PT_BINARY, 0x6600) /* a copy of the store's MAPIUID: the file has it */
#define PR_MSSTORE_PATH PROP_TAG(PT_UNICODE, 0x6601)      /* the store file */

#define PROFILE_NAME_MAX 256

struct profile_config {
    BOOL has_uid;
    MAPIUID uid;
    WCHAR display_name[PROFILE_NAME_MAX]; /* the default when the profile has none */
    BOOL has_path;
    WCHAR path[MAX_PATH];
};

/*
 * The configuration in section (a missing property is not an error; a path
 * too long for Windows' file functions is MAPI_E_UNCONFIGURED); alloc frees
 * what the section returns.
 */
HRESULT profile_read(const struct mapi_allocators *alloc, IProfSect *section, struct profile_config *config);

/*
 * The store file of a profile that names none: %LOCALAPPDATA%\msstore\<display
 * name>.msstore (the name made safe for a file name), the folder created if
 * need be. MAPI_E_UNCONFIGURED without %LOCALAPPDATA%, MAPI_E_DISK_ERROR when
 * the folder cannot be made.
 */
HRESULT profile_default_path(const struct profile_config *config, WCHAR path[MAX_PATH]);

/* What a new logon tells the profile, saved: names, the wrapped store entry ID, the identity and the file. */
struct profile_store {
    const WCHAR *display_name;
    ULONG cb_wrapped;
    const ENTRYID *wrapped;
    const MAPIUID *uid;
    const WCHAR *path;
};
HRESULT profile_write(IProfSect *section, const struct profile_store *store);

#endif
