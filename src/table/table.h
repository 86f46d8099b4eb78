/*
 * The one IMAPITable implementation every msstore table uses: hierarchy,
 * contents, associated contents and receive-folder tables.
 *
 * A table is a live view (D19) of rows its source lists from the store: a
 * change the source follows, made through this logon, updates the rows at
 * once and tells the table's advise sinks what changed (fnevTableModified:
 * TABLE_ROW_ADDED with the row before it, TABLE_ROW_MODIFIED,
 * TABLE_ROW_DELETED, or TABLE_CHANGED for a change too large for row events).
 * A change another process (or another logon) committed is read at the
 * table's next call, without notification. Each table keeps its own view
 * (columns, restriction, sort order, cursor, bookmarks), guarded by the open
 * store's lock, and answers QueryRows with fresh MAPI memory each time.
 */
#ifndef MSSTORE_TABLE_H
#define MSSTORE_TABLE_H

#include "model/model.h"

struct open_store;
struct table_source;

/* Where a table's rows come from, and which changes alter them. */
struct table_source_ops {
    /* The rows the table shows now: ids unique in the table, in the source's order, depths where it has any. */
    HRESULT (*list)(const struct table_source *source, struct model *model, struct model_row **rows, ULONG *count);
    /*
     * One row's properties: with only, at least those it names (a source may
     * give more; a contents table's rows read just those); NULL for all.
     */
    HRESULT (*read)(const struct table_source *source, struct model *model, ULONGLONG id, const SPropTagArray *only,
                    struct prop_list *out);
    /* Whether a change can alter the rows; NULL for a table that shows what it read when opened. */
    BOOL (*follows)(const struct table_source *source, const struct change *change);
    /*
     * Whether id is one of the rows the source lists now, so that a change
     * of a few rows reads just those; NULL for a source whose table reads
     * all its rows again at each change.
     */
    HRESULT (*lists)(const struct table_source *source, struct model *model, ULONGLONG id, BOOL *listed);
    /* Frees the source's rows of its own (context) at the table's end; NULL when it has none. */
    void (*release)(const struct mapi_allocators *alloc, void *context);
    /*
     * The store's order of the rows for sort (NULL: the source's order) and
     * restriction (NULL: none), when it keeps one and can test the
     * restriction itself (MAPI_E_TOO_COMPLEX when not); NULL for a source
     * whose rows the table holds. Rows in the store's order are message ids.
     */
    HRESULT (*order)(const struct table_source *source, const SSortOrderSet *sort, const SRestriction *restriction,
                     struct model_order *out);
};

struct table_source {
    const struct table_source_ops *ops;
    ULONGLONG folder_id; /* the folder whose table it is (0: the store's) */
    ULONG flags;         /* the source's own flags: CONVENIENT_DEPTH, MAPI_ASSOCIATED */
    void *context;       /* rows the table owns (an object's recipients), given to the table; NULL for the store's */
};

struct table_spec {
    struct table_source source;
    const ULONG *columns; /* the default column set; strings given as PT_UNICODE */
    ULONG column_count;
    BOOL with_depth; /* rows carry PR_DEPTH (hierarchy tables) */
    ULONG flags;     /* MAPI_UNICODE from the caller: strings stay PT_UNICODE */
    const SSortOrderSet *sort; /* the sort it opens with (a folder's SaveContentsSort), or NULL */
};

/* Whether SortTable takes a sort: MAPI_E_INVALID_PARAMETER, MAPI_E_NO_SUPPORT (categories), MAPI_E_TOO_COMPLEX. */
HRESULT table_check_sort(const SSortOrderSet *sort);

/* A new table, its rows read, registered with os like every object a logon hands out; it takes spec's context, even when it fails. */
HRESULT table_create(struct open_store *os, const struct table_spec *spec, IMAPITable **out);

#endif
