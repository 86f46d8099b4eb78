/*
 * The round trip of a whole message through the store file and another
 * process: a message holding every property type (single- and
 * multi-valued), strings of both widths, a 10 MB attachment streamed in
 * 64 KB writes, an embedded message two levels deep and 500 recipients is
 * saved and its store closed; then this program is started again,
 *   test_round_trip.exe --check STORE ENTRYID
 * opens the store in its own process, and every value must compare equal to
 * what was written (it exits with the number of differences). The same
 * again with a .msg file between two stores: exported by tools/msg,
 * imported as a new message of another store, checked in a new process.
 */
#include "harness.h"

#include "mapi/props.h"
#include "msg/msg_mapi.h"
#include "msg/msg_ole.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECIPIENTS 500
#define ATTACHMENT_SIZE (10 * 1024 * 1024)
#define WRITE_SIZE 65536
#define EVERY_TYPE_COUNT 27

/* ---- what is written, the same in both processes ---- */

static GUID guid = {0x12345678, 0x9abc, 0xdef0, {1, 2, 3, 4, 5, 6, 7, 8}};
static GUID guids[] = {{1, 2, 3, {4}}, {5, 6, 7, {8}}};
static short shorts[] = {-1, 2, 300};
static LONG longs[] = {7, -8};
static float floats[] = {0.25f, -8.5f};
static double doubles[] = {1.5, -2.25};
static CURRENCY currencies[] = {{.int64 = 12345}, {.int64 = -1}};
static double apptimes[] = {45000.5, 1.0};
static LARGE_INTEGER i8s[] = {{.QuadPart = 1}, {.QuadPart = -5000000000LL}};
static FILETIME times[] = {{1, 0x01d00000}, {2, 0x01d90000}};
static char narrow_a[] = "one", narrow_b[] = "two \xe9"; /* 0xe9: é in the message's code page, 1252 */
static LPSTR narrows[] = {narrow_a, narrow_b};
static WCHAR wide_a[] = L"\u00e9t\u00e9", wide_b[] = L"\u65e5\u672c";
static LPWSTR wides[] = {wide_a, wide_b};
static BYTE bytes_a[] = {0, 1, 2}, bytes_b[] = {0xff};
static SBinary bins[] = {{3, bytes_a}, {1, bytes_b}};

/* Every type MAPI stores, single and multi-valued, and the message's code page for its narrow strings. */
static void every_type(SPropValue v[EVERY_TYPE_COUNT])
{
    int i = 0;
    memset(v, 0, EVERY_TYPE_COUNT * sizeof(*v));
    v[i].ulPropTag = PR_MESSAGE_CODEPAGE, v[i++].Value.l = 1252;
    v[i].ulPropTag = PROP_TAG(PT_I2, 0x6700), v[i++].Value.i = -12;
    v[i].ulPropTag = PROP_TAG(PT_LONG, 0x6701), v[i++].Value.l = 123456;
    v[i].ulPropTag = PROP_TAG(PT_FLOAT, 0x6702), v[i++].Value.flt = 0.5f;
    v[i].ulPropTag = PROP_TAG(PT_DOUBLE, 0x6703), v[i++].Value.dbl = 3.25;
    v[i].ulPropTag = PROP_TAG(PT_CURRENCY, 0x6704), v[i++].Value.cur.int64 = 99999;
    v[i].ulPropTag = PROP_TAG(PT_APPTIME, 0x6705), v[i++].Value.at = 45000.5;
    v[i].ulPropTag = PROP_TAG(PT_BOOLEAN, 0x6706), v[i++].Value.b = 1;
    v[i].ulPropTag = PROP_TAG(PT_I8, 0x6707), v[i++].Value.li.QuadPart = -5000000000LL;
    v[i].ulPropTag = PROP_TAG(PT_SYSTIME, 0x6708), v[i++].Value.ft = times[1];
    v[i].ulPropTag = PROP_TAG(PT_CLSID, 0x6709), v[i++].Value.lpguid = &guid;
    v[i].ulPropTag = PROP_TAG(PT_STRING8, 0x670A), v[i++].Value.lpszA = narrow_b;
    v[i].ulPropTag = PROP_TAG(PT_UNICODE, 0x670B), v[i++].Value.lpszW = wide_b;
    v[i].ulPropTag = PROP_TAG(PT_BINARY, 0x670C), v[i].Value.bin.cb = 3, v[i++].Value.bin.lpb = bytes_a;
    v[i].ulPropTag = PROP_TAG(PT_MV_I2, 0x670D), v[i].Value.MVi.cValues = 3, v[i++].Value.MVi.lpi = shorts;
    v[i].ulPropTag = PROP_TAG(PT_MV_LONG, 0x670E), v[i].Value.MVl.cValues = 2, v[i++].Value.MVl.lpl = longs;
    v[i].ulPropTag = PROP_TAG(PT_MV_FLOAT, 0x670F), v[i].Value.MVflt.cValues = 2, v[i++].Value.MVflt.lpflt = floats;
    v[i].ulPropTag = PROP_TAG(PT_MV_DOUBLE, 0x6710), v[i].Value.MVdbl.cValues = 2, v[i++].Value.MVdbl.lpdbl = doubles;
    v[i].ulPropTag = PROP_TAG(PT_MV_CURRENCY, 0x6711), v[i].Value.MVcur.cValues = 2;
    v[i++].Value.MVcur.lpcur = currencies;
    v[i].ulPropTag = PROP_TAG(PT_MV_APPTIME, 0x6712), v[i].Value.MVat.cValues = 2, v[i++].Value.MVat.lpat = apptimes;
    v[i].ulPropTag = PROP_TAG(PT_MV_I8, 0x6713), v[i].Value.MVli.cValues = 2, v[i++].Value.MVli.lpli = i8s;
    v[i].ulPropTag = PROP_TAG(PT_MV_SYSTIME, 0x6714), v[i].Value.MVft.cValues = 2, v[i++].Value.MVft.lpft = times;
    v[i].ulPropTag = PROP_TAG(PT_MV_CLSID, 0x6715), v[i].Value.MVguid.cValues = 2, v[i++].Value.MVguid.lpguid = guids;
    v[i].ulPropTag = PROP_TAG(PT_MV_STRING8, 0x6716), v[i].Value.MVszA.cValues = 2;
    v[i++].Value.MVszA.lppszA = narrows;
    v[i].ulPropTag = PROP_TAG(PT_MV_UNICODE, 0x6717), v[i].Value.MVszW.cValues = 2;
    v[i++].Value.MVszW.lppszW = wides;
    v[i].ulPropTag = PROP_TAG(PT_MV_BINARY, 0x6718), v[i].Value.MVbin.cValues = 2, v[i++].Value.MVbin.lpbin = bins;
    v[i].ulPropTag = PR_SUBJECT_W, v[i++].Value.lpszW = (LPWSTR)L"Round trip";
    if (i != EVERY_TYPE_COUNT) abort();
}

static BYTE attachment_byte(ULONG i) { return (BYTE)(i * 31 + i / 65536); }

/* Recipient n: its name, type and address. */
static void recipient_values(ULONG n, WCHAR name[32], LONG *type, char address[32])
{
    static const LONG types[] = {MAPI_TO, MAPI_CC, MAPI_BCC};
    swprintf(name, 32, L"Recipient %lu", (unsigned long)n);
    *type = types[n % 3];
    snprintf(address, 32, "r%lu@example.org", (unsigned long)n);
}

/* ---- writing it ---- */

static void add_recipients(IMessage *message, ULONG count)
{
    ADRLIST *list = calloc(1, CbNewADRLIST(count));
    SPropValue (*props)[3] = calloc(count, sizeof(*props));
    WCHAR (*names)[32] = calloc(count, sizeof(*names));
    char (*addresses)[32] = calloc(count, sizeof(*addresses));
    ULONG i;
    assert_non_null(list);
    assert_true(props && names && addresses);
    for (i = 0; i < count; i++) {
        LONG type;
        recipient_values(i, names[i], &type, addresses[i]);
        props[i][0].ulPropTag = PR_DISPLAY_NAME_W, props[i][0].Value.lpszW = names[i];
        props[i][1].ulPropTag = PR_RECIPIENT_TYPE, props[i][1].Value.l = type;
        props[i][2].ulPropTag = PR_EMAIL_ADDRESS_A, props[i][2].Value.lpszA = addresses[i];
        list->aEntries[i].cValues = 3;
        list->aEntries[i].rgPropVals = props[i];
    }
    list->cEntries = count;
    assert_int_equal(message->lpVtbl->ModifyRecipients(message, 0, list), S_OK);
    free(list), free(props), free(names), free(addresses);
}

static void write_big_attachment(IMessage *message)
{
    static BYTE chunk[WRITE_SIZE];
    SPropValue values[2] = {{PR_ATTACH_METHOD, 0, {.l = ATTACH_BY_VALUE}},
                            {PR_ATTACH_LONG_FILENAME_W, 0, {.lpszW = (LPWSTR)L"ten megabytes.bin"}}};
    IUnknown *unknown = NULL;
    IStream *stream;
    IAttach *attach;
    ULONG num, at, i, written;
    assert_int_equal(message->lpVtbl->CreateAttach(message, NULL, 0, &num, &attach), S_OK);
    assert_int_equal(attach->lpVtbl->SetProps(attach, 2, values, NULL), S_OK);
    assert_int_equal(attach->lpVtbl->OpenProperty(attach, PR_ATTACH_DATA_BIN, &IID_IStream, 0,
                                                  MAPI_CREATE | MAPI_MODIFY, &unknown),
                     S_OK);
    stream = (IStream *)unknown;
    for (at = 0; at < ATTACHMENT_SIZE; at += WRITE_SIZE) {
        for (i = 0; i < WRITE_SIZE; i++) chunk[i] = attachment_byte(at + i);
        assert_int_equal(stream->lpVtbl->Write(stream, chunk, WRITE_SIZE, &written), S_OK);
        assert_int_equal(written, WRITE_SIZE);
    }
    assert_int_equal(stream->lpVtbl->Commit(stream, 0), S_OK);
    stream->lpVtbl->Release(stream);
    assert_int_equal(attach->lpVtbl->SaveChanges(attach, 0), S_OK);
    attach->lpVtbl->Release(attach);
}

/* A new attachment of parent holding a new embedded message with subject, every type and 3 recipients (deeper: one more level). */
static void write_embedded(IMessage *parent, const WCHAR *subject, BOOL deeper)
{
    SPropValue values[EVERY_TYPE_COUNT], method = {PR_ATTACH_METHOD, 0, {.l = ATTACH_EMBEDDED_MSG}};
    IUnknown *unknown = NULL;
    IMessage *embedded;
    IAttach *attach;
    ULONG num;
    assert_int_equal(parent->lpVtbl->CreateAttach(parent, NULL, 0, &num, &attach), S_OK);
    assert_int_equal(attach->lpVtbl->SetProps(attach, 1, &method, NULL), S_OK);
    assert_int_equal(attach->lpVtbl->OpenProperty(attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0,
                                                  MAPI_CREATE | MAPI_MODIFY, &unknown),
                     S_OK);
    embedded = (IMessage *)unknown;
    every_type(values);
    values[EVERY_TYPE_COUNT - 1].Value.lpszW = (LPWSTR)subject;
    assert_int_equal(embedded->lpVtbl->SetProps(embedded, EVERY_TYPE_COUNT, values, NULL), S_OK);
    add_recipients(embedded, 3);
    if (deeper) write_embedded(embedded, L"Level 2", FALSE);
    assert_int_equal(embedded->lpVtbl->SaveChanges(embedded, 0), S_OK);
    embedded->lpVtbl->Release(embedded);
    assert_int_equal(attach->lpVtbl->SaveChanges(attach, 0), S_OK);
    attach->lpVtbl->Release(attach);
}

/* ---- checking it, in the other process ---- */

static int differences;

static void differ(const char *what)
{
    fprintf(stderr, "round trip: %s differs\n", what);
    differences++;
}

/* Whether got is want: narrow strings by their bytes (props_equal compares the store's canonical, wide ones). */
static BOOL same_value(const SPropValue *want, const SPropValue *got)
{
    struct prop_list one_want = {1, (SPropValue *)want}, one_got = {1, (SPropValue *)got};
    ULONG i;
    if (want->ulPropTag != got->ulPropTag) return FALSE;
    if (PROP_TYPE(want->ulPropTag) == PT_STRING8) return !strcmp(want->Value.lpszA, got->Value.lpszA);
    if (PROP_TYPE(want->ulPropTag) == PT_MV_STRING8) {
        if (want->Value.MVszA.cValues != got->Value.MVszA.cValues) return FALSE;
        for (i = 0; i < want->Value.MVszA.cValues; i++)
            if (strcmp(want->Value.MVszA.lppszA[i], got->Value.MVszA.lppszA[i])) return FALSE;
        return TRUE;
    }
    return props_equal(&one_want, &one_got);
}

static void check_values(IMAPIProp *object, const WCHAR *subject)
{
    SPropValue expected[EVERY_TYPE_COUNT], *got = NULL;
    SizedSPropTagArray(EVERY_TYPE_COUNT, tags);
    ULONG count = 0, i;
    every_type(expected);
    expected[EVERY_TYPE_COUNT - 1].Value.lpszW = (LPWSTR)subject;
    tags.cValues = EVERY_TYPE_COUNT;
    for (i = 0; i < EVERY_TYPE_COUNT; i++) tags.aulPropTag[i] = expected[i].ulPropTag;
    if (FAILED(object->lpVtbl->GetProps(object, (LPSPropTagArray)&tags, 0, &count, &got))) {
        differ("GetProps");
        return;
    }
    if (count != EVERY_TYPE_COUNT) differ("the number of values");
    for (i = 0; i < count && i < EVERY_TYPE_COUNT; i++) {
        if (!same_value(&expected[i], &got[i])) {
            char what[64];
            snprintf(what, sizeof(what), "property 0x%08lx", (unsigned long)expected[i].ulPropTag);
            differ(what);
        }
    }
    mapisim_FreeBuffer(got);
}

static void check_recipients(IMessage *message, ULONG expected_count)
{
    static const SizedSPropTagArray(3, columns) = {3, {PR_DISPLAY_NAME_W, PR_RECIPIENT_TYPE, PR_EMAIL_ADDRESS_A}};
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    ULONG i;
    if (FAILED(message->lpVtbl->GetRecipientTable(message, MAPI_UNICODE, &table)) ||
        FAILED(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&columns, 0)) ||
        FAILED(table->lpVtbl->QueryRows(table, RECIPIENTS + 10, 0, &rows))) {
        differ("the recipient table");
        if (table) table->lpVtbl->Release(table);
        return;
    }
    if (rows->cRows != expected_count) differ("the recipient count");
    for (i = 0; i < rows->cRows && i < expected_count; i++) {
        const SPropValue *p = rows->aRow[i].lpProps;
        WCHAR name[32];
        char address[32];
        LONG type;
        recipient_values(i, name, &type, address);
        if (p[0].ulPropTag != PR_DISPLAY_NAME_W || wcscmp(p[0].Value.lpszW, name) || p[1].Value.l != type ||
            p[2].ulPropTag != PR_EMAIL_ADDRESS_A || strcmp(p[2].Value.lpszA, address))
            differ("a recipient");
    }
    free_rows(rows);
    table->lpVtbl->Release(table);
}

static void check_big_attachment(IAttach *attach)
{
    static BYTE chunk[WRITE_SIZE];
    IUnknown *unknown = NULL;
    IStream *stream;
    ULONG at = 0, n = 0, i;
    if (FAILED(attach->lpVtbl->OpenProperty(attach, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0, &unknown))) {
        differ("the attachment's stream");
        return;
    }
    stream = (IStream *)unknown;
    while (SUCCEEDED(stream->lpVtbl->Read(stream, chunk, sizeof(chunk), &n)) && n) {
        for (i = 0; i < n; i++)
            if (chunk[i] != attachment_byte(at + i)) {
                differ("the attachment's data");
                n = 0;
                break;
            }
        if (!n) break;
        at += n;
    }
    if (at != ATTACHMENT_SIZE) differ("the attachment's size");
    stream->lpVtbl->Release(stream);
}

static IMessage *open_embedded_of(IMessage *parent, ULONG num, IAttach **attach)
{
    IUnknown *unknown = NULL;
    *attach = NULL;
    if (FAILED(parent->lpVtbl->OpenAttach(parent, num, NULL, 0, attach)) ||
        FAILED((*attach)->lpVtbl->OpenProperty(*attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0, &unknown)))
        return NULL;
    return (IMessage *)unknown;
}

static void check_embedded(IMessage *parent, ULONG num, const WCHAR *subject, BOOL deeper)
{
    IAttach *attach;
    IMessage *embedded = open_embedded_of(parent, num, &attach);
    if (!embedded) {
        differ("an embedded message");
    } else {
        check_values((IMAPIProp *)embedded, subject);
        check_recipients(embedded, 3);
        if (deeper) check_embedded(embedded, 0, L"Level 2", FALSE);
        embedded->lpVtbl->Release(embedded);
    }
    if (attach) attach->lpVtbl->Release(attach);
}

static int run_check(const char *store, const char *entryid_hex)
{
    struct mapisim_session s;
    BYTE entryid[64];
    WCHAR path[MAX_PATH];
    IUnknown *unknown = NULL;
    IMessage *message;
    IAttach *attach = NULL;
    ULONG cb = 0, type = 0;
    unsigned int byte;
    for (; entryid_hex[0] && entryid_hex[1] && cb < sizeof(entryid); entryid_hex += 2)
        if (sscanf(entryid_hex, "%2x", &byte) == 1) entryid[cb++] = (BYTE)byte;
    MultiByteToWideChar(CP_ACP, 0, store, -1, path, MAX_PATH);
    if (FAILED(mapisim_session_init(&s, MSProviderInit))) return 100;
    mapisim_support_use_store(&s.support, path);
    if (FAILED(mapisim_session_logon(&s, 0, "checker")) ||
        FAILED(s.store->lpVtbl->OpenEntry(s.store, cb, (LPENTRYID)entryid, NULL, 0, &type, &unknown)))
        return 100;
    message = (IMessage *)unknown;
    check_values((IMAPIProp *)message, L"Round trip");
    check_recipients(message, RECIPIENTS);
    if (FAILED(message->lpVtbl->OpenAttach(message, 0, NULL, 0, &attach))) differ("the big attachment");
    else check_big_attachment(attach);
    if (attach) attach->lpVtbl->Release(attach);
    check_embedded(message, 1, L"Level 1", TRUE);
    message->lpVtbl->Release(message);
    s.store->lpVtbl->Release(s.store);
    s.provider->lpVtbl->Release(s.provider);
    mapisim_support_cleanup(&s.support);
    return differences;
}

/* ---- the test ---- */

/* The whole message, saved in root; its entry ID in hex. */
static void write_whole_message(IMAPIFolder *root, char hex[2 * 64 + 1])
{
    SPropValue values[EVERY_TYPE_COUNT], *id;
    IMessage *message;
    ULONG i;
    assert_int_equal(root->lpVtbl->CreateMessage(root, NULL, 0, &message), S_OK);
    every_type(values);
    assert_int_equal(message->lpVtbl->SetProps(message, EVERY_TYPE_COUNT, values, NULL), S_OK);
    add_recipients(message, RECIPIENTS);
    write_big_attachment(message);
    write_embedded(message, L"Level 1", TRUE);
    assert_int_equal(message->lpVtbl->SaveChanges(message, KEEP_OPEN_READONLY), S_OK);
    id = get_prop((IMAPIProp *)message, PR_ENTRYID);
    assert_int_equal(id->ulPropTag, PR_ENTRYID);
    for (i = 0; i < id->Value.bin.cb && i < 64; i++) snprintf(hex + 2 * i, 3, "%02x", id->Value.bin.lpb[i]);
    mapisim_FreeBuffer(id);
    message->lpVtbl->Release(message);
}

/* This program again, checking the message with that entry ID in the store at path: 0 differences. */
static void check_in_a_new_process(const WCHAR *path, const char *hex)
{
    char self[MAX_PATH], command[4 * MAX_PATH], store_a[MAX_PATH];
    STARTUPINFOA startup;
    PROCESS_INFORMATION process;
    DWORD code = 99;
    memset(&startup, 0, sizeof(startup));
    startup.cb = sizeof(startup);
    GetModuleFileNameA(NULL, self, sizeof(self));
    WideCharToMultiByte(CP_ACP, 0, path, -1, store_a, sizeof(store_a), NULL, NULL);
    snprintf(command, sizeof(command), "\"%s\" --check \"%s\" %s", self, store_a, hex);
    assert_true(CreateProcessA(NULL, command, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &process));
    CloseHandle(process.hThread);
    assert_int_equal(WaitForSingleObject(process.hProcess, 300000), WAIT_OBJECT_0);
    GetExitCodeProcess(process.hProcess, &code);
    CloseHandle(process.hProcess);
    assert_int_equal(code, 0); /* the number of values that differ */
}

/* A session on a new store file at path holding the whole message (its entry ID in hex). */
static void start_on_a_store_with_the_whole_message(struct mapisim_session *s, WCHAR path[MAX_PATH],
                                                    char hex[2 * 64 + 1])
{
    IMAPIFolder *root;
    mapisim_scratch_store_path(path);
    session_start_on(s, path);
    root = open_root_for_writing(s->store);
    write_whole_message(root, hex);
    root->lpVtbl->Release(root);
}

static void a_whole_message_reads_back_equal_in_a_new_process(void **state)
{
    char hex[2 * 64 + 1];
    WCHAR path[MAX_PATH];
    struct mapisim_session s;
    (void)state;
    start_on_a_store_with_the_whole_message(&s, path, hex);
    session_finish(&s); /* the store closed: the other process reads the file alone */
    check_in_a_new_process(path, hex);
    mapisim_remove_store(path);
}

/*
 * The same message exported to a .msg file by tools/msg, imported from it as a new message of
 * another store, and checked there in a new process: every value, recipient, the 10 MB attachment
 * and both embedded levels equal.
 */
static void a_whole_message_through_a_msg_file_reads_back_equal(void **state)
{
    static const struct msg_allocator memory = {mapisim_AllocateBuffer, mapisim_AllocateMore, mapisim_FreeBuffer};
    char hex[2 * 64 + 1], why[256] = "";
    WCHAR path[MAX_PATH], other[MAX_PATH], file[MAX_PATH + 8];
    struct mapisim_session s;
    struct msg_file model;
    IMAPIFolder *root;
    IMessage *message;
    LPENTRYID id;
    SPropValue *saved;
    ULONG cb, type, i;
    (void)state;
    start_on_a_store_with_the_whole_message(&s, path, hex);
    cb = (ULONG)strlen(hex) / 2;
    id = malloc(cb);
    for (i = 0; i < cb; i++) sscanf(hex + 2 * i, "%2hhx", (unsigned char *)id + i);
    assert_int_equal(s.store->lpVtbl->OpenEntry(s.store, cb, id, NULL, 0, &type, (LPUNKNOWN *)&message), S_OK);
    free(id);
    assert_int_equal(msg_from_message(message, &memory, FALSE, &model), S_OK);
    message->lpVtbl->Release(message);
    swprintf(file, ARRAYSIZE(file), L"%ls.msg", path);
    assert_int_equal(msg_ole_write(file, &model), MSG_OK);
    msg_file_free(&model);
    session_finish(&s);

    mapisim_scratch_store_path(other);
    session_start_on(&s, other);
    root = open_root_for_writing(s.store);
    assert_int_equal(msg_ole_read(file, &model, why, sizeof(why)), MSG_OK);
    assert_int_equal(root->lpVtbl->CreateMessage(root, NULL, 0, &message), S_OK);
    assert_int_equal(msg_to_message(&model, message, &memory, why, sizeof(why)), S_OK);
    msg_file_free(&model);
    assert_int_equal(message->lpVtbl->SaveChanges(message, KEEP_OPEN_READONLY), S_OK);
    saved = get_prop((IMAPIProp *)message, PR_ENTRYID);
    assert_int_equal(saved->ulPropTag, PR_ENTRYID);
    for (i = 0; i < saved->Value.bin.cb && i < 64; i++) snprintf(hex + 2 * i, 3, "%02x", saved->Value.bin.lpb[i]);
    hex[2 * i] = 0;
    mapisim_FreeBuffer(saved);
    message->lpVtbl->Release(message);
    root->lpVtbl->Release(root);
    session_finish(&s);
    check_in_a_new_process(other, hex);
    DeleteFileW(file);
    mapisim_remove_store(path);
    mapisim_remove_store(other);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_whole_message_reads_back_equal_in_a_new_process),
        cmocka_unit_test(a_whole_message_through_a_msg_file_reads_back_equal),
    };
    if (argc == 4 && !strcmp(argv[1], "--check")) return run_check(argv[2], argv[3]);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
