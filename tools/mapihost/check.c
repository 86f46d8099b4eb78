/*
 * mapihost check: the ways MAPI ends a store (contract §7.5) and the other
 * orders it can drive a provider in, each run in a child process of its own
 * so that a provider crashing or hanging in one is that scenario's FAIL, not
 * the end of the run. Verdicts rest on the documented contract only, so they
 * mean the same for any store provider.
 */
#include "mapihost.h"

#include <stdio.h>
#include <string.h>

#define SCENARIO_TIMEOUT_MS 30000

struct run {
    struct mapisim_provider_dll *dll;
    const struct options *options;
    char problems[1024];
};

#define PROBLEM(run, ...) mapisim_add_problem((run)->problems, sizeof((run)->problems), __VA_ARGS__)

/* A provider with one store logged on, as MAPI leaves it after Logon. */
static BOOL begin(struct run *run, struct mapisim_session *s)
{
    HRESULT hr = mapisim_session_init(s, run->dll->init);
    if (run->options->trace) {
        s->support.trace = print_trace;
        s->support.trace_context = (void *)run->options;
    }
    if (FAILED(hr)) {
        PROBLEM(run, "MSProviderInit -> %s", mapisim_hresult_name(hr));
        return FALSE;
    }
    if (FAILED(hr = mapisim_session_logon(s, MDB_NO_DIALOG | MAPI_BEST_ACCESS, run->options->profile_name))) {
        PROBLEM(run, "Logon -> %s", mapisim_hresult_name(hr));
        s->provider->lpVtbl->Release(s->provider);
        s->provider = NULL;
        return FALSE;
    }
    return TRUE;
}

/* The store's last Release: 0, or the provider keeps a reference to itself. */
static void release_store(struct run *run, struct mapisim_session *s)
{
    ULONG left = s->store->lpVtbl->Release(s->store);
    s->store = NULL;
    if (left) PROBLEM(run, "the store's last Release returned %lu", (unsigned long)left);
}

/* MAPI's end of a session: Shutdown, the provider's Release, then what was left. */
static void end(struct run *run, struct mapisim_session *s)
{
    ULONG zero = 0, left;
    HRESULT hr;
    if (s->store) release_store(run, s);
    if (s->provider) {
        if (FAILED(hr = s->provider->lpVtbl->Shutdown(s->provider, &zero)))
            PROBLEM(run, "IMSProvider::Shutdown -> %s", mapisim_hresult_name(hr));
        if ((left = s->provider->lpVtbl->Release(s->provider)))
            PROBLEM(run, "the provider's last Release returned %lu", (unsigned long)left);
        s->provider = NULL;
    }
    mapisim_session_problems(s, run->problems, sizeof(run->problems));
    mapisim_support_cleanup(&s->support);
}

/* What MAPI's final Release of the support object must have found: an IMSLogon it logged off cleanly. */
static void expect_logoff_in_release(struct run *run, const struct mapisim_session *s)
{
    if (!s->support.logoffs_in_release)
        PROBLEM(run, "the support object's count never reached zero after the store's last Release");
    else if (s->support.logoff_in_release_result != S_OK || s->support.logon_release_result != 0)
        PROBLEM(run, "in the support object's final Release, IMSLogon::Logoff -> %s and IMSLogon::Release -> %lu",
                mapisim_hresult_name(s->support.logoff_in_release_result),
                (unsigned long)s->support.logon_release_result);
}

static void expect_transports_flag(struct run *run, const struct mapisim_session *s, ULONG expected)
{
    char got[128], want[128];
    if (s->support.calls[MAPISIM_StoreLogoffTransports] && s->support.logoff_transports_flags != expected)
        PROBLEM(run, "StoreLogoffTransports got %s, not %s",
                mapisim_format_flags(got, sizeof(got), s->support.logoff_transports_flags, mapisim_logoff_flags),
                mapisim_format_flags(want, sizeof(want), expected, mapisim_logoff_flags));
}

/*
 * The IMSLogon MAPI holds, taken back to call it directly; NULL (and said why)
 * when the support object's count already reached zero, which means the
 * provider gave up its support reference too early.
 */
static IMSLogon *take_logon(struct run *run, struct mapisim_session *s)
{
    IMSLogon *logon = mapisim_support_take_logon(&s->support);
    if (!logon) PROBLEM(run, "the support object's count reached zero while the store was open");
    return logon;
}

/* MAPI's session logoff (Path C): Logoff(&0) on the IMSLogon it holds, then its Release. */
static void session_logoff(struct run *run, struct mapisim_session *s)
{
    ULONG left = 0;
    HRESULT hr = mapisim_session_logoff(s, &left);
    if (hr == MAPI_E_NOT_FOUND) {
        PROBLEM(run, "the support object's count reached zero while the store was open");
        return;
    }
    if (hr != S_OK) PROBLEM(run, "IMSLogon::Logoff(&0) -> %s", mapisim_hresult_name(hr));
    if (left) PROBLEM(run, "the IMSLogon's Release after Logoff returned %lu", (unsigned long)left);
}

/* An object the client still holds after logoff must refuse to work (contract §8). */
static void expect_dead(struct run *run, IUnknown *object, const char *what)
{
    IMAPIProp *prop = (IMAPIProp *)object;
    SPropValue *values = NULL;
    ULONG count = 0;
    HRESULT hr = prop->lpVtbl->GetProps(prop, NULL, 0, &count, &values);
    mapisim_FreeBuffer(values);
    if (SUCCEEDED(hr)) PROBLEM(run, "%s still answers GetProps after Logoff", what);
}

static void storelogoff_then_release(struct run *run)
{
    struct mapisim_session s;
    ULONG flags = LOGOFF_NO_WAIT;
    HRESULT hr;
    if (!begin(run, &s)) return end(run, &s);
    if ((hr = s.store->lpVtbl->StoreLogoff(s.store, &flags)) != S_OK)
        PROBLEM(run, "StoreLogoff(LOGOFF_NO_WAIT) -> %s", mapisim_hresult_name(hr));
    release_store(run, &s);
    expect_logoff_in_release(run, &s);
    expect_transports_flag(run, &s, LOGOFF_NO_WAIT);
    end(run, &s);
}

static void release_alone(struct run *run)
{
    struct mapisim_session s;
    if (!begin(run, &s)) return end(run, &s);
    release_store(run, &s);
    expect_logoff_in_release(run, &s);
    expect_transports_flag(run, &s, LOGOFF_ABORT); /* no StoreLogoff came first */
    end(run, &s);
}

static void logoff_with_objects_held(struct run *run)
{
    struct mapisim_session s;
    IUnknown *root = NULL;
    ULONG type = 0, left;
    HRESULT hr;
    if (!begin(run, &s)) return end(run, &s);
    if (FAILED(hr = s.store->lpVtbl->OpenEntry(s.store, 0, NULL, NULL, MAPI_BEST_ACCESS, &type, &root)))
        PROBLEM(run, "OpenEntry of the root folder -> %s", mapisim_hresult_name(hr));
    session_logoff(run, &s);
    if (s.support.refs) PROBLEM(run, "the support object was not released by Logoff");
    expect_dead(run, (IUnknown *)s.store, "the store");
    if (root) {
        expect_dead(run, root, "the root folder");
        if ((left = root->lpVtbl->Release(root))) PROBLEM(run, "the folder's last Release returned %lu", (unsigned long)left);
    }
    end(run, &s);
}

/* The Logoff MAPI makes from inside the support object's final Release must find nothing left to do. */
static void reentrant_logoff(struct run *run)
{
    struct mapisim_session s;
    ULONG flags = LOGOFF_ORDERLY;
    if (!begin(run, &s)) return end(run, &s);
    s.store->lpVtbl->StoreLogoff(s.store, &flags);
    release_store(run, &s);
    expect_logoff_in_release(run, &s);
    if (s.support.calls[MAPISIM_StoreLogoffTransports] > 1)
        PROBLEM(run, "the re-entrant Logoff logged the transports off again");
    end(run, &s);
}

static void logoff_twice(struct run *run)
{
    struct mapisim_session s;
    IMSLogon *logon;
    ULONG zero = 0, left;
    HRESULT first, second;
    if (!begin(run, &s) || !(logon = take_logon(run, &s))) return end(run, &s);
    first = logon->lpVtbl->Logoff(logon, &zero);
    second = logon->lpVtbl->Logoff(logon, &zero);
    if (first != S_OK || second != S_OK)
        PROBLEM(run, "Logoff(&0) twice -> %s, then %s", mapisim_hresult_name(first), mapisim_hresult_name(second));
    if ((left = logon->lpVtbl->Release(logon))) PROBLEM(run, "the IMSLogon's Release returned %lu", (unsigned long)left);
    end(run, &s);
}

/* Logoff's flags are reserved and must point to zero: a refused call must change nothing. */
static void rejected_logoff_flags(struct run *run)
{
    struct mapisim_session s;
    IMSLogon *logon;
    ULONG one = 1;
    LONG refs;
    HRESULT null_flags, nonzero_flags;
    if (!begin(run, &s) || !(logon = take_logon(run, &s))) return end(run, &s);
    refs = s.support.refs;
    null_flags = logon->lpVtbl->Logoff(logon, NULL);
    nonzero_flags = logon->lpVtbl->Logoff(logon, &one);
    if (FAILED(null_flags) && FAILED(nonzero_flags) &&
        (s.support.refs != refs || s.support.calls[MAPISIM_StoreLogoffTransports]))
        PROBLEM(run, "a refused Logoff (-> %s, %s) still logged off", mapisim_hresult_name(null_flags),
                mapisim_hresult_name(nonzero_flags));
    mapisim_support_hold_logon(&s.support, logon); /* back to MAPI, which logs off properly */
    session_logoff(run, &s);
    end(run, &s);
}

/* A final Release without Logoff must still end the store (the transport providers' rule, for stores). */
static void release_without_logoff(struct run *run)
{
    struct mapisim_session s;
    IMSLogon *logon;
    ULONG left;
    if (!begin(run, &s) || !(logon = take_logon(run, &s))) return end(run, &s);
    if ((left = logon->lpVtbl->Release(logon))) PROBLEM(run, "the IMSLogon's Release returned %lu", (unsigned long)left);
    end(run, &s);
}

/* A host that calls Shutdown with a store still open, then lets go of everything as MAPI would. */
static void shutdown_with_logon_open(struct run *run)
{
    struct mapisim_session s;
    ULONG zero = 0;
    HRESULT hr;
    if (!begin(run, &s)) return end(run, &s);
    if (FAILED(hr = s.provider->lpVtbl->Shutdown(s.provider, &zero)))
        PROBLEM(run, "IMSProvider::Shutdown with a logon open -> %s", mapisim_hresult_name(hr));
    release_store(run, &s);
    end(run, &s);
}

/* Each MSProviderInit gives a provider of its own, and the two live side by side. */
static void two_providers(struct run *run)
{
    struct mapisim_session first, second;
    struct mapisim_alloc_stats after_second;
    BOOL first_ok = begin(run, &first), second_ok = begin(run, &second);
    if (first_ok && second_ok && first.provider == second.provider)
        PROBLEM(run, "two MSProviderInit calls gave the same provider object");
    end(run, &second);
    /* MAPI's allocator is shared: what the second left is said once, with it. */
    mapisim_alloc_stats(&after_second);
    first.blocks_at_start += after_second.live_blocks - second.blocks_at_start;
    end(run, &first);
}

static const struct scenario {
    const char *name;
    const char *title;
    void (*run)(struct run *run);
} scenarios[] = {
    {"storelogoff-then-release", "StoreLogoff, then Release", storelogoff_then_release},
    {"release-alone", "Release without StoreLogoff", release_alone},
    {"logoff-with-objects-held", "session Logoff with objects held", logoff_with_objects_held},
    {"reentrant-logoff", "Logoff from the support's Release", reentrant_logoff},
    {"logoff-twice", "Logoff twice", logoff_twice},
    {"rejected-logoff-flags", "Logoff with reserved flags", rejected_logoff_flags},
    {"release-without-logoff", "IMSLogon::Release without Logoff", release_without_logoff},
    {"shutdown-with-logon-open", "Shutdown with a logon open", shutdown_with_logon_open},
    {"two-providers", "two providers side by side", two_providers},
};

/* A provider crashing the child ends it with the exception code: no debugger, no error dialog. */
static LONG WINAPI end_with_exception_code(EXCEPTION_POINTERS *exception)
{
    TerminateProcess(GetCurrentProcess(), exception->ExceptionRecord->ExceptionCode);
    return EXCEPTION_EXECUTE_HANDLER;
}

/* The child: one scenario, its verdict in the result file ("ok", or the problems). */
int run_one_scenario(const struct options *options)
{
    struct mapisim_provider_dll dll;
    struct run run = {&dll, options, ""};
    size_t i;
    FILE *result;
    for (i = 0; i < ARRAYSIZE(scenarios) && strcmp(scenarios[i].name, options->scenario); i++)
        ;
    if (i == ARRAYSIZE(scenarios) || !options->result_file) return EXIT_BAD_INPUT;
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
    SetUnhandledExceptionFilter(end_with_exception_code);
    if (FAILED(mapisim_load_provider(options->dll, &dll, run.problems, sizeof(run.problems)))) return EXIT_BAD_INPUT;
    scenarios[i].run(&run);
    mapisim_unload_provider(&dll);
    if (!(result = fopen(options->result_file, "w"))) return EXIT_BAD_INPUT;
    fputs(*run.problems ? run.problems : "ok", result);
    fclose(result);
    return EXIT_OK;
}

static const char *exception_name(DWORD code)
{
    switch (code) {
    case EXCEPTION_ACCESS_VIOLATION: return "access violation";
    case EXCEPTION_STACK_OVERFLOW: return "stack overflow";
    case EXCEPTION_ILLEGAL_INSTRUCTION: return "illegal instruction";
    case EXCEPTION_INT_DIVIDE_BY_ZERO: return "division by zero";
    case EXCEPTION_BREAKPOINT: return "breakpoint";
    case 0xC0000374: return "heap corruption";
    case 0xC0000409: return "stack buffer overrun";
    default: return "exception";
    }
}

/* Runs one scenario in a child mapihost and puts its verdict in verdict ("ok", or why not). */
static void run_isolated(const struct options *options, const char *self, const struct scenario *scenario,
                         char *verdict, size_t size)
{
    char folder[MAX_PATH], result_file[MAX_PATH], command[3 * MAX_PATH];
    STARTUPINFOA startup;
    PROCESS_INFORMATION process;
    DWORD code = 0;
    FILE *result;

    GetTempPathA(sizeof(folder), folder);
    GetTempFileNameA(folder, "mhc", 0, result_file);
    snprintf(command, sizeof(command), "\"%s\" check --run-scenario %s --dll \"%s\" --profile-name \"%s\" --result-file \"%s\"%s%s",
             self, scenario->name, options->dll, options->profile_name, result_file, options->trace ? " --trace" : "",
             options->json ? " --json" : "");
    memset(&startup, 0, sizeof(startup));
    startup.cb = sizeof(startup);
    startup.dwFlags = STARTF_USESTDHANDLES; /* its trace goes where ours goes */
    startup.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    startup.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    startup.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    if (!CreateProcessA(NULL, command, NULL, NULL, TRUE, 0, NULL, NULL, &startup, &process)) {
        snprintf(verdict, size, "could not start a child mapihost (error %lu)", GetLastError());
        DeleteFileA(result_file);
        return;
    }
    if (WaitForSingleObject(process.hProcess, SCENARIO_TIMEOUT_MS) == WAIT_TIMEOUT) {
        TerminateProcess(process.hProcess, 1);
        WaitForSingleObject(process.hProcess, INFINITE);
        snprintf(verdict, size, "hung: no end after %d s", SCENARIO_TIMEOUT_MS / 1000);
    } else {
        GetExitCodeProcess(process.hProcess, &code);
        verdict[0] = 0;
        if ((result = fopen(result_file, "r"))) {
            if (!fgets(verdict, (int)size, result)) verdict[0] = 0;
            fclose(result);
        }
        if (code >= 0xC0000000 || code == EXCEPTION_BREAKPOINT)
            snprintf(verdict, size, "crashed: %s (0x%08lx)", exception_name(code), (unsigned long)code);
        else if (!verdict[0])
            snprintf(verdict, size, "the child ended with exit code %lu and no verdict", (unsigned long)code);
    }
    CloseHandle(process.hThread);
    CloseHandle(process.hProcess);
    DeleteFileA(result_file);
}

int run_check(const struct options *options, const char *self)
{
    struct mapisim_provider_dll dll;
    char why[512], verdict[1024], json[2 * sizeof(verdict)];
    size_t i, failed = 0;

    /* Bad input is said once, before any scenario. */
    if (FAILED(mapisim_load_provider(options->dll, &dll, why, sizeof(why)))) {
        fprintf(stderr, "mapihost: %s\n", why);
        return EXIT_BAD_INPUT;
    }
    mapisim_unload_provider(&dll);
    if (options->json) printf("{\"command\": \"check\", \"dll\": %s, \"scenarios\": [", json_string(options->dll, json, sizeof(json)));
    for (i = 0; i < ARRAYSIZE(scenarios); i++) {
        BOOL ok;
        if (options->trace && !options->json) printf("%s\n", scenarios[i].title);
        run_isolated(options, self, &scenarios[i], verdict, sizeof(verdict));
        ok = !strcmp(verdict, "ok");
        failed += !ok;
        if (options->json)
            printf("%s\n  {\"name\": \"%s\", \"ok\": %s, \"reason\": %s}", i ? "," : "", scenarios[i].name,
                   ok ? "true" : "false", json_string(ok ? "" : verdict, json, sizeof(json)));
        else
            printf("%-36s %s%s\n", scenarios[i].title, ok ? "ok" : "FAIL: ", ok ? "" : verdict);
    }
    if (options->json)
        printf("\n], \"failed\": %lu, \"ok\": %s}\n", (unsigned long)failed, failed ? "false" : "true");
    else
        printf("%lu of %lu scenarios failed\n", (unsigned long)failed, (unsigned long)ARRAYSIZE(scenarios));
    return failed ? EXIT_FAILED : EXIT_OK;
}
