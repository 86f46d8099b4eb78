/*
 * The floors (bench_floor.h): each one the storage calls src/model/messages.c
 * makes for the change, in its order (a message's values by property id,
 * not in the order a client set them), with its values, inside one
 * transaction; what the MAPI layer adds (objects, copies of values, each
 * call's check that its folder is still there) is what a floor leaves out.
 */
#include "bench_floor.h"

#include "mapi/entryid.h"
#include "model/model_internal.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the statements of a write transaction ---- */

static struct statement_tally *tallying;
static BOOL in_write; /* between a BEGIN IMMEDIATE and its COMMIT or ROLLBACK */

/* SQLITE_TRACE_STMT: each statement as it starts, text the SQL it was prepared from. */
static int count_statement(unsigned event, void *context, void *statement, void *text)
{
    struct statement_tally *t = tallying;
    const char *sql = text;
    ULONG i;
    (void)event, (void)context, (void)statement;
    if (!t) return 0;
    if (!strcmp(sql, "BEGIN IMMEDIATE")) { /* a new transaction: the tally is of the last one */
        in_write = TRUE;
        t->total = t->kinds = 0;
    }
    if (!in_write) {
        t->outside++;
        return 0;
    }
    t->total++;
    for (i = 0; i < t->kinds && strncmp(t->items[i].sql, sql, sizeof(t->items[i].sql) - 1); i++) continue;
    if (i == t->kinds && i < TALLY_KINDS) {
        snprintf(t->items[i].sql, sizeof(t->items[i].sql), "%s", sql);
        t->items[t->kinds++].count = 0;
    }
    if (i < TALLY_KINDS) t->items[i].count++;
    if (!strcmp(sql, "COMMIT") || !strcmp(sql, "ROLLBACK")) in_write = FALSE;
    return 0;
}

static int trace_connection(sqlite3 *db, char **error, const sqlite3_api_routines *api)
{
    (void)error, (void)api;
    return sqlite3_trace_v2(db, SQLITE_TRACE_STMT, count_statement, NULL);
}

void tally_install(void) { sqlite3_auto_extension((void (*)(void))trace_connection); }

void tally_uninstall(void) { sqlite3_cancel_auto_extension((void (*)(void))trace_connection); }

void tally_start(struct statement_tally *tally)
{
    memset(tally, 0, sizeof(*tally));
    in_write = FALSE;
    tallying = tally;
}

void tally_stop(void) { tallying = NULL; }

/* How often the tally's transaction ran statement sql (0: never). */
static ULONG count_of(const struct statement_tally *a, const char *sql)
{
    ULONG i;
    for (i = 0; i < a->kinds; i++)
        if (!strcmp(a->items[i].sql, sql)) return a->items[i].count;
    return 0;
}

/* The first of one's statements the other did not run as often, or NULL. */
static const char *first_differing(const struct statement_tally *one, const struct statement_tally *other)
{
    ULONG i;
    for (i = 0; i < one->kinds; i++)
        if (count_of(other, one->items[i].sql) != one->items[i].count) return one->items[i].sql;
    return NULL;
}

BOOL tally_same(const struct statement_tally *a, const struct statement_tally *b, const char **differing)
{
    if (!(*differing = first_differing(a, b)) && !(*differing = first_differing(b, a)) && a->total != b->total)
        *differing = "(as many statements in all)";
    return !*differing;
}

/* ---- the database's size ---- */

ULONGLONG store_database_bytes(const WCHAR *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    ULONGLONG bytes = 0;
    char name[MAX_PATH * 3];
    WideCharToMultiByte(CP_UTF8, 0, path, -1, name, sizeof(name), NULL, NULL);
    if (sqlite3_open_v2(name, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size", -1, &stmt,
                           NULL) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW)
        bytes = (ULONGLONG)sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return bytes;
}

/* ---- what the floors share ---- */

int floor_connect(const WCHAR *path, struct storage **out)
{
    return storage_open(path, STORAGE_OPEN_WRITE, model_sort_key, out);
}

LONGLONG floor_object_id(const SBinary *entryid)
{
    struct entryid_fields fields;
    if (FAILED(entryid_decode(entryid->cb, (const ENTRYID *)entryid->lpb, &fields))) return 0;
    return (LONGLONG)fields.object_id;
}

static int ignore_folder(void *context, const struct storage_folder *folder)
{
    (void)context, (void)folder;
    return STORAGE_OK;
}

static int ignore_receive_entry(void *context, const WCHAR *message_class, LONGLONG folder_id)
{
    (void)context, (void)message_class, (void)folder_id;
    return STORAGE_OK;
}

/* model_folder_parent: the folder's row read (it is still there). */
static int read_folder(struct storage *st, LONGLONG id) { return storage_folder_get(st, id, ignore_folder, NULL); }

/* The unread count a message adds to its folder (messages.c's unread_of). */
static LONG unread_of(const struct storage_message *row)
{
    return !row->associated && !(row->flags & MSGFLAG_READ) ? 1 : 0;
}

/* add_message_counts: nothing for no change, else the folder's row read and its counts added to. */
static int add_counts(struct storage *st, LONGLONG folder, LONG contents, LONG unread)
{
    int rc;
    if (!contents && !unread) return STORAGE_OK;
    rc = read_folder(st, folder);
    return rc == STORAGE_OK ? storage_folder_add_counts(st, folder, 0, contents, unread, 0) : rc;
}

/* model_end_change: committed when everything succeeded, else rolled back. */
static int end_change(struct storage *st, int rc)
{
    if (rc == STORAGE_OK) rc = storage_commit(st);
    if (rc != STORAGE_OK) storage_rollback(st);
    return rc;
}

/* ---- the save ---- */

struct floor_value {
    ULONG row_id; /* a recipient's PR_ROWID */
    ULONG tag;
    BOOL big; /* in the big values' table */
    int size;
    BYTE *data;
};

struct value_list {
    ULONG count, capacity;
    struct floor_value *items;
};

struct floor_attachment {
    LONGLONG id; /* the template's */
    ULONG num;
    struct value_list values;
};

struct save_floor {
    struct storage *storage;
    struct storage_message row;
    struct value_list values, keys, recipients; /* keys: those the save makes from the message's id */
    ULONG attachment_count;
    struct floor_attachment *attachments;
};

static int add_value(struct value_list *list, ULONG row_id, ULONG tag, const void *data, int size, BOOL big)
{
    struct floor_value *v;
    if (list->count == list->capacity) {
        ULONG capacity = list->capacity ? 2 * list->capacity : 16;
        struct floor_value *items = realloc(list->items, capacity * sizeof(*items));
        if (!items) return STORAGE_NO_MEMORY;
        list->items = items, list->capacity = capacity;
    }
    v = &list->items[list->count];
    v->row_id = row_id, v->tag = tag, v->big = big, v->size = size, v->data = NULL;
    if (data && !(v->data = malloc(size ? (size_t)size : 1))) return STORAGE_NO_MEMORY;
    if (data) memcpy(v->data, data, (size_t)size);
    list->count++;
    return STORAGE_OK;
}

static void free_values(struct value_list *list)
{
    ULONG i;
    for (i = 0; i < list->count; i++) free(list->items[i].data);
    free(list->items);
}

/* The values make_keys gives a new message (it writes them after the rest). */
static BOOL is_save_key(ULONG tag)
{
    ULONG id = PROP_ID(tag);
    return id == PROP_ID(PR_SEARCH_KEY) || id == PROP_ID(PR_SOURCE_KEY) || id == PROP_ID(PR_CHANGE_KEY) ||
           id == PROP_ID(PR_PREDECESSOR_CHANGE_LIST);
}

struct reading {
    struct value_list *values, *keys;
};

static int take_value(void *context, ULONG tag, const void *value, int size)
{
    struct reading *r = context;
    return add_value(is_save_key(tag) ? r->keys : r->values, 0, tag, value, size, FALSE);
}

static int take_big_size(void *context, ULONG tag, const void *value, int size)
{
    struct reading *r = context;
    (void)value;
    return add_value(r->values, 0, tag, NULL, size, TRUE);
}

static int take_big_value(void *context, ULONG tag, const void *value, int size)
{
    struct floor_value *v = context;
    (void)tag;
    if (!(v->data = malloc(size ? (size_t)size : 1))) return STORAGE_NO_MEMORY;
    memcpy(v->data, value, (size_t)size);
    v->size = size;
    return STORAGE_OK;
}

/* An owner's values into values (a message's keys into keys), the big ones read whole. */
static int read_values(struct storage *st, enum storage_owner owner, LONGLONG id, struct value_list *values,
                       struct value_list *keys)
{
    struct reading r = {values, keys};
    int rc = storage_props(st, owner, id, take_value, take_big_size, &r);
    ULONG i;
    for (i = 0; rc == STORAGE_OK && i < values->count; i++)
        if (values->items[i].big)
            rc = storage_big_prop(st, owner, id, PROP_ID(values->items[i].tag), take_big_value, &values->items[i]);
    return rc;
}

static int take_row(void *context, const struct storage_message *message)
{
    *(struct storage_message *)context = *message;
    return STORAGE_OK;
}

static int take_recipient_value(void *context, ULONG row_id, ULONG tag, const void *value, int size)
{
    return add_value(context, row_id, tag, value, size, FALSE);
}

static int take_attachment(void *context, const struct storage_attachment *attachment)
{
    struct save_floor *f = context;
    struct floor_attachment *grown =
        realloc(f->attachments, (f->attachment_count + 1) * sizeof(*f->attachments));
    if (!grown) return STORAGE_NO_MEMORY;
    f->attachments = grown;
    memset(&grown[f->attachment_count], 0, sizeof(*grown));
    grown[f->attachment_count].id = attachment->id;
    grown[f->attachment_count++].num = attachment->num;
    return STORAGE_OK;
}

int save_floor_open(const WCHAR *path, LONGLONG message_id, struct save_floor **out)
{
    struct save_floor *f = calloc(1, sizeof(*f));
    ULONG i;
    int rc;
    *out = NULL;
    if (!f) return STORAGE_NO_MEMORY;
    rc = floor_connect(path, &f->storage);
    if (rc == STORAGE_OK) rc = storage_begin_read(f->storage);
    if (rc == STORAGE_OK) rc = storage_message_get(f->storage, message_id, take_row, &f->row);
    if (rc == STORAGE_OK) rc = read_values(f->storage, STORAGE_MESSAGE, message_id, &f->values, &f->keys);
    if (rc == STORAGE_OK) rc = storage_recipients(f->storage, message_id, take_recipient_value, &f->recipients);
    if (rc == STORAGE_OK) rc = storage_attachments(f->storage, message_id, take_attachment, f);
    for (i = 0; rc == STORAGE_OK && i < f->attachment_count; i++)
        rc = read_values(f->storage, STORAGE_ATTACHMENT, f->attachments[i].id, &f->attachments[i].values,
                         &f->attachments[i].values);
    if (f->storage) storage_rollback(f->storage);
    if (rc != STORAGE_OK) {
        save_floor_close(f);
        return rc;
    }
    *out = f;
    return STORAGE_OK;
}

void save_floor_close(struct save_floor *f)
{
    ULONG i;
    if (!f) return;
    storage_close(f->storage);
    free_values(&f->values);
    free_values(&f->keys);
    free_values(&f->recipients);
    for (i = 0; i < f->attachment_count; i++) free_values(&f->attachments[i].values);
    free(f->attachments);
    free(f);
}

/* held_write of a new message's (or attachment's) values: every one, the big ones among the big. */
static int write_values(struct storage *st, enum storage_owner owner, LONGLONG id, const struct value_list *list)
{
    int rc = STORAGE_OK;
    ULONG i;
    for (i = 0; rc == STORAGE_OK && i < list->count; i++)
        rc = storage_prop_set(st, owner, id, list->items[i].tag, list->items[i].data, list->items[i].size,
                              list->items[i].big);
    return rc;
}

/* model_message_save of a new message, and the write_message it calls. */
int save_floor_save(struct save_floor *f)
{
    struct storage *st = f->storage;
    struct storage_message row = f->row;
    LONGLONG attachment_id;
    ULONG i;
    int rc = storage_begin_write(st);
    if (rc != STORAGE_OK) return rc;
    rc = read_folder(st, row.folder_id); /* model_message_check: its folder is still there */
    if (rc == STORAGE_OK) rc = storage_next_change_number(st, &row.change_number);
    row.modified = row.created = model_now();
    row.size = 0; /* inserted first, without its size yet: its keys are made from its id */
    if (rc == STORAGE_OK) rc = storage_message_insert(st, &row, &row.id);
    row.size = f->row.size;
    if (rc == STORAGE_OK) rc = storage_message_update(st, &row);
    if (rc == STORAGE_OK) rc = write_values(st, STORAGE_MESSAGE, row.id, &f->values);
    if (rc == STORAGE_OK) rc = storage_recipients_delete(st, row.id);
    for (i = 0; rc == STORAGE_OK && i < f->recipients.count; i++) {
        const struct floor_value *v = &f->recipients.items[i];
        rc = storage_recipient_prop_set(st, row.id, v->row_id, v->tag, v->data, v->size);
    }
    for (i = 0; rc == STORAGE_OK && i < f->attachment_count; i++) {
        rc = storage_attachment_insert(st, row.id, f->attachments[i].num, &attachment_id);
        if (rc == STORAGE_OK) rc = write_values(st, STORAGE_ATTACHMENT, attachment_id, &f->attachments[i].values);
    }
    if (rc == STORAGE_OK) rc = write_values(st, STORAGE_MESSAGE, row.id, &f->keys);
    if (rc == STORAGE_OK) rc = storage_message_sort(st, row.id);
    if (rc == STORAGE_OK) rc = add_counts(st, row.folder_id, 1, unread_of(&row));
    /* note_new_mail: whether the folder is where its class is received. */
    if (rc == STORAGE_OK) rc = storage_receive_folders(st, ignore_receive_entry, NULL);
    return end_change(st, rc);
}

/* ---- bulk changes ---- */

static int compare_row_ids(const void *a, const void *b)
{
    LONGLONG x = ((const struct storage_message *)a)->id, y = ((const struct storage_message *)b)->id;
    return (x > y) - (x < y);
}

/* rows_of: each listed message's row read; those in folder kept, in id order (the bench names each once). */
static int rows_of(struct storage *st, LONGLONG folder, const LONGLONG *ids, ULONG count,
                   struct storage_message *rows, ULONG *found)
{
    ULONG i, n = 0;
    int rc = STORAGE_OK;
    for (i = 0; rc == STORAGE_OK && i < count; i++) {
        rc = storage_message_get(st, ids[i], take_row, &rows[n]);
        if (rc == STORAGE_NOT_FOUND) rc = STORAGE_OK;
        else if (rc == STORAGE_OK && rows[n].folder_id == folder) n++;
    }
    qsort(rows, n, sizeof(*rows), compare_row_ids);
    *found = n;
    return rc;
}

/*
 * A bulk change: of folder's messages; a copy's or a move's destination (0 for the others); a
 * read-flag change's state; where a copy's ids go.
 */
struct bulk_change {
    LONGLONG folder, destination;
    BOOL read;
    LONGLONG *copies;
};

typedef int (*change_rows_fn)(struct storage *st, const struct bulk_change *c, struct storage_message *rows,
                              ULONG count);

/* One transaction: the destination read (model_messages_copy: it is still there), rows_of's rows, the change. */
static int change_in_bulk(struct storage *st, const struct bulk_change *c, const LONGLONG *ids, ULONG count,
                          change_rows_fn change)
{
    struct storage_message *rows = malloc(((size_t)count + 1) * sizeof(*rows));
    ULONG found = 0;
    int rc = rows ? storage_begin_write(st) : STORAGE_NO_MEMORY;
    if (rc != STORAGE_OK) {
        free(rows);
        return rc;
    }
    if (c->destination) rc = read_folder(st, c->destination);
    if (rc == STORAGE_OK) rc = rows_of(st, c->folder, ids, count, rows, &found);
    if (rc == STORAGE_OK) rc = change(st, c, rows, found);
    free(rows);
    return end_change(st, rc);
}

#define XID_SIZE 22 /* messages.c's: the store's identity, then a 6-byte number */

/* copy_rows without move: copy_message for each row (its own keys), then the destination's counts. */
static int copy_rows(struct storage *st, const struct bulk_change *c, struct storage_message *rows, ULONG count)
{
    BYTE key[XID_SIZE] = {0}, list[1 + XID_SIZE] = {XID_SIZE}; /* the model's sizes; its bytes do not matter here */
    LONG unread = 0;
    ULONG i;
    int rc = STORAGE_OK;
    for (i = 0; rc == STORAGE_OK && i < count; i++) {
        struct storage_message copy = rows[i];
        rc = storage_next_change_number(st, &copy.change_number);
        copy.folder_id = c->destination;
        if (rc == STORAGE_OK) rc = storage_message_insert(st, &copy, &c->copies[i]);
        if (rc == STORAGE_OK) rc = storage_message_copy_values(st, rows[i].id, c->copies[i]);
        if (rc == STORAGE_OK) rc = storage_prop_set(st, STORAGE_MESSAGE, c->copies[i], PR_SOURCE_KEY, key, XID_SIZE, FALSE);
        if (rc == STORAGE_OK) rc = storage_prop_set(st, STORAGE_MESSAGE, c->copies[i], PR_CHANGE_KEY, key, XID_SIZE, FALSE);
        if (rc == STORAGE_OK)
            rc = storage_prop_set(st, STORAGE_MESSAGE, c->copies[i], PR_PREDECESSOR_CHANGE_LIST, list, sizeof(list),
                                  FALSE);
        unread += unread_of(&rows[i]);
    }
    return rc == STORAGE_OK ? add_counts(st, c->destination, (LONG)count, unread) : rc;
}

/* copy_rows with move: each row into the destination, then both folders' counts. */
static int move_rows(struct storage *st, const struct bulk_change *c, struct storage_message *rows, ULONG count)
{
    LONG unread = 0;
    ULONG i;
    int rc = STORAGE_OK;
    for (i = 0; rc == STORAGE_OK && i < count; i++) {
        rows[i].folder_id = c->destination;
        rc = storage_message_update(st, &rows[i]);
        unread += unread_of(&rows[i]);
    }
    if (rc == STORAGE_OK) rc = add_counts(st, c->folder, -(LONG)count, -unread);
    return rc == STORAGE_OK ? add_counts(st, c->destination, (LONG)count, unread) : rc;
}

/* model_delete_messages_in. */
static int delete_rows(struct storage *st, const struct bulk_change *c, struct storage_message *rows, ULONG count)
{
    LONG unread = 0;
    ULONG i;
    int rc = STORAGE_OK;
    for (i = 0; rc == STORAGE_OK && i < count; i++) {
        rc = storage_message_delete(st, rows[i].id);
        unread += unread_of(&rows[i]);
    }
    return rc == STORAGE_OK ? add_counts(st, c->folder, -(LONG)count, -unread) : rc;
}

/* model_messages_set_read: a message's flags alone, where they change. */
static int read_rows(struct storage *st, const struct bulk_change *c, struct storage_message *rows, ULONG count)
{
    LONG unread = 0;
    ULONG i;
    int rc = STORAGE_OK;
    for (i = 0; rc == STORAGE_OK && i < count; i++) {
        struct storage_message row = rows[i];
        row.flags = c->read ? row.flags | MSGFLAG_READ : row.flags & ~MSGFLAG_READ;
        if (row.flags == rows[i].flags) continue;
        rc = storage_message_set_flags(st, row.id, row.flags);
        unread += unread_of(&row) - unread_of(&rows[i]);
    }
    return rc == STORAGE_OK ? add_counts(st, c->folder, 0, unread) : rc;
}

int floor_copy(struct storage *st, LONGLONG from, LONGLONG to, const LONGLONG *ids, ULONG count, LONGLONG *copies)
{
    struct bulk_change c = {from, to, FALSE, copies};
    return change_in_bulk(st, &c, ids, count, copy_rows);
}

int floor_move(struct storage *st, LONGLONG from, LONGLONG to, const LONGLONG *ids, ULONG count)
{
    struct bulk_change c = {from, to, FALSE, NULL};
    return change_in_bulk(st, &c, ids, count, move_rows);
}

int floor_delete(struct storage *st, LONGLONG folder, const LONGLONG *ids, ULONG count)
{
    struct bulk_change c = {folder, 0, FALSE, NULL};
    return change_in_bulk(st, &c, ids, count, delete_rows);
}

int floor_set_read(struct storage *st, LONGLONG folder, const LONGLONG *ids, ULONG count, BOOL read)
{
    struct bulk_change c = {folder, 0, read, NULL};
    return change_in_bulk(st, &c, ids, count, read_rows);
}
