/*
 * Messages (the writable store, part 2, first step): IMessage's properties,
 * transacted until SaveChanges, kept in the store file across sessions;
 * CreateMessage, OpenEntry, DeleteMessages, SetReadFlags, SetReadFlag;
 * contents tables and folder counts following them.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const SizedSPropTagArray(1, subject_only) = {1, {PR_SUBJECT_W}};

/* A new subfolder of the root of a writable store, opened for writing. */
static IMAPIFolder *make_folder(IMsgStore *store, const char *name)
{
    IMAPIFolder *root = open_root_for_writing(store), *folder = NULL;
    assert_int_equal(root->lpVtbl->CreateFolder(root, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL, 0, &folder), S_OK);
    root->lpVtbl->Release(root);
    return folder;
}

static HRESULT set_subject(IMessage *message, const WCHAR *subject)
{
    SPropValue value;
    value.ulPropTag = PR_SUBJECT_W;
    value.dwAlignPad = 0;
    value.Value.lpszW = (WCHAR *)subject;
    return message->lpVtbl->SetProps(message, 1, &value, NULL);
}

/* A message with that subject created in folder and saved, kept open for writing. */
static IMessage *save_new(IMAPIFolder *folder, const WCHAR *subject, ULONG create_flags)
{
    IMessage *message = NULL;
    assert_int_equal(folder->lpVtbl->CreateMessage(folder, NULL, create_flags, &message), S_OK);
    assert_int_equal(set_subject(message, subject), S_OK);
    assert_int_equal(message->lpVtbl->SaveChanges(message, KEEP_OPEN_READWRITE), S_OK);
    return message;
}

/* The subject GetProps answers, compared with expected (NULL: there is none). */
static void assert_subject(IMessage *message, const WCHAR *expected)
{
    SPropValue *value = get_prop((IMAPIProp *)message, PR_SUBJECT_W);
    if (expected) {
        assert_int_equal(value->ulPropTag, PR_SUBJECT_W);
        assert_true(!wcscmp(value->Value.lpszW, expected));
    } else {
        assert_int_equal(value->ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(PR_SUBJECT_W)));
    }
    mapisim_FreeBuffer(value);
}

/* The entry ID of a saved message, copied into out (which has room for 64 bytes); its size. */
static ULONG entryid_of(IMessage *message, BYTE *out)
{
    SPropValue *value = get_prop((IMAPIProp *)message, PR_ENTRYID);
    ULONG cb;
    assert_int_equal(value->ulPropTag, PR_ENTRYID);
    assert_true(value->Value.bin.cb <= 64);
    cb = value->Value.bin.cb;
    memcpy(out, value->Value.bin.lpb, cb);
    mapisim_FreeBuffer(value);
    return cb;
}

static IMessage *open_message(IMsgStore *store, const BYTE *entryid, ULONG cb, ULONG flags)
{
    IUnknown *unknown = NULL;
    ULONG type = 0;
    assert_int_equal(store->lpVtbl->OpenEntry(store, cb, (LPENTRYID)entryid, NULL, flags, &type, &unknown), S_OK);
    assert_int_equal(type, MAPI_MESSAGE);
    return (IMessage *)unknown;
}

static LONG long_prop(IMAPIProp *object, ULONG tag)
{
    SPropValue *value = get_prop(object, tag);
    LONG result;
    assert_int_equal(value->ulPropTag, tag);
    result = value->Value.l;
    mapisim_FreeBuffer(value);
    return result;
}

/* ---- creating, saving, opening ---- */

static void a_message_has_an_entry_id_once_saved_and_opens_by_it(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message, *again;
    SPropValue *value;
    BYTE entryid[64];
    ULONG cb;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Mail");
    assert_int_equal(folder->lpVtbl->CreateMessage(folder, NULL, 0, &message), S_OK);
    value = get_prop((IMAPIProp *)message, PR_ENTRYID);
    assert_int_equal(value->ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(PR_ENTRYID)));
    mapisim_FreeBuffer(value);
    assert_int_equal(set_subject(message, L"Hello"), S_OK);
    assert_int_equal(message->lpVtbl->SaveChanges(message, KEEP_OPEN_READWRITE), S_OK);
    cb = entryid_of(message, entryid);
    assert_int_equal(cb, 30);
    again = open_message(s.store, entryid, cb, 0);
    assert_subject(again, L"Hello");
    assert_int_equal(long_prop((IMAPIProp *)again, PR_OBJECT_TYPE), MAPI_MESSAGE);
    again->lpVtbl->Release(again);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

static void a_saved_message_is_in_the_file_for_the_next_session(void **state)
{
    WCHAR path[MAX_PATH];
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message;
    BYTE entryid[64];
    ULONG cb;
    (void)state;
    mapisim_scratch_store_path(path);
    session_start_on(&s, path);
    folder = make_folder(s.store, "Mail");
    message = save_new(folder, L"Kept across sessions", 0);
    cb = entryid_of(message, entryid);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);

    session_start_on(&s, path);
    message = open_message(s.store, entryid, cb, 0);
    assert_subject(message, L"Kept across sessions");
    message->lpVtbl->Release(message);
    session_finish(&s);
    mapisim_remove_store(path);
}

static void changes_not_saved_are_gone_with_the_object(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message, *never_saved = NULL;
    BYTE entryid[64];
    ULONG cb;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Mail");
    message = save_new(folder, L"Saved", 0);
    cb = entryid_of(message, entryid);
    assert_int_equal(set_subject(message, L"Not saved"), S_OK);
    assert_subject(message, L"Not saved"); /* the object shows its own change */
    message->lpVtbl->Release(message);
    message = open_message(s.store, entryid, cb, 0);
    assert_subject(message, L"Saved");
    message->lpVtbl->Release(message);
    /* A message never saved leaves no trace in its folder. */
    assert_int_equal(folder->lpVtbl->CreateMessage(folder, NULL, 0, &never_saved), S_OK);
    assert_int_equal(set_subject(never_saved, L"Draft"), S_OK);
    never_saved->lpVtbl->Release(never_saved);
    assert_int_equal(long_prop((IMAPIProp *)folder, PR_CONTENT_COUNT), 1);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

/* ---- properties ---- */

static void every_property_type_comes_back_as_it_was_set(void **state)
{
    static GUID guid = {0x12345678, 0x9abc, 0xdef0, {1, 2, 3, 4, 5, 6, 7, 8}};
    static short shorts[] = {-1, 2, 300};
    static LONG longs[] = {7, -8};
    static double doubles[] = {1.5, -2.25};
    static char narrow_a[] = "one", narrow_b[] = "two";
    static LPSTR narrows[] = {narrow_a, narrow_b};
    static WCHAR wide_a[] = L"\u00e9t\u00e9", wide_b[] = L"\u65e5\u672c";
    static LPWSTR wides[] = {wide_a, wide_b};
    static BYTE bytes_a[] = {0, 1, 2}, bytes_b[] = {0xff};
    static SBinary bins[] = {{3, bytes_a}, {1, bytes_b}};
    static GUID guids[] = {{1, 2, 3, {4}}, {5, 6, 7, {8}}};
    SPropValue values[19], *got = NULL;
    SizedSPropTagArray(19, asked);
    SPropTagArray *tags = (SPropTagArray *)&asked;
    WCHAR path[MAX_PATH];
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message;
    BYTE entryid[64];
    ULONG cb, count = 0, i;
    (void)state;
    memset(values, 0, sizeof(values));
    values[0].ulPropTag = PROP_TAG(PT_I2, 0x6700), values[0].Value.i = -12;
    values[1].ulPropTag = PROP_TAG(PT_LONG, 0x6701), values[1].Value.l = 123456;
    values[2].ulPropTag = PROP_TAG(PT_FLOAT, 0x6702), values[2].Value.flt = 0.5f;
    values[3].ulPropTag = PROP_TAG(PT_DOUBLE, 0x6703), values[3].Value.dbl = 3.25;
    values[4].ulPropTag = PROP_TAG(PT_CURRENCY, 0x6704), values[4].Value.cur.int64 = 99999;
    values[5].ulPropTag = PROP_TAG(PT_APPTIME, 0x6705), values[5].Value.at = 45000.5;
    values[6].ulPropTag = PROP_TAG(PT_BOOLEAN, 0x6706), values[6].Value.b = 1;
    values[7].ulPropTag = PROP_TAG(PT_I8, 0x6707), values[7].Value.li.QuadPart = -5000000000LL;
    values[8].ulPropTag = PROP_TAG(PT_SYSTIME, 0x6708), values[8].Value.ft.dwHighDateTime = 0x01d00000;
    values[9].ulPropTag = PROP_TAG(PT_CLSID, 0x6709), values[9].Value.lpguid = &guid;
    values[10].ulPropTag = PROP_TAG(PT_STRING8, 0x670A), values[10].Value.lpszA = (LPSTR) "narrow";
    values[11].ulPropTag = PROP_TAG(PT_UNICODE, 0x670B), values[11].Value.lpszW = (LPWSTR)L"wide \u65e5";
    values[12].ulPropTag = PROP_TAG(PT_BINARY, 0x670C), values[12].Value.bin.cb = 3, values[12].Value.bin.lpb = bytes_a;
    values[13].ulPropTag = PROP_TAG(PT_MV_I2, 0x670D), values[13].Value.MVi.cValues = 3, values[13].Value.MVi.lpi = shorts;
    values[14].ulPropTag = PROP_TAG(PT_MV_LONG, 0x670E), values[14].Value.MVl.cValues = 2, values[14].Value.MVl.lpl = longs;
    values[15].ulPropTag = PROP_TAG(PT_MV_DOUBLE, 0x670F), values[15].Value.MVdbl.cValues = 2,
    values[15].Value.MVdbl.lpdbl = doubles;
    values[16].ulPropTag = PROP_TAG(PT_MV_STRING8, 0x6710), values[16].Value.MVszA.cValues = 2,
    values[16].Value.MVszA.lppszA = narrows;
    values[17].ulPropTag = PROP_TAG(PT_MV_UNICODE, 0x6711), values[17].Value.MVszW.cValues = 2,
    values[17].Value.MVszW.lppszW = wides;
    values[18].ulPropTag = PROP_TAG(PT_MV_BINARY, 0x6712), values[18].Value.MVbin.cValues = 2,
    values[18].Value.MVbin.lpbin = bins;
    (void)guids;

    mapisim_scratch_store_path(path);
    session_start_on(&s, path);
    folder = make_folder(s.store, "Types");
    assert_int_equal(folder->lpVtbl->CreateMessage(folder, NULL, 0, &message), S_OK);
    assert_int_equal(message->lpVtbl->SetProps(message, ARRAYSIZE(values), values, NULL), S_OK);
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK);
    cb = entryid_of(message, entryid);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);

    /* Read back in a new session: each value as set, strings in the width they were set in. */
    session_start_on(&s, path);
    message = open_message(s.store, entryid, cb, 0);
    tags->cValues = ARRAYSIZE(values);
    for (i = 0; i < ARRAYSIZE(values); i++) tags->aulPropTag[i] = values[i].ulPropTag;
    assert_int_equal(message->lpVtbl->GetProps(message, tags, 0, &count, &got), S_OK);
    assert_int_equal(count, ARRAYSIZE(values));
    for (i = 0; i < count; i++) assert_int_equal(got[i].ulPropTag, values[i].ulPropTag);
    assert_int_equal(got[0].Value.i, -12);
    assert_int_equal(got[1].Value.l, 123456);
    assert_true(got[2].Value.flt == 0.5f);
    assert_true(got[3].Value.dbl == 3.25);
    assert_true(got[4].Value.cur.int64 == 99999);
    assert_true(got[5].Value.at == 45000.5);
    assert_int_equal(got[6].Value.b, 1);
    assert_true(got[7].Value.li.QuadPart == -5000000000LL);
    assert_int_equal(got[8].Value.ft.dwHighDateTime, 0x01d00000);
    assert_memory_equal(got[9].Value.lpguid, &guid, sizeof(GUID));
    assert_string_equal(got[10].Value.lpszA, "narrow");
    assert_true(!wcscmp(got[11].Value.lpszW, L"wide \u65e5"));
    assert_int_equal(got[12].Value.bin.cb, 3);
    assert_memory_equal(got[12].Value.bin.lpb, bytes_a, 3);
    assert_int_equal(got[13].Value.MVi.cValues, 3);
    assert_memory_equal(got[13].Value.MVi.lpi, shorts, sizeof(shorts));
    assert_memory_equal(got[14].Value.MVl.lpl, longs, sizeof(longs));
    assert_memory_equal(got[15].Value.MVdbl.lpdbl, doubles, sizeof(doubles));
    assert_string_equal(got[16].Value.MVszA.lppszA[1], "two");
    assert_true(!wcscmp(got[17].Value.MVszW.lppszW[1], wide_b));
    assert_int_equal(got[18].Value.MVbin.lpbin[0].cb, 3);
    assert_int_equal(got[18].Value.MVbin.lpbin[1].lpb[0], 0xff);
    mapisim_FreeBuffer(got);
    /* And the other width of each string on request. */
    tags->cValues = 2;
    tags->aulPropTag[0] = PROP_TAG(PT_UNICODE, 0x670A);
    tags->aulPropTag[1] = PROP_TAG(PT_STRING8, 0x670B);
    assert_int_equal(message->lpVtbl->GetProps(message, tags, 0, &count, &got), S_OK);
    assert_true(!wcscmp(got[0].Value.lpszW, L"narrow"));
    assert_string_equal(got[1].Value.lpszA, "wide ?");
    mapisim_FreeBuffer(got);
    message->lpVtbl->Release(message);
    session_finish(&s);
    mapisim_remove_store(path);
}

static void a_narrow_string_is_read_in_the_messages_code_page(void **state)
{
    static const char koi8_hello[] = "\xf0\xd2\xc9\xd7\xc5\xd4"; /* "Привет" in KOI8-R (20866) */
    SPropValue values[2], *got;
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Code pages");
    assert_int_equal(folder->lpVtbl->CreateMessage(folder, NULL, 0, &message), S_OK);
    memset(values, 0, sizeof(values));
    values[0].ulPropTag = PR_MESSAGE_CODEPAGE, values[0].Value.l = 20866;
    values[1].ulPropTag = PR_SUBJECT_A, values[1].Value.lpszA = (LPSTR)koi8_hello;
    assert_int_equal(message->lpVtbl->SetProps(message, 2, values, NULL), S_OK);
    got = get_prop((IMAPIProp *)message, PR_SUBJECT_W);
    assert_int_equal(got->ulPropTag, PR_SUBJECT_W);
    assert_true(!wcscmp(got->Value.lpszW, L"\u041f\u0440\u0438\u0432\u0435\u0442"));
    mapisim_FreeBuffer(got);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

static void computed_properties_are_refused_and_always_right(void **state)
{
    static const ULONG refused[] = {PR_ENTRYID, PR_PARENT_ENTRYID, PR_RECORD_KEY, PR_INSTANCE_KEY, PR_STORE_ENTRYID,
                                    PR_STORE_RECORD_KEY, PR_MAPPING_SIGNATURE, PR_MESSAGE_SIZE, PR_HASATTACH,
                                    PR_ACCESS, PR_ACCESS_LEVEL, PR_OBJECT_TYPE};
    SPropValue values[ARRAYSIZE(refused)], *parent, *folder_id;
    SPropProblemArray *problems = NULL;
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message;
    ULONG i;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Computed");
    message = save_new(folder, L"Facts", 0);
    memset(values, 0, sizeof(values));
    for (i = 0; i < ARRAYSIZE(refused); i++) values[i].ulPropTag = PROP_TAG(PT_LONG, PROP_ID(refused[i]));
    assert_int_equal(message->lpVtbl->SetProps(message, ARRAYSIZE(values), values, &problems), S_OK);
    assert_non_null(problems);
    assert_int_equal(problems->cProblem, ARRAYSIZE(refused));
    for (i = 0; i < problems->cProblem; i++) {
        assert_int_equal(problems->aProblem[i].ulIndex, i);
        assert_int_equal(problems->aProblem[i].scode, MAPI_E_COMPUTED);
    }
    mapisim_FreeBuffer(problems);
    /* Still what the store says they are. */
    assert_int_equal(long_prop((IMAPIProp *)message, PR_OBJECT_TYPE), MAPI_MESSAGE);
    assert_int_equal(long_prop((IMAPIProp *)message, PR_ACCESS_LEVEL), MAPI_MODIFY);
    assert_true(long_prop((IMAPIProp *)message, PR_MESSAGE_SIZE) > 0);
    parent = get_prop((IMAPIProp *)message, PR_PARENT_ENTRYID);
    folder_id = get_prop((IMAPIProp *)folder, PR_ENTRYID);
    assert_int_equal(parent->Value.bin.cb, folder_id->Value.bin.cb);
    assert_memory_equal(parent->Value.bin.lpb, folder_id->Value.bin.lpb, parent->Value.bin.cb);
    mapisim_FreeBuffer(parent);
    mapisim_FreeBuffer(folder_id);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

static void a_new_message_is_unsent_and_associated_ones_say_so(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *normal, *associated;
    SPropValue flags;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Flags");
    normal = save_new(folder, L"Normal", 0);
    associated = save_new(folder, L"View settings", MAPI_ASSOCIATED);
    assert_int_equal(long_prop((IMAPIProp *)normal, PR_MESSAGE_FLAGS), MSGFLAG_UNSENT);
    assert_int_equal(long_prop((IMAPIProp *)associated, PR_MESSAGE_FLAGS), MSGFLAG_UNSENT | MSGFLAG_ASSOCIATED);
    /* A client's flags are taken, but not the bits the store keeps. */
    flags.ulPropTag = PR_MESSAGE_FLAGS;
    flags.dwAlignPad = 0;
    flags.Value.l = MSGFLAG_READ;
    assert_int_equal(associated->lpVtbl->SetProps(associated, 1, &flags, NULL), S_OK);
    assert_int_equal(long_prop((IMAPIProp *)associated, PR_MESSAGE_FLAGS), MSGFLAG_READ | MSGFLAG_ASSOCIATED);
    assert_int_equal(long_prop((IMAPIProp *)folder, PR_CONTENT_COUNT), 1);
    assert_int_equal(long_prop((IMAPIProp *)folder, PR_ASSOC_CONTENT_COUNT), 1);
    assert_int_equal(long_prop((IMAPIProp *)folder, PR_CONTENT_UNREAD), 1);
    normal->lpVtbl->Release(normal);
    associated->lpVtbl->Release(associated);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

static void a_value_over_16_kb_is_kept_but_not_enough_memory_in_get_props(void **state)
{
    static BYTE big[20000];
    SPropTagArray *tags = NULL;
    SPropValue value, *got;
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message;
    BYTE entryid[64];
    ULONG cb, i;
    BOOL listed = FALSE;
    (void)state;
    memset(big, 'x', sizeof(big));
    session_start(&s);
    folder = make_folder(s.store, "Big");
    assert_int_equal(folder->lpVtbl->CreateMessage(folder, NULL, 0, &message), S_OK);
    value.ulPropTag = PROP_TAG(PT_BINARY, 0x6720);
    value.dwAlignPad = 0;
    value.Value.bin.cb = sizeof(big);
    value.Value.bin.lpb = big;
    assert_int_equal(message->lpVtbl->SetProps(message, 1, &value, NULL), S_OK);
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK);
    cb = entryid_of(message, entryid);
    message->lpVtbl->Release(message);
    message = open_message(s.store, entryid, cb, 0);
    got = get_prop((IMAPIProp *)message, value.ulPropTag);
    assert_int_equal(got->ulPropTag, PROP_TAG(PT_ERROR, 0x6720));
    assert_int_equal(got->Value.err, MAPI_E_NOT_ENOUGH_MEMORY);
    mapisim_FreeBuffer(got);
    assert_int_equal(message->lpVtbl->GetPropList(message, 0, &tags), S_OK);
    for (i = 0; i < tags->cValues; i++) listed |= tags->aulPropTag[i] == value.ulPropTag;
    assert_true(listed);
    mapisim_FreeBuffer(tags);
    /* PR_MESSAGE_SIZE counts it. */
    assert_true(long_prop((IMAPIProp *)message, PR_MESSAGE_SIZE) > (LONG)sizeof(big));
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

static void delete_props_then_save_removes_the_value_for_good(void **state)
{
    SizedSPropTagArray(2, gone) = {2, {PR_SUBJECT_W, PROP_TAG(PT_LONG, 0x6730)}};
    SPropProblemArray *problems = NULL;
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message;
    BYTE entryid[64];
    ULONG cb;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Deleting");
    message = save_new(folder, L"Subject to go", 0);
    assert_int_equal(message->lpVtbl->DeleteProps(message, (LPSPropTagArray)&gone, &problems), S_OK);
    assert_non_null(problems); /* the second one was never there */
    assert_int_equal(problems->cProblem, 1);
    assert_int_equal(problems->aProblem[0].ulIndex, 1);
    assert_int_equal(problems->aProblem[0].scode, MAPI_E_NOT_FOUND);
    mapisim_FreeBuffer(problems);
    assert_subject(message, NULL);
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK);
    cb = entryid_of(message, entryid);
    message->lpVtbl->Release(message);
    message = open_message(s.store, entryid, cb, 0);
    assert_subject(message, NULL);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

/* ---- saving twice ---- */

static void a_stale_copy_saves_object_changed_unless_forced(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *first, *second, *check;
    BYTE entryid[64];
    ULONG cb;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Conflicts");
    first = save_new(folder, L"Original", 0);
    cb = entryid_of(first, entryid);
    second = open_message(s.store, entryid, cb, MAPI_MODIFY);
    assert_int_equal(set_subject(first, L"First"), S_OK);
    assert_int_equal(first->lpVtbl->SaveChanges(first, KEEP_OPEN_READWRITE), S_OK);
    assert_int_equal(set_subject(second, L"Second"), S_OK);
    assert_int_equal(second->lpVtbl->SaveChanges(second, KEEP_OPEN_READWRITE), MAPI_E_OBJECT_CHANGED);
    check = open_message(s.store, entryid, cb, 0);
    assert_subject(check, L"First"); /* the refused save changed nothing */
    check->lpVtbl->Release(check);
    assert_int_equal(second->lpVtbl->SaveChanges(second, FORCE_SAVE | KEEP_OPEN_READWRITE), S_OK);
    check = open_message(s.store, entryid, cb, 0);
    assert_subject(check, L"Second");
    check->lpVtbl->Release(check);
    /* The saver's own next save is not a conflict. */
    assert_int_equal(second->lpVtbl->SaveChanges(second, 0), S_OK);
    first->lpVtbl->Release(first);
    second->lpVtbl->Release(second);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

static void times_and_keys_a_client_brings_are_kept(void **state)
{
    static BYTE foreign_key[22] = {0xaa, 0xbb, 0xcc, 0xdd, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0, 0, 0, 0, 0, 9};
    SizedSPropTagArray(2, fixed) = {2, {PR_MESSAGE_FLAGS, PR_LAST_MODIFICATION_TIME}};
    SPropProblemArray *problems = NULL;
    SPropValue values[2], *got, *list;
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Imported");
    assert_int_equal(folder->lpVtbl->CreateMessage(folder, NULL, 0, &message), S_OK);
    memset(values, 0, sizeof(values));
    values[0].ulPropTag = PR_LAST_MODIFICATION_TIME, values[0].Value.ft.dwHighDateTime = 0x01c00000;
    values[1].ulPropTag = PR_CHANGE_KEY, values[1].Value.bin.cb = sizeof(foreign_key);
    values[1].Value.bin.lpb = foreign_key; /* another store's change, as an import brings it */
    assert_int_equal(message->lpVtbl->SetProps(message, 2, values, NULL), S_OK);
    assert_int_equal(message->lpVtbl->SaveChanges(message, KEEP_OPEN_READWRITE), S_OK);
    got = get_prop((IMAPIProp *)message, PR_LAST_MODIFICATION_TIME);
    assert_int_equal(got->Value.ft.dwHighDateTime, 0x01c00000);
    mapisim_FreeBuffer(got);
    got = get_prop((IMAPIProp *)message, PR_CHANGE_KEY);
    assert_memory_equal(got->Value.bin.lpb, foreign_key, sizeof(foreign_key));
    mapisim_FreeBuffer(got);
    /* The next save is this store's change: its XID first, the other namespace's kept after it. */
    assert_int_equal(set_subject(message, L"Edited here"), S_OK);
    assert_int_equal(message->lpVtbl->SaveChanges(message, KEEP_OPEN_READWRITE), S_OK);
    list = get_prop((IMAPIProp *)message, PR_PREDECESSOR_CHANGE_LIST);
    assert_int_equal(list->Value.bin.cb, 2 * 23);
    assert_memory_equal(list->Value.bin.lpb + 23 + 1, foreign_key, sizeof(foreign_key));
    mapisim_FreeBuffer(list);
    got = get_prop((IMAPIProp *)message, PR_LAST_MODIFICATION_TIME);
    assert_true(got->Value.ft.dwHighDateTime > 0x01c00000); /* not set this time: the store's clock */
    mapisim_FreeBuffer(got);
    /* A message always has its flags and times. */
    assert_int_equal(message->lpVtbl->DeleteProps(message, (LPSPropTagArray)&fixed, &problems), S_OK);
    assert_int_equal(problems->cProblem, 2);
    assert_int_equal(problems->aProblem[0].scode, MAPI_E_COMPUTED);
    assert_int_equal(problems->aProblem[1].scode, MAPI_E_COMPUTED);
    mapisim_FreeBuffer(problems);
    values[0].ulPropTag = PROP_TAG(PT_LONG, PROP_ID(PR_LAST_MODIFICATION_TIME));
    assert_int_equal(message->lpVtbl->SetProps(message, 1, values, &problems), S_OK);
    assert_int_equal(problems->aProblem[0].scode, MAPI_E_INVALID_TYPE);
    mapisim_FreeBuffer(problems);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

static void every_save_renews_the_change_key_and_lists_it_first(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message;
    SPropValue *key1, *key2, *list, *search1, *search2;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Keys");
    message = save_new(folder, L"Versions", 0);
    key1 = get_prop((IMAPIProp *)message, PR_CHANGE_KEY);
    search1 = get_prop((IMAPIProp *)message, PR_SEARCH_KEY);
    assert_int_equal(key1->ulPropTag, PR_CHANGE_KEY);
    assert_int_equal(key1->Value.bin.cb, 22);
    assert_int_equal(set_subject(message, L"Versions, again"), S_OK);
    assert_int_equal(message->lpVtbl->SaveChanges(message, KEEP_OPEN_READWRITE), S_OK);
    key2 = get_prop((IMAPIProp *)message, PR_CHANGE_KEY);
    search2 = get_prop((IMAPIProp *)message, PR_SEARCH_KEY);
    list = get_prop((IMAPIProp *)message, PR_PREDECESSOR_CHANGE_LIST);
    assert_true(memcmp(key1->Value.bin.lpb, key2->Value.bin.lpb, 22) != 0);
    assert_memory_equal(key1->Value.bin.lpb, key2->Value.bin.lpb, 16); /* one namespace: the store's */
    /* One XID per namespace: the list holds the newest key only, after its size. */
    assert_int_equal(list->Value.bin.cb, 23);
    assert_int_equal(list->Value.bin.lpb[0], 22);
    assert_memory_equal(list->Value.bin.lpb + 1, key2->Value.bin.lpb, 22);
    /* The search key stays. */
    assert_int_equal(search1->Value.bin.cb, search2->Value.bin.cb);
    assert_memory_equal(search1->Value.bin.lpb, search2->Value.bin.lpb, search1->Value.bin.cb);
    mapisim_FreeBuffer(key1);
    mapisim_FreeBuffer(key2);
    mapisim_FreeBuffer(list);
    mapisim_FreeBuffer(search1);
    mapisim_FreeBuffer(search2);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

/* ---- contents tables, counts, deleting, read flags ---- */

/* The subjects of a contents table's rows, joined with '|', in out. */
static ULONG table_subjects(IMAPITable *table, WCHAR *out, size_t size)
{
    SRowSet *rows = NULL;
    ULONG i, count;
    out[0] = 0;
    assert_int_equal(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&subject_only, 0), S_OK);
    assert_int_equal(table->lpVtbl->SeekRow(table, BOOKMARK_BEGINNING, 0, NULL), S_OK);
    assert_int_equal(table->lpVtbl->QueryRows(table, 100, 0, &rows), S_OK);
    count = rows->cRows;
    for (i = 0; i < rows->cRows; i++) {
        const SPropValue *v = &rows->aRow[i].lpProps[0];
        if (i) wcsncat(out, L"|", size - wcslen(out) - 1);
        wcsncat(out, PROP_TYPE(v->ulPropTag) == PT_UNICODE ? v->Value.lpszW : L"?", size - wcslen(out) - 1);
    }
    free_rows(rows);
    return count;
}

static void contents_tables_list_saved_messages_and_follow_changes(void **state)
{
    struct mapisim_session s;
    struct test_sink sink;
    IMAPIFolder *folder;
    IMAPITable *table, *associated_table;
    IMessage *a, *b, *settings;
    ULONG_PTR connection = 0;
    WCHAR subjects[256];
    BYTE entryid[64];
    SBinary bin;
    ENTRYLIST list = {1, &bin};
    (void)state;
    session_start(&s);
    test_sink_init(&sink);
    folder = make_folder(s.store, "Table");
    assert_int_equal(folder->lpVtbl->GetContentsTable(folder, MAPI_UNICODE, &table), S_OK);
    assert_int_equal(folder->lpVtbl->GetContentsTable(folder, MAPI_UNICODE | MAPI_ASSOCIATED, &associated_table), S_OK);
    assert_int_equal(ABI_VTBL(IMAPITable, table)->Advise(table, fnevTableModified, &sink.IMAPIAdviseSink_iface,
                                                          &connection), S_OK);
    a = save_new(folder, L"Alpha", 0);
    b = save_new(folder, L"Beta", 0);
    settings = save_new(folder, L"Settings", MAPI_ASSOCIATED);
    assert_true(sink.notifications >= 2);
    assert_int_equal(table_subjects(table, subjects, ARRAYSIZE(subjects)), 2);
    assert_true(!wcscmp(subjects, L"Alpha|Beta"));
    assert_int_equal(table_subjects(associated_table, subjects, ARRAYSIZE(subjects)), 1);
    assert_true(!wcscmp(subjects, L"Settings"));
    /* A change to a saved message shows in its row. */
    assert_int_equal(set_subject(a, L"Alpha 2"), S_OK);
    assert_int_equal(a->lpVtbl->SaveChanges(a, KEEP_OPEN_READWRITE), S_OK);
    table_subjects(table, subjects, ARRAYSIZE(subjects));
    assert_true(!wcscmp(subjects, L"Alpha 2|Beta"));
    /* Read flags: unread counts follow. */
    assert_int_equal(long_prop((IMAPIProp *)folder, PR_CONTENT_UNREAD), 2);
    assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->SetReadFlags(folder, NULL, 0, NULL, 0), S_OK);
    assert_int_equal(long_prop((IMAPIProp *)folder, PR_CONTENT_UNREAD), 0);
    assert_int_equal(long_prop((IMAPIProp *)b, PR_MESSAGE_FLAGS) & MSGFLAG_READ, 0); /* b's copy: read before */
    assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->SetReadFlags(folder, NULL, 0, NULL, CLEAR_READ_FLAG), S_OK);
    assert_int_equal(long_prop((IMAPIProp *)folder, PR_CONTENT_UNREAD), 2);
    /* Deleting one: the table and the counts lose it, an open object of it answers deleted. */
    bin.cb = entryid_of(b, entryid);
    bin.lpb = entryid;
    assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->DeleteMessages(folder, &list, 0, NULL, 0), S_OK);
    table_subjects(table, subjects, ARRAYSIZE(subjects));
    assert_true(!wcscmp(subjects, L"Alpha 2"));
    assert_int_equal(long_prop((IMAPIProp *)folder, PR_CONTENT_COUNT), 1);
    assert_int_equal(long_prop((IMAPIProp *)folder, PR_CONTENT_UNREAD), 1);
    assert_int_equal(set_subject(b, L"Gone"), MAPI_E_OBJECT_DELETED);
    assert_int_equal(b->lpVtbl->SaveChanges(b, 0), MAPI_E_OBJECT_DELETED);
    /* Deleting it again is a partial completion that changes nothing. */
    assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->DeleteMessages(folder, &list, 0, NULL, 0),
                     MAPI_W_PARTIAL_COMPLETION);
    assert_int_equal(long_prop((IMAPIProp *)folder, PR_CONTENT_COUNT), 1);
    assert_int_equal(ABI_VTBL(IMAPITable, table)->Unadvise(table, connection), S_OK);
    a->lpVtbl->Release(a);
    b->lpVtbl->Release(b);
    settings->lpVtbl->Release(settings);
    table->lpVtbl->Release(table);
    associated_table->lpVtbl->Release(associated_table);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

static void table_rows_cut_long_strings_and_leave_out_big_values(void **state)
{
    static WCHAR long_subject[400];
    SizedSPropTagArray(2, columns) = {2, {PR_SUBJECT_W, PR_BODY_W}};
    static WCHAR body[9000];
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMAPITable *table;
    IMessage *message;
    SPropValue value;
    SRowSet *rows = NULL;
    ULONG i;
    (void)state;
    for (i = 0; i < ARRAYSIZE(long_subject) - 1; i++) long_subject[i] = (WCHAR)('a' + i % 26);
    for (i = 0; i < ARRAYSIZE(body) - 1; i++) body[i] = L'b';
    session_start(&s);
    folder = make_folder(s.store, "Long");
    assert_int_equal(folder->lpVtbl->CreateMessage(folder, NULL, 0, &message), S_OK);
    assert_int_equal(set_subject(message, long_subject), S_OK);
    value.ulPropTag = PR_BODY_W;
    value.dwAlignPad = 0;
    value.Value.lpszW = body; /* 17,998 bytes: over the inline limit */
    assert_int_equal(message->lpVtbl->SetProps(message, 1, &value, NULL), S_OK);
    assert_int_equal(message->lpVtbl->SaveChanges(message, KEEP_OPEN_READWRITE), S_OK);
    assert_subject(message, long_subject); /* the message has it whole */
    assert_int_equal(folder->lpVtbl->GetContentsTable(folder, MAPI_UNICODE, &table), S_OK);
    assert_int_equal(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&columns, 0), S_OK);
    assert_int_equal(table->lpVtbl->QueryRows(table, 10, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    assert_int_equal(wcslen(rows->aRow[0].lpProps[0].Value.lpszW), 255);
    assert_true(!wcsncmp(rows->aRow[0].lpProps[0].Value.lpszW, long_subject, 255));
    assert_int_equal(rows->aRow[0].lpProps[1].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(PR_BODY_W)));
    free_rows(rows);
    table->lpVtbl->Release(table);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

static void delete_messages_refuses_what_is_not_a_message_id_of_this_store(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message;
    SPropValue *folder_id;
    BYTE entryid[64], another[64];
    SBinary bins[2];
    ENTRYLIST list = {2, bins};
    ULONG cb;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Refusals");
    message = save_new(folder, L"Stays", 0);
    cb = entryid_of(message, entryid);
    memcpy(another, entryid, cb);
    another[4] ^= 0xff; /* another store's UID */
    folder_id = get_prop((IMAPIProp *)folder, PR_ENTRYID);
    bins[0].cb = cb, bins[0].lpb = entryid;
    bins[1].cb = cb, bins[1].lpb = another;
    assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->DeleteMessages(folder, &list, 0, NULL, 0), MAPI_E_INVALID_ENTRYID);
    bins[1] = folder_id->Value.bin; /* a folder's */
    assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->DeleteMessages(folder, &list, 0, NULL, 0), MAPI_E_INVALID_ENTRYID);
    bins[1].cb = 3;
    assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->DeleteMessages(folder, &list, 0, NULL, 0), MAPI_E_INVALID_ENTRYID);
    assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->DeleteMessages(folder, NULL, 0, NULL, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->DeleteMessages(folder, &list, 0, NULL, 0x8000000), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(long_prop((IMAPIProp *)folder, PR_CONTENT_COUNT), 1); /* none of that deleted anything */
    assert_subject(message, L"Stays");
    mapisim_FreeBuffer(folder_id);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

static void set_read_flag_commits_at_once_and_the_object_saves_on(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Reading");
    message = save_new(folder, L"Unread", 0);
    assert_int_equal(long_prop((IMAPIProp *)folder, PR_CONTENT_UNREAD), 1);
    assert_int_equal(message->lpVtbl->SetReadFlag(message, 0), S_OK);
    assert_int_equal(long_prop((IMAPIProp *)folder, PR_CONTENT_UNREAD), 0);
    assert_int_equal(long_prop((IMAPIProp *)message, PR_MESSAGE_FLAGS) & MSGFLAG_READ, MSGFLAG_READ);
    assert_int_equal(message->lpVtbl->SetReadFlag(message, CLEAR_READ_FLAG | SUPPRESS_RECEIPT), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(message->lpVtbl->SetReadFlag(message, 0x40000000), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(set_subject(message, L"Read"), S_OK);
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK); /* its own change, not another's */
    assert_int_equal(long_prop((IMAPIProp *)folder, PR_CONTENT_UNREAD), 0);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

static void empty_folder_and_delete_folder_take_the_messages_with_them(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *root, *folder;
    IMessage *m;
    SPropValue *folder_id;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Emptied");
    m = save_new(folder, L"One", 0), m->lpVtbl->Release(m);
    m = save_new(folder, L"Two", 0), m->lpVtbl->Release(m);
    m = save_new(folder, L"View", MAPI_ASSOCIATED), m->lpVtbl->Release(m);
    assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->EmptyFolder(folder, 0, NULL, 0), S_OK);
    assert_int_equal(long_prop((IMAPIProp *)folder, PR_CONTENT_COUNT), 0);
    assert_int_equal(long_prop((IMAPIProp *)folder, PR_CONTENT_UNREAD), 0);
    assert_int_equal(long_prop((IMAPIProp *)folder, PR_ASSOC_CONTENT_COUNT), 1); /* kept without DEL_ASSOCIATED */
    assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->EmptyFolder(folder, 0, NULL, DEL_ASSOCIATED), S_OK);
    assert_int_equal(long_prop((IMAPIProp *)folder, PR_ASSOC_CONTENT_COUNT), 0);
    /* A folder holding messages is deleted only with DEL_MESSAGES. */
    m = save_new(folder, L"Three", 0), m->lpVtbl->Release(m);
    folder_id = get_prop((IMAPIProp *)folder, PR_ENTRYID);
    root = open_root_for_writing(s.store);
    assert_int_equal(ABI_VTBL(IMAPIFolder, root)->DeleteFolder(root, folder_id->Value.bin.cb,
                                                               (LPENTRYID)folder_id->Value.bin.lpb, 0, NULL, 0),
                     MAPI_E_HAS_MESSAGES);
    assert_int_equal(ABI_VTBL(IMAPIFolder, root)->DeleteFolder(root, folder_id->Value.bin.cb,
                                                               (LPENTRYID)folder_id->Value.bin.lpb, 0, NULL,
                                                               DEL_MESSAGES),
                     S_OK);
    mapisim_FreeBuffer(folder_id);
    root->lpVtbl->Release(root);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

static void message_status_is_kept_by_the_store_bit_by_bit(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message;
    BYTE entryid[64];
    ULONG cb, status = 99, old = 99;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Status");
    message = save_new(folder, L"Flagged", 0);
    cb = entryid_of(message, entryid);
    assert_int_equal(folder->lpVtbl->GetMessageStatus(folder, cb, (LPENTRYID)entryid, 0, &status), S_OK);
    assert_int_equal(status, 0);
    assert_int_equal(folder->lpVtbl->SetMessageStatus(folder, cb, (LPENTRYID)entryid, MSGSTATUS_HIGHLIGHTED | MSGSTATUS_TAGGED,
                                                      MSGSTATUS_HIGHLIGHTED, &old), S_OK);
    assert_int_equal(old, 0);
    assert_int_equal(folder->lpVtbl->SetMessageStatus(folder, cb, (LPENTRYID)entryid, 0, 0, &old), S_OK);
    assert_int_equal(old, MSGSTATUS_HIGHLIGHTED); /* only the masked bit was set */
    assert_int_equal(long_prop((IMAPIProp *)message, PR_MSG_STATUS), 0); /* the object's copy, from before */
    /* A save of the open object neither conflicts with the status nor undoes it. */
    assert_int_equal(set_subject(message, L"Flagged, edited"), S_OK);
    assert_int_equal(message->lpVtbl->SaveChanges(message, KEEP_OPEN_READWRITE), S_OK);
    assert_int_equal(long_prop((IMAPIProp *)message, PR_MSG_STATUS), MSGSTATUS_HIGHLIGHTED);
    /* Neither does a read flag set from the folder. */
    assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->SetReadFlags(folder, NULL, 0, NULL, 0), S_OK);
    assert_int_equal(set_subject(message, L"Flagged, edited again"), S_OK);
    assert_int_equal(message->lpVtbl->SaveChanges(message, KEEP_OPEN_READWRITE), S_OK);
    assert_int_equal(long_prop((IMAPIProp *)message, PR_MESSAGE_FLAGS) & MSGFLAG_READ, MSGFLAG_READ);
    assert_int_equal(long_prop((IMAPIProp *)folder, PR_CONTENT_UNREAD), 0);
    /* Bad input. */
    assert_int_equal(folder->lpVtbl->GetMessageStatus(folder, cb, (LPENTRYID)entryid, 1, &status), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(folder->lpVtbl->GetMessageStatus(folder, cb, (LPENTRYID)entryid, 0, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(folder->lpVtbl->GetMessageStatus(folder, 5, (LPENTRYID)entryid, 0, &status), MAPI_E_INVALID_ENTRYID);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

/* ---- recipients ---- */

/* One recipient entry's values: a name, a type, an address, and (for changes) the row id. */
struct recipient_values {
    SPropValue props[4];
};

static ADRENTRY recipient(struct recipient_values *v, const WCHAR *name, LONG type, LONG row_id)
{
    ADRENTRY entry;
    memset(v, 0, sizeof(*v));
    v->props[0].ulPropTag = PR_DISPLAY_NAME_W, v->props[0].Value.lpszW = (LPWSTR)name;
    v->props[1].ulPropTag = PR_RECIPIENT_TYPE, v->props[1].Value.l = type;
    v->props[2].ulPropTag = PR_EMAIL_ADDRESS_A, v->props[2].Value.lpszA = (LPSTR) "someone@example.org";
    v->props[3].ulPropTag = PR_ROWID, v->props[3].Value.l = row_id;
    entry.ulReserved1 = 0;
    entry.cValues = row_id < 0 ? 3 : 4;
    entry.rgPropVals = v->props;
    return entry;
}

static void assert_display(IMessage *message, ULONG tag, const WCHAR *expected)
{
    SPropValue *value = get_prop((IMAPIProp *)message, tag);
    assert_int_equal(value->ulPropTag, tag);
    if (wcscmp(value->Value.lpszW, expected)) fail_msg("%ls, not %ls", value->Value.lpszW, expected);
    mapisim_FreeBuffer(value);
}

/* The rows of a message's recipient table: their count, and the row ids and names into ids and names. */
static ULONG recipient_rows(IMessage *message, LONG *ids, WCHAR names[][16], ULONG max)
{
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    ULONG i, count;
    assert_int_equal(message->lpVtbl->GetRecipientTable(message, MAPI_UNICODE, &table), S_OK);
    assert_int_equal(table->lpVtbl->GetRowCount(table, 0, &count), S_OK);
    assert_int_equal(table->lpVtbl->QueryRows(table, (LONG)max, 0, &rows), S_OK);
    for (i = 0; i < rows->cRows && i < max; i++) {
        const SPropValue *p = rows->aRow[i].lpProps;
        assert_int_equal(p[0].ulPropTag, PR_ROWID);
        assert_int_equal(p[1].ulPropTag, PR_DISPLAY_NAME_W);
        ids[i] = p[0].Value.l;
        wcsncpy(names[i], p[1].Value.lpszW, 15);
        names[i][15] = 0;
    }
    free_rows(rows);
    table->lpVtbl->Release(table);
    return count;
}

static void recipients_are_added_changed_and_removed_by_row_id(void **state)
{
    struct recipient_values v[3];
    SizedADRLIST(3, list);
    WCHAR path[MAX_PATH], names[8][16];
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message;
    LONG ids[8];
    BYTE entryid[64];
    ULONG cb;
    (void)state;
    mapisim_scratch_store_path(path);
    session_start_on(&s, path);
    folder = make_folder(s.store, "Recipients");
    assert_int_equal(folder->lpVtbl->CreateMessage(folder, NULL, 0, &message), S_OK);
    list.cEntries = 3;
    list.aEntries[0] = recipient(&v[0], L"Ann", MAPI_TO, -1);
    list.aEntries[1] = recipient(&v[1], L"Bob", MAPI_TO, -1);
    list.aEntries[2] = recipient(&v[2], L"Cy", MAPI_CC, -1);
    assert_int_equal(message->lpVtbl->ModifyRecipients(message, MODRECIP_ADD, (LPADRLIST)&list), S_OK);
    assert_int_equal(recipient_rows(message, ids, names, 8), 3);
    assert_int_equal(ids[0], 0), assert_int_equal(ids[1], 1), assert_int_equal(ids[2], 2);
    assert_display(message, PR_DISPLAY_TO_W, L"Ann; Bob");
    assert_display(message, PR_DISPLAY_CC_W, L"Cy");
    assert_display(message, PR_DISPLAY_BCC_W, L"");
    /* Bob becomes Bobby, blind-copied; Ann goes. */
    list.cEntries = 1;
    list.aEntries[0] = recipient(&v[0], L"Bobby", MAPI_BCC, 1);
    assert_int_equal(message->lpVtbl->ModifyRecipients(message, MODRECIP_MODIFY, (LPADRLIST)&list), S_OK);
    list.aEntries[0] = recipient(&v[0], L"", 0, 0);
    assert_int_equal(message->lpVtbl->ModifyRecipients(message, MODRECIP_REMOVE, (LPADRLIST)&list), S_OK);
    assert_display(message, PR_DISPLAY_TO_W, L"");
    assert_display(message, PR_DISPLAY_BCC_W, L"Bobby");
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK);
    cb = entryid_of(message, entryid);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);

    /* In a new session: the same rows, the same ids; a new row takes an id never used. */
    session_start_on(&s, path);
    message = open_message(s.store, entryid, cb, MAPI_MODIFY);
    assert_int_equal(recipient_rows(message, ids, names, 8), 2);
    assert_int_equal(ids[0], 1);
    assert_true(!wcscmp(names[0], L"Bobby"));
    assert_int_equal(ids[1], 2);
    assert_true(!wcscmp(names[1], L"Cy"));
    assert_display(message, PR_DISPLAY_BCC_W, L"Bobby");
    list.aEntries[0] = recipient(&v[0], L"Dee", MAPI_TO, -1);
    assert_int_equal(message->lpVtbl->ModifyRecipients(message, MODRECIP_ADD, (LPADRLIST)&list), S_OK);
    assert_int_equal(recipient_rows(message, ids, names, 8), 3);
    assert_int_equal(ids[2], 3);
    /* Flags 0: the whole list replaced. */
    assert_int_equal(message->lpVtbl->ModifyRecipients(message, 0, (LPADRLIST)&list), S_OK);
    assert_int_equal(recipient_rows(message, ids, names, 8), 1);
    assert_display(message, PR_DISPLAY_TO_W, L"Dee");
    assert_display(message, PR_DISPLAY_CC_W, L"");
    message->lpVtbl->Release(message);
    session_finish(&s);
    mapisim_remove_store(path);
}

static void five_hundred_recipients_are_saved_and_read_back(void **state)
{
    enum { COUNT = 500 };
    struct recipient_values *v = calloc(COUNT, sizeof(*v));
    ADRLIST *list = calloc(1, CbNewADRLIST(COUNT));
    static WCHAR names[COUNT][16];
    WCHAR path[MAX_PATH], read_names[COUNT][16];
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message;
    static LONG ids[COUNT];
    BYTE entryid[64];
    ULONG cb, i;
    (void)state;
    list->cEntries = COUNT;
    for (i = 0; i < COUNT; i++) {
        swprintf(names[i], 16, L"Person %lu", (unsigned long)i);
        list->aEntries[i] = recipient(&v[i], names[i], i % 3 + 1, -1);
    }
    mapisim_scratch_store_path(path);
    session_start_on(&s, path);
    folder = make_folder(s.store, "Many");
    assert_int_equal(folder->lpVtbl->CreateMessage(folder, NULL, 0, &message), S_OK);
    assert_int_equal(message->lpVtbl->ModifyRecipients(message, MODRECIP_ADD, list), S_OK);
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK);
    cb = entryid_of(message, entryid);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
    session_start_on(&s, path);
    message = open_message(s.store, entryid, cb, 0);
    assert_int_equal(recipient_rows(message, ids, read_names, COUNT), COUNT);
    for (i = 0; i < COUNT; i++) {
        assert_int_equal(ids[i], (LONG)i);
        assert_true(!wcscmp(read_names[i], names[i]));
    }
    message->lpVtbl->Release(message);
    session_finish(&s);
    mapisim_remove_store(path);
    free(v);
    free(list);
}

static void modify_recipients_refuses_bad_input_and_changes_nothing(void **state)
{
    struct recipient_values v[2];
    SizedADRLIST(2, list);
    SPropValue to;
    SPropProblemArray *problems = NULL;
    WCHAR names[4][16];
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message, *reader;
    IUnknown *unknown = NULL;
    LONG ids[4];
    BYTE entryid[64];
    ULONG cb;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Refused recipients");
    message = save_new(folder, L"Kept", 0);
    list.cEntries = 1;
    list.aEntries[0] = recipient(&v[0], L"Eve", MAPI_TO, -1);
    assert_int_equal(message->lpVtbl->ModifyRecipients(message, MODRECIP_ADD, (LPADRLIST)&list), S_OK);
    list.cEntries = 2;
    list.aEntries[0] = recipient(&v[0], L"Eve 2", MAPI_TO, 0);
    list.aEntries[1] = recipient(&v[1], L"Nobody", MAPI_TO, 42); /* no such row: the whole call refused */
    assert_int_equal(message->lpVtbl->ModifyRecipients(message, MODRECIP_MODIFY, (LPADRLIST)&list), MAPI_E_NOT_FOUND);
    list.aEntries[1] = recipient(&v[1], L"No row id", MAPI_TO, -1);
    assert_int_equal(message->lpVtbl->ModifyRecipients(message, MODRECIP_REMOVE, (LPADRLIST)&list),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(message->lpVtbl->ModifyRecipients(message, MODRECIP_ADD | MODRECIP_REMOVE, (LPADRLIST)&list),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(message->lpVtbl->ModifyRecipients(message, 0x80, (LPADRLIST)&list), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(message->lpVtbl->ModifyRecipients(message, MODRECIP_ADD, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(recipient_rows(message, ids, names, 4), 1);
    assert_true(!wcscmp(names[0], L"Eve"));
    to.ulPropTag = PR_DISPLAY_TO_W, to.dwAlignPad = 0, to.Value.lpszW = (LPWSTR)L"Forged";
    assert_int_equal(message->lpVtbl->SetProps(message, 1, &to, &problems), S_OK);
    assert_int_equal(problems->aProblem[0].scode, MAPI_E_COMPUTED);
    mapisim_FreeBuffer(problems);
    assert_display(message, PR_DISPLAY_TO_W, L"Eve");
    /* The table is also the PR_MESSAGE_RECIPIENTS object; a reader cannot change it. */
    assert_int_equal(message->lpVtbl->OpenProperty(message, PR_MESSAGE_RECIPIENTS, &IID_IMAPITable, 0, 0, &unknown),
                     S_OK);
    ((IMAPITable *)unknown)->lpVtbl->Release((IMAPITable *)unknown);
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK);
    cb = entryid_of(message, entryid);
    reader = open_message(s.store, entryid, cb, 0);
    assert_int_equal(reader->lpVtbl->ModifyRecipients(reader, MODRECIP_ADD, (LPADRLIST)&list), MAPI_E_NO_ACCESS);
    assert_int_equal(recipient_rows(reader, ids, names, 4), 1);
    reader->lpVtbl->Release(reader);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

/* ---- streams ---- */

static IStream *open_stream(IMessage *message, ULONG tag, ULONG flags)
{
    IUnknown *unknown = NULL;
    assert_int_equal(message->lpVtbl->OpenProperty(message, tag, &IID_IStream, 0, flags, &unknown), S_OK);
    return (IStream *)unknown;
}

static ULONGLONG stream_size(IStream *stream)
{
    STATSTG stat;
    assert_int_equal(stream->lpVtbl->Stat(stream, &stat, STATFLAG_NONAME), S_OK);
    assert_int_equal(stat.type, STGTY_STREAM);
    return stat.cbSize.QuadPart;
}

#define BIG_TAG PROP_TAG(PT_BINARY, 0x6740)
#define BIG_SIZE (1024 * 1024 + 123)

static BYTE pattern_byte(ULONG i) { return (BYTE)(i * 7 + i / 4096); }

static void a_big_value_streamed_in_64_kb_writes_is_saved_and_read_back_whole(void **state)
{
    static BYTE chunk[65536], back[65536];
    WCHAR path[MAX_PATH];
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message;
    IStream *stream, *copy, *clone;
    ULARGE_INTEGER whole, read, written;
    LARGE_INTEGER zero = {{0, 0}};
    SPropValue *value;
    BYTE entryid[64];
    ULONG cb, at, n, i;
    (void)state;
    mapisim_scratch_store_path(path);
    session_start_on(&s, path);
    folder = make_folder(s.store, "Streams");
    assert_int_equal(folder->lpVtbl->CreateMessage(folder, NULL, 0, &message), S_OK);
    stream = open_stream(message, BIG_TAG, MAPI_CREATE | MAPI_MODIFY);
    for (at = 0; at < BIG_SIZE; at += n) {
        n = min((ULONG)sizeof(chunk), BIG_SIZE - at);
        for (i = 0; i < n; i++) chunk[i] = pattern_byte(at + i);
        assert_int_equal(stream->lpVtbl->Write(stream, chunk, n, &cb), S_OK);
        assert_int_equal(cb, n);
    }
    assert_int_equal(stream->lpVtbl->Commit(stream, 0), S_OK);
    stream->lpVtbl->Release(stream);
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK);
    cb = entryid_of(message, entryid);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);

    session_start_on(&s, path);
    message = open_message(s.store, entryid, cb, MAPI_MODIFY);
    value = get_prop((IMAPIProp *)message, BIG_TAG);
    assert_int_equal(value->Value.err, MAPI_E_NOT_ENOUGH_MEMORY); /* too big for GetProps: a stream's */
    mapisim_FreeBuffer(value);
    stream = open_stream(message, BIG_TAG, 0);
    assert_true(stream_size(stream) == BIG_SIZE);
    for (at = 0; at < BIG_SIZE; at += n) {
        assert_int_equal(stream->lpVtbl->Read(stream, back, sizeof(back), &n), S_OK);
        assert_true(n > 0);
        for (i = 0; i < n; i++)
            if (back[i] != pattern_byte(at + i)) fail_msg("byte %lu differs", (unsigned long)(at + i));
    }
    assert_int_equal(stream->lpVtbl->Read(stream, back, sizeof(back), &n), S_OK);
    assert_int_equal(n, 0); /* at the end */
    /* CopyTo another property's stream, and a clone reading from where this one is. */
    assert_int_equal(stream->lpVtbl->Seek(stream, zero, STREAM_SEEK_SET, NULL), S_OK);
    copy = open_stream(message, PROP_TAG(PT_BINARY, 0x6741), MAPI_CREATE | MAPI_MODIFY);
    whole.QuadPart = ~0ULL;
    assert_int_equal(stream->lpVtbl->CopyTo(stream, copy, whole, &read, &written), S_OK);
    assert_true(read.QuadPart == BIG_SIZE && written.QuadPart == BIG_SIZE);
    assert_true(stream_size(copy) == BIG_SIZE);
    copy->lpVtbl->Release(copy); /* not committed: the final Release hands it over */
    zero.QuadPart = 1000;
    assert_int_equal(stream->lpVtbl->Seek(stream, zero, STREAM_SEEK_SET, NULL), S_OK);
    assert_int_equal(stream->lpVtbl->Clone(stream, &clone), S_OK);
    assert_int_equal(clone->lpVtbl->Read(clone, back, 4, &n), S_OK);
    assert_int_equal(n, 4);
    assert_int_equal(back[0], pattern_byte(1000));
    assert_int_equal(clone->lpVtbl->Write(clone, back, 1, &n), STG_E_ACCESSDENIED);
    clone->lpVtbl->Release(clone);
    stream->lpVtbl->Release(stream);
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK);
    message->lpVtbl->Release(message);
    message = open_message(s.store, entryid, cb, 0);
    copy = open_stream(message, PROP_TAG(PT_BINARY, 0x6741), 0);
    assert_true(stream_size(copy) == BIG_SIZE);
    copy->lpVtbl->Release(copy);
    message->lpVtbl->Release(message);
    session_finish(&s);
    mapisim_remove_store(path);
}

static void a_string_stream_reads_and_writes_in_the_width_asked(void **state)
{
    static const char narrow[] = "Caf\xe9 au lait"; /* Latin-1 / 1252 */
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message;
    IStream *stream;
    SPropValue body, *got;
    LARGE_INTEGER zero = {{0, 0}};
    ULARGE_INTEGER small;
    char back[64];
    ULONG n;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Text");
    assert_int_equal(folder->lpVtbl->CreateMessage(folder, NULL, 0, &message), S_OK);
    body.ulPropTag = PR_BODY_W;
    body.dwAlignPad = 0;
    body.Value.lpszW = (LPWSTR)L"Caf\u00e9 noir";
    assert_int_equal(message->lpVtbl->SetProps(message, 1, &body, NULL), S_OK);
    stream = open_stream(message, PR_BODY_A, 0);
    assert_int_equal(stream->lpVtbl->Read(stream, back, sizeof(back), &n), S_OK);
    assert_int_equal(n, 9); /* narrow, no terminator */
    assert_memory_equal(back, "Caf\xe9 noir", 9);
    stream->lpVtbl->Release(stream);
    /* Written narrow, read wide; SetSize cuts. */
    stream = open_stream(message, PR_BODY_A, MAPI_MODIFY);
    assert_int_equal(stream->lpVtbl->SetSize(stream, (ULARGE_INTEGER){{0, 0}}), S_OK);
    assert_int_equal(stream->lpVtbl->Seek(stream, zero, STREAM_SEEK_SET, NULL), S_OK);
    assert_int_equal(stream->lpVtbl->Write(stream, narrow, sizeof(narrow), &n), S_OK); /* with its terminator */
    small.QuadPart = 4;
    assert_int_equal(stream->lpVtbl->Commit(stream, 0), S_OK);
    got = get_prop((IMAPIProp *)message, PR_BODY_W);
    assert_true(!wcscmp(got->Value.lpszW, L"Caf\u00e9 au lait"));
    mapisim_FreeBuffer(got);
    assert_int_equal(stream->lpVtbl->SetSize(stream, small), S_OK);
    stream->lpVtbl->Release(stream); /* written since the Commit: taken at the Release */
    got = get_prop((IMAPIProp *)message, PR_BODY_W);
    assert_true(!wcscmp(got->Value.lpszW, L"Caf\u00e9"));
    mapisim_FreeBuffer(got);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

static void a_stream_seeks_grows_and_answers_as_any_istream(void **state)
{
    static const BYTE zeros[8] = {0};
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message;
    IStream *stream;
    ISequentialStream *sequential = NULL;
    LARGE_INTEGER move;
    ULARGE_INTEGER at, size;
    BYTE back[16];
    ULONG n;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Seeking");
    assert_int_equal(folder->lpVtbl->CreateMessage(folder, NULL, 0, &message), S_OK);
    stream = open_stream(message, BIG_TAG, MAPI_CREATE | MAPI_MODIFY);
    assert_int_equal(stream->lpVtbl->QueryInterface(stream, &IID_ISequentialStream, (void **)&sequential), S_OK);
    assert_int_equal(sequential->lpVtbl->Write(sequential, "abcdef", 6, &n), S_OK);
    assert_int_equal(sequential->lpVtbl->Release(sequential), 1);
    move.QuadPart = -2;
    assert_int_equal(stream->lpVtbl->Seek(stream, move, STREAM_SEEK_CUR, &at), S_OK);
    assert_true(at.QuadPart == 4);
    assert_int_equal(stream->lpVtbl->Read(stream, back, sizeof(back), &n), S_OK);
    assert_int_equal(n, 2);
    assert_memory_equal(back, "ef", 2);
    size.QuadPart = 14; /* grown with zeros */
    assert_int_equal(stream->lpVtbl->SetSize(stream, size), S_OK);
    move.QuadPart = 6;
    assert_int_equal(stream->lpVtbl->Seek(stream, move, STREAM_SEEK_SET, NULL), S_OK);
    assert_int_equal(stream->lpVtbl->Read(stream, back, sizeof(back), &n), S_OK);
    assert_int_equal(n, 8);
    assert_memory_equal(back, zeros, 8);
    assert_int_equal(stream->lpVtbl->Revert(stream), S_OK);
    assert_int_equal(stream->lpVtbl->UnlockRegion(stream, size, size, LOCK_WRITE), STG_E_INVALIDFUNCTION);
    assert_int_equal(stream->lpVtbl->AddRef(stream), 2);
    assert_int_equal(stream->lpVtbl->Release(stream), 1);
    assert_int_equal(stream->lpVtbl->Release(stream), 0);
    stream = open_stream(message, BIG_TAG, 0);
    assert_true(stream_size(stream) == 14);
    stream->lpVtbl->Release(stream);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

static void streams_refuse_what_they_cannot_do(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message, *reader;
    IStream *stream;
    IUnknown *unknown = NULL;
    LARGE_INTEGER back = {{(DWORD)-1, -1}};
    ULARGE_INTEGER any = {{0, 0}};
    BYTE entryid[64];
    ULONG cb, n;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Refusing streams");
    message = save_new(folder, L"Subject", 0);
    cb = entryid_of(message, entryid);
    assert_int_equal(message->lpVtbl->OpenProperty(message, PR_BODY_W, &IID_IStream, 0, 0, &unknown), MAPI_E_NOT_FOUND);
    assert_int_equal(message->lpVtbl->OpenProperty(message, PR_IMPORTANCE, &IID_IStream, 0, 0, &unknown),
                     MAPI_E_NO_SUPPORT);
    assert_int_equal(message->lpVtbl->OpenProperty(message, PR_SUBJECT_W, &IID_IMAPITable, 0, 0, &unknown),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_int_equal(message->lpVtbl->OpenProperty(message, PR_SUBJECT_W, NULL, 0, 0, &unknown),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(message->lpVtbl->OpenProperty(message, PR_SUBJECT_W, &IID_IStream, 0, 0x100000, &unknown),
                     MAPI_E_UNKNOWN_FLAGS);
    assert_null(unknown);
    reader = open_message(s.store, entryid, cb, 0);
    assert_int_equal(reader->lpVtbl->OpenProperty(reader, PR_SUBJECT_W, &IID_IStream, 0, MAPI_MODIFY, &unknown),
                     MAPI_E_NO_ACCESS);
    stream = open_stream(reader, PR_SUBJECT_W, 0);
    assert_int_equal(stream->lpVtbl->Write(stream, "x", 1, &n), STG_E_ACCESSDENIED);
    assert_int_equal(stream->lpVtbl->SetSize(stream, any), STG_E_ACCESSDENIED);
    assert_int_equal(stream->lpVtbl->Seek(stream, back, STREAM_SEEK_SET, NULL), STG_E_INVALIDFUNCTION);
    assert_int_equal(stream->lpVtbl->Seek(stream, back, 7, NULL), STG_E_INVALIDFUNCTION);
    assert_int_equal(stream->lpVtbl->LockRegion(stream, any, any, LOCK_WRITE), STG_E_INVALIDFUNCTION);
    assert_int_equal(stream->lpVtbl->Commit(stream, 0x1000), STG_E_INVALIDFLAG);
    assert_true(stream_size(stream) == 14); /* "Subject", UTF-16, no terminator */
    stream->lpVtbl->Release(stream);
    reader->lpVtbl->Release(reader);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

static SPropValue *prop_of_first_row(IMAPIFolder *folder, ULONG tag)
{
    SizedSPropTagArray(1, column) = {1, {tag}};
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    SPropValue *value;
    assert_int_equal(folder->lpVtbl->GetContentsTable(folder, 0, &table), S_OK);
    assert_int_equal(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&column, 0), S_OK);
    assert_int_equal(table->lpVtbl->QueryRows(table, 1, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    value = rows->aRow[0].lpProps; /* one MAPI block, handed to the caller */
    mapisim_FreeBuffer(rows);
    table->lpVtbl->Release(table);
    return value;
}

static void copy_messages_copies_and_moves_within_the_store(void **state)
{
    struct recipient_values v;
    SizedADRLIST(1, recipients);
    struct mapisim_session s;
    IMAPIFolder *from, *to;
    IMessage *m1, *m2, *copy;
    IStream *stream;
    SPropValue *copy_id, *key1, *key2, *parent, *to_id;
    WCHAR names[4][16];
    BYTE id1[64], id2[64], bad[64];
    SBinary bin;
    ENTRYLIST list = {1, &bin};
    LONG rows[4];
    ULONG cb1, cb2, n;
    (void)state;
    session_start(&s);
    from = make_folder(s.store, "From");
    to = make_folder(s.store, "To");
    m1 = save_new(from, L"Copied", 0);
    recipients.cEntries = 1;
    recipients.aEntries[0] = recipient(&v, L"Ann", MAPI_TO, -1);
    assert_int_equal(m1->lpVtbl->ModifyRecipients(m1, MODRECIP_ADD, (LPADRLIST)&recipients), S_OK);
    stream = open_stream(m1, BIG_TAG, MAPI_CREATE | MAPI_MODIFY);
    for (n = 0; n < 40; n++) assert_int_equal(stream->lpVtbl->Write(stream, names, sizeof(names), NULL), S_OK);
    stream->lpVtbl->Release(stream);
    assert_int_equal(m1->lpVtbl->SaveChanges(m1, KEEP_OPEN_READWRITE), S_OK);
    m2 = save_new(from, L"Moved", 0);
    cb1 = entryid_of(m1, id1);
    cb2 = entryid_of(m2, id2);

    bin.cb = cb1, bin.lpb = id1;
    assert_int_equal(ABI_VTBL(IMAPIFolder, from)->CopyMessages(from, &list, NULL, to, 0, NULL, 0), S_OK);
    assert_int_equal(long_prop((IMAPIProp *)from, PR_CONTENT_COUNT), 2);
    assert_int_equal(long_prop((IMAPIProp *)to, PR_CONTENT_COUNT), 1);
    assert_int_equal(long_prop((IMAPIProp *)to, PR_CONTENT_UNREAD), 1);
    copy_id = prop_of_first_row(to, PR_ENTRYID);
    assert_false(copy_id->Value.bin.cb == cb1 && !memcmp(copy_id->Value.bin.lpb, id1, cb1)); /* a new message */
    copy = open_message(s.store, copy_id->Value.bin.lpb, copy_id->Value.bin.cb, 0);
    assert_subject(copy, L"Copied");
    assert_int_equal(recipient_rows(copy, rows, names, 4), 1);
    stream = open_stream(copy, BIG_TAG, 0);
    assert_true(stream_size(stream) == 40 * sizeof(names)); /* the big value went along */
    stream->lpVtbl->Release(stream);
    key1 = get_prop((IMAPIProp *)m1, PR_SOURCE_KEY);
    key2 = get_prop((IMAPIProp *)copy, PR_SOURCE_KEY);
    assert_true(memcmp(key1->Value.bin.lpb, key2->Value.bin.lpb, key1->Value.bin.cb) != 0);
    mapisim_FreeBuffer(key1);
    mapisim_FreeBuffer(key2);
    copy->lpVtbl->Release(copy);
    mapisim_FreeBuffer(copy_id);

    /* A move keeps the entry ID; the message now says it is in "To". */
    bin.cb = cb2, bin.lpb = id2;
    assert_int_equal(ABI_VTBL(IMAPIFolder, from)->CopyMessages(from, &list, NULL, to, 0, NULL, MESSAGE_MOVE), S_OK);
    assert_int_equal(long_prop((IMAPIProp *)from, PR_CONTENT_COUNT), 1);
    assert_int_equal(long_prop((IMAPIProp *)from, PR_CONTENT_UNREAD), 1);
    assert_int_equal(long_prop((IMAPIProp *)to, PR_CONTENT_COUNT), 2);
    assert_int_equal(long_prop((IMAPIProp *)to, PR_CONTENT_UNREAD), 2);
    m2->lpVtbl->Release(m2);
    m2 = open_message(s.store, id2, cb2, 0);
    parent = get_prop((IMAPIProp *)m2, PR_PARENT_ENTRYID);
    to_id = get_prop((IMAPIProp *)to, PR_ENTRYID);
    assert_memory_equal(parent->Value.bin.lpb, to_id->Value.bin.lpb, to_id->Value.bin.cb);
    mapisim_FreeBuffer(parent);
    mapisim_FreeBuffer(to_id);
    /* A copy into its own folder is a second message there; a move into it changes nothing. */
    bin.cb = cb1, bin.lpb = id1;
    assert_int_equal(ABI_VTBL(IMAPIFolder, from)->CopyMessages(from, &list, NULL, from, 0, NULL, 0), S_OK);
    assert_int_equal(long_prop((IMAPIProp *)from, PR_CONTENT_COUNT), 2);
    assert_int_equal(ABI_VTBL(IMAPIFolder, from)->CopyMessages(from, &list, NULL, from, 0, NULL, MESSAGE_MOVE), S_OK);
    assert_int_equal(long_prop((IMAPIProp *)from, PR_CONTENT_COUNT), 2);
    bin.cb = cb2, bin.lpb = id2;
    /* Moving it again from "From" finds nothing there. */
    assert_int_equal(ABI_VTBL(IMAPIFolder, from)->CopyMessages(from, &list, NULL, to, 0, NULL, MESSAGE_MOVE),
                     MAPI_W_PARTIAL_COMPLETION);
    /* Refused, changing nothing: another store's ID, a destination that is not this store's folder, bad flags. */
    memcpy(bad, id1, cb1);
    bad[4] ^= 1;
    bin.cb = cb1, bin.lpb = bad;
    assert_int_equal(ABI_VTBL(IMAPIFolder, from)->CopyMessages(from, &list, NULL, to, 0, NULL, 0), MAPI_E_INVALID_ENTRYID);
    bin.lpb = id1;
    assert_int_equal(ABI_VTBL(IMAPIFolder, from)->CopyMessages(from, &list, NULL, m1, 0, NULL, 0), MAPI_E_NO_SUPPORT);
    assert_int_equal(ABI_VTBL(IMAPIFolder, from)->CopyMessages(from, &list, NULL, to, 0, NULL, 0x1000), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(ABI_VTBL(IMAPIFolder, from)->CopyMessages(from, NULL, NULL, to, 0, NULL, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(long_prop((IMAPIProp *)to, PR_CONTENT_COUNT), 2);
    m1->lpVtbl->Release(m1);
    m2->lpVtbl->Release(m2);
    from->lpVtbl->Release(from);
    to->lpVtbl->Release(to);
    session_finish(&s);
}

/* A list may name a message more than once, in any order: each is copied, read-flagged and deleted once. */
static void a_list_naming_messages_twice_acts_on_each_once(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *from, *to;
    IMessage *m[3];
    BYTE ids[3][64];
    SBinary bins[6];
    ENTRYLIST list = {6, bins};
    ULONG i;
    (void)state;
    session_start(&s);
    from = make_folder(s.store, "From");
    to = make_folder(s.store, "To");
    m[0] = save_new(from, L"First", 0);
    m[1] = save_new(from, L"Second", 0);
    m[2] = save_new(from, L"Third", 0);
    for (i = 0; i < 3; i++) {
        bins[i].cb = bins[5 - i].cb = entryid_of(m[i], ids[i]); /* the three, then the three again backward */
        bins[i].lpb = bins[5 - i].lpb = ids[i];
    }
    assert_int_equal(ABI_VTBL(IMAPIFolder, from)->CopyMessages(from, &list, NULL, to, 0, NULL, 0), S_OK);
    assert_int_equal(long_prop((IMAPIProp *)to, PR_CONTENT_COUNT), 3);
    assert_int_equal(ABI_VTBL(IMAPIFolder, from)->SetReadFlags(from, &list, 0, NULL, 0), S_OK);
    assert_int_equal(long_prop((IMAPIProp *)from, PR_CONTENT_UNREAD), 0);
    assert_int_equal(ABI_VTBL(IMAPIFolder, from)->SetReadFlags(from, &list, 0, NULL, CLEAR_READ_FLAG), S_OK);
    assert_int_equal(long_prop((IMAPIProp *)from, PR_CONTENT_UNREAD), 3);
    assert_int_equal(ABI_VTBL(IMAPIFolder, from)->DeleteMessages(from, &list, 0, NULL, 0), S_OK);
    assert_int_equal(long_prop((IMAPIProp *)from, PR_CONTENT_COUNT), 0);
    assert_int_equal(long_prop((IMAPIProp *)from, PR_CONTENT_UNREAD), 0);
    assert_int_equal(long_prop((IMAPIProp *)to, PR_CONTENT_COUNT), 3);
    for (i = 0; i < 3; i++) m[i]->lpVtbl->Release(m[i]);
    from->lpVtbl->Release(from);
    to->lpVtbl->Release(to);
    session_finish(&s);
}

/* ---- new mail ---- */

/* A sink keeping the last fnevNewMail it heard. */
struct mail_sink {
    IMAPIAdviseSink IMAPIAdviseSink_iface;
    LONG refs, mails;
    WCHAR message_class[64];
    ULONG cb;
    BYTE entryid[64];
};

static struct mail_sink *mail_sink_of(IMAPIAdviseSink *iface)
{
    return CONTAINING_RECORD(iface, struct mail_sink, IMAPIAdviseSink_iface);
}

static HRESULT STDMETHODCALLTYPE mail_sink_QueryInterface(IMAPIAdviseSink *iface, REFIID riid, void **ppv)
{
    if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IMAPIAdviseSink)) return E_NOINTERFACE;
    *ppv = iface;
    iface->lpVtbl->AddRef(iface);
    return S_OK;
}

static ULONG STDMETHODCALLTYPE mail_sink_AddRef(IMAPIAdviseSink *iface)
{
    return (ULONG)InterlockedIncrement(&mail_sink_of(iface)->refs);
}

static ULONG STDMETHODCALLTYPE mail_sink_Release(IMAPIAdviseSink *iface)
{
    return (ULONG)InterlockedDecrement(&mail_sink_of(iface)->refs);
}

static ULONG STDMETHODCALLTYPE mail_sink_OnNotify(IMAPIAdviseSink *iface, ULONG count, LPNOTIFICATION notifications)
{
    struct mail_sink *sink = mail_sink_of(iface);
    ULONG i;
    for (i = 0; i < count; i++) {
        const NEWMAIL_NOTIFICATION *mail = &notifications[i].info.newmail;
        if (notifications[i].ulEventType != fnevNewMail) continue;
        sink->mails++;
        assert_int_equal(mail->ulFlags, MAPI_UNICODE);
        wcsncpy(sink->message_class, (const WCHAR *)mail->lpszMessageClass, 63);
        sink->cb = min(mail->cbEntryID, (ULONG)sizeof(sink->entryid));
        memcpy(sink->entryid, mail->lpEntryID, sink->cb);
    }
    return 0;
}

static const IMAPIAdviseSinkVtbl mail_sink_vtbl = {mail_sink_QueryInterface, mail_sink_AddRef, mail_sink_Release,
                                                   mail_sink_OnNotify};

static IMAPIFolder *open_inbox(IMsgStore *store)
{
    IMAPIFolder *inbox = NULL;
    LPENTRYID id = NULL;
    ULONG cb = 0, type = 0;
    assert_int_equal(store->lpVtbl->GetReceiveFolder(store, (LPTSTR) "IPM.Note", 0, &cb, &id, NULL), S_OK);
    assert_int_equal(store->lpVtbl->OpenEntry(store, cb, id, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&inbox), S_OK);
    mapisim_FreeBuffer(id);
    return inbox;
}

static void a_message_saved_in_its_receive_folder_is_new_mail(void **state)
{
    struct mail_sink sink = {{&mail_sink_vtbl}, 1, 0, {0}, 0, {0}};
    SPropValue note = {PR_MESSAGE_CLASS_A, 0, {.lpszA = (char *)"IPM.Note.Special"}};
    struct mapisim_session s;
    IMAPIFolder *inbox, *other;
    IMessage *message;
    ULONG_PTR connection = 0;
    BYTE entryid[64];
    ULONG cb;
    (void)state;
    session_start(&s);
    assert_int_equal(ABI_VTBL(IMsgStore, s.store)->Advise(s.store, 0, NULL, fnevNewMail, &sink.IMAPIAdviseSink_iface,
                                                          &connection), S_OK);
    inbox = open_inbox(s.store);
    other = make_folder(s.store, "Not a receive folder");
    assert_int_equal(inbox->lpVtbl->CreateMessage(inbox, NULL, 0, &message), S_OK);
    assert_int_equal(message->lpVtbl->SetProps(message, 1, &note, NULL), S_OK);
    assert_int_equal(message->lpVtbl->SaveChanges(message, KEEP_OPEN_READWRITE), S_OK);
    assert_int_equal(sink.mails, 1);
    assert_true(!wcscmp(sink.message_class, L"IPM.Note.Special"));
    cb = entryid_of(message, entryid);
    assert_int_equal(sink.cb, cb);
    assert_memory_equal(sink.entryid, entryid, cb);
    /* Saved again: not new. */
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK);
    message->lpVtbl->Release(message);
    /* Not in a receive folder, or associated: not mail. */
    message = save_new(other, L"Filed", 0), message->lpVtbl->Release(message);
    message = save_new(inbox, L"View", MAPI_ASSOCIATED), message->lpVtbl->Release(message);
    assert_int_equal(sink.mails, 1);
    assert_int_equal(ABI_VTBL(IMsgStore, s.store)->Unadvise(s.store, connection), S_OK);
    assert_int_equal(sink.refs, 1);
    inbox->lpVtbl->Release(inbox);
    other->lpVtbl->Release(other);
    session_finish(&s);
}

/* ---- access and lifecycle ---- */

static void a_read_only_logon_or_object_changes_nothing(void **state)
{
    WCHAR path[MAX_PATH];
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message, *created = NULL;
    BYTE entryid[64];
    IUnknown *unknown = NULL;
    ULONG cb, type = 0;
    (void)state;
    mapisim_scratch_store_path(path);
    session_start_on(&s, path);
    folder = make_folder(s.store, "Read only");
    message = save_new(folder, L"Fixed", 0);
    cb = entryid_of(message, entryid);
    message->lpVtbl->Release(message);
    /* Opened without MAPI_MODIFY: read, not written. */
    message = open_message(s.store, entryid, cb, 0);
    assert_int_equal(long_prop((IMAPIProp *)message, PR_ACCESS_LEVEL), 0);
    assert_int_equal(set_subject(message, L"Changed"), MAPI_E_NO_ACCESS);
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), MAPI_E_NO_ACCESS);
    message->lpVtbl->Release(message);
    /* A message is opened by the folder too, and a folder entry ID is not a message's. */
    assert_int_equal(folder->lpVtbl->OpenEntry(folder, cb, (LPENTRYID)entryid, &IID_IMAPIFolder, 0, &type, &unknown),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_null(unknown);
    folder->lpVtbl->Release(folder);
    session_finish(&s);

    session_start_read_only_on(&s, path);
    assert_int_equal(s.store->lpVtbl->OpenEntry(s.store, cb, (LPENTRYID)entryid, NULL, MAPI_MODIFY, &type, &unknown),
                     MAPI_E_NO_ACCESS);
    folder = NULL;
    assert_int_equal(s.store->lpVtbl->OpenEntry(s.store, 0, NULL, NULL, 0, &type, (IUnknown **)&folder), S_OK);
    assert_int_equal(folder->lpVtbl->CreateMessage(folder, NULL, 0, &created), MAPI_E_NO_ACCESS);
    assert_null(created);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
    mapisim_remove_store(path);
}

static void messages_held_across_logoff_answer_invalid_object_and_leak_nothing(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *saved, *unsaved = NULL;
    SPropValue *value = NULL;
    IStream *stream;
    ULONG count = 0, n = 0;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Held");
    saved = save_new(folder, L"Held", 0);
    stream = open_stream(saved, PR_BODY_W, MAPI_CREATE | MAPI_MODIFY);
    assert_int_equal(stream->lpVtbl->Write(stream, L"x", 2, &n), S_OK);
    assert_int_equal(folder->lpVtbl->CreateMessage(folder, NULL, 0, &unsaved), S_OK);
    assert_int_equal(set_subject(unsaved, L"Never saved"), S_OK);
    session_logoff(&s);
    assert_int_equal(saved->lpVtbl->GetProps(saved, (LPSPropTagArray)&subject_only, 0, &count, &value),
                     MAPI_E_INVALID_OBJECT);
    assert_int_equal(set_subject(unsaved, L"After"), MAPI_E_INVALID_OBJECT);
    assert_int_equal(unsaved->lpVtbl->SaveChanges(unsaved, 0), MAPI_E_INVALID_OBJECT);
    assert_int_equal(saved->lpVtbl->SetReadFlag(saved, 0), MAPI_E_INVALID_OBJECT);
    assert_int_equal(saved->lpVtbl->SubmitMessage(saved, 0), MAPI_E_INVALID_OBJECT);
    assert_int_equal(stream->lpVtbl->Write(stream, L"y", 2, &n), MAPI_E_INVALID_OBJECT);
    assert_int_equal(stream->lpVtbl->Release(stream), 0);
    assert_int_equal(saved->lpVtbl->Release(saved), 0);
    assert_int_equal(unsaved->lpVtbl->Release(unsaved), 0);
    folder->lpVtbl->Release(folder);
    session_finish(&s); /* fails on any block left */
}

static BOOL has_value(IMessage *message, ULONG tag)
{
    SPropValue *value = get_prop((IMAPIProp *)message, tag);
    BOOL found = value->ulPropTag == tag;
    mapisim_FreeBuffer(value);
    return found;
}

/* msstore keeps no RTF of its own: a plain body changed without the RTF one makes PR_RTF_IN_SYNC go. */
static void a_body_changed_alone_deletes_rtf_in_sync(void **state)
{
    static BYTE rtf[] = {1, 2, 3, 4};
    SPropValue values[3] = {{PR_BODY_W, 0, {.lpszW = (LPWSTR)L"First"}},
                            {PR_RTF_COMPRESSED, 0, {.bin = {sizeof(rtf), rtf}}},
                            {PR_RTF_IN_SYNC, 0, {.b = TRUE}}};
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message;
    BYTE entryid[64];
    ULONG cb;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Bodies");
    assert_int_equal(folder->lpVtbl->CreateMessage(folder, NULL, 0, &message), S_OK);
    assert_int_equal(message->lpVtbl->SetProps(message, 3, values, NULL), S_OK);
    assert_int_equal(message->lpVtbl->SaveChanges(message, KEEP_OPEN_READWRITE), S_OK);
    assert_true(has_value(message, PR_RTF_IN_SYNC)); /* the body and the RTF set together: in step */
    values[0].Value.lpszW = (LPWSTR)L"Second";
    assert_int_equal(message->lpVtbl->SetProps(message, 1, values, NULL), S_OK);
    assert_int_equal(message->lpVtbl->SaveChanges(message, KEEP_OPEN_READWRITE), S_OK);
    assert_false(has_value(message, PR_RTF_IN_SYNC));
    assert_true(has_value(message, PR_RTF_COMPRESSED)); /* kept as the client wrote it */
    cb = entryid_of(message, entryid);
    message->lpVtbl->Release(message);
    message = open_message(s.store, entryid, cb, 0);
    assert_false(has_value(message, PR_RTF_IN_SYNC));
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

static void submit_message_is_no_support_without_a_transport(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Later");
    message = save_new(folder, L"Later", 0);
    assert_int_equal(message->lpVtbl->SubmitMessage(message, 0), MAPI_E_NO_SUPPORT);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

/* ---- attachments ---- */

#define ATTACH_DATA_SIZE (200 * 1024 + 17)

static IAttach *create_attach(IMessage *message, ULONG expected_num, const WCHAR *filename, LONG method)
{
    SPropValue values[2];
    IAttach *attach = NULL;
    ULONG num = 99;
    assert_int_equal(message->lpVtbl->CreateAttach(message, NULL, 0, &num, &attach), S_OK);
    assert_int_equal(num, expected_num);
    values[0].ulPropTag = PR_ATTACH_FILENAME_W;
    values[0].Value.lpszW = (WCHAR *)filename;
    values[1].ulPropTag = PR_ATTACH_METHOD;
    values[1].Value.l = method;
    assert_int_equal(attach->lpVtbl->SetProps(attach, 2, values, NULL), S_OK);
    return attach;
}

/* Writes size bytes of pattern_byte into the attachment's PR_ATTACH_DATA_BIN in 64 KB writes. */
static void write_attach_data(IAttach *attach, ULONG size)
{
    static BYTE chunk[65536];
    IUnknown *unknown = NULL;
    IStream *stream;
    ULONG at, n, i, cb;
    assert_int_equal(attach->lpVtbl->OpenProperty(attach, PR_ATTACH_DATA_BIN, &IID_IStream, 0,
                                                  MAPI_CREATE | MAPI_MODIFY, &unknown),
                     S_OK);
    stream = (IStream *)unknown;
    for (at = 0; at < size; at += n) {
        n = min((ULONG)sizeof(chunk), size - at);
        for (i = 0; i < n; i++) chunk[i] = pattern_byte(at + i);
        assert_int_equal(stream->lpVtbl->Write(stream, chunk, n, &cb), S_OK);
    }
    assert_int_equal(stream->lpVtbl->Commit(stream, 0), S_OK);
    stream->lpVtbl->Release(stream);
}

static void assert_attach_data(IAttach *attach, ULONG size)
{
    static BYTE back[65536];
    IUnknown *unknown = NULL;
    IStream *stream;
    ULONG at, n, i;
    assert_int_equal(attach->lpVtbl->OpenProperty(attach, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0, &unknown), S_OK);
    stream = (IStream *)unknown;
    assert_true(stream_size(stream) == size);
    for (at = 0; at < size; at += n) {
        assert_int_equal(stream->lpVtbl->Read(stream, back, sizeof(back), &n), S_OK);
        assert_true(n > 0);
        for (i = 0; i < n; i++)
            if (back[i] != pattern_byte(at + i)) fail_msg("attachment byte %lu differs", (unsigned long)(at + i));
    }
    stream->lpVtbl->Release(stream);
}

/* The attachment table's PR_ATTACH_NUM and PR_ATTACH_FILENAME_W of each row, in order; the row count. */
static ULONG attachment_rows(IMessage *message, LONG *nums, WCHAR names[][16], ULONG max)
{
    static const SizedSPropTagArray(2, columns) = {2, {PR_ATTACH_NUM, PR_ATTACH_FILENAME_W}};
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    ULONG i, count;
    assert_int_equal(message->lpVtbl->GetAttachmentTable(message, MAPI_UNICODE, &table), S_OK);
    assert_int_equal(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&columns, 0), S_OK);
    assert_int_equal(table->lpVtbl->QueryRows(table, 100, 0, &rows), S_OK);
    count = rows->cRows;
    assert_true(count <= max);
    for (i = 0; i < count; i++) {
        assert_int_equal(rows->aRow[i].lpProps[0].ulPropTag, PR_ATTACH_NUM);
        nums[i] = rows->aRow[i].lpProps[0].Value.l;
        names[i][0] = 0;
        if (rows->aRow[i].lpProps[1].ulPropTag == PR_ATTACH_FILENAME_W)
            wcsncpy(names[i], rows->aRow[i].lpProps[1].Value.lpszW, 15), names[i][15] = 0;
    }
    free_rows(rows);
    table->lpVtbl->Release(table);
    return count;
}

static BOOL has_attach(IMessage *message)
{
    SPropValue *value = get_prop((IMAPIProp *)message, PR_HASATTACH);
    BOOL result;
    assert_int_equal(value->ulPropTag, PR_HASATTACH);
    result = value->Value.b;
    assert_int_equal((long_prop((IMAPIProp *)message, PR_MESSAGE_FLAGS) & MSGFLAG_HASATTACH) != 0, result != 0);
    mapisim_FreeBuffer(value);
    return result;
}

static void attachments_by_value_are_saved_with_their_message_and_read_back(void **state)
{
    WCHAR path[MAX_PATH], names[4][16];
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message;
    IAttach *attach, *unsaved;
    SPropValue *value;
    BYTE entryid[64];
    LONG nums[4];
    ULONG cb;
    (void)state;
    mapisim_scratch_store_path(path);
    session_start_on(&s, path);
    value = get_prop((IMAPIProp *)s.store, PR_STORE_SUPPORT_MASK);
    assert_int_equal(value->Value.l & (STORE_ATTACH_OK | STORE_MV_PROPS_OK | STORE_HTML_OK),
                     STORE_ATTACH_OK | STORE_MV_PROPS_OK | STORE_HTML_OK);
    assert_false(value->Value.l & STORE_OLE_OK);
    mapisim_FreeBuffer(value);
    folder = make_folder(s.store, "Attached");
    assert_int_equal(folder->lpVtbl->CreateMessage(folder, NULL, 0, &message), S_OK);
    assert_int_equal(set_subject(message, L"With attachments"), S_OK);
    assert_false(has_attach(message));
    attach = create_attach(message, 0, L"big.bin", ATTACH_BY_VALUE);
    write_attach_data(attach, ATTACH_DATA_SIZE);
    assert_int_equal(attachment_rows(message, nums, names, 4), 0); /* not in the message until saved into it */
    assert_int_equal(attach->lpVtbl->SaveChanges(attach, 0), S_OK);
    attach->lpVtbl->Release(attach);
    attach = create_attach(message, 1, L"note.txt", ATTACH_BY_VALUE);
    assert_int_equal(attach->lpVtbl->SaveChanges(attach, 0), S_OK);
    attach->lpVtbl->Release(attach);
    unsaved = create_attach(message, 2, L"dropped.txt", ATTACH_BY_VALUE);
    unsaved->lpVtbl->Release(unsaved); /* never saved into the message */
    assert_int_equal(attachment_rows(message, nums, names, 4), 2);
    assert_true(has_attach(message));
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK);
    cb = entryid_of(message, entryid);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);

    session_start_on(&s, path);
    message = open_message(s.store, entryid, cb, 0);
    assert_true(has_attach(message));
    assert_true(long_prop((IMAPIProp *)message, PR_MESSAGE_SIZE) > ATTACH_DATA_SIZE);
    assert_int_equal(attachment_rows(message, nums, names, 4), 2);
    assert_int_equal(nums[0], 0);
    assert_true(!wcscmp(names[0], L"big.bin"));
    assert_int_equal(nums[1], 1);
    assert_true(!wcscmp(names[1], L"note.txt"));
    assert_int_equal(message->lpVtbl->OpenAttach(message, 0, NULL, 0, &attach), S_OK);
    assert_int_equal(long_prop((IMAPIProp *)attach, PR_ATTACH_NUM), 0);
    assert_int_equal(long_prop((IMAPIProp *)attach, PR_ATTACH_METHOD), ATTACH_BY_VALUE);
    assert_true(long_prop((IMAPIProp *)attach, PR_ATTACH_SIZE) >= ATTACH_DATA_SIZE);
    assert_int_equal(long_prop((IMAPIProp *)attach, PR_OBJECT_TYPE), MAPI_ATTACH);
    value = get_prop((IMAPIProp *)attach, PR_ATTACH_DATA_BIN);
    assert_int_equal(value->Value.err, MAPI_E_NOT_ENOUGH_MEMORY); /* too big for GetProps: a stream's */
    mapisim_FreeBuffer(value);
    assert_attach_data(attach, ATTACH_DATA_SIZE);
    attach->lpVtbl->Release(attach);
    message->lpVtbl->Release(message);
    session_finish(&s);
    mapisim_remove_store(path);
}

static void attachments_changed_and_deleted_reach_the_store_with_the_messages_save(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message;
    IAttach *attach;
    WCHAR names[4][16];
    BYTE entryid[64];
    LONG nums[4];
    ULONG cb;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Changes");
    message = save_new(folder, L"Two attachments", 0);
    attach = create_attach(message, 0, L"first.txt", ATTACH_BY_VALUE);
    assert_int_equal(attach->lpVtbl->SaveChanges(attach, 0), S_OK);
    attach->lpVtbl->Release(attach);
    attach = create_attach(message, 1, L"second.txt", ATTACH_BY_VALUE);
    assert_int_equal(attach->lpVtbl->SaveChanges(attach, 0), S_OK);
    attach->lpVtbl->Release(attach);
    cb = entryid_of(message, entryid);
    message->lpVtbl->Release(message); /* the message never saved again: the store has no attachment */
    message = open_message(s.store, entryid, cb, MAPI_MODIFY);
    assert_int_equal(attachment_rows(message, nums, names, 4), 0);
    assert_false(has_attach(message));
    attach = create_attach(message, 0, L"first.txt", ATTACH_BY_VALUE);
    assert_int_equal(attach->lpVtbl->SaveChanges(attach, 0), S_OK);
    attach->lpVtbl->Release(attach);
    attach = create_attach(message, 1, L"second.txt", ATTACH_BY_VALUE);
    assert_int_equal(attach->lpVtbl->SaveChanges(attach, 0), S_OK);
    attach->lpVtbl->Release(attach);
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK);
    message->lpVtbl->Release(message);

    /* A change saved into the message, a deletion: both in the store after the message's save, not before. */
    message = open_message(s.store, entryid, cb, MAPI_MODIFY);
    assert_int_equal(message->lpVtbl->OpenAttach(message, 1, NULL, MAPI_MODIFY, &attach), S_OK);
    write_attach_data(attach, 1000);
    assert_int_equal(attach->lpVtbl->SaveChanges(attach, 0), S_OK);
    attach->lpVtbl->Release(attach);
    assert_int_equal(ABI_VTBL(IMessage, message)->DeleteAttach(message, 0, 0, NULL, 0), S_OK);
    assert_int_equal(ABI_VTBL(IMessage, message)->DeleteAttach(message, 0, 0, NULL, 0), MAPI_E_NOT_FOUND);
    assert_int_equal(attachment_rows(message, nums, names, 4), 1);
    attach = create_attach(message, 2, L"third.txt", ATTACH_BY_VALUE); /* numbers are not reused */
    attach->lpVtbl->Release(attach);
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK);
    message->lpVtbl->Release(message);
    message = open_message(s.store, entryid, cb, MAPI_MODIFY);
    assert_int_equal(attachment_rows(message, nums, names, 4), 1);
    assert_int_equal(nums[0], 1);
    assert_true(!wcscmp(names[0], L"second.txt"));
    assert_int_equal(message->lpVtbl->OpenAttach(message, 1, NULL, 0, &attach), S_OK);
    assert_attach_data(attach, 1000);
    attach->lpVtbl->Release(attach);
    assert_true(has_attach(message));
    assert_int_equal(ABI_VTBL(IMessage, message)->DeleteAttach(message, 1, 0, NULL, 0), S_OK);
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK);
    message->lpVtbl->Release(message);
    message = open_message(s.store, entryid, cb, 0);
    assert_false(has_attach(message));
    assert_int_equal(attachment_rows(message, nums, names, 4), 0);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

/* The embedded message of attach (opened with flags), which must have one. */
static IMessage *open_embedded(IAttach *attach, ULONG flags)
{
    IUnknown *unknown = NULL;
    assert_int_equal(attach->lpVtbl->OpenProperty(attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, flags, &unknown),
                     S_OK);
    return (IMessage *)unknown;
}

/* Adds to parent an attachment whose embedded message has subject, saved into it; the embedded one, open. */
static IMessage *embed_new(IMessage *parent, ULONG num, const WCHAR *subject, IAttach **attach)
{
    IMessage *embedded;
    *attach = create_attach(parent, num, L"", ATTACH_EMBEDDED_MSG);
    embedded = open_embedded(*attach, MAPI_CREATE | MAPI_MODIFY);
    assert_int_equal(set_subject(embedded, subject), S_OK);
    return embedded;
}

/* The subject of the message embedded in attachment 0 of message, and that message, open. */
static IMessage *first_embedded(IMessage *message, IAttach **attach)
{
    assert_int_equal(message->lpVtbl->OpenAttach(message, 0, NULL, 0, attach), S_OK);
    return open_embedded(*attach, 0);
}

static void assert_embedded_chain(IMessage *message)
{
    IAttach *a1, *a2;
    IMessage *level1 = first_embedded(message, &a1), *level2;
    SPropValue *value;
    assert_subject(level1, L"Level 1");
    value = get_prop((IMAPIProp *)level1, PR_ENTRYID);
    assert_int_equal(PROP_TYPE(value->ulPropTag), PT_ERROR); /* an embedded message has no entry ID */
    mapisim_FreeBuffer(value);
    assert_true(has_attach(level1));
    level2 = first_embedded(level1, &a2);
    assert_subject(level2, L"Level 2");
    assert_false(has_attach(level2));
    level2->lpVtbl->Release(level2);
    a2->lpVtbl->Release(a2);
    level1->lpVtbl->Release(level1);
    a1->lpVtbl->Release(a1);
}

static void embedded_messages_two_levels_deep_are_saved_copied_and_deleted_with_their_parent(void **state)
{
    WCHAR path[MAX_PATH];
    struct mapisim_session s;
    IMAPIFolder *folder, *other;
    IMessage *message, *level1, *level2, *copy;
    IAttach *a1, *a2;
    SPropValue *value;
    ENTRYLIST list;
    SBinary bin;
    BYTE entryid[64];
    ULONG cb, object_type = 0;
    (void)state;
    mapisim_scratch_store_path(path);
    session_start_on(&s, path);
    folder = make_folder(s.store, "Nested");
    assert_int_equal(folder->lpVtbl->CreateMessage(folder, NULL, 0, &message), S_OK);
    assert_int_equal(set_subject(message, L"Level 0"), S_OK);
    level1 = embed_new(message, 0, L"Level 1", &a1);
    level2 = embed_new(level1, 0, L"Level 2", &a2);
    assert_int_equal(level2->lpVtbl->SaveChanges(level2, 0), S_OK);
    assert_int_equal(a2->lpVtbl->SaveChanges(a2, 0), S_OK);
    assert_int_equal(level1->lpVtbl->SaveChanges(level1, 0), S_OK);
    assert_int_equal(a1->lpVtbl->SaveChanges(a1, 0), S_OK);
    level2->lpVtbl->Release(level2);
    a2->lpVtbl->Release(a2);
    level1->lpVtbl->Release(level1);
    a1->lpVtbl->Release(a1);
    assert_embedded_chain(message); /* in the message's copy already */
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK);
    cb = entryid_of(message, entryid);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);

    session_start_on(&s, path);
    message = open_message(s.store, entryid, cb, MAPI_MODIFY);
    value = get_prop((IMAPIProp *)message, PR_PARENT_ENTRYID);
    assert_int_equal(s.store->lpVtbl->OpenEntry(s.store, value->Value.bin.cb, (LPENTRYID)value->Value.bin.lpb, NULL,
                                                MAPI_MODIFY, &object_type, (IUnknown **)&folder),
                     S_OK);
    assert_int_equal(object_type, MAPI_FOLDER);
    mapisim_FreeBuffer(value);
    assert_embedded_chain(message);
    /* A change two levels down, saved up the chain. */
    level1 = first_embedded(message, &a1);
    level1->lpVtbl->Release(level1);
    a1->lpVtbl->Release(a1);
    assert_int_equal(message->lpVtbl->OpenAttach(message, 0, NULL, MAPI_MODIFY, &a1), S_OK);
    level1 = open_embedded(a1, MAPI_MODIFY);
    assert_int_equal(level1->lpVtbl->SetReadFlag(level1, 0), S_OK); /* the copy's, not the store's */
    assert_int_equal(level1->lpVtbl->SaveChanges(level1, 0), S_OK);
    assert_int_equal(a1->lpVtbl->SaveChanges(a1, 0), S_OK);
    level1->lpVtbl->Release(level1);
    a1->lpVtbl->Release(a1);
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK);
    message->lpVtbl->Release(message);

    /* A copy takes the whole chain; deleting the original leaves the copy's. */
    other = make_folder(s.store, "Copies");
    bin.cb = cb;
    bin.lpb = entryid;
    list.cValues = 1;
    list.lpbin = &bin;
    assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->CopyMessages(folder, &list, NULL, other, 0, NULL, 0), S_OK);
    assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->DeleteMessages(folder, &list, 0, NULL, 0), S_OK);
    value = prop_of_first_row(other, PR_ENTRYID);
    copy = open_message(s.store, value->Value.bin.lpb, value->Value.bin.cb, 0);
    mapisim_FreeBuffer(value);
    assert_embedded_chain(copy);
    level1 = first_embedded(copy, &a1);
    assert_true(long_prop((IMAPIProp *)level1, PR_MESSAGE_FLAGS) & MSGFLAG_READ);
    level1->lpVtbl->Release(level1);
    a1->lpVtbl->Release(a1);
    copy->lpVtbl->Release(copy);
    other->lpVtbl->Release(other);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
    mapisim_remove_store(path);
}

static void attachments_refuse_bad_input_and_what_msstore_does_not_do(void **state)
{
    static const SPropValue num = {PR_ATTACH_NUM, 0, {.l = 7}};
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message, *read_only;
    IAttach *attach = (IAttach *)1;
    IUnknown *unknown = (IUnknown *)1;
    SPropProblemArray *problems = NULL;
    BYTE entryid[64];
    ULONG cb, number = 5;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Refusals");
    message = save_new(folder, L"Refusals", 0);
    assert_int_equal(message->lpVtbl->OpenAttach(message, 0, NULL, 0, &attach), MAPI_E_NOT_FOUND);
    assert_null(attach);
    assert_int_equal(message->lpVtbl->CreateAttach(message, &IID_IMAPIFolder, 0, &number, &attach),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_int_equal(number, 0);
    assert_int_equal(message->lpVtbl->CreateAttach(message, NULL, 0x100, &number, &attach), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(message->lpVtbl->CreateAttach(message, NULL, 0, NULL, &attach), MAPI_E_INVALID_PARAMETER);
    attach = create_attach(message, 0, L"x.txt", ATTACH_BY_VALUE);
    assert_int_equal(attach->lpVtbl->SetProps(attach, 1, (SPropValue *)&num, &problems), S_OK);
    assert_non_null(problems);
    assert_int_equal(problems->aProblem[0].scode, MAPI_E_COMPUTED);
    mapisim_FreeBuffer(problems);
    assert_int_equal(long_prop((IMAPIProp *)attach, PR_ATTACH_NUM), 0);
    assert_int_equal(attach->lpVtbl->OpenProperty(attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0, &unknown),
                     MAPI_E_NOT_FOUND); /* by value: no embedded message */
    assert_null(unknown);
    assert_int_equal(attach->lpVtbl->OpenProperty(attach, PR_ATTACH_DATA_OBJ, &IID_IStorage, 0, MAPI_CREATE, &unknown),
                     MAPI_E_NO_SUPPORT); /* no OLE attachments: not STORE_OLE_OK */
    assert_int_equal(attach->lpVtbl->SaveChanges(attach, 0), S_OK);
    attach->lpVtbl->Release(attach);
    assert_int_equal(ABI_VTBL(IMessage, message)->DeleteAttach(message, 0, 0, NULL, 0x100), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(message->lpVtbl->SaveChanges(message, KEEP_OPEN_READWRITE), S_OK);
    cb = entryid_of(message, entryid);

    /* Opened read-only: attachments to read, not to change. */
    read_only = open_message(s.store, entryid, cb, 0);
    assert_int_equal(read_only->lpVtbl->CreateAttach(read_only, NULL, 0, &number, &attach), MAPI_E_NO_ACCESS);
    assert_int_equal(read_only->lpVtbl->OpenAttach(read_only, 0, NULL, MAPI_MODIFY, &attach), MAPI_E_NO_ACCESS);
    assert_int_equal(read_only->lpVtbl->OpenAttach(read_only, 0, NULL, 0, &attach), S_OK);
    assert_int_equal(attach->lpVtbl->SaveChanges(attach, 0), MAPI_E_NO_ACCESS);
    attach->lpVtbl->Release(attach);
    assert_int_equal(ABI_VTBL(IMessage, read_only)->DeleteAttach(read_only, 0, 0, NULL, 0), MAPI_E_NO_ACCESS);

    /* The message deleted under an open attachment: the attachment says so. */
    assert_int_equal(read_only->lpVtbl->OpenAttach(read_only, 0, NULL, 0, &attach), S_OK);
    {
        SBinary bin = {cb, entryid};
        ENTRYLIST list = {1, &bin};
        assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->DeleteMessages(folder, &list, 0, NULL, 0), S_OK);
    }
    assert_int_equal(attach->lpVtbl->SaveChanges(attach, 0), MAPI_E_NO_ACCESS);
    {
        SPropValue *values = NULL;
        ULONG count = 0;
        assert_int_equal(attach->lpVtbl->GetProps(attach, NULL, 0, &count, &values), MAPI_E_OBJECT_DELETED);
    }
    attach->lpVtbl->Release(attach);
    read_only->lpVtbl->Release(read_only);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

static void attachments_and_embedded_messages_held_across_logoff_answer_invalid_object(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message, *embedded;
    IAttach *attach;
    IUnknown *unknown = NULL;
    SPropValue *values = NULL;
    ULONG count = 0;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Held attachments");
    message = save_new(folder, L"Held", 0);
    embedded = embed_new(message, 0, L"Inside", &attach);
    session_logoff(&s);
    assert_int_equal(attach->lpVtbl->GetProps(attach, NULL, 0, &count, &values), MAPI_E_INVALID_OBJECT);
    assert_int_equal(attach->lpVtbl->SaveChanges(attach, 0), MAPI_E_INVALID_OBJECT);
    assert_int_equal(attach->lpVtbl->OpenProperty(attach, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0, &unknown),
                     MAPI_E_INVALID_OBJECT);
    assert_int_equal(embedded->lpVtbl->SaveChanges(embedded, 0), MAPI_E_INVALID_OBJECT);
    assert_int_equal(set_subject(embedded, L"After"), MAPI_E_INVALID_OBJECT);
    /* The embedded message holds its attachment, the attachment its message: released in any order. */
    assert_int_equal(message->lpVtbl->Release(message), 1);
    assert_int_equal(attach->lpVtbl->Release(attach), 1);
    assert_int_equal(embedded->lpVtbl->Release(embedded), 0);
    folder->lpVtbl->Release(folder);
    session_finish(&s); /* fails on any block left */
}

/* ---- named properties ---- */

/* {6ED8DA90-450B-101B-98DA-00AA003F1305}-like, but msstore's tests' own property set. */
static GUID test_property_set = {0x6d5d1a2b, 0x33c4, 0x4e91, {0x8f, 0x1e, 0x27, 0x5a, 0x90, 0x41, 0xc3, 0x77}};

/* The two names the tests map: a string in PS_PUBLIC_STRINGS and a number in the tests' own set. */
static void test_names(MAPINAMEID names[2], MAPINAMEID *list[2])
{
    names[0].lpguid = (GUID *)&PS_PUBLIC_STRINGS;
    names[0].ulKind = MNID_STRING;
    names[0].Kind.lpwstrName = (WCHAR *)L"Keywords";
    names[1].lpguid = &test_property_set;
    names[1].ulKind = MNID_ID;
    names[1].Kind.lID = 0x8501;
    list[0] = &names[0];
    list[1] = &names[1];
}

/* GetIDsFromNames of the test names on object: its result, the two tags in ids. */
static HRESULT ids_of_test_names(IMAPIProp *object, ULONG flags, ULONG ids[2])
{
    MAPINAMEID names[2], *list[2];
    SPropTagArray *tags = NULL;
    HRESULT hr;
    test_names(names, list);
    hr = object->lpVtbl->GetIDsFromNames(object, 2, list, flags, &tags);
    if (FAILED(hr)) return hr;
    assert_int_equal(tags->cValues, 2);
    ids[0] = tags->aulPropTag[0];
    ids[1] = tags->aulPropTag[1];
    mapisim_FreeBuffer(tags);
    return hr;
}

static void assert_same_signature(IMAPIProp *a, IMAPIProp *b)
{
    SPropValue *x = get_prop(a, PR_MAPPING_SIGNATURE), *y = get_prop(b, PR_MAPPING_SIGNATURE);
    assert_int_equal(x->ulPropTag, PR_MAPPING_SIGNATURE);
    assert_int_equal(y->ulPropTag, PR_MAPPING_SIGNATURE);
    assert_int_equal(x->Value.bin.cb, sizeof(MAPIUID));
    assert_memory_equal(x->Value.bin.lpb, y->Value.bin.lpb, sizeof(MAPIUID));
    mapisim_FreeBuffer(x);
    mapisim_FreeBuffer(y);
}

static void named_properties_are_one_mapping_for_the_whole_store_across_sessions(void **state)
{
    WCHAR path[MAX_PATH];
    struct mapisim_session s;
    IMAPIFolder *folder;
    IMessage *message;
    IAttach *attach;
    ULONG ids[2], again[2], count = 0;
    SPropTagArray *tags;
    MAPINAMEID **names = NULL;
    SPropValue keywords;
    BYTE entryid[64];
    ULONG cb;
    (void)state;
    mapisim_scratch_store_path(path);
    session_start_on(&s, path);
    assert_int_equal(ids_of_test_names((IMAPIProp *)s.store, 0, ids), MAPI_W_ERRORS_RETURNED);
    assert_int_equal(ids[0], PROP_TAG(PT_ERROR, 0));
    assert_int_equal(ids[1], PROP_TAG(PT_ERROR, 0));
    assert_int_equal(ids_of_test_names((IMAPIProp *)s.store, MAPI_CREATE, ids), S_OK);
    assert_true(PROP_ID(ids[0]) >= 0x8000 && PROP_ID(ids[1]) >= 0x8000 && PROP_ID(ids[0]) != PROP_ID(ids[1]));
    assert_int_equal(PROP_TYPE(ids[0]), PT_UNSPECIFIED);
    folder = make_folder(s.store, "Named");
    message = save_new(folder, L"Named", 0);
    assert_int_equal(ids_of_test_names((IMAPIProp *)folder, 0, again), S_OK);
    assert_memory_equal(again, ids, sizeof(ids));
    assert_int_equal(ids_of_test_names((IMAPIProp *)message, MAPI_CREATE, again), S_OK); /* mapped once only */
    assert_memory_equal(again, ids, sizeof(ids));
    attach = create_attach(message, 0, L"named.txt", ATTACH_BY_VALUE);
    assert_int_equal(ids_of_test_names((IMAPIProp *)attach, 0, again), S_OK);
    assert_memory_equal(again, ids, sizeof(ids));
    assert_same_signature((IMAPIProp *)s.store, (IMAPIProp *)folder);
    assert_same_signature((IMAPIProp *)folder, (IMAPIProp *)message);
    assert_same_signature((IMAPIProp *)message, (IMAPIProp *)attach);
    attach->lpVtbl->Release(attach);

    /* Names of ids: the two mapped, a PS_MAPI one below 0x8000, none for an id never mapped. */
    assert_int_equal(mapisim_AllocateBuffer(CbNewSPropTagArray(4), (void **)&tags), S_OK);
    tags->cValues = 4;
    tags->aulPropTag[0] = ids[1];
    tags->aulPropTag[1] = PR_SUBJECT_W;
    tags->aulPropTag[2] = PROP_TAG(PT_LONG, 0xFFF0);
    tags->aulPropTag[3] = ids[0];
    assert_int_equal(message->lpVtbl->GetNamesFromIDs(message, &tags, NULL, 0, &count, &names), MAPI_W_ERRORS_RETURNED);
    assert_int_equal(count, 4);
    assert_true(IsEqualGUID(names[0]->lpguid, &test_property_set));
    assert_int_equal(names[0]->ulKind, MNID_ID);
    assert_int_equal(names[0]->Kind.lID, 0x8501);
    assert_true(IsEqualGUID(names[1]->lpguid, &PS_MAPI));
    assert_int_equal(names[1]->Kind.lID, PROP_ID(PR_SUBJECT_W));
    assert_null(names[2]);
    assert_true(IsEqualGUID(names[3]->lpguid, &PS_PUBLIC_STRINGS));
    assert_int_equal(names[3]->ulKind, MNID_STRING);
    assert_true(!wcscmp(names[3]->Kind.lpwstrName, L"Keywords"));
    mapisim_FreeBuffer(names);
    mapisim_FreeBuffer(tags);

    /* Every name, then only those of one property set, then no strings. */
    tags = NULL;
    assert_int_equal(folder->lpVtbl->GetNamesFromIDs(folder, &tags, NULL, 0, &count, &names), S_OK);
    assert_int_equal(count, 2);
    assert_int_equal(tags->cValues, 2);
    mapisim_FreeBuffer(names);
    mapisim_FreeBuffer(tags);
    tags = NULL;
    assert_int_equal(folder->lpVtbl->GetNamesFromIDs(folder, &tags, (GUID *)&PS_PUBLIC_STRINGS, 0, &count, &names),
                     S_OK);
    assert_int_equal(count, 1);
    assert_int_equal(tags->aulPropTag[0], ids[0]);
    mapisim_FreeBuffer(names);
    mapisim_FreeBuffer(tags);
    tags = NULL;
    assert_int_equal(folder->lpVtbl->GetNamesFromIDs(folder, &tags, NULL, MAPI_NO_STRINGS, &count, &names), S_OK);
    assert_int_equal(count, 1);
    assert_int_equal(names[0]->ulKind, MNID_ID);
    mapisim_FreeBuffer(names);
    mapisim_FreeBuffer(tags);

    /* A value of a named property, kept like any other. */
    keywords.ulPropTag = PROP_TAG(PT_UNICODE, PROP_ID(ids[0]));
    keywords.Value.lpszW = (WCHAR *)L"urgent";
    assert_int_equal(message->lpVtbl->SetProps(message, 1, &keywords, NULL), S_OK);
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK);
    cb = entryid_of(message, entryid);
    message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    session_finish(&s);

    /* The next session, read-only: the same ids; nothing new can be mapped. */
    session_start_read_only_on(&s, path);
    assert_int_equal(ids_of_test_names((IMAPIProp *)s.store, 0, again), S_OK);
    assert_memory_equal(again, ids, sizeof(ids));
    message = open_message(s.store, entryid, cb, 0);
    {
        SPropValue *value = get_prop((IMAPIProp *)message, keywords.ulPropTag);
        assert_int_equal(value->ulPropTag, keywords.ulPropTag);
        assert_true(!wcscmp(value->Value.lpszW, L"urgent"));
        mapisim_FreeBuffer(value);
    }
    {
        MAPINAMEID other = {&test_property_set, MNID_ID, {.lID = 0x8502}}, *list[1] = {&other};
        assert_int_equal(message->lpVtbl->GetIDsFromNames(message, 1, list, MAPI_CREATE, &tags), MAPI_E_NO_ACCESS);
        assert_null(tags);
    }
    message->lpVtbl->Release(message);
    session_finish(&s);
    mapisim_remove_store(path);
}

static void named_property_calls_refuse_bad_input(void **state)
{
    struct mapisim_session s;
    MAPINAMEID no_guid = {NULL, MNID_ID, {.lID = 1}}, empty = {&test_property_set, MNID_STRING, {.lpwstrName = NULL}};
    MAPINAMEID bad_kind = {&test_property_set, 7, {.lID = 1}}, *list[3] = {&no_guid, &empty, &bad_kind};
    SPropTagArray *tags = (SPropTagArray *)1;
    MAPINAMEID **names = NULL;
    ULONG count = 0;
    (void)state;
    session_start(&s);
    assert_int_equal(s.store->lpVtbl->GetIDsFromNames(s.store, 3, list, MAPI_CREATE, &tags), MAPI_W_ERRORS_RETURNED);
    assert_int_equal(tags->aulPropTag[0], PROP_TAG(PT_ERROR, 0));
    assert_int_equal(tags->aulPropTag[1], PROP_TAG(PT_ERROR, 0));
    assert_int_equal(tags->aulPropTag[2], PROP_TAG(PT_ERROR, 0));
    mapisim_FreeBuffer(tags);
    assert_int_equal(s.store->lpVtbl->GetIDsFromNames(s.store, 2, NULL, 0, &tags), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(s.store->lpVtbl->GetIDsFromNames(s.store, 1, list, 0x1000, &tags), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(s.store->lpVtbl->GetIDsFromNames(s.store, 1, list, 0, NULL), MAPI_E_INVALID_PARAMETER);
    tags = NULL;
    assert_int_equal(s.store->lpVtbl->GetNamesFromIDs(s.store, &tags, NULL, 0x1000, &count, &names),
                     MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(s.store->lpVtbl->GetNamesFromIDs(s.store, NULL, NULL, 0, &count, &names),
                     MAPI_E_INVALID_PARAMETER);
    /* A new store has no names; asking for all of them gives none. */
    assert_int_equal(s.store->lpVtbl->GetNamesFromIDs(s.store, &tags, NULL, 0, &count, &names), S_OK);
    assert_int_equal(count, 0);
    mapisim_FreeBuffer(names);
    mapisim_FreeBuffer(tags);
    session_finish(&s);
}

/* ---- CopyTo and CopyProps ---- */

#define BIG_BODY_CHARS 20000

/* A message with a subject, a big body, a named value, three recipients and two attachments (one embedded). */
static IMessage *build_rich_message(IMsgStore *store, IMAPIFolder *folder, ULONG named_id)
{
    static WCHAR body[BIG_BODY_CHARS + 1];
    struct recipient_values v[3];
    ADRENTRY entries[3];
    SizedADRLIST(3, list);
    SPropValue values[2];
    IMessage *message, *level1, *level2;
    IAttach *attach, *a1, *a2;
    ULONG i;
    (void)store;
    for (i = 0; i < BIG_BODY_CHARS; i++) body[i] = (WCHAR)(L'a' + i % 26);
    body[BIG_BODY_CHARS] = 0;
    assert_int_equal(folder->lpVtbl->CreateMessage(folder, NULL, 0, &message), S_OK);
    values[0].ulPropTag = PR_SUBJECT_W;
    values[0].Value.lpszW = (WCHAR *)L"Rich";
    values[1].ulPropTag = PROP_TAG(PT_LONG, PROP_ID(named_id));
    values[1].Value.l = 4242;
    assert_int_equal(message->lpVtbl->SetProps(message, 2, values, NULL), S_OK);
    values[0].ulPropTag = PR_BODY_W;
    values[0].Value.lpszW = body;
    assert_int_equal(message->lpVtbl->SetProps(message, 1, values, NULL), S_OK);
    entries[0] = recipient(&v[0], L"Ann", MAPI_TO, 0);
    entries[1] = recipient(&v[1], L"Bob", MAPI_CC, 0);
    entries[2] = recipient(&v[2], L"Cy", MAPI_BCC, 0);
    list.cEntries = 3;
    memcpy(list.aEntries, entries, sizeof(entries));
    assert_int_equal(message->lpVtbl->ModifyRecipients(message, 0, (LPADRLIST)&list), S_OK);
    attach = create_attach(message, 0, L"data.bin", ATTACH_BY_VALUE);
    write_attach_data(attach, ATTACH_DATA_SIZE);
    assert_int_equal(attach->lpVtbl->SaveChanges(attach, 0), S_OK);
    attach->lpVtbl->Release(attach);
    level1 = embed_new(message, 1, L"Level 1", &a1);
    level2 = embed_new(level1, 0, L"Level 2", &a2);
    assert_int_equal(level2->lpVtbl->SaveChanges(level2, 0), S_OK);
    assert_int_equal(a2->lpVtbl->SaveChanges(a2, 0), S_OK);
    assert_int_equal(level1->lpVtbl->SaveChanges(level1, 0), S_OK);
    assert_int_equal(a1->lpVtbl->SaveChanges(a1, 0), S_OK);
    level2->lpVtbl->Release(level2);
    a2->lpVtbl->Release(a2);
    level1->lpVtbl->Release(level1);
    a1->lpVtbl->Release(a1);
    return message;
}

/* What build_rich_message made, in message (its subject checked by the caller), the named value at named_id. */
static void assert_rich_contents(IMessage *message, ULONG named_id)
{
    WCHAR names[4][16];
    LONG ids[4], nums[4];
    IAttach *attach;
    IStream *body;
    SPropValue *value;
    assert_int_equal(long_prop((IMAPIProp *)message, PROP_TAG(PT_LONG, PROP_ID(named_id))), 4242);
    value = get_prop((IMAPIProp *)message, PR_BODY_W);
    assert_int_equal(value->Value.err, MAPI_E_NOT_ENOUGH_MEMORY); /* over 16 KB: a stream's */
    mapisim_FreeBuffer(value);
    body = open_stream(message, PR_BODY_W, 0);
    assert_true(stream_size(body) == BIG_BODY_CHARS * sizeof(WCHAR));
    body->lpVtbl->Release(body);
    assert_int_equal(recipient_rows(message, ids, names, 4), 3);
    assert_true(!wcscmp(names[0], L"Ann") && !wcscmp(names[1], L"Bob") && !wcscmp(names[2], L"Cy"));
    assert_display(message, PR_DISPLAY_CC_W, L"Bob");
    assert_int_equal(attachment_rows(message, nums, names, 4), 2);
    assert_int_equal(message->lpVtbl->OpenAttach(message, (ULONG)nums[0], NULL, 0, &attach), S_OK);
    assert_attach_data(attach, ATTACH_DATA_SIZE);
    attach->lpVtbl->Release(attach);
    assert_int_equal(message->lpVtbl->OpenAttach(message, (ULONG)nums[1], NULL, 0, &attach), S_OK);
    {
        IMessage *level1 = open_embedded(attach, 0), *level2;
        IAttach *inner;
        assert_subject(level1, L"Level 1");
        level2 = first_embedded(level1, &inner);
        assert_subject(level2, L"Level 2");
        level2->lpVtbl->Release(level2);
        inner->lpVtbl->Release(inner);
        level1->lpVtbl->Release(level1);
    }
    attach->lpVtbl->Release(attach);
}

static ULONG map_one_name(IMAPIProp *object, const WCHAR *name)
{
    MAPINAMEID id = {(GUID *)&PS_PUBLIC_STRINGS, MNID_STRING, {.lpwstrName = (WCHAR *)name}}, *list[1] = {&id};
    SPropTagArray *tags = NULL;
    ULONG tag;
    assert_int_equal(object->lpVtbl->GetIDsFromNames(object, 1, list, MAPI_CREATE, &tags), S_OK);
    tag = tags->aulPropTag[0];
    mapisim_FreeBuffer(tags);
    return tag;
}

static void copy_to_copies_a_whole_message_with_its_recipients_attachments_and_names(void **state)
{
    static const SizedSPropTagArray(1, no_subject) = {1, {PR_SUBJECT_W}};
    struct mapisim_session s;
    IMAPIFolder *folder, *other;
    IMessage *source, *copy;
    SPropProblemArray *problems = (SPropProblemArray *)1;
    ULONG named;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Copy source");
    other = make_folder(s.store, "Copy destination");
    named = map_one_name((IMAPIProp *)s.store, L"Rich count");
    source = build_rich_message(s.store, folder, named); /* unsaved: CopyTo copies the object's copy */
    assert_int_equal(other->lpVtbl->CreateMessage(other, NULL, 0, &copy), S_OK);
    assert_int_equal(ABI_VTBL(IMessage, source)->CopyTo(source, 0, NULL, (LPSPropTagArray)&no_subject, 0, NULL,
                                                        &IID_IMessage, copy, 0, &problems),
                     S_OK);
    assert_null(problems);
    assert_int_equal(copy->lpVtbl->SaveChanges(copy, KEEP_OPEN_READWRITE), S_OK);
    assert_subject(copy, NULL); /* excluded */
    assert_rich_contents(copy, named);
    assert_true(has_attach(copy));
    copy->lpVtbl->Release(copy);
    source->lpVtbl->Release(source);
    other->lpVtbl->Release(other);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

static void copy_to_another_store_maps_named_properties_by_name(void **state)
{
    WCHAR path_a[MAX_PATH], path_b[MAX_PATH];
    struct mapisim_session a, b;
    IMAPIFolder *folder_a, *folder_b;
    IMessage *source, *copy;
    SPropProblemArray *problems = NULL;
    ULONG named_a, named_b;
    (void)state;
    mapisim_scratch_store_path(path_a);
    mapisim_scratch_store_path(path_b);
    session_start_on(&a, path_a);
    session_start_on(&b, path_b);
    folder_a = make_folder(a.store, "From");
    folder_b = make_folder(b.store, "To");
    named_a = map_one_name((IMAPIProp *)a.store, L"Rich count");
    map_one_name((IMAPIProp *)b.store, L"Something else first"); /* so that the two stores' ids differ */
    source = build_rich_message(a.store, folder_a, named_a);
    assert_int_equal(folder_b->lpVtbl->CreateMessage(folder_b, NULL, 0, &copy), S_OK);
    assert_int_equal(ABI_VTBL(IMessage, source)->CopyTo(source, 0, NULL, NULL, 0, NULL, NULL, copy, 0, &problems),
                     S_OK);
    assert_null(problems);
    named_b = map_one_name((IMAPIProp *)copy, L"Rich count");
    assert_int_not_equal(PROP_ID(named_a), PROP_ID(named_b));
    assert_int_equal(copy->lpVtbl->SaveChanges(copy, KEEP_OPEN_READWRITE), S_OK);
    assert_subject(copy, L"Rich");
    assert_rich_contents(copy, named_b);
    copy->lpVtbl->Release(copy);
    source->lpVtbl->Release(source);
    folder_b->lpVtbl->Release(folder_b);
    folder_a->lpVtbl->Release(folder_a);
    session_finish_together(&a, &b);
    mapisim_remove_store(path_a);
    mapisim_remove_store(path_b);
}

static void copy_props_noreplace_and_move_copy_what_they_say(void **state)
{
    static const SizedSPropTagArray(2, subject_and_recipients) = {2, {PR_SUBJECT_W, PR_MESSAGE_RECIPIENTS}};
    struct mapisim_session s;
    IMAPIFolder *folder, *other;
    IMessage *source, *copy;
    WCHAR names[4][16];
    LONG ids[4];
    ULONG named;
    (void)state;
    session_start(&s);
    folder = make_folder(s.store, "Props source");
    other = make_folder(s.store, "Props destination");
    named = map_one_name((IMAPIProp *)s.store, L"Rich count");
    source = build_rich_message(s.store, folder, named);

    /* CopyProps: the subject and the recipients, nothing else. */
    assert_int_equal(other->lpVtbl->CreateMessage(other, NULL, 0, &copy), S_OK);
    assert_int_equal(ABI_VTBL(IMessage, source)->CopyProps(source, (LPSPropTagArray)&subject_and_recipients, 0, NULL,
                                                           &IID_IMessage, copy, 0, NULL),
                     S_OK);
    assert_subject(copy, L"Rich");
    assert_int_equal(recipient_rows(copy, ids, names, 4), 3);
    assert_int_equal(attachment_rows(copy, ids, names, 4), 0);
    {
        SPropValue *value = get_prop((IMAPIProp *)copy, PR_BODY_W);
        assert_int_equal(PROP_TYPE(value->ulPropTag), PT_ERROR);
        assert_int_equal(value->Value.err, MAPI_E_NOT_FOUND);
        mapisim_FreeBuffer(value);
    }
    copy->lpVtbl->Release(copy);

    /* MAPI_NOREPLACE: the destination's subject stays. */
    assert_int_equal(other->lpVtbl->CreateMessage(other, NULL, 0, &copy), S_OK);
    assert_int_equal(set_subject(copy, L"Kept"), S_OK);
    assert_int_equal(ABI_VTBL(IMessage, source)->CopyTo(source, 0, NULL, NULL, 0, NULL, &IID_IMessage, copy,
                                                        MAPI_NOREPLACE, NULL),
                     S_OK);
    assert_subject(copy, L"Kept");
    assert_rich_contents(copy, named);
    copy->lpVtbl->Release(copy);

    /* MAPI_MOVE: what was copied leaves the source's copy. */
    assert_int_equal(other->lpVtbl->CreateMessage(other, NULL, 0, &copy), S_OK);
    assert_int_equal(ABI_VTBL(IMessage, source)->CopyProps(source, (LPSPropTagArray)&subject_only, 0, NULL,
                                                           &IID_IMessage, copy, MAPI_MOVE, NULL),
                     S_OK);
    assert_subject(copy, L"Rich");
    assert_subject(source, NULL);
    copy->lpVtbl->Release(copy);

    /* Refusals. */
    assert_int_equal(ABI_VTBL(IMessage, source)->CopyTo(source, 0, NULL, NULL, 0, NULL, &IID_IMAPIFolder, other, 0,
                                                        NULL),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_int_equal(ABI_VTBL(IMessage, source)->CopyTo(source, 0, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ABI_VTBL(IMessage, source)->CopyTo(source, 0, NULL, NULL, 0, NULL, NULL, source, 0x40000000,
                                                        NULL),
                     MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(ABI_VTBL(IMessage, source)->CopyProps(source, NULL, 0, NULL, NULL, source, 0, NULL),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ABI_VTBL(IMAPIFolder, folder)->CopyTo(folder, 0, NULL, NULL, 0, NULL, NULL, other, 0, NULL),
                     MAPI_E_NO_SUPPORT);
    source->lpVtbl->Release(source);
    other->lpVtbl->Release(other);
    folder->lpVtbl->Release(folder);
    session_finish(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_message_has_an_entry_id_once_saved_and_opens_by_it),
        cmocka_unit_test(a_saved_message_is_in_the_file_for_the_next_session),
        cmocka_unit_test(changes_not_saved_are_gone_with_the_object),
        cmocka_unit_test(every_property_type_comes_back_as_it_was_set),
        cmocka_unit_test(a_narrow_string_is_read_in_the_messages_code_page),
        cmocka_unit_test(computed_properties_are_refused_and_always_right),
        cmocka_unit_test(a_new_message_is_unsent_and_associated_ones_say_so),
        cmocka_unit_test(a_value_over_16_kb_is_kept_but_not_enough_memory_in_get_props),
        cmocka_unit_test(delete_props_then_save_removes_the_value_for_good),
        cmocka_unit_test(a_stale_copy_saves_object_changed_unless_forced),
        cmocka_unit_test(every_save_renews_the_change_key_and_lists_it_first),
        cmocka_unit_test(times_and_keys_a_client_brings_are_kept),
        cmocka_unit_test(contents_tables_list_saved_messages_and_follow_changes),
        cmocka_unit_test(table_rows_cut_long_strings_and_leave_out_big_values),
        cmocka_unit_test(delete_messages_refuses_what_is_not_a_message_id_of_this_store),
        cmocka_unit_test(set_read_flag_commits_at_once_and_the_object_saves_on),
        cmocka_unit_test(empty_folder_and_delete_folder_take_the_messages_with_them),
        cmocka_unit_test(message_status_is_kept_by_the_store_bit_by_bit),
        cmocka_unit_test(recipients_are_added_changed_and_removed_by_row_id),
        cmocka_unit_test(five_hundred_recipients_are_saved_and_read_back),
        cmocka_unit_test(modify_recipients_refuses_bad_input_and_changes_nothing),
        cmocka_unit_test(a_big_value_streamed_in_64_kb_writes_is_saved_and_read_back_whole),
        cmocka_unit_test(a_string_stream_reads_and_writes_in_the_width_asked),
        cmocka_unit_test(a_stream_seeks_grows_and_answers_as_any_istream),
        cmocka_unit_test(streams_refuse_what_they_cannot_do),
        cmocka_unit_test(copy_messages_copies_and_moves_within_the_store),
        cmocka_unit_test(a_list_naming_messages_twice_acts_on_each_once),
        cmocka_unit_test(a_message_saved_in_its_receive_folder_is_new_mail),
        cmocka_unit_test(a_read_only_logon_or_object_changes_nothing),
        cmocka_unit_test(messages_held_across_logoff_answer_invalid_object_and_leak_nothing),
        cmocka_unit_test(a_body_changed_alone_deletes_rtf_in_sync),
        cmocka_unit_test(submit_message_is_no_support_without_a_transport),
        cmocka_unit_test(attachments_by_value_are_saved_with_their_message_and_read_back),
        cmocka_unit_test(attachments_changed_and_deleted_reach_the_store_with_the_messages_save),
        cmocka_unit_test(embedded_messages_two_levels_deep_are_saved_copied_and_deleted_with_their_parent),
        cmocka_unit_test(attachments_refuse_bad_input_and_what_msstore_does_not_do),
        cmocka_unit_test(attachments_and_embedded_messages_held_across_logoff_answer_invalid_object),
        cmocka_unit_test(named_properties_are_one_mapping_for_the_whole_store_across_sessions),
        cmocka_unit_test(named_property_calls_refuse_bad_input),
        cmocka_unit_test(copy_to_copies_a_whole_message_with_its_recipients_attachments_and_names),
        cmocka_unit_test(copy_to_another_store_maps_named_properties_by_name),
        cmocka_unit_test(copy_props_noreplace_and_move_copy_what_they_say),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
