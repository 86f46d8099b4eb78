/*
 * What Outlook finds in an msstore store (contract §10): the folder tree and
 * its special folders, folder properties that agree between object and table
 * row, the tables reachable both ways, receive folders, and OpenEntry for
 * every folder through every opener.
 */
#include "harness.h"

#include <string.h>

#define ALL_VALID_FOLDERS                                                                  \
    (FOLDER_IPM_SUBTREE_VALID | FOLDER_IPM_INBOX_VALID | FOLDER_IPM_OUTBOX_VALID |         \
     FOLDER_IPM_WASTEBASKET_VALID | FOLDER_IPM_SENTMAIL_VALID | FOLDER_VIEWS_VALID |       \
     FOLDER_COMMON_VIEWS_VALID | FOLDER_FINDER_VALID)

/* The IPM subtree of a new store (writable-store.md §2), in creation order, with its container classes. */
static const struct {
    const char *name;
    const WCHAR *container_class;
} mail_folders[] = {
    {"Inbox", L"IPF.Note"},         {"Outbox", L"IPF.Note"},       {"Sent Items", L"IPF.Note"},
    {"Deleted Items", L"IPF.Note"}, {"Contacts", L"IPF.Contact"},  {"Calendar", L"IPF.Appointment"},
    {"Drafts", L"IPF.Note"},        {"Journal", L"IPF.Journal"},   {"Notes", L"IPF.StickyNote"},
    {"Tasks", L"IPF.Task"},         {"Junk E-mail", L"IPF.Note"},
};
#define MAIL_FOLDER_COUNT (sizeof(mail_folders) / sizeof(mail_folders[0]))

static IMAPIFolder *open_folder(IMsgStore *store, const SBinary *entryid)
{
    IMAPIFolder *folder = NULL;
    ULONG type = 0;
    assert_int_equal(store->lpVtbl->OpenEntry(store, entryid ? entryid->cb : 0,
                                              entryid ? (LPENTRYID)entryid->lpb : NULL, NULL, 0, &type,
                                              (LPUNKNOWN *)&folder),
                     S_OK);
    assert_int_equal(type, MAPI_FOLDER);
    return folder;
}

/* The folder a store property names, opened. */
static IMAPIFolder *open_special(IMsgStore *store, ULONG tag)
{
    SPropValue *id = get_prop((IMAPIProp *)store, tag);
    IMAPIFolder *folder;
    assert_int_equal(id->ulPropTag, tag);
    folder = open_folder(store, &id->Value.bin);
    mapisim_FreeBuffer(id);
    return folder;
}

static void assert_name(IMAPIProp *object, const char *expected)
{
    SPropValue *name = get_prop(object, PR_DISPLAY_NAME_A);
    assert_string_equal(name->Value.lpszA, expected);
    mapisim_FreeBuffer(name);
}

static void assert_same_binary(IMAPIProp *a, ULONG tag_a, IMAPIProp *b, ULONG tag_b)
{
    SPropValue *va = get_prop(a, tag_a), *vb = get_prop(b, tag_b);
    assert_int_equal(PROP_TYPE(va->ulPropTag), PT_BINARY);
    assert_int_equal(va->Value.bin.cb, vb->Value.bin.cb);
    assert_memory_equal(va->Value.bin.lpb, vb->Value.bin.lpb, va->Value.bin.cb);
    mapisim_FreeBuffer(va);
    mapisim_FreeBuffer(vb);
}

static void store_names_every_special_folder_and_marks_it_valid(void **state)
{
    static const struct {
        ULONG tag;
        const char *name;
    } special[] = {{PR_IPM_SUBTREE_ENTRYID, "Top of Information Store"},
                   {PR_IPM_OUTBOX_ENTRYID, "Outbox"},
                   {PR_IPM_SENTMAIL_ENTRYID, "Sent Items"},
                   {PR_IPM_WASTEBASKET_ENTRYID, "Deleted Items"},
                   {PR_VIEWS_ENTRYID, "Views"},
                   {PR_COMMON_VIEWS_ENTRYID, "Common Views"},
                   {PR_FINDER_ENTRYID, "Search Root"}};
    struct mapisim_session s;
    SPropValue *mask;
    size_t i;
    (void)state;
    session_start(&s);
    mask = get_prop((IMAPIProp *)s.store, PR_VALID_FOLDER_MASK);
    assert_int_equal(mask->Value.l, ALL_VALID_FOLDERS);
    mapisim_FreeBuffer(mask);
    for (i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
        IMAPIFolder *folder = open_special(s.store, special[i].tag);
        assert_name((IMAPIProp *)folder, special[i].name);
        folder->lpVtbl->Release(folder);
    }
    session_finish(&s);
}

/* The root folder and the Inbox name the special folders Outlook looks for there (writable-store.md §2). */
static void root_and_inbox_name_the_special_folders(void **state)
{
    static const struct {
        ULONG tag;
        const char *name;
        const WCHAR *container_class;
    } special[] = {{PR_IPM_CONTACT_ENTRYID, "Contacts", L"IPF.Contact"},
                   {PR_IPM_APPOINTMENT_ENTRYID, "Calendar", L"IPF.Appointment"},
                   {PR_IPM_DRAFTS_ENTRYID, "Drafts", L"IPF.Note"},
                   {PR_IPM_JOURNAL_ENTRYID, "Journal", L"IPF.Journal"},
                   {PR_IPM_NOTE_ENTRYID, "Notes", L"IPF.StickyNote"},
                   {PR_IPM_TASK_ENTRYID, "Tasks", L"IPF.Task"}};
    struct mapisim_session s;
    IMAPIFolder *holders[2];
    SPropValue *receive_id;
    ULONG cb = 0, h;
    ENTRYID *inbox_id = NULL;
    size_t i;
    (void)state;
    session_start(&s);
    assert_int_equal(s.store->lpVtbl->GetReceiveFolder(s.store, (LPTSTR) "IPM.Note", 0, &cb, &inbox_id, NULL), S_OK);
    holders[0] = open_folder(s.store, NULL);
    {
        SBinary inbox = {cb, (BYTE *)inbox_id};
        holders[1] = open_folder(s.store, &inbox);
    }
    for (h = 0; h < 2; h++) {
        SPropValue *ren;
        IMAPIFolder *junk;
        for (i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
            SPropValue *id = get_prop((IMAPIProp *)holders[h], special[i].tag), *class;
            IMAPIFolder *folder;
            assert_int_equal(id->ulPropTag, special[i].tag);
            folder = open_folder(s.store, &id->Value.bin);
            assert_name((IMAPIProp *)folder, special[i].name);
            class = get_prop((IMAPIProp *)folder, PR_CONTAINER_CLASS_W);
            assert_true(wcscmp(class->Value.lpszW, special[i].container_class) == 0);
            mapisim_FreeBuffer(class);
            mapisim_FreeBuffer(id);
            folder->lpVtbl->Release(folder);
        }
        /* PR_ADDITIONAL_REN_ENTRYIDS: Conflicts, Sync Issues, Local and Server Failures (none), Junk E-mail. */
        ren = get_prop((IMAPIProp *)holders[h], PR_ADDITIONAL_REN_ENTRYIDS);
        assert_int_equal(ren->ulPropTag, PR_ADDITIONAL_REN_ENTRYIDS);
        assert_int_equal(ren->Value.MVbin.cValues, 5);
        for (i = 0; i < 4; i++) assert_int_equal(ren->Value.MVbin.lpbin[i].cb, 0);
        junk = open_folder(s.store, &ren->Value.MVbin.lpbin[4]);
        assert_name((IMAPIProp *)junk, "Junk E-mail");
        junk->lpVtbl->Release(junk);
        mapisim_FreeBuffer(ren);
    }
    receive_id = get_prop((IMAPIProp *)holders[1], PR_ENTRYID);
    assert_int_equal(receive_id->Value.bin.cb, cb);
    assert_memory_equal(receive_id->Value.bin.lpb, inbox_id, cb);
    assert_name((IMAPIProp *)holders[1], "Inbox");
    mapisim_FreeBuffer(receive_id);
    mapisim_FreeBuffer(inbox_id);
    holders[0]->lpVtbl->Release(holders[0]);
    holders[1]->lpVtbl->Release(holders[1]);
    session_finish(&s);
}

/* The columns Outlook's folder pane asks a hierarchy table for. */
static const SizedSPropTagArray(11, pane_columns) = {
    11, {PR_ENTRYID, PR_RECORD_KEY, PR_INSTANCE_KEY, PR_DISPLAY_NAME_W, PR_DEPTH, PR_OBJECT_TYPE,
         PR_FOLDER_TYPE, PR_SUBFOLDERS, PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_CONTAINER_CLASS_W}};

static SRowSet *query_all(IMAPITable *table)
{
    SRowSet *rows = NULL;
    assert_int_equal(table->lpVtbl->QueryRows(table, 100, 0, &rows), S_OK);
    return rows;
}

/* The entry ID of a folder's index-th subfolder, from its hierarchy table, into out. */
static SBinary subfolder_entryid(IMAPIFolder *parent, ULONG index, BYTE out[64])
{
    SizedSPropTagArray(1, id) = {1, {PR_ENTRYID}};
    IMAPITable *table = NULL;
    SRowSet *rows;
    SBinary result;
    assert_int_equal(parent->lpVtbl->GetHierarchyTable(parent, 0, &table), S_OK);
    assert_int_equal(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&id, 0), S_OK);
    rows = query_all(table);
    assert_true(index < rows->cRows);
    result.cb = rows->aRow[index].lpProps[0].Value.bin.cb;
    assert_true(result.cb <= 64);
    memcpy(out, rows->aRow[index].lpProps[0].Value.bin.lpb, result.cb);
    result.lpb = out;
    free_rows(rows);
    table->lpVtbl->Release(table);
    return result;
}

/* Outlook's opening walk: store → IPM subtree → its hierarchy table → each row opens. */
static void outlook_opening_walk_finds_the_mail_folders(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *ipm;
    IMAPITable *table = NULL;
    SRowSet *rows;
    ULONG r, c;
    (void)state;
    session_start(&s);
    ipm = open_special(s.store, PR_IPM_SUBTREE_ENTRYID);
    assert_int_equal(ipm->lpVtbl->GetHierarchyTable(ipm, MAPI_UNICODE, &table), S_OK);
    assert_int_equal(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&pane_columns, 0), S_OK);
    rows = query_all(table);
    assert_int_equal(rows->cRows, MAIL_FOLDER_COUNT);
    for (r = 0; r < rows->cRows; r++) {
        const SPropValue *v = rows->aRow[r].lpProps;
        IMAPIFolder *folder;
        SPropValue *props = NULL;
        ULONG count = 0;
        char name[64];
        WideCharToMultiByte(CP_ACP, 0, v[3].Value.lpszW, -1, name, sizeof(name), NULL, NULL);
        assert_string_equal(name, mail_folders[r].name);
        assert_int_equal(v[4].Value.l, 0); /* PR_DEPTH: immediate subfolders are 0 */
        assert_int_equal(v[5].Value.l, MAPI_FOLDER);
        assert_true(wcscmp(v[10].Value.lpszW, mail_folders[r].container_class) == 0);
        /* The row's entry ID opens the folder, and the folder says what the row said. */
        folder = open_folder(s.store, &v[0].Value.bin);
        assert_int_equal(folder->lpVtbl->GetProps(folder, (LPSPropTagArray)&pane_columns, MAPI_UNICODE, &count, &props),
                         MAPI_W_ERRORS_RETURNED); /* PR_DEPTH belongs to the table row only */
        for (c = 0; c < pane_columns.cValues; c++) {
            if (pane_columns.aulPropTag[c] == PR_DEPTH) {
                assert_int_equal(PROP_TYPE(props[c].ulPropTag), PT_ERROR);
                continue;
            }
            assert_int_equal(props[c].ulPropTag, v[c].ulPropTag);
            if (PROP_TYPE(v[c].ulPropTag) == PT_BINARY) {
                assert_int_equal(props[c].Value.bin.cb, v[c].Value.bin.cb);
                assert_memory_equal(props[c].Value.bin.lpb, v[c].Value.bin.lpb, v[c].Value.bin.cb);
            } else if (PROP_TYPE(v[c].ulPropTag) == PT_UNICODE) {
                assert_true(wcscmp(props[c].Value.lpszW, v[c].Value.lpszW) == 0);
            } else {
                assert_int_equal(props[c].Value.l, v[c].Value.l);
            }
        }
        mapisim_FreeBuffer(props);
        folder->lpVtbl->Release(folder);
    }
    free_rows(rows);
    table->lpVtbl->Release(table);
    ipm->lpVtbl->Release(ipm);
    session_finish(&s);
}

static void root_hierarchy_lists_the_tree_depth_first_with_convenient_depth(void **state)
{
    SizedSPropTagArray(2, columns) = {2, {PR_DISPLAY_NAME_A, PR_DEPTH}};
    struct mapisim_session s;
    IMAPIFolder *root;
    IMAPITable *table = NULL;
    SRowSet *rows;
    ULONG r;
    (void)state;
    session_start(&s);
    root = open_folder(s.store, NULL);
    assert_int_equal(root->lpVtbl->GetHierarchyTable(root, CONVENIENT_DEPTH, &table), S_OK);
    table->lpVtbl->SetColumns(table, (LPSPropTagArray)&columns, 0);
    rows = query_all(table);
    /* The IPM subtree with its mail folders at depth 1 under it, then the root's other subfolders. */
    assert_int_equal(rows->cRows, 1 + MAIL_FOLDER_COUNT + 3);
    assert_string_equal(rows->aRow[0].lpProps[0].Value.lpszA, "Top of Information Store");
    assert_int_equal(rows->aRow[0].lpProps[1].Value.l, 0);
    for (r = 0; r < MAIL_FOLDER_COUNT; r++) {
        assert_string_equal(rows->aRow[1 + r].lpProps[0].Value.lpszA, mail_folders[r].name);
        assert_int_equal(rows->aRow[1 + r].lpProps[1].Value.l, 1);
    }
    for (r = 0; r < 3; r++) {
        static const char *const others[] = {"Search Root", "Common Views", "Views"};
        assert_string_equal(rows->aRow[1 + MAIL_FOLDER_COUNT + r].lpProps[0].Value.lpszA, others[r]);
        assert_int_equal(rows->aRow[1 + MAIL_FOLDER_COUNT + r].lpProps[1].Value.l, 0);
    }
    free_rows(rows);
    table->lpVtbl->Release(table);
    /* Without CONVENIENT_DEPTH: the root's own subfolders only. */
    assert_int_equal(root->lpVtbl->GetHierarchyTable(root, 0, &table), S_OK);
    table->lpVtbl->SetColumns(table, (LPSPropTagArray)&columns, 0);
    rows = query_all(table);
    assert_int_equal(rows->cRows, 4);
    assert_string_equal(rows->aRow[0].lpProps[0].Value.lpszA, "Top of Information Store");
    assert_string_equal(rows->aRow[1].lpProps[0].Value.lpszA, "Search Root");
    assert_string_equal(rows->aRow[3].lpProps[0].Value.lpszA, "Views");
    free_rows(rows);
    table->lpVtbl->Release(table);
    root->lpVtbl->Release(root);
    session_finish(&s);
}

static void folders_know_their_parent_and_their_store(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *root, *ipm, *inbox;
    SPropValue *subfolders, *access, *level, *count;
    BYTE inbox_id[64];
    SBinary id;
    (void)state;
    session_start(&s);
    root = open_folder(s.store, NULL);
    ipm = open_special(s.store, PR_IPM_SUBTREE_ENTRYID);
    id = subfolder_entryid(ipm, 0, inbox_id);
    inbox = open_folder(s.store, &id);

    assert_same_binary((IMAPIProp *)inbox, PR_PARENT_ENTRYID, (IMAPIProp *)ipm, PR_ENTRYID);
    assert_same_binary((IMAPIProp *)ipm, PR_PARENT_ENTRYID, (IMAPIProp *)root, PR_ENTRYID);
    assert_same_binary((IMAPIProp *)root, PR_PARENT_ENTRYID, (IMAPIProp *)root, PR_ENTRYID);
    assert_same_binary((IMAPIProp *)inbox, PR_STORE_ENTRYID, (IMAPIProp *)s.store, PR_STORE_ENTRYID);
    assert_same_binary((IMAPIProp *)inbox, PR_STORE_RECORD_KEY, (IMAPIProp *)s.store, PR_STORE_RECORD_KEY);
    assert_same_binary((IMAPIProp *)inbox, PR_MDB_PROVIDER, (IMAPIProp *)s.store, PR_MDB_PROVIDER);
    assert_same_binary((IMAPIProp *)inbox, PR_RECORD_KEY, (IMAPIProp *)inbox, PR_ENTRYID);
    subfolders = get_prop((IMAPIProp *)ipm, PR_SUBFOLDERS);
    assert_true(subfolders->Value.b);
    mapisim_FreeBuffer(subfolders);
    subfolders = get_prop((IMAPIProp *)inbox, PR_SUBFOLDERS);
    assert_false(subfolders->Value.b);
    mapisim_FreeBuffer(subfolders);
    /* A writable store's special folder: everything but deleting it; this object was opened for reading. */
    access = get_prop((IMAPIProp *)inbox, PR_ACCESS);
    level = get_prop((IMAPIProp *)inbox, PR_ACCESS_LEVEL);
    assert_int_equal(access->Value.l, MAPI_ACCESS_READ | MAPI_ACCESS_MODIFY | MAPI_ACCESS_CREATE_HIERARCHY |
                                          MAPI_ACCESS_CREATE_CONTENTS | MAPI_ACCESS_CREATE_ASSOCIATED);
    assert_int_equal(level->Value.l, 0);
    mapisim_FreeBuffer(access);
    mapisim_FreeBuffer(level);
    /* The counts always answer, 0 when empty: Outlook's exit path crashes on a missing PR_CONTENT_COUNT. */
    count = get_prop((IMAPIProp *)inbox, PR_CONTENT_COUNT);
    assert_int_equal(count->ulPropTag, PR_CONTENT_COUNT);
    assert_int_equal(count->Value.l, 0);
    mapisim_FreeBuffer(count);
    count = get_prop((IMAPIProp *)inbox, PR_CONTENT_UNREAD);
    assert_int_equal(count->ulPropTag, PR_CONTENT_UNREAD);
    mapisim_FreeBuffer(count);
    count = get_prop((IMAPIProp *)inbox, PR_ASSOC_CONTENT_COUNT);
    assert_int_equal(count->ulPropTag, PR_ASSOC_CONTENT_COUNT);
    assert_int_equal(count->Value.l, 0);
    mapisim_FreeBuffer(count);
    inbox->lpVtbl->Release(inbox);
    ipm->lpVtbl->Release(ipm);
    root->lpVtbl->Release(root);
    session_finish(&s);
}

static BOOL has_tag(const SPropTagArray *tags, ULONG tag)
{
    ULONG i;
    for (i = 0; i < tags->cValues; i++)
        if (tags->aulPropTag[i] == tag) return TRUE;
    return FALSE;
}

static void proplist_names_the_tables_that_getprops_does_not_return(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *root;
    SPropTagArray *list = NULL;
    SPropValue *values = NULL, *hierarchy;
    ULONG count = 0, i;
    (void)state;
    session_start(&s);
    root = open_folder(s.store, NULL);
    assert_int_equal(root->lpVtbl->GetPropList(root, 0, &list), S_OK);
    assert_true(has_tag(list, PR_CONTAINER_HIERARCHY));
    assert_true(has_tag(list, PR_CONTAINER_CONTENTS));
    assert_true(has_tag(list, PR_FOLDER_ASSOCIATED_CONTENTS));
    assert_int_equal(root->lpVtbl->GetProps(root, NULL, 0, &count, &values), S_OK);
    assert_int_equal(count, list->cValues - 3);
    for (i = 0; i < count; i++) assert_int_not_equal(PROP_TYPE(values[i].ulPropTag), PT_OBJECT);
    hierarchy = get_prop((IMAPIProp *)root, PR_CONTAINER_HIERARCHY);
    assert_int_equal(hierarchy->ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(PR_CONTAINER_HIERARCHY)));
    assert_int_equal(hierarchy->Value.err, MAPI_E_NO_SUPPORT);
    mapisim_FreeBuffer(hierarchy);
    mapisim_FreeBuffer(values);
    mapisim_FreeBuffer(list);
    root->lpVtbl->Release(root);
    session_finish(&s);
}

static ULONG row_count(IMAPITable *table)
{
    ULONG count = 99;
    assert_int_equal(table->lpVtbl->GetRowCount(table, 0, &count), S_OK);
    return count;
}

static void openproperty_opens_the_same_tables_as_the_folder_methods(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *root;
    IMAPITable *table = NULL;
    IUnknown *unknown = (IUnknown *)1;
    (void)state;
    session_start(&s);
    root = open_folder(s.store, NULL);
    assert_int_equal(root->lpVtbl->OpenProperty(root, PR_CONTAINER_HIERARCHY, &IID_IMAPITable, CONVENIENT_DEPTH,
                                                0, (LPUNKNOWN *)&table),
                     S_OK);
    assert_int_equal(row_count(table), 1 + MAIL_FOLDER_COUNT + 3);
    table->lpVtbl->Release(table);
    assert_int_equal(root->lpVtbl->OpenProperty(root, PR_CONTAINER_CONTENTS, &IID_IMAPITable, 0, 0,
                                                (LPUNKNOWN *)&table),
                     S_OK);
    assert_int_equal(row_count(table), 0);
    table->lpVtbl->Release(table);
    assert_int_equal(root->lpVtbl->OpenProperty(root, PR_FOLDER_ASSOCIATED_CONTENTS, &IID_IMAPITable, 0, 0,
                                                (LPUNKNOWN *)&table),
                     S_OK);
    assert_int_equal(row_count(table), 0);
    table->lpVtbl->Release(table);
    assert_int_equal(root->lpVtbl->OpenProperty(root, PR_CONTAINER_HIERARCHY, &IID_IStream, 0, 0, &unknown),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_null(unknown);
    assert_int_equal(root->lpVtbl->OpenProperty(root, PR_CONTAINER_HIERARCHY, &IID_IMAPITable, 0, MAPI_MODIFY,
                                                &unknown),
                     MAPI_E_NO_ACCESS);
    assert_int_equal(root->lpVtbl->OpenProperty(root, PR_DISPLAY_NAME, &IID_IMAPITable, 0, 0, &unknown),
                     MAPI_E_NO_SUPPORT);
    assert_int_equal(root->lpVtbl->OpenProperty(root, PR_CONTAINER_HIERARCHY, &IID_IMAPITable, 0x1000, 0, &unknown),
                     MAPI_E_UNKNOWN_FLAGS);
    root->lpVtbl->Release(root);
    session_finish(&s);
}

static void contents_tables_are_empty_with_message_columns(void **state)
{
    static const ULONG flags[] = {0, MAPI_ASSOCIATED, MAPI_UNICODE};
    struct mapisim_session s;
    IMAPIFolder *inbox;
    size_t i;
    (void)state;
    session_start(&s);
    inbox = open_special(s.store, PR_IPM_OUTBOX_ENTRYID);
    for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
        IMAPITable *table = NULL;
        SPropTagArray *columns = NULL;
        SRowSet *rows = NULL;
        LONG before;
        assert_int_equal(inbox->lpVtbl->GetContentsTable(inbox, flags[i], &table), S_OK);
        assert_int_equal(row_count(table), 0);
        assert_int_equal(table->lpVtbl->QueryColumns(table, 0, &columns), S_OK);
        assert_true(has_tag(columns, PR_ENTRYID));
        assert_true(has_tag(columns, PR_INSTANCE_KEY));
        assert_true(has_tag(columns, flags[i] & MAPI_UNICODE ? PR_SUBJECT_W : PR_SUBJECT_A));
        assert_true(has_tag(columns, PR_MESSAGE_DELIVERY_TIME));
        mapisim_FreeBuffer(columns);
        before = live_blocks();
        assert_int_equal(table->lpVtbl->QueryRows(table, 10, 0, &rows), S_OK);
        assert_int_equal(rows->cRows, 0);
        assert_int_equal(live_blocks(), before + 1); /* the empty row set alone */
        mapisim_FreeBuffer(rows);
        table->lpVtbl->Release(table);
    }
    {
        IMAPITable *refused = (IMAPITable *)1;
        assert_int_equal(inbox->lpVtbl->GetContentsTable(inbox, CONVENIENT_DEPTH, &refused), MAPI_E_UNKNOWN_FLAGS);
        assert_null(refused);
    }
    inbox->lpVtbl->Release(inbox);
    session_finish(&s);
}

struct receive_case {
    const char *message_class;
    const char *explicit_class;
    ULONG folder_tag; /* 0 for the Inbox, via the IPM subtree's table */
};

static void assert_receive_folder(IMsgStore *store, const struct receive_case *c, const SBinary *inbox,
                                  const SBinary *root)
{
    ULONG cb = 0;
    ENTRYID *entryid = NULL;
    char *explicit_class = NULL;
    const SBinary *expected = c->folder_tag ? root : inbox;
    LONG before = live_blocks();
    assert_int_equal(store->lpVtbl->GetReceiveFolder(store, (LPTSTR)c->message_class, 0, &cb, &entryid,
                                                     (LPTSTR *)&explicit_class),
                     S_OK);
    assert_int_equal(live_blocks(), before + 2); /* two outputs, two blocks */
    assert_int_equal(cb, expected->cb);
    assert_memory_equal(entryid, expected->lpb, cb);
    assert_string_equal(explicit_class, c->explicit_class);
    mapisim_FreeBuffer(entryid);
    mapisim_FreeBuffer(explicit_class);
}

static void receive_folder_matches_the_longest_class_prefix(void **state)
{
    static const struct receive_case cases[] = {
        {NULL, "", 0},           {"", "", 0},         {"IPM", "IPM", 0},       {"IPM.Note", "IPM", 0},
        {"ipm.note.x", "IPM", 0}, {"IPMX", "", 0},     {"IPC", "IPC", 1},       {"IPC.Foo", "IPC", 1},
        {"Other.Class", "", 0},  {"REPORT.IPM.Note.NDR", "REPORT.IPM", 0},
    };
    struct mapisim_session s;
    IMAPIFolder *root, *ipm;
    SPropValue *root_id;
    BYTE inbox_bytes[64];
    SBinary inbox_id;
    ULONG cb = 0;
    ENTRYID *entryid = NULL;
    WCHAR *wide = NULL;
    char too_long[300];
    size_t i;
    (void)state;
    session_start(&s);
    root = open_folder(s.store, NULL);
    root_id = get_prop((IMAPIProp *)root, PR_ENTRYID);
    ipm = open_special(s.store, PR_IPM_SUBTREE_ENTRYID);
    inbox_id = subfolder_entryid(ipm, 0, inbox_bytes);
    ipm->lpVtbl->Release(ipm);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_receive_folder(s.store, &cases[i], &inbox_id, &root_id->Value.bin);

    /* MAPI_UNICODE: class in and explicit class out are wide. */
    assert_int_equal(s.store->lpVtbl->GetReceiveFolder(s.store, (LPTSTR)L"IPM.Note", MAPI_UNICODE, &cb, &entryid,
                                                       (LPTSTR *)&wide),
                     S_OK);
    assert_true(wcscmp(wide, L"IPM") == 0);
    mapisim_FreeBuffer(wide);
    mapisim_FreeBuffer(entryid);
    /* The explicit class is optional. */
    assert_int_equal(s.store->lpVtbl->GetReceiveFolder(s.store, (LPTSTR) "IPC", 0, &cb, &entryid, NULL), S_OK);
    assert_memory_equal(entryid, root_id->Value.bin.lpb, cb);
    mapisim_FreeBuffer(entryid);
    memset(too_long, 'A', sizeof(too_long) - 1);
    too_long[sizeof(too_long) - 1] = 0;
    assert_int_equal(s.store->lpVtbl->GetReceiveFolder(s.store, too_long, 0, &cb, &entryid, NULL),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(s.store->lpVtbl->GetReceiveFolder(s.store, NULL, 0x1, &cb, &entryid, NULL),
                     MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(s.store->lpVtbl->GetReceiveFolder(s.store, NULL, 0, NULL, &entryid, NULL),
                     MAPI_E_INVALID_PARAMETER);
    mapisim_FreeBuffer(root_id);
    root->lpVtbl->Release(root);
    session_finish(&s);
}

static void receive_folder_table_lists_each_class_and_its_folder(void **state)
{
    static const char *const classes[] = {"", "IPC", "IPM", "REPORT.IPM"};
    SizedSPropTagArray(3, columns) = {3, {PR_MESSAGE_CLASS_A, PR_ENTRYID, PR_RECORD_KEY}};
    struct mapisim_session s;
    IMAPITable *table = NULL;
    SRowSet *rows;
    ULONG r;
    (void)state;
    session_start(&s);
    assert_int_equal(s.store->lpVtbl->GetReceiveFolderTable(s.store, 0, &table), S_OK);
    table->lpVtbl->SetColumns(table, (LPSPropTagArray)&columns, 0);
    rows = query_all(table);
    assert_int_equal(rows->cRows, 4);
    for (r = 0; r < 4; r++) {
        const SPropValue *v = rows->aRow[r].lpProps;
        ULONG cb = 0;
        ENTRYID *entryid = NULL;
        assert_string_equal(v[0].Value.lpszA, classes[r]);
        assert_int_equal(s.store->lpVtbl->GetReceiveFolder(s.store, v[0].Value.lpszA, 0, &cb, &entryid, NULL), S_OK);
        assert_int_equal(cb, v[1].Value.bin.cb);
        assert_memory_equal(entryid, v[1].Value.bin.lpb, cb);
        assert_memory_equal(v[2].Value.bin.lpb, v[1].Value.bin.lpb, cb);
        mapisim_FreeBuffer(entryid);
    }
    free_rows(rows);
    table->lpVtbl->Release(table);
    assert_int_equal(s.store->lpVtbl->GetReceiveFolderTable(s.store, CONVENIENT_DEPTH, &table), MAPI_E_UNKNOWN_FLAGS);
    session_finish(&s);
}

/* Every folder opens through the store, the logon and a folder; bad IDs never open anything. */
static void every_folder_opens_through_every_opener(void **state)
{
    SizedSPropTagArray(1, id) = {1, {PR_ENTRYID}};
    struct mapisim_session s;
    IMAPIFolder *root, *folder = NULL;
    IMAPITable *table = NULL;
    IMSLogon *logon;
    SRowSet *rows;
    BYTE bad[64];
    ULONG r, type, cb;
    (void)state;
    session_start(&s);
    logon = s.support.logon;
    root = open_folder(s.store, NULL);
    root->lpVtbl->GetHierarchyTable(root, CONVENIENT_DEPTH, &table);
    table->lpVtbl->SetColumns(table, (LPSPropTagArray)&id, 0);
    rows = query_all(table);
    for (r = 0; r < rows->cRows; r++) {
        SBinary *eid = &rows->aRow[r].lpProps[0].Value.bin;
        assert_int_equal(logon->lpVtbl->OpenEntry(logon, eid->cb, (LPENTRYID)eid->lpb, NULL, MAPI_BEST_ACCESS, &type,
                                                  (LPUNKNOWN *)&folder),
                         S_OK);
        assert_same_binary((IMAPIProp *)folder, PR_ENTRYID, (IMAPIProp *)folder, PR_RECORD_KEY);
        folder->lpVtbl->Release(folder);
        assert_int_equal(root->lpVtbl->OpenEntry(root, eid->cb, (LPENTRYID)eid->lpb, &IID_IMAPIFolder, 0, &type,
                                                 (LPUNKNOWN *)&folder),
                         S_OK);
        folder->lpVtbl->Release(folder);
        assert_int_equal(s.store->lpVtbl->OpenEntry(s.store, eid->cb, (LPENTRYID)eid->lpb, NULL, MAPI_MODIFY, &type,
                                                    (LPUNKNOWN *)&folder),
                         S_OK);
        folder->lpVtbl->Release(folder);
        folder = NULL;
    }
    cb = rows->aRow[0].lpProps[0].Value.bin.cb;
    memcpy(bad, rows->aRow[0].lpProps[0].Value.bin.lpb, cb);
    bad[22] = 99; /* a folder this store does not have */
    assert_int_equal(s.store->lpVtbl->OpenEntry(s.store, cb, (LPENTRYID)bad, NULL, 0, &type, (LPUNKNOWN *)&folder),
                     MAPI_E_NOT_FOUND);
    bad[22] = rows->aRow[0].lpProps[0].Value.bin.lpb[22];
    bad[10] ^= 0x5a; /* another store's UID */
    assert_int_equal(s.store->lpVtbl->OpenEntry(s.store, cb, (LPENTRYID)bad, NULL, 0, &type, (LPUNKNOWN *)&folder),
                     MAPI_E_INVALID_ENTRYID);
    assert_null(folder);
    free_rows(rows);
    table->lpVtbl->Release(table);
    root->lpVtbl->Release(root);
    session_finish(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(store_names_every_special_folder_and_marks_it_valid),
        cmocka_unit_test(root_and_inbox_name_the_special_folders),
        cmocka_unit_test(outlook_opening_walk_finds_the_mail_folders),
        cmocka_unit_test(root_hierarchy_lists_the_tree_depth_first_with_convenient_depth),
        cmocka_unit_test(folders_know_their_parent_and_their_store),
        cmocka_unit_test(proplist_names_the_tables_that_getprops_does_not_return),
        cmocka_unit_test(openproperty_opens_the_same_tables_as_the_folder_methods),
        cmocka_unit_test(contents_tables_are_empty_with_message_columns),
        cmocka_unit_test(receive_folder_matches_the_longest_class_prefix),
        cmocka_unit_test(receive_folder_table_lists_each_class_and_its_folder),
        cmocka_unit_test(every_folder_opens_through_every_opener),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
