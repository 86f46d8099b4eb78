#include "mapi/entryid.h"

#include <string.h>

enum { OFFSET_UID = 4, OFFSET_VERSION = 20, OFFSET_KIND = 21, OFFSET_ID = 22 };

void entryid_encode(const struct entryid_fields *fields, BYTE out[ENTRYID_SIZE])
{
    int i;
    memset(out, 0, OFFSET_UID);
    memcpy(out + OFFSET_UID, &fields->store_uid, sizeof(MAPIUID));
    out[OFFSET_VERSION] = ENTRYID_VERSION;
    out[OFFSET_KIND] = (BYTE)fields->kind;
    for (i = 0; i < 8; i++) out[OFFSET_ID + i] = (BYTE)(fields->object_id >> (8 * i));
}

HRESULT entryid_decode(ULONG cb, const ENTRYID *entryid, struct entryid_fields *fields)
{
    const BYTE *bytes = (const BYTE *)entryid;
    int i, id_size;

    if (!entryid) return MAPI_E_INVALID_ENTRYID;
    if (cb == ENTRYID_SIZE && bytes[OFFSET_VERSION] == ENTRYID_VERSION)
        id_size = 8;
    else if (cb == ENTRYID_V1_SIZE && bytes[OFFSET_VERSION] == ENTRYID_V1_VERSION)
        id_size = 4;
    else
        return MAPI_E_INVALID_ENTRYID;
    switch (bytes[OFFSET_KIND]) {
    case ENTRYID_KIND_STORE:
    case ENTRYID_KIND_FOLDER:
        break;
    case ENTRYID_KIND_MESSAGE:
        if (id_size == 4) return MAPI_E_INVALID_ENTRYID; /* version 1 had no messages */
        break;
    default:
        return MAPI_E_INVALID_ENTRYID;
    }
    fields->kind = (enum entryid_kind)bytes[OFFSET_KIND];
    memcpy(&fields->store_uid, bytes + OFFSET_UID, sizeof(MAPIUID));
    fields->object_id = 0;
    for (i = 0; i < id_size; i++) fields->object_id |= (ULONGLONG)bytes[OFFSET_ID + i] << (8 * i);
    if ((fields->kind == ENTRYID_KIND_STORE) != (fields->object_id == 0)) return MAPI_E_INVALID_ENTRYID;
    return S_OK;
}

BOOL entryid_same_object(const struct entryid_fields *a, const struct entryid_fields *b)
{
    return !memcmp(&a->store_uid, &b->store_uid, sizeof(MAPIUID)) && a->kind == b->kind &&
           a->object_id == b->object_id;
}
