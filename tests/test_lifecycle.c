/*
 * The ways MAPI ends a store (contract §7.5, decisions D4-D8): StoreLogoff then
 * Release, Release alone, session Logoff with objects still held, the
 * re-entrant Logoff from the support object's final Release, Logoff twice,
 * rejected Logoff arguments, IMSLogon::Release without Logoff, Shutdown with a
 * logon open. Every case ends in session_finish's invariants.
 */
#include "harness.h"
#include "lifecycle/lock_rule.h"

#include <string.h>

static IMAPIFolder *open_root(IMsgStore *store)
{
    IMAPIFolder *root = NULL;
    ULONG type = 0;
    assert_int_equal(store->lpVtbl->OpenEntry(store, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&root), S_OK);
    assert_int_equal(type, MAPI_FOLDER);
    return root;
}

static void storelogoff_then_release_logs_off_transports_once_with_recorded_flag(void **state)
{
    struct mapisim_session s;
    ULONG flags = LOGOFF_ORDERLY;
    (void)state;
    session_start(&s);
    assert_int_equal(s.store->lpVtbl->StoreLogoff(s.store, &flags), S_OK);
    assert_int_equal(flags, LOGOFF_COMPLETE);
    assert_int_equal(s.support.calls[MAPISIM_StoreLogoffTransports], 0); /* D4: only at the end */
    assert_int_equal(s.store->lpVtbl->Release(s.store), 0);
    s.store = NULL;
    assert_int_equal(s.support.calls[MAPISIM_StoreLogoffTransports], 1);
    assert_int_equal(s.support.logoff_transports_flags, LOGOFF_ORDERLY);
    assert_int_equal(s.support.refs, 0);
    session_finish(&s);
}

static void later_storelogoff_overwrites_the_recorded_flag(void **state)
{
    struct mapisim_session s;
    ULONG flags = LOGOFF_PURGE;
    (void)state;
    session_start(&s);
    assert_int_equal(s.store->lpVtbl->StoreLogoff(s.store, &flags), S_OK);
    flags = LOGOFF_QUIET;
    assert_int_equal(s.store->lpVtbl->StoreLogoff(s.store, &flags), S_OK);
    assert_int_equal(s.store->lpVtbl->Release(s.store), 0);
    s.store = NULL;
    assert_int_equal(s.support.logoff_transports_flags, LOGOFF_QUIET);
    session_finish(&s);
}

static void release_without_storelogoff_uses_logoff_abort(void **state)
{
    struct mapisim_session s;
    (void)state;
    session_start(&s);
    assert_int_equal(s.store->lpVtbl->Release(s.store), 0);
    s.store = NULL;
    assert_int_equal(s.support.calls[MAPISIM_StoreLogoffTransports], 1);
    assert_int_equal(s.support.logoff_transports_flags, LOGOFF_ABORT);
    session_finish(&s);
}

static void storelogoff_rejects_bad_flags_without_recording_them(void **state)
{
    static const ULONG bad[] = {0, LOGOFF_NO_WAIT | LOGOFF_ABORT, 0x20, LOGOFF_COMPLETE};
    static const HRESULT expected[] = {MAPI_E_INVALID_PARAMETER, MAPI_E_INVALID_PARAMETER,
                                       MAPI_E_UNKNOWN_FLAGS, MAPI_E_UNKNOWN_FLAGS};
    struct mapisim_session s;
    size_t i;
    (void)state;
    session_start(&s);
    assert_int_equal(s.store->lpVtbl->StoreLogoff(s.store, NULL), MAPI_E_INVALID_PARAMETER);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ULONG flags = bad[i];
        assert_int_equal(s.store->lpVtbl->StoreLogoff(s.store, &flags), expected[i]);
        assert_int_equal(flags, bad[i]); /* untouched */
    }
    assert_int_equal(s.store->lpVtbl->Release(s.store), 0);
    s.store = NULL;
    assert_int_equal(s.support.logoff_transports_flags, LOGOFF_ABORT);
    session_finish(&s);
}

static void reentrant_logoff_from_support_release_is_a_noop(void **state)
{
    struct mapisim_session s;
    (void)state;
    session_start(&s);
    assert_int_equal(s.store->lpVtbl->Release(s.store), 0);
    s.store = NULL;
    /* The support object's final Release called Logoff(&0) and Release on the logon. */
    assert_int_equal(s.support.logoffs_in_release, 1);
    assert_int_equal(s.support.logoff_in_release_result, S_OK);
    assert_int_equal(s.support.logon_release_result, 0);
    assert_int_equal(s.support.calls[MAPISIM_StoreLogoffTransports], 1);
    assert_int_equal(s.support.underflows, 0);
    session_finish(&s);
}

static void session_logoff_with_store_and_folder_held_makes_them_zombies(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *root;
    SPropValue *value = NULL;
    ULONG count = 0;
    (void)state;
    session_start(&s);
    root = open_root(s.store);
    session_logoff(&s);
    assert_int_equal(s.support.calls[MAPISIM_StoreLogoffTransports], 1);
    assert_int_equal(s.support.logoff_transports_flags, LOGOFF_ABORT);
    assert_int_equal(s.support.refs, 0); /* released at Logoff, not at the client's Release */
    assert_int_equal(s.store->lpVtbl->GetProps(s.store, NULL, 0, &count, &value), MAPI_E_INVALID_OBJECT);
    assert_int_equal(root->lpVtbl->GetProps(root, NULL, 0, &count, &value), MAPI_E_INVALID_OBJECT);
    assert_null(value);
    /* Their later Releases free them. */
    assert_int_equal(root->lpVtbl->Release(root), 0);
    assert_int_equal(s.store->lpVtbl->Release(s.store), 0);
    s.store = NULL;
    assert_int_equal(s.support.calls[MAPISIM_StoreLogoffTransports], 1);
    session_finish(&s);
}

static void logoff_twice_tears_down_once(void **state)
{
    struct mapisim_session s;
    ULONG zero = 0;
    IMSLogon *logon;
    (void)state;
    session_start(&s);
    logon = mapisim_support_take_logon(&s.support);
    assert_int_equal(logon->lpVtbl->Logoff(logon, &zero), S_OK);
    assert_int_equal(logon->lpVtbl->Logoff(logon, &zero), S_OK);
    assert_int_equal(s.support.calls[MAPISIM_StoreLogoffTransports], 1);
    assert_int_equal(logon->lpVtbl->Release(logon), 0);
    session_finish(&s);
}

static void logoff_rejects_null_and_nonzero_flags_without_side_effect(void **state)
{
    struct mapisim_session s;
    ULONG flags = 1, zero = 0;
    SPropValue *value;
    IMSLogon *logon;
    (void)state;
    session_start(&s);
    logon = mapisim_support_take_logon(&s.support);
    assert_int_equal(logon->lpVtbl->Logoff(logon, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(logon->lpVtbl->Logoff(logon, &flags), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(s.support.calls[MAPISIM_StoreLogoffTransports], 0);
    assert_int_equal(s.support.refs, 1);
    value = get_prop((IMAPIProp *)s.store, PR_OBJECT_TYPE); /* the store still works */
    assert_int_equal(value->Value.l, MAPI_STORE);
    mapisim_FreeBuffer(value);
    assert_int_equal(logon->lpVtbl->Logoff(logon, &zero), S_OK);
    assert_int_equal(s.support.calls[MAPISIM_StoreLogoffTransports], 1);
    assert_int_equal(logon->lpVtbl->Release(logon), 0);
    session_finish(&s);
}

static void logon_release_without_logoff_still_tears_down(void **state)
{
    struct mapisim_session s;
    IMSLogon *logon;
    IMAPIFolder *root;
    SPropValue *value = NULL;
    ULONG count = 0;
    (void)state;
    session_start(&s);
    root = open_root(s.store);
    logon = mapisim_support_take_logon(&s.support);
    assert_int_equal(logon->lpVtbl->Release(logon), 0);
    assert_int_equal(s.support.calls[MAPISIM_StoreLogoffTransports], 1);
    assert_int_equal(s.support.refs, 0);
    assert_int_equal(root->lpVtbl->GetProps(root, NULL, 0, &count, &value), MAPI_E_INVALID_OBJECT);
    assert_int_equal(root->lpVtbl->Release(root), 0);
    session_finish(&s);
}

static void shutdown_with_logon_open_tears_it_down(void **state)
{
    struct mapisim_session s;
    ULONG zero = 0;
    SPropValue *value = NULL;
    ULONG count = 0;
    (void)state;
    session_start(&s);
    assert_int_equal(s.provider->lpVtbl->Shutdown(s.provider, &zero), S_OK);
    assert_int_equal(s.support.calls[MAPISIM_StoreLogoffTransports], 1);
    assert_int_equal(s.support.refs, 0);
    assert_int_equal(s.support.logoffs_in_release, 1);
    assert_int_equal(s.store->lpVtbl->GetProps(s.store, NULL, 0, &count, &value), MAPI_E_INVALID_OBJECT);
    session_finish(&s); /* releases the zombie store, Shutdown again, Release */
}

static void provider_released_before_store_goes_with_the_store(void **state)
{
    struct mapisim_session s;
    (void)state;
    session_start(&s);
    /* A host that drops the provider first: the open store still holds it. */
    assert_int_equal(s.provider->lpVtbl->Release(s.provider), 1);
    s.provider = NULL;
    assert_int_equal(s.malloc.refs, 2);
    assert_int_equal(s.store->lpVtbl->Release(s.store), 0);
    s.store = NULL;
    assert_int_equal(s.malloc.refs, 1); /* the provider is gone, its IMalloc released */
    session_finish(&s);
}

/* D7: after teardown, every method but IUnknown's answers MAPI_E_INVALID_OBJECT. */
static void dead_objects_answer_invalid_object_from_every_method(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *root;
    IMSLogon *logon;
    ULONG zero = 0, count, result, type;
    ULONG_PTR connection;
    struct test_sink sink;
    void *out;
    SPropValue *values;
    const IMsgStoreAbiVtbl *sv;
    const IMAPIFolderAbiVtbl *fv;
    const IMSLogonAbiVtbl *lv;
    IMsgStore *st;
    (void)state;
    session_start(&s);
    test_sink_init(&sink);
    root = open_root(s.store);
    logon = mapisim_support_take_logon(&s.support);
    assert_int_equal(logon->lpVtbl->Logoff(logon, &zero), S_OK);
    st = s.store;
    sv = ABI_VTBL(IMsgStore, st);
    fv = ABI_VTBL(IMAPIFolder, root);
    lv = ABI_VTBL(IMSLogon, logon);

#define DEAD(call) assert_int_equal((call), MAPI_E_INVALID_OBJECT)
    DEAD(sv->GetLastError(st, MAPI_E_NO_SUPPORT, 0, (LPMAPIERROR *)&out));
    DEAD(sv->SaveChanges(st, 0));
    DEAD(sv->GetProps(st, NULL, 0, &count, &values));
    DEAD(sv->GetPropList(st, 0, (LPSPropTagArray *)&out));
    DEAD(sv->OpenProperty(st, PR_DISPLAY_NAME, &IID_IUnknown, 0, 0, (LPUNKNOWN *)&out));
    DEAD(sv->SetProps(st, 0, NULL, NULL));
    DEAD(sv->DeleteProps(st, NULL, NULL));
    DEAD(sv->CopyTo(st, 0, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL));
    DEAD(sv->CopyProps(st, NULL, 0, NULL, NULL, NULL, 0, NULL));
    DEAD(sv->GetNamesFromIDs(st, NULL, NULL, 0, &count, NULL));
    DEAD(sv->GetIDsFromNames(st, 0, NULL, 0, NULL));
    DEAD(sv->Advise(st, 0, NULL, fnevNewMail, &sink.IMAPIAdviseSink_iface, &connection));
    DEAD(sv->Unadvise(st, 1));
    DEAD(sv->CompareEntryIDs(st, 0, NULL, 0, NULL, 0, &result));
    DEAD(sv->OpenEntry(st, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&out));
    DEAD(sv->SetReceiveFolder(st, NULL, 0, 0, NULL));
    DEAD(sv->GetReceiveFolder(st, NULL, 0, &count, (LPENTRYID *)&out, NULL));
    DEAD(sv->GetReceiveFolderTable(st, 0, (LPMAPITABLE *)&out));
    DEAD(sv->StoreLogoff(st, &zero));
    DEAD(sv->AbortSubmit(st, 0, NULL, 0));
    DEAD(sv->GetOutgoingQueue(st, 0, (LPMAPITABLE *)&out));
    DEAD(sv->SetLockState(st, NULL, 0));
    DEAD(sv->FinishedMsg(st, 0, 0, NULL));
    DEAD(sv->NotifyNewMail(st, NULL));

    DEAD(fv->GetLastError(root, MAPI_E_NO_SUPPORT, 0, (LPMAPIERROR *)&out));
    DEAD(fv->SaveChanges(root, 0));
    DEAD(fv->GetProps(root, NULL, 0, &count, &values));
    DEAD(fv->GetPropList(root, 0, (LPSPropTagArray *)&out));
    DEAD(fv->OpenProperty(root, PR_CONTAINER_HIERARCHY, &IID_IMAPITable, 0, 0, (LPUNKNOWN *)&out));
    DEAD(fv->SetProps(root, 0, NULL, NULL));
    DEAD(fv->DeleteProps(root, NULL, NULL));
    DEAD(fv->CopyTo(root, 0, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL));
    DEAD(fv->CopyProps(root, NULL, 0, NULL, NULL, NULL, 0, NULL));
    DEAD(fv->GetNamesFromIDs(root, NULL, NULL, 0, &count, NULL));
    DEAD(fv->GetIDsFromNames(root, 0, NULL, 0, NULL));
    DEAD(fv->GetContentsTable(root, 0, (LPMAPITABLE *)&out));
    DEAD(fv->GetHierarchyTable(root, 0, (LPMAPITABLE *)&out));
    DEAD(fv->OpenEntry(root, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&out));
    DEAD(fv->SetSearchCriteria(root, NULL, NULL, 0));
    DEAD(fv->GetSearchCriteria(root, 0, NULL, NULL, &count));
    DEAD(fv->CreateMessage(root, NULL, 0, (LPMESSAGE *)&out));
    DEAD(fv->CopyMessages(root, NULL, NULL, NULL, 0, NULL, 0));
    DEAD(fv->DeleteMessages(root, NULL, 0, NULL, 0));
    DEAD(fv->CreateFolder(root, FOLDER_GENERIC, NULL, NULL, NULL, 0, (LPMAPIFOLDER *)&out));
    DEAD(fv->CopyFolder(root, 0, NULL, NULL, NULL, NULL, 0, NULL, 0));
    DEAD(fv->DeleteFolder(root, 0, NULL, 0, NULL, 0));
    DEAD(fv->SetReadFlags(root, NULL, 0, NULL, 0));
    DEAD(fv->GetMessageStatus(root, 0, NULL, 0, &count));
    DEAD(fv->SetMessageStatus(root, 0, NULL, 0, 0, &count));
    DEAD(fv->SaveContentsSort(root, NULL, 0));
    DEAD(fv->EmptyFolder(root, 0, NULL, 0));

    DEAD(lv->GetLastError(logon, MAPI_E_NO_SUPPORT, 0, (LPMAPIERROR *)&out));
    DEAD(lv->OpenEntry(logon, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&out));
    DEAD(lv->CompareEntryIDs(logon, 0, NULL, 0, NULL, 0, &result));
    DEAD(lv->Advise(logon, 0, NULL, fnevNewMail, &sink.IMAPIAdviseSink_iface, &connection));
    DEAD(lv->Unadvise(logon, 1));
    DEAD(lv->OpenStatusEntry(logon, NULL, 0, &type, &out));
    assert_int_equal(lv->Logoff(logon, &zero), S_OK); /* D6: a repeated Logoff is a no-op */
#undef DEAD

    assert_int_equal(sink.refs, 1); /* no dead Advise kept the sink */
    assert_int_equal(logon->lpVtbl->Release(logon), 0);
    assert_int_equal(root->lpVtbl->Release(root), 0);
    session_finish(&s);
}

/* A hook that, inside StoreLogoffTransports, makes another thread call the store. */
struct reentry_probe {
    IMsgStore *store;
    HRESULT result;
    DWORD wait;
};

static DWORD WINAPI call_store_from_other_thread(void *context)
{
    struct reentry_probe *probe = context;
    SPropValue *values = NULL;
    ULONG count = 0;
    probe->result = probe->store->lpVtbl->GetProps(probe->store, NULL, 0, &count, &values);
    mapisim_FreeBuffer(values);
    return 0;
}

static void probe_hook(struct mapisim_support *support, enum mapisim_method method)
{
    struct reentry_probe *probe = support->hook_context;
    HANDLE thread;
    if (method != MAPISIM_StoreLogoffTransports) return;
    thread = CreateThread(NULL, 0, call_store_from_other_thread, probe, 0, NULL);
    probe->wait = WaitForSingleObject(thread, 10000);
    CloseHandle(thread);
}

static void no_lock_is_held_while_logging_off_transports(void **state)
{
    struct mapisim_session s;
    struct reentry_probe probe = {NULL, E_FAIL, WAIT_FAILED};
    (void)state;
    session_start(&s);
    probe.store = s.store;
    s.store->lpVtbl->AddRef(s.store); /* the spooler's reference, used during the logoff */
    s.support.hook = probe_hook;
    s.support.hook_context = &probe;
    session_logoff(&s);
    s.support.hook = NULL;
    assert_int_equal(probe.wait, WAIT_OBJECT_0); /* no deadlock: the logon lock was free */
    assert_int_equal(probe.result, S_OK);         /* and the store still served the spooler */
    assert_int_equal(s.store->lpVtbl->Release(s.store), 1);
    session_finish(&s);
}

static LONG violations, locks_at_violation;

static void count_violation(LONG locks_held)
{
    violations++;
    locks_at_violation = locks_held;
}

/* The checked build the suite links stops any call out made with an msstore lock held. */
static void lock_rule_check_catches_a_call_out_under_a_lock(void **state)
{
    void (*default_handler)(LONG) = lock_rule_violated;
    CRITICAL_SECTION lock;
    (void)state;
    InitializeCriticalSection(&lock);
    lock_rule_violated = count_violation;
    violations = 0;
    lock_rule_calling_out();
    assert_int_equal(violations, 0);
    lock_acquire(&lock);
    lock_acquire(&lock); /* re-entered: still held until both are left */
    lock_rule_calling_out();
    assert_int_equal(violations, 1);
    assert_int_equal(locks_at_violation, 2);
    lock_release(&lock);
    lock_rule_calling_out();
    assert_int_equal(violations, 2);
    lock_release(&lock);
    lock_rule_calling_out();
    assert_int_equal(violations, 2);
    lock_rule_violated = default_handler;
    DeleteCriticalSection(&lock);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lock_rule_check_catches_a_call_out_under_a_lock),
        cmocka_unit_test(storelogoff_then_release_logs_off_transports_once_with_recorded_flag),
        cmocka_unit_test(later_storelogoff_overwrites_the_recorded_flag),
        cmocka_unit_test(release_without_storelogoff_uses_logoff_abort),
        cmocka_unit_test(storelogoff_rejects_bad_flags_without_recording_them),
        cmocka_unit_test(reentrant_logoff_from_support_release_is_a_noop),
        cmocka_unit_test(session_logoff_with_store_and_folder_held_makes_them_zombies),
        cmocka_unit_test(logoff_twice_tears_down_once),
        cmocka_unit_test(logoff_rejects_null_and_nonzero_flags_without_side_effect),
        cmocka_unit_test(logon_release_without_logoff_still_tears_down),
        cmocka_unit_test(shutdown_with_logon_open_tears_it_down),
        cmocka_unit_test(provider_released_before_store_goes_with_the_store),
        cmocka_unit_test(dead_objects_answer_invalid_object_from_every_method),
        cmocka_unit_test(no_lock_is_held_while_logging_off_transports),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
