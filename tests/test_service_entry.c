/*
 * ServiceEntry (contract §11.4): every context, configuration from lpProps in
 * either width into the store provider's profile section, no dialogs, errors
 * reported as MAPIERRORs from the support object's allocators, and the
 * configuration support object neither AddRef'd nor kept.
 */
#include "harness.h"

#include <string.h>

MSGSERVICEENTRY_ABI ServiceEntry;

struct service {
    struct mapisim_support support; /* the configuration support object */
    struct mapisim_provider_admin admin;
    LONG blocks;
};

static void service_init(struct service *s)
{
    mapisim_support_init(&s->support);
    mapisim_provider_admin_init(&s->admin);
    s->blocks = live_blocks();
}

/* Checks nothing was kept or leaked, then frees the fakes. */
static void service_finish(struct service *s)
{
    assert_int_equal(s->support.refs, 1); /* not AddRef'd, not released */
    assert_int_equal(s->admin.refs, 1);
    assert_int_equal(s->admin.section.refs, 1);
    assert_int_equal(s->admin.open_tables, 0);
    assert_int_equal(live_blocks(), s->blocks);
    mapisim_provider_admin_cleanup(&s->admin);
    assert_int_equal(mapisim_support_cleanup(&s->support), 0);
}

static HRESULT call(struct service *s, ULONG flags, ULONG context, ULONG count, SPropValue *props, MAPIERROR **error)
{
    return ServiceEntry(NULL, NULL, &s->support.IMAPISupport_iface, 0, flags, context, count, props,
                        &s->admin.IProviderAdmin_iface, (LPMAPIERROR *)error);
}

static const WCHAR *configured_name(struct service *s)
{
    const SPropValue *name = mapisim_propbag_find(&s->admin.section, PR_DISPLAY_NAME_W);
    return name ? name->Value.lpszW : NULL;
}

static void install_uninstall_and_delete_succeed_and_touch_nothing(void **state)
{
    static const ULONG contexts[] = {MSG_SERVICE_INSTALL, MSG_SERVICE_UNINSTALL, MSG_SERVICE_DELETE};
    size_t i;
    (void)state;
    for (i = 0; i < ARRAYSIZE(contexts); i++) {
        struct service s;
        MAPIERROR *error = (MAPIERROR *)1;
        service_init(&s);
        assert_int_equal(call(&s, 0, contexts[i], 0, NULL, &error), S_OK);
        assert_null(error);
        assert_int_equal(s.admin.calls[MAPISIM_ADMIN_GetProviderTable], 0);
        assert_int_equal(s.admin.section.count, 0);
        service_finish(&s);
    }
}

static void create_and_configure_set_the_display_name_in_the_provider_section(void **state)
{
    static const ULONG contexts[] = {MSG_SERVICE_CREATE, MSG_SERVICE_CONFIGURE};
    size_t i;
    (void)state;
    for (i = 0; i < ARRAYSIZE(contexts); i++) {
        struct service s;
        SPropValue name;
        service_init(&s);
        name.ulPropTag = PR_DISPLAY_NAME_W;
        name.Value.lpszW = (WCHAR *)L"Projects";
        assert_int_equal(call(&s, SERVICE_UI_ALLOWED | MAPI_UNICODE, contexts[i], 1, &name, NULL), S_OK);
        assert_true(wcscmp(configured_name(&s), L"Projects") == 0);
        assert_int_equal(s.admin.calls[MAPISIM_ADMIN_OpenProfileSection], 1);
        assert_int_equal(s.admin.section.calls[MAPISIM_PROP_SaveChanges], 1);
        service_finish(&s);
    }
}

/* A new service is named "msstore" unless lpProps names it; a configuration changes only what it is given. */
static void configure_accepts_narrow_names_and_changes_only_what_it_is_given(void **state)
{
    struct service s;
    SPropValue props[2];
    (void)state;
    service_init(&s);
    assert_int_equal(call(&s, 0, MSG_SERVICE_CREATE, 0, NULL, NULL), S_OK);
    assert_true(wcscmp(configured_name(&s), L"msstore") == 0);
    props[0].ulPropTag = PR_COMMENT_A; /* properties msstore does not use are ignored */
    props[0].Value.lpszA = (char *)"ignored";
    props[1].ulPropTag = PR_DISPLAY_NAME_A;
    props[1].Value.lpszA = (char *)"Old Mail";
    assert_int_equal(call(&s, 0, MSG_SERVICE_CONFIGURE, 2, props, NULL), S_OK);
    assert_true(wcscmp(configured_name(&s), L"Old Mail") == 0);
    assert_int_equal(call(&s, 0, MSG_SERVICE_CONFIGURE, 0, NULL, NULL), S_OK);
    assert_true(wcscmp(configured_name(&s), L"Old Mail") == 0);
    assert_int_equal(call(&s, 0, MSG_SERVICE_CONFIGURE, 1, props, NULL), S_OK); /* nothing msstore uses */
    assert_int_equal(s.admin.section.count, 1);
    service_finish(&s);
}

/* PR_MSSTORE_PATH in either width names the store file; an empty one is refused. */
static void configure_names_the_store_file(void **state)
{
    const SPropValue *stored;
    struct service s;
    SPropValue path;
    (void)state;
    service_init(&s);
    path.ulPropTag = PROP_TAG(PT_STRING8, 0x6601);
    path.Value.lpszA = (char *)"C:\\mail\\archive.msstore";
    assert_int_equal(call(&s, 0, MSG_SERVICE_CONFIGURE, 1, &path, NULL), S_OK);
    stored = propbag_value(&s.admin.section, PROP_TAG(PT_UNICODE, 0x6601));
    assert_true(wcscmp(stored->Value.lpszW, L"C:\\mail\\archive.msstore") == 0);
    assert_null(mapisim_propbag_find(&s.admin.section, PR_DISPLAY_NAME_W)); /* only what was given */
    path.ulPropTag = PROP_TAG(PT_UNICODE, 0x6601);
    path.Value.lpszW = (WCHAR *)L"D:\\Ünïcode\\store.msstore";
    assert_int_equal(call(&s, SERVICE_UI_ALWAYS, MSG_SERVICE_CREATE, 1, &path, NULL), S_OK);
    stored = propbag_value(&s.admin.section, PROP_TAG(PT_UNICODE, 0x6601));
    assert_true(wcscmp(stored->Value.lpszW, L"D:\\Ünïcode\\store.msstore") == 0);
    assert_true(wcscmp(configured_name(&s), L"msstore") == 0);
    path.Value.lpszW = (WCHAR *)L"";
    assert_int_equal(call(&s, 0, MSG_SERVICE_CONFIGURE, 1, &path, NULL), MAPI_E_INVALID_PARAMETER);
    stored = propbag_value(&s.admin.section, PROP_TAG(PT_UNICODE, 0x6601));
    assert_true(wcscmp(stored->Value.lpszW, L"D:\\Ünïcode\\store.msstore") == 0);
    service_finish(&s);
}

/* msstore has no dialog: asked for one with nothing to configure from, it says so. */
static void ui_always_without_properties_is_unsupported_with_an_error(void **state)
{
    struct service s;
    MAPIERROR *error = NULL;
    SPropValue name;
    (void)state;
    service_init(&s);
    assert_int_equal(call(&s, SERVICE_UI_ALWAYS, MSG_SERVICE_CONFIGURE, 0, NULL, &error), MAPI_E_NO_SUPPORT);
    assert_non_null(error);
    assert_string_equal((char *)error->lpszComponent, "msstore");
    assert_int_equal(live_blocks(), s.blocks + 1); /* one block, from the support object's allocator */
    mapisim_FreeBuffer(error);
    assert_int_equal(s.support.calls[MAPISIM_GetMemAllocRoutines], 1);
    assert_int_equal(s.admin.section.count, 0);
    name.ulPropTag = PR_DISPLAY_NAME_A;
    name.Value.lpszA = (char *)"Given";
    assert_int_equal(call(&s, SERVICE_UI_ALWAYS, MSG_SERVICE_CONFIGURE, 1, &name, NULL), S_OK);
    assert_true(wcscmp(configured_name(&s), L"Given") == 0);
    service_finish(&s);
}

static void provider_contexts_unknown_flags_and_a_missing_admin_are_refused(void **state)
{
    struct service s;
    MAPIERROR *error = NULL;
    (void)state;
    service_init(&s);
    assert_int_equal(call(&s, 0, MSG_SERVICE_PROVIDER_CREATE, 0, NULL, NULL), MAPI_E_NO_SUPPORT);
    assert_int_equal(call(&s, 0, MSG_SERVICE_PROVIDER_DELETE, 0, NULL, NULL), MAPI_E_NO_SUPPORT);
    assert_int_equal(call(&s, 0x1, MSG_SERVICE_CONFIGURE, 0, NULL, &error), MAPI_E_UNKNOWN_FLAGS);
    assert_non_null(error);
    assert_non_null(strstr((char *)error->lpszError, "flag"));
    mapisim_FreeBuffer(error);
    assert_int_equal(call(&s, MAPI_UNICODE, 0x1234, 0, NULL, &error), MAPI_E_NO_SUPPORT);
    assert_true(wcscmp((WCHAR *)error->lpszComponent, L"msstore") == 0); /* MAPI_UNICODE: a wide MAPIERROR */
    mapisim_FreeBuffer(error);
    assert_int_equal(ServiceEntry(NULL, NULL, &s.support.IMAPISupport_iface, 0, 0, MSG_SERVICE_CONFIGURE, 0, NULL,
                                  NULL, NULL),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ServiceEntry(NULL, NULL, NULL, 0, 0, MSG_SERVICE_INSTALL, 0, NULL, NULL, NULL),
                     MAPI_E_INVALID_PARAMETER);
    service_finish(&s);
}

static void configure_fails_cleanly_when_any_profile_call_fails(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < 5; i++) {
        struct service s;
        service_init(&s);
        switch (i) {
        case 0: s.admin.fail[MAPISIM_ADMIN_GetProviderTable] = MAPI_E_CALL_FAILED; break;
        case 1: s.admin.fail[MAPISIM_ADMIN_OpenProfileSection] = MAPI_E_CALL_FAILED; break;
        case 2: s.admin.section.fail[MAPISIM_PROP_SetProps] = MAPI_E_CALL_FAILED; break;
        case 3: s.admin.section.fail[MAPISIM_PROP_SaveChanges] = MAPI_E_CALL_FAILED; break;
        case 4: s.support.fail[MAPISIM_GetMemAllocRoutines] = MAPI_E_CALL_FAILED; break;
        }
        assert_int_equal(call(&s, 0, MSG_SERVICE_CREATE, 0, NULL, NULL), MAPI_E_CALL_FAILED);
        service_finish(&s);
    }
}

/* A service whose provider table lists no store provider has nothing to configure. */
static void configure_without_a_store_provider_is_not_found(void **state)
{
    struct service s;
    (void)state;
    service_init(&s);
    s.admin.resource_type = MAPI_TRANSPORT_PROVIDER;
    assert_int_equal(call(&s, 0, MSG_SERVICE_CREATE, 0, NULL, NULL), MAPI_E_NOT_FOUND);
    assert_int_equal(s.admin.calls[MAPISIM_ADMIN_OpenProfileSection], 0);
    service_finish(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(install_uninstall_and_delete_succeed_and_touch_nothing),
        cmocka_unit_test(create_and_configure_set_the_display_name_in_the_provider_section),
        cmocka_unit_test(configure_accepts_narrow_names_and_changes_only_what_it_is_given),
        cmocka_unit_test(configure_names_the_store_file),
        cmocka_unit_test(ui_always_without_properties_is_unsupported_with_an_error),
        cmocka_unit_test(provider_contexts_unknown_flags_and_a_missing_admin_are_refused),
        cmocka_unit_test(configure_fails_cleanly_when_any_profile_call_fails),
        cmocka_unit_test(configure_without_a_store_provider_is_not_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
