/*
 * The lock rule (open_store.h, D11), checked. Every msstore lock is taken
 * with lock_acquire and left with lock_release; every call out of msstore
 * (the support object, a profile section, an advise sink, IMalloc) goes
 * through support_methods or follows lock_rule_calling_out. ServiceEntry
 * takes no lock, so its calls to IProviderAdmin need no check. Checked builds (MSSTORE_CHECK_LOCKS: what the test
 * suite links) count the locks each thread holds and stop the process at a
 * call out made with one held; the DLL compiles the counting away.
 */
#ifndef MSSTORE_LOCK_RULE_H
#define MSSTORE_LOCK_RULE_H

#include <msstore/mapi_abi.h>

#ifdef MSSTORE_CHECK_LOCKS
void lock_acquire(CRITICAL_SECTION *lock);
void lock_release(CRITICAL_SECTION *lock);
void lock_rule_calling_out(void);
/* What a violation does: by default report it and abort; tests may count instead. */
extern void (*lock_rule_violated)(LONG locks_held);
#else
static inline void lock_acquire(CRITICAL_SECTION *lock) { EnterCriticalSection(lock); }
static inline void lock_release(CRITICAL_SECTION *lock) { LeaveCriticalSection(lock); }
static inline void lock_rule_calling_out(void) {}
#endif

/* The support object's methods (at Microsoft's widths), for a call made with no msstore lock held. */
static inline const IMAPISupportAbiVtbl *support_methods(IMAPISupport *support)
{
    lock_rule_calling_out();
    return ABI_VTBL(IMAPISupport, support);
}

#endif
