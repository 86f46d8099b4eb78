/*
 * How a property value is kept in the store file: the bytes of one
 * SPropValue, of any type msstore stores (every single- and multi-valued type
 * but PT_OBJECT, PT_NULL, PT_ERROR and PT_UNSPECIFIED).
 *
 * Strings are kept as UTF-16: a PT_STRING8 value is widened from its code page
 * on the way in, and its tag becomes PT_UNICODE (PT_MV_STRING8, PT_MV_UNICODE),
 * so it can be answered in either width. Integers are little-endian.
 *
 *   fixed-size types   the value's bytes (2, 4, 8 or 16 for PT_CLSID)
 *   PT_UNICODE         the UTF-16 code units, no terminator
 *   PT_BINARY          the bytes
 *   PT_MV_*            a 4-byte count, then each value: fixed-size ones as
 *                      above, strings and binaries each after a 4-byte length
 *
 * Plain C over byte buffers and MAPI's structures.
 */
#ifndef MSSTORE_PROPVAL_H
#define MSSTORE_PROPVAL_H

#include "mapi/memory.h"

/* The most bytes one value may take: anything bigger is MAPI_E_NOT_ENOUGH_MEMORY. */
#define PROPVAL_MAX_SIZE 0x7FFFFFF0u

/* Whether values of a property type can be stored. */
BOOL propval_storable_type(ULONG type);

/* The tag a value is kept under: string types widened to Unicode. */
ULONG propval_stored_tag(ULONG tag);

/*
 * The encoded size of value (narrow strings read in codepage), or
 * MAPI_E_INVALID_TYPE for a type that cannot be stored, MAPI_E_INVALID_PARAMETER
 * for a value missing its data, MAPI_E_NOT_ENOUGH_MEMORY beyond PROPVAL_MAX_SIZE.
 */
HRESULT propval_encoded_size(const SPropValue *value, UINT codepage, ULONG *size);
/* Writes the encoding into out, which has the room propval_encoded_size said. */
void propval_encode(const SPropValue *value, UINT codepage, BYTE *out);

/*
 * The value stored under tag, its data linked to parent; MAPI_E_CORRUPT_DATA
 * when the bytes are not an encoding of that type.
 */
HRESULT propval_decode(const struct mapi_allocators *alloc, ULONG tag, const BYTE *data, ULONG size,
                       void *parent, SPropValue *out);

#endif
