/*
 * mapihost import and export: .msg files into a folder of the store as new
 * messages, and a folder's messages out as .msg files, through tools/msg
 * (which uses only the MAPI calls a client makes).
 */
#include "mapihost.h"

#include "msg/msg_mapi.h"
#include "msg/msg_ole.h"

#include <stdio.h>
#include <string.h>

static const struct msg_allocator memory = {mapisim_AllocateBuffer, mapisim_AllocateMore, mapisim_FreeBuffer};

/* The message's subject in UTF-8, for the line about it ("(no subject)" without one). */
static void subject_of(IMAPIProp *message, char *out, size_t size)
{
    SizedSPropTagArray(1, tags) = {1, {PR_SUBJECT_W}};
    LPSPropValue value = NULL;
    ULONG count = 0;
    snprintf(out, size, "(no subject)");
    if (SUCCEEDED(message->lpVtbl->GetProps(message, (LPSPropTagArray)&tags, MAPI_UNICODE, &count, &value)) &&
        value[0].ulPropTag == PR_SUBJECT_W)
        WideCharToMultiByte(CP_UTF8, 0, value[0].Value.lpszW, -1, out, (int)size, NULL, NULL);
    mapisim_FreeBuffer(value);
}

/* One file as a new message of folder: saved whole, or not at all. */
static BOOL import_file(IMAPIFolder *folder, const char *file)
{
    WCHAR path[MAX_PATH];
    struct msg_file model;
    IMessage *message = NULL;
    char why[256] = "", subject[512];
    HRESULT hr = S_OK;
    int rc;
    if (!MultiByteToWideChar(CP_ACP, 0, file, -1, path, MAX_PATH)) {
        printf("%s: refused: not a path Windows takes\n", file);
        return FALSE;
    }
    if ((rc = msg_ole_read(path, &model, why, sizeof(why))) != MSG_OK) {
        printf("%s: refused: %s\n", file, rc == MSG_NO_MEMORY ? "out of memory" : why);
        msg_file_free(&model);
        return FALSE;
    }
    hr = folder->lpVtbl->CreateMessage(folder, NULL, 0, &message);
    if (SUCCEEDED(hr)) hr = msg_to_message(&model, message, &memory, why, sizeof(why));
    if (SUCCEEDED(hr) && FAILED(hr = message->lpVtbl->SaveChanges(message, KEEP_OPEN_READONLY)))
        snprintf(why, sizeof(why), "saving the message failed");
    if (SUCCEEDED(hr)) {
        subject_of((IMAPIProp *)message, subject, sizeof(subject));
        printf("%s: imported \"%s\"\n", file, subject);
    } else {
        printf("%s: refused: %s (%s)\n", file, why[0] ? why : "the store refused it", mapisim_hresult_name(hr));
    }
    if (message) message->lpVtbl->Release(message); /* unsaved: nothing of it stays in the store */
    msg_file_free(&model);
    return SUCCEEDED(hr);
}

/* run on the --folder of a session on the --store file; its exit status. */
static int in_folder(const struct options *options,
                     int (*run)(struct store_session *ss, IMAPIFolder *folder, const struct options *options))
{
    struct store_session ss;
    IMAPIFolder *parent, *folder;
    int status = open_session(options, &ss);
    if (status != EXIT_OK) return status;
    if (!(folder = find_folder(&ss, options->folder_path, &parent))) {
        fprintf(stderr, "mapihost: %s: no folder \"%s\"\n", options->store, options->folder_path);
        status = EXIT_FAILED;
    } else {
        status = run(&ss, folder, options);
        folder->lpVtbl->Release(folder);
    }
    if (parent) parent->lpVtbl->Release(parent);
    close_session(&ss);
    return status;
}

static int import_files(struct store_session *ss, IMAPIFolder *folder, const struct options *options)
{
    int i, refused = 0;
    (void)ss;
    for (i = 0; i < options->file_count; i++)
        if (!import_file(folder, options->files[i])) refused++;
    return refused ? EXIT_FAILED : EXIT_OK;
}

int run_import(const struct options *options)
{
    if (!need_path(options)) return EXIT_BAD_INPUT;
    if (!options->file_count) {
        fprintf(stderr, "mapihost: import needs one or more .msg files\n");
        return EXIT_BAD_INPUT;
    }
    return in_folder(options, import_files);
}

/* DIR\<subject, with what Windows forbids in a name made '_'> (<n>).msg */
static void export_path(const char *dir, IMAPIProp *message, int n, WCHAR *path)
{
    SizedSPropTagArray(1, tags) = {1, {PR_SUBJECT_W}};
    LPSPropValue value = NULL;
    WCHAR safe[81] = L"";
    ULONG count = 0, i, length = 0;
    int used = MultiByteToWideChar(CP_ACP, 0, dir, -1, path, MAX_PATH - 100);
    if (SUCCEEDED(message->lpVtbl->GetProps(message, (LPSPropTagArray)&tags, MAPI_UNICODE, &count, &value)) &&
        value[0].ulPropTag == PR_SUBJECT_W)
        for (i = 0; value[0].Value.lpszW[i] && length < 80; i++) {
            WCHAR c = value[0].Value.lpszW[i];
            safe[length++] = c < 0x20 || wcschr(L"\\/:*?\"<>|", c) ? L'_' : c;
        }
    mapisim_FreeBuffer(value);
    while (length && (safe[length - 1] == L' ' || safe[length - 1] == L'.')) length--;
    safe[length] = 0;
    swprintf(path + (used > 0 ? used - 1 : 0), MAX_PATH - (used > 0 ? used - 1 : 0), L"\\%ls (%d).msg",
             length ? safe : L"message", n);
}

/* The message with that entry ID written to DIR; FALSE, and a line, when it could not be. */
static BOOL export_message(struct store_session *ss, const SBinary *id, const struct options *options, int n)
{
    IMessage *message = NULL;
    struct msg_file model;
    WCHAR path[MAX_PATH];
    char subject[512], name[MAX_PATH * 3];
    ULONG type = 0;
    HRESULT hr = ss->s.store->lpVtbl->OpenEntry(ss->s.store, id->cb, (LPENTRYID)id->lpb, &IID_IMessage, 0, &type,
                                                (LPUNKNOWN *)&message);
    int rc = MSG_OK;
    memset(&model, 0, sizeof(model));
    if (SUCCEEDED(hr) && type != MAPI_MESSAGE) hr = MAPI_E_NOT_FOUND;
    if (SUCCEEDED(hr)) hr = msg_from_message(message, &memory, options->ansi, &model);
    if (SUCCEEDED(hr)) {
        export_path(options->out, (IMAPIProp *)message, n, path);
        rc = msg_ole_write(path, &model);
    }
    if (message) subject_of((IMAPIProp *)message, subject, sizeof(subject));
    else snprintf(subject, sizeof(subject), "message %d", n);
    if (FAILED(hr) || rc != MSG_OK) {
        printf("\"%s\": not exported (%s)\n", subject,
               hr == MAPI_E_UNKNOWN_CPID ? "a string has a character its code page lacks: export it without --ansi"
               : FAILED(hr)             ? mapisim_hresult_name(hr)
                                        : "the file could not be written");
    } else {
        WideCharToMultiByte(CP_UTF8, 0, path, -1, name, sizeof(name), NULL, NULL);
        printf("\"%s\": %s\n", subject, name);
    }
    msg_file_free(&model);
    if (message) message->lpVtbl->Release(message);
    return SUCCEEDED(hr) && rc == MSG_OK;
}

static BOOL parse_hex(const char *hex, BYTE *bytes, ULONG most, ULONG *size)
{
    ULONG n = 0;
    unsigned int byte;
    if (strlen(hex) % 2 || strlen(hex) / 2 > most) return FALSE;
    for (; *hex; hex += 2) {
        if (sscanf(hex, "%2x", &byte) != 1) return FALSE;
        bytes[n++] = (BYTE)byte;
    }
    *size = n;
    return n > 0;
}

/* Every message of the folder's contents table, in its order, each to a file. */
static int export_folder(struct store_session *ss, IMAPIFolder *folder, const struct options *options)
{
    SizedSPropTagArray(1, columns) = {1, {PR_ENTRYID}};
    IMAPITable *table = NULL;
    LPSRowSet rows = NULL;
    int n = 0, failed = 0;
    ULONG i;
    HRESULT hr = folder->lpVtbl->GetContentsTable(folder, 0, &table);
    if (SUCCEEDED(hr)) hr = table->lpVtbl->SetColumns(table, (LPSPropTagArray)&columns, 0);
    while (SUCCEEDED(hr) && SUCCEEDED(hr = table->lpVtbl->QueryRows(table, 100, 0, &rows)) && rows->cRows) {
        for (i = 0; i < rows->cRows; i++) {
            n++;
            if (rows->aRow[i].lpProps[0].ulPropTag != PR_ENTRYID ||
                !export_message(ss, &rows->aRow[i].lpProps[0].Value.bin, options, n))
                failed++;
            mapisim_FreeBuffer(rows->aRow[i].lpProps);
        }
        mapisim_FreeBuffer(rows);
        rows = NULL;
    }
    if (table) table->lpVtbl->Release(table);
    if (FAILED(hr)) fprintf(stderr, "mapihost: reading the folder's messages -> %s\n", mapisim_hresult_name(hr));
    return FAILED(hr) || failed ? EXIT_FAILED : EXIT_OK;
}

/* export --entryid: the one message (its folder only checked to be there). */
static int export_one(struct store_session *ss, IMAPIFolder *folder, const struct options *options)
{
    BYTE id_bytes[512];
    SBinary id = {0, id_bytes};
    (void)folder;
    parse_hex(options->entry_id, id_bytes, sizeof(id_bytes), &id.cb);
    return export_message(ss, &id, options, 1) ? EXIT_OK : EXIT_FAILED;
}

int run_export(const struct options *options)
{
    BYTE id_bytes[512];
    ULONG size = 0;
    if (!need_path(options)) return EXIT_BAD_INPUT;
    if (!options->out || GetFileAttributesA(options->out) == INVALID_FILE_ATTRIBUTES ||
        !(GetFileAttributesA(options->out) & FILE_ATTRIBUTE_DIRECTORY)) {
        fprintf(stderr, "mapihost: export needs --out DIR, an existing folder\n");
        return EXIT_BAD_INPUT;
    }
    if (options->entry_id && !parse_hex(options->entry_id, id_bytes, sizeof(id_bytes), &size)) {
        fprintf(stderr, "mapihost: --entryid takes the entry ID in hex, not %s\n", options->entry_id);
        return EXIT_BAD_INPUT;
    }
    return in_folder(options, options->entry_id ? export_one : export_folder);
}
