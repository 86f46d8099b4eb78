/*
 * libFuzzer target for the entry-ID codec (src/mapi/entryid.c), built natively
 * with clang, AddressSanitizer and UndefinedBehaviorSanitizer (tests/fuzz/run.sh).
 *
 * Input: any bytes. The whole input is decoded as one entry ID; it is also cut
 * in two at the position its first byte names and the halves compared.
 * Properties checked, besides the sanitizers' memory and UB checks:
 *   - decoding answers S_OK or MAPI_E_INVALID_ENTRYID, nothing else;
 *   - what decodes re-encodes to the same bytes (the ignored abFlags aside),
 *     in version 2 or in the version-1 format still read;
 *   - comparing is symmetric, an ID is the same as itself, and two IDs are
 *     the same exactly when their decoded fields are.
 */
#include "mapi/entryid.h"
#include "fuzz_require.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static BOOL same_fields(const struct entryid_fields *a, const struct entryid_fields *b)
{
    return !memcmp(&a->store_uid, &b->store_uid, sizeof(MAPIUID)) && a->kind == b->kind &&
           a->object_id == b->object_id;
}

/* The version-1 bytes of fields (the 26-byte format msstore still reads), assembled here from its layout. */
static void encode_version1(const struct entryid_fields *fields, BYTE out[ENTRYID_V1_SIZE])
{
    int i;
    memset(out, 0, 4);
    memcpy(out + 4, &fields->store_uid, sizeof(MAPIUID));
    out[20] = ENTRYID_V1_VERSION;
    out[21] = (BYTE)fields->kind;
    for (i = 0; i < 4; i++) out[22 + i] = (BYTE)(fields->object_id >> (8 * i));
}

/* Decodes bytes; when they decode, checks the round trip (in the format they came in). */
static HRESULT decode_and_reencode(const BYTE *bytes, size_t size, struct entryid_fields *fields)
{
    BYTE again[ENTRYID_SIZE];
    HRESULT hr = entryid_decode((ULONG)size, (const ENTRYID *)bytes, fields);
    require(hr == S_OK || hr == MAPI_E_INVALID_ENTRYID);
    if (hr == S_OK) {
        require(size == ENTRYID_SIZE || size == ENTRYID_V1_SIZE);
        if (size == ENTRYID_SIZE) entryid_encode(fields, again);
        else encode_version1(fields, again);
        require(!memcmp(again + 4, bytes + 4, size - 4));
        require((fields->kind == ENTRYID_KIND_STORE) == (fields->object_id == 0));
    }
    return hr;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct entryid_fields whole, first, second;
    size_t cut = size ? data[0] % (size + 1) : 0;
    BOOL same = FALSE, reverse = FALSE, self = FALSE;
    /* Copies, so that ASan sees the exact bounds of each ID. */
    BYTE *a = malloc(cut ? cut : 1), *b = malloc(size - cut ? size - cut : 1);
    HRESULT ha, hb;

    require(a && b);
    memcpy(a, data, cut);
    memcpy(b, data + cut, size - cut);
    decode_and_reencode(data, size, &whole);
    ha = decode_and_reencode(a, cut, &first);
    hb = decode_and_reencode(b, size - cut, &second);

    if (ha == S_OK && hb == S_OK) {
        same = entryid_same_object(&first, &second);
        reverse = entryid_same_object(&second, &first);
        self = entryid_same_object(&first, &first);
        require(same == reverse);
        require(same == same_fields(&first, &second));
        require(self);
    }
    free(a);
    free(b);
    return 0;
}
