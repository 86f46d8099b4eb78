/* The IMessage objects of an open store. */
#ifndef MSSTORE_MESSAGE_H
#define MSSTORE_MESSAGE_H

#include "lifecycle/open_store.h"

struct model_message;

/* OpenEntry's and CreateMessage's lpInterface for a message: NULL, IUnknown, IMessage or IMAPIProp. */
BOOL message_is_interface(LPCIID iid);

/* IMAPIFolder::CreateMessage: a new message in folder_id, in the store once saved (lock held, store live). */
HRESULT message_create(struct open_store *os, ULONGLONG folder_id, BOOL associated, IMessage **out);
/* OpenEntry of a saved message: MAPI_E_NOT_FOUND when there is none (lock held, store live). */
HRESULT message_open(struct open_store *os, ULONGLONG message_id, BOOL writable, IMessage **out);

/*
 * A message object for model (which it takes, and frees on failure): owner
 * is NULL for a message in a folder, and for an embedded message the
 * attachment it is saved into (the object holds a reference on it). Lock
 * held, store live.
 */
HRESULT message_from_model(struct open_store *os, struct model_message *model, BOOL writable, IAttach *owner,
                           IMessage **out);
/* S_OK while the message is there: MAPI_E_OBJECT_DELETED once it, or what holds it, is gone (lock held). */
HRESULT message_check(IMessage *iface);
/* The object's copy, for its attachments to save into (lock held). */
struct model_message *message_model(IMessage *iface);

#endif
