/*
 * The one IMAPITable implementation every msstore table uses: hierarchy,
 * contents, associated contents and receive-folder tables.
 *
 * A table shows a fixed set of rows, taken when it is created (a snapshot):
 * each row is a property list of the open store's immutable content, plus its
 * PR_DEPTH in hierarchy tables. The table keeps its own view of them (columns,
 * restriction, sort order, cursor, bookmarks), guarded by the open store's
 * lock, and answers QueryRows with fresh MAPI memory each time.
 */
#ifndef MSSTORE_TABLE_H
#define MSSTORE_TABLE_H

#include "mapi/props.h"

struct open_store;

struct table_row {
    const struct prop_list *props; /* content of the open store: outlives the table */
    LONG depth;                    /* PR_DEPTH, for tables made with_depth */
};

struct table_spec {
    const struct table_row *rows; /* copied by table_create */
    ULONG row_count;
    const ULONG *columns; /* the default column set; strings given as PT_UNICODE */
    ULONG column_count;
    BOOL with_depth;   /* rows carry PR_DEPTH (hierarchy tables) */
    ULONG flags;       /* MAPI_UNICODE from the caller: strings stay PT_UNICODE */
    ULONG cb_notify_key; /* the entry ID whose notifications the table's Advise asks for */
    const BYTE *notify_key;
};

/* A new table, registered with os for teardown like every object a logon hands out. */
HRESULT table_create(struct open_store *os, const struct table_spec *spec, IMAPITable **out);

#endif
