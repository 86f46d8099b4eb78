/* The IMessage objects of an open store. */
#ifndef MSSTORE_MESSAGE_H
#define MSSTORE_MESSAGE_H

#include "lifecycle/open_store.h"

/* OpenEntry's and CreateMessage's lpInterface for a message: NULL, IUnknown, IMessage or IMAPIProp. */
BOOL message_is_interface(LPCIID iid);

/* IMAPIFolder::CreateMessage: a new message in folder_id, in the store once saved (lock held, store live). */
HRESULT message_create(struct open_store *os, ULONGLONG folder_id, BOOL associated, IMessage **out);
/* OpenEntry of a saved message: MAPI_E_NOT_FOUND when there is none (lock held, store live). */
HRESULT message_open(struct open_store *os, ULONGLONG message_id, BOOL writable, IMessage **out);

#endif
