/*
 * Property values: how msstore objects hold their properties and hand them
 * out under MAPI's memory rules (contract §13).
 *
 * An object's properties are a "canonical" SPropValue array, built from the
 * store when they are read: strings are PT_UNICODE (PT_MV_UNICODE), and
 * PT_STRING8 is made on request. The array and everything it points to hang
 * off one MAPI block, so one mapi_free releases a whole list.
 */
#ifndef MSSTORE_PROPS_H
#define MSSTORE_PROPS_H

#include "mapi/memory.h"

/* Most tags one GetProps call accepts: bounds the result size on hostile input. */
#define PROPS_MAX_TAGS 0x10000

struct prop_list {
    ULONG count;
    SPropValue *values; /* root MAPI block of the list */
};

/* Builds a prop_list of at most capacity values; errors are sticky. */
struct prop_builder {
    const struct mapi_allocators *alloc;
    struct prop_list list;
    ULONG capacity;
    HRESULT hr;
    const SPropTagArray *only; /* NULL, or the property IDs the list keeps (each once): others are skipped */
};

void props_begin(struct prop_builder *b, const struct mapi_allocators *alloc, ULONG capacity);
/* A builder that keeps only the first value of each property ID in only (a table row holds its columns). */
void props_begin_only(struct prop_builder *b, const struct mapi_allocators *alloc, ULONG capacity,
                      const SPropTagArray *only);
void props_add_long(struct prop_builder *b, ULONG tag, LONG value);
void props_add_bool(struct prop_builder *b, ULONG tag, BOOL value);
void props_add_string(struct prop_builder *b, ULONG tag, const WCHAR *value); /* tag's type is ignored: stored PT_UNICODE */
void props_add_binary(struct prop_builder *b, ULONG tag, ULONG cb, const void *data);
void props_add_systime(struct prop_builder *b, ULONG tag, LONGLONG filetime);
/*
 * A value as the store file keeps it (mapi/propval.h). A damaged one is left
 * out and answers MAPI_E_CORRUPT_DATA, without failing the builder.
 */
HRESULT props_add_stored(struct prop_builder *b, ULONG tag, const void *data, ULONG size);
/*
 * A value too big for GetProps: its real tag, no data, and dwAlignPad
 * PROPS_TOO_BIG. GetPropList names it; GetProps answers it as
 * PT_ERROR/MAPI_E_NOT_ENOUGH_MEMORY (the client opens it as a stream).
 */
#define PROPS_TOO_BIG 0x42494721u
void props_add_too_big(struct prop_builder *b, ULONG tag);
/* A PT_OBJECT property: named by GetPropList, opened by OpenProperty, never a GetProps value. */
void props_add_object(struct prop_builder *b, ULONG tag);
/* The built list, or an error with *out empty and nothing allocated. */
HRESULT props_end(struct prop_builder *b, struct prop_list *out);

void props_free(const struct mapi_allocators *alloc, struct prop_list *list);

/* A copy of src in one block of its own. */
HRESULT props_copy_list(const struct mapi_allocators *alloc, const struct prop_list *src, struct prop_list *out);

/* Whether two lists hold the same values in the same order. */
BOOL props_equal(const struct prop_list *a, const struct prop_list *b);

/* Whether tags (count of them) has one with tag's property ID, whatever its type. */
BOOL props_id_listed(const ULONG *tags, size_t count, ULONG tag);

/* The value with tag's property ID, whatever its type, or NULL. */
const SPropValue *props_find(const struct prop_list *list, ULONG tag);

/* IMAPIProp::GetProps over list, validating the caller's arguments; strings asked narrow in codepage. */
HRESULT props_get(const struct mapi_allocators *alloc, const struct prop_list *list,
                  const SPropTagArray *tags, ULONG flags, UINT codepage, ULONG *lpcValues,
                  SPropValue **lppPropArray);

/* IMAPIProp::GetPropList over list. */
HRESULT props_get_tags(const struct mapi_allocators *alloc, const struct prop_list *list,
                       ULONG flags, SPropTagArray **lppPropTagArray);

/*
 * Fills dst with src as a request for tag gets it from GetProps (type resolved;
 * PT_ERROR/MAPI_E_NOT_FOUND when src is NULL or of another type,
 * PT_ERROR/MAPI_E_NO_SUPPORT for an object), its data linked to parent. Fails only with MAPI_E_NOT_ENOUGH_MEMORY.
 */
HRESULT props_copy_value(const struct mapi_allocators *alloc, const SPropValue *src, ULONG tag,
                         ULONG flags, SPropValue *dst, void *parent);

/* A stored PT_UNICODE string in a block of its own: wide with MAPI_UNICODE, else narrowed. */
void *props_string_block(const struct mapi_allocators *alloc, const WCHAR *value, ULONG flags);

/* The tag GetPropList and QueryColumns report for a stored tag: strings narrowed unless MAPI_UNICODE. */
ULONG props_reported_tag(ULONG stored_tag, ULONG flags);

/* Validates a tag array from a caller: NULL is allowed only where null_ok. */
HRESULT props_check_tags(const SPropTagArray *tags, BOOL null_ok);

#endif
