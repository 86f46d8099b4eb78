/*
 * The store as MAPI sees it, kept in its file: the store's identity, its
 * folders by id with their properties, and the receive folders. Every object
 * and table of an open store reads through here, and every change goes
 * through here as one transaction (D16), recording what changed in a
 * struct model_changes for the open store to notify (D19).
 *
 * The model holds no COM objects and calls nothing outside msstore: it is
 * used under the open store's lock. Property lists it returns are MAPI
 * memory (mapi/props.h), built from what is committed when they are read,
 * so another process's commits show on the next read.
 *
 * Errors: the MAPI codes of the method calling (MAPI_E_NOT_FOUND for an id
 * the store does not have, MAPI_E_COLLISION, MAPI_E_BUSY when another
 * process holds the write lock past the busy timeout, MAPI_E_DISK_ERROR,
 * MAPI_E_NOT_ENOUGH_DISK, MAPI_E_CORRUPT_STORE, MAPI_E_VERSION for a file of
 * a newer msstore, MAPI_E_NOT_ENOUGH_MEMORY). A failed change changes nothing.
 */
#ifndef MSSTORE_MODEL_H
#define MSSTORE_MODEL_H

#include "mapi/entryid.h"
#include "mapi/props.h"
#include "model/changes.h"

struct model;

/* msstore's kind of store: PR_MDB_PROVIDER, and PR_PROVIDER_DISPLAY's name for it. */
extern const MAPIUID msstore_provider_uid;
extern const WCHAR msstore_provider_display[];

/* The ids of the initial layout's folders (model/layout.c): fixed, so their entry IDs never change. */
enum layout_folder {
    FOLDER_ID_ROOT = 1,
    FOLDER_ID_IPM_SUBTREE,
    FOLDER_ID_SEARCH_ROOT,
    FOLDER_ID_INBOX,
    FOLDER_ID_OUTBOX,
    FOLDER_ID_SENT_ITEMS,
    FOLDER_ID_DELETED_ITEMS,
    FOLDER_ID_CONTACTS,
    FOLDER_ID_CALENDAR,
    FOLDER_ID_DRAFTS,
    FOLDER_ID_JOURNAL,
    FOLDER_ID_NOTES,
    FOLDER_ID_TASKS,
    FOLDER_ID_JUNK,
    FOLDER_ID_COMMON_VIEWS,
    FOLDER_ID_VIEWS,
};

/* The longest folder name and message class the store takes, in UTF-16 units. */
#define MODEL_NAME_MAX 1024
#define MODEL_CLASS_MAX 255

/* ---- opening ---- */

/*
 * Opens the store file at path, creating an empty one if there is none.
 * *needs_identity: the file is new (or not yet set up) and model_initialize
 * must give it one before anything else is read.
 */
HRESULT model_open(const struct mapi_allocators *alloc, const WCHAR *path, struct model **out, BOOL *needs_identity);
/* Gives a new file its identity and initial layout, one transaction; a no-op if another process just did. */
HRESULT model_initialize(struct model *model, const MAPIUID *uid);
/* What every property list of the store repeats: its name, wrapped entry ID, and whether this logon writes. */
HRESULT model_present(struct model *model, const WCHAR *display_name, ULONG cb_wrapped, const ENTRYID *wrapped,
                      BOOL writable);
void model_close(struct model *model);

const MAPIUID *model_uid(const struct model *model);
const struct mapi_allocators *model_allocators(const struct model *model);
const WCHAR *model_display_name(const struct model *model);
BOOL model_writable(const struct model *model);
/* A logon asking to write gets a store opened read-only made writable (D14 re-open). */
void model_allow_writing(struct model *model);
/* The store's unwrapped entry ID (ENTRYID_SIZE bytes). */
const BYTE *model_store_entryid(const struct model *model);
/* The entry ID of one of the store's objects. */
void model_entryid(const struct model *model, enum entryid_kind kind, ULONGLONG id, BYTE out[ENTRYID_SIZE]);

/*
 * A number that changes each time another connection (another process, or
 * another logon of this one) is found to have committed to the file: a
 * table that last read at another generation reads again.
 */
HRESULT model_generation(struct model *model, ULONG *generation);

/* ---- reading ---- */

/*
 * A consistent view over several reads, and one lock on the file for all of
 * them instead of one per read (what a table does when it reads its rows).
 * Nests; each begin that succeeds has its end.
 */
HRESULT model_read_begin(struct model *model);
void model_read_end(struct model *model);

/* An entry ID of this store, decoded: MAPI_E_INVALID_ENTRYID (not this store's), MAPI_E_NOT_FOUND (no such object). */
HRESULT model_resolve(struct model *model, ULONG cb, const ENTRYID *entryid, struct entryid_fields *fields);

HRESULT model_store_props(struct model *model, struct prop_list *out);
/* Every property of a folder, computed ones included; MAPI_E_NOT_FOUND once it is gone. */
HRESULT model_folder_props(struct model *model, ULONGLONG folder_id, struct prop_list *out);
/* A folder's parent (0 for the root) and whether the store relies on it; MAPI_E_NOT_FOUND once it is gone. */
HRESULT model_folder_parent(struct model *model, ULONGLONG folder_id, ULONGLONG *parent_id, BOOL *special);

/* A row of a table the model lists: the object id (unique in the table) and PR_DEPTH in hierarchy tables. */
struct model_row {
    ULONGLONG id;
    LONG depth;
};
/*
 * folder_id's subfolders, or with all_levels (CONVENIENT_DEPTH) every
 * descendant, depth counted from 0 for its own subfolders, into a MAPI block
 * *rows (free with mapi_free); MAPI_E_NOT_FOUND once folder_id is gone.
 */
/*
 * SaveContentsSort: sort (checked: no categories) becomes the default of
 * folder_id's contents table, and with subfolders of every folder under it,
 * in one transaction. MAPI_E_NOT_FOUND once the folder is gone.
 */
HRESULT model_folder_sort_save(struct model *model, ULONGLONG folder_id, const SSortOrderSet *sort, BOOL subfolders);
/* The default sort of folder_id's contents table as a MAPI block, or NULL when it has none. */
HRESULT model_folder_sort(struct model *model, ULONGLONG folder_id, SSortOrderSet **out);

HRESULT model_hierarchy(struct model *model, ULONGLONG folder_id, BOOL all_levels, struct model_row **rows,
                        ULONG *count);

/* The receive folder of a message class (contract §10.5) and the class that chose it (MODEL_CLASS_MAX + 1 units). */
HRESULT model_receive_folder(struct model *model, const WCHAR *message_class, ULONGLONG *folder_id, WCHAR *explicit_class);
/* The receive-folder table's rows: PR_MESSAGE_CLASS, PR_ENTRYID, PR_RECORD_KEY, PR_INSTANCE_KEY; a MAPI block of lists. */
HRESULT model_receive_folder_rows(struct model *model, struct prop_list **rows, ULONG *count);
void model_free_rows(const struct mapi_allocators *alloc, struct prop_list *rows, ULONG count);

/* ---- changing: one transaction each, recorded in changes ---- */

/*
 * A new subfolder of parent_id; with open_if_exists, a sibling of that name
 * (compared case-insensitively, Unicode case folding) is the answer instead
 * of MAPI_E_COLLISION, with *existed TRUE.
 */
HRESULT model_folder_create(struct model *model, ULONGLONG parent_id, const WCHAR *name, const WCHAR *comment,
                            BOOL open_if_exists, struct model_changes *changes, ULONGLONG *id, BOOL *existed);

/*
 * IMAPIProp::SetProps on a folder: each value set, or refused in problems[i]
 * (MAPI_E_COMPUTED, MAPI_E_INVALID_TYPE, MAPI_E_INVALID_PARAMETER; S_OK when
 * set). A rename to a sibling's name fails the whole call with MAPI_E_COLLISION.
 */
HRESULT model_folder_set_props(struct model *model, ULONGLONG folder_id, ULONG count, const SPropValue *values,
                               SCODE *problems, struct model_changes *changes);
/* IMAPIProp::DeleteProps on a folder; problems[i] as above, MAPI_E_NOT_FOUND for a property it did not have. */
HRESULT model_folder_delete_props(struct model *model, ULONGLONG folder_id, const SPropTagArray *tags,
                                  SCODE *problems, struct model_changes *changes);

/*
 * Deletes parent_id's subfolder folder_id: MAPI_E_HAS_FOLDERS without
 * delete_subfolders when it has any, MAPI_E_HAS_MESSAGES without
 * delete_messages when it or a subfolder holds any, MAPI_E_NO_ACCESS for a
 * folder the store relies on, MAPI_E_NOT_FOUND if it is not parent_id's.
 */
HRESULT model_folder_delete(struct model *model, ULONGLONG parent_id, ULONGLONG folder_id, BOOL delete_subfolders,
                            BOOL delete_messages, struct model_changes *changes);

/*
 * IMAPIFolder::EmptyFolder: folder_id's messages go (its associated ones too
 * with with_associated), and every subfolder with what it holds, but those
 * the store relies on (*kept: how many stayed).
 */
HRESULT model_folder_empty(struct model *model, ULONGLONG folder_id, BOOL with_associated,
                           struct model_changes *changes, ULONG *kept);

/*
 * Copies (or, with move, moves) parent_id's subfolder folder_id into
 * dest_id, named new_name (NULL: its own name), with its subfolders when
 * with_subfolders (a move always takes them). MAPI_E_COLLISION when dest_id
 * has a subfolder of that name, MAPI_E_FOLDER_CYCLE for a move into the
 * folder's own subtree, MAPI_E_NO_ACCESS to move a folder the store relies
 * on. A moved folder keeps its id; *new_id is the copy's (or the moved folder's).
 */
HRESULT model_folder_copy(struct model *model, ULONGLONG parent_id, ULONGLONG folder_id, ULONGLONG dest_id,
                          const WCHAR *new_name, BOOL move, BOOL with_subfolders, struct model_changes *changes,
                          ULONGLONG *new_id);

/* IMsgStore::SetReceiveFolder: folder_id for message_class, or 0 for the store's default (the Inbox for ""). */
HRESULT model_receive_folder_set(struct model *model, const WCHAR *message_class, ULONGLONG folder_id);

/* ---- messages (model/messages.c) ---- */

/*
 * The biggest value (in the file's encoding, mapi/propval.h) that GetProps
 * and tables answer; a bigger one is PT_ERROR/MAPI_E_NOT_ENOUGH_MEMORY there,
 * kept apart in the file and read only when asked for by itself.
 */
#define MODEL_VALUE_INLINE_MAX 16384
/* The characters of a string a table row shows (PST and Exchange cut there too); the message has the rest. */
#define MODEL_ROW_STRING_MAX 255

/*
 * A message as one open object sees it: what it read when it was opened
 * (nothing, for a new one) with the changes it has not saved, in memory, so
 * that SaveChanges writes them as one transaction and a Release without it
 * leaves the store as it was. Big values stay in the file until asked for.
 */
struct model_message;

/* A new message in folder_id (an associated one with associated), not in the store until saved. */
HRESULT model_message_new(struct model *model, ULONGLONG folder_id, BOOL associated, struct model_message **out);
/* The saved message message_id; MAPI_E_NOT_FOUND when there is none. */
HRESULT model_message_open(struct model *model, ULONGLONG message_id, struct model_message **out);
/* Frees a message object's copy; the model need not be open any more. */
void model_message_free(struct model_message *message);

/* The folder of the saved message message_id; MAPI_E_NOT_FOUND when there is none. */
HRESULT model_message_folder_of(struct model *model, ULONGLONG message_id, ULONGLONG *folder_id);
/* Whether message_id is now one of folder_id's messages (associated: its associated ones); a message gone is not. */
HRESULT model_message_in(struct model *model, ULONGLONG message_id, ULONGLONG folder_id, BOOL associated, BOOL *in);
/* The message's folder. */
ULONGLONG model_message_folder(const struct model_message *message);
/* S_OK while the message (or, for a new one, its folder) is in the store; MAPI_E_NOT_FOUND once it is gone. */
HRESULT model_message_check(struct model *model, const struct model_message *message);

/* Every property the object shows: the computed ones, then its values (writable: opened for writing). */
HRESULT model_message_props(struct model *model, const struct model_message *message, BOOL writable,
                            struct prop_list *out);
/* SetProps and DeleteProps on the object's copy; problems[i] per property, as for folders. */
HRESULT model_message_set_props(struct model *model, struct model_message *message, ULONG count,
                                const SPropValue *values, SCODE *problems);
HRESULT model_message_delete_props(struct model *model, struct model_message *message, const SPropTagArray *tags,
                                   SCODE *problems);
/*
 * SaveChanges: the object's changes written in one transaction, the change
 * key and predecessor change list renewed. MAPI_E_OBJECT_CHANGED when
 * another object saved the message since this one read it (unless force),
 * MAPI_E_NOT_FOUND when the message or its folder is gone.
 */
HRESULT model_message_save(struct model *model, struct model_message *message, BOOL force,
                           struct model_changes *changes);

/*
 * What a stream on tag (PT_BINARY, or a string in the width tag asks: a
 * PT_STRING8 one in the message's code page) starts with: the value of the
 * object's copy, read from the file when it is a big one, strings without
 * their terminator; a MAPI block of the message's. MAPI_E_NOT_FOUND when the
 * message has no such value.
 */
HRESULT model_message_stream_read(struct model *model, const struct model_message *message, ULONG tag, BYTE **data,
                                  ULONG *size);
/* A stream's bytes become tag's value on the object's copy (written by its next save). */
HRESULT model_message_stream_write(struct model *model, struct model_message *message, ULONG tag, const BYTE *data,
                                   ULONG size);

/* The code page of the message's PT_STRING8 values: its PR_MESSAGE_CODEPAGE, else the system's. */
UINT model_message_codepage(const struct model_message *message);

/*
 * What CopyTo copies of a message's own: PR_MESSAGE_FLAGS (the store's bits
 * left out), its times, every value a client set, whole (big ones read from
 * the file); computed ones left out. A MAPI block.
 */
HRESULT model_message_values(struct model *model, const struct model_message *message, struct prop_list *out);

/*
 * IMessage::SetReadFlag: MSGFLAG_READ set (or cleared) on the object's copy
 * and, for a saved message, in the store at once (one transaction).
 */
HRESULT model_message_set_read_flag(struct model *model, struct model_message *message, BOOL read,
                                    struct model_changes *changes);

/*
 * Get/SetMessageStatus: *old_status the message's PR_MSG_STATUS; with a
 * nonzero mask, the bits of mask set to new_status's (one transaction; the
 * status is the store's, not a change of the message). MAPI_E_NOT_FOUND for
 * a message that is not folder_id's.
 */
HRESULT model_message_status(struct model *model, ULONGLONG folder_id, ULONGLONG message_id, ULONG new_status,
                             ULONG mask, ULONG *old_status, struct model_changes *changes);

/*
 * IMessage::ModifyRecipients on the object's copy: flags 0 replaces every
 * row, MODRECIP_ADD adds rows (each a new PR_ROWID), MODRECIP_MODIFY and
 * MODRECIP_REMOVE change and remove the rows their entries' PR_ROWID name
 * (MAPI_E_NOT_FOUND for one there is not). PR_DISPLAY_TO, _CC and _BCC follow.
 * A refused call changes nothing.
 */
HRESULT model_message_modify_recipients(struct model *model, struct model_message *message, ULONG flags,
                                        const ADRLIST *mods);
/* The recipient table's rows (PR_ROWID, PR_INSTANCE_KEY and each value), a MAPI block (model_free_rows). */
HRESULT model_message_recipient_rows(struct model *model, const struct model_message *message,
                                     struct prop_list **rows, ULONG *count);

/* A saved message's PR_MESSAGE_CLASS ("" when it has none) and PR_MESSAGE_FLAGS, for fnevNewMail. */
HRESULT model_message_class(struct model *model, ULONGLONG message_id, WCHAR out[MODEL_CLASS_MAX + 1], LONG *flags);

/* folder_id's messages (or its associated ones), in the order they were first saved, for a contents table. */
HRESULT model_messages(struct model *model, ULONGLONG folder_id, BOOL associated, struct model_row **rows,
                       ULONG *count);
/*
 * A contents-table row: the message's computed properties and values,
 * strings cut to MODEL_ROW_STRING_MAX; with only, just the properties it
 * names (the others, bodies included, are not read).
 */
HRESULT model_message_row(struct model *model, ULONGLONG message_id, const SPropTagArray *only,
                          struct prop_list *out);

/*
 * Contents tables in the store's own order (src/model/order.c): the store
 * keeps sort keys of some properties of every message (model_order_make
 * says which), so that a table can read its rows a page at a time, in
 * order, without reading every message.
 */
#define MODEL_ORDER_MAX 8

#define MODEL_ORDER_TEST_MAX 16
struct model_order {
    ULONGLONG folder_id;
    BOOL associated;
    ULONG count;
    struct model_order_key {
        int column; /* the store's: a sort key or a column of its own */
        BOOL descending;
    } keys[MODEL_ORDER_MAX];
    ULONG test_count; /* a restriction made tests of the store's own columns (storage_test); 0: none */
    struct model_order_test {
        int kind, column, relation;
        ULONG count;
        LONGLONG value;
    } tests[MODEL_ORDER_TEST_MAX];
};

/*
 * The order of folder_id's messages (or its associated ones) for sort (NULL
 * or no keys: the order they were first saved in), and with restriction
 * (NULL: none) only those that pass it. Ties go by id in the last key's
 * direction, as in a table that sorts its rows itself. MAPI_E_TOO_COMPLEX
 * for a sort the store does not keep (a key of a property it has no sort
 * keys of, or of another type than the property's) or a restriction it
 * cannot test in the file: only AND, OR, NOT, RES_BITMASK and RES_EXIST of
 * PR_MESSAGE_FLAGS, RES_PROPERTY of PR_MESSAGE_FLAGS (RELOP_EQ, RELOP_NE),
 * PR_MESSAGE_SIZE, PR_CREATION_TIME and PR_LAST_MODIFICATION_TIME, at most
 * MODEL_ORDER_TEST_MAX nodes.
 */
HRESULT model_order_make(ULONGLONG folder_id, BOOL associated, const SSortOrderSet *sort,
                         const SRestriction *restriction, struct model_order *out);
/* At most limit ids (a room of limit) from position first on; *count: how many. */
HRESULT model_order_ids(struct model *model, const struct model_order *order, ULONG first, ULONG limit,
                        ULONGLONG *ids, ULONG *count);
/* Whether message id is in the order (its folder's, normal or associated as the order), and at what position. */
HRESULT model_order_position(struct model *model, const struct model_order *order, ULONGLONG id, BOOL *present,
                             ULONG *position);
HRESULT model_order_count(struct model *model, const struct model_order *order, ULONG *count);
/* The PR_INSTANCE_KEY of message id's row, also of one that is gone. */
void model_order_instance_key(const struct model *model, ULONGLONG id, BYTE out[ENTRYID_SIZE]);

/*
 * Deletes those of ids (message ids) that are folder_id's messages, in one
 * transaction; *missing: how many were not (already gone, or another folder's).
 */
HRESULT model_messages_delete(struct model *model, ULONGLONG folder_id, ULONG count, const ULONGLONG *ids,
                              ULONG *missing, struct model_changes *changes);
/*
 * CopyMessages: those of ids that are folder_id's messages (normal or
 * associated) copied into dest_id, or with move moved there (keeping their
 * ids), in one transaction; *missing as for deleting. A copy has its own
 * entry ID, source key and change key. MAPI_E_NOT_FOUND when dest_id is gone.
 */
HRESULT model_messages_copy(struct model *model, ULONGLONG folder_id, ULONG count, const ULONGLONG *ids,
                            ULONGLONG dest_id, BOOL move, ULONG *missing, struct model_changes *changes);
/* Sets (read) or clears MSGFLAG_READ on those of ids in folder_id, or on all its messages when ids is NULL. */
HRESULT model_messages_set_read(struct model *model, ULONGLONG folder_id, ULONG count, const ULONGLONG *ids,
                                BOOL read, ULONG *missing, struct model_changes *changes);

/* ---- attachments (model/attachments.c) ---- */

/*
 * An attachment as one open IAttach sees it: its own copy, taken from its
 * message's copy, given back to it by model_attachment_save (IAttach's
 * SaveChanges) and written to the file by the message's save. Big values
 * (PR_ATTACH_DATA_BIN) stay in the file until asked for.
 */
struct model_attachment;

/* How deep embedded messages nest: an attachment of a message that deep has no embedded message. */
#define MODEL_EMBEDDING_MAX 100

/* CreateAttach: a new attachment of message, numbered after every one it had; in it once saved into it. */
HRESULT model_attachment_new(struct model *model, struct model_message *message, struct model_attachment **out);
/* OpenAttach: a copy of attachment num of the message's copy; MAPI_E_NOT_FOUND when it has none. */
HRESULT model_attachment_open(struct model *model, const struct model_message *message, ULONG num,
                              struct model_attachment **out);
void model_attachment_free(struct model_attachment *attachment);
/* PR_ATTACH_NUM. */
ULONG model_attachment_num(const struct model_attachment *attachment);
/* The code page of its PT_STRING8 values: its message's. */
UINT model_attachment_codepage(const struct model_attachment *attachment);

/* As for messages: its properties, SetProps, DeleteProps and streams, on the attachment's copy. */
HRESULT model_attachment_props(struct model *model, const struct model_attachment *attachment, BOOL writable,
                               struct prop_list *out);
HRESULT model_attachment_set_props(struct model *model, struct model_attachment *attachment, ULONG count,
                                   const SPropValue *values, SCODE *problems);
HRESULT model_attachment_delete_props(struct model *model, struct model_attachment *attachment,
                                      const SPropTagArray *tags, SCODE *problems);
HRESULT model_attachment_stream_read(struct model *model, const struct model_attachment *attachment, ULONG tag,
                                     BYTE **data, ULONG *size);
HRESULT model_attachment_stream_write(struct model *model, struct model_attachment *attachment, ULONG tag,
                                      const BYTE *data, ULONG size);

/*
 * What CopyTo copies of an attachment: every value a client set, whole (big
 * ones read from the file); computed ones left out. A MAPI block.
 */
HRESULT model_attachment_values(struct model *model, const struct model_attachment *attachment,
                                struct prop_list *out);
/* The message's copy's attachments: how many, and the number of the index-th. */
ULONG model_message_attachment_count(const struct model_message *message);
ULONG model_message_attachment_num(const struct model_message *message, ULONG index);

/* IAttach::SaveChanges: the attachment's copy into its message's (added, or in place of the one of its number). */
HRESULT model_attachment_save(struct model *model, struct model_message *message,
                              const struct model_attachment *attachment);
/* IMessage::DeleteAttach on the message's copy: MAPI_E_NOT_FOUND when it has no attachment num. */
HRESULT model_message_delete_attachment(struct model *model, struct model_message *message, ULONG num);
/* The attachment table's rows (the computed properties and each small value), a MAPI block (model_free_rows). */
HRESULT model_message_attachment_rows(struct model *model, const struct model_message *message,
                                      struct prop_list **rows, ULONG *count);

/*
 * OpenProperty(PR_ATTACH_DATA_OBJ, IID_IMessage): a copy of the embedded
 * message (a new, empty one with create), MAPI_E_NOT_FOUND when there is
 * none, MAPI_E_TOO_COMPLEX deeper than MODEL_EMBEDDING_MAX.
 */
HRESULT model_attachment_embedded(struct model *model, const struct model_attachment *attachment, BOOL create,
                                  struct model_message **out);
/* The embedded message's SaveChanges: a copy of it into the attachment's copy (PR_RTF_IN_SYNC as a save does). */
HRESULT model_attachment_embed(struct model *model, struct model_attachment *attachment,
                               struct model_message *embedded);

/* ---- named properties (model/names.c) ---- */

/* The first id of a named property: ids below it are properties of their own (PS_MAPI). */
#define MODEL_FIRST_NAMED_ID 0x8000

/*
 * GetIDsFromNames: the store's id (as PT_UNSPECIFIED) of each name, mapped
 * anew from 0x8000 up with create (one transaction; MAPI_E_NO_ACCESS on a
 * read-only logon), PROP_TAG(PT_ERROR, 0) for one it does not have, with
 * MAPI_W_ERRORS_RETURNED. A PS_MAPI name with a number below 0x8000 is that
 * property id. NULL names (count 0): every mapped id. A MAPI block.
 */
HRESULT model_ids_from_names(struct model *model, ULONG count, MAPINAMEID **names, BOOL create,
                             SPropTagArray **out);
/*
 * GetNamesFromIDs: the name of each id of *tags (NULL where it has none, or
 * the filters guid, MAPI_NO_STRINGS, MAPI_NO_IDS leave it out, with
 * MAPI_W_ERRORS_RETURNED); an id below 0x8000 is named in PS_MAPI. NULL
 * *tags: every mapped name that passes the filters, and *tags their ids.
 * MAPI blocks.
 */
HRESULT model_names_from_ids(struct model *model, SPropTagArray **tags, const GUID *guid, ULONG flags, ULONG *count,
                             MAPINAMEID ***names);

#endif
