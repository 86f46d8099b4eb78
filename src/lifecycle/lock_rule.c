/* The checked half of the lock rule: compiled into checked builds only (see lock_rule.h). */
#include "lifecycle/lock_rule.h"

#ifdef MSSTORE_CHECK_LOCKS
#include <stdio.h>
#include <stdlib.h>

static _Thread_local LONG locks_held; /* msstore locks this thread holds, re-entries counted */

static void report_and_abort(LONG held)
{
    char text[128];
    snprintf(text, sizeof(text), "msstore: lock rule broken: calling out of msstore with %ld lock(s) held\n",
             (long)held);
    OutputDebugStringA(text);
    fputs(text, stderr);
    abort();
}

void (*lock_rule_violated)(LONG locks_held) = report_and_abort;

void lock_acquire(CRITICAL_SECTION *lock)
{
    EnterCriticalSection(lock);
    locks_held++;
}

void lock_release(CRITICAL_SECTION *lock)
{
    locks_held--;
    LeaveCriticalSection(lock);
}

void lock_rule_calling_out(void)
{
    if (locks_held) lock_rule_violated(locks_held);
}
#else
typedef int lock_rule_unchecked; /* ISO C wants something in a translation unit */
#endif
