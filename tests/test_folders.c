/*
 * msstore's folders as a client changes them, through IMAPIFolder and
 * IMAPIProp: CreateFolder, SetProps, DeleteProps, SaveChanges, DeleteFolder,
 * CopyFolder (copy and move), EmptyFolder, and the store's receive folders.
 *
 * The suite proves that folder objects opened without MAPI_MODIFY refuse
 * every write; that names are unique among siblings whatever their case
 * (Unicode case folding); that the store computes its own properties and
 * keeps every other one a client sets, of every type; that entry IDs are
 * 30 bytes, above the layout's ids and never reused; that the folders the
 * store relies on (its layout) cannot be deleted or moved; that objects on a
 * deleted folder answer MAPI_E_OBJECT_DELETED; that what was committed is what
 * a new session on the same file finds; and that no write call, failed or
 * not, leaves a MAPI allocation behind.
 *
 * Every test works in "Work", a folder of its own under the root (struct fx).
 * Creating it is the store's first change, which gives the store the change
 * list it reuses for every later one: from then on, the write helpers below
 * check that each call leaves live_blocks() as it found it (its problem array
 * aside, which must be one block).
 */
#include "harness.h"

#include <string.h>

/* In none of the flag sets of the methods called here. */
#define UNKNOWN_FLAG 0x00000100u

/* The highest folder id of the initial layout (model/layout.c): a client's folders come above it. */
#define LAYOUT_MAX_ID 255

/* ---- entry IDs ---- */

struct entry_id {
    ULONG cb;
    BYTE bytes[256]; /* room for the store's wrapped entry ID too */
};

static struct entry_id binary_prop(void *object, ULONG tag)
{
    SPropValue *value = get_prop((IMAPIProp *)object, tag);
    struct entry_id id = {0, {0}};
    assert_int_equal(value->ulPropTag, tag);
    assert_true(value->Value.bin.cb <= sizeof(id.bytes));
    id.cb = value->Value.bin.cb;
    memcpy(id.bytes, value->Value.bin.lpb, id.cb);
    mapisim_FreeBuffer(value);
    return id;
}

static struct entry_id entry_id_of(void *object) { return binary_prop(object, PR_ENTRYID); }
static struct entry_id parent_id_of(void *object) { return binary_prop(object, PR_PARENT_ENTRYID); }

static BOOL same_id(const struct entry_id *a, const struct entry_id *b)
{
    return a->cb == b->cb && !memcmp(a->bytes, b->bytes, a->cb);
}

static void assert_same_id(const struct entry_id *a, const struct entry_id *b)
{
    assert_int_equal(a->cb, b->cb);
    assert_memory_equal(a->bytes, b->bytes, a->cb);
}

/* The object id inside an msstore entry ID: 8 bytes little-endian at offset 22 of 30. */
static ULONGLONG object_number(const struct entry_id *id)
{
    ULONGLONG number = 0;
    int i;
    assert_int_equal(id->cb, 30);
    for (i = 7; i >= 0; i--) number = number << 8 | id->bytes[22 + i];
    return number;
}

/* The store's own entry IDs: its PR_ENTRYID as MAPI wraps it, and msstore's inside. */
static void store_entry_ids(IMsgStore *store, struct entry_id ids[2])
{
    ids[0] = entry_id_of(store);
    ids[1].cb = unwrapped_store_entryid(store, ids[1].bytes, sizeof(ids[1].bytes));
}

/* ---- reading properties ---- */

static void assert_wide_equal(const WCHAR *actual, const WCHAR *expected)
{
    char a[256] = "", e[256] = "";
    if (actual && expected && !wcscmp(actual, expected)) return;
    WideCharToMultiByte(CP_UTF8, 0, actual ? actual : L"(null)", -1, a, sizeof(a) - 1, NULL, NULL);
    WideCharToMultiByte(CP_UTF8, 0, expected ? expected : L"(null)", -1, e, sizeof(e) - 1, NULL, NULL);
    fail_msg("\"%s\" != \"%s\"", a, e);
}

static LONG long_prop(void *object, ULONG tag)
{
    SPropValue *value = get_prop((IMAPIProp *)object, tag);
    LONG result = value->Value.l;
    assert_int_equal(value->ulPropTag, tag);
    mapisim_FreeBuffer(value);
    return result;
}

static BOOL bool_prop(void *object, ULONG tag)
{
    SPropValue *value = get_prop((IMAPIProp *)object, tag);
    BOOL result = value->Value.b != 0;
    assert_int_equal(value->ulPropTag, tag);
    mapisim_FreeBuffer(value);
    return result;
}

static void assert_wide_prop(void *object, ULONG tag, const WCHAR *expected)
{
    SPropValue *value = get_prop((IMAPIProp *)object, tag);
    assert_int_equal(value->ulPropTag, tag);
    assert_wide_equal(value->Value.lpszW, expected);
    mapisim_FreeBuffer(value);
}

static void assert_narrow_prop(void *object, ULONG tag, const char *expected)
{
    SPropValue *value = get_prop((IMAPIProp *)object, tag);
    assert_int_equal(value->ulPropTag, tag);
    assert_string_equal(value->Value.lpszA, expected);
    mapisim_FreeBuffer(value);
}

/* GetProps answers tag with MAPI_E_NOT_FOUND: the object does not have it. */
static void assert_absent(void *object, ULONG tag)
{
    SPropValue *value = get_prop((IMAPIProp *)object, tag);
    assert_int_equal(value->ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(tag)));
    assert_int_equal(value->Value.err, MAPI_E_NOT_FOUND);
    mapisim_FreeBuffer(value);
}

/* ---- comparing values ---- */

/* The size of one fixed-size value as SPropValue's union holds it; 0 for strings and binaries. */
static size_t element_size(ULONG base)
{
    const SPropValue *v = NULL;
    switch (base) {
    case PT_I2: return sizeof v->Value.i;
    case PT_BOOLEAN: return sizeof v->Value.b;
    case PT_LONG: return sizeof v->Value.l;
    case PT_FLOAT: return sizeof v->Value.flt;
    case PT_DOUBLE: return sizeof v->Value.dbl;
    case PT_APPTIME: return sizeof v->Value.at;
    case PT_CURRENCY: return sizeof v->Value.cur;
    case PT_I8: return sizeof v->Value.li;
    case PT_SYSTIME: return sizeof v->Value.ft;
    case PT_CLSID: return sizeof *v->Value.lpguid;
    default: return 0;
    }
}

static BOOL same_binary(const SBinary *a, const SBinary *b)
{
    return a->cb == b->cb && (!a->cb || !memcmp(a->lpb, b->lpb, a->cb));
}

/* Whether two values are the same, tag included; the element arrays of every PT_MV_* share one layout. */
static BOOL same_value(const SPropValue *a, const SPropValue *b)
{
    ULONG type = PROP_TYPE(a->ulPropTag), base = type & ~(ULONG)MV_FLAG, n, i;
    size_t size = element_size(base);
    if (a->ulPropTag != b->ulPropTag) return FALSE;
    if (!(type & MV_FLAG)) {
        switch (base) {
        case PT_CLSID: return !memcmp(a->Value.lpguid, b->Value.lpguid, sizeof(GUID));
        case PT_BINARY: return same_binary(&a->Value.bin, &b->Value.bin);
        case PT_STRING8: return !strcmp(a->Value.lpszA, b->Value.lpszA);
        case PT_UNICODE: return !wcscmp(a->Value.lpszW, b->Value.lpszW);
        default: return !memcmp(&a->Value, &b->Value, size);
        }
    }
    n = a->Value.MVl.cValues;
    if (n != b->Value.MVl.cValues) return FALSE;
    if (size) return !n || !memcmp(a->Value.MVl.lpl, b->Value.MVl.lpl, n * size);
    for (i = 0; i < n; i++) {
        BOOL same = base == PT_BINARY  ? same_binary(&a->Value.MVbin.lpbin[i], &b->Value.MVbin.lpbin[i])
                    : base == PT_STRING8 ? !strcmp(a->Value.MVszA.lppszA[i], b->Value.MVszA.lppszA[i])
                                         : !wcscmp(a->Value.MVszW.lppszW[i], b->Value.MVszW.lppszW[i]);
        if (!same) return FALSE;
    }
    return TRUE;
}

static void assert_same_value(const SPropValue *expected, const SPropValue *actual)
{
    if (!same_value(expected, actual))
        fail_msg("property 0x%08lx reads back as 0x%08lx with another value", (unsigned long)expected->ulPropTag,
                 (unsigned long)actual->ulPropTag);
}

/* ---- one value of every type a client can set, ids 0x6700 up ---- */

static GUID guids[] = {{0x12345678, 0x9abc, 0xdef0, {1, 2, 3, 4, 5, 6, 7, 8}},
                       {0x87654321, 0x0fed, 0xcba9, {8, 7, 6, 5, 4, 3, 2, 1}}};
static BYTE bytes[] = {0x00, 0xff, 0x10, 0x80, 0x7f};
static short shorts[] = {-32768, 0, 32767};
static LONG longs[] = {-2147483647 - 1, 0, 2147483647};
static float floats[] = {-1.5f, 0.0f, 3.25e10f};
static double doubles[] = {-2.5e300, 0.0, 1.0 / 3.0};
static CURRENCY currencies[] = {{.int64 = -9223372036854775807LL}, {.int64 = 123456789012345LL}};
static double apptimes[] = {45000.75, 0.5};
static LARGE_INTEGER larges[] = {{.QuadPart = -1}, {.QuadPart = 0x0123456789abcdefLL}};
static FILETIME filetimes[] = {{0x89abcdef, 0x01d9f00d}, {0, 0}};
static SBinary binaries[] = {{5, bytes}, {0, NULL}, {1, bytes + 4}};
static WCHAR *wides[] = {L"one", L"", L"Gr\u00fc\u00dfe \u263a"};
static char *narrows[] = {"one", "", "three"};

static const SPropValue every_type[] = {
    {PROP_TAG(PT_I2, 0x6700), 0, {.i = -1234}},
    {PROP_TAG(PT_LONG, 0x6701), 0, {.l = -123456789}},
    {PROP_TAG(PT_FLOAT, 0x6702), 0, {.flt = 1.5f}},
    {PROP_TAG(PT_DOUBLE, 0x6703), 0, {.dbl = -2.25e100}},
    {PROP_TAG(PT_CURRENCY, 0x6704), 0, {.cur = {.int64 = 123456789012345LL}}},
    {PROP_TAG(PT_APPTIME, 0x6705), 0, {.at = 45000.75}},
    {PROP_TAG(PT_BOOLEAN, 0x6706), 0, {.b = TRUE}},
    {PROP_TAG(PT_I8, 0x6707), 0, {.li = {.QuadPart = -0x123456789abcLL}}},
    {PROP_TAG(PT_SYSTIME, 0x6708), 0, {.ft = {0x89abcdef, 0x01d9f00d}}},
    {PROP_TAG(PT_CLSID, 0x6709), 0, {.lpguid = &guids[0]}},
    {PROP_TAG(PT_BINARY, 0x670a), 0, {.bin = {5, bytes}}},
    {PROP_TAG(PT_BINARY, 0x670b), 0, {.bin = {0, bytes}}},
    {PROP_TAG(PT_UNICODE, 0x670c), 0, {.lpszW = L"Gr\u00fc\u00dfe \u263a \u4e2d"}},
    {PROP_TAG(PT_UNICODE, 0x670d), 0, {.lpszW = L""}},
    {PROP_TAG(PT_STRING8, 0x670e), 0, {.lpszA = "narrow text"}},
    {PROP_TAG(PT_BOOLEAN, 0x670f), 0, {.b = FALSE}},
    {PROP_TAG(PT_MV_I2, 0x6710), 0, {.MVi = {3, shorts}}},
    {PROP_TAG(PT_MV_LONG, 0x6711), 0, {.MVl = {3, longs}}},
    {PROP_TAG(PT_MV_FLOAT, 0x6712), 0, {.MVflt = {3, floats}}},
    {PROP_TAG(PT_MV_DOUBLE, 0x6713), 0, {.MVdbl = {3, doubles}}},
    {PROP_TAG(PT_MV_CURRENCY, 0x6714), 0, {.MVcur = {2, currencies}}},
    {PROP_TAG(PT_MV_APPTIME, 0x6715), 0, {.MVat = {2, apptimes}}},
    {PROP_TAG(PT_MV_I8, 0x6716), 0, {.MVli = {2, larges}}},
    {PROP_TAG(PT_MV_SYSTIME, 0x6717), 0, {.MVft = {2, filetimes}}},
    {PROP_TAG(PT_MV_CLSID, 0x6718), 0, {.MVguid = {2, guids}}},
    {PROP_TAG(PT_MV_BINARY, 0x6719), 0, {.MVbin = {3, binaries}}},
    {PROP_TAG(PT_MV_UNICODE, 0x671a), 0, {.MVszW = {3, wides}}},
    {PROP_TAG(PT_MV_STRING8, 0x671b), 0, {.MVszA = {3, narrows}}},
    {PROP_TAG(PT_MV_LONG, 0x671c), 0, {.MVl = {0, NULL}}},
    {PROP_TAG(PT_MV_UNICODE, 0x671d), 0, {.MVszW = {0, NULL}}},
};
#define EVERY_TYPE_COUNT (sizeof(every_type) / sizeof(every_type[0]))

static const SPropValue *every_type_value(ULONG tag)
{
    size_t i;
    for (i = 0; i < EVERY_TYPE_COUNT; i++)
        if (every_type[i].ulPropTag == tag) return &every_type[i];
    fail_msg("no value 0x%08lx in every_type", (unsigned long)tag);
    return NULL;
}

/* The tag a value is answered under when GetProps lists all: narrow strings are kept wide. */
static ULONG kept_tag(ULONG tag)
{
    ULONG type = PROP_TYPE(tag);
    if ((type & ~(ULONG)MV_FLAG) == PT_STRING8) type = (type & MV_FLAG) | PT_UNICODE;
    return PROP_TAG(type, PROP_ID(tag));
}

/* ---- objects ---- */

static void release(void *object)
{
    IUnknown *unknown = object;
    assert_int_equal(unknown->lpVtbl->Release(unknown), 0);
}

/* OpenEntry on the store (NULL: the root folder), releasing what opens; the answer. */
static HRESULT open_result(IMsgStore *store, const struct entry_id *id, ULONG flags)
{
    IUnknown *object = NULL;
    ULONG type = 0;
    HRESULT hr = store->lpVtbl->OpenEntry(store, id ? id->cb : 0, id ? (LPENTRYID)id->bytes : NULL, NULL, flags, &type,
                                          &object);
    if (SUCCEEDED(hr)) {
        assert_int_equal(type, MAPI_FOLDER);
        release(object);
    } else {
        assert_null(object);
    }
    return hr;
}

static IMAPIFolder *open_folder(IMsgStore *store, const struct entry_id *id, ULONG flags)
{
    IMAPIFolder *folder = NULL;
    ULONG type = 0;
    assert_int_equal(store->lpVtbl->OpenEntry(store, id ? id->cb : 0, id ? (LPENTRYID)id->bytes : NULL, NULL, flags,
                                              &type, (LPUNKNOWN *)&folder),
                     S_OK);
    assert_int_equal(type, MAPI_FOLDER);
    return folder;
}

static IMAPIFolder *open_ipm_subtree(IMsgStore *store)
{
    struct entry_id id = binary_prop(store, PR_IPM_SUBTREE_ENTRYID);
    return open_folder(store, &id, MAPI_BEST_ACCESS); /* writable but on a read-only logon */
}

/* ---- subfolders, as the parent's hierarchy table lists them ---- */

#define MAX_CHILDREN 32

struct children {
    ULONG count;
    WCHAR names[MAX_CHILDREN][80];
    struct entry_id ids[MAX_CHILDREN];
};

static void list_children(IMAPIFolder *parent, struct children *out)
{
    SizedSPropTagArray(2, columns) = {2, {PR_DISPLAY_NAME_W, PR_ENTRYID}};
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    ULONG i;
    assert_int_equal(parent->lpVtbl->GetHierarchyTable(parent, 0, &table), S_OK);
    assert_int_equal(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&columns, 0), S_OK);
    assert_int_equal(table->lpVtbl->QueryRows(table, MAX_CHILDREN + 1, 0, &rows), S_OK);
    assert_true(rows->cRows <= MAX_CHILDREN);
    out->count = rows->cRows;
    for (i = 0; i < rows->cRows; i++) {
        const SPropValue *values = rows->aRow[i].lpProps;
        assert_int_equal(values[0].ulPropTag, PR_DISPLAY_NAME_W);
        assert_int_equal(values[1].ulPropTag, PR_ENTRYID);
        assert_true(wcslen(values[0].Value.lpszW) < ARRAYSIZE(out->names[i]));
        wcscpy(out->names[i], values[0].Value.lpszW);
        assert_true(values[1].Value.bin.cb <= sizeof(out->ids[i].bytes));
        out->ids[i].cb = values[1].Value.bin.cb;
        memcpy(out->ids[i].bytes, values[1].Value.bin.lpb, values[1].Value.bin.cb);
    }
    free_rows(rows);
    assert_int_equal(table->lpVtbl->Release(table), 0);
}

static ULONG child_count(IMAPIFolder *parent)
{
    struct children children;
    list_children(parent, &children);
    return children.count;
}

/* Whether parent has a subfolder named name (exactly), and its entry ID. */
static BOOL find_child(IMAPIFolder *parent, const WCHAR *name, struct entry_id *id)
{
    struct children children;
    ULONG i;
    list_children(parent, &children);
    for (i = 0; i < children.count; i++) {
        if (wcscmp(children.names[i], name)) continue;
        if (id) *id = children.ids[i];
        return TRUE;
    }
    return FALSE;
}

static struct entry_id child_id(IMAPIFolder *parent, const WCHAR *name)
{
    struct entry_id id;
    if (!find_child(parent, name, &id)) assert_wide_equal(L"(no such subfolder)", name);
    return id;
}

/* ---- write calls: each checks it left no allocation behind ---- */

static HRESULT create_folder(IMAPIFolder *parent, ULONG type, const void *name, const void *comment, LPCIID iid,
                             ULONG flags, IMAPIFolder **out)
{
    LONG before = live_blocks();
    HRESULT hr;
    *out = (IMAPIFolder *)(ULONG_PTR)1; /* the method must set it */
    hr = parent->lpVtbl->CreateFolder(parent, type, (LPTSTR)name, (LPTSTR)comment, iid, flags, out);
    if (FAILED(hr)) {
        assert_null(*out);
        assert_int_equal(live_blocks(), before);
    } else {
        assert_non_null(*out);
    }
    return hr;
}

static IMAPIFolder *create(IMAPIFolder *parent, const WCHAR *name)
{
    IMAPIFolder *folder;
    assert_int_equal(create_folder(parent, FOLDER_GENERIC, name, NULL, NULL, MAPI_UNICODE, &folder), S_OK);
    return folder;
}

static struct entry_id create_id(IMAPIFolder *parent, const WCHAR *name)
{
    IMAPIFolder *folder = create(parent, name);
    struct entry_id id = entry_id_of(folder);
    release(folder);
    return id;
}

/*
 * SetProps or DeleteProps (values NULL): a problem array comes back as one
 * MAPI block, NULL when there is no problem and when the call fails, and
 * nothing else stays allocated. problems NULL: the caller expects none.
 */
static HRESULT change_props(IMAPIFolder *folder, ULONG count, const SPropValue *values, const void *tags,
                            SPropProblemArray **problems)
{
    SPropProblemArray *array = (SPropProblemArray *)(ULONG_PTR)1;
    LONG before = live_blocks();
    HRESULT hr = values || !tags ? folder->lpVtbl->SetProps(folder, count, (SPropValue *)values, &array)
                                 : folder->lpVtbl->DeleteProps(folder, (LPSPropTagArray)tags, &array);
    if (FAILED(hr)) assert_null(array);
    if (array) assert_true(array->cProblem > 0);
    assert_int_equal(live_blocks(), before + (array ? 1 : 0));
    if (problems) *problems = array;
    else assert_null(array);
    return hr;
}

static HRESULT set_props(IMAPIFolder *folder, ULONG count, const SPropValue *values, SPropProblemArray **problems)
{
    return change_props(folder, count, values, NULL, problems);
}

static HRESULT delete_props(IMAPIFolder *folder, const void *tags, SPropProblemArray **problems)
{
    return change_props(folder, 0, NULL, tags, problems);
}

/* A problem array goes with one MAPIFreeBuffer. */
static void free_problems(SPropProblemArray *problems)
{
    LONG before = live_blocks();
    mapisim_FreeBuffer(problems);
    assert_int_equal(live_blocks(), before - 1);
}

/* The problem reported for the index-th property of a call (S_OK: none), which must carry its tag. */
static SCODE problem_at(const SPropProblemArray *problems, ULONG index, ULONG tag)
{
    ULONG i;
    for (i = 0; problems && i < problems->cProblem; i++) {
        if (problems->aProblem[i].ulIndex != index) continue;
        assert_int_equal(problems->aProblem[i].ulPropTag, tag);
        return problems->aProblem[i].scode;
    }
    return S_OK;
}

static void set_wide(IMAPIFolder *folder, ULONG tag, const WCHAR *text)
{
    SPropValue value = {tag, 0, {.lpszW = (WCHAR *)text}};
    assert_int_equal(set_props(folder, 1, &value, NULL), S_OK);
}

static void set_long(IMAPIFolder *folder, ULONG tag, LONG number)
{
    SPropValue value = {tag, 0, {.l = number}};
    assert_int_equal(set_props(folder, 1, &value, NULL), S_OK);
}

static HRESULT delete_folder(IMAPIFolder *parent, const struct entry_id *child, ULONG flags)
{
    LONG before = live_blocks();
    HRESULT hr =
        ABI_VTBL(IMAPIFolder, parent)->DeleteFolder(parent, child->cb, (LPENTRYID)child->bytes, 0, NULL, flags);
    assert_int_equal(live_blocks(), before);
    return hr;
}

static HRESULT copy_folder(IMAPIFolder *parent, const struct entry_id *child, void *dest, const void *new_name,
                           ULONG flags)
{
    LONG before = live_blocks();
    HRESULT hr = ABI_VTBL(IMAPIFolder, parent)->CopyFolder(parent, child->cb, (LPENTRYID)child->bytes, NULL, dest,
                                                            (LPTSTR)new_name, 0, NULL, flags);
    assert_int_equal(live_blocks(), before);
    return hr;
}

static HRESULT empty_folder(IMAPIFolder *folder, ULONG flags)
{
    LONG before = live_blocks();
    HRESULT hr = ABI_VTBL(IMAPIFolder, folder)->EmptyFolder(folder, 0, NULL, flags);
    assert_int_equal(live_blocks(), before);
    return hr;
}

/* SetReceiveFolder (folder NULL: no entry ID). */
static HRESULT set_receive_folder(IMsgStore *store, const char *message_class, const struct entry_id *folder)
{
    LONG before = live_blocks();
    HRESULT hr = store->lpVtbl->SetReceiveFolder(store, (LPTSTR)message_class, 0, folder ? folder->cb : 0,
                                                 folder ? (LPENTRYID)folder->bytes : NULL);
    assert_int_equal(live_blocks(), before);
    return hr;
}

/* GetReceiveFolder's folder for message_class, and the class that chose it in explicit_class. */
static struct entry_id receive_folder(IMsgStore *store, const char *message_class, char explicit_class[256])
{
    struct entry_id id = {0, {0}};
    ENTRYID *entryid = NULL;
    char *chosen = NULL;
    assert_int_equal(store->lpVtbl->GetReceiveFolder(store, (LPTSTR)message_class, 0, &id.cb, &entryid,
                                                     (LPTSTR *)&chosen),
                     S_OK);
    assert_true(id.cb <= sizeof(id.bytes));
    memcpy(id.bytes, entryid, id.cb);
    assert_true(strlen(chosen) < 256);
    strcpy(explicit_class, chosen);
    mapisim_FreeBuffer(entryid);
    mapisim_FreeBuffer(chosen);
    return id;
}

/* ---- the fixture: a session, its root folder, and "Work" ---- */

struct fx {
    struct mapisim_session s;
    IMAPIFolder *root; /* opened with MAPI_MODIFY */
    IMAPIFolder *work; /* the test's own folder under the root */
};

static void fx_open(struct fx *f)
{
    f->root = open_folder(f->s.store, NULL, MAPI_MODIFY);
    f->work = create(f->root, L"Work");
}

static void fx_start(struct fx *f)
{
    session_start(&f->s);
    fx_open(f);
}

static void fx_finish(struct fx *f)
{
    release(f->work);
    release(f->root);
    session_finish(&f->s);
}

/* ==== read-only folder objects ==== */

static void folders_opened_without_modify_refuse_every_write(void **state)
{
    SPropValue comment = {PR_COMMENT_W, 0, {.lpszW = L"changed"}};
    SizedSPropTagArray(1, comment_tag) = {1, {PR_COMMENT_W}};
    struct entry_id work_id, child;
    IMAPIFolder *read_only, *read_only_root, *read_only_child, *created;
    ULONG type = 0;
    struct fx f;
    (void)state;
    fx_start(&f);
    set_wide(f.work, PR_COMMENT_W, L"kept");
    child = create_id(f.work, L"Child");
    work_id = entry_id_of(f.work);
    read_only = open_folder(f.s.store, &work_id, 0);
    assert_int_equal(long_prop(read_only, PR_ACCESS_LEVEL), 0);
    assert_int_equal(set_props(read_only, 1, &comment, NULL), MAPI_E_NO_ACCESS);
    assert_int_equal(delete_props(read_only, &comment_tag, NULL), MAPI_E_NO_ACCESS);
    assert_int_equal(create_folder(read_only, FOLDER_GENERIC, L"New", NULL, NULL, MAPI_UNICODE, &created),
                     MAPI_E_NO_ACCESS);
    assert_int_equal(delete_folder(read_only, &child, 0), MAPI_E_NO_ACCESS);
    assert_int_equal(copy_folder(read_only, &child, f.root, NULL, FOLDER_MOVE), MAPI_E_NO_ACCESS);
    assert_int_equal(empty_folder(read_only, 0), MAPI_E_NO_ACCESS);
    assert_int_equal(read_only->lpVtbl->SaveChanges(read_only, KEEP_OPEN_READWRITE), MAPI_E_NO_ACCESS);
    /* Nothing changed. */
    assert_wide_prop(f.work, PR_COMMENT_W, L"kept");
    assert_int_equal(child_count(f.work), 1);
    assert_true(find_child(f.work, L"Child", NULL));
    assert_int_equal(child_count(f.root), 5); /* the layout's four and Work: no "Child" moved there */
    /* The root opened without MAPI_MODIFY is a read-only object too. */
    read_only_root = open_folder(f.s.store, NULL, 0);
    assert_int_equal(long_prop(read_only_root, PR_ACCESS_LEVEL), 0);
    assert_int_equal(create_folder(read_only_root, FOLDER_GENERIC, L"New", NULL, NULL, MAPI_UNICODE, &created),
                     MAPI_E_NO_ACCESS);
    release(read_only_root);
    /* So is one IMAPIFolder::OpenEntry opens without MAPI_MODIFY. */
    assert_int_equal(f.root->lpVtbl->OpenEntry(f.root, child.cb, (LPENTRYID)child.bytes, NULL, 0, &type,
                                               (LPUNKNOWN *)&read_only_child),
                     S_OK);
    assert_int_equal(type, MAPI_FOLDER);
    assert_int_equal(long_prop(read_only_child, PR_ACCESS_LEVEL), 0);
    assert_int_equal(set_props(read_only_child, 1, &comment, NULL), MAPI_E_NO_ACCESS);
    release(read_only_child);
    release(read_only);
    fx_finish(&f);
}

static void folders_opened_with_best_access_take_writes(void **state)
{
    struct entry_id work_id;
    IMAPIFolder *best;
    struct fx f;
    (void)state;
    fx_start(&f);
    work_id = entry_id_of(f.work);
    best = open_folder(f.s.store, &work_id, MAPI_BEST_ACCESS);
    assert_int_equal(long_prop(best, PR_ACCESS_LEVEL), MAPI_MODIFY);
    set_wide(best, PR_COMMENT_W, L"through best access");
    assert_wide_prop(f.work, PR_COMMENT_W, L"through best access");
    release(best);
    fx_finish(&f);
}

/* ==== CreateFolder ==== */

static void create_folder_makes_only_generic_folders(void **state)
{
    static const struct {
        ULONG type;
        HRESULT expected;
    } types[] = {{FOLDER_SEARCH, MAPI_E_NO_SUPPORT}, {FOLDER_ROOT, MAPI_E_INVALID_PARAMETER},
                 {3, MAPI_E_INVALID_PARAMETER}, {0xffff, MAPI_E_INVALID_PARAMETER}};
    IMAPIFolder *folder;
    struct fx f;
    size_t i;
    (void)state;
    fx_start(&f);
    for (i = 0; i < ARRAYSIZE(types); i++)
        assert_int_equal(create_folder(f.work, types[i].type, L"Typed", NULL, NULL, MAPI_UNICODE, &folder),
                         types[i].expected);
    assert_int_equal(child_count(f.work), 0);
    folder = create(f.work, L"Typed");
    assert_int_equal(long_prop(folder, PR_FOLDER_TYPE), FOLDER_GENERIC);
    release(folder);
    fx_finish(&f);
}

static void create_folder_refuses_a_missing_or_empty_name(void **state)
{
    IMAPIFolder *folder;
    struct fx f;
    (void)state;
    fx_start(&f);
    assert_int_equal(create_folder(f.work, FOLDER_GENERIC, NULL, NULL, NULL, 0, &folder), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(create_folder(f.work, FOLDER_GENERIC, NULL, NULL, NULL, MAPI_UNICODE, &folder),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(create_folder(f.work, FOLDER_GENERIC, "", NULL, NULL, 0, &folder), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(create_folder(f.work, FOLDER_GENERIC, L"", NULL, NULL, MAPI_UNICODE, &folder),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(child_count(f.work), 0);
    fx_finish(&f);
}

/* Names of up to 1,024 characters are kept; a longer one, in either width, is refused and makes nothing. */
static void create_folder_refuses_a_name_longer_than_the_store_keeps(void **state)
{
    static char narrow[1026];
    static WCHAR wide[1026];
    IMAPIFolder *folder;
    ULONG i;
    struct fx f;
    (void)state;
    fx_start(&f);
    for (i = 0; i < 1025; i++) narrow[i] = 'n', wide[i] = L'w';
    narrow[1025] = 0, wide[1025] = 0;
    assert_int_equal(create_folder(f.work, FOLDER_GENERIC, narrow, NULL, NULL, 0, &folder), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(create_folder(f.work, FOLDER_GENERIC, wide, NULL, NULL, MAPI_UNICODE, &folder),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(child_count(f.work), 0);
    narrow[1024] = 0, wide[1024] = 0;
    for (i = 0; i < 2; i++) {
        SPropValue *name;
        assert_int_equal(create_folder(f.work, FOLDER_GENERIC, i ? (void *)wide : narrow, NULL, NULL,
                                       i ? MAPI_UNICODE : 0, &folder),
                         S_OK);
        name = get_prop((IMAPIProp *)folder, PR_DISPLAY_NAME_W);
        assert_int_equal(wcslen(name->Value.lpszW), 1024);
        mapisim_FreeBuffer(name);
        release(folder);
    }
    fx_finish(&f);
}

static void create_folder_reads_narrow_names_in_the_ansi_code_page(void **state)
{
    static const char name[] = "Caf\xe9 narrow";
    WCHAR expected[64];
    struct entry_id listed, made;
    IMAPIFolder *folder;
    struct fx f;
    (void)state;
    assert_true(MultiByteToWideChar(CP_ACP, 0, name, -1, expected, ARRAYSIZE(expected)) > 0);
    fx_start(&f);
    assert_int_equal(create_folder(f.work, FOLDER_GENERIC, name, "a narrow comment", NULL, 0, &folder), S_OK);
    assert_wide_prop(folder, PR_DISPLAY_NAME_W, expected);
    assert_wide_prop(folder, PR_COMMENT_W, L"a narrow comment");
    assert_narrow_prop(folder, PR_COMMENT_A, "a narrow comment");
    made = entry_id_of(folder);
    listed = child_id(f.work, expected);
    assert_same_id(&listed, &made);
    release(folder);
    fx_finish(&f);
}

static void create_folder_keeps_unicode_names_and_comments(void **state)
{
    static const WCHAR name[] = L"\u00dcbersicht \u263a \u4e2d\u6587";
    static const WCHAR comment[] = L"\u03ba\u03b5\u03af\u03bc\u03b5\u03bd\u03bf";
    IMAPIFolder *folder;
    struct fx f;
    (void)state;
    fx_start(&f);
    assert_int_equal(create_folder(f.work, FOLDER_GENERIC, name, comment, NULL, MAPI_UNICODE, &folder), S_OK);
    assert_wide_prop(folder, PR_DISPLAY_NAME_W, name);
    assert_wide_prop(folder, PR_COMMENT_W, comment);
    assert_true(find_child(f.work, name, NULL));
    release(folder);
    fx_finish(&f);
}

static void create_folder_collides_with_a_sibling_of_the_same_name_in_any_case(void **state)
{
    IMAPIFolder *folder;
    struct fx f;
    (void)state;
    fx_start(&f);
    release(create(f.work, L"\u00dcbersicht"));
    release(create(f.work, L"Reports"));
    assert_int_equal(create_folder(f.work, FOLDER_GENERIC, L"\u00fcbersicht", NULL, NULL, MAPI_UNICODE, &folder),
                     MAPI_E_COLLISION);
    assert_int_equal(create_folder(f.work, FOLDER_GENERIC, L"\u00dcBERSICHT", NULL, NULL, MAPI_UNICODE, &folder),
                     MAPI_E_COLLISION);
    assert_int_equal(create_folder(f.work, FOLDER_GENERIC, L"Reports", NULL, NULL, MAPI_UNICODE, &folder),
                     MAPI_E_COLLISION);
    assert_int_equal(create_folder(f.work, FOLDER_GENERIC, "REPORTS", NULL, NULL, 0, &folder), MAPI_E_COLLISION);
    assert_int_equal(create_folder(f.work, FOLDER_GENERIC, "rEpOrTs", NULL, NULL, 0, &folder), MAPI_E_COLLISION);
    assert_int_equal(child_count(f.work), 2);
    /* Names are unique among siblings only: another parent takes the same one. */
    folder = create(f.root, L"reports");
    release(folder);
    fx_finish(&f);
}

static void create_folder_open_if_exists_returns_the_existing_folder(void **state)
{
    IMAPIFolder *existing, *again, *fresh;
    struct entry_id existing_id, again_id, fresh_id;
    struct fx f;
    (void)state;
    fx_start(&f);
    existing = create(f.work, L"Archive");
    existing_id = entry_id_of(existing);
    assert_int_equal(create_folder(f.work, FOLDER_GENERIC, "ARCHIVE", NULL, NULL, OPEN_IF_EXISTS, &again), S_OK);
    again_id = entry_id_of(again);
    assert_same_id(&again_id, &existing_id);
    assert_int_equal(child_count(f.work), 1);
    /* With no such folder, it makes one. */
    assert_int_equal(create_folder(f.work, FOLDER_GENERIC, L"Fresh", NULL, NULL, OPEN_IF_EXISTS | MAPI_UNICODE, &fresh),
                     S_OK);
    fresh_id = entry_id_of(fresh);
    assert_false(same_id(&fresh_id, &existing_id));
    assert_int_equal(child_count(f.work), 2);
    release(fresh);
    release(again);
    release(existing);
    fx_finish(&f);
}

static void create_folder_refuses_unknown_flags_and_interfaces(void **state)
{
    IMAPIFolder *folder;
    struct fx f;
    (void)state;
    fx_start(&f);
    assert_int_equal(
        create_folder(f.work, FOLDER_GENERIC, L"Flagged", NULL, NULL, MAPI_UNICODE | UNKNOWN_FLAG, &folder),
        MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(create_folder(f.work, FOLDER_GENERIC, L"Flagged", NULL, &IID_IMAPITable, MAPI_UNICODE, &folder),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_int_equal(create_folder(f.work, FOLDER_GENERIC, L"Flagged", NULL, &IID_IMsgStore, MAPI_UNICODE, &folder),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_int_equal(child_count(f.work), 0);
    assert_int_equal(create_folder(f.work, FOLDER_GENERIC, L"Flagged", NULL, &IID_IMAPIFolder, MAPI_UNICODE, &folder),
                     S_OK);
    release(folder);
    fx_finish(&f);
}

static void new_folder_is_a_writable_empty_generic_child_of_its_parent(void **state)
{
    struct entry_id parent, work_id;
    IMAPIFolder *folder;
    LONG access;
    struct fx f;
    (void)state;
    fx_start(&f);
    assert_false(bool_prop(f.work, PR_SUBFOLDERS));
    folder = create(f.work, L"New");
    parent = parent_id_of(folder);
    work_id = entry_id_of(f.work);
    assert_same_id(&parent, &work_id);
    assert_int_equal(long_prop(folder, PR_OBJECT_TYPE), MAPI_FOLDER);
    assert_int_equal(long_prop(folder, PR_FOLDER_TYPE), FOLDER_GENERIC);
    assert_int_equal(long_prop(folder, PR_CONTENT_COUNT), 0);
    assert_int_equal(long_prop(folder, PR_CONTENT_UNREAD), 0);
    assert_int_equal(long_prop(folder, PR_ASSOC_CONTENT_COUNT), 0);
    assert_false(bool_prop(folder, PR_SUBFOLDERS));
    access = long_prop(folder, PR_ACCESS);
    assert_true(access & MAPI_ACCESS_DELETE);
    assert_true(access & MAPI_ACCESS_MODIFY);
    assert_int_equal(long_prop(folder, PR_ACCESS_LEVEL), MAPI_MODIFY);
    assert_true(bool_prop(f.work, PR_SUBFOLDERS));
    /* The object CreateFolder returns takes writes. */
    set_wide(folder, PR_COMMENT_W, L"written");
    assert_wide_prop(folder, PR_COMMENT_W, L"written");
    release(folder);
    fx_finish(&f);
}

static void layout_folders_deny_delete_access(void **state)
{
    IMAPIFolder *ipm, *inbox;
    struct entry_id inbox_id;
    struct fx f;
    (void)state;
    fx_start(&f);
    ipm = open_ipm_subtree(f.s.store);
    inbox_id = child_id(ipm, L"Inbox");
    inbox = open_folder(f.s.store, &inbox_id, MAPI_MODIFY);
    assert_false(long_prop(f.root, PR_ACCESS) & MAPI_ACCESS_DELETE);
    assert_false(long_prop(ipm, PR_ACCESS) & MAPI_ACCESS_DELETE);
    assert_false(long_prop(inbox, PR_ACCESS) & MAPI_ACCESS_DELETE);
    assert_true(long_prop(inbox, PR_ACCESS) & MAPI_ACCESS_MODIFY);
    assert_true(object_number(&inbox_id) <= LAYOUT_MAX_ID);
    release(inbox);
    release(ipm);
    fx_finish(&f);
}

static void new_entry_ids_are_30_bytes_with_ids_above_the_layouts(void **state)
{
    struct entry_id work_id, a, b;
    struct fx f;
    (void)state;
    fx_start(&f);
    work_id = entry_id_of(f.work);
    a = create_id(f.work, L"A");
    b = create_id(f.work, L"B");
    assert_true(object_number(&work_id) > LAYOUT_MAX_ID);
    assert_true(object_number(&a) > LAYOUT_MAX_ID);
    assert_true(object_number(&b) > LAYOUT_MAX_ID);
    assert_true(object_number(&a) != object_number(&b));
    assert_true(object_number(&a) != object_number(&work_id));
    fx_finish(&f);
}

static void deleted_folder_ids_are_never_reused_and_open_nothing(void **state)
{
    struct entry_id first, second;
    struct fx f;
    (void)state;
    fx_start(&f);
    first = create_id(f.work, L"Again");
    assert_int_equal(delete_folder(f.work, &first, 0), S_OK);
    assert_int_equal(open_result(f.s.store, &first, 0), MAPI_E_NOT_FOUND);
    second = create_id(f.work, L"Again");
    assert_false(same_id(&first, &second));
    assert_true(object_number(&second) > object_number(&first));
    assert_int_equal(open_result(f.s.store, &first, MAPI_MODIFY), MAPI_E_NOT_FOUND);
    assert_int_equal(open_result(f.s.store, &second, 0), S_OK);
    fx_finish(&f);
}

/* ==== SetProps ==== */

static void renaming_shows_in_every_object_and_in_the_parent_table(void **state)
{
    SPropValue narrow = {PR_DISPLAY_NAME_A, 0, {.lpszA = "Narrowly renamed"}};
    struct entry_id id, listed;
    IMAPIFolder *folder, *other;
    struct fx f;
    (void)state;
    fx_start(&f);
    folder = create(f.work, L"Before");
    id = entry_id_of(folder);
    other = open_folder(f.s.store, &id, 0);
    set_wide(folder, PR_DISPLAY_NAME_W, L"After \u263a");
    assert_wide_prop(folder, PR_DISPLAY_NAME_W, L"After \u263a");
    assert_wide_prop(other, PR_DISPLAY_NAME_W, L"After \u263a");
    listed = child_id(f.work, L"After \u263a");
    assert_same_id(&listed, &id);
    assert_false(find_child(f.work, L"Before", NULL));
    assert_int_equal(set_props(folder, 1, &narrow, NULL), S_OK);
    assert_wide_prop(other, PR_DISPLAY_NAME_W, L"Narrowly renamed");
    assert_true(find_child(f.work, L"Narrowly renamed", NULL));
    assert_int_equal(child_count(f.work), 1);
    release(other);
    release(folder);
    fx_finish(&f);
}

/* A folder always has a name: an empty or too long one is that property's problem, and the rest is set. */
static void renaming_to_an_empty_or_too_long_name_is_refused_per_property(void **state)
{
    static WCHAR too_long[1026];
    SPropValue values[] = {{PR_DISPLAY_NAME_W, 0, {.lpszW = L""}}, {PR_COMMENT_W, 0, {.lpszW = L"set all the same"}}};
    SPropProblemArray *problems = NULL;
    IMAPIFolder *folder;
    ULONG i;
    struct fx f;
    (void)state;
    fx_start(&f);
    folder = create(f.work, L"Named");
    for (i = 0; i < 1025; i++) too_long[i] = L'x';
    for (i = 0; i < 2; i++) {
        if (i) values[0].Value.lpszW = too_long;
        assert_int_equal(set_props(folder, 2, values, &problems), S_OK);
        assert_int_equal(problem_at(problems, 0, PR_DISPLAY_NAME_W), MAPI_E_INVALID_PARAMETER);
        assert_int_equal(problem_at(problems, 1, PR_COMMENT_W), S_OK);
        free_problems(problems);
        assert_wide_prop(folder, PR_DISPLAY_NAME_W, L"Named");
        assert_wide_prop(folder, PR_COMMENT_W, L"set all the same");
    }
    release(folder);
    fx_finish(&f);
}

static void renaming_to_a_siblings_name_in_any_case_fails_the_whole_call(void **state)
{
    SPropValue values[] = {{PR_COMMENT_W, 0, {.lpszW = L"new comment"}},
                           {PR_DISPLAY_NAME_W, 0, {.lpszW = L"ALPHA"}},
                           {PROP_TAG(PT_LONG, 0x6750), 0, {.l = 2}}};
    SPropValue narrow = {PR_DISPLAY_NAME_A, 0, {.lpszA = "alpha"}};
    IMAPIFolder *beta;
    struct fx f;
    (void)state;
    fx_start(&f);
    release(create(f.work, L"Alpha"));
    beta = create(f.work, L"Beta");
    set_wide(beta, PR_COMMENT_W, L"old comment");
    set_long(beta, PROP_TAG(PT_LONG, 0x6750), 1);
    assert_int_equal(set_props(beta, ARRAYSIZE(values), values, NULL), MAPI_E_COLLISION);
    assert_int_equal(set_props(beta, 1, &narrow, NULL), MAPI_E_COLLISION);
    values[1].Value.lpszW = L"Alpha";
    assert_int_equal(set_props(beta, ARRAYSIZE(values), values, NULL), MAPI_E_COLLISION);
    assert_wide_prop(beta, PR_DISPLAY_NAME_W, L"Beta");
    assert_wide_prop(beta, PR_COMMENT_W, L"old comment");
    assert_int_equal(long_prop(beta, PROP_TAG(PT_LONG, 0x6750)), 1);
    assert_true(find_child(f.work, L"Beta", NULL));
    /* A folder's own name in another case is no collision. */
    set_wide(beta, PR_DISPLAY_NAME_W, L"BETA");
    assert_wide_prop(beta, PR_DISPLAY_NAME_W, L"BETA");
    release(beta);
    fx_finish(&f);
}

static void comment_and_container_class_are_kept(void **state)
{
    SPropValue values[] = {{PR_COMMENT_W, 0, {.lpszW = L"Notes \u263a"}},
                           {PR_CONTAINER_CLASS_W, 0, {.lpszW = L"IPF.Task"}}};
    SPropValue narrow = {PR_CONTAINER_CLASS_A, 0, {.lpszA = "IPF.Note"}};
    struct entry_id id;
    IMAPIFolder *folder, *other;
    struct fx f;
    (void)state;
    fx_start(&f);
    folder = create(f.work, L"Classy");
    assert_int_equal(set_props(folder, ARRAYSIZE(values), values, NULL), S_OK);
    id = entry_id_of(folder);
    other = open_folder(f.s.store, &id, 0);
    assert_wide_prop(other, PR_COMMENT_W, L"Notes \u263a");
    assert_wide_prop(other, PR_CONTAINER_CLASS_W, L"IPF.Task");
    assert_int_equal(set_props(folder, 1, &narrow, NULL), S_OK);
    assert_wide_prop(other, PR_CONTAINER_CLASS_W, L"IPF.Note");
    release(other);
    release(folder);
    fx_finish(&f);
}

static void computed_properties_are_refused_while_the_rest_is_set(void **state)
{
    static const ULONG computed[] = {
        PR_ENTRYID,          PR_PARENT_ENTRYID,  PR_RECORD_KEY,         PR_INSTANCE_KEY,  PR_OBJECT_TYPE,
        PR_FOLDER_TYPE,      PR_SUBFOLDERS,      PR_CONTENT_COUNT,      PR_CONTENT_UNREAD, PR_ASSOC_CONTENT_COUNT,
        PR_ACCESS,           PR_ACCESS_LEVEL,    PR_STORE_ENTRYID,      PR_CREATION_TIME, PR_LAST_MODIFICATION_TIME,
        PR_DISPLAY_TYPE,     PR_STORE_RECORD_KEY, PR_MDB_PROVIDER,      PR_STORE_SUPPORT_MASK, PR_DEPTH,
    };
    enum { COMPUTED = ARRAYSIZE(computed), COUNT = COMPUTED + 2 };
    SPropValue values[COUNT];
    SPropProblemArray *problems = NULL;
    struct entry_id before, after;
    IMAPIFolder *folder;
    struct fx f;
    ULONG i;
    (void)state;
    fx_start(&f);
    folder = create(f.work, L"Computed");
    before = entry_id_of(folder);
    memset(values, 0, sizeof(values));
    /* A client property first and the comment last, the computed ones between, each of its own type. */
    values[0].ulPropTag = PROP_TAG(PT_LONG, 0x6720);
    values[0].Value.l = 77;
    for (i = 0; i < COMPUTED; i++) {
        SPropValue *v = &values[i + 1];
        v->ulPropTag = computed[i];
        switch (PROP_TYPE(computed[i])) {
        case PT_BINARY: v->Value.bin.cb = sizeof(bytes), v->Value.bin.lpb = bytes; break;
        case PT_BOOLEAN: v->Value.b = TRUE; break;
        case PT_SYSTIME: v->Value.ft.dwLowDateTime = 1; break;
        default: v->Value.l = 9; break;
        }
    }
    values[COUNT - 1].ulPropTag = PR_COMMENT_W;
    values[COUNT - 1].Value.lpszW = L"set beside them";
    assert_int_equal(set_props(folder, COUNT, values, &problems), S_OK);
    assert_non_null(problems);
    assert_int_equal(problems->cProblem, COMPUTED);
    assert_int_equal(problem_at(problems, 0, values[0].ulPropTag), S_OK);
    for (i = 0; i < COMPUTED; i++) assert_int_equal(problem_at(problems, i + 1, computed[i]), MAPI_E_COMPUTED);
    assert_int_equal(problem_at(problems, COUNT - 1, PR_COMMENT_W), S_OK);
    free_problems(problems);
    assert_int_equal(long_prop(folder, PROP_TAG(PT_LONG, 0x6720)), 77);
    assert_wide_prop(folder, PR_COMMENT_W, L"set beside them");
    /* The store's values stand. */
    after = entry_id_of(folder);
    assert_same_id(&after, &before);
    assert_int_equal(long_prop(folder, PR_OBJECT_TYPE), MAPI_FOLDER);
    assert_int_equal(long_prop(folder, PR_FOLDER_TYPE), FOLDER_GENERIC);
    assert_int_equal(long_prop(folder, PR_CONTENT_COUNT), 0);
    assert_int_equal(long_prop(folder, PR_ACCESS_LEVEL), MAPI_MODIFY);
    assert_false(bool_prop(folder, PR_SUBFOLDERS));
    release(folder);
    fx_finish(&f);
}

static void object_error_and_null_types_are_refused_while_the_rest_is_set(void **state)
{
    SPropValue values[] = {{PROP_TAG(PT_OBJECT, 0x6721), 0, {.l = 0}},
                           {PROP_TAG(PT_LONG, 0x6722), 0, {.l = 5}},
                           {PROP_TAG(PT_ERROR, 0x6723), 0, {.err = MAPI_E_NOT_FOUND}},
                           {PROP_TAG(PT_NULL, 0x6724), 0, {.l = 0}}};
    SPropProblemArray *problems = NULL;
    IMAPIFolder *folder;
    struct fx f;
    ULONG i;
    (void)state;
    fx_start(&f);
    folder = create(f.work, L"Typed");
    assert_int_equal(set_props(folder, ARRAYSIZE(values), values, &problems), S_OK);
    assert_non_null(problems);
    assert_int_equal(problems->cProblem, 3);
    for (i = 0; i < ARRAYSIZE(values); i++)
        assert_int_equal(problem_at(problems, i, values[i].ulPropTag), i == 1 ? S_OK : MAPI_E_INVALID_TYPE);
    free_problems(problems);
    assert_int_equal(long_prop(folder, PROP_TAG(PT_LONG, 0x6722)), 5);
    assert_absent(folder, PROP_TAG(PT_LONG, 0x6721));
    assert_absent(folder, PROP_TAG(PT_LONG, 0x6723));
    assert_absent(folder, PROP_TAG(PT_LONG, 0x6724));
    release(folder);
    fx_finish(&f);
}

static void client_properties_of_every_type_round_trip(void **state)
{
    SizedSPropTagArray(EVERY_TYPE_COUNT, tags);
    SPropValue *read = NULL;
    struct entry_id id;
    IMAPIFolder *folder, *other;
    ULONG count = 0, i;
    struct fx f;
    (void)state;
    fx_start(&f);
    folder = create(f.work, L"Every type");
    assert_int_equal(set_props(folder, EVERY_TYPE_COUNT, every_type, NULL), S_OK);
    tags.cValues = EVERY_TYPE_COUNT;
    for (i = 0; i < EVERY_TYPE_COUNT; i++) tags.aulPropTag[i] = every_type[i].ulPropTag;
    /* Read through another object of the folder: what was stored, not what the first one holds. */
    id = entry_id_of(folder);
    other = open_folder(f.s.store, &id, 0);
    assert_int_equal(other->lpVtbl->GetProps(other, (LPSPropTagArray)&tags, 0, &count, &read), S_OK);
    assert_int_equal(count, EVERY_TYPE_COUNT);
    for (i = 0; i < EVERY_TYPE_COUNT; i++) assert_same_value(&every_type[i], &read[i]);
    mapisim_FreeBuffer(read);
    release(other);
    release(folder);
    fx_finish(&f);
}

static void narrow_strings_are_kept_wide_and_answer_in_both_widths(void **state)
{
    static WCHAR *wide_list[] = {L"one", L"", L"three"};
    const SPropValue as_unicode[] = {{PROP_TAG(PT_UNICODE, 0x670e), 0, {.lpszW = L"narrow text"}},
                                     {PROP_TAG(PT_MV_UNICODE, 0x671b), 0, {.MVszW = {3, wide_list}}}};
    SizedSPropTagArray(4, tags) = {4, {PROP_TAG(PT_STRING8, 0x670e), PROP_TAG(PT_UNICODE, 0x670e),
                                       PROP_TAG(PT_MV_STRING8, 0x671b), PROP_TAG(PT_MV_UNICODE, 0x671b)}};
    const SPropValue *narrow_text = every_type_value(PROP_TAG(PT_STRING8, 0x670e));
    const SPropValue *narrow_list = every_type_value(PROP_TAG(PT_MV_STRING8, 0x671b));
    SPropTagArray *listed = NULL;
    SPropValue *read = NULL;
    IMAPIFolder *folder;
    ULONG count = 0, i, found = 0;
    struct fx f;
    (void)state;
    fx_start(&f);
    folder = create(f.work, L"Narrow");
    assert_int_equal(set_props(folder, 1, narrow_text, NULL), S_OK);
    assert_int_equal(set_props(folder, 1, narrow_list, NULL), S_OK);
    assert_int_equal(folder->lpVtbl->GetProps(folder, (LPSPropTagArray)&tags, 0, &count, &read), S_OK);
    assert_int_equal(count, 4);
    assert_same_value(narrow_text, &read[0]);
    assert_same_value(&as_unicode[0], &read[1]);
    assert_same_value(narrow_list, &read[2]);
    assert_same_value(&as_unicode[1], &read[3]);
    mapisim_FreeBuffer(read);
    /* Kept wide: the property list names them PT_UNICODE. */
    assert_int_equal(folder->lpVtbl->GetPropList(folder, MAPI_UNICODE, &listed), S_OK);
    for (i = 0; i < listed->cValues; i++) {
        ULONG id = PROP_ID(listed->aulPropTag[i]);
        if (id == 0x670e) assert_int_equal(listed->aulPropTag[i], as_unicode[0].ulPropTag), found++;
        if (id == 0x671b) assert_int_equal(listed->aulPropTag[i], as_unicode[1].ulPropTag), found++;
    }
    assert_int_equal(found, 2);
    mapisim_FreeBuffer(listed);
    release(folder);
    fx_finish(&f);
}

static void get_props_without_a_tag_list_lists_client_properties(void **state)
{
    SPropValue *all = NULL;
    IMAPIFolder *folder;
    ULONG count = 0, i, j;
    struct fx f;
    (void)state;
    fx_start(&f);
    folder = create(f.work, L"Listed");
    assert_int_equal(set_props(folder, EVERY_TYPE_COUNT, every_type, NULL), S_OK);
    assert_int_equal(folder->lpVtbl->GetProps(folder, NULL, MAPI_UNICODE, &count, &all), S_OK);
    for (i = 0; i < EVERY_TYPE_COUNT; i++) {
        const SPropValue *found = NULL;
        for (j = 0; j < count; j++) {
            if (PROP_ID(all[j].ulPropTag) != PROP_ID(every_type[i].ulPropTag)) continue;
            assert_null(found); /* listed once */
            found = &all[j];
        }
        if (!found) fail_msg("property 0x%08lx not listed", (unsigned long)every_type[i].ulPropTag);
        assert_int_equal(found->ulPropTag, kept_tag(every_type[i].ulPropTag));
        if (found->ulPropTag == every_type[i].ulPropTag) assert_same_value(&every_type[i], found);
    }
    for (j = 0; j < count && all[j].ulPropTag != PR_DISPLAY_NAME_W; j++) continue;
    assert_true(j < count);
    mapisim_FreeBuffer(all);
    release(folder);
    fx_finish(&f);
}

static void save_changes_answers_ok_and_refuses_unknown_flags(void **state)
{
    static const ULONG flags[] = {0, KEEP_OPEN_READONLY, KEEP_OPEN_READWRITE, FORCE_SAVE,
                                  KEEP_OPEN_READWRITE | FORCE_SAVE, MAPI_DEFERRED_ERRORS};
    struct fx f;
    size_t i;
    (void)state;
    fx_start(&f);
    set_long(f.work, PROP_TAG(PT_LONG, 0x6730), 30);
    for (i = 0; i < ARRAYSIZE(flags); i++) assert_int_equal(f.work->lpVtbl->SaveChanges(f.work, flags[i]), S_OK);
    assert_int_equal(f.work->lpVtbl->SaveChanges(f.work, UNKNOWN_FLAG), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(f.work->lpVtbl->SaveChanges(f.work, KEEP_OPEN_READWRITE | UNKNOWN_FLAG), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(long_prop(f.work, PROP_TAG(PT_LONG, 0x6730)), 30);
    fx_finish(&f);
}

static void problem_array_is_one_block_and_null_without_problems(void **state)
{
    SPropValue values[] = {{PR_ENTRYID, 0, {.bin = {sizeof(bytes), bytes}}}, {PROP_TAG(PT_LONG, 0x6731), 0, {.l = 1}}};
    SizedSPropTagArray(2, tags) = {2, {PR_ENTRYID, PROP_TAG(PT_LONG, 0x6731)}};
    SPropProblemArray *problems = NULL;
    struct fx f;
    (void)state;
    fx_start(&f);
    /* set_props and delete_props check the array is one live block, NULL without problems. */
    assert_int_equal(set_props(f.work, 2, values, &problems), S_OK);
    assert_int_equal(problems->cProblem, 1);
    assert_int_equal(problem_at(problems, 0, PR_ENTRYID), MAPI_E_COMPUTED);
    free_problems(problems);
    assert_int_equal(set_props(f.work, 1, &values[1], &problems), S_OK);
    assert_null(problems);
    assert_int_equal(delete_props(f.work, &tags, &problems), S_OK);
    assert_int_equal(problems->cProblem, 1);
    assert_int_equal(problem_at(problems, 0, PR_ENTRYID), MAPI_E_COMPUTED);
    free_problems(problems);
    set_long(f.work, PROP_TAG(PT_LONG, 0x6731), 2);
    tags.cValues = 1;
    tags.aulPropTag[0] = PROP_TAG(PT_LONG, 0x6731);
    assert_int_equal(delete_props(f.work, &tags, &problems), S_OK);
    assert_null(problems);
    fx_finish(&f);
}

static void set_props_and_delete_props_refuse_missing_values(void **state)
{
    SPropValue value = {PROP_TAG(PT_LONG, 0x6732), 0, {.l = 1}};
    SizedSPropTagArray(1, empty) = {0, {0}};
    struct fx f;
    (void)state;
    fx_start(&f);
    assert_int_equal(set_props(f.work, 1, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(set_props(f.work, 0, &value, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(f.work->lpVtbl->DeleteProps(f.work, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(delete_props(f.work, &empty, NULL), MAPI_E_INVALID_PARAMETER);
    assert_absent(f.work, value.ulPropTag);
    fx_finish(&f);
}

/* ==== DeleteProps ==== */

static void delete_props_removes_a_client_property(void **state)
{
    SizedSPropTagArray(1, tags) = {1, {PROP_TAG(PT_LONG, 0x6740)}};
    struct entry_id id;
    IMAPIFolder *folder, *other;
    struct fx f;
    (void)state;
    fx_start(&f);
    folder = create(f.work, L"Deleting");
    set_long(folder, PROP_TAG(PT_LONG, 0x6740), 40);
    set_wide(folder, PROP_TAG(PT_UNICODE, 0x6741), L"stays");
    assert_int_equal(delete_props(folder, &tags, NULL), S_OK);
    id = entry_id_of(folder);
    other = open_folder(f.s.store, &id, 0);
    assert_absent(folder, PROP_TAG(PT_LONG, 0x6740));
    assert_absent(other, PROP_TAG(PT_LONG, 0x6740));
    assert_wide_prop(other, PROP_TAG(PT_UNICODE, 0x6741), L"stays");
    release(other);
    release(folder);
    fx_finish(&f);
}

static void delete_props_refuses_the_name_and_computed_properties(void **state)
{
    SizedSPropTagArray(5, tags) = {5, {PR_DISPLAY_NAME_W, PR_ENTRYID, PR_FOLDER_TYPE, PR_SUBFOLDERS,
                                       PROP_TAG(PT_LONG, 0x6742)}};
    SPropProblemArray *problems = NULL;
    ULONG i;
    struct fx f;
    (void)state;
    fx_start(&f);
    set_long(f.work, PROP_TAG(PT_LONG, 0x6742), 42);
    assert_int_equal(delete_props(f.work, &tags, &problems), S_OK);
    assert_int_equal(problems->cProblem, 4);
    for (i = 0; i < 4; i++) assert_int_equal(problem_at(problems, i, tags.aulPropTag[i]), MAPI_E_COMPUTED);
    assert_int_equal(problem_at(problems, 4, tags.aulPropTag[4]), S_OK);
    free_problems(problems);
    assert_wide_prop(f.work, PR_DISPLAY_NAME_W, L"Work");
    assert_int_equal(long_prop(f.work, PR_FOLDER_TYPE), FOLDER_GENERIC);
    assert_absent(f.work, PROP_TAG(PT_LONG, 0x6742));
    fx_finish(&f);
}

static void delete_props_reports_a_property_the_folder_lacks(void **state)
{
    SizedSPropTagArray(2, tags) = {2, {PROP_TAG(PT_LONG, 0x6743), PROP_TAG(PT_LONG, 0x6744)}};
    SPropProblemArray *problems = NULL;
    struct fx f;
    (void)state;
    fx_start(&f);
    set_long(f.work, PROP_TAG(PT_LONG, 0x6744), 44);
    assert_int_equal(delete_props(f.work, &tags, &problems), S_OK);
    assert_int_equal(problems->cProblem, 1);
    assert_int_equal(problem_at(problems, 0, tags.aulPropTag[0]), MAPI_E_NOT_FOUND);
    free_problems(problems);
    assert_absent(f.work, PROP_TAG(PT_LONG, 0x6744));
    fx_finish(&f);
}

static void deleted_comment_reads_empty_and_deleted_container_class_is_absent(void **state)
{
    SPropValue values[] = {{PR_COMMENT_W, 0, {.lpszW = L"a comment"}},
                           {PR_CONTAINER_CLASS_W, 0, {.lpszW = L"IPF.Note"}}};
    SizedSPropTagArray(2, tags) = {2, {PR_COMMENT_W, PR_CONTAINER_CLASS_W}};
    struct fx f;
    (void)state;
    fx_start(&f);
    assert_int_equal(set_props(f.work, ARRAYSIZE(values), values, NULL), S_OK);
    assert_int_equal(delete_props(f.work, &tags, NULL), S_OK);
    assert_wide_prop(f.work, PR_COMMENT_W, L"");
    assert_absent(f.work, PR_CONTAINER_CLASS_W);
    fx_finish(&f);
}

/* ==== DeleteFolder ==== */

static void delete_folder_removes_an_empty_subfolder(void **state)
{
    struct entry_id id;
    struct fx f;
    (void)state;
    fx_start(&f);
    id = create_id(f.work, L"Empty");
    assert_true(bool_prop(f.work, PR_SUBFOLDERS));
    assert_int_equal(delete_folder(f.work, &id, 0), S_OK);
    assert_int_equal(child_count(f.work), 0);
    assert_false(bool_prop(f.work, PR_SUBFOLDERS));
    assert_int_equal(open_result(f.s.store, &id, 0), MAPI_E_NOT_FOUND);
    assert_int_equal(delete_folder(f.work, &id, 0), MAPI_E_NOT_FOUND);
    fx_finish(&f);
}

static void delete_folder_takes_a_subtree_only_with_del_folders(void **state)
{
    struct entry_id parent, child, grandchild;
    IMAPIFolder *folder, *inner;
    struct fx f;
    (void)state;
    fx_start(&f);
    folder = create(f.work, L"Parent");
    parent = entry_id_of(folder);
    inner = create(folder, L"Child");
    child = entry_id_of(inner);
    grandchild = create_id(inner, L"Grandchild");
    release(inner);
    release(folder);
    assert_int_equal(delete_folder(f.work, &parent, 0), MAPI_E_HAS_FOLDERS);
    assert_int_equal(delete_folder(f.work, &parent, DEL_MESSAGES), MAPI_E_HAS_FOLDERS);
    assert_int_equal(open_result(f.s.store, &parent, 0), S_OK);
    assert_int_equal(open_result(f.s.store, &child, 0), S_OK);
    assert_int_equal(open_result(f.s.store, &grandchild, 0), S_OK);
    assert_true(find_child(f.work, L"Parent", NULL));
    assert_int_equal(delete_folder(f.work, &parent, DEL_FOLDERS), S_OK);
    assert_int_equal(open_result(f.s.store, &parent, 0), MAPI_E_NOT_FOUND);
    assert_int_equal(open_result(f.s.store, &child, 0), MAPI_E_NOT_FOUND);
    assert_int_equal(open_result(f.s.store, &grandchild, 0), MAPI_E_NOT_FOUND);
    assert_int_equal(child_count(f.work), 0);
    fx_finish(&f);
}

static void delete_folder_deletes_only_direct_subfolders(void **state)
{
    struct entry_id work_id, child;
    IMAPIFolder *ipm;
    struct fx f;
    (void)state;
    fx_start(&f);
    child = create_id(f.work, L"Grandchild of the root");
    assert_int_equal(delete_folder(f.root, &child, DEL_FOLDERS), MAPI_E_NOT_FOUND);
    ipm = open_ipm_subtree(f.s.store);
    work_id = entry_id_of(f.work);
    assert_int_equal(delete_folder(ipm, &work_id, DEL_FOLDERS), MAPI_E_NOT_FOUND);
    assert_int_equal(open_result(f.s.store, &child, 0), S_OK);
    assert_int_equal(open_result(f.s.store, &work_id, 0), S_OK);
    release(ipm);
    fx_finish(&f);
}

static void delete_folder_refuses_layout_folders_and_the_store_entry_id(void **state)
{
    struct entry_id inbox, ipm_id, store_ids[2];
    IMAPIFolder *ipm;
    struct fx f;
    (void)state;
    fx_start(&f);
    ipm = open_ipm_subtree(f.s.store);
    inbox = child_id(ipm, L"Inbox");
    ipm_id = entry_id_of(ipm);
    assert_int_equal(delete_folder(ipm, &inbox, 0), MAPI_E_NO_ACCESS);
    assert_int_equal(delete_folder(ipm, &inbox, DEL_FOLDERS | DEL_MESSAGES), MAPI_E_NO_ACCESS);
    assert_int_equal(delete_folder(f.root, &ipm_id, DEL_FOLDERS), MAPI_E_NO_ACCESS);
    assert_int_equal(open_result(f.s.store, &inbox, 0), S_OK);
    assert_int_equal(child_count(ipm), 11);
    store_entry_ids(f.s.store, store_ids);
    assert_int_equal(delete_folder(f.work, &store_ids[0], 0), MAPI_E_INVALID_ENTRYID);
    assert_int_equal(delete_folder(f.work, &store_ids[1], DEL_FOLDERS), MAPI_E_INVALID_ENTRYID);
    release(ipm);
    fx_finish(&f);
}

/* What a folder object answers once its folder is gone. */
static void assert_object_deleted(IMAPIFolder *folder)
{
    SPropValue value = {PR_COMMENT_W, 0, {.lpszW = L"too late"}};
    IMAPIFolder *created;
    IMAPITable *table = (IMAPITable *)(ULONG_PTR)1;
    SPropValue *values = (SPropValue *)(ULONG_PTR)1;
    ULONG count = 99;
    assert_int_equal(folder->lpVtbl->GetProps(folder, NULL, 0, &count, &values), MAPI_E_OBJECT_DELETED);
    assert_int_equal(count, 0);
    assert_null(values);
    assert_int_equal(folder->lpVtbl->GetHierarchyTable(folder, 0, &table), MAPI_E_OBJECT_DELETED);
    assert_null(table);
    assert_int_equal(create_folder(folder, FOLDER_GENERIC, L"Inside", NULL, NULL, MAPI_UNICODE, &created),
                     MAPI_E_OBJECT_DELETED);
    assert_int_equal(set_props(folder, 1, &value, NULL), MAPI_E_OBJECT_DELETED);
}

static void objects_on_a_deleted_folder_answer_object_deleted(void **state)
{
    struct entry_id doomed_id;
    IMAPIFolder *doomed, *inner;
    struct fx f;
    (void)state;
    fx_start(&f);
    doomed = create(f.work, L"Doomed");
    inner = create(doomed, L"Inner");
    doomed_id = entry_id_of(doomed);
    assert_int_equal(delete_folder(f.work, &doomed_id, DEL_FOLDERS), S_OK);
    assert_object_deleted(doomed);
    assert_object_deleted(inner);
    assert_false(bool_prop(f.work, PR_SUBFOLDERS));
    release(inner);
    release(doomed);
    fx_finish(&f); /* and the session ends clean */
}

/* ==== CopyFolder ==== */

/* A folder with a comment, a container class and two client properties. */
static IMAPIFolder *create_described(IMAPIFolder *parent, const WCHAR *name)
{
    SPropValue values[] = {{PR_COMMENT_W, 0, {.lpszW = L"described"}},
                           {PR_CONTAINER_CLASS_W, 0, {.lpszW = L"IPF.Contact"}},
                           {PROP_TAG(PT_LONG, 0x6750), 0, {.l = 50}},
                           {PROP_TAG(PT_MV_UNICODE, 0x6751), 0, {.MVszW = {3, wides}}}};
    IMAPIFolder *folder = create(parent, name);
    assert_int_equal(set_props(folder, ARRAYSIZE(values), values, NULL), S_OK);
    return folder;
}

static void assert_described(IMAPIFolder *folder)
{
    SPropValue list = {PROP_TAG(PT_MV_UNICODE, 0x6751), 0, {.MVszW = {3, wides}}};
    SPropValue *read = get_prop((IMAPIProp *)folder, list.ulPropTag);
    assert_wide_prop(folder, PR_COMMENT_W, L"described");
    assert_wide_prop(folder, PR_CONTAINER_CLASS_W, L"IPF.Contact");
    assert_int_equal(long_prop(folder, PROP_TAG(PT_LONG, 0x6750)), 50);
    assert_same_value(&list, read);
    mapisim_FreeBuffer(read);
}

static void copy_folder_keeps_the_original_and_copies_its_properties(void **state)
{
    struct entry_id original_id, copy_id, target_id, listed, parent;
    IMAPIFolder *original, *target, *copy;
    struct fx f;
    (void)state;
    fx_start(&f);
    original = create_described(f.work, L"Original");
    original_id = entry_id_of(original);
    target = create(f.work, L"Target");
    target_id = entry_id_of(target);
    assert_int_equal(copy_folder(f.work, &original_id, target, NULL, 0), S_OK);
    /* The original is where it was, as it was. */
    listed = child_id(f.work, L"Original");
    assert_same_id(&listed, &original_id);
    assert_described(original);
    /* The copy: a new folder under the target, with the same client properties. */
    copy_id = child_id(target, L"Original");
    assert_false(same_id(&copy_id, &original_id));
    assert_true(object_number(&copy_id) > LAYOUT_MAX_ID);
    copy = open_folder(f.s.store, &copy_id, MAPI_MODIFY);
    assert_described(copy);
    parent = parent_id_of(copy);
    assert_same_id(&parent, &target_id);
    assert_true(long_prop(copy, PR_ACCESS) & MAPI_ACCESS_DELETE);
    /* Copies are independent folders. */
    set_long(copy, PROP_TAG(PT_LONG, 0x6750), 51);
    assert_int_equal(long_prop(original, PROP_TAG(PT_LONG, 0x6750)), 50);
    release(copy);
    release(target);
    release(original);
    fx_finish(&f);
}

static void copy_folder_copies_subfolders_only_with_copy_subfolders(void **state)
{
    struct entry_id source_id, child_src, grandchild_src, shallow_id, deep_id, child_copy, grandchild_copy;
    IMAPIFolder *source, *child, *shallow, *deep, *child_copy_folder;
    struct fx f;
    (void)state;
    fx_start(&f);
    source = create(f.work, L"Tree");
    source_id = entry_id_of(source);
    child = create_described(source, L"Branch");
    child_src = entry_id_of(child);
    grandchild_src = create_id(child, L"Leaf");
    release(child);
    shallow = create(f.work, L"Shallow");
    deep = create(f.work, L"Deep");
    assert_int_equal(copy_folder(f.work, &source_id, shallow, NULL, 0), S_OK);
    assert_int_equal(copy_folder(f.work, &source_id, deep, NULL, COPY_SUBFOLDERS), S_OK);
    /* Without COPY_SUBFOLDERS, only the folder. */
    shallow_id = child_id(shallow, L"Tree");
    release(shallow);
    shallow = open_folder(f.s.store, &shallow_id, 0);
    assert_int_equal(child_count(shallow), 0);
    assert_false(bool_prop(shallow, PR_SUBFOLDERS));
    /* With it, the whole subtree, each folder new and like its original. */
    deep_id = child_id(deep, L"Tree");
    release(deep);
    deep = open_folder(f.s.store, &deep_id, 0);
    child_copy = child_id(deep, L"Branch");
    assert_false(same_id(&child_copy, &child_src));
    child_copy_folder = open_folder(f.s.store, &child_copy, 0);
    assert_described(child_copy_folder);
    grandchild_copy = child_id(child_copy_folder, L"Leaf");
    assert_false(same_id(&grandchild_copy, &grandchild_src));
    /* The source tree is untouched. */
    assert_int_equal(child_count(source), 1);
    assert_int_equal(open_result(f.s.store, &grandchild_src, 0), S_OK);
    release(child_copy_folder);
    release(deep);
    release(shallow);
    release(source);
    fx_finish(&f);
}

static void move_folder_keeps_its_entry_id_and_takes_its_subfolders(void **state)
{
    struct entry_id mover_id, target_id, child, listed, parent, after;
    IMAPIFolder *from, *mover, *target;
    struct fx f;
    (void)state;
    fx_start(&f);
    from = create(f.work, L"From");
    mover = create_described(from, L"Mover");
    mover_id = entry_id_of(mover);
    child = create_id(mover, L"Passenger");
    target = create(f.work, L"To");
    target_id = entry_id_of(target);
    assert_false(bool_prop(target, PR_SUBFOLDERS));
    assert_int_equal(copy_folder(from, &mover_id, target, NULL, FOLDER_MOVE), S_OK);
    listed = child_id(target, L"Mover");
    assert_same_id(&listed, &mover_id);
    assert_int_equal(child_count(from), 0);
    assert_false(bool_prop(from, PR_SUBFOLDERS));
    assert_true(bool_prop(target, PR_SUBFOLDERS));
    /* The object open on it keeps working: same entry ID, new parent, its properties and subfolder. */
    after = entry_id_of(mover);
    assert_same_id(&after, &mover_id);
    parent = parent_id_of(mover);
    assert_same_id(&parent, &target_id);
    assert_described(mover);
    listed = child_id(mover, L"Passenger");
    assert_same_id(&listed, &child);
    set_wide(mover, PR_COMMENT_W, L"moved");
    assert_wide_prop(mover, PR_COMMENT_W, L"moved");
    release(target);
    release(mover);
    release(from);
    fx_finish(&f);
}

static void copy_and_move_under_a_new_name_rename(void **state)
{
    static const WCHAR moved_name[] = L"Verschoben \u263a";
    struct entry_id source_id, listed;
    IMAPIFolder *source;
    struct fx f;
    (void)state;
    fx_start(&f);
    source = create(f.work, L"Source");
    source_id = entry_id_of(source);
    /* A copy beside its original needs a new name, here a narrow one. */
    assert_int_equal(copy_folder(f.work, &source_id, f.work, "Narrow copy", 0), S_OK);
    listed = child_id(f.work, L"Narrow copy");
    assert_false(same_id(&listed, &source_id));
    assert_int_equal(copy_folder(f.work, &source_id, f.root, moved_name, FOLDER_MOVE | MAPI_UNICODE), S_OK);
    listed = child_id(f.root, moved_name);
    assert_same_id(&listed, &source_id);
    assert_wide_prop(source, PR_DISPLAY_NAME_W, moved_name);
    assert_false(find_child(f.work, L"Source", NULL));
    assert_int_equal(child_count(f.work), 1);
    release(source);
    fx_finish(&f);
}

/* Only the destination's names count: a name a sibling has at the source is free elsewhere. */
static void a_move_may_take_a_name_its_old_siblings_have(void **state)
{
    struct entry_id source_id, listed;
    struct fx f;
    (void)state;
    fx_start(&f);
    source_id = create_id(f.work, L"Source");
    release(create(f.work, L"Sibling"));
    assert_int_equal(copy_folder(f.work, &source_id, f.root, L"sibling", FOLDER_MOVE | MAPI_UNICODE), S_OK);
    listed = child_id(f.root, L"sibling");
    assert_same_id(&listed, &source_id);
    assert_int_equal(child_count(f.work), 1);
    fx_finish(&f);
}

/* A message saved in folder: its subject, associated or not, read or not, with an attachment or not. */
static void save_message_in(IMAPIFolder *folder, const WCHAR *subject, ULONG create_flags, BOOL read, BOOL attached)
{
    SPropValue value = {PR_SUBJECT_W, 0, {.lpszW = (LPWSTR)subject}};
    IMessage *message = NULL;
    assert_int_equal(folder->lpVtbl->CreateMessage(folder, NULL, create_flags, &message), S_OK);
    assert_int_equal(message->lpVtbl->SetProps(message, 1, &value, NULL), S_OK);
    if (attached) {
        IAttach *attach = NULL;
        ULONG num = 0;
        assert_int_equal(message->lpVtbl->CreateAttach(message, NULL, 0, &num, &attach), S_OK);
        assert_int_equal(attach->lpVtbl->SaveChanges(attach, 0), S_OK);
        attach->lpVtbl->Release(attach);
    }
    assert_int_equal(message->lpVtbl->SaveChanges(message, KEEP_OPEN_READWRITE), S_OK);
    if (read) assert_int_equal(message->lpVtbl->SetReadFlag(message, 0), S_OK);
    message->lpVtbl->Release(message);
}

static void copy_folder_takes_the_messages_of_every_folder_it_copies(void **state)
{
    struct entry_id source_id, copy_id, branch_copy_id;
    IMAPIFolder *source, *branch, *copy, *branch_copy;
    struct fx f;
    (void)state;
    fx_start(&f);
    source = create(f.work, L"With mail");
    save_message_in(source, L"Unread", 0, FALSE, FALSE);
    save_message_in(source, L"Read", 0, TRUE, TRUE);
    save_message_in(source, L"View settings", MAPI_ASSOCIATED, FALSE, FALSE);
    branch = create(source, L"Branch");
    save_message_in(branch, L"Deeper", 0, FALSE, TRUE);
    release(branch);
    source_id = entry_id_of(source);
    assert_int_equal(copy_folder(f.work, &source_id, f.work, L"Mail copy", COPY_SUBFOLDERS | MAPI_UNICODE), S_OK);
    copy_id = child_id(f.work, L"Mail copy");
    copy = open_folder(f.s.store, &copy_id, 0);
    assert_int_equal(long_prop(copy, PR_CONTENT_COUNT), 2);
    assert_int_equal(long_prop(copy, PR_CONTENT_UNREAD), 1);
    assert_int_equal(long_prop(copy, PR_ASSOC_CONTENT_COUNT), 1);
    branch_copy_id = child_id(copy, L"Branch");
    branch_copy = open_folder(f.s.store, &branch_copy_id, 0);
    assert_int_equal(long_prop(branch_copy, PR_CONTENT_COUNT), 1);
    /* The originals stay where they were. */
    assert_int_equal(long_prop(source, PR_CONTENT_COUNT), 2);
    assert_int_equal(long_prop(source, PR_ASSOC_CONTENT_COUNT), 1);
    release(branch_copy);
    release(copy);
    release(source);
    fx_finish(&f);
}

static void copy_folder_collides_with_a_name_taken_at_the_destination(void **state)
{
    struct entry_id source_id;
    IMAPIFolder *target;
    struct fx f;
    (void)state;
    fx_start(&f);
    source_id = create_id(f.work, L"Taken");
    target = create(f.work, L"Target");
    release(create(target, L"TAKEN"));
    release(create(target, L"Other"));
    assert_int_equal(copy_folder(f.work, &source_id, target, NULL, 0), MAPI_E_COLLISION);
    assert_int_equal(copy_folder(f.work, &source_id, target, NULL, COPY_SUBFOLDERS), MAPI_E_COLLISION);
    assert_int_equal(copy_folder(f.work, &source_id, target, NULL, FOLDER_MOVE), MAPI_E_COLLISION);
    assert_int_equal(copy_folder(f.work, &source_id, target, "other", 0), MAPI_E_COLLISION);
    assert_int_equal(copy_folder(f.work, &source_id, target, L"OTHER", FOLDER_MOVE | MAPI_UNICODE), MAPI_E_COLLISION);
    /* A copy beside its original under its own name. */
    assert_int_equal(copy_folder(f.work, &source_id, f.work, NULL, 0), MAPI_E_COLLISION);
    assert_int_equal(child_count(target), 2);
    assert_int_equal(child_count(f.work), 2);
    assert_true(find_child(f.work, L"Taken", NULL));
    release(target);
    fx_finish(&f);
}

static void moving_a_folder_into_its_own_subtree_is_a_cycle(void **state)
{
    struct entry_id top_id, listed;
    IMAPIFolder *top, *middle, *bottom;
    struct fx f;
    (void)state;
    fx_start(&f);
    top = create(f.work, L"Top");
    top_id = entry_id_of(top);
    middle = create(top, L"Middle");
    bottom = create(middle, L"Bottom");
    assert_int_equal(copy_folder(f.work, &top_id, top, NULL, FOLDER_MOVE), MAPI_E_FOLDER_CYCLE);
    assert_int_equal(copy_folder(f.work, &top_id, middle, NULL, FOLDER_MOVE), MAPI_E_FOLDER_CYCLE);
    assert_int_equal(copy_folder(f.work, &top_id, bottom, NULL, FOLDER_MOVE), MAPI_E_FOLDER_CYCLE);
    listed = child_id(f.work, L"Top");
    assert_same_id(&listed, &top_id);
    assert_int_equal(child_count(top), 1);
    assert_int_equal(child_count(bottom), 0);
    release(bottom);
    release(middle);
    release(top);
    fx_finish(&f);
}

static void layout_folders_copy_but_do_not_move(void **state)
{
    struct entry_id inbox, copy_id, listed;
    IMAPIFolder *ipm, *copy;
    struct fx f;
    (void)state;
    fx_start(&f);
    ipm = open_ipm_subtree(f.s.store);
    inbox = child_id(ipm, L"Inbox");
    assert_int_equal(copy_folder(ipm, &inbox, f.work, NULL, FOLDER_MOVE), MAPI_E_NO_ACCESS);
    assert_int_equal(copy_folder(ipm, &inbox, f.work, L"Moved Inbox", FOLDER_MOVE | MAPI_UNICODE), MAPI_E_NO_ACCESS);
    listed = child_id(ipm, L"Inbox");
    assert_same_id(&listed, &inbox);
    assert_int_equal(child_count(f.work), 0);
    /* A copy is an ordinary folder: it may be deleted. */
    assert_int_equal(copy_folder(ipm, &inbox, f.work, NULL, 0), S_OK);
    copy_id = child_id(f.work, L"Inbox");
    assert_false(same_id(&copy_id, &inbox));
    copy = open_folder(f.s.store, &copy_id, 0);
    assert_true(long_prop(copy, PR_ACCESS) & MAPI_ACCESS_DELETE);
    assert_wide_prop(copy, PR_CONTAINER_CLASS_W, L"IPF.Note");
    release(copy);
    assert_int_equal(delete_folder(f.work, &copy_id, 0), S_OK);
    assert_int_equal(child_count(f.work), 0);
    assert_int_equal(open_result(f.s.store, &inbox, 0), S_OK);
    release(ipm);
    fx_finish(&f);
}

static void copy_folder_refuses_destinations_of_another_store(void **state)
{
    struct mapisim_session other;
    IMAPIFolder *other_root;
    struct entry_id source;
    struct fx f;
    (void)state;
    fx_start(&f);
    source = create_id(f.work, L"Source");
    session_start(&other);
    other_root = open_folder(other.store, NULL, MAPI_MODIFY);
    assert_int_equal(copy_folder(f.work, &source, other_root, NULL, 0), MAPI_E_NO_SUPPORT);
    assert_int_equal(copy_folder(f.work, &source, other_root, NULL, FOLDER_MOVE), MAPI_E_NO_SUPPORT);
    assert_false(find_child(other_root, L"Source", NULL));
    release(other_root);
    session_finish(&other);
    /* Nor is an object that is not a folder one. */
    assert_int_equal(copy_folder(f.work, &source, f.s.store, NULL, 0), MAPI_E_NO_SUPPORT);
    assert_int_equal(child_count(f.work), 1);
    fx_finish(&f);
}

static void copy_folder_refuses_a_read_only_destination(void **state)
{
    struct entry_id source, target_id;
    IMAPIFolder *read_only;
    struct fx f;
    (void)state;
    fx_start(&f);
    source = create_id(f.work, L"Source");
    target_id = create_id(f.work, L"Target");
    read_only = open_folder(f.s.store, &target_id, 0);
    assert_int_equal(copy_folder(f.work, &source, read_only, NULL, 0), MAPI_E_NO_ACCESS);
    assert_int_equal(copy_folder(f.work, &source, read_only, NULL, FOLDER_MOVE), MAPI_E_NO_ACCESS);
    assert_int_equal(child_count(read_only), 0);
    assert_true(find_child(f.work, L"Source", NULL));
    release(read_only);
    fx_finish(&f);
}

static void copy_folder_refuses_unknown_flags(void **state)
{
    struct entry_id source;
    struct fx f;
    (void)state;
    fx_start(&f);
    source = create_id(f.work, L"Source");
    assert_int_equal(copy_folder(f.work, &source, f.root, NULL, UNKNOWN_FLAG), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(copy_folder(f.work, &source, f.root, NULL, FOLDER_MOVE | UNKNOWN_FLAG), MAPI_E_UNKNOWN_FLAGS);
    assert_true(find_child(f.work, L"Source", NULL));
    assert_false(find_child(f.root, L"Source", NULL));
    fx_finish(&f);
}

/* ==== EmptyFolder ==== */

static const WCHAR *const mail_folders[] = {L"Inbox",    L"Outbox",   L"Sent Items", L"Deleted Items",
                                            L"Contacts", L"Calendar", L"Drafts",     L"Journal",
                                            L"Notes",    L"Tasks",    L"Junk E-mail"};

static void emptying_the_ipm_subtree_keeps_the_layout_folders(void **state)
{
    struct entry_id user, nested;
    IMAPIFolder *ipm, *folder;
    struct fx f;
    size_t i;
    (void)state;
    fx_start(&f);
    ipm = open_ipm_subtree(f.s.store);
    folder = create(ipm, L"Mine");
    user = entry_id_of(folder);
    nested = create_id(folder, L"Nested");
    release(folder);
    assert_int_equal(child_count(ipm), ARRAYSIZE(mail_folders) + 1);
    assert_int_equal(empty_folder(ipm, 0), MAPI_W_PARTIAL_COMPLETION);
    assert_int_equal(child_count(ipm), ARRAYSIZE(mail_folders));
    for (i = 0; i < ARRAYSIZE(mail_folders); i++) assert_true(find_child(ipm, mail_folders[i], NULL));
    assert_int_equal(open_result(f.s.store, &user, 0), MAPI_E_NOT_FOUND);
    assert_int_equal(open_result(f.s.store, &nested, 0), MAPI_E_NOT_FOUND);
    release(ipm);
    fx_finish(&f);
}

static void emptying_a_user_folder_removes_every_subfolder(void **state)
{
    struct entry_id child, grandchild;
    IMAPIFolder *folder;
    struct fx f;
    (void)state;
    fx_start(&f);
    folder = create(f.work, L"First");
    child = entry_id_of(folder);
    grandchild = create_id(folder, L"Below");
    release(folder);
    release(create(f.work, L"Second"));
    assert_int_equal(empty_folder(f.work, 0), S_OK);
    assert_int_equal(child_count(f.work), 0);
    assert_false(bool_prop(f.work, PR_SUBFOLDERS));
    assert_int_equal(open_result(f.s.store, &child, 0), MAPI_E_NOT_FOUND);
    assert_int_equal(open_result(f.s.store, &grandchild, 0), MAPI_E_NOT_FOUND);
    /* Emptying an empty folder is no error. */
    assert_int_equal(empty_folder(f.work, 0), S_OK);
    fx_finish(&f);
}

/* ==== receive folders ==== */

static struct entry_id inbox_id(IMsgStore *store)
{
    IMAPIFolder *ipm = open_ipm_subtree(store);
    struct entry_id id = child_id(ipm, L"Inbox");
    release(ipm);
    return id;
}

static void assert_receives(IMsgStore *store, const char *message_class, const struct entry_id *folder,
                            const char *expected_class)
{
    char explicit_class[256];
    struct entry_id got = receive_folder(store, message_class, explicit_class);
    assert_same_id(&got, folder);
    assert_string_equal(explicit_class, expected_class);
}

static void receive_folder_of_a_class_receives_its_subclasses(void **state)
{
    struct entry_id custom, inbox;
    struct fx f;
    (void)state;
    fx_start(&f);
    custom = create_id(f.work, L"Custom mail");
    inbox = inbox_id(f.s.store);
    assert_int_equal(set_receive_folder(f.s.store, "IPM.Note.Custom", &custom), S_OK);
    assert_receives(f.s.store, "IPM.Note.Custom.X", &custom, "IPM.Note.Custom");
    assert_receives(f.s.store, "IPM.Note.Custom", &custom, "IPM.Note.Custom");
    assert_receives(f.s.store, "ipm.note.custom.x.y", &custom, "IPM.Note.Custom");
    /* Classes outside it still go to the Inbox. */
    assert_receives(f.s.store, "IPM.Note", &inbox, "IPM");
    assert_receives(f.s.store, "IPM.Note.Customer", &inbox, "IPM");
    fx_finish(&f);
}

static void clearing_a_receive_folder_falls_back_to_the_inbox(void **state)
{
    struct entry_id custom, inbox;
    struct fx f;
    (void)state;
    fx_start(&f);
    custom = create_id(f.work, L"Custom mail");
    inbox = inbox_id(f.s.store);
    assert_int_equal(set_receive_folder(f.s.store, "IPM.Note.Custom", &custom), S_OK);
    assert_int_equal(set_receive_folder(f.s.store, "IPM.Note.Custom", NULL), S_OK);
    assert_receives(f.s.store, "IPM.Note.Custom.X", &inbox, "IPM");
    fx_finish(&f);
}

static void deleting_a_receive_folder_removes_its_mapping(void **state)
{
    struct entry_id custom, inbox;
    struct fx f;
    (void)state;
    fx_start(&f);
    custom = create_id(f.work, L"Custom mail");
    inbox = inbox_id(f.s.store);
    assert_int_equal(set_receive_folder(f.s.store, "IPM.Note.Custom", &custom), S_OK);
    assert_int_equal(delete_folder(f.work, &custom, 0), S_OK);
    assert_receives(f.s.store, "IPM.Note.Custom.X", &inbox, "IPM");
    fx_finish(&f);
}

static void set_receive_folder_needs_a_writable_logon(void **state)
{
    struct mapisim_session s;
    struct entry_id inbox;
    (void)state;
    session_start_read_only(&s);
    inbox = inbox_id(s.store);
    assert_int_equal(set_receive_folder(s.store, "IPM.Note.Custom", &inbox), MAPI_E_NO_ACCESS);
    assert_int_equal(set_receive_folder(s.store, "IPM.Note.Custom", NULL), MAPI_E_NO_ACCESS);
    assert_receives(s.store, "IPM.Note.Custom", &inbox, "IPM");
    session_finish(&s);
}

static void set_receive_folder_refuses_long_classes_and_the_store_entry_id(void **state)
{
    char message_class[300];
    struct entry_id custom, store_ids[2], inbox;
    struct fx f;
    (void)state;
    fx_start(&f);
    custom = create_id(f.work, L"Custom mail");
    inbox = inbox_id(f.s.store);
    memset(message_class, 'x', sizeof(message_class));
    memcpy(message_class, "IPM.", 4);
    message_class[256] = 0;
    assert_int_equal(set_receive_folder(f.s.store, message_class, &custom), MAPI_E_INVALID_PARAMETER);
    message_class[255] = 0; /* 255 characters: the longest a message class may be */
    assert_int_equal(set_receive_folder(f.s.store, message_class, &custom), S_OK);
    assert_receives(f.s.store, message_class, &custom, message_class);
    store_entry_ids(f.s.store, store_ids);
    assert_int_equal(set_receive_folder(f.s.store, "IPM.Note.Store", &store_ids[0]), MAPI_E_INVALID_ENTRYID);
    assert_int_equal(set_receive_folder(f.s.store, "IPM.Note.Store", &store_ids[1]), MAPI_E_INVALID_ENTRYID);
    assert_receives(f.s.store, "IPM.Note.Store", &inbox, "IPM");
    fx_finish(&f);
}

/* ==== persistence ==== */

static void a_new_session_finds_what_was_committed(void **state)
{
    WCHAR path[MAX_PATH];
    struct entry_id alpha_id, beta_id, gamma_id, doomed_id, later, id;
    SPropValue rename = {PR_DISPLAY_NAME_W, 0, {.lpszW = L"ALPHA"}};
    IMAPIFolder *alpha, *beta, *gamma;
    struct fx f;
    (void)state;
    mapisim_scratch_store_path(path);

    session_start_on(&f.s, path);
    fx_open(&f);
    alpha = create_described(f.work, L"Alpha");
    alpha_id = entry_id_of(alpha);
    beta = create(f.work, L"Beta");
    beta_id = entry_id_of(beta);
    gamma = create(beta, L"Gamma");
    gamma_id = entry_id_of(gamma);
    set_wide(gamma, PR_DISPLAY_NAME_W, L"Gamma renamed");
    set_long(gamma, PROP_TAG(PT_LONG, 0x6760), 60);
    assert_int_equal(copy_folder(beta, &gamma_id, alpha, NULL, FOLDER_MOVE), S_OK);
    assert_int_equal(set_props(beta, 1, &rename, NULL), MAPI_E_COLLISION); /* failed: nothing to keep */
    doomed_id = create_id(f.work, L"Doomed"); /* the highest id yet, then gone */
    assert_int_equal(delete_folder(f.work, &doomed_id, 0), S_OK);
    assert_int_equal(set_receive_folder(f.s.store, "IPM.Note.Persist", &alpha_id), S_OK);
    release(gamma);
    release(beta);
    release(alpha);
    fx_finish(&f);

    session_start_on(&f.s, path);
    f.root = open_folder(f.s.store, NULL, MAPI_MODIFY);
    id = child_id(f.root, L"Work");
    f.work = open_folder(f.s.store, &id, MAPI_MODIFY);
    assert_int_equal(child_count(f.work), 2);
    id = child_id(f.work, L"Alpha");
    assert_same_id(&id, &alpha_id);
    id = child_id(f.work, L"Beta");
    assert_same_id(&id, &beta_id);
    alpha = open_folder(f.s.store, &alpha_id, MAPI_MODIFY);
    beta = open_folder(f.s.store, &beta_id, MAPI_MODIFY);
    assert_described(alpha);
    assert_wide_prop(beta, PR_DISPLAY_NAME_W, L"Beta");
    assert_int_equal(child_count(beta), 0);
    assert_false(bool_prop(beta, PR_SUBFOLDERS));
    assert_int_equal(child_count(alpha), 1);
    id = child_id(alpha, L"Gamma renamed");
    assert_same_id(&id, &gamma_id);
    gamma = open_folder(f.s.store, &gamma_id, 0);
    id = parent_id_of(gamma);
    assert_same_id(&id, &alpha_id);
    assert_int_equal(long_prop(gamma, PROP_TAG(PT_LONG, 0x6760)), 60);
    assert_int_equal(open_result(f.s.store, &doomed_id, 0), MAPI_E_NOT_FOUND);
    assert_receives(f.s.store, "IPM.Note.Persist.Sub", &alpha_id, "IPM.Note.Persist");
    /* Ids are never reused, not even the last one after a reopen. */
    later = create_id(f.work, L"Later");
    assert_true(object_number(&later) > object_number(&doomed_id));
    release(gamma);
    release(beta);
    release(alpha);
    fx_finish(&f);
    mapisim_remove_store(path);
}

/* ==== memory ==== */

/* Every kind of write, succeeding and failing; the helpers check each call, this the whole. */
static void write_calls_leave_no_allocation_behind(void **state)
{
    SPropValue collide = {PR_DISPLAY_NAME_W, 0, {.lpszW = L"Kept"}};
    SizedSPropTagArray(3, tags) = {3, {PR_ENTRYID, PROP_TAG(PT_LONG, 0x6701), PROP_TAG(PT_LONG, 0x67ff)}};
    SPropProblemArray *problems = NULL;
    struct entry_id temp_id, store_ids[2];
    IMAPIFolder *temp, *failed;
    LONG before;
    struct fx f;
    int round;
    (void)state;
    fx_start(&f);
    release(create(f.work, L"Kept"));
    store_entry_ids(f.s.store, store_ids);
    before = live_blocks();
    for (round = 0; round < 3; round++) {
        temp = create(f.work, L"Temp");
        temp_id = entry_id_of(temp);
        assert_int_equal(set_props(temp, EVERY_TYPE_COUNT, every_type, NULL), S_OK);
        assert_int_equal(set_props(temp, 1, &collide, NULL), MAPI_E_COLLISION);
        assert_int_equal(delete_props(temp, &tags, &problems), S_OK);
        free_problems(problems);
        assert_int_equal(temp->lpVtbl->SaveChanges(temp, KEEP_OPEN_READWRITE), S_OK);
        assert_int_equal(create_folder(f.work, FOLDER_GENERIC, L"kept", NULL, NULL, MAPI_UNICODE, &failed),
                         MAPI_E_COLLISION);
        assert_int_equal(copy_folder(f.work, &temp_id, f.root, NULL, COPY_SUBFOLDERS), S_OK);
        assert_int_equal(copy_folder(f.work, &temp_id, f.work, NULL, 0), MAPI_E_COLLISION);
        assert_int_equal(copy_folder(f.work, &temp_id, temp, NULL, FOLDER_MOVE), MAPI_E_FOLDER_CYCLE);
        assert_int_equal(set_receive_folder(f.s.store, "IPM.Temp", &temp_id), S_OK);
        assert_int_equal(set_receive_folder(f.s.store, "IPM.Temp", &store_ids[1]), MAPI_E_INVALID_ENTRYID);
        assert_int_equal(delete_folder(f.work, &store_ids[0], 0), MAPI_E_INVALID_ENTRYID);
        assert_int_equal(delete_folder(f.work, &temp_id, 0), S_OK);
        assert_object_deleted(temp);
        release(temp);
        temp_id = child_id(f.root, L"Temp");
        assert_int_equal(delete_folder(f.root, &temp_id, DEL_FOLDERS), S_OK);
        assert_int_equal(empty_folder(f.work, 0), S_OK);
        release(create(f.work, L"Kept"));
    }
    assert_int_equal(live_blocks(), before);
    fx_finish(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(folders_opened_without_modify_refuse_every_write),
        cmocka_unit_test(folders_opened_with_best_access_take_writes),
        cmocka_unit_test(create_folder_makes_only_generic_folders),
        cmocka_unit_test(create_folder_refuses_a_missing_or_empty_name),
        cmocka_unit_test(create_folder_refuses_a_name_longer_than_the_store_keeps),
        cmocka_unit_test(create_folder_reads_narrow_names_in_the_ansi_code_page),
        cmocka_unit_test(create_folder_keeps_unicode_names_and_comments),
        cmocka_unit_test(create_folder_collides_with_a_sibling_of_the_same_name_in_any_case),
        cmocka_unit_test(create_folder_open_if_exists_returns_the_existing_folder),
        cmocka_unit_test(create_folder_refuses_unknown_flags_and_interfaces),
        cmocka_unit_test(new_folder_is_a_writable_empty_generic_child_of_its_parent),
        cmocka_unit_test(layout_folders_deny_delete_access),
        cmocka_unit_test(new_entry_ids_are_30_bytes_with_ids_above_the_layouts),
        cmocka_unit_test(deleted_folder_ids_are_never_reused_and_open_nothing),
        cmocka_unit_test(renaming_shows_in_every_object_and_in_the_parent_table),
        cmocka_unit_test(renaming_to_an_empty_or_too_long_name_is_refused_per_property),
        cmocka_unit_test(renaming_to_a_siblings_name_in_any_case_fails_the_whole_call),
        cmocka_unit_test(comment_and_container_class_are_kept),
        cmocka_unit_test(computed_properties_are_refused_while_the_rest_is_set),
        cmocka_unit_test(object_error_and_null_types_are_refused_while_the_rest_is_set),
        cmocka_unit_test(client_properties_of_every_type_round_trip),
        cmocka_unit_test(narrow_strings_are_kept_wide_and_answer_in_both_widths),
        cmocka_unit_test(get_props_without_a_tag_list_lists_client_properties),
        cmocka_unit_test(save_changes_answers_ok_and_refuses_unknown_flags),
        cmocka_unit_test(problem_array_is_one_block_and_null_without_problems),
        cmocka_unit_test(set_props_and_delete_props_refuse_missing_values),
        cmocka_unit_test(delete_props_removes_a_client_property),
        cmocka_unit_test(delete_props_refuses_the_name_and_computed_properties),
        cmocka_unit_test(delete_props_reports_a_property_the_folder_lacks),
        cmocka_unit_test(deleted_comment_reads_empty_and_deleted_container_class_is_absent),
        cmocka_unit_test(delete_folder_removes_an_empty_subfolder),
        cmocka_unit_test(delete_folder_takes_a_subtree_only_with_del_folders),
        cmocka_unit_test(delete_folder_deletes_only_direct_subfolders),
        cmocka_unit_test(delete_folder_refuses_layout_folders_and_the_store_entry_id),
        cmocka_unit_test(objects_on_a_deleted_folder_answer_object_deleted),
        cmocka_unit_test(copy_folder_keeps_the_original_and_copies_its_properties),
        cmocka_unit_test(copy_folder_copies_subfolders_only_with_copy_subfolders),
        cmocka_unit_test(move_folder_keeps_its_entry_id_and_takes_its_subfolders),
        cmocka_unit_test(copy_and_move_under_a_new_name_rename),
        cmocka_unit_test(a_move_may_take_a_name_its_old_siblings_have),
        cmocka_unit_test(copy_folder_takes_the_messages_of_every_folder_it_copies),
        cmocka_unit_test(copy_folder_collides_with_a_name_taken_at_the_destination),
        cmocka_unit_test(moving_a_folder_into_its_own_subtree_is_a_cycle),
        cmocka_unit_test(layout_folders_copy_but_do_not_move),
        cmocka_unit_test(copy_folder_refuses_destinations_of_another_store),
        cmocka_unit_test(copy_folder_refuses_a_read_only_destination),
        cmocka_unit_test(copy_folder_refuses_unknown_flags),
        cmocka_unit_test(emptying_the_ipm_subtree_keeps_the_layout_folders),
        cmocka_unit_test(emptying_a_user_folder_removes_every_subfolder),
        cmocka_unit_test(receive_folder_of_a_class_receives_its_subclasses),
        cmocka_unit_test(clearing_a_receive_folder_falls_back_to_the_inbox),
        cmocka_unit_test(deleting_a_receive_folder_removes_its_mapping),
        cmocka_unit_test(set_receive_folder_needs_a_writable_logon),
        cmocka_unit_test(set_receive_folder_refuses_long_classes_and_the_store_entry_id),
        cmocka_unit_test(a_new_session_finds_what_was_committed),
        cmocka_unit_test(write_calls_leave_no_allocation_behind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
