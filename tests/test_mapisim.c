/*
 * mapisim itself, since mapihost's verdicts and the whole suite rest on it:
 * the allocators' accounting, Notify reaching exactly the right sinks, the
 * trace of a Logon in order, and the profile section's string widths.
 */
#include "harness.h"

#include <string.h>

static void allocate_more_blocks_go_with_their_buffer(void **state)
{
    struct mapisim_alloc_stats before, after;
    void *root = NULL, *more = NULL, *bogus[4] = {0};
    (void)state;
    mapisim_alloc_stats(&before);
    assert_int_equal(mapisim_AllocateBuffer(16, &root), S_OK);
    assert_int_equal(mapisim_AllocateMore(100, root, &more), S_OK);
    mapisim_alloc_stats(&after);
    assert_int_equal(after.live_blocks, before.live_blocks + 1);
    assert_true(after.live_bytes == before.live_bytes + 116);
    assert_int_equal(after.calls, before.calls + 2);
    mapisim_FreeBuffer(root);
    mapisim_alloc_stats(&after);
    assert_int_equal(after.live_blocks, before.live_blocks);
    assert_true(after.live_bytes == before.live_bytes);
    assert_int_not_equal(mapisim_FreeBuffer(bogus + 2), S_OK); /* not a block of ours */
    mapisim_alloc_stats(&after);
    assert_int_equal(after.bad_frees, before.bad_frees + 1);
    mapisim_alloc_fail_at(2);
    assert_int_equal(mapisim_AllocateBuffer(8, &root), S_OK);
    assert_int_equal(mapisim_AllocateMore(8, root, &more), MAPI_E_NOT_ENOUGH_MEMORY);
    assert_null(more);
    mapisim_alloc_fail_at(0);
    mapisim_FreeBuffer(root);
}

static void notify_reaches_the_sinks_subscribed_to_the_key_and_event(void **state)
{
    struct mapisim_support support;
    const IMAPISupportAbiVtbl *v;
    IMAPISupport *iface;
    struct test_sink store_sink, folder_sink;
    struct {
        ULONG cb;
        BYTE ab[4];
    } store_key = {4, {1, 2, 3, 4}}, folder_key = {4, {5, 6, 7, 8}};
    NOTIFICATION created = {0}, modified = {0};
    ULONG_PTR store_connection = 0, folder_connection = 0;
    ULONG flags = 9;
    (void)state;
    mapisim_support_init(&support);
    iface = &support.IMAPISupport_iface;
    v = ABI_VTBL(IMAPISupport, iface);
    test_sink_init(&store_sink);
    test_sink_init(&folder_sink);
    created.ulEventType = fnevObjectCreated;
    modified.ulEventType = fnevObjectModified;
    assert_int_equal(v->Subscribe(iface, (LPNOTIFKEY)&store_key, fnevObjectCreated, 0, &store_sink.IMAPIAdviseSink_iface,
                                  &store_connection),
                     S_OK);
    assert_int_equal(v->Subscribe(iface, (LPNOTIFKEY)&folder_key, fnevObjectCreated | fnevObjectModified, 0,
                                  &folder_sink.IMAPIAdviseSink_iface, &folder_connection),
                     S_OK);
    assert_true(store_connection != folder_connection);
    assert_int_equal(v->Notify(iface, (LPNOTIFKEY)&store_key, 1, &modified, &flags), S_OK); /* not its event */
    assert_int_equal(flags, 0);
    assert_int_equal(store_sink.notifications, 0);
    assert_int_equal(v->Notify(iface, (LPNOTIFKEY)&store_key, 1, &created, &flags), S_OK);
    assert_int_equal(store_sink.notifications, 1);
    assert_int_equal(folder_sink.notifications, 0); /* another key */
    assert_int_equal(v->Notify(iface, (LPNOTIFKEY)&folder_key, 1, &modified, &flags), S_OK);
    assert_int_equal(folder_sink.notifications, 1);
    assert_int_equal(v->Unsubscribe(iface, folder_connection), S_OK);
    assert_int_equal(v->Notify(iface, (LPNOTIFKEY)&folder_key, 1, &modified, &flags), S_OK);
    assert_int_equal(folder_sink.notifications, 1);
    assert_int_equal(folder_sink.refs, 1);
    assert_int_equal(v->Unsubscribe(iface, folder_connection), MAPI_E_NOT_FOUND);
    assert_int_equal(mapisim_support_cleanup(&support), 1); /* the store sink's, left on purpose */
    assert_int_equal(store_sink.refs, 1);
}

struct trace_log {
    char lines[32][160];
    int count;
};

static void record(void *context, const char *line)
{
    struct trace_log *log = context;
    if (log->count < 32) lstrcpynA(log->lines[log->count++], line, sizeof(log->lines[0]));
}

static int find_line(const struct trace_log *log, const char *start)
{
    int i;
    for (i = 0; i < log->count; i++)
        if (!strncmp(log->lines[i], start, strlen(start))) return i;
    return -1;
}

static void the_trace_lists_the_providers_calls_in_order(void **state)
{
    struct mapisim_session s;
    struct trace_log log = {{{0}}, 0};
    int open, uid, addref, own;
    (void)state;
    session_init(&s);
    s.support.trace = record;
    s.support.trace_context = &log;
    assert_int_equal(mapisim_session_logon(&s, 0, "profile"), S_OK);
    open = find_line(&log, "OpenProfileSection(NULL, MAPI_MODIFY) -> S_OK");
    uid = find_line(&log, "SetProviderUID(");
    addref = find_line(&log, "AddRef() -> 2");
    own = find_line(&log, "(MAPI drops its own reference");
    assert_true(open >= 0 && open < uid && uid < addref && addref < own);
    s.store->lpVtbl->Release(s.store);
    s.store = NULL;
    assert_true(find_line(&log, "StoreLogoffTransports(LOGOFF_ABORT) -> S_OK") > own);
    assert_true(find_line(&log, "  IMSLogon::Logoff(&0) -> S_OK") > own);
    s.support.trace = NULL;
    session_finish(&s);
}

static void the_profile_section_converts_between_string_widths(void **state)
{
    SizedSPropTagArray(2, tags) = {2, {PR_DISPLAY_NAME_W, PROP_TAG(PT_UNSPECIFIED, PROP_ID(PR_COMMENT))}};
    struct mapisim_propbag bag;
    SPropValue values[2], *out = NULL;
    ULONG count = 0;
    (void)state;
    mapisim_propbag_init(&bag);
    values[0].ulPropTag = PR_DISPLAY_NAME_A;
    values[0].Value.lpszA = (char *)"narrow";
    values[1].ulPropTag = PR_COMMENT_W;
    values[1].Value.lpszW = (WCHAR *)L"wide";
    assert_int_equal(mapisim_propbag_set(&bag, 2, values), S_OK);
    assert_int_equal(bag.IMAPIProp_iface.lpVtbl->GetProps(&bag.IMAPIProp_iface, (LPSPropTagArray)&tags, 0, &count, &out),
                     S_OK);
    assert_true(wcscmp(out[0].Value.lpszW, L"narrow") == 0);
    assert_int_equal(out[1].ulPropTag, PR_COMMENT_A); /* PT_UNSPECIFIED without MAPI_UNICODE: narrow */
    assert_string_equal(out[1].Value.lpszA, "wide");
    mapisim_FreeBuffer(out);
    mapisim_propbag_cleanup(&bag);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(allocate_more_blocks_go_with_their_buffer),
        cmocka_unit_test(notify_reaches_the_sinks_subscribed_to_the_key_and_event),
        cmocka_unit_test(the_trace_lists_the_providers_calls_in_order),
        cmocka_unit_test(the_profile_section_converts_between_string_widths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
