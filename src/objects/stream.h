/*
 * The IStream a message's OpenProperty(IID_IStream) returns: the value's
 * bytes in memory, read and written at a seek pointer, handed back to its
 * owner at Commit (and at the final Release when written since), where they
 * become one of the owner's unsaved changes.
 */
#ifndef MSSTORE_STREAM_H
#define MSSTORE_STREAM_H

#include "lifecycle/open_store.h"

/* What a stream's owner does with its bytes, with the open store's lock held. */
typedef HRESULT (*stream_commit_fn)(IUnknown *owner, ULONG tag, const BYTE *data, ULONG size);

/*
 * A stream over data (a MAPI block of size bytes, which it takes), for the
 * value tag of owner (which it holds a reference on); writable ones commit
 * through commit. Lock held, store live.
 */
HRESULT stream_create(struct open_store *os, IUnknown *owner, ULONG tag, BYTE *data, ULONG size, BOOL writable,
                      stream_commit_fn commit, IStream **out);

/* What a stream's owner holds of tag: a MAPI block of its bytes (MAPI_E_NOT_FOUND when it has none). Lock held. */
typedef HRESULT (*stream_read_fn)(IUnknown *owner, ULONG tag, BYTE **data, ULONG *size);

/*
 * OpenProperty(IID_IStream) of an object whose binary and string values are
 * streams: the whole value, however big, to read; with MAPI_MODIFY to write,
 * which the owner takes through commit at the stream's Commit (or its final
 * Release); with MAPI_CREATE starting empty. Lock held, store live.
 */
HRESULT stream_open_value(struct open_store *os, IUnknown *owner, ULONG tag, ULONG flags, stream_read_fn read,
                          stream_commit_fn commit, IStream **out);

#endif
