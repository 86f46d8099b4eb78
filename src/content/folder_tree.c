#include "content/folder_tree.h"

/* Parents come before their children, and siblings in display order. */
const struct folder_spec folder_tree[] = {
    {FOLDER_ID_ROOT, 0, FOLDER_ROOT, L"", NULL, 0, 0},
    {FOLDER_ID_IPM_SUBTREE, FOLDER_ID_ROOT, FOLDER_GENERIC, L"Top of Information Store", NULL,
     PR_IPM_SUBTREE_ENTRYID, FOLDER_IPM_SUBTREE_VALID},
    {FOLDER_ID_SEARCH_ROOT, FOLDER_ID_ROOT, FOLDER_GENERIC, L"Search Root", NULL, PR_FINDER_ENTRYID,
     FOLDER_FINDER_VALID},
    {FOLDER_ID_INBOX, FOLDER_ID_IPM_SUBTREE, FOLDER_GENERIC, L"Inbox", L"IPF.Note", 0,
     FOLDER_IPM_INBOX_VALID},
    {FOLDER_ID_OUTBOX, FOLDER_ID_IPM_SUBTREE, FOLDER_GENERIC, L"Outbox", L"IPF.Note",
     PR_IPM_OUTBOX_ENTRYID, FOLDER_IPM_OUTBOX_VALID},
    {FOLDER_ID_SENT_ITEMS, FOLDER_ID_IPM_SUBTREE, FOLDER_GENERIC, L"Sent Items", L"IPF.Note",
     PR_IPM_SENTMAIL_ENTRYID, FOLDER_IPM_SENTMAIL_VALID},
    {FOLDER_ID_DELETED_ITEMS, FOLDER_ID_IPM_SUBTREE, FOLDER_GENERIC, L"Deleted Items", L"IPF.Note",
     PR_IPM_WASTEBASKET_ENTRYID, FOLDER_IPM_WASTEBASKET_VALID},
};
const ULONG folder_tree_count = sizeof(folder_tree) / sizeof(folder_tree[0]);

/* The Inbox receives IPM mail and everything without a more specific entry; the root, IPC. */
const struct receive_folder_spec receive_folders[] = {
    {L"", FOLDER_ID_INBOX},
    {L"IPM", FOLDER_ID_INBOX},
    {L"IPC", FOLDER_ID_ROOT},
};
const ULONG receive_folder_count = sizeof(receive_folders) / sizeof(receive_folders[0]);
