/*
 * MAPI memory: the three allocators MAPI hands to MSProviderInit, and the
 * buffers msstore returns through them (contract §13).
 *
 * Every byte msstore allocates, its own objects included, comes from these
 * allocators: MAPI (or a test host) sees and accounts for all of it, and a
 * failing allocator reaches every allocation site.
 */
#ifndef MSSTORE_MEMORY_H
#define MSSTORE_MEMORY_H

#include <msstore/mapi_types.h>

struct mapi_allocators {
    LPALLOCATEBUFFER allocate_buffer;
    LPALLOCATEMORE allocate_more;
    LPFREEBUFFER free_buffer;
};

/* A zeroed block of size bytes, or NULL when the allocator fails. */
void *mapi_alloc_zeroed(const struct mapi_allocators *alloc, size_t size);

/* A block linked to parent: freed with it, by the one free_buffer of parent. */
void *mapi_alloc_more(const struct mapi_allocators *alloc, size_t size, void *parent);

void mapi_free(const struct mapi_allocators *alloc, void *block);

/* A new block holding a copy of size bytes of data, or NULL. */
void *mapi_alloc_copy(const struct mapi_allocators *alloc, const void *data, size_t size);
/* The same, linked to parent. */
void *mapi_alloc_copy_more(const struct mapi_allocators *alloc, const void *data, size_t size, void *parent);

/*
 * Room for `wanted` elements of size bytes in *items, a block holding count
 * of *capacity: a bigger block (twice the size, at least `first`) with the
 * elements moved when it is full. FALSE when the allocator fails; *items is
 * then as it was.
 */
BOOL mapi_array_reserve(const struct mapi_allocators *alloc, void **items, ULONG *capacity, ULONG count,
                        ULONG wanted, size_t size, ULONG first);

/*
 * IMAPIProp/IMSLogon::GetLastError: a MAPIERROR describing hResult, freed by
 * one MAPIFreeBuffer, or *lppMAPIError = NULL when msstore has nothing to say.
 */
HRESULT mapi_error_describe(const struct mapi_allocators *alloc, HRESULT hResult,
                            ULONG ulFlags, LPMAPIERROR *lppMAPIError);

#endif
