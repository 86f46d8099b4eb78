/*
 * What Logon does with the provider's profile section (contract §3.3, D14):
 * it reads the store identity saved there and the display name, and writes
 * back what MAPI and clients read: PR_DISPLAY_NAME, PR_PROVIDER_DISPLAY, the
 * wrapped PR_ENTRYID, PR_RECORD_KEY, PR_MDB_PROVIDER and the identity itself.
 */
#ifndef MSSTORE_PROFILE_H
#define MSSTORE_PROFILE_H

#include "content/store_content.h"

/* msstore's private profile property (0x6600-0x67FF are provider-private): the store's MAPIUID. */
#define PR_MSSTORE_STORE_UID PROP_TAG(PT_BINARY, 0x6600)

#define PROFILE_NAME_MAX 256

struct profile_config {
    BOOL has_uid;
    MAPIUID uid;
    WCHAR display_name[PROFILE_NAME_MAX]; /* the default when the profile has none */
};

/* The configuration in section (a missing property is not an error); alloc frees what it returns. */
HRESULT profile_read(const struct mapi_allocators *alloc, IProfSect *section, struct profile_config *config);

/* Writes the store's identity and names into section and saves it. */
HRESULT profile_write(IProfSect *section, const struct store_content *content, const WCHAR *display_name);

#endif
