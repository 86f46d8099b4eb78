/*
 * mapihost: runs a MAPI store provider DLL through a MAPI session without
 * Outlook, on mapisim's MAPI side. `walk` shows the store as Outlook's folder
 * pane would see it; `check` runs the lifecycle scenarios of the documented
 * contract, each in a process of its own, and judges each one. `mkfolder`,
 * `rmfolder` and `put` change a store file through MAPI, `import` and `export`
 * move messages between it and .msg files (tools/msg); `backup` and `verify`
 * work on the file with msstore's storage code.
 */
#ifndef MAPIHOST_H
#define MAPIHOST_H

#include "mapisim.h"

/* Exit codes. */
enum {
    EXIT_OK = 0,
    EXIT_FAILED = 1,    /* a verdict is FAIL */
    EXIT_BAD_INPUT = 2, /* usage, a DLL that cannot be loaded or is no store provider, a failed Logon */
};

struct options {
    const char *dll;          /* the provider DLL */
    const char *profile_name; /* passed to Logon */
    const char *display_name; /* put in the profile section before Logon, or NULL */
    const char *store;        /* --store: the store file (PR_MSSTORE_PATH), or NULL for a scratch one */
    const char *out;          /* --out: backup's copy */
    const char *folder_path;  /* mkfolder/rmfolder/put: "Top of Information Store/Inbox/Projects" */
    const char *subject;      /* put: the new message's subject */
    const char *body;         /* put: its plain-text body, or NULL */
    const char *attachments[16]; /* put: files attached to it (--attach FILE, repeated) */
    int attachment_count;
    const char *files[256];   /* import: the .msg files (every argument that is not an option) */
    int file_count;
    const char *entry_id;     /* export: --entryid HEX, one message instead of the whole folder */
    BOOL ansi;                /* export: --ansi, an ANSI file (strings in the message's code page), not Unicode */
    int message_cap;          /* walk: messages listed per folder (--messages N) */
    BOOL trace;               /* print every call the provider makes into the support object */
    BOOL json;                /* verdicts as JSON */
    const char *scenario;     /* internal: run this one check scenario in this process */
    const char *result_file;  /* internal: where that scenario's verdict goes */
};

/* Prints a trace line from the support object (to stderr under --json, so stdout stays JSON). */
void print_trace(void *context, const char *line);

/* A JSON string literal of text into out. */
const char *json_string(const char *text, char *out, size_t size);

/* A session logged on to the --store file for writing, as a client would have it (store.c). */
struct store_session {
    struct mapisim_provider_dll dll;
    struct mapisim_session s;
    IMAPIFolder *root;
};
int open_session(const struct options *options, struct store_session *ss);
void close_session(struct store_session *ss);
/* FALSE, and a message, when the command has no folder path. */
int need_path(const struct options *options);
/* The folder at path, opened for writing, and its parent (NULL for the root); NULL when there is none. */
IMAPIFolder *find_folder(struct store_session *ss, const char *path, IMAPIFolder **parent);

int run_walk(const struct options *options);
int run_import(const struct options *options);
int run_export(const struct options *options);
int run_mkfolder(const struct options *options);
int run_rmfolder(const struct options *options);
int run_put(const struct options *options);
int run_backup(const struct options *options);
int run_verify(const struct options *options);
int run_check(const struct options *options, const char *self);
/* The child's side of run_check: one scenario, its verdict written to options->result_file. */
int run_one_scenario(const struct options *options);

#endif
