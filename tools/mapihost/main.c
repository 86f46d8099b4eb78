/* mapihost's command line. */
#include "mapihost.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: mapihost walk     [--store FILE] [--dll PATH] [--profile-name NAME] [--display-name NAME] [--trace] [--json]\n"
    "       mapihost check    [--dll PATH] [--trace] [--json]\n"
    "       mapihost mkfolder --store FILE [--dll PATH] PATH\n"
    "       mapihost rmfolder --store FILE [--dll PATH] PATH\n"
    "       mapihost put      --store FILE [--dll PATH] --folder PATH --subject TEXT [--body TEXT]\n"
    "                         [--attach FILE]...\n"
    "       mapihost import   --store FILE [--dll PATH] --folder PATH FILE.msg...\n"
    "       mapihost export   --store FILE [--dll PATH] --folder PATH --out DIR [--entryid HEX] [--ansi]\n"
    "       mapihost backup   --store FILE --out COPY\n"
    "       mapihost verify   --store FILE\n"
    "\n"
    "  walk      log on to the provider's store, show it as Outlook's folder pane would,\n"
    "            log off, and say whether the provider left everything as it should\n"
    "  check     run each lifecycle scenario of the MAPI contract in a process of its own\n"
    "            and judge each one: ok, or FAIL and why\n"
    "  mkfolder  create a folder and its parents, PATH like \"Top of Information Store/Inbox/Projects\"\n"
    "  rmfolder  delete a folder with everything in it\n"
    "  put       save a new message in a folder, through the calls a client makes\n"
    "  import    save each .msg file as a new message of the folder, one line per file\n"
    "  export    write each message of the folder (or the one --entryid names) as DIR/<subject> (<n>).msg\n"
    "  backup    write a consistent copy of a store file, even while another process writes to it\n"
    "  verify    check a store file: SQLite's integrity check and the store's own invariants\n"
    "\n"
    "  --store FILE         the store file (PR_MSSTORE_PATH); walk without it uses a fresh store, removed after\n"
    "  --entryid HEX        export: only the message with this entry ID\n"
    "  --ansi               export: ANSI files, strings in each message's code page (as Outlook's\n"
    "                       \"Outlook Message Format\"), instead of Unicode ones\n"
    "  --messages N         walk: list at most N messages of each folder (default 10; 0: none)\n"
    "  --dll PATH           the provider DLL (default: msstore32.dll beside mapihost.exe)\n"
    "  --profile-name NAME  the profile name Logon is given (default: mapihost)\n"
    "  --display-name NAME  PR_DISPLAY_NAME in the provider's profile section\n"
    "  --trace              print every call the provider makes into the support object\n"
    "  --json               print the verdicts as JSON\n"
    "\n"
    "Exit status: 0 all ok, 1 a verdict failed (or verify found a problem, or a file was refused), 2 bad input (no such DLL or\n"
    "file, not a provider, Logon failed).\n";

void print_trace(void *context, const char *line)
{
    const struct options *options = context;
    fprintf(options->json ? stderr : stdout, "    | %s\n", line);
}

const char *json_string(const char *text, char *out, size_t size)
{
    size_t used = 0;
    out[used++] = '"';
    for (; *text && used + 8 < size; text++) {
        unsigned char c = (unsigned char)*text;
        if (c == '"' || c == '\\') used += (size_t)snprintf(out + used, size - used, "\\%c", c);
        else if (c < 0x20) used += (size_t)snprintf(out + used, size - used, "\\u%04x", c);
        else out[used++] = (char)c;
    }
    out[used++] = '"';
    out[used] = 0;
    return out;
}

/* msstore32.dll in the folder of this program. */
static const char *default_dll(char *path, DWORD size)
{
    char *slash;
    if (!GetModuleFileNameA(NULL, path, size)) return "msstore32.dll";
    slash = strrchr(path, '\\');
    snprintf(slash ? slash + 1 : path, size - (DWORD)(slash ? slash + 1 - path : 0), "msstore32.dll");
    return path;
}

static int parse(int argc, char **argv, struct options *o)
{
    const char *cap = NULL;
    char *end;
    int i;
    for (i = 2; i < argc; i++) {
        const char *arg = argv[i];
        const char **value = !strcmp(arg, "--dll")            ? &o->dll
                             : !strcmp(arg, "--profile-name") ? &o->profile_name
                             : !strcmp(arg, "--display-name") ? &o->display_name
                             : !strcmp(arg, "--store")        ? &o->store
                             : !strcmp(arg, "--out")          ? &o->out
                             : !strcmp(arg, "--folder")       ? &o->folder_path
                             : !strcmp(arg, "--subject")      ? &o->subject
                             : !strcmp(arg, "--body")         ? &o->body
                             : !strcmp(arg, "--messages")     ? &cap
                             : !strcmp(arg, "--entryid")      ? &o->entry_id
                             : !strcmp(arg, "--run-scenario") ? &o->scenario
                             : !strcmp(arg, "--result-file")  ? &o->result_file
                                                              : NULL;
        if (value) {
            if (++i == argc) {
                fprintf(stderr, "mapihost: %s needs a value\n", arg);
                return 0;
            }
            *value = argv[i];
        } else if (!strcmp(arg, "--attach")) {
            if (++i == argc || o->attachment_count == (int)ARRAYSIZE(o->attachments)) {
                fprintf(stderr, "mapihost: --attach needs a file (at most %d)\n", (int)ARRAYSIZE(o->attachments));
                return 0;
            }
            o->attachments[o->attachment_count++] = argv[i];
        } else if (!strcmp(arg, "--trace")) {
            o->trace = TRUE;
        } else if (!strcmp(arg, "--ansi")) {
            o->ansi = TRUE;
        } else if (!strcmp(arg, "--json")) {
            o->json = TRUE;
        } else if (arg[0] != '-' && o->file_count < (int)ARRAYSIZE(o->files)) {
            o->files[o->file_count++] = arg;
        } else {
            fprintf(stderr, "mapihost: unknown option %s\n", arg);
            return 0;
        }
    }
    /* Every command but import takes its one plain argument as the folder's path. */
    if (strcmp(argv[1], "import") && o->file_count) {
        if (o->file_count > 1 || o->folder_path) {
            fprintf(stderr, "mapihost: unexpected argument %s\n", o->files[o->file_count - 1]);
            return 0;
        }
        o->folder_path = o->files[0];
        o->file_count = 0;
    }
    if (cap) {
        long n = strtol(cap, &end, 10);
        if (*end || n < 0 || n > 100000) {
            fprintf(stderr, "mapihost: --messages takes a number from 0 to 100000, not %s\n", cap);
            return 0;
        }
        o->message_cap = (int)n;
    }
    return 1;
}

int main(int argc, char **argv)
{
    struct options options = {.profile_name = "mapihost", .message_cap = 10};
    char dll[MAX_PATH], self[MAX_PATH];
    if (argc < 2 || !parse(argc, argv, &options)) {
        fputs(usage, stderr);
        return EXIT_BAD_INPUT;
    }
    if (!options.dll) options.dll = default_dll(dll, sizeof(dll));
    setvbuf(stdout, NULL, _IONBF, 0); /* trace lines and verdicts in the order they happen */
    if (!strcmp(argv[1], "walk")) return run_walk(&options);
    if (!strcmp(argv[1], "mkfolder")) return run_mkfolder(&options);
    if (!strcmp(argv[1], "rmfolder")) return run_rmfolder(&options);
    if (!strcmp(argv[1], "put")) return run_put(&options);
    if (!strcmp(argv[1], "import")) return run_import(&options);
    if (!strcmp(argv[1], "export")) return run_export(&options);
    if (!strcmp(argv[1], "backup")) return run_backup(&options);
    if (!strcmp(argv[1], "verify")) return run_verify(&options);
    if (!strcmp(argv[1], "check")) {
        if (options.scenario) return run_one_scenario(&options);
        GetModuleFileNameA(NULL, self, sizeof(self));
        return run_check(&options, self);
    }
    fputs(usage, stderr);
    return EXIT_BAD_INPUT;
}
