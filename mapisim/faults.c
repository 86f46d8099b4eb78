/*
 * Fault points: every fallible call a provider makes to the MAPI side (each
 * MAPI allocation, each IMalloc allocation, each IMAPISupport method, each
 * profile-section or status-row method) takes the next number in one
 * process-wide sequence, so that a test can count them over a whole session
 * and then make exactly one of them fail.
 */
#include "mapisim.h"

static LONG points;      /* fault points passed since the last reset */
static LONG fail_point;  /* the one to fail; 0: none */
static const char *failed; /* what it was, once it failed */

void mapisim_faults_reset(LONG fail_at)
{
    InterlockedExchange(&points, 0);
    InterlockedExchange(&fail_point, fail_at);
    InterlockedExchangePointer((void **)&failed, NULL);
}

LONG mapisim_faults_count(void) { return InterlockedCompareExchange(&points, 0, 0); }

const char *mapisim_faults_failed(void) { return InterlockedCompareExchangePointer((void **)&failed, NULL, NULL); }

BOOL mapisim_fault_here(const char *what)
{
    LONG n = InterlockedIncrement(&points);
    if (n != InterlockedCompareExchange(&fail_point, 0, 0)) return FALSE;
    InterlockedExchangePointer((void **)&failed, (void *)what);
    return TRUE;
}
