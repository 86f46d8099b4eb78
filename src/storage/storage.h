/*
 * The store file: one SQLite database per store (decision D15), and every
 * query msstore makes of it. Nothing here knows MAPI: ids are 64-bit
 * integers, names are UTF-16 strings, property values are a tag and the bytes
 * src/mapi/propval.c encodes. The model (src/model/) decides what to store;
 * this file decides how.
 *
 * Schema (PRAGMA user_version STORAGE_SCHEMA_VERSION, application_id 'MSST'):
 *
 *   store_identity   one row: the store's MAPIUID and when the file was made
 *   folders          one row per folder: parent, name, its case-folded key
 *                    (unique among siblings), comment, container class, type,
 *                    whether the store relies on it (special), times, and the
 *                    counts tables show (subfolders, contents, unread, associated);
 *                    ids come from AUTOINCREMENT, so SQLite never hands one out twice
 *                    and (version 4) the default sort of its contents table
 *   folder_props     every other property a client set on a folder: tag, value
 *   receive_folders  message class (and its case-folded key) -> folder
 *   messages         one row per saved message: its folder, whether it is
 *                    associated (folder-associated information), the flags,
 *                    status, times and size the store keeps, and a change
 *                    number that each save increments; indexed by folder
 *   message_props    a message's values up to the model's inline limit: what
 *                    tables and GetProps read
 *   message_big_props  its bigger values (bodies, attachment data), apart, so
 *                    that reading a message's row never reads them
 *   recipient_props  a message's recipients: each value of each row (by PR_ROWID)
 *   named_props      the store's one mapping of named properties: id (0x8000 on) ->
 *                    property set GUID and a number or a string (version 3)
 *   attachments      one row per attachment of a message: its PR_ATTACH_NUM
 *   attachment_props, attachment_big_props  its values, split as a message's
 *                    (version 3; an embedded message is a messages row that
 *                    is in no folder but embedded_in its attachment)
 *   change_counter   one row: the store's last change number (each save takes the next)
 *
 * Version 4 gives each messages row STORAGE_SORT_SLOTS sort keys, sort0 on,
 * made from its values by the caller's rule (storage_sort_key_fn), the first
 * STORAGE_INDEXED_SLOTS of them indexed with the folder: contents tables
 * read a folder's messages in order from them, a page at a time, without
 * reading the messages.
 *
 * Versions 1 (no messages), 2 (no attachments) and 3 (no sort keys) are
 * brought up to 4 by the first connection that opens the file for writing.
 * A connection runs in WAL mode with synchronous=FULL, so a committed
 * transaction survives a crash of the process (and of the machine), and a
 * second process can read while one writes. Writers begin with BEGIN
 * IMMEDIATE and wait up to the busy timeout for another process's write lock.
 *
 * Every call answers an enum storage_result: SQLite's own codes stay inside
 * storage.c. Strings and blobs handed to a callback live only for the callback.
 */
#ifndef MSSTORE_STORAGE_H
#define MSSTORE_STORAGE_H

#include <windows.h>

#define STORAGE_SCHEMA_VERSION 4

/* What every storage call answers (callbacks answer STORAGE_OK to go on, anything else to stop with it). */
enum storage_result {
    STORAGE_OK = 0,
    STORAGE_NOT_FOUND = 1000, /* no such row (above SQLite's codes, which never reach a caller) */
    STORAGE_BUSY,             /* another connection held the lock past the busy timeout */
    STORAGE_NO_MEMORY,
    STORAGE_DISK_FULL,
    STORAGE_IO_ERROR,         /* the file could not be read or written (or opened) */
    STORAGE_CORRUPT,          /* not a database, or a damaged one */
    STORAGE_NOT_A_STORE,      /* a database, but not an msstore store */
    STORAGE_NEWER_SCHEMA,     /* made by a newer msstore: not to be touched */
    STORAGE_READ_ONLY,        /* the file or its folder cannot be written */
    STORAGE_CONSTRAINT,       /* a change the schema forbids (a sibling's name, a missing parent) */
    STORAGE_FAILED,           /* anything else SQLite reports */
};

/*
 * How long a write waits for another connection's lock before STORAGE_BUSY:
 * 5 s, read when a connection opens (tests of contention make it shorter).
 */
extern int storage_busy_timeout_ms;

struct storage;

/* ---- the connection ---- */

enum storage_open_mode {
    STORAGE_OPEN_WRITE,     /* a logon: creates an empty file if there is none, WAL, writes allowed */
    STORAGE_OPEN_READ_ONLY, /* verify and backup: the file must exist, and nothing of it changes */
};

/* ---- sort keys ---- */

#define STORAGE_SORT_SLOTS 10
#define STORAGE_INDEXED_SLOTS 6 /* sort0 to sort5 have an index each */
#define STORAGE_SORT_KEY_MAX 512 /* bytes */

/* A sort key: none (it sorts before any other), an integer, or bytes compared as unsigned bytes, shorter first. */
struct storage_sort_value {
    enum { STORAGE_SORT_NONE, STORAGE_SORT_INTEGER, STORAGE_SORT_BYTES } kind;
    LONGLONG integer;
    int size;
    BYTE bytes[STORAGE_SORT_KEY_MAX];
};

/*
 * The rule that makes a message's sort keys (the model's): the slot one of
 * its values goes in, with the key into *key, or -1 for a value no slot holds.
 */
typedef int (*storage_sort_key_fn)(ULONG tag, const void *value, int size, struct storage_sort_value *key);

/*
 * Opens the file and checks the schema version (see storage_needs_schema for a
 * new one). sort_key is the rule for messages' sort keys, used when an
 * older file is brought up to this version and by storage_message_sort; NULL
 * for a connection that writes no message (read-only ones).
 */
int storage_open(const WCHAR *path, enum storage_open_mode mode, storage_sort_key_fn sort_key, struct storage **out);
void storage_close(struct storage *st);

/* ---- transactions: every change happens inside one ---- */

int storage_begin_write(struct storage *st); /* BEGIN IMMEDIATE */
int storage_begin_read(struct storage *st);  /* BEGIN: a consistent view over several queries */
int storage_commit(struct storage *st);
void storage_rollback(struct storage *st); /* no-op outside a transaction */

/* Whether another connection committed since the last call (PRAGMA data_version). */
int storage_changed_elsewhere(struct storage *st, BOOL *changed);

/* ---- the schema, inside a write transaction ---- */

/* Whether the file is new (user_version 0): the caller then creates the schema and the layout. */
int storage_needs_schema(struct storage *st, BOOL *needed);
/* Creates the tables; folder ids up to reserved_ids are kept for the initial layout's explicit ids. */
int storage_create_schema(struct storage *st, LONGLONG reserved_ids);

/* ---- the store's identity ---- */

int storage_identity_get(struct storage *st, BYTE uid[16]);
int storage_identity_set(struct storage *st, const BYTE uid[16], LONGLONG created);

/* ---- folders ---- */

struct storage_folder {
    LONGLONG id;
    LONGLONG parent_id; /* 0 for the root */
    const WCHAR *name;
    const WCHAR *name_key; /* the name case-folded */
    const WCHAR *comment;
    const WCHAR *container_class; /* NULL: none */
    LONG folder_type;
    BOOL special;
    LONGLONG created, modified; /* FILETIME */
    LONG subfolder_count, content_count, unread_count, assoc_count;
};

typedef int (*storage_folder_fn)(void *context, const struct storage_folder *folder);

/* Inserts folder; its id is folder->id when nonzero (the initial layout), else the next one. */
int storage_folder_insert(struct storage *st, const struct storage_folder *folder, LONGLONG *id);
/* The folder with that id to fn, or STORAGE_NOT_FOUND. */
int storage_folder_get(struct storage *st, LONGLONG id, storage_folder_fn fn, void *context);
/* Every folder to fn, in id order (creation order: a moved folder may come before its parent). */
int storage_folder_each(struct storage *st, storage_folder_fn fn, void *context);
/* The id of parent's subfolder with that name key, or STORAGE_NOT_FOUND. */
int storage_folder_find_child(struct storage *st, LONGLONG parent_id, const WCHAR *name_key, LONGLONG *id);
/* Changes the names (NULL: kept), comment (NULL: kept) and class (with set_class; NULL: none). */
int storage_folder_update(struct storage *st, LONGLONG id, const WCHAR *name, const WCHAR *name_key,
                          const WCHAR *comment, BOOL set_class, const WCHAR *container_class, LONGLONG modified);
/* Moves a folder under parent_id, renamed at once when name is not NULL (so it never collides with its old name). */
int storage_folder_set_parent(struct storage *st, LONGLONG id, LONGLONG parent_id, const WCHAR *name,
                              const WCHAR *name_key, LONGLONG modified);
int storage_folder_add_counts(struct storage *st, LONGLONG id, LONG subfolders, LONG contents, LONG unread,
                              LONG associated);
/* Deletes one folder row and its properties (its subfolders must be gone). */
int storage_folder_delete(struct storage *st, LONGLONG id);

/* ---- folder properties ---- */

typedef int (*storage_prop_fn)(void *context, ULONG tag, const void *value, int size);

int storage_folder_props(struct storage *st, LONGLONG folder_id, storage_prop_fn fn, void *context);
int storage_folder_prop_count(struct storage *st, LONGLONG folder_id, ULONG *count);
/* Sets the value of tag's property id (replacing one of another type). */
int storage_folder_prop_set(struct storage *st, LONGLONG folder_id, ULONG tag, const void *value, int size);
/* Deletes the value of prop_id; STORAGE_NOT_FOUND if there was none. */
int storage_folder_prop_delete(struct storage *st, LONGLONG folder_id, ULONG prop_id);
int storage_folder_props_copy(struct storage *st, LONGLONG from_id, LONGLONG to_id);

typedef int (*storage_bytes_fn)(void *context, const void *bytes, int size);
/* The default sort of a folder's contents table (version 4) to fn; fn is not called when it has none. */
int storage_folder_sort(struct storage *st, LONGLONG folder_id, storage_bytes_fn fn, void *context);
/* Sets it (bytes NULL: none); STORAGE_NOT_FOUND when the folder is gone. */
int storage_folder_sort_set(struct storage *st, LONGLONG folder_id, const void *bytes, int size);

/* ---- messages ---- */

struct storage_message {
    LONGLONG id, folder_id; /* folder_id 0: embedded in attachment embedded_in */
    LONGLONG embedded_in;
    BOOL associated;
    LONG flags;  /* PR_MESSAGE_FLAGS as the store keeps them: bit 0 (MSGFLAG_READ) counts in unread_count */
    LONG status; /* PR_MSG_STATUS */
    LONGLONG created, modified; /* FILETIME */
    LONGLONG size;
    LONGLONG change_number;
};

typedef int (*storage_message_fn)(void *context, const struct storage_message *message);

/* Inserts a message row (message->id is ignored) and answers its id. */
int storage_message_insert(struct storage *st, const struct storage_message *message, LONGLONG *id);
/* The message with that id to fn, or STORAGE_NOT_FOUND. */
int storage_message_get(struct storage *st, LONGLONG id, storage_message_fn fn, void *context);
/* A folder's messages (or its associated ones) to fn, in id order. */
int storage_messages_in(struct storage *st, LONGLONG folder_id, BOOL associated, storage_message_fn fn,
                        void *context);
/* Rewrites the row of message->id; STORAGE_NOT_FOUND when it is gone. */
int storage_message_update(struct storage *st, const struct storage_message *message);
/* A message's flags alone (its read state): cheaper than an update of its row, whatever the folder's size. */
int storage_message_set_flags(struct storage *st, LONGLONG id, LONG flags);
/* The store's next change number: 1, 2, 3 ... never the same twice in one file. */
int storage_next_change_number(struct storage *st, LONGLONG *number);
/* Deletes a message and its values; STORAGE_NOT_FOUND when it is gone. */
int storage_message_delete(struct storage *st, LONGLONG id);
/* Makes a message's sort keys again from its values (after they changed). */
int storage_message_sort(struct storage *st, LONGLONG id);

/* What a folder's messages can be ordered by: a sort slot, or a column the store keeps. */
enum storage_sort_column {
    STORAGE_COLUMN_SLOT0, /* to STORAGE_COLUMN_SLOT0 + STORAGE_SORT_SLOTS - 1 */
    STORAGE_COLUMN_CREATED = STORAGE_SORT_SLOTS,
    STORAGE_COLUMN_MODIFIED,
    STORAGE_COLUMN_SIZE,
    STORAGE_COLUMN_FLAGS,
};

#define STORAGE_SORT_MAX 8 /* keys in one order */

struct storage_sort {
    enum storage_sort_column column;
    BOOL descending;
};

/*
 * A test of a message's own columns (created, modified, size, flags), one
 * node of a tree written in prefix order: an AND or OR is followed by its
 * `count` operands, a NOT by its one.
 */
enum storage_test_kind {
    STORAGE_TEST_AND,
    STORAGE_TEST_OR,
    STORAGE_TEST_NOT,
    STORAGE_TEST_TRUE,
    STORAGE_TEST_COMPARE,  /* column relation value */
    STORAGE_TEST_BITS_ANY, /* column & value is not 0 */
};
enum storage_relation { STORAGE_LESS, STORAGE_LESS_EQUAL, STORAGE_GREATER, STORAGE_GREATER_EQUAL, STORAGE_EQUAL,
                        STORAGE_NOT_EQUAL };
struct storage_test {
    enum storage_test_kind kind;
    ULONG count; /* AND, OR: how many operands follow */
    enum storage_sort_column column; /* COMPARE, BITS_ANY: one of the store's own columns */
    enum storage_relation relation;
    LONGLONG value;
};
#define STORAGE_TEST_MAX 16

/*
 * An order of a folder's messages: by the keys, ties by id (the order they
 * were first saved in); with tests, only the messages that pass them.
 */
struct storage_order {
    LONGLONG folder_id;
    BOOL associated;
    ULONG count;
    struct storage_sort keys[STORAGE_SORT_MAX];
    ULONG test_count; /* 0: every message */
    struct storage_test tests[STORAGE_TEST_MAX];
};

typedef int (*storage_id_fn)(void *context, LONGLONG id);

/* The ids of at most limit of the order's messages, from position offset on, to fn. */
int storage_messages_ordered(struct storage *st, const struct storage_order *order, ULONG offset, ULONG limit,
                             storage_id_fn fn, void *context);
/* How many messages come before message id in the order (which need not be in the order's folder); its position. */
int storage_messages_before(struct storage *st, const struct storage_order *order, LONGLONG id, ULONG *before);
/* How many messages the order has. */
int storage_messages_count(struct storage *st, const struct storage_order *order, ULONG *count);
/* Whether message id is one of the order's: in its folder, and passing its tests. */
int storage_message_in_order(struct storage *st, const struct storage_order *order, LONGLONG id, BOOL *in);

/* ---- values: a message's or an attachment's ---- */

enum storage_owner { STORAGE_MESSAGE, STORAGE_ATTACHMENT };

/*
 * An owner's values to fn, by property id; then, when big_fn is not NULL,
 * its big values to big_fn with value NULL and size their length (they are
 * not read).
 */
int storage_props(struct storage *st, enum storage_owner owner, LONGLONG owner_id, storage_prop_fn fn,
                  storage_prop_fn big_fn, void *context);
/*
 * The small values of those property IDs (of tags) an owner has, to fn; the
 * others are not read (a table row reads its columns, not its body).
 */
int storage_props_among(struct storage *st, enum storage_owner owner, LONGLONG owner_id, const ULONG *tags,
                        ULONG count, storage_prop_fn fn, void *context);
/* One big value to fn, read whole; STORAGE_NOT_FOUND when the owner has none of prop_id. */
int storage_big_prop(struct storage *st, enum storage_owner owner, LONGLONG owner_id, ULONG prop_id,
                     storage_prop_fn fn, void *context);
/* Sets the value of tag's property id, among the big values when big (replacing one of another type or size). */
int storage_prop_set(struct storage *st, enum storage_owner owner, LONGLONG owner_id, ULONG tag, const void *value,
                     int size, BOOL big);
/* Deletes the value of prop_id; STORAGE_NOT_FOUND if there was none. */
int storage_prop_delete(struct storage *st, enum storage_owner owner, LONGLONG owner_id, ULONG prop_id);

/* The deepest embedded message a copy follows: deeper is a damaged file (the model nests no deeper). */
#define STORAGE_EMBEDDING_MAX 100

/*
 * Copies every value of message from_id, big ones, recipients and
 * attachments (their embedded messages to any depth) included, to message
 * to_id (which has none).
 */
int storage_message_copy_values(struct storage *st, LONGLONG from_id, LONGLONG to_id);

/* ---- attachments ---- */

struct storage_attachment {
    LONGLONG id;
    ULONG num;                           /* PR_ATTACH_NUM: unique in its message */
    LONGLONG embedded_id, embedded_size; /* its embedded message's row, 0 when it has none */
};

typedef int (*storage_attachment_fn)(void *context, const struct storage_attachment *attachment);

/* A message's attachments to fn, by number. */
int storage_attachments(struct storage *st, LONGLONG message_id, storage_attachment_fn fn, void *context);
/* The id of attachment num of a message, or STORAGE_NOT_FOUND. */
int storage_attachment_find(struct storage *st, LONGLONG message_id, ULONG num, LONGLONG *id);
int storage_attachment_insert(struct storage *st, LONGLONG message_id, ULONG num, LONGLONG *id);
/* Deletes an attachment, its values and its embedded message; STORAGE_NOT_FOUND when there is none. */
int storage_attachment_delete(struct storage *st, LONGLONG message_id, ULONG num);
/* The message embedded in an attachment, or STORAGE_NOT_FOUND. */
int storage_embedded_find(struct storage *st, LONGLONG attachment_id, LONGLONG *message_id);

/* ---- recipients ---- */

typedef int (*storage_recipient_fn)(void *context, ULONG row_id, ULONG tag, const void *value, int size);

/* Each value of each recipient of a message to fn, by row, then by property id. */
int storage_recipients(struct storage *st, LONGLONG message_id, storage_recipient_fn fn, void *context);
/* Deletes every recipient of a message. */
int storage_recipients_delete(struct storage *st, LONGLONG message_id);
int storage_recipient_prop_set(struct storage *st, LONGLONG message_id, ULONG row_id, ULONG tag, const void *value,
                               int size);

/* ---- named properties ---- */

enum storage_name_kind { STORAGE_NAME_ID = 0, STORAGE_NAME_STRING = 1 };

struct storage_name {
    BYTE guid[16];
    enum storage_name_kind kind;
    LONG lid;           /* STORAGE_NAME_ID */
    const WCHAR *name;  /* STORAGE_NAME_STRING: compared exactly */
};

typedef int (*storage_name_fn)(void *context, ULONG id, const struct storage_name *name);

/* The id of a name, or STORAGE_NOT_FOUND. */
int storage_named_find(struct storage *st, const struct storage_name *name, ULONG *id);
/* Maps a new name to the id after the highest; STORAGE_CONSTRAINT when 0xFFFE is taken. */
int storage_named_insert(struct storage *st, const struct storage_name *name, ULONG *id);
/* The name of an id to fn, or STORAGE_NOT_FOUND. */
int storage_named_get(struct storage *st, ULONG id, storage_name_fn fn, void *context);
/* Every mapping to fn, by id. */
int storage_named_each(struct storage *st, storage_name_fn fn, void *context);

/* ---- receive folders ---- */

typedef int (*storage_receive_fn)(void *context, const WCHAR *message_class, LONGLONG folder_id);

/* Every entry to fn, by class. */
int storage_receive_folders(struct storage *st, storage_receive_fn fn, void *context);
int storage_receive_folder_set(struct storage *st, const WCHAR *class_key, const WCHAR *message_class,
                               LONGLONG folder_id);
int storage_receive_folder_delete(struct storage *st, const WCHAR *class_key);

/* ---- checks and copies of a whole file ---- */

typedef void (*storage_problem_fn)(void *context, const char *problem);

/*
 * SQLite's integrity check, then the invariants the model keeps: one root,
 * every folder reachable from it, counts equal to the rows they count, names
 * unique among siblings, ids below the AUTOINCREMENT high-water mark. Each
 * problem to fn; *problems is how many.
 */
int storage_verify(struct storage *st, storage_problem_fn fn, void *context, ULONG *problems);

/*
 * A consistent copy of the store at path into copy_path, while other
 * connections (other processes) may be writing: SQLite's online backup into
 * a temporary file beside copy_path, renamed into place when complete.
 */
int storage_backup(const WCHAR *path, const WCHAR *copy_path);

/* ---- for the fault-injection suite ---- */

/*
 * From now on every file operation and memory allocation SQLite makes asks
 * hook first ("SQLite xWrite", "SQLite malloc", ...); when it answers TRUE,
 * that operation fails as the disk or the system would make it fail: a write
 * with SQLITE_FULL or SQLITE_IOERR_WRITE in turn, other I/O with SQLITE_IOERR,
 * an allocation with SQLITE_NOMEM, a lock with SQLITE_BUSY (and every lock
 * after it, until twice the busy timeout has passed, so that the timeout
 * runs out). Call before any store file is open; calling again (a new run)
 * lets locks go at once. NULL stops asking.
 */
void storage_inject_faults(BOOL (*hook)(const char *what));

#endif
