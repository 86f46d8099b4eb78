/*
 * msstore entry IDs (decision D12), the only place that knows their bytes:
 *
 *   offset  size  field
 *   0       4     abFlags: 0 in IDs msstore makes; ignored when reading
 *   4       16    the store's MAPIUID, registered with SetProviderUID
 *   20      1     format version, ENTRYID_VERSION
 *   21      1     object kind (enum entryid_kind)
 *   22      4     object id within the store, little-endian
 *
 * Every field is checked on the way in; anything else is MAPI_E_INVALID_ENTRYID.
 * Plain C over a byte buffer: no MAPI calls, no allocation.
 */
#ifndef MSSTORE_ENTRYID_H
#define MSSTORE_ENTRYID_H

#include <msstore/mapi_types.h>

#define ENTRYID_VERSION 1
#define ENTRYID_SIZE 26

enum entryid_kind {
    ENTRYID_KIND_STORE = 1,
    ENTRYID_KIND_FOLDER = 2,
};

struct entryid_fields {
    MAPIUID store_uid;
    enum entryid_kind kind;
    ULONG object_id; /* 0 for the store itself */
};

void entryid_encode(const struct entryid_fields *fields, BYTE out[ENTRYID_SIZE]);

/* S_OK and *fields, or MAPI_E_INVALID_ENTRYID for anything not made by entryid_encode. */
HRESULT entryid_decode(ULONG cb, const ENTRYID *entryid, struct entryid_fields *fields);

/* Whether two decoded entry IDs name the same object. */
BOOL entryid_same_object(const struct entryid_fields *a, const struct entryid_fields *b);

/* Whether two entry IDs name the same object; abFlags do not matter. */
HRESULT entryid_compare(ULONG cb1, const ENTRYID *entryid1, ULONG cb2, const ENTRYID *entryid2,
                        BOOL *same);

#endif
