/*
 * What messages.c and attachments.c share: the copy an open message or
 * attachment holds of its values, and the parts of saving that recurse
 * through attachments into embedded messages.
 */
#ifndef MSSTORE_MESSAGE_INTERNAL_H
#define MSSTORE_MESSAGE_INTERNAL_H

#include "model/model_internal.h"

/* ---- held values ---- */

struct held_value {
    ULONG tag;  /* as the file keeps it: strings PT_UNICODE */
    ULONG size; /* of the encoding */
    BYTE *data; /* a MAPI block; NULL for a big value left in the file */
    BOOL dirty; /* set since the last save */
};

/* An object's values, with the property ids deleted since the last save (to delete from the file). */
struct held_values {
    const struct mapi_allocators *alloc;
    ULONG count, capacity;
    struct held_value *items; /* a MAPI block */
    ULONG deleted_count, deleted_capacity;
    ULONG *deleted; /* a MAPI block */
};

void held_free(struct held_values *held);
struct held_value *held_find(const struct held_values *held, ULONG prop_id);
/* Puts a value in (replacing the one of its property id, whatever its type); data becomes the list's. */
HRESULT held_put(struct held_values *held, ULONG tag, BYTE *data, ULONG size, BOOL dirty);
/* A copy of from (its big values, left in the file, stay so), with its own blocks of alloc. */
HRESULT held_clone(const struct held_values *from, const struct mapi_allocators *alloc, struct held_values *out);
/* A saved object's values into held: the small ones read, the big ones by size only. */
HRESULT held_load(struct model *model, enum storage_owner owner, LONGLONG id, BOOL with_big,
                  struct held_values *held);
/* The bytes of every value. */
LONGLONG held_size(const struct held_values *held);
/* Adds each held value; big ones as too big (with_big) or not at all; strings cut at cut_strings (0: whole). */
HRESULT held_add_props(struct prop_builder *b, const struct held_values *held, BOOL with_big, ULONG cut_strings);
/*
 * Sets a client's value (not one the object computes or keeps in its row) in
 * the code page given for PT_STRING8; *problem for a value refused.
 */
HRESULT held_set(struct held_values *held, const SPropValue *value, UINT codepage, SCODE *problem);
/* Deletes prop_id's value: *problem MAPI_E_NOT_FOUND when there is none; in_file: the object is saved. */
HRESULT held_delete(struct held_values *held, ULONG prop_id, BOOL in_file, SCODE *problem);
/* The value a stream on tag starts with (model_message_stream_read), read from owner id's file row if big. */
HRESULT held_stream_read(struct model *model, const struct held_values *held, enum storage_owner owner,
                         LONGLONG id, ULONG tag, UINT codepage, BYTE **data, ULONG *size);
/* A stream's bytes as tag's value (strings up to their first terminator, in *text: a block of alloc, or NULL). */
HRESULT held_stream_value(const struct mapi_allocators *alloc, ULONG tag, const BYTE *data, ULONG size,
                          SPropValue *value, BYTE **text);
/* Writes owner id's values to the file: every one (all), else those set since the last save, and the deletions. */
HRESULT held_write(struct model *model, enum storage_owner owner, LONGLONG id, const struct held_values *held,
                   BOOL all);
/* Adds every held value whole, a big one read from owner id's file row, but those skip says. */
HRESULT held_add_whole(struct model *model, struct prop_builder *b, const struct held_values *held,
                       enum storage_owner owner, LONGLONG id, BOOL (*skip)(ULONG tag));
/* After a save committed: nothing is set or deleted since. */
void held_saved(struct held_values *held);

/* ---- messages and their attachments ---- */

/* One recipient row: its PR_ROWID and its values. */
struct recipient {
    ULONG row_id;
    struct held_values values;
};

struct model_attachment;

struct attachment_list {
    ULONG count, capacity;
    struct model_attachment **items; /* a MAPI block; by PR_ATTACH_NUM */
    ULONG deleted_count, deleted_capacity;
    ULONG *deleted; /* numbers deleted since the last save: a MAPI block */
    ULONG next_num; /* PR_ATTACH_NUM of the next one created: numbers are not reused */
};

struct model_message {
    struct mapi_allocators alloc; /* its own copy: the object may outlive the model (a Release after Logoff) */
    ULONG recipient_count, recipient_capacity;
    struct recipient *recipients; /* a MAPI block */
    ULONG next_row_id;
    BOOL recipients_dirty; /* changed since the last save: the save writes them all */
    struct storage_message row;  /* id 0 until the first save; flags, times as the object sees them */
    LONGLONG read_change_number; /* the change it read: a later one by another object is MAPI_E_OBJECT_CHANGED */
    BOOL created_set, modified_set; /* the client set the time since the last save: its value is kept */
    BOOL flags_set;                 /* the client set PR_MESSAGE_FLAGS since the last save: its read state is kept */
    ULONG depth;                    /* 0 in a folder; 1 embedded in one of those; ... */
    struct held_values values;
    struct attachment_list attachments;
};

/* The code page of PT_STRING8 values: PR_MESSAGE_CODEPAGE among values, else the message's, else the system's. */
UINT message_codepage(const struct model_message *m, ULONG count, const SPropValue *values);
/* A new embedded message (in no folder), at depth. */
struct model_message *message_new_embedded(struct model *model, ULONG depth);
/* The saved embedded message message_id; MAPI_E_NOT_FOUND when there is none. */
HRESULT message_open_embedded(struct model *model, LONGLONG message_id, ULONG depth, struct model_message **out);
/* A copy of message (all of it, attachments and embedded messages too), with its own allocators' blocks. */
HRESULT message_clone(const struct model_message *message, struct model_message **out);
/* The bytes of the message: values, recipients, attachments (PR_MESSAGE_SIZE). */
LONGLONG message_size(const struct model_message *m);
/* Writes an embedded message to the file, inside the save's transaction, in attachment attachment_id. */
HRESULT message_write_embedded(struct model *model, const struct model_message *m, LONGLONG attachment_id);
/* What a save does to the copy first: PR_RTF_IN_SYNC deleted when PR_BODY changed and the RTF did not. */
HRESULT message_before_save(struct model_message *m);
/* After a save committed: the message and everything in it as the file holds it. */
void message_saved_values(struct model_message *m);

/* The attachments of a saved message, read with their values (not their embedded messages). */
HRESULT attachments_load(struct model *model, LONGLONG message_id, struct model_message *message);
HRESULT attachments_clone(const struct attachment_list *from, const struct mapi_allocators *alloc,
                          struct attachment_list *out);
void attachments_free(const struct mapi_allocators *alloc, struct attachment_list *list);
LONGLONG attachments_size(const struct attachment_list *list);
/* Writes a message's attachments (all, for a message just inserted; else the changed ones and the deletions). */
HRESULT attachments_write(struct model *model, LONGLONG message_id, const struct attachment_list *list, BOOL all);
void attachments_saved(struct attachment_list *list);

#endif
