/*
 * IMsgStore, IMSLogon and the root folder as a client sees them: properties
 * under MAPI's memory rules, GetLastError, OpenEntry, CompareEntryIDs, and
 * Advise/Unadvise through IMAPISupport::Subscribe at Microsoft's widths (D9).
 */
#include "harness.h"

#include <string.h>

static const BYTE store_wrap_uid[16] = {0x38, 0xa1, 0xbb, 0x10, 0x05, 0xe5, 0x10, 0x1a,
                                        0xa1, 0xbb, 0x08, 0x00, 0x2b, 0x2a, 0x56, 0xc2};

static const SPropValue *find(const SPropValue *values, ULONG count, ULONG tag)
{
    ULONG i;
    for (i = 0; i < count; i++)
        if (values[i].ulPropTag == tag) return &values[i];
    return NULL;
}

static void store_reports_the_properties_clients_need(void **state)
{
    SizedSPropTagArray(10, tags) = {10,
                                    {PR_OBJECT_TYPE, PR_DISPLAY_NAME_A, PR_DISPLAY_NAME_W,
                                     PR_STORE_SUPPORT_MASK, PR_MDB_PROVIDER, PR_RECORD_KEY,
                                     PR_STORE_RECORD_KEY, PR_ENTRYID, PR_STORE_ENTRYID,
                                     PR_SUBJECT}};
    struct mapisim_session s;
    SPropValue *v = NULL;
    ULONG count = 0;
    BYTE unwrapped[64];
    ULONG cb_unwrapped;
    LONG before;
    (void)state;
    session_start(&s);
    before = live_blocks();
    assert_int_equal(s.store->lpVtbl->GetProps(s.store, (LPSPropTagArray)&tags, 0, &count, &v),
                     MAPI_W_ERRORS_RETURNED); /* PR_SUBJECT is not a store property */
    assert_int_equal(count, 10);
    assert_int_equal(live_blocks(), before + 1); /* one block, everything linked to it */

    assert_int_equal(v[0].ulPropTag, PR_OBJECT_TYPE);
    assert_int_equal(v[0].Value.l, MAPI_STORE);
    assert_int_equal(v[1].ulPropTag, PR_DISPLAY_NAME_A);
    assert_string_equal(v[1].Value.lpszA, "msstore");
    assert_int_equal(v[2].ulPropTag, PR_DISPLAY_NAME_W);
    assert_true(wcscmp(v[2].Value.lpszW, L"msstore") == 0);
    assert_int_equal(v[3].ulPropTag, PR_STORE_SUPPORT_MASK);
    /* A logon with MDB_WRITE writes; msstore has no transport (D20). */
    assert_int_equal(v[3].Value.l, STORE_ENTRYID_UNIQUE | STORE_MODIFY_OK | STORE_CREATE_OK | STORE_RESTRICTION_OK |
                                       STORE_SORT_OK | STORE_NOTIFY_OK | STORE_UNICODE_OK | STORE_ATTACH_OK |
                                       STORE_MV_PROPS_OK | STORE_HTML_OK);
    assert_int_equal(v[4].ulPropTag, PR_MDB_PROVIDER);
    assert_int_equal(v[4].Value.bin.cb, sizeof(MAPIUID));
    /* The record keys are the store's identity, the UID it registered. */
    assert_int_equal(v[5].Value.bin.cb, sizeof(MAPIUID));
    assert_memory_equal(v[5].Value.bin.lpb, &s.support.uids[0], sizeof(MAPIUID));
    assert_memory_equal(v[6].Value.bin.lpb, &s.support.uids[0], sizeof(MAPIUID));
    /* PR_ENTRYID and PR_STORE_ENTRYID are wrapped by the support object (contract §4.2). */
    assert_int_equal(v[7].Value.bin.cb, v[8].Value.bin.cb);
    assert_memory_equal(v[7].Value.bin.lpb, v[8].Value.bin.lpb, v[7].Value.bin.cb);
    assert_memory_equal(v[7].Value.bin.lpb + 4, store_wrap_uid, sizeof(store_wrap_uid));
    cb_unwrapped = unwrapped_store_entryid(s.store, unwrapped, sizeof(unwrapped));
    assert_memory_equal(unwrapped + 4, &s.support.uids[0], sizeof(MAPIUID)); /* D12 */
    assert_true(cb_unwrapped > 20);
    assert_int_equal(v[9].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(PR_SUBJECT)));
    assert_int_equal(v[9].Value.err, MAPI_E_NOT_FOUND);

    mapisim_FreeBuffer(v);
    assert_int_equal(live_blocks(), before);
    session_finish(&s);
}

static void getprops_without_tags_gives_every_property_in_the_asked_width(void **state)
{
    struct mapisim_session s;
    SPropValue *v = NULL, *w = NULL;
    SPropTagArray *list = NULL;
    ULONG count = 0, wcount = 0, i;
    (void)state;
    session_start(&s);
    assert_int_equal(s.store->lpVtbl->GetProps(s.store, NULL, 0, &count, &v), S_OK);
    assert_int_equal(s.store->lpVtbl->GetProps(s.store, NULL, MAPI_UNICODE, &wcount, &w), S_OK);
    assert_int_equal(count, wcount);
    assert_non_null(find(v, count, PR_DISPLAY_NAME_A));
    assert_null(find(v, count, PR_DISPLAY_NAME_W));
    assert_non_null(find(w, wcount, PR_DISPLAY_NAME_W));
    assert_null(find(w, wcount, PR_DISPLAY_NAME_A));
    /* GetPropList names exactly what GetProps(NULL) returns. */
    assert_int_equal(s.store->lpVtbl->GetPropList(s.store, 0, &list), S_OK);
    assert_int_equal(list->cValues, count);
    for (i = 0; i < count; i++) assert_int_equal(list->aulPropTag[i], v[i].ulPropTag);
    mapisim_FreeBuffer(list);
    assert_int_equal(s.store->lpVtbl->GetPropList(s.store, MAPI_UNICODE, &list), S_OK);
    for (i = 0; i < count; i++) assert_int_equal(list->aulPropTag[i], w[i].ulPropTag);
    mapisim_FreeBuffer(list);
    mapisim_FreeBuffer(v);
    mapisim_FreeBuffer(w);
    session_finish(&s);
}

static void getprops_resolves_unspecified_types(void **state)
{
    SizedSPropTagArray(2, tags) = {2, {PROP_TAG(PT_UNSPECIFIED, PROP_ID(PR_DISPLAY_NAME)),
                                       PROP_TAG(PT_UNSPECIFIED, PROP_ID(PR_OBJECT_TYPE))}};
    struct mapisim_session s;
    SPropValue *v = NULL;
    ULONG count = 0;
    (void)state;
    session_start(&s);
    assert_int_equal(s.store->lpVtbl->GetProps(s.store, (LPSPropTagArray)&tags, MAPI_UNICODE, &count, &v), S_OK);
    assert_int_equal(v[0].ulPropTag, PR_DISPLAY_NAME_W);
    assert_int_equal(v[1].ulPropTag, PR_OBJECT_TYPE);
    mapisim_FreeBuffer(v);
    assert_int_equal(s.store->lpVtbl->GetProps(s.store, (LPSPropTagArray)&tags, 0, &count, &v), S_OK);
    assert_int_equal(v[0].ulPropTag, PR_DISPLAY_NAME_A);
    mapisim_FreeBuffer(v);
    session_finish(&s);
}

static void getprops_with_a_wrong_type_reports_not_found(void **state)
{
    SizedSPropTagArray(1, tags) = {1, {PROP_TAG(PT_STRING8, PROP_ID(PR_OBJECT_TYPE))}};
    struct mapisim_session s;
    SPropValue *v = NULL;
    ULONG count = 0;
    (void)state;
    session_start(&s);
    assert_int_equal(s.store->lpVtbl->GetProps(s.store, (LPSPropTagArray)&tags, 0, &count, &v),
                     MAPI_W_ERRORS_RETURNED);
    assert_int_equal(v[0].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(PR_OBJECT_TYPE)));
    mapisim_FreeBuffer(v);
    session_finish(&s);
}

static void getprops_rejects_bad_arguments_and_returns_nothing(void **state)
{
    SizedSPropTagArray(1, empty) = {0, {0}};
    SizedSPropTagArray(1, huge) = {0x7fffffff, {PR_OBJECT_TYPE}};
    struct mapisim_session s;
    SPropValue *v = (SPropValue *)1;
    ULONG count = 9;
    LONG before;
    (void)state;
    session_start(&s);
    before = live_blocks();
    assert_int_equal(s.store->lpVtbl->GetProps(s.store, NULL, 0x1, &count, &v), MAPI_E_UNKNOWN_FLAGS);
    assert_null(v);
    assert_int_equal(count, 0);
    assert_int_equal(s.store->lpVtbl->GetProps(s.store, (LPSPropTagArray)&empty, 0, &count, &v),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(s.store->lpVtbl->GetProps(s.store, (LPSPropTagArray)&huge, 0, &count, &v),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(s.store->lpVtbl->GetProps(s.store, NULL, 0, NULL, &v), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(s.store->lpVtbl->GetProps(s.store, NULL, 0, &count, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(s.store->lpVtbl->GetPropList(s.store, 0, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(live_blocks(), before);
    session_finish(&s);
}

static void getprops_fails_cleanly_when_allocation_fails(void **state)
{
    struct mapisim_session s;
    SPropValue *v = (SPropValue *)1;
    ULONG count = 9;
    LONG before, n;
    (void)state;
    session_start(&s);
    before = live_blocks();
    for (n = 1; n <= 3; n++) { /* the array, then string copies linked to it */
        mapisim_alloc_fail_at(n);
        assert_int_equal(s.store->lpVtbl->GetProps(s.store, NULL, 0, &count, &v), MAPI_E_NOT_ENOUGH_MEMORY);
        mapisim_alloc_fail_at(0);
        assert_null(v);
        assert_int_equal(count, 0);
        assert_int_equal(live_blocks(), before);
    }
    session_finish(&s);
}

static void get_last_error_describes_msstore_errors_in_one_block(void **state)
{
    struct mapisim_session s;
    MAPIERROR *error = NULL;
    IMSLogon *logon;
    LONG before;
    (void)state;
    session_start(&s);
    before = live_blocks();
    assert_int_equal(s.store->lpVtbl->GetLastError(s.store, MAPI_E_NO_ACCESS, 0, &error), S_OK);
    assert_non_null(error);
    assert_int_equal(error->ulVersion, MAPI_ERROR_VERSION);
    assert_string_equal((char *)error->lpszComponent, "msstore");
    assert_non_null(strstr((char *)error->lpszError, "reading only"));
    assert_int_equal(live_blocks(), before + 1);
    mapisim_FreeBuffer(error);
    assert_int_equal(live_blocks(), before);

    logon = s.support.logon;
    assert_int_equal(logon->lpVtbl->GetLastError(logon, MAPI_E_INVALID_OBJECT, MAPI_UNICODE, &error), S_OK);
    assert_true(wcscmp((WCHAR *)error->lpszComponent, L"msstore") == 0);
    mapisim_FreeBuffer(error);
    error = (MAPIERROR *)1;
    assert_int_equal(s.store->lpVtbl->GetLastError(s.store, E_UNEXPECTED, 0, &error), S_OK);
    assert_null(error); /* nothing to say about codes msstore does not produce */
    assert_int_equal(s.store->lpVtbl->GetLastError(s.store, MAPI_E_NO_ACCESS, 0x1, &error), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(live_blocks(), before);
    session_finish(&s);
}

static IMAPIFolder *open_root_through(IUnknown *opener, BOOL through_logon, ULONG flags, HRESULT expected)
{
    IMAPIFolder *root = NULL;
    ULONG type = 0;
    HRESULT hr = through_logon
                     ? ((IMSLogon *)opener)->lpVtbl->OpenEntry((IMSLogon *)opener, 0, NULL, NULL, flags, &type, (LPUNKNOWN *)&root)
                     : ((IMsgStore *)opener)->lpVtbl->OpenEntry((IMsgStore *)opener, 0, NULL, NULL, flags, &type, (LPUNKNOWN *)&root);
    assert_int_equal(hr, expected);
    if (FAILED(hr)) {
        assert_null(root);
        return NULL;
    }
    assert_int_equal(type, MAPI_FOLDER);
    return root;
}

static void openentry_without_entry_id_opens_the_root_folder(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *root, *via_logon, *again;
    SPropValue *kind, *folder_type, *id;
    ULONG type = 0, same = 0;
    (void)state;
    session_start(&s);
    root = open_root_through((IUnknown *)s.store, FALSE, 0, S_OK);
    kind = get_prop((IMAPIProp *)root, PR_OBJECT_TYPE);
    folder_type = get_prop((IMAPIProp *)root, PR_FOLDER_TYPE);
    id = get_prop((IMAPIProp *)root, PR_ENTRYID);
    assert_int_equal(kind->Value.l, MAPI_FOLDER);
    assert_int_equal(folder_type->Value.l, FOLDER_ROOT);

    /* Its PR_ENTRYID opens it again, through the store, the logon and the folder. */
    assert_int_equal(root->lpVtbl->OpenEntry(root, id->Value.bin.cb, (LPENTRYID)id->Value.bin.lpb, NULL, 0,
                                             &type, (LPUNKNOWN *)&again),
                     S_OK);
    assert_ptr_not_equal(again, root);
    assert_int_equal(s.store->lpVtbl->CompareEntryIDs(s.store, id->Value.bin.cb, (LPENTRYID)id->Value.bin.lpb,
                                                      id->Value.bin.cb, (LPENTRYID)id->Value.bin.lpb, 0, &same),
                     S_OK);
    assert_int_equal(same, TRUE);
    via_logon = open_root_through((IUnknown *)s.support.logon, TRUE, MAPI_BEST_ACCESS, S_OK);
    via_logon->lpVtbl->Release(via_logon);
    again->lpVtbl->Release(again);
    mapisim_FreeBuffer(kind);
    mapisim_FreeBuffer(folder_type);
    mapisim_FreeBuffer(id);
    assert_int_equal(root->lpVtbl->Release(root), 0);
    session_finish(&s);
}

static void openentry_refuses_write_access_and_unknown_requests(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *root = NULL;
    ULONG type = 0;
    void *out = (void *)1;
    BYTE bogus[26] = {0};
    (void)state;
    session_start_read_only(&s);
    /* A logon without MDB_WRITE reads: MAPI_MODIFY alone is refused, MAPI_BEST_ACCESS settles for reading. */
    open_root_through((IUnknown *)s.store, FALSE, MAPI_MODIFY, MAPI_E_NO_ACCESS);
    root = open_root_through((IUnknown *)s.store, FALSE, MAPI_MODIFY | MAPI_BEST_ACCESS, S_OK);
    root->lpVtbl->Release(root);
    open_root_through((IUnknown *)s.store, FALSE, 0x100000, MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(s.store->lpVtbl->OpenEntry(s.store, 0, NULL, &IID_IMAPITable, 0, &type, (LPUNKNOWN *)&out),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_null(out);
    assert_int_equal(s.store->lpVtbl->OpenEntry(s.store, sizeof(bogus), (LPENTRYID)bogus, NULL, 0, &type,
                                                (LPUNKNOWN *)&out),
                     MAPI_E_INVALID_ENTRYID);
    assert_int_equal(s.store->lpVtbl->OpenEntry(s.store, 0, NULL, NULL, 0, NULL, (LPUNKNOWN *)&out),
                     MAPI_E_INVALID_PARAMETER);
    session_finish(&s);
}

static void compare_entry_ids_tells_store_from_folder(void **state)
{
    struct mapisim_session s;
    BYTE store_id[64];
    ULONG cb_store, result = 7;
    SPropValue *root_id;
    IMAPIFolder *root;
    IMSLogon *logon;
    (void)state;
    session_start(&s);
    cb_store = unwrapped_store_entryid(s.store, store_id, sizeof(store_id));
    root = open_root_through((IUnknown *)s.store, FALSE, 0, S_OK);
    root_id = get_prop((IMAPIProp *)root, PR_ENTRYID);
    logon = s.support.logon;
    assert_int_equal(logon->lpVtbl->CompareEntryIDs(logon, cb_store, (LPENTRYID)store_id, root_id->Value.bin.cb,
                                                    (LPENTRYID)root_id->Value.bin.lpb, 0, &result),
                     S_OK);
    assert_int_equal(result, FALSE);
    /* abFlags do not change which object an ID names. */
    store_id[0] = 0x01;
    assert_int_equal(logon->lpVtbl->CompareEntryIDs(logon, cb_store, (LPENTRYID)store_id, cb_store,
                                                    (LPENTRYID)store_id, 0, &result),
                     S_OK);
    assert_int_equal(result, TRUE);
    assert_int_equal(logon->lpVtbl->CompareEntryIDs(logon, cb_store, (LPENTRYID)store_id, 3, (LPENTRYID)store_id,
                                                    0, &result),
                     MAPI_E_INVALID_ENTRYID);
    assert_int_equal(logon->lpVtbl->CompareEntryIDs(logon, cb_store, (LPENTRYID)store_id, cb_store,
                                                    (LPENTRYID)store_id, 2, &result),
                     MAPI_E_UNKNOWN_FLAGS);
    mapisim_FreeBuffer(root_id);
    root->lpVtbl->Release(root);
    session_finish(&s);
}

/*
 * A well-formed folder ID carrying another store's MAPIUID is not this store's
 * to compare, in either position, through the store and the logon alike: the
 * same MAPI_E_INVALID_ENTRYID OpenEntry gives it.
 */
static void compare_entry_ids_refuses_another_stores_id(void **state)
{
    struct mapisim_session s;
    ULONG result = 7, cb, position;
    SPropValue *root_id;
    IMAPIFolder *root;
    BYTE mine[64], foreign[64];
    IUnknown *unknown = NULL;
    (void)state;
    session_start(&s);
    root = open_root_through((IUnknown *)s.store, FALSE, 0, S_OK);
    root_id = get_prop((IMAPIProp *)root, PR_ENTRYID);
    cb = root_id->Value.bin.cb;
    memcpy(mine, root_id->Value.bin.lpb, cb);
    memcpy(foreign, mine, cb);
    foreign[4] ^= 0xff; /* the first byte of the MAPIUID */
    assert_int_equal(s.store->lpVtbl->OpenEntry(s.store, cb, (LPENTRYID)foreign, NULL, 0, &result, &unknown),
                     MAPI_E_INVALID_ENTRYID);
    for (position = 0; position < 2; position++) {
        LPENTRYID first = (LPENTRYID)(position ? mine : foreign), second = (LPENTRYID)(position ? foreign : mine);
        result = 7;
        assert_int_equal(s.store->lpVtbl->CompareEntryIDs(s.store, cb, first, cb, second, 0, &result),
                         MAPI_E_INVALID_ENTRYID);
        assert_int_equal(result, FALSE);
        result = 7;
        assert_int_equal(s.support.logon->lpVtbl->CompareEntryIDs(s.support.logon, cb, first, cb, second, 0, &result),
                         MAPI_E_INVALID_ENTRYID);
        assert_int_equal(result, FALSE);
    }
    /* Both foreign, even naming the same object: still not this store's. */
    assert_int_equal(s.store->lpVtbl->CompareEntryIDs(s.store, cb, (LPENTRYID)foreign, cb, (LPENTRYID)foreign, 0,
                                                      &result),
                     MAPI_E_INVALID_ENTRYID);
    /* This store's own IDs still compare. */
    assert_int_equal(s.store->lpVtbl->CompareEntryIDs(s.store, cb, (LPENTRYID)mine, cb, (LPENTRYID)mine, 0, &result),
                     S_OK);
    assert_int_equal(result, TRUE);
    mapisim_FreeBuffer(root_id);
    root->lpVtbl->Release(root);
    session_finish(&s);
}

/* D9: Subscribe writes a full ULONG_PTR; the client gets it whole and Unadvise hands it back whole. */
/*
 * The read-only msstore's 26-byte entry IDs (version 1: a 4-byte id after the kind) that profiles
 * and shortcuts saved still name their objects: the folder opens (and answers with its version-2
 * ID), each compares equal to its version-2 ID, and the store's to the provider's.
 */
static BYTE *version_1_of(const BYTE *version_2, BYTE out[26])
{
    memcpy(out, version_2, 20); /* abFlags and the store's MAPIUID */
    out[20] = 1;
    out[21] = version_2[21];              /* the kind */
    memcpy(out + 22, version_2 + 22, 4); /* the id's low 4 bytes: ids up to 255 were the read-only store's */
    return out;
}

static void version_1_entry_ids_still_name_their_objects(void **state)
{
    struct mapisim_session s;
    BYTE store_v2[64], store_v1[26], outbox_v1[26];
    ULONG cb_store, result = 7, type = 0;
    SPropValue *outbox_v2, *opened_id, *name;
    IMAPIFolder *outbox = NULL;
    (void)state;
    session_start(&s);
    cb_store = unwrapped_store_entryid(s.store, store_v2, sizeof(store_v2));
    assert_int_equal(cb_store, 30);
    outbox_v2 = get_prop((IMAPIProp *)s.store, PR_IPM_OUTBOX_ENTRYID);
    assert_int_equal(outbox_v2->Value.bin.cb, 30);
    version_1_of(outbox_v2->Value.bin.lpb, outbox_v1);
    assert_int_equal(s.store->lpVtbl->OpenEntry(s.store, sizeof(outbox_v1), (LPENTRYID)outbox_v1, NULL, 0, &type,
                                                (LPUNKNOWN *)&outbox),
                     S_OK);
    assert_int_equal(type, MAPI_FOLDER);
    name = get_prop((IMAPIProp *)outbox, PR_DISPLAY_NAME_A);
    assert_string_equal(name->Value.lpszA, "Outbox");
    opened_id = get_prop((IMAPIProp *)outbox, PR_ENTRYID);
    assert_int_equal(opened_id->Value.bin.cb, 30);
    assert_memory_equal(opened_id->Value.bin.lpb, outbox_v2->Value.bin.lpb, 30);
    assert_int_equal(s.store->lpVtbl->CompareEntryIDs(s.store, sizeof(outbox_v1), (LPENTRYID)outbox_v1,
                                                      outbox_v2->Value.bin.cb, (LPENTRYID)outbox_v2->Value.bin.lpb, 0,
                                                      &result),
                     S_OK);
    assert_int_equal(result, TRUE);
    version_1_of(store_v2, store_v1);
    result = 7;
    assert_int_equal(s.provider->lpVtbl->CompareStoreIDs(s.provider, sizeof(store_v1), (LPENTRYID)store_v1, cb_store,
                                                         (LPENTRYID)store_v2, 0, &result),
                     S_OK);
    assert_int_equal(result, TRUE);
    /* A version-1 ID of the length of version 2 is neither. */
    store_v2[20] = 1;
    assert_int_equal(s.provider->lpVtbl->CompareStoreIDs(s.provider, cb_store, (LPENTRYID)store_v2, cb_store,
                                                         (LPENTRYID)store_v2, 0, &result),
                     MAPI_E_INVALID_ENTRYID);
    mapisim_FreeBuffer(name);
    mapisim_FreeBuffer(opened_id);
    mapisim_FreeBuffer(outbox_v2);
    outbox->lpVtbl->Release(outbox);
    session_finish(&s);
}

static void advise_passes_full_width_connections_through_subscribe(void **state)
{
    struct mapisim_session s;
    struct test_sink sink;
    ULONG_PTR store_connection = 0, logon_connection = 0;
    const IMsgStoreAbiVtbl *sv;
    const IMSLogonAbiVtbl *lv;
    (void)state;
    session_start(&s);
    test_sink_init(&sink);
    sv = ABI_VTBL(IMsgStore, s.store);
    lv = ABI_VTBL(IMSLogon, s.support.logon);
    assert_int_equal(sv->Advise(s.store, 0, NULL, fnevObjectModified, &sink.IMAPIAdviseSink_iface, &store_connection),
                     S_OK);
    assert_int_equal(lv->Advise(s.support.logon, 0, NULL, fnevNewMail, &sink.IMAPIAdviseSink_iface, &logon_connection),
                     S_OK);
    assert_int_equal(s.support.calls[MAPISIM_Subscribe], 2);
    assert_int_equal(mapisim_support_subscription_count(&s.support), 2);
    assert_true(store_connection == s.support.subscriptions->next->connection);
    assert_true(logon_connection == s.support.subscriptions->connection);
#ifdef _WIN64
    assert_true(store_connection >> 32); /* the upper half made it through */
#endif
    assert_int_equal(sink.refs, 5); /* the test's, and msstore's and MAPI's per Advise */
    assert_int_equal(sv->Unadvise(s.store, store_connection), S_OK);
    assert_int_equal(mapisim_support_subscription_count(&s.support), 1);
    assert_int_equal(sink.refs, 3);
    assert_int_equal(sv->Unadvise(s.store, store_connection), MAPI_E_NOT_FOUND);
    assert_int_equal(lv->Unadvise(s.support.logon, logon_connection), S_OK);
    assert_int_equal(sink.refs, 1);
    session_finish(&s);
}

/* MAPI still holds the sink when Unsubscribe fails: the connection must stay for a retry or the teardown. */
static void unadvise_keeps_the_connection_when_unsubscribe_fails(void **state)
{
    struct mapisim_session s;
    struct test_sink sink;
    ULONG_PTR first = 0, second = 0;
    const IMsgStoreAbiVtbl *sv;
    (void)state;
    session_start(&s);
    test_sink_init(&sink);
    sv = ABI_VTBL(IMsgStore, s.store);
    assert_int_equal(sv->Advise(s.store, 0, NULL, fnevNewMail, &sink.IMAPIAdviseSink_iface, &first), S_OK);
    assert_int_equal(sv->Advise(s.store, 0, NULL, fnevNewMail, &sink.IMAPIAdviseSink_iface, &second), S_OK);
    s.support.fail[MAPISIM_Unsubscribe] = MAPI_E_CALL_FAILED;
    assert_int_equal(sv->Unadvise(s.store, first), MAPI_E_CALL_FAILED);
    assert_int_equal(mapisim_support_subscription_count(&s.support), 2);
    s.support.fail[MAPISIM_Unsubscribe] = S_OK;
    assert_int_equal(sv->Unadvise(s.store, first), S_OK); /* the retry finds it */
    assert_int_equal(mapisim_support_subscription_count(&s.support), 1);
    s.support.fail[MAPISIM_Unsubscribe] = MAPI_E_CALL_FAILED;
    assert_int_equal(sv->Unadvise(s.store, second), MAPI_E_CALL_FAILED);
    s.support.fail[MAPISIM_Unsubscribe] = S_OK;
    session_logoff(&s); /* the teardown ends what Unadvise could not */
    assert_int_equal(mapisim_support_subscription_count(&s.support), 0);
    assert_int_equal(sink.refs, 1);
    session_finish(&s);
}

static void teardown_unsubscribes_what_the_client_left_advised(void **state)
{
    struct mapisim_session s;
    struct test_sink sink;
    ULONG_PTR connection = 0;
    SPropValue *root_id;
    IMAPIFolder *root;
    (void)state;
    session_start(&s);
    test_sink_init(&sink);
    root = open_root_through((IUnknown *)s.store, FALSE, 0, S_OK);
    root_id = get_prop((IMAPIProp *)root, PR_ENTRYID);
    assert_int_equal(ABI_VTBL(IMsgStore, s.store)
                         ->Advise(s.store, root_id->Value.bin.cb, (LPENTRYID)root_id->Value.bin.lpb,
                                  fnevObjectCreated, &sink.IMAPIAdviseSink_iface, &connection),
                     S_OK);
    /* The notification key is the folder's entry ID. */
    assert_int_equal(s.support.subscriptions->key_size, root_id->Value.bin.cb);
    assert_memory_equal(s.support.subscriptions->key, root_id->Value.bin.lpb, root_id->Value.bin.cb);
    mapisim_FreeBuffer(root_id);
    root->lpVtbl->Release(root);
    assert_int_equal(s.store->lpVtbl->Release(s.store), 0);
    s.store = NULL;
    assert_int_equal(s.support.calls[MAPISIM_Unsubscribe], 1);
    assert_int_equal(mapisim_support_subscription_count(&s.support), 0);
    assert_int_equal(sink.refs, 1);
    session_finish(&s);
}

static void advise_rejects_bad_arguments(void **state)
{
    struct mapisim_session s;
    struct test_sink sink;
    ULONG_PTR connection = 7;
    BYTE bogus[26] = {0};
    const IMsgStoreAbiVtbl *sv;
    (void)state;
    session_start(&s);
    test_sink_init(&sink);
    sv = ABI_VTBL(IMsgStore, s.store);
    assert_int_equal(sv->Advise(s.store, 0, NULL, fnevNewMail, NULL, &connection), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(connection, 0);
    assert_int_equal(sv->Advise(s.store, 0, NULL, 0, &sink.IMAPIAdviseSink_iface, &connection),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(sv->Advise(s.store, 0, NULL, 0x00100000, &sink.IMAPIAdviseSink_iface, &connection),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(sv->Advise(s.store, sizeof(bogus), (LPENTRYID)bogus, fnevNewMail,
                                &sink.IMAPIAdviseSink_iface, &connection),
                     MAPI_E_INVALID_ENTRYID);
    s.support.fail[MAPISIM_Subscribe] = MAPI_E_CALL_FAILED;
    assert_int_equal(sv->Advise(s.store, 0, NULL, fnevNewMail, &sink.IMAPIAdviseSink_iface, &connection),
                     MAPI_E_CALL_FAILED);
    s.support.fail[MAPISIM_Subscribe] = S_OK;
    assert_int_equal(sink.refs, 1);
    assert_int_equal(mapisim_support_subscription_count(&s.support), 0);
    session_finish(&s);
}

static void read_only_store_refuses_writes_and_names_what_it_lacks(void **state)
{
    SPropValue name = {PR_COMMENT_W, 0, {.lpszW = (WCHAR *)L"x"}};
    SizedSPropTagArray(1, comment) = {1, {PR_COMMENT_W}};
    struct mapisim_session s;
    IMAPIFolder *root, *created = (IMAPIFolder *)1;
    IMessage *message = (IMessage *)1;
    const IMsgStoreAbiVtbl *sv;
    SPropValue *mask;
    void *out = (void *)1;
    (void)state;
    session_start_read_only(&s);
    sv = ABI_VTBL(IMsgStore, s.store);
    mask = get_prop((IMAPIProp *)s.store, PR_STORE_SUPPORT_MASK);
    assert_true(mask->Value.l & STORE_READONLY);
    assert_false(mask->Value.l & (STORE_MODIFY_OK | STORE_CREATE_OK | STORE_SUBMIT_OK));
    mapisim_FreeBuffer(mask);
    root = open_root_through((IUnknown *)s.store, FALSE, MAPI_BEST_ACCESS, S_OK);
    assert_int_equal(sv->SetReceiveFolder(s.store, NULL, 0, 0, NULL), MAPI_E_NO_ACCESS);
    assert_int_equal(root->lpVtbl->CreateFolder(root, FOLDER_GENERIC, (LPTSTR) "x", NULL, NULL, 0, &created),
                     MAPI_E_NO_ACCESS);
    assert_null(created);
    assert_int_equal(root->lpVtbl->SetProps(root, 1, &name, NULL), MAPI_E_NO_ACCESS);
    assert_int_equal(root->lpVtbl->DeleteProps(root, (LPSPropTagArray)&comment, NULL), MAPI_E_NO_ACCESS);
    assert_int_equal(root->lpVtbl->CreateMessage(root, NULL, 0, &message), MAPI_E_NO_ACCESS);
    assert_null(message);
    /* Not writes this store refuses, but what msstore does not implement, whatever the access. */
    assert_int_equal(sv->SetProps(s.store, 1, &name, NULL), MAPI_E_NO_SUPPORT);
    assert_int_equal(sv->SaveChanges(s.store, 0), MAPI_E_NO_SUPPORT);
    assert_int_equal(sv->GetOutgoingQueue(s.store, 0, (LPMAPITABLE *)&out), MAPI_E_NO_SUPPORT);
    assert_null(out);
    root->lpVtbl->Release(root);
    session_finish(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(store_reports_the_properties_clients_need),
        cmocka_unit_test(getprops_without_tags_gives_every_property_in_the_asked_width),
        cmocka_unit_test(getprops_resolves_unspecified_types),
        cmocka_unit_test(getprops_with_a_wrong_type_reports_not_found),
        cmocka_unit_test(getprops_rejects_bad_arguments_and_returns_nothing),
        cmocka_unit_test(getprops_fails_cleanly_when_allocation_fails),
        cmocka_unit_test(get_last_error_describes_msstore_errors_in_one_block),
        cmocka_unit_test(openentry_without_entry_id_opens_the_root_folder),
        cmocka_unit_test(openentry_refuses_write_access_and_unknown_requests),
        cmocka_unit_test(compare_entry_ids_tells_store_from_folder),
        cmocka_unit_test(compare_entry_ids_refuses_another_stores_id),
        cmocka_unit_test(version_1_entry_ids_still_name_their_objects),
        cmocka_unit_test(advise_passes_full_width_connections_through_subscribe),
        cmocka_unit_test(teardown_unsubscribes_what_the_client_left_advised),
        cmocka_unit_test(advise_rejects_bad_arguments),
        cmocka_unit_test(unadvise_keeps_the_connection_when_unsubscribe_fails),
        cmocka_unit_test(read_only_store_refuses_writes_and_names_what_it_lacks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
