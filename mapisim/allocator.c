/*
 * MAPIAllocateBuffer / MAPIAllocateMore / MAPIFreeBuffer, as MAPI documents
 * them: AllocateMore blocks hang off an AllocateBuffer block and are freed
 * with it by one FreeBuffer. Every block is accounted, so a test can prove
 * that a provider left nothing live, and any single call can be made to fail.
 */
#include "mapisim.h"

#include <string.h>

#define BLOCK_MAGIC 0x4D534D42 /* "MSMB" */

struct block {
    ULONG magic;
    ULONG size;
    struct block *root; /* self for an AllocateBuffer block */
    struct block *more; /* the AllocateMore blocks of a root, or the next of a chain */
    /* 16-byte aligned data follows */
} __attribute__((aligned(16)));

static SRWLOCK lock = SRWLOCK_INIT;
static struct mapisim_alloc_stats stats;
static LONG fail_countdown;

void mapisim_alloc_stats(struct mapisim_alloc_stats *out)
{
    AcquireSRWLockExclusive(&lock);
    *out = stats;
    ReleaseSRWLockExclusive(&lock);
}

void mapisim_alloc_fail_at(LONG n)
{
    AcquireSRWLockExclusive(&lock);
    fail_countdown = n;
    ReleaseSRWLockExclusive(&lock);
}

/* With the lock held: counts a call, and says whether it is the one to fail. */
static BOOL count_call_locked(BOOL buffer)
{
    stats.calls++;
    stats.buffer_calls += buffer;
    return fail_countdown > 0 && --fail_countdown == 0;
}

static struct block *block_of(LPVOID data) { return (struct block *)data - 1; }

static struct block *new_block(ULONG size)
{
    struct block *b = HeapAlloc(GetProcessHeap(), 0, sizeof(struct block) + size);
    if (b) {
        b->magic = BLOCK_MAGIC;
        b->size = size;
        b->root = b;
        b->more = NULL;
    }
    return b;
}

SCODE STDMETHODCALLTYPE mapisim_AllocateBuffer(ULONG cbSize, LPVOID *lppBuffer)
{
    struct block *b;
    BOOL fail;
    if (!lppBuffer) return MAPI_E_INVALID_PARAMETER;
    *lppBuffer = NULL;
    AcquireSRWLockExclusive(&lock);
    fail = count_call_locked(TRUE);
    ReleaseSRWLockExclusive(&lock);
    if (mapisim_fault_here("MAPIAllocateBuffer")) fail = TRUE;
    if (fail || !(b = new_block(cbSize))) return MAPI_E_NOT_ENOUGH_MEMORY;
    AcquireSRWLockExclusive(&lock);
    stats.live_blocks++;
    stats.live_bytes += cbSize;
    ReleaseSRWLockExclusive(&lock);
    *lppBuffer = b + 1;
    return S_OK;
}

SCODE STDMETHODCALLTYPE mapisim_AllocateMore(ULONG cbSize, LPVOID lpObject, LPVOID *lppBuffer)
{
    struct block *b, *parent;
    BOOL fail;
    if (!lppBuffer) return MAPI_E_INVALID_PARAMETER;
    *lppBuffer = NULL;
    if (!lpObject || block_of(lpObject)->magic != BLOCK_MAGIC) return MAPI_E_INVALID_PARAMETER;
    AcquireSRWLockExclusive(&lock);
    fail = count_call_locked(FALSE);
    ReleaseSRWLockExclusive(&lock);
    if (mapisim_fault_here("MAPIAllocateMore")) fail = TRUE;
    if (fail || !(b = new_block(cbSize))) return MAPI_E_NOT_ENOUGH_MEMORY;
    AcquireSRWLockExclusive(&lock);
    parent = block_of(lpObject)->root;
    b->root = parent;
    b->more = parent->more;
    parent->more = b;
    stats.live_bytes += cbSize;
    ReleaseSRWLockExclusive(&lock);
    *lppBuffer = b + 1;
    return S_OK;
}

ULONG STDMETHODCALLTYPE mapisim_FreeBuffer(LPVOID lpBuffer)
{
    struct block *root, *b;
    if (!lpBuffer) return S_OK;
    root = block_of(lpBuffer);
    AcquireSRWLockExclusive(&lock);
    if (root->magic != BLOCK_MAGIC || root->root != root) {
        stats.bad_frees++;
        ReleaseSRWLockExclusive(&lock);
        return (ULONG)MAPI_E_INVALID_PARAMETER;
    }
    stats.live_blocks--;
    for (b = root; b; b = b->more) stats.live_bytes -= b->size;
    ReleaseSRWLockExclusive(&lock);
    while (root) {
        b = root->more;
        root->magic = 0; /* a second FreeBuffer of it counts as a bad free */
        HeapFree(GetProcessHeap(), 0, root);
        root = b;
    }
    return S_OK;
}
