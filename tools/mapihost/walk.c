/*
 * mapihost walk: log on, show the store as Outlook's folder pane sees it (its
 * properties, the folder tree read level by level from hierarchy tables, the
 * IPM receive folder), log off the way Outlook does at exit, and judge what
 * the provider left behind.
 */
#include "mapihost.h"

#include <stdio.h>
#include <string.h>

#define MAX_DEPTH 16

static const struct mapisim_flag_name support_mask_names[] = {
    {STORE_ENTRYID_UNIQUE, "ENTRYID_UNIQUE"}, {STORE_READONLY, "READONLY"},
    {STORE_SEARCH_OK, "SEARCH_OK"},           {STORE_MODIFY_OK, "MODIFY_OK"},
    {STORE_CREATE_OK, "CREATE_OK"},           {STORE_ATTACH_OK, "ATTACH_OK"},
    {STORE_OLE_OK, "OLE_OK"},                 {STORE_SUBMIT_OK, "SUBMIT_OK"},
    {STORE_NOTIFY_OK, "NOTIFY_OK"},           {STORE_MV_PROPS_OK, "MV_PROPS_OK"},
    {STORE_CATEGORIZE_OK, "CATEGORIZE_OK"},   {STORE_RTF_OK, "RTF_OK"},
    {STORE_RESTRICTION_OK, "RESTRICTION_OK"}, {STORE_SORT_OK, "SORT_OK"},
    {STORE_PUBLIC_FOLDERS, "PUBLIC_FOLDERS"}, {STORE_UNCOMPRESSED_RTF, "UNCOMPRESSED_RTF"},
    {STORE_HTML_OK, "HTML_OK"},               {STORE_ANSI_OK, "ANSI_OK"},
    {STORE_UNICODE_OK, "UNICODE_OK"},         {0x00080000, "LOCALSTORE"},
    {0x00200000, "ITEMPROC"},                 {0x00800000, "PUSHER_OK"},
    {0x10000000, "RULES_OK"},                 {0, NULL},
};

static const struct mapisim_flag_name valid_folder_names[] = {
    {FOLDER_IPM_SUBTREE_VALID, "IPM_SUBTREE"},   {FOLDER_IPM_INBOX_VALID, "IPM_INBOX"},
    {FOLDER_IPM_OUTBOX_VALID, "IPM_OUTBOX"},     {FOLDER_IPM_WASTEBASKET_VALID, "IPM_WASTEBASKET"},
    {FOLDER_IPM_SENTMAIL_VALID, "IPM_SENTMAIL"}, {FOLDER_VIEWS_VALID, "VIEWS"},
    {FOLDER_COMMON_VIEWS_VALID, "COMMON_VIEWS"}, {FOLDER_FINDER_VALID, "FINDER"},
    {0, NULL},
};

/* One property, or NULL when the object has none; free with mapisim_FreeBuffer. */
static SPropValue *get_prop(IUnknown *object, ULONG tag)
{
    IMAPIProp *prop = (IMAPIProp *)object;
    SizedSPropTagArray(1, tags) = {1, {tag}};
    SPropValue *value = NULL;
    ULONG count = 0;
    if (FAILED(prop->lpVtbl->GetProps(prop, (LPSPropTagArray)&tags, 0, &count, &value))) return NULL;
    if (count == 1 && PROP_TYPE(value->ulPropTag) != PT_ERROR) return value;
    mapisim_FreeBuffer(value);
    return NULL;
}

static void print_store(FILE *out, IMsgStore *store)
{
    SPropValue *name = get_prop((IUnknown *)store, PR_DISPLAY_NAME_A);
    SPropValue *mask = get_prop((IUnknown *)store, PR_STORE_SUPPORT_MASK);
    SPropValue *provider = get_prop((IUnknown *)store, PR_MDB_PROVIDER);
    SPropValue *valid = get_prop((IUnknown *)store, PR_VALID_FOLDER_MASK);
    char flags[512];
    ULONG i;

    fprintf(out, "Store \"%s\"\n", name ? name->Value.lpszA : "(no PR_DISPLAY_NAME)");
    fprintf(out, "  support mask   %s\n",
           mask ? mapisim_format_flags(flags, sizeof(flags), (ULONG)mask->Value.l, support_mask_names) : "(none)");
    fprintf(out, "  provider UID   ");
    for (i = 0; provider && i < provider->Value.bin.cb; i++) fprintf(out, "%02x", provider->Value.bin.lpb[i]);
    fprintf(out, "%s\n", provider ? "" : "(no PR_MDB_PROVIDER)");
    fprintf(out, "  valid folders  %s\n",
           valid ? mapisim_format_flags(flags, sizeof(flags), (ULONG)valid->Value.l, valid_folder_names) : "(none)");
    mapisim_FreeBuffer(name);
    mapisim_FreeBuffer(mask);
    mapisim_FreeBuffer(provider);
    mapisim_FreeBuffer(valid);
}

static IMAPIFolder *open_folder(IMsgStore *store, ULONG cb, LPENTRYID entryid)
{
    IMAPIFolder *folder = NULL;
    ULONG type = 0;
    if (FAILED(store->lpVtbl->OpenEntry(store, cb, entryid, NULL, MAPI_BEST_ACCESS, &type, (LPUNKNOWN *)&folder)))
        return NULL;
    return folder;
}

static void free_rows(SRowSet *rows)
{
    ULONG i;
    for (i = 0; i < rows->cRows; i++) mapisim_FreeBuffer(rows->aRow[i].lpProps);
    mapisim_FreeBuffer(rows);
}

/* Up to cap of folder's messages, one line each: subject, sender, delivery time, size, attachments. */
static void print_messages(FILE *out, IMAPIFolder *folder, int depth, int cap)
{
    SizedSPropTagArray(5, columns) = {5, {PR_SUBJECT_A, PR_SENDER_NAME_A, PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_SIZE,
                                          PR_HASATTACH}};
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    HRESULT hr;
    ULONG r;
    if (cap <= 0) return;
    if (FAILED(hr = folder->lpVtbl->GetContentsTable(folder, 0, &table))) {
        fprintf(out, "%*s(GetContentsTable -> %s)\n", 2 * depth, "", mapisim_hresult_name(hr));
        return;
    }
    if (SUCCEEDED(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&columns, 0)) &&
        SUCCEEDED(table->lpVtbl->QueryRows(table, cap, 0, &rows))) {
        for (r = 0; r < rows->cRows; r++) {
            const SPropValue *v = rows->aRow[r].lpProps;
            SYSTEMTIME t = {0};
            if (v[2].ulPropTag == PR_MESSAGE_DELIVERY_TIME) FileTimeToSystemTime(&v[2].Value.ft, &t);
            fprintf(out, "%*s- \"%s\"  from %s  %04u-%02u-%02u %02u:%02u  %ld bytes%s\n", 2 * depth, "",
                    v[0].ulPropTag == PR_SUBJECT_A ? v[0].Value.lpszA : "",
                    v[1].ulPropTag == PR_SENDER_NAME_A ? v[1].Value.lpszA : "(no sender)", t.wYear, t.wMonth, t.wDay,
                    t.wHour, t.wMinute, v[3].ulPropTag == PR_MESSAGE_SIZE ? (long)v[3].Value.l : 0L,
                    v[4].ulPropTag == PR_HASATTACH && v[4].Value.b ? "  with attachments" : "");
        }
        free_rows(rows);
    }
    table->lpVtbl->Release(table);
}

/* The subfolders of folder, one line each (with their messages), indented by depth, then theirs. */
static void print_subfolders(FILE *out, IMsgStore *store, IMAPIFolder *folder, int depth, int cap)
{
    SizedSPropTagArray(5, columns) = {5, {PR_ENTRYID, PR_DISPLAY_NAME_A, PR_CONTAINER_CLASS_A, PR_CONTENT_COUNT,
                                          PR_SUBFOLDERS}};
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    HRESULT hr;
    ULONG r;

    if (FAILED(hr = folder->lpVtbl->GetHierarchyTable(folder, 0, &table))) {
        fprintf(out, "%*s(GetHierarchyTable -> %s)\n", 2 * depth, "", mapisim_hresult_name(hr));
        return;
    }
    if (SUCCEEDED(table->lpVtbl->SetColumns(table, (LPSPropTagArray)&columns, 0)))
        while (SUCCEEDED(table->lpVtbl->QueryRows(table, 50, 0, &rows)) && rows->cRows) {
            for (r = 0; r < rows->cRows; r++) {
                const SPropValue *v = rows->aRow[r].lpProps;
                BOOL has_messages = v[3].ulPropTag == PR_CONTENT_COUNT && v[3].Value.l > 0;
                BOOL has_subfolders = v[4].ulPropTag == PR_SUBFOLDERS && v[4].Value.b && depth < MAX_DEPTH;
                IMAPIFolder *child;
                fprintf(out, "%*s%-*s %-16s %ld item(s)\n", 2 * depth, "", 36 - 2 * depth,
                       v[1].ulPropTag == PR_DISPLAY_NAME_A ? v[1].Value.lpszA : "(no name)",
                       v[2].ulPropTag == PR_CONTAINER_CLASS_A ? v[2].Value.lpszA : "-",
                       v[3].ulPropTag == PR_CONTENT_COUNT ? (long)v[3].Value.l : 0L);
                if ((!has_subfolders && !(has_messages && cap > 0)) || v[0].ulPropTag != PR_ENTRYID) continue;
                if ((child = open_folder(store, v[0].Value.bin.cb, (LPENTRYID)v[0].Value.bin.lpb))) {
                    if (has_messages) print_messages(out, child, depth + 1, cap);
                    if (has_subfolders) print_subfolders(out, store, child, depth + 1, cap);
                    child->lpVtbl->Release(child);
                }
            }
            free_rows(rows);
            rows = NULL;
        }
    if (rows) free_rows(rows);
    table->lpVtbl->Release(table);
}

static void print_folder_tree(FILE *out, IMsgStore *store, int cap)
{
    IMAPIFolder *root = open_folder(store, 0, NULL);
    fprintf(out, "Folders\n");
    if (!root) {
        fprintf(out, "  (the root folder does not open)\n");
        return;
    }
    fprintf(out, "  (root folder)\n");
    print_subfolders(out, store, root, 2, cap);
    root->lpVtbl->Release(root);
}

static void print_receive_folder(FILE *out, IMsgStore *store)
{
    ENTRYID *entryid = NULL;
    char *explicit_class = NULL;
    IMAPIFolder *folder;
    SPropValue *name = NULL;
    ULONG cb = 0;
    HRESULT hr = store->lpVtbl->GetReceiveFolder(store, (LPTSTR) "IPM", 0, &cb, &entryid, (LPTSTR *)&explicit_class);
    if (FAILED(hr)) {
        fprintf(out, "Receive folder for IPM: GetReceiveFolder -> %s\n", mapisim_hresult_name(hr));
        return;
    }
    if ((folder = open_folder(store, cb, entryid))) {
        name = get_prop((IUnknown *)folder, PR_DISPLAY_NAME_A);
        folder->lpVtbl->Release(folder);
    }
    fprintf(out, "Receive folder for IPM: %s (explicit class \"%s\")\n", name ? name->Value.lpszA : "(does not open)",
           explicit_class ? explicit_class : "");
    mapisim_FreeBuffer(name);
    mapisim_FreeBuffer(entryid);
    mapisim_FreeBuffer(explicit_class);
}

/* Outlook's exit: StoreLogoff, the last Release of the store, Shutdown, the provider's Release. */
static void log_off(FILE *out, struct mapisim_session *s)
{
    ULONG flags = LOGOFF_NO_WAIT, zero = 0;
    char names[128];
    HRESULT hr = s->store->lpVtbl->StoreLogoff(s->store, &flags);
    fprintf(out, "StoreLogoff(LOGOFF_NO_WAIT) -> %s, %s\n", mapisim_hresult_name(hr),
           mapisim_format_flags(names, sizeof(names), flags, mapisim_logoff_flags));
    fprintf(out, "IMsgStore::Release -> %lu\n", (unsigned long)s->store->lpVtbl->Release(s->store));
    s->store = NULL;
    fprintf(out, "IMSProvider::Shutdown -> %s\n", mapisim_hresult_name(s->provider->lpVtbl->Shutdown(s->provider, &zero)));
    fprintf(out, "IMSProvider::Release -> %lu\n", (unsigned long)s->provider->lpVtbl->Release(s->provider));
    s->provider = NULL;
}

static void print_verdict(const struct options *options, const char *problems)
{
    char json[1024];
    if (options->json)
        printf("{\"command\": \"walk\", \"dll\": %s, \"ok\": %s, \"problems\": %s}\n",
               json_string(options->dll, json, sizeof(json) / 2), *problems ? "false" : "true",
               json_string(problems, json + sizeof(json) / 2, sizeof(json) / 2));
    else if (*problems)
        printf("Verdict: FAIL: %s\n", problems);
    else
        printf("Verdict: ok (Logoff called once, support object back to zero, StoreLogoffTransports once, "
               "no MAPI allocation left)\n");
}

int run_walk(const struct options *options)
{
    struct mapisim_provider_dll dll;
    struct mapisim_session s;
    char why[512], problems[1024] = "";
    FILE *out = options->json ? stderr : stdout; /* under --json, stdout is the verdict alone */
    HRESULT hr;

    if (FAILED(mapisim_load_provider(options->dll, &dll, why, sizeof(why)))) {
        fprintf(stderr, "mapihost: %s\n", why);
        return EXIT_BAD_INPUT;
    }
    if (FAILED(hr = mapisim_session_init(&s, dll.init))) {
        fprintf(stderr, "mapihost: MSProviderInit -> %s\n", mapisim_hresult_name(hr));
        mapisim_support_cleanup(&s.support);
        mapisim_unload_provider(&dll);
        return EXIT_BAD_INPUT;
    }
    if (options->trace) {
        s.support.trace = print_trace;
        s.support.trace_context = (void *)options;
    }
    if (options->display_name) {
        SPropValue name = {PR_DISPLAY_NAME_A, 0, {.lpszA = (char *)options->display_name}};
        mapisim_propbag_set(&s.support.profile, 1, &name);
    }
    if (options->store) { /* else the scratch store the profile names, removed at the end */
        WCHAR path[MAX_PATH];
        MultiByteToWideChar(CP_ACP, 0, options->store, -1, path, MAX_PATH);
        mapisim_support_use_store(&s.support, path);
    }
    fprintf(out, "%s: MSProviderInit -> S_OK\n", options->dll);
    if (FAILED(hr = mapisim_session_logon(&s, MDB_NO_DIALOG | MAPI_BEST_ACCESS, options->profile_name))) {
        fprintf(stderr, "mapihost: Logon -> %s\n", mapisim_hresult_name(hr));
        s.provider->lpVtbl->Release(s.provider);
        mapisim_support_cleanup(&s.support);
        mapisim_unload_provider(&dll);
        return EXIT_BAD_INPUT;
    }
    fprintf(out, "Logon -> S_OK\n");
    print_store(out, s.store);
    print_folder_tree(out, s.store, options->message_cap);
    print_receive_folder(out, s.store);
    log_off(out, &s);
    mapisim_session_problems(&s, problems, sizeof(problems));
    if (!s.support.logoffs_in_release) /* MAPI logs off from the support object's final Release */
        mapisim_add_problem(problems, sizeof(problems), "IMSLogon::Logoff never called: the support object's count "
                                                        "never reached zero");
    mapisim_support_cleanup(&s.support);
    mapisim_unload_provider(&dll);
    fprintf(out, "FreeLibrary -> done\n");
    print_verdict(options, problems);
    return *problems ? EXIT_FAILED : EXIT_OK;
}
