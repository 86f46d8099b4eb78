/*
 * msstore entry IDs (decisions D12, D18), the only place that knows their bytes:
 *
 *   offset  size  field
 *   0       4     abFlags: 0 in IDs msstore makes; ignored when reading
 *   4       16    the store's MAPIUID, registered with SetProviderUID
 *   20      1     format version, ENTRYID_VERSION (2)
 *   21      1     object kind (enum entryid_kind)
 *   22      8     object id within the store, little-endian; never reused (0 for the store)
 *
 * Version 1, the 26-byte format of the read-only msstore (a 4-byte object id
 * at offset 22), is still read, so that profiles and shortcuts saved then keep
 * opening the same store and special folders; only version 2 is written.
 * Every field is checked on the way in; anything else is MAPI_E_INVALID_ENTRYID.
 * Plain C over a byte buffer: no MAPI calls, no allocation.
 */
#ifndef MSSTORE_ENTRYID_H
#define MSSTORE_ENTRYID_H

#include <msstore/mapi_types.h>

#define ENTRYID_VERSION 2
#define ENTRYID_SIZE 30
#define ENTRYID_V1_VERSION 1
#define ENTRYID_V1_SIZE 26

enum entryid_kind {
    ENTRYID_KIND_STORE = 1,
    ENTRYID_KIND_FOLDER = 2,
    ENTRYID_KIND_MESSAGE = 3,
};

struct entryid_fields {
    MAPIUID store_uid;
    enum entryid_kind kind;
    ULONGLONG object_id; /* 0 for the store itself */
};

void entryid_encode(const struct entryid_fields *fields, BYTE out[ENTRYID_SIZE]);

/* S_OK and *fields for an ID entryid_encode made (or a version-1 ID); else MAPI_E_INVALID_ENTRYID. */
HRESULT entryid_decode(ULONG cb, const ENTRYID *entryid, struct entryid_fields *fields);

/* Whether two decoded entry IDs name the same object. */
BOOL entryid_same_object(const struct entryid_fields *a, const struct entryid_fields *b);

#endif
