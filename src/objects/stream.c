#include "objects/stream.h"

#include "mapi/com.h"

#include <string.h>

/* The most bytes a stream holds: a property value's limit. */
#define STREAM_MAX_SIZE 0x7FFFFFF0u

struct stream {
    IStream IStream_iface;
    LONG refs;
    struct open_store *os;
    IUnknown *owner; /* a reference, for commit */
    ULONG tag;
    BOOL writable;
    BOOL dirty; /* written since the last Commit */
    stream_commit_fn commit;
    BYTE *data; /* a MAPI block of capacity bytes, size of them the stream's */
    ULONG size, capacity;
    ULONGLONG position;
};

static const IID *const stream_iids[] = {&IID_IStream, &IID_ISequentialStream, NULL};
static const IStreamVtbl stream_vtbl;

static inline struct stream *impl_from_IStream(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct stream, IStream_iface);
}

HRESULT stream_create(struct open_store *os, IUnknown *owner, ULONG tag, BYTE *data, ULONG size, BOOL writable,
                      stream_commit_fn commit, IStream **out)
{
    struct stream *stream = mapi_alloc_zeroed(&os->alloc, sizeof(*stream));
    *out = NULL;
    if (!stream) {
        mapi_free(&os->alloc, data);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    stream->IStream_iface.lpVtbl = &stream_vtbl;
    stream->refs = 1;
    stream->os = os;
    stream->owner = owner;
    owner->lpVtbl->AddRef(owner);
    stream->tag = tag;
    stream->writable = writable;
    stream->commit = commit;
    stream->data = data;
    stream->size = stream->capacity = size;
    open_store_register_locked(os);
    *out = &stream->IStream_iface;
    return S_OK;
}

HRESULT stream_open_value(struct open_store *os, IUnknown *owner, ULONG tag, ULONG flags, stream_read_fn read,
                          stream_commit_fn commit, IStream **out)
{
    ULONG type = PROP_TYPE(tag), size = 0;
    BOOL writable = (flags & (MAPI_MODIFY | MAPI_CREATE)) != 0;
    BYTE *data = NULL;
    HRESULT hr;
    *out = NULL;
    if (type != PT_BINARY && type != PT_STRING8 && type != PT_UNICODE) return MAPI_E_NO_SUPPORT;
    /* A stream with MAPI_CREATE replaces the value, empty until written. */
    if (flags & MAPI_CREATE) hr = commit(owner, tag, NULL, 0);
    else hr = read(owner, tag, &data, &size);
    if (FAILED(hr)) return hr;
    return stream_create(os, owner, tag, data, size, writable, commit, out);
}

static HRESULT STDMETHODCALLTYPE stream_QueryInterface(IStream *iface, REFIID riid, void **ppv)
{
    return com_query_interface((IUnknown *)iface, stream_iids, riid, ppv);
}

static ULONG STDMETHODCALLTYPE stream_AddRef(IStream *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IStream(iface)->refs);
}

/* Hands the bytes to the owner (lock held). */
static HRESULT commit_locked(struct stream *stream)
{
    HRESULT hr;
    if (!stream->dirty) return S_OK;
    if (FAILED(hr = stream->commit(stream->owner, stream->tag, stream->data, stream->size))) return hr;
    stream->dirty = FALSE;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE stream_Release(IStream *iface)
{
    struct stream *stream = impl_from_IStream(iface);
    struct open_store *os = stream->os;
    struct mapi_allocators alloc = os->alloc;
    IUnknown *owner = stream->owner;
    LONG refs = InterlockedDecrement(&stream->refs);
    if (refs) return (ULONG)refs;
    /* What was written and not committed goes to the owner now, as if committed; after a logoff, nowhere. */
    if (stream->dirty && SUCCEEDED(open_store_enter(os))) {
        commit_locked(stream);
        open_store_leave(os);
    }
    mapi_free(&alloc, stream->data);
    open_store_unregister(os); /* the owner still holds os */
    mapi_free(&alloc, stream);
    owner->lpVtbl->Release(owner);
    return 0;
}

static HRESULT STDMETHODCALLTYPE stream_Read(IStream *iface, void *pv, ULONG cb, ULONG *pcbRead)
{
    struct stream *stream = impl_from_IStream(iface);
    ULONG n = 0;
    HRESULT hr;
    if (pcbRead) *pcbRead = 0;
    if (FAILED(hr = open_store_enter(stream->os))) return hr;
    if (!pv && cb) hr = STG_E_INVALIDPOINTER;
    if (SUCCEEDED(hr) && stream->position < stream->size) {
        n = (ULONG)min((ULONGLONG)cb, stream->size - stream->position);
        memcpy(pv, stream->data + stream->position, n);
        stream->position += n;
    }
    open_store_leave(stream->os);
    if (pcbRead) *pcbRead = n;
    return hr;
}

/* Room for size bytes (lock held); the caller zeroes what it exposes past the old size. */
static HRESULT reserve(struct stream *stream, ULONGLONG size)
{
    if (size > STREAM_MAX_SIZE) return STG_E_MEDIUMFULL;
    if (!mapi_array_reserve(&stream->os->alloc, (void **)&stream->data, &stream->capacity, stream->size, (ULONG)size,
                            1, 4096))
        return E_OUTOFMEMORY;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE stream_Write(IStream *iface, const void *pv, ULONG cb, ULONG *pcbWritten)
{
    struct stream *stream = impl_from_IStream(iface);
    HRESULT hr;
    if (pcbWritten) *pcbWritten = 0;
    if (FAILED(hr = open_store_enter(stream->os))) return hr;
    if (!stream->writable) hr = STG_E_ACCESSDENIED;
    else if (!pv && cb) hr = STG_E_INVALIDPOINTER;
    else hr = reserve(stream, stream->position + cb);
    if (SUCCEEDED(hr) && cb) {
        if (stream->position > stream->size) memset(stream->data + stream->size, 0, stream->position - stream->size);
        memcpy(stream->data + stream->position, pv, cb);
        stream->position += cb;
        if (stream->position > stream->size) stream->size = (ULONG)stream->position;
        stream->dirty = TRUE;
        if (pcbWritten) *pcbWritten = cb;
    }
    open_store_leave(stream->os);
    return hr;
}

static HRESULT STDMETHODCALLTYPE stream_Seek(IStream *iface, LARGE_INTEGER dlibMove, DWORD dwOrigin,
                                             ULARGE_INTEGER *plibNewPosition)
{
    struct stream *stream = impl_from_IStream(iface);
    LONGLONG base, target;
    HRESULT hr;
    if (FAILED(hr = open_store_enter(stream->os))) return hr;
    switch (dwOrigin) {
    case STREAM_SEEK_SET: base = 0; break;
    case STREAM_SEEK_CUR: base = (LONGLONG)stream->position; break;
    case STREAM_SEEK_END: base = stream->size; break;
    default: hr = STG_E_INVALIDFUNCTION; base = 0; break;
    }
    target = base + dlibMove.QuadPart;
    if (SUCCEEDED(hr) && (target < 0 || (dlibMove.QuadPart > 0 && target < base))) hr = STG_E_INVALIDFUNCTION;
    if (SUCCEEDED(hr)) stream->position = (ULONGLONG)target;
    if (plibNewPosition) plibNewPosition->QuadPart = stream->position;
    open_store_leave(stream->os);
    return hr;
}

static HRESULT STDMETHODCALLTYPE stream_SetSize(IStream *iface, ULARGE_INTEGER libNewSize)
{
    struct stream *stream = impl_from_IStream(iface);
    HRESULT hr;
    if (FAILED(hr = open_store_enter(stream->os))) return hr;
    if (!stream->writable) hr = STG_E_ACCESSDENIED;
    else if (libNewSize.QuadPart > stream->size) hr = reserve(stream, libNewSize.QuadPart);
    if (SUCCEEDED(hr) && libNewSize.QuadPart != stream->size) {
        if (libNewSize.QuadPart > stream->size)
            memset(stream->data + stream->size, 0, (size_t)(libNewSize.QuadPart - stream->size));
        stream->size = (ULONG)libNewSize.QuadPart;
        stream->dirty = TRUE;
    }
    open_store_leave(stream->os);
    return hr;
}

static HRESULT STDMETHODCALLTYPE stream_CopyTo(IStream *iface, IStream *pstm, ULARGE_INTEGER cb,
                                               ULARGE_INTEGER *pcbRead, ULARGE_INTEGER *pcbWritten)
{
    struct stream *stream = impl_from_IStream(iface);
    ULONGLONG done_read = 0, done_written = 0;
    HRESULT hr = S_OK;
    BYTE chunk[4096];
    if (pcbRead) pcbRead->QuadPart = 0;
    if (pcbWritten) pcbWritten->QuadPart = 0;
    if (!pstm) return open_store_refuse(stream->os, STG_E_INVALIDPOINTER);
    /* Chunk by chunk through Read, so that the destination (perhaps another object) is called without the lock. */
    while (SUCCEEDED(hr) && done_read < cb.QuadPart) {
        ULONG n = 0, written = 0;
        hr = stream_Read(iface, chunk, (ULONG)min((ULONGLONG)sizeof(chunk), cb.QuadPart - done_read), &n);
        if (FAILED(hr) || !n) break;
        done_read += n;
        hr = pstm->lpVtbl->Write(pstm, chunk, n, &written);
        done_written += written;
        if (SUCCEEDED(hr) && written != n) hr = STG_E_MEDIUMFULL;
    }
    if (pcbRead) pcbRead->QuadPart = done_read;
    if (pcbWritten) pcbWritten->QuadPart = done_written;
    return hr;
}

static HRESULT STDMETHODCALLTYPE stream_Commit(IStream *iface, DWORD grfCommitFlags)
{
    struct stream *stream = impl_from_IStream(iface);
    HRESULT hr;
    if (FAILED(hr = open_store_enter(stream->os))) return hr;
    if (grfCommitFlags & ~(STGC_OVERWRITE | STGC_ONLYIFCURRENT | STGC_DANGEROUSLYCOMMITMERELYTODISKCACHE))
        hr = STG_E_INVALIDFLAG;
    else hr = commit_locked(stream);
    open_store_leave(stream->os);
    return hr;
}

/* The stream is not transacted: what was written is what it holds, so there is nothing to revert to. */
static HRESULT STDMETHODCALLTYPE stream_Revert(IStream *iface)
{
    return open_store_check_alive(impl_from_IStream(iface)->os);
}

static HRESULT STDMETHODCALLTYPE stream_LockRegion(IStream *iface, ULARGE_INTEGER libOffset, ULARGE_INTEGER cb,
                                                   DWORD dwLockType)
{
    (void)libOffset, (void)cb, (void)dwLockType;
    return open_store_refuse(impl_from_IStream(iface)->os, STG_E_INVALIDFUNCTION);
}

static HRESULT STDMETHODCALLTYPE stream_UnlockRegion(IStream *iface, ULARGE_INTEGER libOffset, ULARGE_INTEGER cb,
                                                     DWORD dwLockType)
{
    (void)libOffset, (void)cb, (void)dwLockType;
    return open_store_refuse(impl_from_IStream(iface)->os, STG_E_INVALIDFUNCTION);
}

/* Stat: the size and the access; the stream has no name (pwcsName NULL whatever grfStatFlag asks). */
static HRESULT STDMETHODCALLTYPE stream_Stat(IStream *iface, STATSTG *pstatstg, DWORD grfStatFlag)
{
    struct stream *stream = impl_from_IStream(iface);
    HRESULT hr;
    if (FAILED(hr = open_store_enter(stream->os))) return hr;
    if (!pstatstg) hr = STG_E_INVALIDPOINTER;
    else if (grfStatFlag & ~(STATFLAG_NONAME | STATFLAG_NOOPEN)) hr = STG_E_INVALIDFLAG;
    if (SUCCEEDED(hr)) {
        memset(pstatstg, 0, sizeof(*pstatstg));
        pstatstg->type = STGTY_STREAM;
        pstatstg->cbSize.QuadPart = stream->size;
        pstatstg->grfMode = stream->writable ? STGM_READWRITE : STGM_READ;
    }
    open_store_leave(stream->os);
    return hr;
}

/* A second stream on the same value, read-only, with its own seek pointer at this one's. */
static HRESULT STDMETHODCALLTYPE stream_Clone(IStream *iface, IStream **ppstm)
{
    struct stream *stream = impl_from_IStream(iface);
    BYTE *copy;
    HRESULT hr;
    if (ppstm) *ppstm = NULL;
    if (FAILED(hr = open_store_enter(stream->os))) return hr;
    if (!ppstm) hr = STG_E_INVALIDPOINTER;
    else if (!(copy = mapi_alloc_copy(&stream->os->alloc, stream->data, stream->size))) hr = E_OUTOFMEMORY;
    else if (SUCCEEDED(hr = stream_create(stream->os, stream->owner, stream->tag, copy, stream->size, FALSE, NULL,
                                          ppstm)))
        impl_from_IStream(*ppstm)->position = stream->position;
    open_store_leave(stream->os);
    return hr;
}

static const IStreamVtbl stream_vtbl = {
    stream_QueryInterface, stream_AddRef, stream_Release, stream_Read,   stream_Write,
    stream_Seek,           stream_SetSize, stream_CopyTo, stream_Commit, stream_Revert,
    stream_LockRegion,     stream_UnlockRegion, stream_Stat, stream_Clone,
};
