/*
 * Fault injection over a whole session, SQLite-style: one run counts every
 * fallible call msstore makes -- to MAPI (each MAPI allocation, each IMalloc
 * allocation, each IMAPISupport method, each profile-section method) and
 * inside SQLite (each allocation and each file operation: reads, writes,
 * syncs, locks, shared memory) -- then the session is run again once per
 * fault point with exactly that call failing. The session reads the store
 * and changes it (folders created, renamed, copied, moved, deleted, a
 * receive folder set) with a live table and advise sinks watching.
 *
 * In every run, the public call during which the fault hit either returns an
 * error with its outputs NULL, or is one that may absorb it: a change that
 * committed before the fault (a notification then lost, a table read again
 * at its next call), SQLite recovering on its own (a retried lock, a cache
 * that does without memory), or one listed in absorbed_faults with the
 * reason. Once the session is over nothing is left (the support object's
 * count back where MAPI started it, StoreLogoffTransports at most once, no
 * subscription, no live MAPI allocation, IMalloc balanced, final Releases 0),
 * and the store file passes verify and holds exactly the changes whose calls
 * succeeded.
 */
#include "harness.h"

#include "storage/storage.h"

#include <stdio.h>
#include <string.h>

/* The folders a run's changes should leave, as paths under the root: those whose calls succeeded. */
#define MAX_PATHS 16
#define PATH_SIZE 96
struct expected_tree {
    int count;
    char paths[MAX_PATHS][PATH_SIZE];
};

struct run {
    LONG fail_at;             /* the fault point failed in this run; 0: none */
    const char *faulted_step; /* the public call during which it hit */
    HRESULT faulted_hr;       /* what that call returned */
    BOOL faulted_output_null; /* and whether its output was NULL */
    const char *fault;        /* what failed: "MAPIAllocateBuffer", "NewUID", ... */
    BOOL faulted_change;      /* that call changes the store */
    int failed_steps;         /* public calls that did not return S_OK */
    LONG points;              /* fault points passed in the whole run */
    struct expected_tree tree;
    char child_path[PATH_SIZE]; /* the folder that holds the messages */
    int messages;           /* messages saved there and not deleted */
    int recipient_values;   /* the values of the recipients saved with them */
    int attachments, embedded; /* their attachments, and the attachments' embedded messages */
    BOOL messages_read;     /* SetReadFlags on them succeeded */
    BOOL sort_saved;        /* SaveContentsSort on their folder succeeded */
    const char *last_step, *step_before_fault;
};

/* Notes the outcome of one public call, and whether the run's fault hit during it. */
static void step_done(struct run *r, const char *step, LONG points_before, HRESULT hr, const void *output,
                      BOOL change)
{
    /* A fault that hit between steps: the step before names where to look. */
    if (r->fail_at && r->fail_at <= points_before && !r->faulted_step && !r->step_before_fault)
        r->step_before_fault = r->last_step;
    r->last_step = step;
    if (hr != S_OK) r->failed_steps++;
    if (r->fail_at > points_before && r->fail_at <= mapisim_faults_count() && !r->faulted_step) {
        r->faulted_step = step;
        r->faulted_hr = hr;
        r->faulted_output_null = output == NULL;
        r->faulted_change = change;
    }
}

/* Runs call, a public msstore method, as one step; output is its out-pointer's value afterwards (NULL if none). */
#define RUN_STEP(r, name, hr, call, output, change)                          \
    do {                                                                     \
        LONG points_before_ = mapisim_faults_count();                       \
        (hr) = (call);                                                       \
        step_done((r), (name), points_before_, (hr), (output), (change));    \
    } while (0)
#define STEP(r, name, hr, call, output) RUN_STEP(r, name, hr, call, output, FALSE)
/* A step that changes the store: its effect is checked in the file once the session is over. */
#define CHANGE(r, name, hr, call) RUN_STEP(r, name, hr, call, NULL, TRUE)

static const SizedSPropTagArray(5, table_columns) = {
    5, {PR_ENTRYID, PR_DISPLAY_NAME_W, PR_DEPTH, PR_CONTENT_COUNT, PR_RECORD_KEY}};
static const SizedSPropTagArray(1, entryid_only) = {1, {PR_ENTRYID}};
static const SizedSSortOrderSet(1, by_name_descending) = {1, 0, 0, {{PR_DISPLAY_NAME_W, TABLE_SORT_DESCEND}}};
static const SizedSSortOrderSet(1, by_subject_descending) = {1, 0, 0, {{PR_SUBJECT_W, TABLE_SORT_DESCEND}}};

/* A table as a client reads it: columns, order, a restriction, rows, then what it asks back and a bookmark. */
static void read_table(struct run *r, IMAPITable *table, SRowSet **rows)
{
    SPropValue ipf = {PR_CONTAINER_CLASS_W, 0, {.lpszW = (WCHAR *)L"IPF"}};
    SRestriction exists = {RES_EXIST, {.resExist = {0, PR_DISPLAY_NAME_W, 0}}};
    SRestriction content = {RES_CONTENT, {.resContent = {FL_PREFIX | FL_IGNORECASE, PR_CONTAINER_CLASS_W, &ipf}}};
    SRestriction not_content = {RES_NOT, {.resNot = {0, &content}}};
    SRestriction either[2] = {exists, not_content};
    SRestriction restriction = {RES_OR, {.resOr = {2, either}}};
    SPropTagArray *columns = NULL;
    SSortOrderSet *order = NULL;
    BOOKMARK_ABI bookmark = 0;
    HRESULT hr;
    *rows = NULL;
    STEP(r, "IMAPITable::SetColumns", hr, table->lpVtbl->SetColumns(table, (LPSPropTagArray)&table_columns, 0), NULL);
    STEP(r, "IMAPITable::SortTable", hr, table->lpVtbl->SortTable(table, (LPSSortOrderSet)&by_name_descending, 0),
         NULL);
    STEP(r, "IMAPITable::Restrict", hr, table->lpVtbl->Restrict(table, &restriction, 0), NULL);
    STEP(r, "IMAPITable::QueryRows", hr, table->lpVtbl->QueryRows(table, 50, 0, rows), *rows);
    STEP(r, "IMAPITable::QueryColumns", hr, table->lpVtbl->QueryColumns(table, 0, &columns), columns);
    mapisim_FreeBuffer(columns);
    STEP(r, "IMAPITable::QuerySortOrder", hr, table->lpVtbl->QuerySortOrder(table, &order), order);
    mapisim_FreeBuffer(order);
    STEP(r, "IMAPITable::CreateBookmark", hr, ABI_VTBL(IMAPITable, table)->CreateBookmark(table, &bookmark),
         (void *)bookmark);
    if (SUCCEEDED(hr)) STEP(r, "IMAPITable::FreeBookmark", hr, ABI_VTBL(IMAPITable, table)->FreeBookmark(table, bookmark), NULL);
}

/* Each folder in the rows opened, read, and its contents table read. */
static void open_each_folder(struct run *r, IMsgStore *store, const SRowSet *rows)
{
    ULONG i, type, count;
    HRESULT hr;
    for (i = 0; rows && i < rows->cRows; i++) {
        const SBinary *id = &rows->aRow[i].lpProps[0].Value.bin;
        IMAPIFolder *folder = NULL;
        IMAPITable *contents = NULL;
        SPropValue *props = NULL;
        SRowSet *messages = NULL;
        if (rows->aRow[i].lpProps[0].ulPropTag != PR_ENTRYID) continue;
        STEP(r, "IMsgStore::OpenEntry", hr,
             store->lpVtbl->OpenEntry(store, id->cb, (LPENTRYID)id->lpb, NULL, 0, &type, (LPUNKNOWN *)&folder), folder);
        if (FAILED(hr)) continue;
        STEP(r, "IMAPIFolder::GetProps", hr, folder->lpVtbl->GetProps(folder, NULL, MAPI_UNICODE, &count, &props),
             props);
        mapisim_FreeBuffer(props);
        STEP(r, "IMAPIFolder::GetContentsTable", hr, folder->lpVtbl->GetContentsTable(folder, 0, &contents), contents);
        if (SUCCEEDED(hr)) {
            read_table(r, contents, &messages);
            free_rows(messages);
            contents->lpVtbl->Release(contents);
        }
        folder->lpVtbl->Release(folder);
    }
}

/* The status object, as the session's status table opens it. */
static void read_status(struct run *r, IMSLogon *logon)
{
    SizedSPropTagArray(2, tags) = {2, {PR_DISPLAY_NAME_W, PR_STATUS_CODE}};
    IMAPIStatus *status = NULL;
    SPropValue *props = NULL;
    ULONG type, count;
    HRESULT hr;
    STEP(r, "IMSLogon::OpenStatusEntry", hr,
         logon->lpVtbl->OpenStatusEntry(logon, NULL, 0, &type, (LPVOID *)&status), status);
    if (FAILED(hr)) return;
    STEP(r, "IMAPIStatus::GetProps", hr,
         status->lpVtbl->GetProps(status, (LPSPropTagArray)&tags, MAPI_UNICODE, &count, &props), props);
    mapisim_FreeBuffer(props);
    status->lpVtbl->Release(status);
}

/* Everything a client does with an open store, each call a step; sink outlives the session. */
static void use_store(struct run *r, struct mapisim_session *s, struct test_sink *sink)
{
    static const SizedSPropTagArray(4, store_tags) = {
        4, {PR_DISPLAY_NAME_W, PR_STORE_ENTRYID, PR_IPM_SUBTREE_ENTRYID, PR_STORE_SUPPORT_MASK}};
    IMsgStore *store = s->store;
    IMAPIFolder *root = NULL;
    IMAPITable *hierarchy = NULL, *receive = NULL;
    SPropTagArray *tags = NULL;
    MAPIERROR *error = NULL;
    SPropValue *props = NULL;
    SRowSet *rows = NULL;
    ENTRYID *inbox = NULL;
    ULONG_PTR connection = 0;
    ULONG type, count, cb = 0;
    HRESULT hr;

    STEP(r, "IMsgStore::GetProps", hr,
         store->lpVtbl->GetProps(store, (LPSPropTagArray)&store_tags, MAPI_UNICODE, &count, &props), props);
    mapisim_FreeBuffer(props);
    props = NULL;
    STEP(r, "IMsgStore::GetProps(all)", hr, store->lpVtbl->GetProps(store, NULL, 0, &count, &props), props);
    mapisim_FreeBuffer(props);

    STEP(r, "IMsgStore::GetPropList", hr, store->lpVtbl->GetPropList(store, MAPI_UNICODE, &tags), tags);
    mapisim_FreeBuffer(tags);
    STEP(r, "IMsgStore::GetLastError", hr, store->lpVtbl->GetLastError(store, MAPI_E_NO_ACCESS, MAPI_UNICODE, &error),
         error);
    mapisim_FreeBuffer(error);

    STEP(r, "IMsgStore::OpenEntry", hr,
         store->lpVtbl->OpenEntry(store, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&root), root);
    if (SUCCEEDED(hr)) {
        STEP(r, "IMAPIFolder::GetHierarchyTable", hr,
             root->lpVtbl->GetHierarchyTable(root, CONVENIENT_DEPTH | MAPI_UNICODE, &hierarchy), hierarchy);
        if (SUCCEEDED(hr)) {
            read_table(r, hierarchy, &rows);
            open_each_folder(r, store, rows);
            free_rows(rows);
            hierarchy->lpVtbl->Release(hierarchy);
        }
        root->lpVtbl->Release(root);
    }

    STEP(r, "IMsgStore::Advise", hr,
         ABI_VTBL(IMsgStore, store)->Advise(store, 0, NULL, fnevNewMail, &sink->IMAPIAdviseSink_iface, &connection),
         (void *)connection);
    if (SUCCEEDED(hr)) STEP(r, "IMsgStore::Unadvise", hr, ABI_VTBL(IMsgStore, store)->Unadvise(store, connection), NULL);

    STEP(r, "IMsgStore::GetReceiveFolder", hr,
         store->lpVtbl->GetReceiveFolder(store, (LPTSTR) "IPM.Note", 0, &cb, &inbox, NULL), inbox);
    mapisim_FreeBuffer(inbox);
    STEP(r, "IMsgStore::GetReceiveFolderTable", hr, store->lpVtbl->GetReceiveFolderTable(store, 0, &receive), receive);
    if (SUCCEEDED(hr)) receive->lpVtbl->Release(receive);

    read_status(r, s->support.logon);
}

/* ---- the expected tree ---- */

static void tree_add(struct expected_tree *t, const char *path)
{
    if (t->count < MAX_PATHS) snprintf(t->paths[t->count++], PATH_SIZE, "%s", path);
}

static BOOL under(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    return !strncmp(path, prefix, n) && (path[n] == 0 || path[n] == '/');
}

/* Every path at or under from now starts with to instead; with copy, the old ones stay too. */
static void tree_move(struct expected_tree *t, const char *from, const char *to, BOOL copy)
{
    char moved[PATH_SIZE];
    int i, count = t->count;
    for (i = 0; i < count; i++) {
        if (!under(t->paths[i], from)) continue;
        snprintf(moved, sizeof(moved), "%s%s", to, t->paths[i] + strlen(from));
        if (copy) tree_add(t, moved);
        else snprintf(t->paths[i], PATH_SIZE, "%s", moved);
    }
}

static void tree_remove(struct expected_tree *t, const char *prefix)
{
    int i, kept = 0;
    for (i = 0; i < t->count; i++)
        if (!under(t->paths[i], prefix)) memmove(t->paths[kept++], t->paths[i], PATH_SIZE);
    t->count = kept;
}

/* ---- the changes ---- */

static SBinary *entryid_of(struct run *r, IMAPIFolder *folder, SPropValue **value)
{
    SizedSPropTagArray(1, tag) = {1, {PR_ENTRYID}};
    ULONG count = 0;
    HRESULT hr;
    *value = NULL;
    STEP(r, "IMAPIFolder::GetProps(PR_ENTRYID)", hr, folder->lpVtbl->GetProps(folder, (LPSPropTagArray)&tag, 0, &count, value),
         *value);
    if (FAILED(hr) || (*value)->ulPropTag != PR_ENTRYID) {
        mapisim_FreeBuffer(*value);
        *value = NULL;
        return NULL;
    }
    return &(*value)->Value.bin;
}

/*
 * Folders created, renamed, copied with their subfolders, moved and deleted,
 * properties set and deleted, a receive folder set, while a live table and
 * the store's sinks watch. r->tree follows what succeeded.
 */
static BOOL tree_has(const struct expected_tree *t, const char *path)
{
    int i;
    for (i = 0; i < t->count; i++)
        if (!strcmp(t->paths[i], path)) return TRUE;
    return FALSE;
}

/* Messages in folder: two saved (one with recipients and a body stream), the first copied, the second
 * deleted, all marked read, and the contents table read. */
static void use_messages(struct run *r, IMAPIFolder *folder)
{
    SPropValue props[2] = {{PR_SUBJECT_W, 0, {.lpszW = (WCHAR *)L"Fault message"}},
                           {PR_BODY_A, 0, {.lpszA = (char *)"A body, kept in the file."}}};
    SPropValue recipient_props[2][2] = {{{PR_DISPLAY_NAME_W, 0, {.lpszW = (WCHAR *)L"Ann"}},
                                         {PR_RECIPIENT_TYPE, 0, {.l = MAPI_TO}}},
                                        {{PR_DISPLAY_NAME_A, 0, {.lpszA = (char *)"Bob"}},
                                         {PR_RECIPIENT_TYPE, 0, {.l = MAPI_CC}}}};
    SizedADRLIST(2, recipients) = {2, {{0, 2, recipient_props[0]}, {0, 2, recipient_props[1]}}};
    SPropValue method = {PR_ATTACH_METHOD, 0, {.l = ATTACH_EMBEDDED_MSG}};
    IMessage *kept = NULL, *deleted = NULL, *inner = NULL, *copy = NULL;
    MAPINAMEID name = {(LPGUID)&PS_PUBLIC_STRINGS, MNID_STRING, {.lpwstrName = (LPWSTR)L"Fault keyword"}};
    LPMAPINAMEID names[1] = {&name};
    SPropTagArray *named = NULL;
    SPropProblemArray *copy_problems = NULL;
    IMAPITable *contents = NULL, *recipient_table = NULL, *attachment_table = NULL;
    IAttach *attach = NULL;
    IStream *body = NULL;
    BOOL with_recipients = FALSE, with_attachment = FALSE, with_embedded = FALSE;
    ULONG attach_num = 0;
    SPropValue *deleted_id = NULL, *kept_id = NULL;
    SRowSet *rows = NULL;
    HRESULT hr;

    STEP(r, "IMAPIFolder::CreateMessage", hr, folder->lpVtbl->CreateMessage(folder, NULL, 0, &kept), kept);
    if (SUCCEEDED(hr)) {
        STEP(r, "IMessage::SetProps", hr, kept->lpVtbl->SetProps(kept, 2, props, NULL), NULL);
        STEP(r, "IMessage::ModifyRecipients", hr,
             kept->lpVtbl->ModifyRecipients(kept, MODRECIP_ADD, (LPADRLIST)&recipients), NULL);
        with_recipients = SUCCEEDED(hr);
        STEP(r, "IMessage::GetRecipientTable", hr, kept->lpVtbl->GetRecipientTable(kept, 0, &recipient_table),
             recipient_table);
        if (SUCCEEDED(hr)) {
            SRowSet *recipient_rows = NULL;
            STEP(r, "IMAPITable::QueryRows(recipients)", hr,
                 recipient_table->lpVtbl->QueryRows(recipient_table, 10, 0, &recipient_rows), recipient_rows);
            free_rows(recipient_rows);
            recipient_table->lpVtbl->Release(recipient_table);
        }
        STEP(r, "IMessage::OpenProperty(IStream)", hr,
             kept->lpVtbl->OpenProperty(kept, PR_HTML, &IID_IStream, 0, MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&body),
             body);
        if (SUCCEEDED(hr)) {
            STEP(r, "IStream::Write", hr, body->lpVtbl->Write(body, "<p>streamed</p>", 15, NULL), NULL);
            STEP(r, "IStream::Commit", hr, body->lpVtbl->Commit(body, 0), NULL);
            body->lpVtbl->Release(body);
        }
        STEP(r, "IMessage::CreateAttach", hr, kept->lpVtbl->CreateAttach(kept, NULL, 0, &attach_num, &attach), attach);
        if (SUCCEEDED(hr)) { /* an attachment holding an embedded message */
            STEP(r, "IAttach::SetProps", hr, attach->lpVtbl->SetProps(attach, 1, &method, NULL), NULL);
            STEP(r, "IAttach::OpenProperty(IMessage)", hr,
                 attach->lpVtbl->OpenProperty(attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, MAPI_CREATE | MAPI_MODIFY,
                                              (LPUNKNOWN *)&inner),
                 inner);
            if (SUCCEEDED(hr)) {
                STEP(r, "IMessage::SetProps(embedded)", hr, inner->lpVtbl->SetProps(inner, 1, props, NULL), NULL);
                STEP(r, "IMessage::SaveChanges(embedded)", hr, inner->lpVtbl->SaveChanges(inner, 0), NULL);
                with_embedded = SUCCEEDED(hr);
                inner->lpVtbl->Release(inner);
            }
            STEP(r, "IAttach::SaveChanges", hr, attach->lpVtbl->SaveChanges(attach, 0), NULL);
            with_attachment = SUCCEEDED(hr);
            attach->lpVtbl->Release(attach);
        }
        STEP(r, "IMessage::GetAttachmentTable", hr, kept->lpVtbl->GetAttachmentTable(kept, 0, &attachment_table),
             attachment_table);
        if (SUCCEEDED(hr)) {
            SRowSet *attachment_rows = NULL;
            STEP(r, "IMAPITable::QueryRows(attachments)", hr,
                 attachment_table->lpVtbl->QueryRows(attachment_table, 10, 0, &attachment_rows), attachment_rows);
            free_rows(attachment_rows);
            attachment_table->lpVtbl->Release(attachment_table);
        }
        CHANGE(r, "IMessage::SaveChanges", hr, kept->lpVtbl->SaveChanges(kept, KEEP_OPEN_READWRITE));
        if (SUCCEEDED(hr)) r->messages++;
        if (SUCCEEDED(hr) && with_recipients) r->recipient_values = 4;
        if (SUCCEEDED(hr) && with_attachment) r->attachments = 1, r->embedded = with_embedded ? 1 : 0;
        if (SUCCEEDED(hr))
            STEP(r, "IMessage::GetProps(entry ID, first)", hr,
                 kept->lpVtbl->GetProps(kept, (LPSPropTagArray)&entryid_only, 0, &(ULONG){0}, &kept_id), kept_id);
    }
    STEP(r, "IMAPIFolder::CreateMessage(second)", hr, folder->lpVtbl->CreateMessage(folder, NULL, 0, &deleted),
         deleted);
    if (SUCCEEDED(hr)) {
        CHANGE(r, "IMessage::SaveChanges(second)", hr, deleted->lpVtbl->SaveChanges(deleted, 0));
        if (SUCCEEDED(hr)) r->messages++;
        if (SUCCEEDED(hr)) STEP(r, "IMessage::GetProps(entry ID)", hr,
                                deleted->lpVtbl->GetProps(deleted, (LPSPropTagArray)&entryid_only, 0, &(ULONG){0},
                                                          &deleted_id),
                                deleted_id);
    }
    if (kept_id && kept_id->ulPropTag == PR_ENTRYID) { /* a copy of it beside it, recipients and all */
        ENTRYLIST list = {1, &kept_id->Value.bin};
        CHANGE(r, "IMAPIFolder::CopyMessages", hr,
               ABI_VTBL(IMAPIFolder, folder)->CopyMessages(folder, &list, NULL, folder, 0, NULL, 0));
        if (SUCCEEDED(hr)) r->messages++;
        if (SUCCEEDED(hr)) r->recipient_values *= 2, r->attachments *= 2, r->embedded *= 2;
    }
    if (deleted_id && deleted_id->ulPropTag == PR_ENTRYID) {
        ENTRYLIST list = {1, &deleted_id->Value.bin};
        CHANGE(r, "IMAPIFolder::DeleteMessages", hr, ABI_VTBL(IMAPIFolder, folder)->DeleteMessages(folder, &list, 0, NULL, 0));
        if (SUCCEEDED(hr)) r->messages--;
    }
    STEP(r, "IMAPIFolder::GetIDsFromNames(MAPI_CREATE)", hr,
         folder->lpVtbl->GetIDsFromNames(folder, 1, names, MAPI_CREATE, &named), named);
    mapisim_FreeBuffer(named);
    if (kept) { /* a copy of the first's object, recipients and attachment too, through CopyTo */
        STEP(r, "IMAPIFolder::CreateMessage(copy)", hr, folder->lpVtbl->CreateMessage(folder, NULL, 0, &copy), copy);
        if (SUCCEEDED(hr)) {
            STEP(r, "IMessage::CopyTo", hr,
                 ABI_VTBL(IMessage, kept)->CopyTo(kept, 0, NULL, NULL, 0, NULL, &IID_IMessage, copy, 0, &copy_problems),
                 NULL);
            mapisim_FreeBuffer(copy_problems);
            if (SUCCEEDED(hr)) {
                CHANGE(r, "IMessage::SaveChanges(copy)", hr, copy->lpVtbl->SaveChanges(copy, 0));
                if (SUCCEEDED(hr)) {
                    r->messages++;
                    if (with_recipients) r->recipient_values += 4;
                    if (with_attachment) r->attachments++, r->embedded += with_embedded ? 1 : 0;
                }
            }
            copy->lpVtbl->Release(copy);
        }
    }
    CHANGE(r, "IMAPIFolder::SetReadFlags", hr, ABI_VTBL(IMAPIFolder, folder)->SetReadFlags(folder, NULL, 0, NULL, 0));
    if (SUCCEEDED(hr)) r->messages_read = TRUE;
    CHANGE(r, "IMAPIFolder::SaveContentsSort", hr,
           folder->lpVtbl->SaveContentsSort(folder, (LPSSortOrderSet)&by_subject_descending, 0));
    if (SUCCEEDED(hr)) r->sort_saved = TRUE;
    STEP(r, "IMAPIFolder::GetContentsTable", hr, folder->lpVtbl->GetContentsTable(folder, 0, &contents), contents);
    if (SUCCEEDED(hr)) {
        /* Outlook's "Unread" view (tested in the file), then a restriction the table holds rows for. */
        SRestriction unread = {RES_BITMASK, {.resBitMask = {BMR_EQZ, PR_MESSAGE_FLAGS, MSGFLAG_READ}}};
        SRestriction sized = {RES_SIZE, {.resSize = {RELOP_GE, PR_SUBJECT_W, 0}}};
        STEP(r, "IMAPITable::QueryRows(contents)", hr, contents->lpVtbl->QueryRows(contents, 10, 0, &rows), rows);
        free_rows(rows);
        STEP(r, "IMAPITable::Restrict(unread)", hr, contents->lpVtbl->Restrict(contents, &unread, 0), NULL);
        rows = NULL;
        STEP(r, "IMAPITable::QueryRows(unread)", hr, contents->lpVtbl->QueryRows(contents, 10, 0, &rows), rows);
        free_rows(rows);
        STEP(r, "IMAPITable::Restrict(held)", hr, contents->lpVtbl->Restrict(contents, &sized, 0), NULL);
        rows = NULL;
        STEP(r, "IMAPITable::QueryRows(held)", hr, contents->lpVtbl->QueryRows(contents, 10, 0, &rows), rows);
        free_rows(rows);
        contents->lpVtbl->Release(contents);
    }
    mapisim_FreeBuffer(deleted_id);
    mapisim_FreeBuffer(kept_id);
    if (kept) kept->lpVtbl->Release(kept);
    if (deleted) deleted->lpVtbl->Release(deleted);
}

static void change_store(struct run *r, IMsgStore *store, struct test_sink *sink)
{
    static const WCHAR renamed[] = L"Beta";
    SPropValue props[3] = {{PR_DISPLAY_NAME_W, 0, {.lpszW = (WCHAR *)renamed}},
                           {PR_COMMENT_A, 0, {.lpszA = (char *)"renamed by the fault session"}},
                           {PROP_TAG(PT_MV_LONG, 0x6700), 0, {.MVl = {0, NULL}}}};
    SizedSPropTagArray(1, custom) = {1, {PROP_TAG(PT_MV_LONG, 0x6700)}};
    LONG numbers[3] = {1, 2, 3};
    IMAPIFolder *root = NULL, *alpha = NULL, *child = NULL;
    IMAPITable *table = NULL;
    SPropProblemArray *problems = NULL;
    SPropValue *alpha_id = NULL, *child_id = NULL;
    SBinary *alpha_bin = NULL, *child_bin = NULL;
    SRowSet *rows = NULL;
    ULONG_PTR table_connection = 0, store_connection = 0;
    const char *alpha_path = "/Alpha";
    ULONG type;
    HRESULT hr;

    props[2].Value.MVl.cValues = 3;
    props[2].Value.MVl.lpl = numbers;
    STEP(r, "IMsgStore::OpenEntry(MAPI_MODIFY)", hr,
         store->lpVtbl->OpenEntry(store, 0, NULL, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&root), root);
    if (FAILED(hr)) return;
    STEP(r, "IMAPIFolder::GetHierarchyTable", hr, root->lpVtbl->GetHierarchyTable(root, CONVENIENT_DEPTH, &table),
         table);
    if (SUCCEEDED(hr))
        STEP(r, "IMAPITable::Advise", hr,
             ABI_VTBL(IMAPITable, table)->Advise(table, fnevTableModified, &sink->IMAPIAdviseSink_iface,
                                                 &table_connection),
             (void *)table_connection);
    STEP(r, "IMsgStore::Advise(objects)", hr,
         ABI_VTBL(IMsgStore, store)->Advise(store, 0, NULL,
                                            fnevObjectCreated | fnevObjectDeleted | fnevObjectModified |
                                                fnevObjectMoved | fnevObjectCopied,
                                            &sink->IMAPIAdviseSink_iface, &store_connection),
         (void *)store_connection);

    CHANGE(r, "IMAPIFolder::CreateFolder", hr,
           root->lpVtbl->CreateFolder(root, FOLDER_GENERIC, (LPTSTR) "Alpha", NULL, NULL, 0, &alpha));
    if (SUCCEEDED(hr)) {
        tree_add(&r->tree, "/Alpha");
        CHANGE(r, "IMAPIFolder::SetProps", hr, alpha->lpVtbl->SetProps(alpha, 3, props, &problems));
        mapisim_FreeBuffer(problems);
        if (SUCCEEDED(hr)) {
            tree_move(&r->tree, "/Alpha", "/Beta", FALSE);
            alpha_path = "/Beta";
        }
        CHANGE(r, "IMAPIFolder::CreateFolder(sub)", hr,
               alpha->lpVtbl->CreateFolder(alpha, FOLDER_GENERIC, (LPTSTR) "Child", NULL, NULL, 0, &child));
        if (SUCCEEDED(hr)) {
            char path[PATH_SIZE];
            snprintf(path, sizeof(path), "%s/Child", alpha_path);
            tree_add(&r->tree, path);
        }
        alpha_bin = entryid_of(r, alpha, &alpha_id);
    }
    if (alpha_bin) {
        CHANGE(r, "IMAPIFolder::CopyFolder(copy)", hr,
               ABI_VTBL(IMAPIFolder, root)->CopyFolder(root, alpha_bin->cb, (LPENTRYID)alpha_bin->lpb, NULL, root,
                                                       (LPTSTR) "Gamma", 0, NULL, COPY_SUBFOLDERS));
        if (SUCCEEDED(hr)) tree_move(&r->tree, alpha_path, "/Gamma", TRUE);
    }
    if (child && (child_bin = entryid_of(r, child, &child_id))) {
        char path[PATH_SIZE];
        snprintf(path, sizeof(path), "%s/Child", alpha_path);
        CHANGE(r, "IMAPIFolder::CopyFolder(move)", hr,
               ABI_VTBL(IMAPIFolder, alpha)->CopyFolder(alpha, child_bin->cb, (LPENTRYID)child_bin->lpb, NULL, root,
                                                        NULL, 0, NULL, FOLDER_MOVE));
        if (SUCCEEDED(hr)) tree_move(&r->tree, path, "/Child", FALSE);
        CHANGE(r, "IMAPIFolder::DeleteProps", hr, child->lpVtbl->DeleteProps(child, (LPSPropTagArray)&custom, NULL));
        CHANGE(r, "IMsgStore::SetReceiveFolder", hr,
               store->lpVtbl->SetReceiveFolder(store, (LPTSTR) "IPM.Fault", 0, child_bin->cb, (LPENTRYID)child_bin->lpb));
        if (tree_has(&r->tree, "/Child")) snprintf(r->child_path, sizeof(r->child_path), "/Child");
        else snprintf(r->child_path, sizeof(r->child_path), "%s/Child", alpha_path);
        use_messages(r, child);
    }
    if (alpha_bin) {
        CHANGE(r, "IMAPIFolder::DeleteFolder", hr,
               ABI_VTBL(IMAPIFolder, root)->DeleteFolder(root, alpha_bin->cb, (LPENTRYID)alpha_bin->lpb, 0, NULL,
                                                         DEL_FOLDERS | DEL_MESSAGES));
        if (SUCCEEDED(hr)) tree_remove(&r->tree, alpha_path);
    }
    if (table) { /* the live table's rows, after all that */
        STEP(r, "IMAPITable::QueryRows(after changes)", hr, table->lpVtbl->QueryRows(table, 50, 0, &rows), rows);
        free_rows(rows);
    }
    if (store_connection) STEP(r, "IMsgStore::Unadvise", hr, ABI_VTBL(IMsgStore, store)->Unadvise(store, store_connection), NULL);
    mapisim_FreeBuffer(alpha_id);
    mapisim_FreeBuffer(child_id);
    if (child) child->lpVtbl->Release(child);
    if (alpha) alpha->lpVtbl->Release(alpha);
    /* Releasing the table ends its connection: Unsubscribe, which may fail too. */
    if (table) STEP(r, "IMAPITable::Release", hr, table->lpVtbl->Release(table) ? E_FAIL : S_OK, NULL);
    root->lpVtbl->Release(root);
}

/* ---- what the file holds afterwards ---- */

struct file_folder {
    LONGLONG id, parent;
    char name[32];
};

struct file_tree {
    int count;
    struct file_folder folders[64];
};

static int collect_folder(void *context, const struct storage_folder *folder)
{
    struct file_tree *tree = context;
    struct file_folder *f;
    if (tree->count == ARRAYSIZE(tree->folders)) return STORAGE_FAILED;
    f = &tree->folders[tree->count++];
    f->id = folder->id;
    f->parent = folder->parent_id;
    WideCharToMultiByte(CP_UTF8, 0, folder->name, -1, f->name, sizeof(f->name), NULL, NULL);
    return STORAGE_OK;
}

/* A client's folder's path under the root, from the file's rows. */
static void path_of(const struct file_tree *tree, const struct file_folder *f, char *out, size_t size)
{
    char path[PATH_SIZE] = "", rest[PATH_SIZE];
    int guard, i;
    for (guard = 0; f && f->parent && guard < 16; guard++) {
        snprintf(rest, sizeof(rest), "/%s%s", f->name, path);
        memcpy(path, rest, sizeof(path));
        for (i = 0; i < tree->count && tree->folders[i].id != f->parent; i++) continue;
        f = i < tree->count && tree->folders[i].parent ? &tree->folders[i] : NULL;
    }
    snprintf(out, size, "%s", path);
}

struct message_count {
    struct storage *st;
    int count, read, recipient_values, attachments, embedded;
};

static int count_attachment(void *context, const struct storage_attachment *attachment)
{
    struct message_count *c = context;
    c->attachments++;
    if (attachment->embedded_id) c->embedded++;
    return STORAGE_OK;
}

static int count_recipient_value(void *context, ULONG row_id, ULONG tag, const void *value, int size)
{
    (void)row_id, (void)tag, (void)value, (void)size;
    ((struct message_count *)context)->recipient_values++;
    return STORAGE_OK;
}

static int count_message(void *context, const struct storage_message *message)
{
    struct message_count *c = context;
    c->count++;
    if (message->flags & MSGFLAG_READ) c->read++;
    if (storage_attachments(c->st, message->id, count_attachment, c) != STORAGE_OK) return STORAGE_FAILED;
    return storage_recipients(c->st, message->id, count_recipient_value, c);
}

static void note_problem(void *context, const char *problem)
{
    char *problems = context;
    mapisim_add_problem(problems, 1024, "verify: %s", problem);
}

static int note_sort(void *context, const void *bytes, int size)
{
    (void)bytes;
    *(BOOL *)context = size > 0;
    return STORAGE_OK;
}

/* The store file after a run: sound, and holding exactly the folders whose changes succeeded. */
static void check_file(const struct run *r, const WCHAR *path, char *problems, size_t size)
{
    struct storage *st = NULL;
    struct file_tree tree;
    ULONG found = 0;
    int i, j, result;

    if (GetFileAttributesW(path) == INVALID_FILE_ATTRIBUTES) {
        if (r->tree.count) mapisim_add_problem(problems, size, "the store file is gone, with its changes");
        return;
    }
    if ((result = storage_open(path, STORAGE_OPEN_READ_ONLY, NULL, &st)) != STORAGE_OK) {
        mapisim_add_problem(problems, size, "the store file does not open (storage result %d)", result);
        return;
    }
    tree.count = 0;
    if ((result = storage_verify(st, note_problem, problems, &found)) != STORAGE_OK)
        mapisim_add_problem(problems, size, "verify failed (storage result %d)", result);
    if ((result = storage_folder_each(st, collect_folder, &tree)) != STORAGE_OK)
        mapisim_add_problem(problems, size, "the folders do not read (storage result %d)", result);
    for (i = 0; i < tree.count; i++) { /* the messages: where they were saved, as many as the calls said */
        struct message_count c = {st, 0, 0, 0, 0, 0};
        char path_found[PATH_SIZE];
        BOOL holder;
        path_of(&tree, &tree.folders[i], path_found, sizeof(path_found));
        holder = tree.folders[i].id > 255 && r->child_path[0] && !strcmp(path_found, r->child_path);
        storage_messages_in(st, tree.folders[i].id, FALSE, count_message, &c);
        if (c.count != (holder ? r->messages : 0))
            mapisim_add_problem(problems, size, "%s holds %d messages, not %d", path_found, c.count,
                                holder ? r->messages : 0);
        else if (holder && c.read != (r->messages_read ? c.count : 0))
            mapisim_add_problem(problems, size, "%s has %d of %d messages read", path_found, c.read, c.count);
        else if (holder && c.recipient_values != r->recipient_values)
            mapisim_add_problem(problems, size, "%s's messages have %d recipient values, not %d", path_found,
                                c.recipient_values, r->recipient_values);
        else if (holder && (c.attachments != r->attachments || c.embedded != r->embedded))
            mapisim_add_problem(problems, size, "%s's messages have %d attachments (%d embedded), not %d (%d)",
                                path_found, c.attachments, c.embedded, r->attachments, r->embedded);
        if (holder) {
            BOOL sort_found = FALSE;
            storage_folder_sort(st, tree.folders[i].id, note_sort, &sort_found);
            if (sort_found != r->sort_saved)
                mapisim_add_problem(problems, size, "%s %s a saved contents sort, yet SaveContentsSort %s", path_found,
                                    sort_found ? "has" : "lacks", r->sort_saved ? "succeeded" : "failed");
        }
    }
    storage_close(st);
    for (i = 0; i < tree.count; i++) {
        char path_found[PATH_SIZE];
        BOOL expected = FALSE;
        if (tree.folders[i].id <= 255) continue; /* the layout's */
        path_of(&tree, &tree.folders[i], path_found, sizeof(path_found));
        for (j = 0; j < r->tree.count && !expected; j++) expected = !strcmp(r->tree.paths[j], path_found);
        if (!expected) mapisim_add_problem(problems, size, "the file has %s, which no successful call made", path_found);
    }
    for (j = 0; j < r->tree.count; j++) {
        BOOL present = FALSE;
        for (i = 0; i < tree.count && !present; i++) {
            char path_found[PATH_SIZE];
            if (tree.folders[i].id <= 255) continue;
            path_of(&tree, &tree.folders[i], path_found, sizeof(path_found));
            present = !strcmp(r->tree.paths[j], path_found);
        }
        if (!present) mapisim_add_problem(problems, size, "the file lacks %s, which a call said it made", r->tree.paths[j]);
    }
}

/* One whole session, from MSProviderInit to the provider's final Release, then what it left. */
static void run_session(struct run *r, char *problems, size_t size)
{
    struct mapisim_session s;
    struct test_sink sink; /* a connection Unadvise could not end stays until the teardown */
    ULONG flags = LOGOFF_ORDERLY, zero = 0;
    HRESULT hr;

    problems[0] = 0;
    test_sink_init(&sink);
    mapisim_faults_reset(r->fail_at);
    storage_inject_faults(mapisim_fault_here); /* and no lock held off by the previous run's fault */
    {
        LONG points_before = mapisim_faults_count();
        hr = mapisim_session_init(&s, MSProviderInit);
        step_done(r, "MSProviderInit", points_before, hr, s.provider, FALSE);
    }
    if (SUCCEEDED(hr)) {
        STEP(r, "IMSProvider::Logon", hr, mapisim_session_logon(&s, MDB_WRITE, "faults"), s.store);
        if (SUCCEEDED(hr)) {
            use_store(r, &s, &sink);
            change_store(r, s.store, &sink);
            STEP(r, "IMsgStore::StoreLogoff", hr, s.store->lpVtbl->StoreLogoff(s.store, &flags), NULL);
            STEP(r, "IMsgStore::Release", hr, s.store->lpVtbl->Release(s.store) ? E_FAIL : S_OK, NULL);
            if (hr != S_OK) mapisim_add_problem(problems, size, "the store's final Release not 0");
            s.store = NULL;
        }
        STEP(r, "IMSProvider::Shutdown", hr, s.provider->lpVtbl->Shutdown(s.provider, &zero), NULL);
        STEP(r, "IMSProvider::Release", hr, s.provider->lpVtbl->Release(s.provider) ? E_FAIL : S_OK, NULL);
        if (hr != S_OK) mapisim_add_problem(problems, size, "the provider's final Release not 0");
        s.provider = NULL;
    }
    r->fault = mapisim_faults_failed();
    r->points = mapisim_faults_count();
    mapisim_faults_reset(0);
    mapisim_session_problems(&s, problems, size);
    if (s.support.logon) mapisim_add_problem(problems, size, "MAPI's support object still holds the logon");
    if (s.support.logon_release_result) mapisim_add_problem(problems, size, "the logon's final Release not 0");
    if (sink.refs != 1) mapisim_add_problem(problems, size, "the advise sink holds %ld extra reference(s)", (long)sink.refs - 1);
    if (s.support.calls[MAPISIM_StoreLogoffTransports] > 1)
        mapisim_add_problem(problems, size, "StoreLogoffTransports called more than once");
    storage_inject_faults(mapisim_fault_here); /* the fault's held-off locks end with the session */
    check_file(r, s.support.scratch_store, problems, size);
    mapisim_support_cleanup(&s.support);
}

/*
 * Faults msstore absorbs by design: the public call succeeds in full because
 * nothing the caller asked for depended on the failed call.
 */
static const struct absorbed_fault {
    const char *step, *fault, *why;
} absorbed_faults[] = {
    {"IMsgStore::Release", "StoreLogoffTransports",
     "the store's final Release tears it down whatever the spooler says (D4): MAPI_E_NO_SUPPORT is normal"},
    {"IMAPITable::Release", "Unsubscribe",
     "a released table's connections end whatever MAPI answers: there is no caller left to tell"},
};

static BOOL absorbed(const struct run *r)
{
    size_t i;
    for (i = 0; i < ARRAYSIZE(absorbed_faults); i++)
        if (!strcmp(r->faulted_step, absorbed_faults[i].step) && r->fault && !strcmp(r->fault, absorbed_faults[i].fault))
            return TRUE;
    return FALSE;
}

/* The kinds of fault point, for the figures printed. */
enum fault_kind { MAPI_ALLOCATION, IMALLOC, PROFILE_CALL, SUPPORT_CALL, SQLITE_MEMORY, SQLITE_FILE, FAULT_KINDS };

static enum fault_kind fault_kind(const char *fault)
{
    if (!strncmp(fault, "MAPIAllocate", 12)) return MAPI_ALLOCATION;
    if (!strncmp(fault, "IMalloc::", 9)) return IMALLOC;
    if (!strncmp(fault, "IMAPIProp::", 11)) return PROFILE_CALL;
    if (!strcmp(fault, "SQLite malloc") || !strcmp(fault, "SQLite realloc")) return SQLITE_MEMORY;
    if (!strncmp(fault, "SQLite ", 7)) return SQLITE_FILE;
    return SUPPORT_CALL;
}

/*
 * Whether a faulted call may succeed: a change that committed before the fault
 * (its effect is then checked in the file), SQLite recovering by itself, or a
 * fault absorbed by design.
 */
static BOOL may_absorb(const struct run *r)
{
    enum fault_kind kind = fault_kind(r->fault);
    return r->faulted_change || kind == SQLITE_MEMORY || kind == SQLITE_FILE || absorbed(r);
}

/* The SQLite failures that must reach a client as MAPI errors, and how many did. */
static const struct {
    HRESULT hr;
    const char *what;
} sqlite_errors[] = {
    {MAPI_E_NOT_ENOUGH_MEMORY, "SQLITE_NOMEM"}, {MAPI_E_DISK_ERROR, "SQLITE_IOERR"},
    {MAPI_E_NOT_ENOUGH_DISK, "SQLITE_FULL"},     {MAPI_E_BUSY, "SQLITE_BUSY"},
};

static void every_fault_point_fails_cleanly(void **state)
{
    static const char *const kinds[FAULT_KINDS] = {"MAPI allocations", "IMalloc allocations",
                                                   "profile-section and status-row calls", "IMAPISupport calls",
                                                   "SQLite allocations", "SQLite file operations"};
    struct run counting = {0};
    char problems[1024];
    LONG i;
    int by_kind[FAULT_KINDS] = {0}, reached[ARRAYSIZE(sqlite_errors)] = {0}, absorbed_count = 0, k;
    (void)state;

    /* A first session does what a process does once (SQLite's own start): the counted ones repeat exactly. */
    run_session(&counting, problems, sizeof(problems));
    memset(&counting, 0, sizeof(counting));
    run_session(&counting, problems, sizeof(problems));
    if (problems[0]) fail_msg("the session without a fault left: %s", problems);
    assert_int_equal(counting.failed_steps, 0);
    assert_true(counting.points > 100); /* the session really is a whole one */
    assert_true(counting.tree.count > 0); /* and it changed the store */

    for (i = 1; i <= counting.points; i++) {
        struct run r = {0};
        r.fail_at = i;
        run_session(&r, problems, sizeof(problems));
        if (!r.fault) fail_msg("fault point %ld of %ld was never reached", (long)i, (long)counting.points);
        if (!r.faulted_step) fail_msg("fault point %ld (%s) hit outside any public call, after %s", (long)i, r.fault,
                                       r.step_before_fault);
        if (problems[0])
            fail_msg("fault point %ld (%s in %s): the session left: %s", (long)i, r.fault, r.faulted_step, problems);
        if (r.faulted_hr == S_OK) {
            if (!may_absorb(&r))
                fail_msg("fault point %ld (%s in %s): the call returned S_OK, not an error", (long)i, r.fault,
                         r.faulted_step);
            absorbed_count++;
        } else {
            if (!FAILED(r.faulted_hr))
                fail_msg("fault point %ld (%s in %s): the call returned 0x%08lx, not an error", (long)i, r.fault,
                         r.faulted_step, (unsigned long)r.faulted_hr);
            if (!r.faulted_output_null)
                fail_msg("fault point %ld (%s in %s): failed, but left its output set", (long)i, r.fault,
                         r.faulted_step);
            if (absorbed(&r))
                fail_msg("fault point %ld (%s in %s): an absorbed fault, yet the call returned 0x%08lx", (long)i,
                         r.fault, r.faulted_step, (unsigned long)r.faulted_hr);
            if (fault_kind(r.fault) >= SQLITE_MEMORY)
                for (k = 0; k < (int)ARRAYSIZE(sqlite_errors); k++) reached[k] += r.faulted_hr == sqlite_errors[k].hr;
        }
        by_kind[fault_kind(r.fault)]++;
    }
    printf("fault injection: %ld fault points in one whole session, each failed in its own run:", (long)counting.points);
    for (k = 0; k < FAULT_KINDS; k++) printf(" %d %s%s", by_kind[k], kinds[k], k < FAULT_KINDS - 1 ? "," : "");
    printf("; %d absorbed (committed changes, SQLite's own recovery, or by design), the rest failing their public "
           "call cleanly; nothing left behind, the file sound and holding what succeeded, in every run\n",
           absorbed_count);
    printf("SQLite failures that reached the client:");
    for (k = 0; k < (int)ARRAYSIZE(sqlite_errors); k++)
        printf(" %s as %s in %d run(s)%s", sqlite_errors[k].what, mapisim_hresult_name(sqlite_errors[k].hr), reached[k],
               k + 1 < (int)ARRAYSIZE(sqlite_errors) ? "," : "\n");
    for (k = 0; k < (int)ARRAYSIZE(sqlite_errors); k++)
        if (!reached[k]) fail_msg("no %s ever reached a client as %s", sqlite_errors[k].what,
                                  mapisim_hresult_name(sqlite_errors[k].hr));
}

int main(void)
{
    storage_busy_timeout_ms = 10; /* a lock that does not come: MAPI_E_BUSY soon */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_fault_point_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
