#include "storage/storage.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>

#define APPLICATION_ID 0x4D535354 /* 'MSST' */

/* Every statement msstore runs after opening, prepared once per connection. */
enum statement {
    SQL_BEGIN_WRITE,
    SQL_BEGIN_READ,
    SQL_COMMIT,
    SQL_ROLLBACK,
    SQL_DATA_VERSION,
    SQL_USER_VERSION,
    SQL_IDENTITY_GET,
    SQL_IDENTITY_SET,
    SQL_FOLDER_INSERT,
    SQL_FOLDER_GET,
    SQL_FOLDER_EACH,
    SQL_FOLDER_FIND_CHILD,
    SQL_FOLDER_UPDATE,
    SQL_FOLDER_SET_PARENT,
    SQL_FOLDER_ADD_COUNTS,
    SQL_FOLDER_DELETE,
    SQL_FOLDER_PROPS,
    SQL_FOLDER_PROP_COUNT,
    SQL_FOLDER_PROP_SET,
    SQL_FOLDER_PROP_DELETE,
    SQL_FOLDER_PROPS_COPY,
    SQL_FOLDER_SORT_GET,
    SQL_FOLDER_SORT_SET,
    SQL_RECEIVE_EACH,
    SQL_RECEIVE_SET,
    SQL_RECEIVE_DELETE,
    SQL_MESSAGE_INSERT,
    SQL_MESSAGE_GET,
    SQL_MESSAGES_IN,
    SQL_MESSAGE_UPDATE,
    SQL_MESSAGE_SET_FLAGS,
    SQL_MESSAGE_DELETE,
    SQL_MESSAGE_SORT_SET,
    SQL_EMBEDDED_FIND,
    /* The statements of an owner's values, in this order for each enum storage_owner (owner_statement). */
    SQL_MESSAGE_PROPS,
    SQL_MESSAGE_BIG_PROPS,
    SQL_MESSAGE_PROP_SET,
    SQL_MESSAGE_BIG_PROP_SET,
    SQL_MESSAGE_PROP_DELETE,
    SQL_MESSAGE_BIG_PROP_DELETE,
    SQL_MESSAGE_PROP_GET,
    SQL_MESSAGE_BIG_PROP_GET,
    SQL_MESSAGE_PROPS_COPY,
    SQL_MESSAGE_BIG_PROPS_COPY,
    SQL_ATTACHMENT_PROPS,
    SQL_ATTACHMENT_BIG_PROPS,
    SQL_ATTACHMENT_PROP_SET,
    SQL_ATTACHMENT_BIG_PROP_SET,
    SQL_ATTACHMENT_PROP_DELETE,
    SQL_ATTACHMENT_BIG_PROP_DELETE,
    SQL_ATTACHMENT_PROP_GET,
    SQL_ATTACHMENT_BIG_PROP_GET,
    SQL_ATTACHMENT_PROPS_COPY,
    SQL_ATTACHMENT_BIG_PROPS_COPY,
    SQL_RECIPIENTS_COPY,
    SQL_RECIPIENTS,
    SQL_RECIPIENTS_DELETE,
    SQL_RECIPIENT_PROP_SET,
    SQL_NEXT_CHANGE_NUMBER,
    SQL_ATTACHMENTS,
    SQL_ATTACHMENT_IDS,
    SQL_ATTACHMENT_FIND,
    SQL_ATTACHMENT_INSERT,
    SQL_ATTACHMENT_DELETE,
    SQL_NAMED_FIND,
    SQL_NAMED_INSERT,
    SQL_NAMED_GET,
    SQL_NAMED_EACH,
    SQL_COUNT
};

#define FOLDER_COLUMNS                                                                     \
    "id, coalesce(parent_id, 0), name, name_key, comment, container_class, folder_type, special, " \
    "created, modified, subfolder_count, content_count, unread_count, assoc_count"

#define MESSAGE_COLUMNS \
    "id, coalesce(folder_id, 0), coalesce(embedded_in, 0), associated, flags, status, created, modified, size, " \
    "change_number"

/* The statements of the values of an owner (messages, attachments): small ones in <owner>_props, big ones apart. */
#define OWNER_STATEMENTS(OWNER, owner)                                                                        \
    [SQL_##OWNER##_PROPS] = "SELECT tag, value FROM " owner "_props WHERE " owner "_id = ?1 ORDER BY prop_id", \
    /* length() of a blob reads its size, not its pages: the values stay on disk. */                         \
    [SQL_##OWNER##_BIG_PROPS] =                                                                               \
        "SELECT tag, length(value) FROM " owner "_big_props WHERE " owner "_id = ?1 ORDER BY prop_id",          \
    [SQL_##OWNER##_PROP_SET] =                                                                                \
        "INSERT OR REPLACE INTO " owner "_props (" owner "_id, prop_id, tag, value) VALUES (?1, ?2, ?3, ?4)",  \
    [SQL_##OWNER##_BIG_PROP_SET] =                                                                            \
        "INSERT OR REPLACE INTO " owner "_big_props (" owner "_id, prop_id, tag, value) VALUES (?1, ?2, ?3, ?4)", \
    [SQL_##OWNER##_PROP_DELETE] = "DELETE FROM " owner "_props WHERE " owner "_id = ?1 AND prop_id = ?2",      \
    [SQL_##OWNER##_BIG_PROP_DELETE] = "DELETE FROM " owner "_big_props WHERE " owner "_id = ?1 AND prop_id = ?2", \
    [SQL_##OWNER##_PROP_GET] = "SELECT tag, value FROM " owner "_props WHERE " owner "_id = ?1 AND prop_id = ?2", \
    [SQL_##OWNER##_BIG_PROP_GET] =                                                                            \
        "SELECT tag, value FROM " owner "_big_props WHERE " owner "_id = ?1 AND prop_id = ?2",                  \
    [SQL_##OWNER##_PROPS_COPY] = "INSERT INTO " owner "_props (" owner "_id, prop_id, tag, value) "            \
                                 "SELECT ?2, prop_id, tag, value FROM " owner "_props WHERE " owner "_id = ?1", \
    [SQL_##OWNER##_BIG_PROPS_COPY] = "INSERT INTO " owner "_big_props (" owner "_id, prop_id, tag, value) "    \
                                     "SELECT ?2, prop_id, tag, value FROM " owner "_big_props WHERE " owner "_id = ?1"

static const char *const statement_sql[SQL_COUNT] = {
    [SQL_BEGIN_WRITE] = "BEGIN IMMEDIATE",
    [SQL_BEGIN_READ] = "BEGIN",
    [SQL_COMMIT] = "COMMIT",
    [SQL_ROLLBACK] = "ROLLBACK",
    [SQL_DATA_VERSION] = "PRAGMA data_version",
    [SQL_USER_VERSION] = "PRAGMA user_version",
    [SQL_IDENTITY_GET] = "SELECT uid FROM store_identity WHERE only_row = 1",
    [SQL_IDENTITY_SET] = "INSERT OR REPLACE INTO store_identity (only_row, uid, created) VALUES (1, ?1, ?2)",
    [SQL_FOLDER_INSERT] =
        "INSERT INTO folders (id, parent_id, name, name_key, comment, container_class, folder_type, special, "
        "created, modified) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [SQL_FOLDER_GET] = "SELECT " FOLDER_COLUMNS " FROM folders WHERE id = ?1",
    [SQL_FOLDER_EACH] = "SELECT " FOLDER_COLUMNS " FROM folders ORDER BY id",
    [SQL_FOLDER_FIND_CHILD] = "SELECT id FROM folders WHERE parent_id = ?1 AND name_key = ?2",
    [SQL_FOLDER_UPDATE] =
        "UPDATE folders SET name = coalesce(?2, name), name_key = coalesce(?3, name_key), "
        "comment = coalesce(?4, comment), container_class = CASE WHEN ?5 THEN ?6 ELSE container_class END, "
        "modified = ?7 WHERE id = ?1",
    [SQL_FOLDER_SET_PARENT] =
        "UPDATE folders SET parent_id = ?2, name = coalesce(?4, name), name_key = coalesce(?5, name_key), "
        "modified = ?3 WHERE id = ?1",
    [SQL_FOLDER_ADD_COUNTS] =
        "UPDATE folders SET subfolder_count = subfolder_count + ?2, content_count = content_count + ?3, "
        "unread_count = unread_count + ?4, assoc_count = assoc_count + ?5 WHERE id = ?1",
    [SQL_FOLDER_DELETE] = "DELETE FROM folders WHERE id = ?1",
    [SQL_FOLDER_PROPS] = "SELECT tag, value FROM folder_props WHERE folder_id = ?1 ORDER BY prop_id",
    [SQL_FOLDER_PROP_COUNT] = "SELECT count(*) FROM folder_props WHERE folder_id = ?1",
    [SQL_FOLDER_PROP_SET] =
        "INSERT OR REPLACE INTO folder_props (folder_id, prop_id, tag, value) VALUES (?1, ?2, ?3, ?4)",
    [SQL_FOLDER_PROP_DELETE] = "DELETE FROM folder_props WHERE folder_id = ?1 AND prop_id = ?2",
    [SQL_FOLDER_SORT_GET] = "SELECT contents_sort FROM folders WHERE id = ?1",
    [SQL_FOLDER_SORT_SET] = "UPDATE folders SET contents_sort = ?2 WHERE id = ?1",
    [SQL_FOLDER_PROPS_COPY] =
        "INSERT OR REPLACE INTO folder_props (folder_id, prop_id, tag, value) "
        "SELECT ?2, prop_id, tag, value FROM folder_props WHERE folder_id = ?1",
    [SQL_RECEIVE_EACH] = "SELECT message_class, folder_id FROM receive_folders ORDER BY class_key",
    [SQL_RECEIVE_SET] =
        "INSERT OR REPLACE INTO receive_folders (class_key, message_class, folder_id) VALUES (?1, ?2, ?3)",
    [SQL_RECEIVE_DELETE] = "DELETE FROM receive_folders WHERE class_key = ?1",
    [SQL_MESSAGE_INSERT] =
        "INSERT INTO messages (folder_id, embedded_in, associated, flags, status, created, modified, size, "
        "change_number) VALUES (?2, ?10, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [SQL_MESSAGE_GET] = "SELECT " MESSAGE_COLUMNS " FROM messages WHERE id = ?1",
    [SQL_MESSAGES_IN] = "SELECT " MESSAGE_COLUMNS " FROM messages WHERE folder_id = ?1 AND associated = ?2 ORDER BY id",
    [SQL_MESSAGE_UPDATE] =
        "UPDATE messages SET folder_id = ?2, associated = ?3, flags = ?4, status = ?5, created = ?6, modified = ?7, "
        "size = ?8, change_number = ?9 WHERE id = ?1",
    /* The flags alone: no index holds them, so none is touched (an UPDATE naming folder_id rewrites all seven). */
    [SQL_MESSAGE_SET_FLAGS] = "UPDATE messages SET flags = ?2 WHERE id = ?1",
    [SQL_MESSAGE_DELETE] = "DELETE FROM messages WHERE id = ?1",
    [SQL_MESSAGE_SORT_SET] = "UPDATE messages SET sort0 = ?2, sort1 = ?3, sort2 = ?4, sort3 = ?5, sort4 = ?6, "
                             "sort5 = ?7, sort6 = ?8, sort7 = ?9, sort8 = ?10, sort9 = ?11 WHERE id = ?1",
    [SQL_EMBEDDED_FIND] = "SELECT id FROM messages WHERE embedded_in = ?1",
    OWNER_STATEMENTS(MESSAGE, "message"),
    OWNER_STATEMENTS(ATTACHMENT, "attachment"),
    [SQL_RECIPIENTS_COPY] = "INSERT INTO recipient_props (message_id, row_id, prop_id, tag, value) "
                            "SELECT ?2, row_id, prop_id, tag, value FROM recipient_props WHERE message_id = ?1",
    [SQL_RECIPIENTS] = "SELECT row_id, tag, value FROM recipient_props WHERE message_id = ?1 ORDER BY row_id, prop_id",
    [SQL_RECIPIENTS_DELETE] = "DELETE FROM recipient_props WHERE message_id = ?1",
    [SQL_RECIPIENT_PROP_SET] =
        "INSERT OR REPLACE INTO recipient_props (message_id, row_id, prop_id, tag, value) VALUES (?1, ?2, ?3, ?4, ?5)",
    [SQL_NEXT_CHANGE_NUMBER] = "UPDATE change_counter SET last = last + 1 WHERE only_row = 1 RETURNING last",
    [SQL_ATTACHMENTS] = "SELECT a.id, a.attach_num, coalesce(m.id, 0), coalesce(m.size, 0) FROM attachments a "
                        "LEFT JOIN messages m ON m.embedded_in = a.id WHERE a.message_id = ?1 ORDER BY a.attach_num",
    [SQL_ATTACHMENT_IDS] = "SELECT id, attach_num FROM attachments WHERE message_id = ?1 ORDER BY attach_num",
    [SQL_ATTACHMENT_FIND] = "SELECT id FROM attachments WHERE message_id = ?1 AND attach_num = ?2",
    [SQL_ATTACHMENT_INSERT] = "INSERT INTO attachments (message_id, attach_num) VALUES (?1, ?2)",
    [SQL_ATTACHMENT_DELETE] = "DELETE FROM attachments WHERE message_id = ?1 AND attach_num = ?2",
    [SQL_NAMED_FIND] = "SELECT id FROM named_props WHERE guid = ?1 AND kind = ?2 AND lid = ?3 AND name = ?4",
    /* The next id after the highest: ids are never reused (a property a message keeps would change name). */
    [SQL_NAMED_INSERT] = "INSERT INTO named_props (id, guid, kind, lid, name) "
                         "SELECT coalesce(max(id) + 1, 32768), ?1, ?2, ?3, ?4 FROM named_props RETURNING id",
    [SQL_NAMED_GET] = "SELECT id, guid, kind, lid, name FROM named_props WHERE id = ?1",
    [SQL_NAMED_EACH] = "SELECT id, guid, kind, lid, name FROM named_props ORDER BY id",
};

static const char schema_sql[] =
    "CREATE TABLE store_identity ("
    " only_row INTEGER PRIMARY KEY CHECK (only_row = 1),"
    " uid BLOB NOT NULL CHECK (length(uid) = 16),"
    " created INTEGER NOT NULL);"
    "CREATE TABLE folders ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " parent_id INTEGER REFERENCES folders (id),"
    " name TEXT NOT NULL,"
    " name_key TEXT NOT NULL,"
    " comment TEXT NOT NULL DEFAULT '',"
    " container_class TEXT,"
    " folder_type INTEGER NOT NULL,"
    " special INTEGER NOT NULL DEFAULT 0,"
    " created INTEGER NOT NULL,"
    " modified INTEGER NOT NULL,"
    " subfolder_count INTEGER NOT NULL DEFAULT 0 CHECK (subfolder_count >= 0),"
    " content_count INTEGER NOT NULL DEFAULT 0 CHECK (content_count >= 0),"
    " unread_count INTEGER NOT NULL DEFAULT 0 CHECK (unread_count >= 0),"
    " assoc_count INTEGER NOT NULL DEFAULT 0 CHECK (assoc_count >= 0));"
    "CREATE UNIQUE INDEX folders_by_name ON folders (parent_id, name_key);"
    "CREATE TABLE folder_props ("
    " folder_id INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,"
    " prop_id INTEGER NOT NULL,"
    " tag INTEGER NOT NULL,"
    " value BLOB NOT NULL,"
    " PRIMARY KEY (folder_id, prop_id)) WITHOUT ROWID;"
    "CREATE TABLE receive_folders ("
    " class_key TEXT PRIMARY KEY,"
    " message_class TEXT NOT NULL,"
    " folder_id INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE) WITHOUT ROWID;"
    "CREATE INDEX receive_folders_by_folder ON receive_folders (folder_id);";

/* The messages table, named name: a message is in a folder, or embedded in an attachment (version 3). */
#define MESSAGES_TABLE_SQL(name)                                                                \
    "CREATE TABLE " name " ("                                                                  \
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"                                                   \
    " folder_id INTEGER REFERENCES folders (id) ON DELETE CASCADE,"                            \
    " embedded_in INTEGER UNIQUE REFERENCES attachments (id) ON DELETE CASCADE,"               \
    " associated INTEGER NOT NULL CHECK (associated IN (0, 1)),"                               \
    " flags INTEGER NOT NULL,"                                                                 \
    " status INTEGER NOT NULL DEFAULT 0,"                                                      \
    " created INTEGER NOT NULL,"                                                               \
    " modified INTEGER NOT NULL,"                                                              \
    " size INTEGER NOT NULL CHECK (size >= 0),"                                                \
    " change_number INTEGER NOT NULL,"                                                         \
    " CHECK ((folder_id IS NULL) != (embedded_in IS NULL)));"                                  \
    "CREATE INDEX messages_by_folder ON " name " (folder_id, associated, id);"

/* Version 2: messages. A file of version 1 gets these tables when a logon first opens it for writing. */
static const char messages_schema_sql[] =
    MESSAGES_TABLE_SQL("messages")
    "CREATE TABLE message_props ("
    " message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,"
    " prop_id INTEGER NOT NULL,"
    " tag INTEGER NOT NULL,"
    " value BLOB NOT NULL,"
    " PRIMARY KEY (message_id, prop_id)) WITHOUT ROWID;"
    "CREATE TABLE message_big_props ("
    " message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,"
    " prop_id INTEGER NOT NULL,"
    " tag INTEGER NOT NULL,"
    " value BLOB NOT NULL,"
    " UNIQUE (message_id, prop_id));"
    "CREATE TABLE recipient_props ("
    " message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,"
    " row_id INTEGER NOT NULL,"
    " prop_id INTEGER NOT NULL,"
    " tag INTEGER NOT NULL,"
    " value BLOB NOT NULL,"
    " PRIMARY KEY (message_id, row_id, prop_id)) WITHOUT ROWID;"
    "CREATE TABLE change_counter ("
    " only_row INTEGER PRIMARY KEY CHECK (only_row = 1),"
    " last INTEGER NOT NULL);"
    "INSERT INTO change_counter (only_row, last) VALUES (1, 0);";

/*
 * Version 3: attachments, messages embedded in them (the messages table made
 * anew to allow those), and the store's one mapping of named properties.
 */
static const char version_3_schema_sql[] =
    "CREATE TABLE named_props ("
    " id INTEGER PRIMARY KEY CHECK (id BETWEEN 32768 AND 65534),"
    " guid BLOB NOT NULL CHECK (length(guid) = 16),"
    " kind INTEGER NOT NULL CHECK (kind IN (0, 1)),"
    " lid INTEGER NOT NULL DEFAULT 0,"
    " name TEXT NOT NULL DEFAULT '',"
    " UNIQUE (guid, kind, lid, name));"
    "CREATE TABLE attachments ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,"
    " attach_num INTEGER NOT NULL,"
    " UNIQUE (message_id, attach_num));"
    "CREATE TABLE attachment_props ("
    " attachment_id INTEGER NOT NULL REFERENCES attachments (id) ON DELETE CASCADE,"
    " prop_id INTEGER NOT NULL,"
    " tag INTEGER NOT NULL,"
    " value BLOB NOT NULL,"
    " PRIMARY KEY (attachment_id, prop_id)) WITHOUT ROWID;"
    "CREATE TABLE attachment_big_props ("
    " attachment_id INTEGER NOT NULL REFERENCES attachments (id) ON DELETE CASCADE,"
    " prop_id INTEGER NOT NULL,"
    " tag INTEGER NOT NULL,"
    " value BLOB NOT NULL,"
    " UNIQUE (attachment_id, prop_id));";

/* Version 4: the sort keys (STORAGE_SORT_SLOTS), the first STORAGE_INDEXED_SLOTS indexed in each folder. */
#define SORT_INDEX_SQL(n) "CREATE INDEX messages_by_sort" #n " ON messages (folder_id, associated, sort" #n ", id);"
static const char version_4_schema_sql[] =
    "ALTER TABLE messages ADD COLUMN sort0;" "ALTER TABLE messages ADD COLUMN sort1;"
    "ALTER TABLE messages ADD COLUMN sort2;" "ALTER TABLE messages ADD COLUMN sort3;"
    "ALTER TABLE messages ADD COLUMN sort4;" "ALTER TABLE messages ADD COLUMN sort5;"
    "ALTER TABLE messages ADD COLUMN sort6;" "ALTER TABLE messages ADD COLUMN sort7;"
    "ALTER TABLE messages ADD COLUMN sort8;" "ALTER TABLE messages ADD COLUMN sort9;"
    SORT_INDEX_SQL(0) SORT_INDEX_SQL(1) SORT_INDEX_SQL(2) SORT_INDEX_SQL(3) SORT_INDEX_SQL(4) SORT_INDEX_SQL(5)
    "ALTER TABLE folders ADD COLUMN contents_sort BLOB;";

/*
 * Version 2's messages table into version 3's, rows and ids as they were
 * (foreign keys off, so that dropping the old table cascades to nothing).
 * AUTOINCREMENT's high-water mark is put back after: a deleted message's id
 * is never handed out again.
 */
static const char messages_rebuild_sql[] =
    "DROP INDEX messages_by_folder;"
    MESSAGES_TABLE_SQL("messages_v3")
    "INSERT INTO messages_v3 (id, folder_id, associated, flags, status, created, modified, size, change_number) "
    " SELECT id, folder_id, associated, flags, status, created, modified, size, change_number FROM messages;"
    "DROP TABLE messages;"
    "ALTER TABLE messages_v3 RENAME TO messages;"
    "DELETE FROM sqlite_sequence WHERE name = 'messages';";

int storage_busy_timeout_ms = 5000;

struct storage {
    sqlite3 *db;
    sqlite3_stmt *statements[SQL_COUNT];
    BOOL have_data_version;
    sqlite3_int64 data_version;
    storage_sort_key_fn sort_key; /* NULL: messages get no sort keys */
};

/* ---- results ---- */

/* What a caller is told: SQLite's code as an enum storage_result; ours (and STORAGE_OK) as they are. */
static int answer(int rc)
{
    if (rc == SQLITE_OK || rc >= STORAGE_NOT_FOUND) return rc;
    if (rc == SQLITE_IOERR_NOMEM) return STORAGE_NO_MEMORY;
    switch (rc & 0xff) {
    case SQLITE_BUSY: case SQLITE_LOCKED: return STORAGE_BUSY;
    case SQLITE_NOMEM: return STORAGE_NO_MEMORY;
    case SQLITE_FULL: return STORAGE_DISK_FULL;
    case SQLITE_IOERR: case SQLITE_CANTOPEN: case SQLITE_PERM: case SQLITE_PROTOCOL: return STORAGE_IO_ERROR;
    case SQLITE_CORRUPT: case SQLITE_NOTADB: case SQLITE_FORMAT: return STORAGE_CORRUPT;
    case SQLITE_READONLY: return STORAGE_READ_ONLY;
    case SQLITE_CONSTRAINT: return STORAGE_CONSTRAINT;
    default: return STORAGE_FAILED;
    }
}

/* ---- statements ---- */

/* The statement, prepared on first use, reset and unbound: ready for its parameters. */
static int statement(struct storage *st, enum statement which, sqlite3_stmt **out)
{
    sqlite3_stmt **slot = &st->statements[which];
    int rc = SQLITE_OK;
    if (!*slot) rc = sqlite3_prepare_v3(st->db, statement_sql[which], -1, SQLITE_PREPARE_PERSISTENT, slot, NULL);
    *out = *slot;
    return rc;
}

/* Runs a statement that returns no rows (or whose rows do not matter); leaves it reset. */
static int run(sqlite3_stmt *stmt)
{
    int rc = sqlite3_step(stmt);
    while (rc == SQLITE_ROW) rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int run_plain(struct storage *st, enum statement which)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, which, &stmt);
    return rc == SQLITE_OK ? run(stmt) : rc;
}

/* The one integer a statement returns, or STORAGE_NOT_FOUND when it returns no row. */
static int single_integer(sqlite3_stmt *stmt, sqlite3_int64 *value)
{
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        *value = sqlite3_column_int64(stmt, 0);
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = STORAGE_NOT_FOUND;
    }
    sqlite3_reset(stmt);
    return rc;
}

static int bind_text(sqlite3_stmt *stmt, int index, const WCHAR *text)
{
    if (!text) return sqlite3_bind_null(stmt, index);
    return sqlite3_bind_text16(stmt, index, text, -1, SQLITE_TRANSIENT);
}

static const WCHAR *column_text(sqlite3_stmt *stmt, int column)
{
    return (const WCHAR *)sqlite3_column_text16(stmt, column);
}

/* ---- the connection ---- */

static int utf8_path(const WCHAR *path, char **out)
{
    int size = WideCharToMultiByte(CP_UTF8, 0, path, -1, NULL, 0, NULL, NULL);
    if (size <= 0) return SQLITE_CANTOPEN;
    if (!(*out = malloc((size_t)size))) return SQLITE_NOMEM;
    WideCharToMultiByte(CP_UTF8, 0, path, -1, *out, size, NULL, NULL);
    return SQLITE_OK;
}

static int pragma_integer(sqlite3 *db, const char *sql, sqlite3_int64 *value)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
    if (rc == SQLITE_OK) rc = single_integer(stmt, value);
    sqlite3_finalize(stmt);
    return rc;
}

/* Whether the file is an msstore store of a version this code reads (0: new, not yet set up). */
static int check_version(sqlite3 *db)
{
    sqlite3_int64 version = 0, application = 0;
    int rc = pragma_integer(db, "PRAGMA user_version", &version);
    if (rc == SQLITE_OK) rc = pragma_integer(db, "PRAGMA application_id", &application);
    if (rc != SQLITE_OK) return rc;
    if (version == 0 && application == 0) return SQLITE_OK; /* a new file, or one being set up */
    if (application != APPLICATION_ID) return STORAGE_NOT_A_STORE;
    if (version > STORAGE_SCHEMA_VERSION) return STORAGE_NEWER_SCHEMA;
    if (version < 1) return STORAGE_NOT_A_STORE;
    return SQLITE_OK;
}

static int configure(sqlite3 *db)
{
    /* WAL: readers and a writer at once, across processes; FULL: a commit survives a crash. */
    static const char pragmas[] = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";
    int rc = sqlite3_busy_timeout(db, storage_busy_timeout_ms);
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, pragmas, NULL, NULL, NULL);
    return rc;
}

/* ---- sort keys ---- */

static void bind_sort_value(sqlite3_stmt *stmt, int index, const struct storage_sort_value *key)
{
    if (key->kind == STORAGE_SORT_INTEGER) sqlite3_bind_int64(stmt, index, key->integer);
    else if (key->kind == STORAGE_SORT_BYTES) sqlite3_bind_blob(stmt, index, key->bytes, key->size, SQLITE_TRANSIENT);
    else sqlite3_bind_null(stmt, index);
}

/* A message's sort keys made again from its values by the connection's rule. */
static int sort_message(struct storage *st, LONGLONG id)
{
    struct storage_sort_value keys[STORAGE_SORT_SLOTS], key;
    sqlite3_stmt *stmt;
    int rc, slot;
    if (!st->sort_key) return SQLITE_OK;
    memset(keys, 0, sizeof(keys)); /* STORAGE_SORT_NONE */
    if ((rc = statement(st, SQL_MESSAGE_PROPS, &stmt)) != SQLITE_OK) return rc;
    sqlite3_bind_int64(stmt, 1, id);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        key.kind = STORAGE_SORT_NONE;
        slot = st->sort_key((ULONG)sqlite3_column_int64(stmt, 0), sqlite3_column_blob(stmt, 1),
                            sqlite3_column_bytes(stmt, 1), &key);
        if (slot >= 0 && slot < STORAGE_SORT_SLOTS) keys[slot] = key;
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return rc;
    if ((rc = statement(st, SQL_MESSAGE_SORT_SET, &stmt)) != SQLITE_OK) return rc;
    sqlite3_bind_int64(stmt, 1, id);
    for (slot = 0; slot < STORAGE_SORT_SLOTS; slot++) bind_sort_value(stmt, slot + 2, &keys[slot]);
    rc = run(stmt);
    sqlite3_clear_bindings(stmt);
    return rc;
}

/* Every message's sort keys, when a file gets them (the upgrade to version 4). */
static int sort_every_message(struct storage *st)
{
    sqlite3_stmt *stmt = NULL;
    LONGLONG *ids = NULL;
    size_t count = 0, capacity = 0, i;
    int rc = sqlite3_prepare_v2(st->db, "SELECT id FROM messages WHERE folder_id IS NOT NULL", -1, &stmt, NULL);
    /* The ids first: the table is written as the list is read. */
    while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (count == capacity) {
            LONGLONG *more = realloc(ids, (capacity = capacity ? capacity * 2 : 256) * sizeof(*ids));
            if (!more) {
                rc = SQLITE_NOMEM;
                break;
            }
            ids = more;
        }
        ids[count++] = sqlite3_column_int64(stmt, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(stmt);
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
    for (i = 0; rc == SQLITE_OK && i < count; i++) rc = sort_message(st, ids[i]);
    free(ids);
    return rc;
}

/* Version 2's messages rebuilt as version 3's, inside the upgrade's transaction. */
static int rebuild_messages(sqlite3 *db)
{
    sqlite3_int64 high = 0;
    char sql[128];
    int rc = pragma_integer(db, "SELECT seq FROM sqlite_sequence WHERE name = 'messages'", &high);
    if (rc == STORAGE_NOT_FOUND) rc = SQLITE_OK;
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, messages_rebuild_sql, NULL, NULL, NULL);
    snprintf(sql, sizeof(sql), "INSERT INTO sqlite_sequence (name, seq) VALUES ('messages', %lld)", (long long)high);
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    return rc;
}

/*
 * A file of an older version brought up to this one, in one transaction
 * (another process may be doing the same). Foreign keys are off meanwhile
 * (the pragma does nothing inside a transaction): a table made anew must not
 * cascade its old rows' deletion.
 */
static int upgrade(struct storage *st)
{
    sqlite3 *db = st->db;
    sqlite3_int64 version = 0;
    int on, rc = sqlite3_exec(db, "PRAGMA foreign_keys = OFF; BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = pragma_integer(db, "PRAGMA user_version", &version);
    if (rc == SQLITE_OK && version == 1) rc = sqlite3_exec(db, messages_schema_sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK && version == 2) rc = rebuild_messages(db);
    if (rc == SQLITE_OK && (version == 1 || version == 2)) rc = sqlite3_exec(db, version_3_schema_sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK && version >= 1 && version <= 3) {
        rc = sqlite3_exec(db, version_4_schema_sql, NULL, NULL, NULL);
        if (rc == SQLITE_OK) rc = sort_every_message(st);
        if (rc == SQLITE_OK) rc = sqlite3_exec(db, "PRAGMA user_version = 4", NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK && !sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    on = sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    return rc == SQLITE_OK ? on : rc;
}

int storage_open(const WCHAR *path, enum storage_open_mode mode, storage_sort_key_fn sort_key, struct storage **out)
{
    int flags = mode == STORAGE_OPEN_WRITE ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
    struct storage *st;
    char *name = NULL;
    int rc;

    *out = NULL;
    if ((rc = utf8_path(path, &name)) != SQLITE_OK) return answer(rc);
    if (!(st = calloc(1, sizeof(*st)))) {
        free(name);
        return answer(SQLITE_NOMEM);
    }
    st->sort_key = sort_key;
    rc = sqlite3_open_v2(name, &st->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    free(name);
    /* A file that is not a database answers SQLITE_NOTADB at the first read. */
    if (rc == SQLITE_OK) rc = check_version(st->db);
    if (rc == SQLITE_OK && mode == STORAGE_OPEN_WRITE) rc = configure(st->db);
    if (rc == SQLITE_OK) rc = check_version(st->db); /* again, now that WAL can show another writer's commit */
    if (rc == SQLITE_OK && mode == STORAGE_OPEN_WRITE) rc = upgrade(st);
    if (rc == SQLITE_OK && mode == STORAGE_OPEN_READ_ONLY) rc = sqlite3_busy_timeout(st->db, storage_busy_timeout_ms);
    if (rc != SQLITE_OK) {
        storage_close(st);
        return answer(rc);
    }
    *out = st;
    return answer(SQLITE_OK);
}

void storage_close(struct storage *st)
{
    int i;
    if (!st) return;
    for (i = 0; i < SQL_COUNT; i++) sqlite3_finalize(st->statements[i]);
    sqlite3_close(st->db); /* every statement is finalized: this closes */
    free(st);
}

/* ---- transactions ---- */

int storage_begin_write(struct storage *st) { return answer(run_plain(st, SQL_BEGIN_WRITE)); }
int storage_begin_read(struct storage *st) { return answer(run_plain(st, SQL_BEGIN_READ)); }

int storage_commit(struct storage *st)
{
    int rc = run_plain(st, SQL_COMMIT);
    if (rc != SQLITE_OK) storage_rollback(st); /* a failed COMMIT may leave the transaction open */
    return answer(rc);
}

void storage_rollback(struct storage *st)
{
    if (!sqlite3_get_autocommit(st->db)) (void)run_plain(st, SQL_ROLLBACK);
}

int storage_changed_elsewhere(struct storage *st, BOOL *changed)
{
    sqlite3_stmt *stmt;
    sqlite3_int64 version = 0;
    int rc = statement(st, SQL_DATA_VERSION, &stmt);
    if (rc == SQLITE_OK) rc = single_integer(stmt, &version);
    if (rc != SQLITE_OK) return answer(rc);
    *changed = st->have_data_version && version != st->data_version;
    st->data_version = version;
    st->have_data_version = TRUE;
    return answer(SQLITE_OK);
}

/* ---- schema ---- */

int storage_needs_schema(struct storage *st, BOOL *needed)
{
    sqlite3_stmt *stmt;
    sqlite3_int64 version = 0;
    int rc = statement(st, SQL_USER_VERSION, &stmt);
    if (rc == SQLITE_OK) rc = single_integer(stmt, &version);
    if (rc == SQLITE_OK) *needed = version == 0;
    return answer(rc);
}

int storage_create_schema(struct storage *st, LONGLONG reserved_ids)
{
    char sql[256];
    int rc = sqlite3_exec(st->db, schema_sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_exec(st->db, messages_schema_sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_exec(st->db, version_3_schema_sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_exec(st->db, version_4_schema_sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK) return answer(rc);
    snprintf(sql, sizeof(sql),
             "INSERT INTO sqlite_sequence (name, seq) VALUES ('folders', %lld);"
             "PRAGMA application_id = %d; PRAGMA user_version = %d;",
             (long long)reserved_ids, APPLICATION_ID, STORAGE_SCHEMA_VERSION);
    return answer(sqlite3_exec(st->db, sql, NULL, NULL, NULL));
}

/* ---- identity ---- */

int storage_identity_get(struct storage *st, BYTE uid[16])
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_IDENTITY_GET, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        if (sqlite3_column_bytes(stmt, 0) == 16) {
            memcpy(uid, sqlite3_column_blob(stmt, 0), 16);
            rc = SQLITE_OK;
        } else {
            rc = SQLITE_CORRUPT; /* the CHECK constraint rules this out */
        }
    } else if (rc == SQLITE_DONE) {
        rc = STORAGE_NOT_FOUND;
    }
    sqlite3_reset(stmt);
    return answer(rc);
}

int storage_identity_set(struct storage *st, const BYTE uid[16], LONGLONG created)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_IDENTITY_SET, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_blob(stmt, 1, uid, 16, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 2, created);
    return answer(run(stmt));
}

/* ---- folders ---- */

static void read_folder(sqlite3_stmt *stmt, struct storage_folder *f)
{
    f->id = sqlite3_column_int64(stmt, 0);
    f->parent_id = sqlite3_column_int64(stmt, 1);
    f->name = column_text(stmt, 2);
    f->name_key = column_text(stmt, 3);
    f->comment = column_text(stmt, 4);
    f->container_class = sqlite3_column_type(stmt, 5) == SQLITE_NULL ? NULL : column_text(stmt, 5);
    f->folder_type = sqlite3_column_int(stmt, 6);
    f->special = sqlite3_column_int(stmt, 7) != 0;
    f->created = sqlite3_column_int64(stmt, 8);
    f->modified = sqlite3_column_int64(stmt, 9);
    f->subfolder_count = sqlite3_column_int(stmt, 10);
    f->content_count = sqlite3_column_int(stmt, 11);
    f->unread_count = sqlite3_column_int(stmt, 12);
    f->assoc_count = sqlite3_column_int(stmt, 13);
}

/* Hands each folder row of a stepped statement to fn; stops at fn's first nonzero answer. */
static int each_folder(sqlite3_stmt *stmt, storage_folder_fn fn, void *context, BOOL *any)
{
    struct storage_folder folder;
    int rc;
    *any = FALSE;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        read_folder(stmt, &folder);
        *any = TRUE;
        /* The texts of a row are NULL only when SQLite ran out of memory converting them. */
        if (!folder.name || !folder.name_key || !folder.comment) {
            rc = SQLITE_NOMEM;
            break;
        }
        if ((rc = fn(context, &folder)) != SQLITE_OK) break;
    }
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int storage_folder_insert(struct storage *st, const struct storage_folder *f, LONGLONG *id)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_FOLDER_INSERT, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    if (f->id) sqlite3_bind_int64(stmt, 1, f->id);
    else sqlite3_bind_null(stmt, 1);
    if (f->parent_id) sqlite3_bind_int64(stmt, 2, f->parent_id);
    else sqlite3_bind_null(stmt, 2);
    if ((rc = bind_text(stmt, 3, f->name)) == SQLITE_OK && (rc = bind_text(stmt, 4, f->name_key)) == SQLITE_OK &&
        (rc = bind_text(stmt, 5, f->comment)) == SQLITE_OK && (rc = bind_text(stmt, 6, f->container_class)) == SQLITE_OK) {
        sqlite3_bind_int(stmt, 7, f->folder_type);
        sqlite3_bind_int(stmt, 8, f->special ? 1 : 0);
        sqlite3_bind_int64(stmt, 9, f->created);
        sqlite3_bind_int64(stmt, 10, f->modified);
        rc = run(stmt);
    }
    sqlite3_clear_bindings(stmt);
    if (rc == SQLITE_OK) *id = sqlite3_last_insert_rowid(st->db);
    return answer(rc);
}

int storage_folder_get(struct storage *st, LONGLONG id, storage_folder_fn fn, void *context)
{
    sqlite3_stmt *stmt;
    BOOL any;
    int rc = statement(st, SQL_FOLDER_GET, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, id);
    rc = each_folder(stmt, fn, context, &any);
    return answer(rc == SQLITE_OK && !any ? STORAGE_NOT_FOUND : rc);
}

int storage_folder_each(struct storage *st, storage_folder_fn fn, void *context)
{
    sqlite3_stmt *stmt;
    BOOL any;
    int rc = statement(st, SQL_FOLDER_EACH, &stmt);
    return answer(rc == SQLITE_OK ? each_folder(stmt, fn, context, &any) : rc);
}

int storage_folder_find_child(struct storage *st, LONGLONG parent_id, const WCHAR *name_key, LONGLONG *id)
{
    sqlite3_stmt *stmt;
    sqlite3_int64 found = 0;
    int rc = statement(st, SQL_FOLDER_FIND_CHILD, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, parent_id);
    if ((rc = bind_text(stmt, 2, name_key)) == SQLITE_OK) rc = single_integer(stmt, &found);
    sqlite3_clear_bindings(stmt);
    if (rc == SQLITE_OK) *id = found;
    return answer(rc);
}

int storage_folder_update(struct storage *st, LONGLONG id, const WCHAR *name, const WCHAR *name_key,
                          const WCHAR *comment, BOOL set_class, const WCHAR *container_class, LONGLONG modified)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_FOLDER_UPDATE, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, id);
    if ((rc = bind_text(stmt, 2, name)) == SQLITE_OK && (rc = bind_text(stmt, 3, name_key)) == SQLITE_OK &&
        (rc = bind_text(stmt, 4, comment)) == SQLITE_OK && (rc = bind_text(stmt, 6, container_class)) == SQLITE_OK) {
        sqlite3_bind_int(stmt, 5, set_class ? 1 : 0);
        sqlite3_bind_int64(stmt, 7, modified);
        rc = run(stmt);
    }
    sqlite3_clear_bindings(stmt);
    return answer(rc);
}

int storage_folder_set_parent(struct storage *st, LONGLONG id, LONGLONG parent_id, const WCHAR *name,
                              const WCHAR *name_key, LONGLONG modified)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_FOLDER_SET_PARENT, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_int64(stmt, 2, parent_id);
    sqlite3_bind_int64(stmt, 3, modified);
    if ((rc = bind_text(stmt, 4, name)) == SQLITE_OK && (rc = bind_text(stmt, 5, name_key)) == SQLITE_OK) rc = run(stmt);
    sqlite3_clear_bindings(stmt);
    return answer(rc);
}

int storage_folder_add_counts(struct storage *st, LONGLONG id, LONG subfolders, LONG contents, LONG unread,
                              LONG associated)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_FOLDER_ADD_COUNTS, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_int(stmt, 2, subfolders);
    sqlite3_bind_int(stmt, 3, contents);
    sqlite3_bind_int(stmt, 4, unread);
    sqlite3_bind_int(stmt, 5, associated);
    return answer(run(stmt));
}

int storage_folder_delete(struct storage *st, LONGLONG id)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_FOLDER_DELETE, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, id);
    return answer(run(stmt));
}

/* ---- folder properties ---- */

int storage_folder_props(struct storage *st, LONGLONG folder_id, storage_prop_fn fn, void *context)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_FOLDER_PROPS, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, folder_id);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        ULONG tag = (ULONG)sqlite3_column_int64(stmt, 0);
        const void *value = sqlite3_column_blob(stmt, 1);
        int size = sqlite3_column_bytes(stmt, 1);
        if (!value && size) {
            rc = SQLITE_NOMEM;
            break;
        }
        if ((rc = fn(context, tag, value, size)) != SQLITE_OK) break;
    }
    sqlite3_reset(stmt);
    return answer(rc == SQLITE_DONE ? SQLITE_OK : rc);
}

int storage_folder_prop_count(struct storage *st, LONGLONG folder_id, ULONG *count)
{
    sqlite3_stmt *stmt;
    sqlite3_int64 n = 0;
    int rc = statement(st, SQL_FOLDER_PROP_COUNT, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, folder_id);
    rc = single_integer(stmt, &n);
    *count = (ULONG)n;
    return answer(rc);
}

int storage_folder_prop_set(struct storage *st, LONGLONG folder_id, ULONG tag, const void *value, int size)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_FOLDER_PROP_SET, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, folder_id);
    sqlite3_bind_int64(stmt, 2, tag >> 16);
    sqlite3_bind_int64(stmt, 3, tag);
    /* A zero-length blob, not NULL: the column is NOT NULL. */
    sqlite3_bind_blob(stmt, 4, size ? value : "", size, SQLITE_TRANSIENT);
    rc = run(stmt);
    sqlite3_clear_bindings(stmt);
    return answer(rc);
}

int storage_folder_prop_delete(struct storage *st, LONGLONG folder_id, ULONG prop_id)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_FOLDER_PROP_DELETE, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, folder_id);
    sqlite3_bind_int64(stmt, 2, prop_id);
    rc = run(stmt);
    if (rc == SQLITE_OK && sqlite3_changes(st->db) == 0) rc = STORAGE_NOT_FOUND;
    return answer(rc);
}

int storage_folder_sort(struct storage *st, LONGLONG folder_id, storage_bytes_fn fn, void *context)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_FOLDER_SORT_GET, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, folder_id);
    if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        rc = sqlite3_column_type(stmt, 0) == SQLITE_NULL
                 ? SQLITE_OK
                 : fn(context, sqlite3_column_blob(stmt, 0), sqlite3_column_bytes(stmt, 0));
    } else if (rc == SQLITE_DONE) {
        rc = STORAGE_NOT_FOUND;
    }
    sqlite3_reset(stmt);
    return answer(rc);
}

int storage_folder_sort_set(struct storage *st, LONGLONG folder_id, const void *bytes, int size)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_FOLDER_SORT_SET, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, folder_id);
    if (bytes) sqlite3_bind_blob(stmt, 2, bytes, size, SQLITE_TRANSIENT);
    else sqlite3_bind_null(stmt, 2);
    rc = run(stmt);
    sqlite3_clear_bindings(stmt);
    if (rc == SQLITE_OK && sqlite3_changes(st->db) == 0) rc = STORAGE_NOT_FOUND;
    return answer(rc);
}

int storage_folder_props_copy(struct storage *st, LONGLONG from_id, LONGLONG to_id)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_FOLDER_PROPS_COPY, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, from_id);
    sqlite3_bind_int64(stmt, 2, to_id);
    return answer(run(stmt));
}

/* ---- receive folders ---- */

int storage_receive_folders(struct storage *st, storage_receive_fn fn, void *context)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_RECEIVE_EACH, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const WCHAR *message_class = column_text(stmt, 0);
        if (!message_class) {
            rc = SQLITE_NOMEM;
            break;
        }
        if ((rc = fn(context, message_class, sqlite3_column_int64(stmt, 1))) != SQLITE_OK) break;
    }
    sqlite3_reset(stmt);
    return answer(rc == SQLITE_DONE ? SQLITE_OK : rc);
}

int storage_receive_folder_set(struct storage *st, const WCHAR *class_key, const WCHAR *message_class,
                               LONGLONG folder_id)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_RECEIVE_SET, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    if ((rc = bind_text(stmt, 1, class_key)) == SQLITE_OK && (rc = bind_text(stmt, 2, message_class)) == SQLITE_OK) {
        sqlite3_bind_int64(stmt, 3, folder_id);
        rc = run(stmt);
    }
    sqlite3_clear_bindings(stmt);
    return answer(rc);
}

int storage_receive_folder_delete(struct storage *st, const WCHAR *class_key)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_RECEIVE_DELETE, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    if ((rc = bind_text(stmt, 1, class_key)) == SQLITE_OK) rc = run(stmt);
    sqlite3_clear_bindings(stmt);
    return answer(rc);
}

/* ---- messages ---- */

static void read_message(sqlite3_stmt *stmt, struct storage_message *m)
{
    m->id = sqlite3_column_int64(stmt, 0);
    m->folder_id = sqlite3_column_int64(stmt, 1);
    m->embedded_in = sqlite3_column_int64(stmt, 2);
    m->associated = sqlite3_column_int(stmt, 3) != 0;
    m->flags = sqlite3_column_int(stmt, 4);
    m->status = sqlite3_column_int(stmt, 5);
    m->created = sqlite3_column_int64(stmt, 6);
    m->modified = sqlite3_column_int64(stmt, 7);
    m->size = sqlite3_column_int64(stmt, 8);
    m->change_number = sqlite3_column_int64(stmt, 9);
}

/* Hands each message row of a stepped statement to fn; stops at fn's first nonzero answer. */
static int each_message(sqlite3_stmt *stmt, storage_message_fn fn, void *context, BOOL *any)
{
    struct storage_message message;
    int rc;
    *any = FALSE;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        read_message(stmt, &message);
        *any = TRUE;
        if ((rc = fn(context, &message)) != SQLITE_OK) break;
    }
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Binds a message's columns as ?2 to ?9 (?1 is its id where a statement has it); an embedded one has no folder. */
static void bind_message(sqlite3_stmt *stmt, const struct storage_message *m)
{
    if (m->folder_id) sqlite3_bind_int64(stmt, 2, m->folder_id);
    else sqlite3_bind_null(stmt, 2);
    sqlite3_bind_int(stmt, 3, m->associated ? 1 : 0);
    sqlite3_bind_int(stmt, 4, m->flags);
    sqlite3_bind_int(stmt, 5, m->status);
    sqlite3_bind_int64(stmt, 6, m->created);
    sqlite3_bind_int64(stmt, 7, m->modified);
    sqlite3_bind_int64(stmt, 8, m->size);
    sqlite3_bind_int64(stmt, 9, m->change_number);
}

int storage_message_insert(struct storage *st, const struct storage_message *m, LONGLONG *id)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_MESSAGE_INSERT, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    bind_message(stmt, m);
    if (m->embedded_in) sqlite3_bind_int64(stmt, 10, m->embedded_in);
    else sqlite3_bind_null(stmt, 10);
    rc = run(stmt);
    if (rc == SQLITE_OK) *id = sqlite3_last_insert_rowid(st->db);
    return answer(rc);
}

int storage_message_get(struct storage *st, LONGLONG id, storage_message_fn fn, void *context)
{
    sqlite3_stmt *stmt;
    BOOL any;
    int rc = statement(st, SQL_MESSAGE_GET, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, id);
    rc = each_message(stmt, fn, context, &any);
    return answer(rc == SQLITE_OK && !any ? STORAGE_NOT_FOUND : rc);
}

int storage_messages_in(struct storage *st, LONGLONG folder_id, BOOL associated, storage_message_fn fn,
                        void *context)
{
    sqlite3_stmt *stmt;
    BOOL any;
    int rc = statement(st, SQL_MESSAGES_IN, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, folder_id);
    sqlite3_bind_int(stmt, 2, associated ? 1 : 0);
    return answer(each_message(stmt, fn, context, &any));
}

int storage_message_update(struct storage *st, const struct storage_message *m)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_MESSAGE_UPDATE, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, m->id);
    bind_message(stmt, m);
    rc = run(stmt);
    if (rc == SQLITE_OK && sqlite3_changes(st->db) == 0) rc = STORAGE_NOT_FOUND;
    return answer(rc);
}

int storage_message_set_flags(struct storage *st, LONGLONG id, LONG flags)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_MESSAGE_SET_FLAGS, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_int(stmt, 2, flags);
    rc = run(stmt);
    if (rc == SQLITE_OK && sqlite3_changes(st->db) == 0) rc = STORAGE_NOT_FOUND;
    return answer(rc);
}

int storage_message_delete(struct storage *st, LONGLONG id)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_MESSAGE_DELETE, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, id);
    rc = run(stmt);
    if (rc == SQLITE_OK && sqlite3_changes(st->db) == 0) rc = STORAGE_NOT_FOUND;
    return answer(rc);
}

int storage_message_sort(struct storage *st, LONGLONG id) { return answer(sort_message(st, id)); }

/* ---- a folder's messages in order ---- */

/* SQL text built in a fixed buffer: too long a text is a statement SQLite refuses. */
struct sql_text {
    char text[8192];
    size_t length;
    BOOL overflow;
};

static void sql_add(struct sql_text *sql, const char *format, ...)
{
    va_list args;
    int n;
    if (sql->overflow) return;
    va_start(args, format);
    n = vsnprintf(sql->text + sql->length, sizeof(sql->text) - sql->length, format, args);
    va_end(args);
    if (n < 0 || (size_t)n >= sizeof(sql->text) - sql->length) sql->overflow = TRUE;
    else sql->length += (size_t)n;
}

static const char *column_name(enum storage_sort_column column, char buffer[8])
{
    static const char *const names[] = {"created", "modified", "size", "flags"};
    if (column < STORAGE_SORT_SLOTS) {
        snprintf(buffer, 8, "sort%d", (int)column);
        return buffer;
    }
    return names[column - STORAGE_SORT_SLOTS];
}

/* The end (one past) of the test tree at tests[at], or `limit + 1` when it runs past limit or is malformed. */
static ULONG test_end(const struct storage_test *tests, ULONG at, ULONG limit)
{
    ULONG operands, i;
    if (at >= limit) return limit + 1;
    switch (tests[at].kind) {
    case STORAGE_TEST_AND:
    case STORAGE_TEST_OR: operands = tests[at].count; break;
    case STORAGE_TEST_NOT: operands = 1; break;
    case STORAGE_TEST_TRUE: return at + 1;
    case STORAGE_TEST_COMPARE:
    case STORAGE_TEST_BITS_ANY:
        return tests[at].column >= STORAGE_COLUMN_CREATED && tests[at].column <= STORAGE_COLUMN_FLAGS &&
                       (unsigned)tests[at].relation <= STORAGE_NOT_EQUAL
                   ? at + 1
                   : limit + 1;
    default: return limit + 1;
    }
    for (i = 0, at++; i < operands && at <= limit; i++) at = test_end(tests, at, limit);
    return at;
}

static BOOL order_valid(const struct storage_order *order)
{
    ULONG i;
    if (order->count > STORAGE_SORT_MAX || order->test_count > STORAGE_TEST_MAX) return FALSE;
    for (i = 0; i < order->count; i++)
        if ((unsigned)order->keys[i].column > STORAGE_COLUMN_FLAGS) return FALSE;
    return !order->test_count || test_end(order->tests, 0, order->test_count) == order->test_count;
}

/* Writes the test tree at tests[at] as SQL; returns its end. Values are integers, written as literals. */
static ULONG add_test(struct sql_text *sql, const struct storage_test *tests, ULONG at)
{
    static const char *const relations[] = {"<", "<=", ">", ">=", "=", "<>"};
    const struct storage_test *t = &tests[at++];
    char name[8];
    ULONG i;
    switch (t->kind) {
    case STORAGE_TEST_AND:
    case STORAGE_TEST_OR:
        sql_add(sql, "(%s", t->count ? "" : t->kind == STORAGE_TEST_AND ? "1" : "0");
        for (i = 0; i < t->count; i++) {
            if (i) sql_add(sql, t->kind == STORAGE_TEST_AND ? " AND " : " OR ");
            at = add_test(sql, tests, at);
        }
        sql_add(sql, ")");
        return at;
    case STORAGE_TEST_NOT:
        sql_add(sql, "(NOT ");
        at = add_test(sql, tests, at);
        sql_add(sql, ")");
        return at;
    case STORAGE_TEST_TRUE: sql_add(sql, "1"); return at;
    case STORAGE_TEST_COMPARE:
        sql_add(sql, "%s %s %lld", column_name(t->column, name), relations[t->relation], (long long)t->value);
        return at;
    default: /* STORAGE_TEST_BITS_ANY */
        sql_add(sql, "(%s & %lld) <> 0", column_name(t->column, name), (long long)t->value);
        return at;
    }
}

/* " AND (the order's tests)", or nothing for an order of every message. */
static void add_tests(struct sql_text *sql, const struct storage_order *order)
{
    if (!order->test_count || !order_valid(order)) return;
    sql_add(sql, " AND ");
    add_test(sql, order->tests, 0);
}

/* Prepares sql, binds the order's folder as ?1 and ?2, and hands the statement over. */
static int prepare_order(struct storage *st, const struct storage_order *order, const struct sql_text *sql,
                         sqlite3_stmt **stmt)
{
    int rc;
    *stmt = NULL;
    if (sql->overflow || !order_valid(order)) return SQLITE_MISUSE;
    if ((rc = sqlite3_prepare_v2(st->db, sql->text, -1, stmt, NULL)) != SQLITE_OK) return rc;
    sqlite3_bind_int64(*stmt, 1, order->folder_id);
    sqlite3_bind_int(*stmt, 2, order->associated ? 1 : 0);
    return SQLITE_OK;
}

/*
 * Rows whose keys are all equal go by id in the last key's direction, so
 * that a descending sort reads its index backward to the end: ties by id
 * ascending under a descending key would sort every group of equal keys.
 */
static BOOL ties_descend(const struct storage_order *order)
{
    return order->count && order->keys[order->count - 1].descending;
}

int storage_messages_ordered(struct storage *st, const struct storage_order *order, ULONG offset, ULONG limit,
                             storage_id_fn fn, void *context)
{
    struct sql_text sql = {{0}, 0, FALSE};
    sqlite3_stmt *stmt;
    char name[8];
    ULONG i;
    int rc;
    sql_add(&sql, "SELECT id FROM messages WHERE folder_id = ?1 AND associated = ?2");
    add_tests(&sql, order);
    sql_add(&sql, " ORDER BY ");
    for (i = 0; i < order->count && i < STORAGE_SORT_MAX; i++)
        sql_add(&sql, "%s%s, ", column_name(order->keys[i].column, name), order->keys[i].descending ? " DESC" : "");
    sql_add(&sql, "id%s LIMIT ?3 OFFSET ?4", ties_descend(order) ? " DESC" : "");
    if ((rc = prepare_order(st, order, &sql, &stmt)) != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 3, limit);
    sqlite3_bind_int64(stmt, 4, offset);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        if ((rc = fn(context, sqlite3_column_int64(stmt, 0))) != SQLITE_OK) break;
    sqlite3_finalize(stmt);
    return answer(rc == SQLITE_DONE ? SQLITE_OK : rc);
}

/*
 * The messages before x in the order: those whose first differing key is
 * before x's (a missing key, NULL, before any other: first ascending, last
 * descending), or whose keys are all x's and whose id is (ties_descend). Counted as a sum
 * of counts, each over one range of an index with x's keys bound as values,
 * so that a row near the top costs the rows before it, not the folder.
 */
/* Adds one count to a sum: over the order's folder, the rows whose first `equal` keys are x's (bound from ?4 on). */
static void add_range(struct sql_text *sql, const struct storage_order *order, ULONG equal)
{
    char name[8];
    ULONG j;
    sql_add(sql, " + (SELECT count(*) FROM messages WHERE folder_id = ?1 AND associated = ?2");
    add_tests(sql, order);
    for (j = 0; j < equal; j++) sql_add(sql, " AND %s IS ?%lu", column_name(order->keys[j].column, name), (unsigned long)j + 4);
}

/* x's sort keys, as values to bind; SQLITE_DONE when there is no such message. */
static int read_keys(struct storage *st, const struct storage_order *order, LONGLONG id, sqlite3_value **keys)
{
    struct sql_text sql = {{0}, 0, FALSE};
    sqlite3_stmt *stmt;
    char name[8];
    ULONG i;
    int rc;
    sql_add(&sql, "SELECT 0");
    for (i = 0; i < order->count; i++) sql_add(&sql, ", %s", column_name(order->keys[i].column, name));
    sql_add(&sql, " FROM messages WHERE id = ?1");
    if ((rc = sqlite3_prepare_v2(st->db, sql.text, -1, &stmt, NULL)) != SQLITE_OK) return rc;
    sqlite3_bind_int64(stmt, 1, id);
    if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) rc = SQLITE_OK;
    for (i = 0; rc == SQLITE_OK && i < order->count; i++)
        if (!(keys[i] = sqlite3_value_dup(sqlite3_column_value(stmt, (int)i + 1)))) rc = SQLITE_NOMEM;
    sqlite3_finalize(stmt);
    return rc;
}

int storage_messages_before(struct storage *st, const struct storage_order *order, LONGLONG id, ULONG *before)
{
    struct sql_text sql = {{0}, 0, FALSE};
    sqlite3_value *keys[STORAGE_SORT_MAX] = {NULL};
    sqlite3_stmt *stmt = NULL;
    sqlite3_int64 count = 0;
    char name[8];
    ULONG i;
    int rc = order_valid(order) ? read_keys(st, order, id, keys) : SQLITE_MISUSE;
    *before = 0;
    if (rc == SQLITE_OK) {
        sql_add(&sql, "SELECT 0");
        for (i = 0; i < order->count; i++) { /* first differing at key i: before x's value, or missing where x's is not */
            const char *c = column_name(order->keys[i].column, name);
            BOOL descending = order->keys[i].descending;
            add_range(&sql, order, i);
            sql_add(&sql, " AND %s %c ?%lu)", c, descending ? '>' : '<', (unsigned long)i + 4);
            add_range(&sql, order, i);
            if (descending) sql_add(&sql, " AND ?%lu IS NULL AND %s IS NOT NULL)", (unsigned long)i + 4, c);
            else sql_add(&sql, " AND %s IS NULL AND ?%lu IS NOT NULL)", c, (unsigned long)i + 4);
        }
        add_range(&sql, order, order->count); /* every key x's: by id */
        sql_add(&sql, " AND id %c ?3)", ties_descend(order) ? '>' : '<');
        rc = prepare_order(st, order, &sql, &stmt);
    }
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(stmt, 3, id);
        for (i = 0; rc == SQLITE_OK && i < order->count; i++) rc = sqlite3_bind_value(stmt, (int)i + 4, keys[i]);
        if (rc == SQLITE_OK && (rc = single_integer(stmt, &count)) == SQLITE_OK) *before = (ULONG)count;
    }
    sqlite3_finalize(stmt);
    for (i = 0; i < STORAGE_SORT_MAX; i++) sqlite3_value_free(keys[i]);
    return answer(rc == SQLITE_DONE ? SQLITE_OK : rc); /* SQLITE_DONE: no such message, none before it */
}

int storage_messages_count(struct storage *st, const struct storage_order *order, ULONG *count)
{
    struct sql_text sql = {{0}, 0, FALSE};
    sqlite3_stmt *stmt;
    sqlite3_int64 n = 0;
    int rc;
    /* The folder's own counts, kept with every change in the same transaction (verify checks them): no scan. */
    if (order->test_count) {
        sql_add(&sql, "SELECT count(*) FROM messages WHERE folder_id = ?1 AND associated = ?2");
        add_tests(&sql, order); /* the messages that pass: a scan of the folder's */
    } else {
        sql_add(&sql, "SELECT CASE WHEN ?2 THEN assoc_count ELSE content_count END FROM folders WHERE id = ?1");
    }
    if ((rc = prepare_order(st, order, &sql, &stmt)) != SQLITE_OK) return answer(rc);
    if ((rc = single_integer(stmt, &n)) == STORAGE_NOT_FOUND) { /* a folder gone holds none */
        rc = SQLITE_OK;
        n = 0;
    }
    sqlite3_finalize(stmt);
    if (rc == SQLITE_OK) *count = (ULONG)n;
    return answer(rc);
}

int storage_message_in_order(struct storage *st, const struct storage_order *order, LONGLONG id, BOOL *in)
{
    struct sql_text sql = {{0}, 0, FALSE};
    sqlite3_stmt *stmt;
    sqlite3_int64 one = 0;
    int rc;
    *in = FALSE;
    sql_add(&sql, "SELECT 1 FROM messages WHERE id = ?3 AND folder_id = ?1 AND associated = ?2");
    add_tests(&sql, order);
    if ((rc = prepare_order(st, order, &sql, &stmt)) != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 3, id);
    if ((rc = single_integer(stmt, &one)) == STORAGE_NOT_FOUND) rc = SQLITE_OK;
    else if (rc == SQLITE_OK) *in = TRUE;
    sqlite3_finalize(stmt);
    return answer(rc);
}

int storage_next_change_number(struct storage *st, LONGLONG *number)
{
    sqlite3_stmt *stmt;
    sqlite3_int64 n = 0;
    int rc = statement(st, SQL_NEXT_CHANGE_NUMBER, &stmt);
    if (rc == SQLITE_OK) rc = single_integer(stmt, &n);
    if (rc == STORAGE_NOT_FOUND) rc = SQLITE_CORRUPT; /* the counter's one row is missing */
    if (rc == SQLITE_OK) *number = n;
    return answer(rc);
}

/* Each (tag, value) row of a stepped statement to fn; with sizes_only, the value is NULL and size its length. */
static int each_prop(sqlite3_stmt *stmt, BOOL sizes_only, storage_prop_fn fn, void *context)
{
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        ULONG tag = (ULONG)sqlite3_column_int64(stmt, 0);
        const void *value = sizes_only ? NULL : sqlite3_column_blob(stmt, 1);
        int size = sizes_only ? sqlite3_column_int(stmt, 1) : sqlite3_column_bytes(stmt, 1);
        if (!sizes_only && !value && size) {
            rc = SQLITE_NOMEM;
            break;
        }
        if ((rc = fn(context, tag, value, size)) != SQLITE_OK) break;
    }
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int storage_recipients(struct storage *st, LONGLONG message_id, storage_recipient_fn fn, void *context)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_RECIPIENTS, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, message_id);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const void *value = sqlite3_column_blob(stmt, 2);
        int size = sqlite3_column_bytes(stmt, 2);
        if (!value && size) {
            rc = SQLITE_NOMEM;
            break;
        }
        if ((rc = fn(context, (ULONG)sqlite3_column_int64(stmt, 0), (ULONG)sqlite3_column_int64(stmt, 1), value,
                     size)) != SQLITE_OK)
            break;
    }
    sqlite3_reset(stmt);
    return answer(rc == SQLITE_DONE ? SQLITE_OK : rc);
}

int storage_recipients_delete(struct storage *st, LONGLONG message_id)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_RECIPIENTS_DELETE, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, message_id);
    return answer(run(stmt));
}

int storage_recipient_prop_set(struct storage *st, LONGLONG message_id, ULONG row_id, ULONG tag, const void *value,
                               int size)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_RECIPIENT_PROP_SET, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, message_id);
    sqlite3_bind_int64(stmt, 2, row_id);
    sqlite3_bind_int64(stmt, 3, tag >> 16);
    sqlite3_bind_int64(stmt, 4, tag);
    sqlite3_bind_blob(stmt, 5, size ? value : "", size, SQLITE_TRANSIENT);
    rc = run(stmt);
    sqlite3_clear_bindings(stmt);
    return answer(rc);
}

/* ---- the values of messages and attachments ---- */

#define OWNER_STATEMENT_COUNT (SQL_ATTACHMENT_PROPS - SQL_MESSAGE_PROPS)

/* The statement `which` (one of SQL_MESSAGE_*'s values statements) for owner's table. */
static enum statement owner_statement(enum storage_owner owner, enum statement which)
{
    return (enum statement)(which + (owner == STORAGE_ATTACHMENT ? OWNER_STATEMENT_COUNT : 0));
}

static int owner_statement_for(struct storage *st, enum storage_owner owner, enum statement which,
                               sqlite3_stmt **out)
{
    return statement(st, owner_statement(owner, which), out);
}

int storage_props(struct storage *st, enum storage_owner owner, LONGLONG owner_id, storage_prop_fn fn,
                  storage_prop_fn big_fn, void *context)
{
    sqlite3_stmt *stmt;
    int rc = owner_statement_for(st, owner, SQL_MESSAGE_PROPS, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, owner_id);
    rc = each_prop(stmt, FALSE, fn, context);
    if (rc == SQLITE_OK && big_fn && (rc = owner_statement_for(st, owner, SQL_MESSAGE_BIG_PROPS, &stmt)) == SQLITE_OK) {
        sqlite3_bind_int64(stmt, 1, owner_id);
        rc = each_prop(stmt, TRUE, big_fn, context);
    }
    return answer(rc);
}

/* Deletes prop_id's value from the table `which` deletes from; *deleted: whether there was one. */
static int delete_prop(struct storage *st, enum storage_owner owner, enum statement which, LONGLONG owner_id,
                       ULONG prop_id, BOOL *deleted)
{
    sqlite3_stmt *stmt;
    int rc = owner_statement_for(st, owner, which, &stmt);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_int64(stmt, 1, owner_id);
    sqlite3_bind_int64(stmt, 2, prop_id);
    rc = run(stmt);
    if (rc == SQLITE_OK && sqlite3_changes(st->db)) *deleted = TRUE;
    return rc;
}

/* The value of prop_id in the table `which` reads from, to fn; *found says whether there was one. */
static int one_prop(struct storage *st, enum storage_owner owner, enum statement which, LONGLONG owner_id,
                    ULONG prop_id, storage_prop_fn fn, void *context, BOOL *found)
{
    sqlite3_stmt *stmt;
    int rc = owner_statement_for(st, owner, which, &stmt);
    *found = FALSE;
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_int64(stmt, 1, owner_id);
    sqlite3_bind_int64(stmt, 2, prop_id);
    if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const void *value = sqlite3_column_blob(stmt, 1);
        int size = sqlite3_column_bytes(stmt, 1);
        *found = TRUE;
        rc = !value && size ? SQLITE_NOMEM : fn(context, (ULONG)sqlite3_column_int64(stmt, 0), value, size);
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    sqlite3_reset(stmt);
    return rc;
}

int storage_big_prop(struct storage *st, enum storage_owner owner, LONGLONG owner_id, ULONG prop_id,
                     storage_prop_fn fn, void *context)
{
    BOOL found;
    int rc = one_prop(st, owner, SQL_MESSAGE_BIG_PROP_GET, owner_id, prop_id, fn, context, &found);
    return answer(rc == SQLITE_OK && !found ? STORAGE_NOT_FOUND : rc);
}

int storage_props_among(struct storage *st, enum storage_owner owner, LONGLONG owner_id, const ULONG *tags,
                        ULONG count, storage_prop_fn fn, void *context)
{
    BOOL found;
    int rc = SQLITE_OK;
    ULONG i;
    for (i = 0; rc == SQLITE_OK && i < count; i++)
        rc = one_prop(st, owner, SQL_MESSAGE_PROP_GET, owner_id, tags[i] >> 16, fn, context, &found);
    return answer(rc);
}

int storage_prop_set(struct storage *st, enum storage_owner owner, LONGLONG owner_id, ULONG tag, const void *value,
                     int size, BOOL big)
{
    sqlite3_stmt *stmt;
    BOOL deleted = FALSE;
    /* A value lives in one of the two tables: the other one's is gone. */
    int rc = delete_prop(st, owner, big ? SQL_MESSAGE_PROP_DELETE : SQL_MESSAGE_BIG_PROP_DELETE, owner_id, tag >> 16,
                         &deleted);
    if (rc == SQLITE_OK) rc = owner_statement_for(st, owner, big ? SQL_MESSAGE_BIG_PROP_SET : SQL_MESSAGE_PROP_SET, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, owner_id);
    sqlite3_bind_int64(stmt, 2, tag >> 16);
    sqlite3_bind_int64(stmt, 3, tag);
    sqlite3_bind_blob(stmt, 4, size ? value : "", size, SQLITE_TRANSIENT);
    rc = run(stmt);
    sqlite3_clear_bindings(stmt);
    return answer(rc);
}

int storage_prop_delete(struct storage *st, enum storage_owner owner, LONGLONG owner_id, ULONG prop_id)
{
    BOOL deleted = FALSE;
    int rc = delete_prop(st, owner, SQL_MESSAGE_PROP_DELETE, owner_id, prop_id, &deleted);
    if (rc == SQLITE_OK) rc = delete_prop(st, owner, SQL_MESSAGE_BIG_PROP_DELETE, owner_id, prop_id, &deleted);
    if (rc == SQLITE_OK && !deleted) rc = STORAGE_NOT_FOUND;
    return answer(rc);
}

/* Runs each of the statements copies (?1 from, ?2 to). */
static int copy_rows(struct storage *st, const enum statement *copies, size_t count, LONGLONG from_id, LONGLONG to_id)
{
    int rc = SQLITE_OK;
    size_t i;
    for (i = 0; rc == SQLITE_OK && i < count; i++) {
        sqlite3_stmt *stmt;
        if ((rc = statement(st, copies[i], &stmt)) != SQLITE_OK) break;
        sqlite3_bind_int64(stmt, 1, from_id);
        sqlite3_bind_int64(stmt, 2, to_id);
        rc = run(stmt);
    }
    return rc;
}

/* ---- attachments ---- */

int storage_attachments(struct storage *st, LONGLONG message_id, storage_attachment_fn fn, void *context)
{
    struct storage_attachment a;
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_ATTACHMENTS, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, message_id);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        a.id = sqlite3_column_int64(stmt, 0);
        a.num = (ULONG)sqlite3_column_int64(stmt, 1);
        a.embedded_id = sqlite3_column_int64(stmt, 2);
        a.embedded_size = sqlite3_column_int64(stmt, 3);
        if ((rc = fn(context, &a)) != SQLITE_OK) break;
    }
    sqlite3_reset(stmt);
    return answer(rc == SQLITE_DONE ? SQLITE_OK : rc);
}

/* Binds (message_id, num) and answers the one id the statement returns, or STORAGE_NOT_FOUND. */
static int find_id(struct storage *st, enum statement which, LONGLONG key, ULONG num, BOOL with_num,
                         LONGLONG *id)
{
    sqlite3_stmt *stmt;
    sqlite3_int64 found = 0;
    int rc = statement(st, which, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, key);
    if (with_num) sqlite3_bind_int64(stmt, 2, num);
    rc = single_integer(stmt, &found);
    if (rc == SQLITE_OK) *id = found;
    return answer(rc);
}

int storage_attachment_find(struct storage *st, LONGLONG message_id, ULONG num, LONGLONG *id)
{
    return find_id(st, SQL_ATTACHMENT_FIND, message_id, num, TRUE, id);
}

int storage_embedded_find(struct storage *st, LONGLONG attachment_id, LONGLONG *message_id)
{
    return find_id(st, SQL_EMBEDDED_FIND, attachment_id, 0, FALSE, message_id);
}

int storage_attachment_insert(struct storage *st, LONGLONG message_id, ULONG num, LONGLONG *id)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_ATTACHMENT_INSERT, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, message_id);
    sqlite3_bind_int64(stmt, 2, num);
    rc = run(stmt);
    if (rc == SQLITE_OK) *id = sqlite3_last_insert_rowid(st->db);
    return answer(rc);
}

int storage_attachment_delete(struct storage *st, LONGLONG message_id, ULONG num)
{
    sqlite3_stmt *stmt;
    int rc = statement(st, SQL_ATTACHMENT_DELETE, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, message_id);
    sqlite3_bind_int64(stmt, 2, num);
    rc = run(stmt);
    if (rc == SQLITE_OK && sqlite3_changes(st->db) == 0) rc = STORAGE_NOT_FOUND;
    return answer(rc);
}

/* ---- copying a message whole ---- */

struct attachment_ids {
    ULONG count, capacity;
    struct storage_attachment *items; /* malloc */
};

static int copy_message_values(struct storage *st, LONGLONG from_id, LONGLONG to_id, int depth);

static int copy_row(void *context, const struct storage_message *message)
{
    *(struct storage_message *)context = *message;
    return STORAGE_OK;
}

/* The embedded message of attachment from_id, if it has one, copied into attachment to_id. */
static int copy_embedded(struct storage *st, LONGLONG from_id, LONGLONG to_id, int depth)
{
    struct storage_message row;
    LONGLONG embedded = 0, copy = 0;
    int rc = storage_embedded_find(st, from_id, &embedded);
    if (rc == STORAGE_NOT_FOUND) return SQLITE_OK;
    if (rc == SQLITE_OK) rc = storage_message_get(st, embedded, copy_row, &row);
    row.embedded_in = to_id;
    if (rc == SQLITE_OK) rc = storage_message_insert(st, &row, &copy);
    return rc == SQLITE_OK ? copy_message_values(st, embedded, copy, depth + 1) : rc;
}

static int add_attachment_id(void *context, const struct storage_attachment *a)
{
    struct attachment_ids *ids = context;
    if (ids->count == ids->capacity) {
        ULONG capacity = ids->capacity ? ids->capacity * 2 : 8;
        struct storage_attachment *items = realloc(ids->items, capacity * sizeof(*items));
        if (!items) return STORAGE_NO_MEMORY;
        ids->items = items;
        ids->capacity = capacity;
    }
    ids->items[ids->count++] = *a;
    return STORAGE_OK;
}

/* Every value, recipient and attachment of message from_id, embedded messages to any depth, into to_id. */
static int copy_message_values(struct storage *st, LONGLONG from_id, LONGLONG to_id, int depth)
{
    static const enum statement message_copies[] = {SQL_MESSAGE_PROPS_COPY, SQL_MESSAGE_BIG_PROPS_COPY,
                                                    SQL_RECIPIENTS_COPY};
    static const enum statement attachment_copies[] = {SQL_ATTACHMENT_PROPS_COPY, SQL_ATTACHMENT_BIG_PROPS_COPY};
    struct attachment_ids ids = {0, 0, NULL};
    int rc = copy_rows(st, message_copies, sizeof(message_copies) / sizeof(message_copies[0]), from_id, to_id);
    ULONG i;
    if (depth > STORAGE_EMBEDDING_MAX) return SQLITE_CORRUPT; /* deeper than msstore nests: a damaged file */
    /* The list first: the statements it uses are needed again at the next depth. */
    if (rc == SQLITE_OK) rc = storage_attachments(st, from_id, add_attachment_id, &ids);
    for (i = 0; rc == SQLITE_OK && i < ids.count; i++) {
        LONGLONG copy = 0;
        rc = storage_attachment_insert(st, to_id, ids.items[i].num, &copy);
        if (rc == SQLITE_OK)
            rc = copy_rows(st, attachment_copies, sizeof(attachment_copies) / sizeof(attachment_copies[0]),
                           ids.items[i].id, copy);
        if (rc == SQLITE_OK) rc = copy_embedded(st, ids.items[i].id, copy, depth);
    }
    free(ids.items);
    return rc;
}

int storage_message_copy_values(struct storage *st, LONGLONG from_id, LONGLONG to_id)
{
    int rc = copy_message_values(st, from_id, to_id, 0);
    return answer(rc == SQLITE_OK ? sort_message(st, to_id) : rc);
}

/* ---- named properties ---- */

static int bind_name(sqlite3_stmt *stmt, const struct storage_name *name)
{
    sqlite3_bind_blob(stmt, 1, name->guid, 16, SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt, 2, name->kind);
    sqlite3_bind_int64(stmt, 3, name->kind == STORAGE_NAME_ID ? name->lid : 0);
    return bind_text(stmt, 4, name->kind == STORAGE_NAME_STRING ? name->name : L"");
}

/* Runs a statement whose one row is an id: SQL_NAMED_FIND, SQL_NAMED_INSERT. */
static int named_id(struct storage *st, enum statement which, const struct storage_name *name, ULONG *id)
{
    sqlite3_stmt *stmt;
    sqlite3_int64 found = 0;
    int rc = statement(st, which, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    if ((rc = bind_name(stmt, name)) == SQLITE_OK) rc = single_integer(stmt, &found);
    sqlite3_clear_bindings(stmt);
    if (rc == SQLITE_OK) *id = (ULONG)found;
    return answer(rc);
}

int storage_named_find(struct storage *st, const struct storage_name *name, ULONG *id)
{
    return named_id(st, SQL_NAMED_FIND, name, id);
}

int storage_named_insert(struct storage *st, const struct storage_name *name, ULONG *id)
{
    return named_id(st, SQL_NAMED_INSERT, name, id);
}

/* Each row of a stepped SQL_NAMED_GET or SQL_NAMED_EACH to fn; *any: whether there was one. */
static int each_name(sqlite3_stmt *stmt, storage_name_fn fn, void *context, BOOL *any)
{
    struct storage_name name;
    int rc;
    *any = FALSE;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        ULONG id = (ULONG)sqlite3_column_int64(stmt, 0);
        if (sqlite3_column_bytes(stmt, 1) != 16) {
            rc = SQLITE_CORRUPT; /* the CHECK constraint rules this out */
            break;
        }
        memcpy(name.guid, sqlite3_column_blob(stmt, 1), 16);
        name.kind = sqlite3_column_int(stmt, 2) ? STORAGE_NAME_STRING : STORAGE_NAME_ID;
        name.lid = (LONG)sqlite3_column_int64(stmt, 3);
        name.name = column_text(stmt, 4);
        if (name.kind == STORAGE_NAME_STRING && !name.name) {
            rc = SQLITE_NOMEM;
            break;
        }
        *any = TRUE;
        if ((rc = fn(context, id, &name)) != SQLITE_OK) break;
    }
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int storage_named_get(struct storage *st, ULONG id, storage_name_fn fn, void *context)
{
    sqlite3_stmt *stmt;
    BOOL any;
    int rc = statement(st, SQL_NAMED_GET, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    sqlite3_bind_int64(stmt, 1, id);
    rc = each_name(stmt, fn, context, &any);
    return answer(rc == SQLITE_OK && !any ? STORAGE_NOT_FOUND : rc);
}

int storage_named_each(struct storage *st, storage_name_fn fn, void *context)
{
    sqlite3_stmt *stmt;
    BOOL any;
    int rc = statement(st, SQL_NAMED_EACH, &stmt);
    if (rc != SQLITE_OK) return answer(rc);
    return answer(each_name(stmt, fn, context, &any));
}

/* ---- verify ---- */

/* Each invariant is a query whose rows are its violations, described by the first column. */
static const char *const invariants[] = {
    "SELECT 'the store has ' || count(*) || ' root folders, not 1' FROM folders WHERE parent_id IS NULL "
     "HAVING count(*) != 1",
    "WITH RECURSIVE reachable (id) AS (SELECT id FROM folders WHERE parent_id IS NULL "
     " UNION SELECT f.id FROM folders f JOIN reachable r ON f.parent_id = r.id) "
     "SELECT 'folder ' || id || ' is not reachable from the root' FROM folders WHERE id NOT IN reachable",
    "SELECT 'folder ' || f.id || ' counts ' || f.subfolder_count || ' subfolders but has ' || "
     " (SELECT count(*) FROM folders c WHERE c.parent_id = f.id) FROM folders f "
     "WHERE f.subfolder_count != (SELECT count(*) FROM folders c WHERE c.parent_id = f.id)",
    "SELECT 'folder ' || id || ' has an empty name' FROM folders WHERE name = '' AND parent_id IS NOT NULL",
    "SELECT 'folder ' || id || ' is above the id high-water mark ' || "
     " (SELECT seq FROM sqlite_sequence WHERE name = 'folders') FROM folders "
     "WHERE id > (SELECT seq FROM sqlite_sequence WHERE name = 'folders')",
    "SELECT 'the store has ' || count(*) || ' identities, not 1' FROM store_identity HAVING count(*) != 1",
    "SELECT 'receive folder entry ''' || message_class || ''' names folder ' || folder_id || ', which does not exist' "
     "FROM receive_folders WHERE folder_id NOT IN (SELECT id FROM folders)",
    "SELECT 'folder ' || folder_id || ' has a property ' || prop_id || ' whose tag says ' || (tag >> 16) "
     "FROM folder_props WHERE prop_id != (tag >> 16)",
};

/* The invariants of the messages (schema version 2 on). */
static const char *const message_invariants[] = {
    "SELECT 'folder ' || id || ' counts ' || content_count || ' messages, ' || unread_count || ' unread and ' || "
     " assoc_count || ' associated, but holds ' || contents || ', ' || unread || ' and ' || associated "
     "FROM (SELECT f.id, f.content_count, f.unread_count, f.assoc_count,"
     "  (SELECT count(*) FROM messages m WHERE m.folder_id = f.id AND NOT m.associated) AS contents,"
     "  (SELECT count(*) FROM messages m WHERE m.folder_id = f.id AND NOT m.associated AND NOT (m.flags & 1)) AS unread,"
     "  (SELECT count(*) FROM messages m WHERE m.folder_id = f.id AND m.associated) AS associated FROM folders f) "
     "WHERE content_count != contents OR unread_count != unread OR assoc_count != associated",
    "SELECT 'message ' || message_id || ' has a property ' || prop_id || ' whose tag says ' || (tag >> 16) "
     "FROM (SELECT message_id, prop_id, tag FROM message_props UNION ALL "
     " SELECT message_id, prop_id, tag FROM message_big_props) WHERE prop_id != (tag >> 16)",
    "SELECT 'message ' || message_id || ' keeps property ' || prop_id || ' twice' FROM message_props "
     "WHERE (message_id, prop_id) IN (SELECT message_id, prop_id FROM message_big_props)",
};

/* The invariants of attachments (schema version 3 on). */
static const char *const attachment_invariants[] = {
    "SELECT 'attachment ' || attachment_id || ' has a property ' || prop_id || ' whose tag says ' || (tag >> 16) "
     "FROM (SELECT attachment_id, prop_id, tag FROM attachment_props UNION ALL "
     " SELECT attachment_id, prop_id, tag FROM attachment_big_props) WHERE prop_id != (tag >> 16)",
    "SELECT 'attachment ' || attachment_id || ' keeps property ' || prop_id || ' twice' FROM attachment_props "
     "WHERE (attachment_id, prop_id) IN (SELECT attachment_id, prop_id FROM attachment_big_props)",
    "SELECT 'message ' || m.id || ' has attachments but not MSGFLAG_HASATTACH' FROM messages m "
     "WHERE (m.flags & 16) = 0 AND EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = m.id)",
};

/* Reports each row of sql as a problem, but a row saying only "ok" (PRAGMA integrity_check's all clear). */
static int report_rows(sqlite3 *db, const char *sql, storage_problem_fn fn, void *context, ULONG *problems)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
    if (rc != SQLITE_OK) return rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *text = (const char *)sqlite3_column_text(stmt, 0);
        if (text && !strcmp(text, "ok")) continue;
        (*problems)++;
        fn(context, text ? text : "(a problem SQLite could not describe)");
    }
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int storage_verify(struct storage *st, storage_problem_fn fn, void *context, ULONG *problems)
{
    sqlite3_int64 version = 0;
    size_t i;
    int rc;
    *problems = 0;
    if ((rc = storage_begin_read(st)) != SQLITE_OK) return answer(rc);
    rc = report_rows(st->db, "PRAGMA integrity_check", fn, context, problems);
    if (rc == SQLITE_OK)
        rc = report_rows(st->db,
                         "SELECT 'table ' || \"table\" || ' row ' || rowid || ' names a missing ' || parent "
                         "FROM pragma_foreign_key_check",
                         fn, context, problems);
    /* Version 0: no schema was ever committed (its writer died setting it up), so no invariant applies. */
    if (rc == SQLITE_OK) rc = pragma_integer(st->db, "PRAGMA user_version", &version);
    for (i = 0; rc == SQLITE_OK && version >= 1 && i < sizeof(invariants) / sizeof(invariants[0]); i++)
        rc = report_rows(st->db, invariants[i], fn, context, problems);
    /* A file of version 1 has no messages yet (a logon that writes upgrades it). */
    if (rc == SQLITE_OK && version >= 2)
        for (i = 0; rc == SQLITE_OK && i < sizeof(message_invariants) / sizeof(message_invariants[0]); i++)
            rc = report_rows(st->db, message_invariants[i], fn, context, problems);
    if (rc == SQLITE_OK && version >= 3)
        for (i = 0; rc == SQLITE_OK && i < sizeof(attachment_invariants) / sizeof(attachment_invariants[0]); i++)
            rc = report_rows(st->db, attachment_invariants[i], fn, context, problems);
    storage_rollback(st);
    return answer(rc);
}

/* ---- backup ---- */

int storage_backup(const WCHAR *path, const WCHAR *copy_path)
{
    struct storage *source;
    sqlite3 *copy = NULL;
    sqlite3_backup *backup;
    WCHAR temporary[MAX_PATH + 16];
    char *name = NULL;
    int rc;

    if (wcslen(copy_path) >= MAX_PATH) return answer(SQLITE_CANTOPEN);
    swprintf(temporary, ARRAYSIZE(temporary), L"%ls.partial", copy_path);
    DeleteFileW(temporary);
    if ((rc = storage_open(path, STORAGE_OPEN_READ_ONLY, NULL, &source)) != STORAGE_OK) return rc;
    if ((rc = utf8_path(temporary, &name)) == SQLITE_OK)
        rc = sqlite3_open_v2(name, &copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    free(name);
    if (rc == SQLITE_OK) {
        /* One step: the whole file from one read transaction, so the copy is one committed state. */
        if ((backup = sqlite3_backup_init(copy, "main", source->db, "main"))) {
            rc = sqlite3_backup_step(backup, -1);
            if (rc == SQLITE_DONE) rc = SQLITE_OK;
            sqlite3_backup_finish(backup);
        } else {
            rc = sqlite3_errcode(copy);
        }
    }
    /* The copy stands alone: no WAL beside it once it is closed. */
    if (rc == SQLITE_OK) rc = sqlite3_exec(copy, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
    sqlite3_close(copy);
    storage_close(source);
    if (rc == SQLITE_OK && !MoveFileExW(temporary, copy_path, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        rc = SQLITE_CANTOPEN;
    if (rc != SQLITE_OK) DeleteFileW(temporary);
    return answer(rc);
}
