#include "mapi/memory.h"

#include <string.h>

void *mapi_alloc_zeroed(const struct mapi_allocators *alloc, size_t size)
{
    void *block = NULL;
    if (size > MAXDWORD || alloc->allocate_buffer((ULONG)size, &block) != S_OK)
        return NULL;
    memset(block, 0, size);
    return block;
}

void *mapi_alloc_more(const struct mapi_allocators *alloc, size_t size, void *parent)
{
    void *block = NULL;
    if (size > MAXDWORD || alloc->allocate_more((ULONG)size, parent, &block) != S_OK)
        return NULL;
    return block;
}

void mapi_free(const struct mapi_allocators *alloc, void *block)
{
    if (block) alloc->free_buffer(block);
}

BOOL mapi_array_reserve(const struct mapi_allocators *alloc, void **items, ULONG *capacity, ULONG count,
                        ULONG wanted, size_t size, ULONG first)
{
    ULONG bigger = *capacity ? *capacity : first;
    void *moved;
    if (wanted <= *capacity) return TRUE;
    while (bigger < wanted) bigger *= 2;
    if (!(moved = mapi_alloc_zeroed(alloc, (size_t)bigger * size))) return FALSE;
    if (count) memcpy(moved, *items, (size_t)count * size);
    mapi_free(alloc, *items);
    *items = moved;
    *capacity = bigger;
    return TRUE;
}

void *mapi_alloc_copy(const struct mapi_allocators *alloc, const void *data, size_t size)
{
    void *block = mapi_alloc_zeroed(alloc, size ? size : 1);
    if (block) memcpy(block, data, size);
    return block;
}

void *mapi_alloc_copy_more(const struct mapi_allocators *alloc, const void *data, size_t size, void *parent)
{
    void *block = mapi_alloc_more(alloc, size ? size : 1, parent);
    if (block && size) memcpy(block, data, size);
    return block;
}

/* What msstore's own error codes mean, for GetLastError. */
static const struct {
    HRESULT code;
    const char *text;
} error_texts[] = {
    {MAPI_E_INVALID_PARAMETER, "A parameter is missing or malformed."},
    {MAPI_E_UNKNOWN_FLAGS, "A flag is not one this method accepts."},
    {MAPI_E_INVALID_OBJECT, "The object belongs to a store that has been logged off."},
    {MAPI_E_NO_SUPPORT, "msstore does not implement this method."},
    {MAPI_E_NO_ACCESS, "The store or the object is open for reading only, or the folder is one the store needs."},
    {MAPI_E_NOT_ENOUGH_MEMORY, "The MAPI allocator failed."},
    {MAPI_E_INVALID_ENTRYID, "The entry ID was not made by this msstore store."},
    {MAPI_E_NOT_FOUND, "The store has no such object or property."},
    {MAPI_E_INTERFACE_NOT_SUPPORTED, "The object does not implement that interface."},
    {MAPI_E_VERSION, "MAPI's SPI version is older than msstore needs, or the store file is a newer msstore's."},
    {MAPI_E_BUSY, "Another program holds the store file locked; try again."},
    {MAPI_E_DISK_ERROR, "The store file could not be read or written."},
    {MAPI_E_NOT_ENOUGH_DISK, "The disk holding the store file is full."},
    {MAPI_E_CORRUPT_STORE, "The store file is damaged, or not an msstore store."},
    {MAPI_E_COLLISION, "A folder of that name is there already."},
    {MAPI_E_OBJECT_DELETED, "The folder was deleted while it was open."},
    {MAPI_E_HAS_FOLDERS, "The folder has subfolders: DEL_FOLDERS deletes them too."},
    {MAPI_E_HAS_MESSAGES, "The folder holds messages: DEL_MESSAGES deletes them too."},
    {MAPI_E_FOLDER_CYCLE, "A folder cannot move into itself or its own subfolders."},
    {MAPI_E_COMPUTED, "The store computes that property."},
    {MAPI_E_UNCONFIGURED, "The profile names no store file and there is no %LOCALAPPDATA% to put one in."},
};

static const char component[] = "msstore";

/* Copies an ASCII text into a block linked to parent, as wide or narrow chars. */
static LPTSTR copy_text(const struct mapi_allocators *alloc, const char *text,
                        BOOL wide, void *parent)
{
    size_t len = strlen(text) + 1, i;
    void *copy = mapi_alloc_more(alloc, len * (wide ? sizeof(WCHAR) : 1), parent);
    if (!copy) return NULL;
    for (i = 0; i < len; i++) {
        if (wide) ((WCHAR *)copy)[i] = (WCHAR)text[i];
        else ((char *)copy)[i] = text[i];
    }
    return copy;
}

HRESULT mapi_error_describe(const struct mapi_allocators *alloc, HRESULT hResult,
                            ULONG ulFlags, LPMAPIERROR *lppMAPIError)
{
    const char *text = NULL;
    BOOL wide = (ulFlags & MAPI_UNICODE) != 0;
    MAPIERROR *error;
    size_t i;

    if (!lppMAPIError) return MAPI_E_INVALID_PARAMETER;
    *lppMAPIError = NULL;
    if (ulFlags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;

    for (i = 0; i < sizeof(error_texts) / sizeof(error_texts[0]); i++)
        if (error_texts[i].code == hResult) text = error_texts[i].text;
    if (!text) return S_OK;

    if (!(error = mapi_alloc_zeroed(alloc, sizeof(*error))))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    error->ulVersion = MAPI_ERROR_VERSION;
    error->lpszError = copy_text(alloc, text, wide, error);
    error->lpszComponent = copy_text(alloc, component, wide, error);
    if (!error->lpszError || !error->lpszComponent) {
        mapi_free(alloc, error);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    *lppMAPIError = error;
    return S_OK;
}
