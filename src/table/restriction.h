/*
 * Restrictions (IMAPITable::Restrict, FindRow) and the ordering of property
 * values (SortTable, RES_PROPERTY relops): plain C over MAPI's structures, no
 * Windows API call, so it also builds natively for fuzzing.
 *
 * Supported: RES_AND, RES_OR, RES_NOT, RES_CONTENT (FL_FULLSTRING,
 * FL_SUBSTRING, FL_PREFIX, FL_IGNORECASE), RES_PROPERTY (every relop),
 * RES_COMPAREPROPS, RES_BITMASK, RES_SIZE, RES_EXIST. Anything else is
 * MAPI_E_TOO_COMPLEX, as is nesting deeper than RESTRICTION_MAX_DEPTH.
 *
 * Strings: a row's strings may be PT_UNICODE while a restriction's are
 * PT_STRING8 (or the other way); PT_STRING8 bytes compare as Latin-1 code
 * points, and FL_IGNORECASE folds ASCII and Latin-1 letters.
 */
#ifndef MSSTORE_RESTRICTION_H
#define MSSTORE_RESTRICTION_H

#include "mapi/memory.h"

#define RESTRICTION_MAX_DEPTH 64

/* A row's value for the property ID of tag (its type may differ from tag's), or NULL. */
typedef const SPropValue *(*restriction_lookup)(const void *row, ULONG tag);

/*
 * Checks a client's restriction before it is kept: S_OK, MAPI_E_TOO_COMPLEX
 * (unsupported type, too deep), or MAPI_E_INVALID_PARAMETER (NULL where a
 * sub-restriction or value must be, unknown relop or fuzzy level, a property
 * value whose tag disagrees with the restriction's). Never recurses deeper
 * than RESTRICTION_MAX_DEPTH + 1, whatever the input.
 */
HRESULT restriction_check(const SRestriction *restriction);

/* A deep copy of a checked restriction in one MAPI block (freed by one mapi_free). */
HRESULT restriction_copy(const struct mapi_allocators *alloc, const SRestriction *restriction,
                         SRestriction **out);

/* Each property tag a checked restriction tests, to fn (a tag may come more than once). */
typedef void (*restriction_tag_fn)(void *context, ULONG tag);
void restriction_each_tag(const SRestriction *restriction, restriction_tag_fn fn, void *context);

/* Whether a row satisfies a checked restriction. */
BOOL restriction_matches(const SRestriction *restriction, restriction_lookup lookup,
                         const void *row);

/*
 * Orders two values: <0, 0, >0. Values of one property compare by type; the
 * two string widths compare with each other; anything else of unequal types
 * compares by type number, so sorting is always a total order.
 */
int restriction_compare_values(const SPropValue *a, const SPropValue *b, BOOL ignore_case);

#endif
