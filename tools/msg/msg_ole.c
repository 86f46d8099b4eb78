/* The format layer's backend over ole32's structured storage (StgOpenStorage, StgCreateDocfile). */
#include "msg_ole.h"

#include "msg_cfb.h"

#include <stdio.h>
#include <stdlib.h>

struct ole {
    IStorage *root;
};

static IStorage *storage_of(struct ole *ole, struct msg_storage *storage)
{
    return storage ? (IStorage *)storage : ole->root;
}

static void wide_name(const char *name, WCHAR wide[64])
{
    MultiByteToWideChar(CP_ACP, 0, name, -1, wide, 64);
}

static int result_of(HRESULT hr)
{
    if (SUCCEEDED(hr)) return MSG_OK;
    if (hr == STG_E_FILENOTFOUND || hr == STG_E_PATHNOTFOUND) return MSG_NOT_FOUND;
    if (hr == E_OUTOFMEMORY || hr == STG_E_INSUFFICIENTMEMORY) return MSG_NO_MEMORY;
    return MSG_IO_ERROR;
}

/* parent's storage of that name, opened to read or created to write. */
static int child_storage(void *context, struct msg_storage *parent, const char *name, BOOL create,
                         struct msg_storage **out)
{
    IStorage *under = storage_of(context, parent), *child = NULL;
    WCHAR wide[64];
    HRESULT hr;
    wide_name(name, wide);
    hr = create ? under->lpVtbl->CreateStorage(under, wide, STGM_CREATE | STGM_READWRITE | STGM_SHARE_EXCLUSIVE, 0, 0,
                                               &child)
                : under->lpVtbl->OpenStorage(under, wide, NULL, STGM_READ | STGM_SHARE_EXCLUSIVE, NULL, 0, &child);
    *out = (struct msg_storage *)child;
    return result_of(hr);
}

static int ole_open_storage(void *context, struct msg_storage *parent, const char *name, struct msg_storage **out)
{
    return child_storage(context, parent, name, FALSE, out);
}

static int ole_read_stream(void *context, struct msg_storage *parent, const char *name, unsigned char **bytes,
                           ULONG *size)
{
    IStream *stream = NULL;
    STATSTG stat;
    WCHAR wide[64];
    ULONG got = 0;
    HRESULT hr;
    *bytes = NULL;
    *size = 0;
    wide_name(name, wide);
    hr = storage_of(context, parent)->lpVtbl->OpenStream(storage_of(context, parent), wide, NULL,
                                                          STGM_READ | STGM_SHARE_EXCLUSIVE, 0, &stream);
    if (FAILED(hr)) return result_of(hr);
    hr = stream->lpVtbl->Stat(stream, &stat, STATFLAG_NONAME);
    if (SUCCEEDED(hr) && stat.cbSize.QuadPart > MSG_MOST_STREAM) hr = STG_E_DOCFILECORRUPT;
    if (SUCCEEDED(hr) && stat.cbSize.QuadPart && !(*bytes = malloc((size_t)stat.cbSize.QuadPart))) hr = E_OUTOFMEMORY;
    if (SUCCEEDED(hr) && stat.cbSize.QuadPart)
        hr = stream->lpVtbl->Read(stream, *bytes, (ULONG)stat.cbSize.QuadPart, &got);
    /* A stream whose directory entry claims more than the file holds reads short. */
    if (SUCCEEDED(hr) && got != stat.cbSize.QuadPart) hr = STG_E_DOCFILECORRUPT;
    stream->lpVtbl->Release(stream);
    if (FAILED(hr)) {
        free(*bytes);
        *bytes = NULL;
        return result_of(hr);
    }
    *size = got;
    return MSG_OK;
}

static int ole_create_storage(void *context, struct msg_storage *parent, const char *name, struct msg_storage **out)
{
    return child_storage(context, parent, name, TRUE, out);
}

static int ole_write_stream(void *context, struct msg_storage *parent, const char *name, const unsigned char *bytes,
                            ULONG size)
{
    IStream *stream = NULL;
    WCHAR wide[64];
    ULONG written = 0;
    HRESULT hr;
    wide_name(name, wide);
    hr = storage_of(context, parent)->lpVtbl->CreateStream(
        storage_of(context, parent), wide, STGM_CREATE | STGM_WRITE | STGM_SHARE_EXCLUSIVE, 0, 0, &stream);
    if (SUCCEEDED(hr) && size) hr = stream->lpVtbl->Write(stream, bytes, size, &written);
    if (SUCCEEDED(hr) && written != size) hr = STG_E_MEDIUMFULL;
    if (stream) stream->lpVtbl->Release(stream);
    return result_of(hr);
}

static int ole_set_class(void *context, struct msg_storage *storage, const GUID *clsid)
{
    return result_of(storage_of(context, storage)->lpVtbl->SetClass(storage_of(context, storage), clsid));
}

static void ole_close_storage(void *context, struct msg_storage *storage)
{
    if (storage) ((IStorage *)storage)->lpVtbl->Release((IStorage *)storage);
}

static void backend_over(struct ole *ole, struct msg_backend *b)
{
    b->context = ole;
    b->open_storage = ole_open_storage;
    b->read_stream = ole_read_stream;
    b->create_storage = ole_create_storage;
    b->write_stream = ole_write_stream;
    b->set_class = ole_set_class;
    b->close_storage = ole_close_storage;
}

static int read_at(void *context, ULONGLONG offset, void *bytes, ULONG size)
{
    OVERLAPPED at = {0};
    DWORD got = 0;
    at.Offset = (DWORD)offset, at.OffsetHigh = (DWORD)(offset >> 32);
    return ReadFile(context, bytes, size, &got, &at) && got == size ? MSG_OK : MSG_IO_ERROR;
}

/* msg_cfb_check_directory over the file at path: its directory must be a tree before ole32 walks it. */
static int check_directory(const WCHAR *path, char *why, size_t why_size)
{
    HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    LARGE_INTEGER size;
    int rc;
    if (file == INVALID_HANDLE_VALUE) {
        snprintf(why, why_size, "cannot be opened (error %lu)", (unsigned long)GetLastError());
        return MSG_BAD_FILE;
    }
    rc = GetFileSizeEx(file, &size) ? msg_cfb_check_directory(read_at, file, (ULONGLONG)size.QuadPart, why, why_size)
                                    : MSG_IO_ERROR;
    CloseHandle(file);
    if (rc == MSG_IO_ERROR) snprintf(why, why_size, "cannot be read (error %lu)", (unsigned long)GetLastError());
    return rc == MSG_IO_ERROR ? MSG_BAD_FILE : rc;
}

int msg_ole_read(const WCHAR *path, struct msg_file *out, char *why, size_t why_size)
{
    struct msg_backend backend;
    struct ole ole = {NULL};
    HRESULT hr = StgIsStorageFile(path);
    int rc;
    memset(out, 0, sizeof(*out));
    if (hr == S_FALSE) {
        snprintf(why, why_size, "not a compound file");
        return MSG_BAD_FILE;
    }
    if (SUCCEEDED(hr) && (rc = check_directory(path, why, why_size)) != MSG_OK) return rc;
    if (SUCCEEDED(hr)) hr = StgOpenStorage(path, NULL, STGM_READ | STGM_SHARE_DENY_WRITE, NULL, 0, &ole.root);
    if (FAILED(hr)) {
        snprintf(why, why_size, "cannot be opened as a compound file (0x%08lX)", (unsigned long)hr);
        return result_of(hr) == MSG_NO_MEMORY ? MSG_NO_MEMORY : MSG_BAD_FILE;
    }
    backend_over(&ole, &backend);
    rc = msg_read(&backend, out, why, why_size);
    ole.root->lpVtbl->Release(ole.root);
    return rc;
}

int msg_ole_write(const WCHAR *path, const struct msg_file *file)
{
    struct msg_backend backend;
    struct ole ole = {NULL};
    WCHAR partial[MAX_PATH + 16];
    HRESULT hr;
    int rc;
    if (wcslen(path) >= MAX_PATH) return MSG_IO_ERROR;
    /* Written under another name and renamed into place only once whole. */
    swprintf(partial, ARRAYSIZE(partial), L"%ls.partial", path);
    hr = StgCreateDocfile(partial, STGM_CREATE | STGM_READWRITE | STGM_SHARE_EXCLUSIVE, 0, &ole.root);
    if (FAILED(hr)) return result_of(hr);
    backend_over(&ole, &backend);
    rc = msg_write(&backend, file);
    if (rc == MSG_OK) rc = result_of(ole.root->lpVtbl->Commit(ole.root, STGC_DEFAULT));
    ole.root->lpVtbl->Release(ole.root);
    if (rc == MSG_OK && !MoveFileExW(partial, path, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        rc = MSG_IO_ERROR;
    if (rc != MSG_OK) DeleteFileW(partial);
    return rc;
}
