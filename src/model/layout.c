#include "model/layout.h"

#include "mapi/propval.h"
#include "storage/storage.h"

#include <stdlib.h>
#include <string.h>

/* Parents come before their children. */
const struct layout_folder_spec layout_folders[] = {
    {FOLDER_ID_ROOT, 0, FOLDER_ROOT, L"", NULL, 0, 0, 0},
    {FOLDER_ID_IPM_SUBTREE, FOLDER_ID_ROOT, FOLDER_GENERIC, L"Top of Information Store", NULL,
     PR_IPM_SUBTREE_ENTRYID, FOLDER_IPM_SUBTREE_VALID, 0},
    {FOLDER_ID_SEARCH_ROOT, FOLDER_ID_ROOT, FOLDER_GENERIC, L"Search Root", NULL, PR_FINDER_ENTRYID,
     FOLDER_FINDER_VALID, 0},
    {FOLDER_ID_INBOX, FOLDER_ID_IPM_SUBTREE, FOLDER_GENERIC, L"Inbox", L"IPF.Note", 0, FOLDER_IPM_INBOX_VALID, 0},
    {FOLDER_ID_OUTBOX, FOLDER_ID_IPM_SUBTREE, FOLDER_GENERIC, L"Outbox", L"IPF.Note", PR_IPM_OUTBOX_ENTRYID,
     FOLDER_IPM_OUTBOX_VALID, 0},
    {FOLDER_ID_SENT_ITEMS, FOLDER_ID_IPM_SUBTREE, FOLDER_GENERIC, L"Sent Items", L"IPF.Note",
     PR_IPM_SENTMAIL_ENTRYID, FOLDER_IPM_SENTMAIL_VALID, 0},
    {FOLDER_ID_DELETED_ITEMS, FOLDER_ID_IPM_SUBTREE, FOLDER_GENERIC, L"Deleted Items", L"IPF.Note",
     PR_IPM_WASTEBASKET_ENTRYID, FOLDER_IPM_WASTEBASKET_VALID, 0},
    {FOLDER_ID_CONTACTS, FOLDER_ID_IPM_SUBTREE, FOLDER_GENERIC, L"Contacts", L"IPF.Contact", 0, 0,
     PR_IPM_CONTACT_ENTRYID},
    {FOLDER_ID_CALENDAR, FOLDER_ID_IPM_SUBTREE, FOLDER_GENERIC, L"Calendar", L"IPF.Appointment", 0, 0,
     PR_IPM_APPOINTMENT_ENTRYID},
    {FOLDER_ID_DRAFTS, FOLDER_ID_IPM_SUBTREE, FOLDER_GENERIC, L"Drafts", L"IPF.Note", 0, 0, PR_IPM_DRAFTS_ENTRYID},
    {FOLDER_ID_JOURNAL, FOLDER_ID_IPM_SUBTREE, FOLDER_GENERIC, L"Journal", L"IPF.Journal", 0, 0,
     PR_IPM_JOURNAL_ENTRYID},
    {FOLDER_ID_NOTES, FOLDER_ID_IPM_SUBTREE, FOLDER_GENERIC, L"Notes", L"IPF.StickyNote", 0, 0,
     PR_IPM_NOTE_ENTRYID},
    {FOLDER_ID_TASKS, FOLDER_ID_IPM_SUBTREE, FOLDER_GENERIC, L"Tasks", L"IPF.Task", 0, 0, PR_IPM_TASK_ENTRYID},
    /* Named by PR_ADDITIONAL_REN_ENTRYIDS[4] (layout_write). */
    {FOLDER_ID_JUNK, FOLDER_ID_IPM_SUBTREE, FOLDER_GENERIC, L"Junk E-mail", L"IPF.Note", 0, 0, 0},
    {FOLDER_ID_COMMON_VIEWS, FOLDER_ID_ROOT, FOLDER_GENERIC, L"Common Views", NULL, PR_COMMON_VIEWS_ENTRYID,
     FOLDER_COMMON_VIEWS_VALID, 0},
    {FOLDER_ID_VIEWS, FOLDER_ID_ROOT, FOLDER_GENERIC, L"Views", NULL, PR_VIEWS_ENTRYID, FOLDER_VIEWS_VALID, 0},
};
const ULONG layout_folder_count = sizeof(layout_folders) / sizeof(layout_folders[0]);

/* The Inbox receives IPM mail, reports and everything without a more specific entry; the root, IPC. */
static const struct {
    const WCHAR *message_class;
    ULONG folder_id;
} layout_receive_folders[] = {
    {L"", FOLDER_ID_INBOX},
    {L"IPM", FOLDER_ID_INBOX},
    {L"REPORT.IPM", FOLDER_ID_INBOX},
    {L"IPC", FOLDER_ID_ROOT},
};

/* PR_ADDITIONAL_REN_ENTRYIDS: Conflicts, Sync Issues, Local Failures, Server Failures, Junk E-mail. */
#define REN_JUNK_INDEX 4

static void folder_entryid(const MAPIUID *uid, ULONG id, BYTE out[ENTRYID_SIZE])
{
    struct entryid_fields fields = {*uid, ENTRYID_KIND_FOLDER, id};
    entryid_encode(&fields, out);
}

/* Stores value on folder_id, encoded as mapi/propval.h says. */
static int write_prop(struct storage *st, ULONG folder_id, const SPropValue *value)
{
    ULONG size = 0;
    BYTE *bytes;
    int rc;
    if (FAILED(propval_encoded_size(value, CP_ACP, &size)) || !(bytes = malloc(size ? size : 1))) return STORAGE_NO_MEMORY;
    propval_encode(value, CP_ACP, bytes);
    rc = storage_folder_prop_set(st, folder_id, value->ulPropTag, bytes, (int)size);
    free(bytes);
    return rc;
}

/* The special-folder entry IDs of the root folder and the Inbox (writable-store.md §2): clients may change them. */
static int write_special_folder_props(struct storage *st, const MAPIUID *uid, ULONG folder_id)
{
    BYTE ids[ARRAYSIZE(layout_folders)][ENTRYID_SIZE], junk[ENTRYID_SIZE];
    SBinary ren[REN_JUNK_INDEX + 1];
    SPropValue value;
    ULONG i;
    int rc = 0;

    for (i = 0; !rc && i < layout_folder_count; i++) {
        if (!layout_folders[i].root_and_inbox_property) continue;
        folder_entryid(uid, layout_folders[i].id, ids[i]);
        value.ulPropTag = layout_folders[i].root_and_inbox_property;
        value.Value.bin.cb = ENTRYID_SIZE;
        value.Value.bin.lpb = ids[i];
        rc = write_prop(st, folder_id, &value);
    }
    if (rc) return rc;
    memset(ren, 0, sizeof(ren));
    folder_entryid(uid, FOLDER_ID_JUNK, junk);
    ren[REN_JUNK_INDEX].cb = ENTRYID_SIZE;
    ren[REN_JUNK_INDEX].lpb = junk;
    for (i = 0; i < REN_JUNK_INDEX; i++) ren[i].lpb = junk; /* empty entries: cb 0 */
    value.ulPropTag = PR_ADDITIONAL_REN_ENTRYIDS;
    value.Value.MVbin.cValues = ARRAYSIZE(ren);
    value.Value.MVbin.lpbin = ren;
    return write_prop(st, folder_id, &value);
}

int layout_write(struct storage *st, const MAPIUID *uid, LONGLONG now)
{
    WCHAR key[64];
    LONGLONG id;
    ULONG i;
    int rc = storage_identity_set(st, uid->ab, now);

    for (i = 0; !rc && i < layout_folder_count; i++) {
        const struct layout_folder_spec *spec = &layout_folders[i];
        struct storage_folder folder = {0};
        LCMapStringW(LOCALE_INVARIANT, LCMAP_UPPERCASE, spec->display_name, -1, key, ARRAYSIZE(key));
        folder.id = spec->id;
        folder.parent_id = spec->parent_id;
        folder.name = spec->display_name;
        folder.name_key = key;
        folder.comment = L"";
        folder.container_class = spec->container_class;
        folder.folder_type = (LONG)spec->folder_type;
        folder.special = TRUE;
        folder.created = folder.modified = now;
        if (!(rc = storage_folder_insert(st, &folder, &id)) && spec->parent_id)
            rc = storage_folder_add_counts(st, spec->parent_id, 1, 0, 0, 0);
    }
    if (!rc) rc = write_special_folder_props(st, uid, FOLDER_ID_ROOT);
    if (!rc) rc = write_special_folder_props(st, uid, FOLDER_ID_INBOX);
    for (i = 0; !rc && i < ARRAYSIZE(layout_receive_folders); i++) {
        LCMapStringW(LOCALE_INVARIANT, LCMAP_UPPERCASE, layout_receive_folders[i].message_class, -1, key,
                     ARRAYSIZE(key));
        rc = storage_receive_folder_set(st, key, layout_receive_folders[i].message_class,
                                        layout_receive_folders[i].folder_id);
    }
    return rc;
}
