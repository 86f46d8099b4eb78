/*
 * The store file shared between processes, and surviving their crashes:
 *
 * - two processes log on to one store file at once and write to it at the
 *   same time; each sees the other's commits, nothing is lost, the file is sound;
 * - a process committing changes is killed at random moments, many times;
 *   after each kill the store opens, passes verify (SQLite's integrity check
 *   and the model's invariants: counts equal rows, every folder reachable
 *   from the root, no orphan), and holds every change whose call had returned.
 *
 * The other processes are this program again, started with a role:
 *   test_processes.exe --writer STORE PREFIX COUNT LOG
 * creates COUNT folders PREFIX0, PREFIX1, ... under the root of STORE and,
 * after each CreateFolder returned S_OK, appends its number to LOG.
 */
#include "harness.h"

#include "storage/storage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONCURRENT_FOLDERS 40
#define KILLS 25
#define FOLDERS_PER_CRASH_RUN 1000

/* ---- the writer, in a process of its own ---- */

/* Appends "n\n" to the log, flushed to the file before the next folder is made. */
static void log_committed(HANDLE log, int n)
{
    char line[16];
    DWORD written;
    int size = snprintf(line, sizeof(line), "%d\n", n);
    WriteFile(log, line, (DWORD)size, &written, NULL);
    FlushFileBuffers(log);
}

static int run_writer(const char *store, const char *prefix, int count, const char *log_path)
{
    struct mapisim_session s;
    IMAPIFolder *root;
    WCHAR path[MAX_PATH];
    HANDLE log = CreateFileA(log_path, FILE_APPEND_DATA, FILE_SHARE_READ, NULL, OPEN_ALWAYS, 0, NULL);
    char name[64];
    int i, failures = 0;

    ULONG type;

    MultiByteToWideChar(CP_ACP, 0, store, -1, path, MAX_PATH);
    if (log == INVALID_HANDLE_VALUE) return 3;
    if (FAILED(mapisim_session_init(&s, MSProviderInit))) return 3;
    mapisim_support_use_store(&s.support, path);
    if (FAILED(mapisim_session_logon(&s, MDB_WRITE, "writer")) ||
        FAILED(s.store->lpVtbl->OpenEntry(s.store, 0, NULL, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&root)))
        return 3;
    for (i = 0; i < count; i++) {
        HRESULT hr;
        snprintf(name, sizeof(name), "%s%d", prefix, i);
        if ((hr = create_folder_named(root, name)) == S_OK) log_committed(log, i);
        else failures++;
    }
    root->lpVtbl->Release(root);
    s.store->lpVtbl->Release(s.store);
    s.provider->lpVtbl->Release(s.provider);
    mapisim_support_cleanup(&s.support);
    CloseHandle(log);
    return failures ? 1 : 0;
}

/* ---- the tests' side ---- */

/* Starts this program as a writer; the process handle. */
static HANDLE start_writer(const WCHAR *store, const char *prefix, int count, const char *log)
{
    char self[MAX_PATH], command[4 * MAX_PATH], store_a[MAX_PATH];
    STARTUPINFOA startup;
    PROCESS_INFORMATION process;
    memset(&startup, 0, sizeof(startup));
    startup.cb = sizeof(startup);
    GetModuleFileNameA(NULL, self, sizeof(self));
    WideCharToMultiByte(CP_ACP, 0, store, -1, store_a, sizeof(store_a), NULL, NULL);
    snprintf(command, sizeof(command), "\"%s\" --writer \"%s\" %s %d \"%s\"", self, store_a, prefix, count, log);
    assert_true(CreateProcessA(NULL, command, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &process));
    CloseHandle(process.hThread);
    return process.hProcess;
}

static DWORD wait_for(HANDLE process)
{
    DWORD code = 99;
    assert_int_equal(WaitForSingleObject(process, 120000), WAIT_OBJECT_0);
    GetExitCodeProcess(process, &code);
    CloseHandle(process);
    return code;
}

/* The names of the root's subfolders, sorted: a crash run leaves tens of thousands. */
struct names {
    char **items;
    size_t count, capacity;
};

static int note_name(void *context, const struct storage_folder *folder)
{
    struct names *names = context;
    char name[256];
    if (folder->parent_id != 1) return STORAGE_OK;
    if (names->count == names->capacity) {
        size_t capacity = names->capacity ? 2 * names->capacity : 256;
        char **items = realloc(names->items, capacity * sizeof(*items));
        if (!items) return STORAGE_NO_MEMORY;
        names->items = items;
        names->capacity = capacity;
    }
    if (!WideCharToMultiByte(CP_UTF8, 0, folder->name, -1, name, sizeof(name), NULL, NULL)) return STORAGE_FAILED;
    if (!(names->items[names->count] = strdup(name))) return STORAGE_NO_MEMORY;
    names->count++;
    return STORAGE_OK;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(struct names *names)
{
    size_t i;
    for (i = 0; i < names->count; i++) free(names->items[i]);
    free(names->items);
    memset(names, 0, sizeof(*names));
}

static void note_problem(void *context, const char *problem)
{
    (void)context;
    print_error("verify: %s\n", problem);
}

/* The store file checked as mapihost verify checks it, then its root's subfolder names. */
static void verify_and_list(const WCHAR *path, struct names *names)
{
    struct storage *st = NULL;
    ULONG problems = 99;
    BOOL unset = TRUE;
    free_names(names);
    assert_int_equal(storage_open(path, STORAGE_OPEN_READ_ONLY, NULL, &st), STORAGE_OK);
    assert_int_equal(storage_verify(st, note_problem, NULL, &problems), STORAGE_OK);
    assert_int_equal(problems, 0);
    /* A writer killed while it set the file up leaves it without a schema, and without a folder. */
    assert_int_equal(storage_needs_schema(st, &unset), STORAGE_OK);
    if (!unset) assert_int_equal(storage_folder_each(st, note_name, names), STORAGE_OK);
    storage_close(st);
    qsort(names->items, names->count, sizeof(*names->items), compare_names);
}

static BOOL has_name(const struct names *names, const char *name)
{
    return names->count && bsearch(&name, names->items, names->count, sizeof(*names->items), compare_names) != NULL;
}

static void scratch_log(char *path, size_t size)
{
    WCHAR wide[MAX_PATH];
    mapisim_scratch_store_path(wide);
    WideCharToMultiByte(CP_ACP, 0, wide, -1, path, (int)size, NULL, NULL);
    strcat(path, ".log");
    DeleteFileA(path);
}

static ULONG row_count(IMAPITable *table)
{
    ULONG count = 0;
    assert_int_equal(table->lpVtbl->GetRowCount(table, 0, &count), S_OK);
    return count;
}

static void two_processes_write_one_store_at_once(void **state)
{
    struct mapisim_session s;
    struct names names = {0};
    IMAPIFolder *root;
    IMAPITable *table = NULL;
    HANDLE other;
    WCHAR path[MAX_PATH];
    char log[MAX_PATH], name[32];
    ULONG before;
    int i, failures = 0;
    (void)state;
    mapisim_scratch_store_path(path);
    scratch_log(log, sizeof(log));
    session_start_on(&s, path);
    root = open_root_for_writing(s.store);
    assert_int_equal(root->lpVtbl->GetHierarchyTable(root, 0, &table), S_OK);
    before = row_count(table);
    other = start_writer(path, "Other", CONCURRENT_FOLDERS, log);
    for (i = 0; i < CONCURRENT_FOLDERS; i++) { /* at the same time as the other process */
        snprintf(name, sizeof(name), "Mine%d", i);
        if (create_folder_named(root, name) != S_OK) failures++;
    }
    assert_int_equal(wait_for(other), 0); /* every one of its writes committed, none lost to ours */
    assert_int_equal(failures, 0);
    /* What the other committed shows at this process's next read of the table. */
    assert_int_equal(row_count(table), before + 2 * CONCURRENT_FOLDERS);
    assert_int_equal(create_folder_named(root, "other0"), MAPI_E_COLLISION);
    table->lpVtbl->Release(table);
    root->lpVtbl->Release(root);
    session_finish(&s);
    verify_and_list(path, &names);
    for (i = 0; i < CONCURRENT_FOLDERS; i++) {
        snprintf(name, sizeof(name), "Mine%d", i);
        assert_true(has_name(&names, name));
        snprintf(name, sizeof(name), "Other%d", i);
        assert_true(has_name(&names, name));
    }
    DeleteFileA(log);
    free_names(&names);
    mapisim_remove_store(path);
}

/* The numbers the writer logged: each folder whose CreateFolder had returned. */
static int committed_numbers(const char *log, int *numbers, int most)
{
    FILE *file = fopen(log, "r");
    int n = 0;
    if (!file) return 0;
    while (n < most && fscanf(file, "%d", &numbers[n]) == 1) n++;
    fclose(file);
    return n;
}

static void a_writer_killed_at_random_leaves_a_sound_store_with_every_commit(void **state)
{
    static int committed[FOLDERS_PER_CRASH_RUN];
    struct names names = {0};
    WCHAR path[MAX_PATH];
    char log[MAX_PATH], prefix[16], name[32];
    ULONG seed = 20261201, total_committed = 0;
    int kill, i, n;
    (void)state;
    mapisim_scratch_store_path(path);
    scratch_log(log, sizeof(log));
    for (kill = 0; kill < KILLS; kill++) {
        HANDLE writer;
        DWORD delay = 100 + next_random(&seed) % 900; /* the first ones during the start and the file's setup */
        snprintf(prefix, sizeof(prefix), "K%d_", kill);
        DeleteFileA(log);
        writer = start_writer(path, prefix, FOLDERS_PER_CRASH_RUN, log);
        Sleep(kill < 3 ? 20 * (DWORD)kill : delay);
        TerminateProcess(writer, 9);
        WaitForSingleObject(writer, INFINITE);
        CloseHandle(writer);
        /* Whatever the moment: the file opens, is sound, and holds every folder whose call had returned. */
        if (GetFileAttributesW(path) == INVALID_FILE_ATTRIBUTES) continue; /* killed before the file existed */
        verify_and_list(path, &names);
        n = committed_numbers(log, committed, FOLDERS_PER_CRASH_RUN);
        for (i = 0; i < n; i++) {
            snprintf(name, sizeof(name), "%s%d", prefix, committed[i]);
            if (!has_name(&names, name)) fail_msg("kill %d: %s had committed, and is gone", kill, name);
        }
        total_committed += (ULONG)n;
        /* And it opens as a store again, through MAPI. */
        {
            struct mapisim_session s;
            session_start_on(&s, path);
            session_finish(&s);
        }
    }
    printf("crash test: a writer killed %d times at random moments; after each kill the store opened, passed "
           "verify and held all %lu folders whose CreateFolder had returned\n",
           KILLS, (unsigned long)total_committed);
    assert_true(total_committed > 0);
    DeleteFileA(log);
    free_names(&names);
    mapisim_remove_store(path);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_processes_write_one_store_at_once),
        cmocka_unit_test(a_writer_killed_at_random_leaves_a_sound_store_with_every_commit),
    };
    if (argc == 6 && !strcmp(argv[1], "--writer")) return run_writer(argv[2], argv[3], atoi(argv[4]), argv[5]);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
