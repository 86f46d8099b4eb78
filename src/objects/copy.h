/*
 * IMAPIProp::CopyTo and CopyProps of a message or an attachment, to any
 * object of the same interface: this store's, another store's, or one on a
 * .msg file. What the source holds is read under the open store's lock into
 * a copy_source; the lock is left, and the copy is written through the
 * destination's own methods (which may be this store's, and take the lock).
 */
#ifndef MSSTORE_COPY_H
#define MSSTORE_COPY_H

#include "lifecycle/open_store.h"

struct model_message;
struct model_attachment;
struct copy_source;

/* A message's values, recipients and attachments (embedded messages to any depth), read whole. Lock held. */
HRESULT copy_source_of_message(struct open_store *os, const struct model_message *message, struct copy_source **out);
/* An attachment's values and its embedded message. Lock held. */
HRESULT copy_source_of_attachment(struct open_store *os, const struct model_attachment *attachment,
                                  struct copy_source **out);
void copy_source_free(struct open_store *os, struct copy_source *source);

/*
 * Writes source to dest (an IMessage or an IAttach as source is, not saved:
 * its owner saves it), lock not held: every value but the excluded ones
 * (CopyTo; included NULL) or only the included ones (CopyProps; excluded
 * NULL), recipients and attachments unless PR_MESSAGE_RECIPIENTS and
 * PR_MESSAGE_ATTACHMENTS are left out; with MAPI_NOREPLACE none of dest's
 * values replaced. Named properties go by name: mapped in dest with its
 * GetIDsFromNames(MAPI_CREATE). *problems: the values dest refused, or NULL.
 */
HRESULT copy_source_write(struct open_store *os, const struct copy_source *source, IUnknown *dest,
                          const SPropTagArray *excluded, const SPropTagArray *included, ULONG flags,
                          SPropProblemArray **problems);

/* MAPI_MOVE: the tags of the source's values that a copy with these lists wrote, to delete from the source. */
HRESULT copy_source_moved(struct open_store *os, const struct copy_source *source, const SPropTagArray *excluded,
                          const SPropTagArray *included, SPropTagArray **out);

#endif
