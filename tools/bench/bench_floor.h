/*
 * The floors of the save and of the bulk changes: the storage calls msstore's
 * model (src/model/messages.c) makes for them, made directly on a connection
 * of their own with the model's settings (its sort-key rule), with no MAPI
 * layer above; and a tally of the SQL statements a write transaction runs
 * on the bench's own SQLite, which shows that a floor runs what msstore runs.
 */
#ifndef MSSTORE_BENCH_FLOOR_H
#define MSSTORE_BENCH_FLOOR_H

#include <msstore/mapi_types.h>

#include "storage/storage.h"

/* ---- the statements of a write transaction ---- */

#define TALLY_KINDS 48

struct statement_tally {
    ULONG total;   /* statements the last write transaction ran, its BEGIN IMMEDIATE and COMMIT included */
    ULONG outside; /* statements run outside any write transaction since tally_start */
    ULONG kinds;
    struct {
        char sql[256];
        ULONG count;
    } items[TALLY_KINDS]; /* the last write transaction's statements (their first TALLY_KINDS texts), each once
                             with how often it ran */
};

/*
 * From now on each connection the bench's own SQLite opens (msstore's code
 * linked into the bench, and the floors; never the DLL's) reports its
 * statements to the tally begun with tally_start. Timed floors open their
 * connections after tally_uninstall, so that nothing is added to them.
 */
void tally_install(void);
void tally_uninstall(void);
void tally_start(struct statement_tally *tally); /* emptied, and filled until tally_stop or the next tally_start */
void tally_stop(void);
/* Whether a and b ran the same statements as often; if not, one that differs in *differing. */
BOOL tally_same(const struct statement_tally *a, const struct statement_tally *b, const char **differing);

/*
 * The database's bytes as of its last commit (PRAGMA page_count, the WAL's pages included): what the
 * file comes to once checkpointed, whatever the WAL holds yet.
 */
ULONGLONG store_database_bytes(const WCHAR *path);

/* ---- the floors ---- */

/* A connection to the store file at path as msstore's model opens it (model_open: its sort-key rule). */
int floor_connect(const WCHAR *path, struct storage **out);
/* The object id in an msstore entry ID (of a message or a folder); 0 for anything else. */
LONGLONG floor_object_id(const SBinary *entryid);

struct save_floor;

/*
 * Message message_id, which msstore saved (with no embedded message), read
 * back whole from the store file at path: what each floor save writes again
 * as a new message in the same folder.
 */
int save_floor_open(const WCHAR *path, LONGLONG message_id, struct save_floor **out);
/* One new message, by the storage calls msstore's SaveChanges of a new message makes, in one transaction. */
int save_floor_save(struct save_floor *floor);
void save_floor_close(struct save_floor *floor);

/*
 * msstore's CopyMessages (the copies' ids into copies, one per message
 * found), CopyMessages(MESSAGE_MOVE), DeleteMessages and SetReadFlags of
 * messages ids (in the client's order) of a folder: each one transaction,
 * by the storage calls the model makes.
 */
int floor_copy(struct storage *st, LONGLONG from, LONGLONG to, const LONGLONG *ids, ULONG count, LONGLONG *copies);
int floor_move(struct storage *st, LONGLONG from, LONGLONG to, const LONGLONG *ids, ULONG count);
int floor_delete(struct storage *st, LONGLONG folder, const LONGLONG *ids, ULONG count);
int floor_set_read(struct storage *st, LONGLONG folder, const LONGLONG *ids, ULONG count, BOOL read);

#endif
