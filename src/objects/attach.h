/* The IAttach objects of an open store: a message's attachments. */
#ifndef MSSTORE_ATTACH_H
#define MSSTORE_ATTACH_H

#include "lifecycle/open_store.h"

struct model_attachment;
struct model_message;

/*
 * An attachment object for model (which it takes, and frees on failure) of
 * the message object parent (on which it holds a reference: its SaveChanges
 * goes into parent's copy). Lock held, store live.
 */
HRESULT attach_create(struct open_store *os, IMessage *parent, struct model_attachment *model, BOOL writable,
                      IAttach **out);
/* S_OK while the attachment's message is there (lock held). */
HRESULT attach_check(IAttach *iface);
/* An embedded message's SaveChanges: its copy into the attachment's (lock held). */
HRESULT attach_embed(IAttach *iface, struct model_message *embedded);

#endif
