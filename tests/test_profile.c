/*
 * Logon and the profile (contract §3.3, D14): what it reads from and writes to
 * its profile section, ModifyProfile unless MDB_TEMPORARY, the status row and
 * the status object, the identity kept across sessions, and a clean failure
 * when any profile call fails.
 */
#include "harness.h"
#include "profile/profile.h"

#include <string.h>

static const SPropValue *profile_value(struct mapisim_session *s, ULONG tag)
{
    return propbag_value(&s->support.profile, tag);
}

static void assert_binary_equals_prop(const SPropValue *stored, IMAPIProp *object, ULONG tag)
{
    SPropValue *v = get_prop(object, tag);
    assert_int_equal(v->ulPropTag, tag);
    assert_int_equal(stored->Value.bin.cb, v->Value.bin.cb);
    assert_memory_equal(stored->Value.bin.lpb, v->Value.bin.lpb, v->Value.bin.cb);
    mapisim_FreeBuffer(v);
}

static void logon_writes_identity_and_names_into_its_profile_section(void **state)
{
    struct mapisim_session s;
    (void)state;
    session_start(&s);
    assert_true(wcscmp(profile_value(&s, PR_DISPLAY_NAME_W)->Value.lpszW, L"msstore") == 0);
    assert_true(wcscmp(profile_value(&s, PR_PROVIDER_DISPLAY_W)->Value.lpszW, L"msstore Message Store") == 0);
    /* The wrapped entry ID: the one the store shows clients. */
    assert_binary_equals_prop(profile_value(&s, PR_ENTRYID), (IMAPIProp *)s.store, PR_ENTRYID);
    assert_binary_equals_prop(profile_value(&s, PR_RECORD_KEY), (IMAPIProp *)s.store, PR_RECORD_KEY);
    assert_binary_equals_prop(profile_value(&s, PR_MDB_PROVIDER), (IMAPIProp *)s.store, PR_MDB_PROVIDER);
    assert_binary_equals_prop(profile_value(&s, PR_MSSTORE_STORE_UID), (IMAPIProp *)s.store, PR_STORE_RECORD_KEY);
    assert_int_equal(s.support.profile.calls[MAPISIM_PROP_SaveChanges], 1);
    assert_int_equal(s.support.calls[MAPISIM_ModifyProfile], 1);
    assert_int_equal(s.support.profile.refs, 1); /* Logon released its section */
    session_finish(&s);
}

static void logon_takes_the_display_name_from_the_profile(void **state)
{
    struct mapisim_session s;
    SPropValue name;
    SPropValue *store_name;
    IMSLogon *logon = NULL;
    (void)state;
    session_init(&s);
    name.ulPropTag = PR_DISPLAY_NAME_A; /* as MAPISVC.INF puts it there */
    name.Value.lpszA = (char *)"Archive 2026";
    mapisim_propbag_set(&s.support.profile, 1, &name);
    assert_int_equal(call_logon(s.provider, &s.support.IMAPISupport_iface, 0, 0, NULL, NULL, &logon, &s.store), S_OK);
    s.stores_opened = 1;
    store_name = get_prop((IMAPIProp *)s.store, PR_DISPLAY_NAME_A);
    assert_string_equal(store_name->Value.lpszA, "Archive 2026");
    mapisim_FreeBuffer(store_name);
    assert_true(wcscmp(propbag_value(&s.support.status_row, PR_DISPLAY_NAME_W)->Value.lpszW,
                       L"Archive 2026") == 0);
    mapisim_support_hold_logon(&s.support, logon);
    s.support.IMAPISupport_iface.lpVtbl->Release(&s.support.IMAPISupport_iface);
    session_finish(&s);
}

static void a_temporary_store_does_not_modify_the_profile(void **state)
{
    struct mapisim_session s;
    IMSLogon *logon = NULL;
    (void)state;
    session_init(&s);
    assert_int_equal(call_logon(s.provider, &s.support.IMAPISupport_iface, MDB_TEMPORARY, 0, NULL, NULL, &logon,
                                &s.store),
                     S_OK);
    s.stores_opened = 1;
    assert_int_equal(s.support.calls[MAPISIM_ModifyProfile], 0);
    assert_int_equal(s.support.calls[MAPISIM_ModifyStatusRow], 1);
    mapisim_support_hold_logon(&s.support, logon);
    s.support.IMAPISupport_iface.lpVtbl->Release(&s.support.IMAPISupport_iface);
    session_finish(&s);
}

/* The same profile brings the same store back: same UID, same entry IDs. */
static void the_profile_keeps_the_store_identity_across_sessions(void **state)
{
    struct mapisim_session first, second;
    struct mapisim_propbag saved;
    BYTE first_id[64], second_id[64];
    ULONG cb_first, cb_second;
    (void)state;
    session_start(&first);
    cb_first = unwrapped_store_entryid(first.store, first_id, sizeof(first_id));
    mapisim_propbag_init(&saved);
    mapisim_propbag_set(&saved, first.support.profile.count, first.support.profile.values);
    session_finish(&first);
    /* MAPI gives the second session the profile section the first one wrote. */
    session_init(&second);
    mapisim_propbag_set(&second.support.profile, saved.count, saved.values);
    mapisim_propbag_cleanup(&saved);
    {
        IMSLogon *logon = NULL;
        assert_int_equal(call_logon(second.provider, &second.support.IMAPISupport_iface, 0, 0, NULL, NULL, &logon,
                                    &second.store),
                         S_OK);
        second.stores_opened = 1;
        mapisim_support_hold_logon(&second.support, logon);
        second.support.IMAPISupport_iface.lpVtbl->Release(&second.support.IMAPISupport_iface);
    }
    assert_int_equal(second.support.calls[MAPISIM_NewUID], 0);
    cb_second = unwrapped_store_entryid(second.store, second_id, sizeof(second_id));
    assert_int_equal(cb_second, cb_first);
    assert_memory_equal(second_id, first_id, cb_first);
    session_finish(&second);
}

static void logon_sets_its_status_row_before_returning(void **state)
{
    struct mapisim_session s;
    struct mapisim_propbag *row;
    (void)state;
    session_start(&s);
    row = &s.support.status_row;
    assert_int_equal(s.support.calls[MAPISIM_ModifyStatusRow], 1);
    assert_true(wcscmp(propbag_value(row, PR_PROVIDER_DISPLAY_W)->Value.lpszW, L"msstore Message Store") == 0);
    assert_true(wcscmp(propbag_value(row, PR_DISPLAY_NAME_W)->Value.lpszW, L"msstore") == 0);
    assert_non_null(mapisim_propbag_find(row, PR_PROVIDER_DLL_NAME_W));
    assert_int_equal(propbag_value(row, PR_RESOURCE_TYPE)->Value.l, MAPI_STORE_PROVIDER);
    assert_int_equal(propbag_value(row, PR_RESOURCE_METHODS)->Value.l, STATUS_VALIDATE_STATE);
    assert_int_equal(propbag_value(row, PR_STATUS_CODE)->Value.l, STATUS_AVAILABLE);
    assert_non_null(mapisim_propbag_find(row, PR_STATUS_STRING_W));
    session_finish(&s);
}

/* Each call of Logon's profile work failing in turn: Logon fails with it and leaves nothing behind. */
static void logon_fails_cleanly_when_any_profile_call_fails(void **state)
{
    static const enum mapisim_method support_calls[] = {MAPISIM_OpenProfileSection, MAPISIM_ModifyProfile,
                                                        MAPISIM_ModifyStatusRow};
    static const enum mapisim_prop_method section_calls[] = {MAPISIM_PROP_GetProps, MAPISIM_PROP_SetProps,
                                                             MAPISIM_PROP_SaveChanges};
    size_t i;
    (void)state;
    for (i = 0; i < ARRAYSIZE(support_calls) + ARRAYSIZE(section_calls); i++) {
        struct mapisim_session s;
        IMSLogon *logon = (IMSLogon *)1;
        IMsgStore *store = (IMsgStore *)1;
        LONG before;
        session_init(&s);
        if (i < ARRAYSIZE(support_calls))
            s.support.fail[support_calls[i]] = MAPI_E_CALL_FAILED;
        else
            s.support.profile.fail[section_calls[i - ARRAYSIZE(support_calls)]] = MAPI_E_CALL_FAILED;
        before = live_blocks();
        assert_int_equal(call_logon(s.provider, &s.support.IMAPISupport_iface, 0, 0, NULL, NULL, &logon, &store),
                         MAPI_E_CALL_FAILED);
        assert_null(logon);
        assert_null(store);
        assert_int_equal(live_blocks(), before);
        assert_int_equal(s.support.refs, 1);
        assert_int_equal(s.support.profile.refs, 1);
        assert_int_equal(s.support.calls[MAPISIM_SetProviderUID], 0); /* the step that cannot be undone */
        session_finish(&s);
    }
}

static IMAPIStatus *open_status(struct mapisim_session *s, LPCIID iid)
{
    IMAPIStatus *status = NULL;
    ULONG type = 0;
    IMSLogon *logon = s->support.logon;
    assert_int_equal(logon->lpVtbl->OpenStatusEntry(logon, iid, 0, &type, (void **)&status), S_OK);
    assert_int_equal(type, MAPI_STATUS);
    return status;
}

static void the_status_object_shows_the_status_row(void **state)
{
    struct mapisim_session s;
    IMAPIStatus *status;
    IUnknown *unknown = NULL;
    SPropValue *kind, *code, *dll;
    const IMAPIStatusAbiVtbl *v;
    ULONG type;
    void *refused = (void *)1;
    (void)state;
    session_start(&s);
    status = open_status(&s, &IID_IMAPIStatus);
    v = ABI_VTBL(IMAPIStatus, status);
    kind = get_prop((IMAPIProp *)status, PR_OBJECT_TYPE);
    code = get_prop((IMAPIProp *)status, PR_STATUS_CODE);
    dll = get_prop((IMAPIProp *)status, PR_PROVIDER_DLL_NAME_W);
    assert_int_equal(kind->Value.l, MAPI_STATUS);
    assert_int_equal(code->Value.l, STATUS_AVAILABLE);
    assert_true(wcscmp(dll->Value.lpszW,
                       propbag_value(&s.support.status_row, PR_PROVIDER_DLL_NAME_W)->Value.lpszW) == 0);
    mapisim_FreeBuffer(kind);
    mapisim_FreeBuffer(code);
    mapisim_FreeBuffer(dll);
    assert_int_equal(v->ValidateState(status, 0, SUPPRESS_UI), S_OK);
    assert_int_equal(v->ValidateState(status, 0, 0x2), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(v->SettingsDialog(status, 0, 0), MAPI_E_NO_SUPPORT);
    assert_int_equal(v->ChangePassword(status, NULL, NULL, 0), MAPI_E_NO_SUPPORT);
    assert_int_equal(v->FlushQueues(status, 0, 0, NULL, 0), MAPI_E_NO_SUPPORT);
    {
        SPropValue code_value = {PR_STATUS_CODE, 0, {.l = 0}};
        assert_int_equal(v->SetProps(status, 1, &code_value, NULL), MAPI_E_NO_ACCESS); /* the provider's row */
        assert_int_equal(v->SaveChanges(status, 0), MAPI_E_NO_ACCESS);
    }
    unknown = (IUnknown *)1;
    assert_int_equal(v->OpenProperty(status, PR_DISPLAY_NAME_W, &IID_IStream, 0, 0, &unknown), MAPI_E_NO_SUPPORT);
    assert_null(unknown);
    assert_int_equal(status->lpVtbl->QueryInterface(status, &IID_IMAPIProp, (void **)&unknown), S_OK);
    unknown->lpVtbl->Release(unknown);
    assert_int_equal(s.support.logon->lpVtbl->OpenStatusEntry(s.support.logon, &IID_IMAPIFolder, 0, &type, &refused),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_null(refused);
    assert_int_equal(s.support.logon->lpVtbl->OpenStatusEntry(s.support.logon, NULL, 0x2, &type, &refused),
                     MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(status->lpVtbl->Release(status), 0);
    session_finish(&s);
}

static void a_held_status_object_is_a_zombie_after_logoff(void **state)
{
    struct mapisim_session s;
    IMAPIStatus *status;
    SPropValue *values = NULL;
    ULONG count = 0;
    (void)state;
    session_start(&s);
    status = open_status(&s, NULL);
    session_logoff(&s);
    assert_int_equal(status->lpVtbl->GetProps(status, NULL, 0, &count, &values), MAPI_E_INVALID_OBJECT);
    assert_int_equal(ABI_VTBL(IMAPIStatus, status)->ValidateState(status, 0, 0), MAPI_E_INVALID_OBJECT);
    assert_int_equal(status->lpVtbl->Release(status), 0);
    session_finish(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(logon_writes_identity_and_names_into_its_profile_section),
        cmocka_unit_test(logon_takes_the_display_name_from_the_profile),
        cmocka_unit_test(a_temporary_store_does_not_modify_the_profile),
        cmocka_unit_test(the_profile_keeps_the_store_identity_across_sessions),
        cmocka_unit_test(logon_sets_its_status_row_before_returning),
        cmocka_unit_test(logon_fails_cleanly_when_any_profile_call_fails),
        cmocka_unit_test(the_status_object_shows_the_status_row),
        cmocka_unit_test(a_held_status_object_is_a_zombie_after_logoff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
