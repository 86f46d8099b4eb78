/*
 * D11: concurrent OpenEntry / GetProps / CompareEntryIDs / Advise / Release on
 * several threads while another thread logs the session off never crashes or
 * hangs, every call answers S_OK or MAPI_E_INVALID_OBJECT, and the session
 * still ends clean. Each round is bounded by a watchdog.
 */
#include "harness.h"

#define ROUNDS 40
#define WORKERS 4
#define ITERATIONS 300
#define WATCHDOG_MS 30000

struct worker {
    IMsgStore *store; /* one reference, the worker's own */
    struct test_sink *sink;
    const BYTE *store_id; /* unwrapped */
    ULONG cb_store_id;
    ULONG seed;
    LONG release_store_at; /* the iteration at which it drops its store reference */
    volatile LONG *iterations_done;
    volatile LONG *unexpected;
    volatile LONG *first_unexpected;
};

static ULONG next_random(ULONG *seed)
{
    *seed ^= *seed << 13;
    *seed ^= *seed >> 17;
    *seed ^= *seed << 5;
    return *seed;
}

static void check(struct worker *w, HRESULT hr)
{
    if (hr == S_OK || hr == MAPI_E_INVALID_OBJECT) return;
    InterlockedIncrement(w->unexpected);
    InterlockedCompareExchange(w->first_unexpected, hr, 0);
}

static void one_call(struct worker *w, IMsgStore *store)
{
    SPropValue *values = NULL;
    IMAPIFolder *folder = NULL;
    ULONG count = 0, type = 0, same = 0;
    ULONG_PTR connection = 0;
    HRESULT hr;

    switch (next_random(&w->seed) % 5) {
    case 0:
        hr = store->lpVtbl->OpenEntry(store, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&folder);
        check(w, hr);
        if (SUCCEEDED(hr)) {
            check(w, folder->lpVtbl->GetProps(folder, NULL, 0, &count, &values));
            mapisim_FreeBuffer(values);
            folder->lpVtbl->Release(folder);
        }
        break;
    case 1:
        check(w, store->lpVtbl->GetProps(store, NULL, MAPI_UNICODE, &count, &values));
        mapisim_FreeBuffer(values);
        break;
    case 2:
        check(w, store->lpVtbl->CompareEntryIDs(store, w->cb_store_id, (LPENTRYID)w->store_id, w->cb_store_id,
                                                (LPENTRYID)w->store_id, 0, &same));
        break;
    case 3: {
        ULONG flags = LOGOFF_NO_WAIT;
        check(w, store->lpVtbl->StoreLogoff(store, &flags));
        break;
    }
    default:
        hr = ABI_VTBL(IMsgStore, store)->Advise(store, 0, NULL, fnevObjectModified, &w->sink->IMAPIAdviseSink_iface,
                                                &connection);
        check(w, hr);
        if (SUCCEEDED(hr)) check(w, ABI_VTBL(IMsgStore, store)->Unadvise(store, connection));
        break;
    }
}

static DWORD WINAPI worker_main(void *context)
{
    struct worker *w = context;
    IMsgStore *store = w->store;
    LONG i;
    for (i = 0; i < ITERATIONS; i++) {
        if (i == w->release_store_at) {
            store->lpVtbl->Release(store);
            return 0; /* this worker's store reference may have been the last */
        }
        one_call(w, store);
        InterlockedIncrement(w->iterations_done);
    }
    store->lpVtbl->Release(store);
    return 0;
}

/* One round: WORKERS threads on one store; the main thread logs off midway. */
static void run_round(ULONG round, BOOL workers_hold_last_reference)
{
    struct mapisim_session s;
    struct test_sink sink;
    struct worker workers[WORKERS];
    HANDLE threads[WORKERS];
    volatile LONG iterations_done = 0, unexpected = 0, first_unexpected = 0;
    ULONG seed = 0x9e3779b9u * (round + 1);
    LONG logoff_after = (LONG)(next_random(&seed) % (WORKERS * ITERATIONS / 2));
    BYTE store_id[64];
    ULONG cb_store_id;
    IMSLogon *logon;
    int i;

    session_start(&s);
    test_sink_init(&sink);
    cb_store_id = unwrapped_store_entryid(s.store, store_id, sizeof(store_id));
    for (i = 0; i < WORKERS; i++) {
        workers[i].store = s.store;
        s.store->lpVtbl->AddRef(s.store);
        workers[i].sink = &sink;
        workers[i].store_id = store_id;
        workers[i].cb_store_id = cb_store_id;
        workers[i].seed = seed + (ULONG)i * 7919u;
        workers[i].release_store_at =
            workers_hold_last_reference ? (LONG)(next_random(&seed) % ITERATIONS) : ITERATIONS;
        workers[i].iterations_done = &iterations_done;
        workers[i].unexpected = &unexpected;
        workers[i].first_unexpected = &first_unexpected;
    }
    if (workers_hold_last_reference) { /* the client's own reference goes first */
        s.store->lpVtbl->Release(s.store);
        s.store = NULL;
    }
    for (i = 0; i < WORKERS; i++) threads[i] = CreateThread(NULL, 0, worker_main, &workers[i], 0, NULL);

    while (iterations_done < logoff_after && WaitForMultipleObjects(WORKERS, threads, TRUE, 0) == WAIT_TIMEOUT)
        SwitchToThread();
    /* Session logoff, unless the store's final Release already ended the logon through MAPI. */
    logon = mapisim_support_take_logon(&s.support);
    if (logon) {
        ULONG zero = 0;
        check(&workers[0], logon->lpVtbl->Logoff(logon, &zero));
        assert_int_equal(logon->lpVtbl->Release(logon), 0);
    } else {
        assert_true(workers_hold_last_reference);
    }

    assert_int_equal(WaitForMultipleObjects(WORKERS, threads, TRUE, WATCHDOG_MS), WAIT_OBJECT_0);
    for (i = 0; i < WORKERS; i++) CloseHandle(threads[i]);
    if (unexpected) fail_msg("round %lu: %ld unexpected results, first 0x%08lx", (unsigned long)round,
                             (long)unexpected, (unsigned long)first_unexpected);
    assert_int_equal(sink.refs, 1);
    session_finish(&s);
}

static void logoff_racing_calls_on_four_threads_is_safe(void **state)
{
    ULONG round;
    (void)state;
    for (round = 0; round < ROUNDS; round++) run_round(round, FALSE);
    print_message("%d rounds x %d threads x %d calls, logoff at a random point\n", ROUNDS, WORKERS, ITERATIONS);
}

static void logoff_racing_the_final_store_release_is_safe(void **state)
{
    ULONG round;
    (void)state;
    for (round = 0; round < ROUNDS; round++) run_round(round + ROUNDS, TRUE);
    print_message("%d rounds with the store's last reference dropped by a worker\n", ROUNDS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(logoff_racing_calls_on_four_threads_is_safe),
        cmocka_unit_test(logoff_racing_the_final_store_release_is_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
