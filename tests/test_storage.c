/*
 * The store file (D15): where it lives, the identity it carries, what a Logon
 * does with files that are not (or no longer) msstore stores of this version,
 * two logons of one process on one file, contention for its write lock, and
 * mapihost's storage functions (verify, backup) on live and damaged files.
 */
#include "harness.h"

#include "storage/storage.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#define PR_MSSTORE_STORE_UID PROP_TAG(PT_BINARY, 0x6600)

static BOOL file_exists(const WCHAR *path) { return GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES; }

/* Runs SQL on the store file directly, as another program (or a damaged disk) would. */
static void run_sql(const WCHAR *path, const char *sql)
{
    char name[MAX_PATH * 3];
    sqlite3 *db = NULL;
    WideCharToMultiByte(CP_UTF8, 0, path, -1, name, sizeof(name), NULL, NULL);
    assert_int_equal(sqlite3_open(name, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* A Logon on the store file path, through a fresh support object as MAPI makes it: its result, and nothing left. */
static HRESULT logon_result(const WCHAR *path)
{
    struct mapisim_session s;
    HRESULT hr;
    session_init(&s);
    mapisim_support_use_store(&s.support, path);
    hr = mapisim_session_logon(&s, MDB_WRITE, "storage");
    if (FAILED(hr)) assert_null(s.store);
    session_finish(&s);
    return hr;
}

/* The store's identity as its entry ID shows it (the MAPIUID after the four flag bytes). */
static void store_uid(IMsgStore *store, MAPIUID *uid)
{
    BYTE id[64];
    assert_int_equal(unwrapped_store_entryid(store, id, sizeof(id)), 30);
    memcpy(uid, id + 4, sizeof(MAPIUID));
}

static void the_identity_lives_in_the_file_across_profiles(void **state)
{
    struct mapisim_session s;
    WCHAR path[MAX_PATH];
    MAPIUID first, second;
    (void)state;
    mapisim_scratch_store_path(path);
    session_start_on(&s, path);
    assert_int_equal(s.support.calls[MAPISIM_NewUID], 1); /* a new file gets a new identity */
    store_uid(s.store, &first);
    assert_memory_equal(&propbag_value(&s.support.profile, PR_MSSTORE_STORE_UID)->Value.bin.lpb[0], &first,
                        sizeof(MAPIUID)); /* the profile keeps a copy */
    session_finish(&s);
    /* Another profile (no saved identity) naming the same file: the same store, the same entry IDs. */
    session_start_on(&s, path);
    assert_int_equal(s.support.calls[MAPISIM_NewUID], 0);
    store_uid(s.store, &second);
    assert_memory_equal(&first, &second, sizeof(MAPIUID));
    session_finish(&s);
    mapisim_remove_store(path);
}

/* A profile of the read-only msstore kept its identity: a new file takes it, so its entry IDs still open. */
static void a_new_file_takes_the_identity_the_profile_kept(void **state)
{
    static const MAPIUID saved = {{0x5a, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}};
    MAPIUID other = saved;
    SPropValue uid = {PR_MSSTORE_STORE_UID, 0, {.bin = {sizeof(saved), (BYTE *)&other}}};
    struct mapisim_session s;
    WCHAR path[MAX_PATH];
    MAPIUID used;
    (void)state;
    mapisim_scratch_store_path(path);
    session_init(&s);
    mapisim_support_use_store(&s.support, path);
    mapisim_propbag_set(&s.support.profile, 1, &uid);
    assert_int_equal(mapisim_session_logon(&s, MDB_WRITE, "storage"), S_OK);
    assert_int_equal(s.support.calls[MAPISIM_NewUID], 0);
    store_uid(s.store, &used);
    assert_memory_equal(&used, &saved, sizeof(MAPIUID));
    session_finish(&s);
    /* The file's identity wins over another copy in a profile, and the profile is told. */
    session_init(&s);
    mapisim_support_use_store(&s.support, path);
    uid.Value.bin.lpb[0] = 0x77;
    mapisim_propbag_set(&s.support.profile, 1, &uid);
    assert_int_equal(mapisim_session_logon(&s, MDB_WRITE, "storage"), S_OK);
    store_uid(s.store, &used);
    assert_memory_equal(&used, &saved, sizeof(MAPIUID));
    assert_memory_equal(propbag_value(&s.support.profile, PR_MSSTORE_STORE_UID)->Value.bin.lpb, &saved, sizeof(MAPIUID));
    session_finish(&s);
    mapisim_remove_store(path);
}

/*
 * A session whose profile names no store file, with display_name (NULL: none); its Logon must
 * answer expected and, on success, make the file expected_path (NULL on failure) and save its path.
 */
static void logon_without_a_path(const WCHAR *display_name, HRESULT expected, const WCHAR *expected_path)
{
    SizedSPropTagArray(1, path_tag) = {1, {MAPISIM_STORE_PATH_PROP}};
    SPropValue name = {PR_DISPLAY_NAME_W, 0, {.lpszW = (WCHAR *)display_name}};
    struct mapisim_session s;
    IMAPIProp *profile;
    session_init(&s);
    profile = &s.support.profile.IMAPIProp_iface;
    assert_int_equal(profile->lpVtbl->DeleteProps(profile, (LPSPropTagArray)&path_tag, NULL), S_OK);
    if (display_name) mapisim_propbag_set(&s.support.profile, 1, &name);
    assert_int_equal(mapisim_session_logon(&s, MDB_WRITE, "storage"), expected);
    if (SUCCEEDED(expected)) {
        assert_true(file_exists(expected_path)); /* the folder made, the file in it */
        assert_true(wcscmp(propbag_value(&s.support.profile, MAPISIM_STORE_PATH_PROP)->Value.lpszW, expected_path) ==
                    0);
    }
    session_finish(&s);
    if (expected_path) mapisim_remove_store(expected_path);
}

/* Without PR_MSSTORE_PATH: %LOCALAPPDATA%\msstore\<display name, file-safe>.msstore, saved in the profile. */
static void a_profile_without_a_path_gets_one_under_localappdata(void **state)
{
    WCHAR base[MAX_PATH], expected[MAX_PATH];
    (void)state;
    mapisim_scratch_store_path(base); /* a folder of our own as %LOCALAPPDATA% */
    CreateDirectoryW(base, NULL);
    assert_true(SetEnvironmentVariableW(L"LOCALAPPDATA", base));
    swprintf(expected, MAX_PATH, L"%ls\\msstore\\Mail_ 2026_Q1.msstore", base);
    logon_without_a_path(L"Mail: 2026/Q1.", S_OK, expected);
    /* A name Windows keeps for a device, even with an extension after it, gets a '_'. */
    swprintf(expected, MAX_PATH, L"%ls\\msstore\\com3_.msstore", base);
    logon_without_a_path(L"com3", S_OK, expected);
    /* No %LOCALAPPDATA% and no path: a configuration that cannot work. */
    SetEnvironmentVariableW(L"LOCALAPPDATA", NULL);
    logon_without_a_path(NULL, MAPI_E_UNCONFIGURED, NULL);
    swprintf(expected, MAX_PATH, L"%ls\\msstore", base);
    RemoveDirectoryW(expected);
    RemoveDirectoryW(base);
}

static void a_file_of_a_newer_msstore_is_refused_and_left_alone(void **state)
{
    char sql[64];
    WCHAR path[MAX_PATH];
    struct mapisim_session s;
    (void)state;
    mapisim_scratch_store_path(path);
    session_start_on(&s, path);
    session_finish(&s);
    run_sql(path, "PRAGMA user_version = 99");
    assert_int_equal(logon_result(path), MAPI_E_VERSION);
    assert_true(file_exists(path));
    snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", STORAGE_SCHEMA_VERSION);
    run_sql(path, sql); /* untouched otherwise: it opens again as it was */
    assert_int_equal(logon_result(path), S_OK);
    mapisim_remove_store(path);
}

/* Writes size bytes of data as the whole file path. */
static void write_file(const WCHAR *path, const void *data, DWORD size)
{
    HANDLE file = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD written = 0;
    assert_true(file != INVALID_HANDLE_VALUE);
    assert_true(WriteFile(file, data, size, &written, NULL) && written == size);
    CloseHandle(file);
}

static void damaged_files_are_refused_as_corrupt_never_crash(void **state)
{
    static const char garbage[] = "This is not a database, it is a letter to a friend. It is long enough to be read.";
    BYTE header[4096];
    WCHAR path[MAX_PATH], copy[MAX_PATH];
    struct mapisim_session s;
    HANDLE file;
    DWORD read = 0;
    (void)state;
    mapisim_scratch_store_path(path);
    write_file(path, garbage, sizeof(garbage));
    assert_int_equal(logon_result(path), MAPI_E_CORRUPT_STORE);
    mapisim_remove_store(path);

    /* A database, but another program's. */
    run_sql(path, "CREATE TABLE notes (text); PRAGMA application_id = 1234; PRAGMA user_version = 1");
    assert_int_equal(logon_result(path), MAPI_E_CORRUPT_STORE);
    mapisim_remove_store(path);

    /* An msstore store cut short: its first page only. */
    session_start_on(&s, path);
    session_finish(&s);
    file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    assert_true(ReadFile(file, header, sizeof(header), &read, NULL) && read == sizeof(header));
    CloseHandle(file);
    mapisim_scratch_store_path(copy);
    write_file(copy, header, sizeof(header));
    assert_int_equal(logon_result(copy), MAPI_E_CORRUPT_STORE);
    mapisim_remove_store(copy);
    mapisim_remove_store(path);
}

/* A Logon that fails after making a new file removes it; a file it only opened stays. */
static void a_failed_logon_removes_only_the_file_it_made(void **state)
{
    struct mapisim_session s;
    WCHAR path[MAX_PATH];
    (void)state;
    mapisim_scratch_store_path(path);
    session_init(&s);
    mapisim_support_use_store(&s.support, path);
    s.support.fail[MAPISIM_ModifyProfile] = MAPI_E_CALL_FAILED;
    assert_int_equal(mapisim_session_logon(&s, MDB_WRITE, "storage"), MAPI_E_CALL_FAILED);
    assert_false(file_exists(path));
    session_finish(&s);

    session_start_on(&s, path);
    session_finish(&s);
    session_init(&s);
    mapisim_support_use_store(&s.support, path);
    s.support.fail[MAPISIM_ModifyProfile] = MAPI_E_CALL_FAILED;
    assert_int_equal(mapisim_session_logon(&s, MDB_WRITE, "storage"), MAPI_E_CALL_FAILED);
    assert_true(file_exists(path));
    session_finish(&s);
    mapisim_remove_store(path);
}

static ULONG row_count(IMAPITable *table)
{
    ULONG count = 0;
    assert_int_equal(table->lpVtbl->GetRowCount(table, 0, &count), S_OK);
    return count;
}

/* Two logons (two profiles of one process) on one file: each sees the other's commits at its next read. */
static void two_logons_on_one_file_see_each_others_commits(void **state)
{
    struct mapisim_session a, b;
    IMAPIFolder *root_a, *root_b;
    IMAPITable *table_b = NULL;
    WCHAR path[MAX_PATH];
    ULONG before;
    (void)state;
    mapisim_scratch_store_path(path);
    session_start_on(&a, path);
    session_start_on(&b, path);
    root_a = open_root_for_writing(a.store);
    root_b = open_root_for_writing(b.store);
    assert_int_equal(root_b->lpVtbl->GetHierarchyTable(root_b, 0, &table_b), S_OK);
    before = row_count(table_b);
    assert_int_equal(create_folder_named(root_a, "From A"), S_OK);
    assert_int_equal(row_count(table_b), before + 1); /* b's table reads again: a committed */
    assert_int_equal(create_folder_named(root_b, "from a"), MAPI_E_COLLISION); /* and b's writes see it */
    assert_int_equal(create_folder_named(root_b, "From B"), S_OK);
    assert_int_equal(row_count(table_b), before + 2);
    table_b->lpVtbl->Release(table_b);
    root_a->lpVtbl->Release(root_a);
    root_b->lpVtbl->Release(root_b);
    session_finish_together(&a, &b);
    mapisim_remove_store(path);
}

/* Another connection holding the write lock: a change waits out the busy timeout, then MAPI_E_BUSY, changing nothing. */
static void a_write_that_meets_another_writers_lock_fails_busy(void **state)
{
    struct mapisim_session s;
    IMAPIFolder *root;
    IMAPITable *table = NULL;
    WCHAR path[MAX_PATH];
    char name[MAX_PATH * 3];
    sqlite3 *other = NULL;
    ULONG before;
    int saved = storage_busy_timeout_ms;
    (void)state;
    storage_busy_timeout_ms = 100;
    mapisim_scratch_store_path(path);
    session_start_on(&s, path);
    root = open_root_for_writing(s.store);
    assert_int_equal(root->lpVtbl->GetHierarchyTable(root, 0, &table), S_OK);
    before = row_count(table);
    WideCharToMultiByte(CP_UTF8, 0, path, -1, name, sizeof(name), NULL, NULL);
    assert_int_equal(sqlite3_open(name, &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(create_folder_named(root, "Waits"), MAPI_E_BUSY);
    assert_int_equal(row_count(table), before); /* readers still read, and nothing was made */
    assert_int_equal(sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(other);
    assert_int_equal(create_folder_named(root, "Waits"), S_OK);
    assert_int_equal(row_count(table), before + 1);
    table->lpVtbl->Release(table);
    root->lpVtbl->Release(root);
    session_finish(&s);
    storage_busy_timeout_ms = saved;
    mapisim_remove_store(path);
}

struct problems {
    ULONG count;
    char first[256];
};

static void note_problem(void *context, const char *problem)
{
    struct problems *p = context;
    if (!p->count++) snprintf(p->first, sizeof(p->first), "%s", problem);
}

static ULONG verify(const WCHAR *path, struct problems *found)
{
    struct storage *st = NULL;
    ULONG count = 0;
    memset(found, 0, sizeof(*found));
    assert_int_equal(storage_open(path, STORAGE_OPEN_READ_ONLY, NULL, &st), STORAGE_OK);
    assert_int_equal(storage_verify(st, note_problem, found, &count), STORAGE_OK);
    storage_close(st);
    assert_int_equal(count, found->count);
    return count;
}

/* A new store file at path (a fresh scratch path) with one folder, "Kept", under the root. */
static void new_store_with_a_folder(WCHAR path[MAX_PATH])
{
    struct mapisim_session s;
    IMAPIFolder *root;
    mapisim_scratch_store_path(path);
    session_start_on(&s, path);
    root = open_root_for_writing(s.store);
    assert_int_equal(create_folder_named(root, "Kept"), S_OK);
    root->lpVtbl->Release(root);
    session_finish(&s);
}

/* The one integer sql answers on the file at path (-1 when it answers no row). */
static LONGLONG sql_integer(const WCHAR *path, const char *sql)
{
    char name[MAX_PATH * 3];
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    LONGLONG value = -1;
    WideCharToMultiByte(CP_UTF8, 0, path, -1, name, sizeof(name), NULL, NULL);
    assert_int_equal(sqlite3_open(name, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
    if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
}

static LONG schema_version(const WCHAR *path) { return (LONG)sql_integer(path, "PRAGMA user_version"); }

/* The file made by version 3, taken back to version 2: no attachments, every message in a folder. */
static const char downgrade_to_version_2[] =
    "PRAGMA foreign_keys = OFF;"
    "DROP TABLE attachment_big_props; DROP TABLE attachment_props; DROP TABLE attachments; DROP TABLE named_props;"
    "DROP INDEX messages_by_folder;"
    "CREATE TABLE messages_v2 (id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " folder_id INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,"
    " associated INTEGER NOT NULL CHECK (associated IN (0, 1)), flags INTEGER NOT NULL,"
    " status INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL, modified INTEGER NOT NULL,"
    " size INTEGER NOT NULL CHECK (size >= 0), change_number INTEGER NOT NULL);"
    "INSERT INTO messages_v2 SELECT id, folder_id, associated, flags, status, created, modified, size, change_number"
    " FROM messages;"
    "DROP TABLE messages; ALTER TABLE messages_v2 RENAME TO messages;"
    "UPDATE sqlite_sequence SET seq = (SELECT max(id) FROM messages) + 5 WHERE name = 'messages';"
    "CREATE INDEX messages_by_folder ON messages (folder_id, associated, id);"
    "ALTER TABLE folders DROP COLUMN contents_sort; PRAGMA user_version = 2";

/* A store of version 1 (folders only) keeps its folders, verifies read-only as it is, and gains messages at its first writing logon. */
static void a_version_1_file_is_upgraded_by_a_writing_logon(void **state)
{
    WCHAR path[MAX_PATH];
    struct mapisim_session s;
    struct problems found;
    IMAPIFolder *root;
    IMessage *message;
    (void)state;
    new_store_with_a_folder(path);
    run_sql(path, "PRAGMA foreign_keys = OFF; DROP TABLE attachment_big_props; DROP TABLE attachment_props; "
                  "DROP TABLE attachments; DROP TABLE named_props; DROP TABLE recipient_props; DROP TABLE message_big_props; "
                  "DROP TABLE message_props; DROP TABLE messages; DROP TABLE change_counter; "
                  "ALTER TABLE folders DROP COLUMN contents_sort; PRAGMA user_version = 1");
    assert_int_equal(verify(path, &found), 0);
    assert_int_equal(schema_version(path), 1);

    session_start_on(&s, path);
    assert_int_equal(schema_version(path), STORAGE_SCHEMA_VERSION);
    root = open_root_for_writing(s.store);
    assert_int_equal(create_folder_named(root, "Kept"), MAPI_E_COLLISION); /* the folder is still there */
    assert_int_equal(root->lpVtbl->CreateMessage(root, NULL, 0, &message), S_OK);
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK);
    message->lpVtbl->Release(message);
    root->lpVtbl->Release(root);
    session_finish(&s);
    assert_int_equal(verify(path, &found), 0);
    mapisim_remove_store(path);
}

/*
 * A store of version 2 (messages, no attachments) keeps every message, its
 * values and its id at its first writing logon, and a new message never
 * takes the id of one deleted before the upgrade.
 */
static void a_version_2_file_keeps_its_messages_through_the_upgrade(void **state)
{
    static const SPropValue subject = {PR_SUBJECT_A, 0, {.lpszA = (char *)"Before the upgrade"}};
    WCHAR path[MAX_PATH];
    struct mapisim_session s;
    struct problems found;
    IMAPIFolder *root;
    IMessage *message;
    LONGLONG kept_id, high_water;
    (void)state;
    new_store_with_a_folder(path);
    session_start_on(&s, path);
    root = open_root_for_writing(s.store);
    assert_int_equal(root->lpVtbl->CreateMessage(root, NULL, 0, &message), S_OK);
    assert_int_equal(message->lpVtbl->SetProps(message, 1, (SPropValue *)&subject, NULL), S_OK);
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK);
    message->lpVtbl->Release(message);
    root->lpVtbl->Release(root);
    session_finish(&s);
    kept_id = sql_integer(path, "SELECT max(id) FROM messages");
    run_sql(path, downgrade_to_version_2);
    high_water = sql_integer(path, "SELECT seq FROM sqlite_sequence WHERE name = 'messages'");
    assert_int_equal(schema_version(path), 2);

    session_start_on(&s, path);
    assert_int_equal(schema_version(path), STORAGE_SCHEMA_VERSION);
    assert_int_equal(sql_integer(path, "SELECT count(*) FROM message_props p JOIN messages m ON m.id = p.message_id "
                                       "WHERE p.prop_id = 0x37"),
                     1); /* the subject, with its message */
    assert_int_equal(sql_integer(path, "SELECT max(id) FROM messages"), kept_id);
    root = open_root_for_writing(s.store);
    assert_int_equal(root->lpVtbl->CreateMessage(root, NULL, 0, &message), S_OK);
    assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK);
    message->lpVtbl->Release(message);
    root->lpVtbl->Release(root);
    session_finish(&s);
    assert_true(sql_integer(path, "SELECT max(id) FROM messages") > high_water);
    assert_int_equal(verify(path, &found), 0);
    mapisim_remove_store(path);
}

/* The file taken back to version 3: its messages without sort keys. */
static const char downgrade_to_version_3[] =
    "DROP INDEX messages_by_sort0; DROP INDEX messages_by_sort1; DROP INDEX messages_by_sort2;"
    "DROP INDEX messages_by_sort3; DROP INDEX messages_by_sort4; DROP INDEX messages_by_sort5;"
    "ALTER TABLE messages DROP COLUMN sort0; ALTER TABLE messages DROP COLUMN sort1;"
    "ALTER TABLE messages DROP COLUMN sort2; ALTER TABLE messages DROP COLUMN sort3;"
    "ALTER TABLE messages DROP COLUMN sort4; ALTER TABLE messages DROP COLUMN sort5;"
    "ALTER TABLE messages DROP COLUMN sort6; ALTER TABLE messages DROP COLUMN sort7;"
    "ALTER TABLE messages DROP COLUMN sort8; ALTER TABLE messages DROP COLUMN sort9;"
    "ALTER TABLE folders DROP COLUMN contents_sort; PRAGMA user_version = 3";

/* The subjects of folder's contents table sorted by subject, joined with '|'. */
static void subjects_in_order(IMAPIFolder *folder, char *out, size_t size)
{
    static const SizedSPropTagArray(1, subject) = {1, {PR_SUBJECT_A}};
    static const SizedSSortOrderSet(1, by_subject) = {1, 0, 0, {{PR_SUBJECT_A, TABLE_SORT_ASCEND}}};
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    ULONG i;
    out[0] = 0;
    assert_int_equal(folder->lpVtbl->GetContentsTable(folder, 0, &table), S_OK);
    assert_int_equal(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&subject, 0), S_OK);
    assert_int_equal(table->lpVtbl->SortTable(table, (LPSSortOrderSet)&by_subject, 0), S_OK);
    assert_int_equal(table->lpVtbl->QueryRows(table, 10, 0, &rows), S_OK);
    for (i = 0; i < rows->cRows; i++)
        snprintf(out + strlen(out), size - strlen(out), "%s%s", i ? "|" : "", rows->aRow[i].lpProps[0].Value.lpszA);
    free_rows(rows);
    table->lpVtbl->Release(table);
}

/*
 * A store of version 3 (no sort keys) gets every message's at its first
 * writing logon, in the upgrade's transaction: its contents tables then
 * read them in the store's order.
 */
static void a_version_3_file_gets_the_sort_keys_of_its_messages(void **state)
{
    static const char *const subjects[] = {"beta", "Charlie", "alpha"};
    WCHAR path[MAX_PATH];
    struct mapisim_session s;
    struct problems found;
    IMAPIFolder *root;
    IMessage *message;
    char order[64];
    ULONG i;
    (void)state;
    new_store_with_a_folder(path);
    session_start_on(&s, path);
    root = open_root_for_writing(s.store);
    for (i = 0; i < ARRAYSIZE(subjects); i++) {
        SPropValue subject = {PR_SUBJECT_A, 0, {.lpszA = (char *)subjects[i]}};
        assert_int_equal(root->lpVtbl->CreateMessage(root, NULL, 0, &message), S_OK);
        assert_int_equal(message->lpVtbl->SetProps(message, 1, &subject, NULL), S_OK);
        assert_int_equal(message->lpVtbl->SaveChanges(message, 0), S_OK);
        message->lpVtbl->Release(message);
    }
    root->lpVtbl->Release(root);
    session_finish(&s);
    run_sql(path, downgrade_to_version_3);
    assert_int_equal(schema_version(path), 3);
    assert_int_equal(verify(path, &found), 0);

    session_start_on(&s, path);
    assert_int_equal(schema_version(path), STORAGE_SCHEMA_VERSION);
    assert_int_equal(sql_integer(path, "SELECT count(*) FROM messages WHERE sort2 IS NOT NULL"), 3); /* PR_SUBJECT's */
    root = open_root_for_writing(s.store);
    subjects_in_order(root, order, sizeof(order));
    assert_string_equal(order, "alpha|beta|Charlie");
    root->lpVtbl->Release(root);
    session_finish(&s);
    assert_int_equal(verify(path, &found), 0);
    mapisim_remove_store(path);
}

/* verify: a store made and changed through MAPI is sound; each invariant broken behind its back is named. */
/* What a writer killed before its schema committed leaves: a WAL database with no tables. */
static void a_file_whose_schema_never_committed_verifies_sound_and_empty(void **state)
{
    struct storage *st = NULL;
    struct problems found;
    WCHAR path[MAX_PATH];
    BOOL needed = FALSE;
    (void)state;
    mapisim_scratch_store_path(path);
    assert_int_equal(storage_open(path, STORAGE_OPEN_WRITE, NULL, &st), STORAGE_OK);
    storage_close(st);
    assert_int_equal(verify(path, &found), 0);
    assert_int_equal(storage_open(path, STORAGE_OPEN_READ_ONLY, NULL, &st), STORAGE_OK);
    assert_int_equal(storage_needs_schema(st, &needed), STORAGE_OK);
    assert_true(needed);
    storage_close(st);
    mapisim_remove_store(path);
}

static void verify_finds_every_broken_invariant(void **state)
{
    static const struct {
        const char *sql, *expected;
    } breaks[] = {
        {"UPDATE folders SET subfolder_count = subfolder_count + 1 WHERE id = 2", "subfolders but has"},
        {"UPDATE folders SET content_count = 3 WHERE id = 4", "but holds 0, 0 and 0"},
        {"UPDATE folders SET unread_count = 1 WHERE id = 4", "1 unread"},
        {"UPDATE folders SET assoc_count = 2 WHERE id = 4", "2 associated"},
        {"PRAGMA foreign_keys = OFF; UPDATE folders SET parent_id = 9999 WHERE id = 4", "names a missing folders"},
        {"UPDATE folders SET parent_id = 5 WHERE id = 2", "not reachable"}, /* a cycle: 2 -> 5 -> 2 */
        {"UPDATE folders SET parent_id = NULL WHERE id = 3", "root folders"},
        {"UPDATE sqlite_sequence SET seq = 3 WHERE name = 'folders'", "high-water mark"},
        {"DELETE FROM store_identity", "identities"},
    };
    struct problems found;
    WCHAR path[MAX_PATH], copy[MAX_PATH];
    size_t i;
    (void)state;
    new_store_with_a_folder(path);
    assert_int_equal(verify(path, &found), 0);
    for (i = 0; i < ARRAYSIZE(breaks); i++) {
        mapisim_scratch_store_path(copy);
        assert_int_equal(storage_backup(path, copy), STORAGE_OK);
        run_sql(copy, breaks[i].sql);
        assert_true(verify(copy, &found) >= 1);
        if (!strstr(found.first, breaks[i].expected))
            fail_msg("after \"%s\": the first problem was \"%s\"", breaks[i].sql, found.first);
        mapisim_remove_store(copy);
    }
    mapisim_remove_store(path);
}

/* A writer for backup_while_writing: folders created one by one until told to stop. */
struct writer {
    IMAPIFolder *root;
    volatile LONG stop;
    LONG created;
};

static DWORD WINAPI write_folders(void *context)
{
    struct writer *w = context;
    char name[32];
    while (!w->stop) {
        snprintf(name, sizeof(name), "Folder %ld", (long)w->created);
        if (create_folder_named(w->root, name) == S_OK) w->created++;
    }
    return 0;
}

/* backup: while another thread commits, the copy is one committed state, sound and a store of its own. */
static void backup_while_writing_copies_a_sound_committed_state(void **state)
{
    struct mapisim_session s, restored;
    struct writer writer = {NULL, 0, 0};
    struct problems found;
    IMAPIFolder *root;
    IMAPITable *table = NULL;
    WCHAR path[MAX_PATH], copy[MAX_PATH];
    MAPIUID original, copied;
    HANDLE thread;
    int round;
    (void)state;
    mapisim_scratch_store_path(path);
    mapisim_scratch_store_path(copy);
    session_start_on(&s, path);
    store_uid(s.store, &original);
    writer.root = open_root_for_writing(s.store);
    thread = CreateThread(NULL, 0, write_folders, &writer, 0, NULL);
    for (round = 0; round < 3; round++) {
        Sleep(20);
        assert_int_equal(storage_backup(path, copy), STORAGE_OK);
        assert_int_equal(verify(copy, &found), 0);
    }
    writer.stop = 1;
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    assert_true(writer.created > 0);
    writer.root->lpVtbl->Release(writer.root);
    session_finish(&s);

    /* The copy opens as the same store (same identity), holding some prefix of what was written. */
    session_start_on(&restored, copy);
    store_uid(restored.store, &copied);
    assert_memory_equal(&copied, &original, sizeof(MAPIUID));
    root = open_root_for_writing(restored.store);
    assert_int_equal(root->lpVtbl->GetHierarchyTable(root, 0, &table), S_OK);
    assert_true(row_count(table) <= 4 + (ULONG)writer.created);
    table->lpVtbl->Release(table);
    root->lpVtbl->Release(root);
    session_finish(&restored);
    mapisim_remove_store(copy);
    mapisim_remove_store(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_identity_lives_in_the_file_across_profiles),
        cmocka_unit_test(a_new_file_takes_the_identity_the_profile_kept),
        cmocka_unit_test(a_profile_without_a_path_gets_one_under_localappdata),
        cmocka_unit_test(a_file_of_a_newer_msstore_is_refused_and_left_alone),
        cmocka_unit_test(a_version_1_file_is_upgraded_by_a_writing_logon),
        cmocka_unit_test(a_version_2_file_keeps_its_messages_through_the_upgrade),
        cmocka_unit_test(a_version_3_file_gets_the_sort_keys_of_its_messages),
        cmocka_unit_test(damaged_files_are_refused_as_corrupt_never_crash),
        cmocka_unit_test(a_failed_logon_removes_only_the_file_it_made),
        cmocka_unit_test(two_logons_on_one_file_see_each_others_commits),
        cmocka_unit_test(a_write_that_meets_another_writers_lock_fails_busy),
        cmocka_unit_test(a_file_whose_schema_never_committed_verifies_sound_and_empty),
        cmocka_unit_test(verify_finds_every_broken_invariant),
        cmocka_unit_test(backup_while_writing_copies_a_sound_committed_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
