/*
 * mapihost's commands on a store file: mkfolder, rmfolder and put change it
 * the way a client does (through MAPI: CreateFolder, DeleteFolder,
 * CreateMessage, ...), backup and
 * verify work on the file itself, with msstore's storage code (SQLite's online
 * backup and integrity check, and the model's own invariants).
 */
#include "mapihost.h"

#include "storage/storage.h"

#include <stdio.h>
#include <string.h>

/* The --store path, wide; FALSE (and a message) when there is none. */
static BOOL store_path(const struct options *options, WCHAR *path)
{
    if (!options->store) {
        fprintf(stderr, "mapihost: this command needs --store FILE\n");
        return FALSE;
    }
    if (!MultiByteToWideChar(CP_ACP, 0, options->store, -1, path, MAX_PATH)) {
        fprintf(stderr, "mapihost: %s: not a path Windows takes\n", options->store);
        return FALSE;
    }
    return TRUE;
}

static BOOL file_exists(const WCHAR *path) { return GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES; }

int open_session(const struct options *options, struct store_session *ss)
{
    WCHAR path[MAX_PATH];
    char why[512];
    ULONG type = 0;
    HRESULT hr;

    memset(ss, 0, sizeof(*ss));
    if (!store_path(options, path)) return EXIT_BAD_INPUT;
    if (FAILED(mapisim_load_provider(options->dll, &ss->dll, why, sizeof(why)))) {
        fprintf(stderr, "mapihost: %s\n", why);
        return EXIT_BAD_INPUT;
    }
    if (SUCCEEDED(hr = mapisim_session_init(&ss->s, ss->dll.init))) {
        mapisim_support_use_store(&ss->s.support, path);
        hr = mapisim_session_logon(&ss->s, MDB_NO_DIALOG | MDB_WRITE, options->profile_name);
    }
    if (SUCCEEDED(hr))
        hr = ss->s.store->lpVtbl->OpenEntry(ss->s.store, 0, NULL, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&ss->root);
    if (FAILED(hr)) {
        fprintf(stderr, "mapihost: %s: %s\n", options->store, mapisim_hresult_name(hr));
        if (ss->s.store) ss->s.store->lpVtbl->Release(ss->s.store);
        if (ss->s.provider) ss->s.provider->lpVtbl->Release(ss->s.provider);
        mapisim_support_cleanup(&ss->s.support);
        mapisim_unload_provider(&ss->dll);
        return EXIT_BAD_INPUT;
    }
    return EXIT_OK;
}

void close_session(struct store_session *ss)
{
    ULONG zero = 0;
    ss->root->lpVtbl->Release(ss->root);
    ss->s.store->lpVtbl->Release(ss->s.store);
    ss->s.provider->lpVtbl->Shutdown(ss->s.provider, &zero);
    ss->s.provider->lpVtbl->Release(ss->s.provider);
    mapisim_support_cleanup(&ss->s.support);
    mapisim_unload_provider(&ss->dll);
}

/* The next '/'-separated name of a folder path, wide, into name; the rest of the path after it. */
static const char *next_name(const char *path, WCHAR *name, int size)
{
    const char *end = strchr(path, '/');
    int length = end ? (int)(end - path) : (int)strlen(path);
    int units = length ? MultiByteToWideChar(CP_ACP, 0, path, length, name, size - 1) : 0;
    name[units > 0 ? units : 0] = 0;
    return end ? end + 1 : path + length;
}

/* parent's subfolder called name (any case), opened for writing, or NULL. */
static IMAPIFolder *find_subfolder(IMsgStore *store, IMAPIFolder *parent, const WCHAR *name)
{
    SizedSPropTagArray(2, columns) = {2, {PR_ENTRYID, PR_DISPLAY_NAME_W}};
    SPropValue wanted = {PR_DISPLAY_NAME_W, 0, {.lpszW = (WCHAR *)name}};
    SRestriction match = {RES_CONTENT, {.resContent = {FL_FULLSTRING | FL_IGNORECASE, PR_DISPLAY_NAME_W, &wanted}}};
    IMAPIFolder *found = NULL;
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    ULONG type, i;

    if (FAILED(parent->lpVtbl->GetHierarchyTable(parent, MAPI_UNICODE, &table))) return NULL;
    if (SUCCEEDED(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&columns, 0)) &&
        SUCCEEDED(table->lpVtbl->Restrict(table, &match, 0)) && SUCCEEDED(table->lpVtbl->QueryRows(table, 1, 0, &rows))) {
        if (rows->cRows && rows->aRow[0].lpProps[0].ulPropTag == PR_ENTRYID) {
            const SBinary *id = &rows->aRow[0].lpProps[0].Value.bin;
            store->lpVtbl->OpenEntry(store, id->cb, (LPENTRYID)id->lpb, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&found);
        }
        for (i = 0; i < rows->cRows; i++) mapisim_FreeBuffer(rows->aRow[i].lpProps);
        mapisim_FreeBuffer(rows);
    }
    table->lpVtbl->Release(table);
    return found;
}

int need_path(const struct options *options)
{
    if (options->folder_path && *options->folder_path) return 1;
    fprintf(stderr, "mapihost: give the folder's path, for example \"Top of Information Store/Inbox/Projects\"\n");
    return 0;
}

int run_mkfolder(const struct options *options)
{
    struct store_session ss;
    IMAPIFolder *folder;
    const char *rest;
    WCHAR name[MAX_PATH];
    int status;

    if (!need_path(options)) return EXIT_BAD_INPUT;
    if ((status = open_session(options, &ss)) != EXIT_OK) return status;
    folder = ss.root;
    folder->lpVtbl->AddRef(folder);
    for (rest = options->folder_path; *rest && status == EXIT_OK;) {
        IMAPIFolder *child = NULL;
        HRESULT hr;
        rest = next_name(rest, name, ARRAYSIZE(name));
        if (!name[0]) continue;
        hr = folder->lpVtbl->CreateFolder(folder, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL,
                                          MAPI_UNICODE | OPEN_IF_EXISTS, &child);
        if (FAILED(hr)) {
            fprintf(stderr, "mapihost: CreateFolder(\"%ls\") -> %s\n", name, mapisim_hresult_name(hr));
            status = EXIT_FAILED;
            continue;
        }
        folder->lpVtbl->Release(folder);
        folder = child;
    }
    folder->lpVtbl->Release(folder);
    if (status == EXIT_OK) printf("%s: folder \"%s\" is there\n", options->store, options->folder_path);
    close_session(&ss);
    return status;
}

IMAPIFolder *find_folder(struct store_session *ss, const char *path, IMAPIFolder **parent)
{
    IMAPIFolder *folder = ss->root;
    WCHAR name[MAX_PATH];
    const char *rest;
    *parent = NULL;
    folder->lpVtbl->AddRef(folder);
    for (rest = path; *rest && folder;) {
        rest = next_name(rest, name, ARRAYSIZE(name));
        if (!name[0]) continue;
        if (*parent) (*parent)->lpVtbl->Release(*parent);
        *parent = folder;
        folder = find_subfolder(ss->s.store, *parent, name);
    }
    return folder;
}

int run_rmfolder(const struct options *options)
{
    struct store_session ss;
    IMAPIFolder *parent, *folder;
    SPropValue *id = NULL;
    SizedSPropTagArray(1, id_tag) = {1, {PR_ENTRYID}};
    ULONG count = 0;
    HRESULT hr = S_OK;
    int status;

    if (!need_path(options)) return EXIT_BAD_INPUT;
    if ((status = open_session(options, &ss)) != EXIT_OK) return status;
    folder = find_folder(&ss, options->folder_path, &parent);
    if (!folder || !parent) {
        fprintf(stderr, "mapihost: %s: no folder \"%s\"\n", options->store, options->folder_path);
        status = EXIT_FAILED;
    } else if (SUCCEEDED(hr = folder->lpVtbl->GetProps(folder, (LPSPropTagArray)&id_tag, 0, &count, &id)) &&
               id[0].ulPropTag == PR_ENTRYID) {
        hr = ABI_VTBL(IMAPIFolder, parent)
                 ->DeleteFolder(parent, id[0].Value.bin.cb, (LPENTRYID)id[0].Value.bin.lpb, 0, NULL,
                                DEL_FOLDERS | DEL_MESSAGES);
    }
    if (folder && FAILED(hr)) {
        fprintf(stderr, "mapihost: DeleteFolder(\"%s\") -> %s\n", options->folder_path, mapisim_hresult_name(hr));
        status = EXIT_FAILED;
    } else if (folder) {
        printf("%s: folder \"%s\" deleted, with what it held\n", options->store, options->folder_path);
    }
    mapisim_FreeBuffer(id);
    if (folder) folder->lpVtbl->Release(folder);
    if (parent) parent->lpVtbl->Release(parent);
    close_session(&ss);
    return status;
}

/* The name of a file without its folder. */
static const char *file_name(const char *path)
{
    const char *slash = strrchr(path, '\\'), *forward = strrchr(path, '/');
    if (forward > slash) slash = forward;
    return slash ? slash + 1 : path;
}

/* Attaches the file at path to message by value: its name, its bytes through a stream in 64 KB writes. */
static HRESULT attach_file(IMessage *message, const char *path)
{
    static char chunk[65536];
    SPropValue props[3];
    HANDLE file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    IAttach *attach = NULL;
    IStream *data = NULL;
    ULONG num = 0;
    DWORD got = 0;
    HRESULT hr;
    if (file == INVALID_HANDLE_VALUE) return MAPI_E_NOT_FOUND;
    props[0].ulPropTag = PR_ATTACH_METHOD, props[0].Value.l = ATTACH_BY_VALUE;
    props[1].ulPropTag = PR_ATTACH_LONG_FILENAME_A, props[1].Value.lpszA = (char *)file_name(path);
    props[2].ulPropTag = PR_DISPLAY_NAME_A, props[2].Value.lpszA = (char *)file_name(path);
    hr = message->lpVtbl->CreateAttach(message, NULL, 0, &num, &attach);
    if (SUCCEEDED(hr)) hr = attach->lpVtbl->SetProps(attach, ARRAYSIZE(props), props, NULL);
    if (SUCCEEDED(hr))
        hr = attach->lpVtbl->OpenProperty(attach, PR_ATTACH_DATA_BIN, &IID_IStream, 0, MAPI_CREATE | MAPI_MODIFY,
                                          (LPUNKNOWN *)&data);
    while (SUCCEEDED(hr) && ReadFile(file, chunk, sizeof(chunk), &got, NULL) && got)
        hr = data->lpVtbl->Write(data, chunk, got, NULL);
    if (SUCCEEDED(hr)) hr = data->lpVtbl->Commit(data, 0);
    if (data) data->lpVtbl->Release(data);
    if (SUCCEEDED(hr)) hr = attach->lpVtbl->SaveChanges(attach, 0);
    if (attach) attach->lpVtbl->Release(attach);
    CloseHandle(file);
    return hr;
}

/*
 * put: a new message in the folder at --folder, saved through the calls a
 * client makes (CreateMessage, SetProps, a body stream, CreateAttach with a
 * data stream for each --attach, SaveChanges); its entry ID printed.
 */
int run_put(const struct options *options)
{
    SYSTEMTIME now;
    FILETIME delivered;
    SPropValue props[4];
    SizedSPropTagArray(1, id_tag) = {1, {PR_ENTRYID}};
    struct store_session ss;
    IMAPIFolder *parent, *folder;
    IMessage *message = NULL;
    IStream *body = NULL;
    SPropValue *id = NULL;
    ULONG count = 0, i;
    HRESULT hr;
    int status;

    if (!need_path(options)) return EXIT_BAD_INPUT;
    if (!options->subject) {
        fprintf(stderr, "mapihost: put needs --subject TEXT\n");
        return EXIT_BAD_INPUT;
    }
    for (i = 0; i < (ULONG)options->attachment_count; i++)
        if (GetFileAttributesA(options->attachments[i]) == INVALID_FILE_ATTRIBUTES) {
            fprintf(stderr, "mapihost: --attach %s: no such file\n", options->attachments[i]);
            return EXIT_BAD_INPUT;
        }
    if ((status = open_session(options, &ss)) != EXIT_OK) return status;
    if (!(folder = find_folder(&ss, options->folder_path, &parent))) {
        fprintf(stderr, "mapihost: %s: no folder \"%s\"\n", options->store, options->folder_path);
        if (parent) parent->lpVtbl->Release(parent);
        close_session(&ss);
        return EXIT_FAILED;
    }
    GetSystemTime(&now);
    SystemTimeToFileTime(&now, &delivered);
    memset(props, 0, sizeof(props));
    props[0].ulPropTag = PR_MESSAGE_CLASS_A, props[0].Value.lpszA = (char *)"IPM.Note";
    props[1].ulPropTag = PR_SUBJECT_A, props[1].Value.lpszA = (char *)options->subject;
    props[2].ulPropTag = PR_MESSAGE_DELIVERY_TIME, props[2].Value.ft = delivered;
    props[3].ulPropTag = PR_SENDER_NAME_A, props[3].Value.lpszA = (char *)"mapihost";
    hr = folder->lpVtbl->CreateMessage(folder, NULL, 0, &message);
    if (SUCCEEDED(hr)) hr = message->lpVtbl->SetProps(message, ARRAYSIZE(props), props, NULL);
    /* The body goes in as a stream, the way clients write bodies of any size. */
    if (SUCCEEDED(hr) && options->body &&
        SUCCEEDED(hr = message->lpVtbl->OpenProperty(message, PR_BODY_A, &IID_IStream, 0, MAPI_CREATE | MAPI_MODIFY,
                                                     (LPUNKNOWN *)&body))) {
        hr = body->lpVtbl->Write(body, options->body, (ULONG)strlen(options->body), NULL);
        if (SUCCEEDED(hr)) hr = body->lpVtbl->Commit(body, 0);
        body->lpVtbl->Release(body);
    }
    for (i = 0; SUCCEEDED(hr) && i < (ULONG)options->attachment_count; i++) hr = attach_file(message, options->attachments[i]);
    if (SUCCEEDED(hr)) hr = message->lpVtbl->SaveChanges(message, KEEP_OPEN_READONLY);
    if (SUCCEEDED(hr)) hr = message->lpVtbl->GetProps(message, (LPSPropTagArray)&id_tag, 0, &count, &id);
    if (FAILED(hr)) {
        fprintf(stderr, "mapihost: saving the message -> %s\n", mapisim_hresult_name(hr));
        status = EXIT_FAILED;
    } else {
        printf("%s: message \"%s\" saved in \"%s\", entry ID ", options->store, options->subject,
               options->folder_path);
        for (i = 0; id[0].ulPropTag == PR_ENTRYID && i < id[0].Value.bin.cb; i++) printf("%02X", id[0].Value.bin.lpb[i]);
        printf("\n");
    }
    mapisim_FreeBuffer(id);
    if (message) message->lpVtbl->Release(message);
    folder->lpVtbl->Release(folder);
    if (parent) parent->lpVtbl->Release(parent);
    close_session(&ss);
    return status;
}

/* What a storage result means, for a message. */
static const char *storage_problem(int result)
{
    switch (result) {
    case STORAGE_BUSY: return "another program holds the store locked";
    case STORAGE_NO_MEMORY: return "out of memory";
    case STORAGE_DISK_FULL: return "the disk is full";
    case STORAGE_IO_ERROR: return "the file cannot be read or written";
    case STORAGE_CORRUPT: return "not a database, or a damaged one";
    case STORAGE_NOT_A_STORE: return "a database, but not an msstore store";
    case STORAGE_NEWER_SCHEMA: return "made by a newer msstore";
    case STORAGE_READ_ONLY: return "the file or its folder cannot be written";
    default: return "SQLite reported an error";
    }
}

int run_backup(const struct options *options)
{
    WCHAR path[MAX_PATH], copy[MAX_PATH];
    int result;
    if (!store_path(options, path)) return EXIT_BAD_INPUT;
    if (!options->out || !MultiByteToWideChar(CP_ACP, 0, options->out, -1, copy, MAX_PATH)) {
        fprintf(stderr, "mapihost: backup needs --out COPY\n");
        return EXIT_BAD_INPUT;
    }
    if (!file_exists(path)) {
        fprintf(stderr, "mapihost: %s: no such file\n", options->store);
        return EXIT_BAD_INPUT;
    }
    if ((result = storage_backup(path, copy)) != STORAGE_OK) {
        fprintf(stderr, "mapihost: backup of %s: %s\n", options->store, storage_problem(result));
        return EXIT_FAILED;
    }
    printf("%s: a consistent copy is in %s\n", options->store, options->out);
    return EXIT_OK;
}

static void print_problem(void *context, const char *problem)
{
    (void)context;
    printf("  %s\n", problem);
}

int run_verify(const struct options *options)
{
    struct storage *st = NULL;
    WCHAR path[MAX_PATH];
    ULONG problems = 0;
    int result;
    if (!store_path(options, path)) return EXIT_BAD_INPUT;
    if (!file_exists(path)) {
        fprintf(stderr, "mapihost: %s: no such file\n", options->store);
        return EXIT_BAD_INPUT;
    }
    printf("%s:\n", options->store);
    if ((result = storage_open(path, STORAGE_OPEN_READ_ONLY, NULL, &st)) == STORAGE_OK)
        result = storage_verify(st, print_problem, NULL, &problems);
    storage_close(st);
    if (result != STORAGE_OK) {
        printf("  cannot be checked: %s\n", storage_problem(result));
        return EXIT_FAILED;
    }
    if (problems) {
        printf("%lu problem(s)\n", (unsigned long)problems);
        return EXIT_FAILED;
    }
    printf("  integrity check ok; every folder reachable from the root, counts equal to their rows, "
           "no orphan, ids never reused\nno problems\n");
    return EXIT_OK;
}
