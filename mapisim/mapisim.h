/*
 * mapisim: a small MAPI side for driving a message-store provider without
 * Outlook. It is what MAPI hands a provider: the three allocators, an IMalloc,
 * and an IMAPISupport, each counting what the provider does with it and able
 * to fail on request. The test suite drives msstore through it.
 *
 * It does what MAPI is documented to do where a provider can observe it: the
 * support object starts with MAPI's own reference, and when its count reaches
 * zero it calls IMSLogon::Logoff(&0) and then IMSLogon::Release on the logon it
 * holds, on the same thread (contract §7.3, §7.5).
 */
#ifndef MAPISIM_H
#define MAPISIM_H

#include <msstore/mapi_abi.h>

/* ---- MAPI allocators: process-wide, thread-safe, accounted ---- */

SCODE STDMETHODCALLTYPE mapisim_AllocateBuffer(ULONG cbSize, LPVOID *lppBuffer);
SCODE STDMETHODCALLTYPE mapisim_AllocateMore(ULONG cbSize, LPVOID lpObject, LPVOID *lppBuffer);
ULONG STDMETHODCALLTYPE mapisim_FreeBuffer(LPVOID lpBuffer);

struct mapisim_alloc_stats {
    LONG calls;       /* AllocateBuffer + AllocateMore calls so far, failed ones included */
    LONG buffer_calls; /* of which AllocateBuffer */
    LONG live_blocks; /* AllocateBuffer blocks not yet freed */
    LONG64 live_bytes; /* bytes in live blocks and the AllocateMore blocks linked to them */
    LONG bad_frees;   /* FreeBuffer of something that is not a live AllocateBuffer block */
};

void mapisim_alloc_stats(struct mapisim_alloc_stats *stats);
/* The n-th allocation call from now (1 = the next) fails; 0 turns failing off. */
void mapisim_alloc_fail_at(LONG n);

/* ---- fault points: one sequence over every fallible call a provider makes ---- */

/* Starts counting from zero; the fail_at-th fault point from now fails (0: none does). */
void mapisim_faults_reset(LONG fail_at);
/* How many fault points were passed since the reset. */
LONG mapisim_faults_count(void);
/* What the failed fault point was ("MAPIAllocateBuffer", "IMAPISupport::NewUID", ...), or NULL. */
const char *mapisim_faults_failed(void);
/* Called by mapisim at each fallible call: TRUE when this one is to fail. */
BOOL mapisim_fault_here(const char *what);

/* ---- IMalloc ---- */

struct mapisim_malloc {
    IMalloc IMalloc_iface;
    LONG refs;  /* the creator's reference is 1 */
    LONG live;  /* blocks allocated and not freed */
};

void mapisim_malloc_init(struct mapisim_malloc *malloc);

/* ---- names for reports ---- */

struct mapisim_flag_name {
    ULONG flag;
    const char *name;
};

const char *mapisim_hresult_name(HRESULT hr);
/* "A | B | 0x40": the names of the flags set, then whatever bits no name covers. */
char *mapisim_format_flags(char *out, size_t size, ULONG flags, const struct mapisim_flag_name *names);
extern const struct mapisim_flag_name mapisim_logoff_flags[]; /* StoreLogoff's, in and out */

/* ---- an in-memory IMAPIProp: a profile section, or a status row ---- */

enum mapisim_prop_method {
    MAPISIM_PROP_GetProps,
    MAPISIM_PROP_SetProps,
    MAPISIM_PROP_DeleteProps,
    MAPISIM_PROP_SaveChanges,
    MAPISIM_PROP_METHOD_COUNT
};

#define MAPISIM_PROPBAG_SIZE 64

struct mapisim_propbag {
    IMAPIProp IMAPIProp_iface; /* also what OpenProfileSection hands out as IProfSect */
    LONG refs;                 /* the owner's reference is 1 */
    CRITICAL_SECTION lock;
    HRESULT fail[MAPISIM_PROP_METHOD_COUNT];
    LONG calls[MAPISIM_PROP_METHOD_COUNT];
    ULONG count;
    SPropValue values[MAPISIM_PROPBAG_SIZE]; /* data on the process heap */
};

void mapisim_propbag_init(struct mapisim_propbag *bag);
void mapisim_propbag_cleanup(struct mapisim_propbag *bag);
/* Adds or replaces values, as SetProps does (without counting a call). */
HRESULT mapisim_propbag_set(struct mapisim_propbag *bag, ULONG cValues, const SPropValue *values);
/* The stored value with tag's property ID, or NULL. */
const SPropValue *mapisim_propbag_find(struct mapisim_propbag *bag, ULONG tag);

/* ---- IProviderAdmin: a message service with one provider ---- */

enum mapisim_admin_method {
    MAPISIM_ADMIN_GetProviderTable,
    MAPISIM_ADMIN_OpenProfileSection,
    MAPISIM_ADMIN_METHOD_COUNT
};

struct mapisim_provider_admin {
    IProviderAdmin IProviderAdmin_iface;
    LONG refs; /* the creator's reference is 1 */
    HRESULT fail[MAPISIM_ADMIN_METHOD_COUNT];
    LONG calls[MAPISIM_ADMIN_METHOD_COUNT];
    MAPIUID provider_uid;
    ULONG resource_type;            /* of the one provider: MAPI_STORE_PROVIDER */
    struct mapisim_propbag section; /* that provider's profile section */
    LONG open_tables;               /* provider tables not yet released */
};

void mapisim_provider_admin_init(struct mapisim_provider_admin *admin);
void mapisim_provider_admin_cleanup(struct mapisim_provider_admin *admin);

/* ---- IMAPISupport ---- */

/* Every IMAPISupport method after IUnknown's, in vtable order. */
enum mapisim_method {
    MAPISIM_GetLastError,
    MAPISIM_GetMemAllocRoutines,
    MAPISIM_Subscribe,
    MAPISIM_Unsubscribe,
    MAPISIM_Notify,
    MAPISIM_ModifyStatusRow,
    MAPISIM_OpenProfileSection,
    MAPISIM_RegisterPreprocessor,
    MAPISIM_NewUID,
    MAPISIM_MakeInvalid,
    MAPISIM_SpoolerYield,
    MAPISIM_SpoolerNotify,
    MAPISIM_CreateOneOff,
    MAPISIM_SetProviderUID,
    MAPISIM_CompareEntryIDs,
    MAPISIM_OpenTemplateID,
    MAPISIM_OpenEntry,
    MAPISIM_GetOneOffTable,
    MAPISIM_Address,
    MAPISIM_Details,
    MAPISIM_NewEntry,
    MAPISIM_DoConfigPropsheet,
    MAPISIM_CopyMessages,
    MAPISIM_CopyFolder,
    MAPISIM_DoCopyTo,
    MAPISIM_DoCopyProps,
    MAPISIM_DoProgressDialog,
    MAPISIM_ReadReceipt,
    MAPISIM_PrepareSubmit,
    MAPISIM_ExpandRecips,
    MAPISIM_UpdatePAB,
    MAPISIM_DoSentMail,
    MAPISIM_OpenAddressBook,
    MAPISIM_Preprocess,
    MAPISIM_CompleteMsg,
    MAPISIM_StoreLogoffTransports,
    MAPISIM_StatusRecips,
    MAPISIM_WrapStoreEntryID,
    MAPISIM_ModifyProfile,
    MAPISIM_IStorageFromStream,
    MAPISIM_GetSvcConfigSupportObj,
    MAPISIM_METHOD_COUNT
};

/* One Subscribe not yet unsubscribed. */
struct mapisim_subscription {
    struct mapisim_subscription *next;
    ULONG_PTR connection;
    ULONG event_mask;
    IMAPIAdviseSink *sink; /* AddRef'd by Subscribe */
    ULONG key_size;
    BYTE key[64];
};

#define MAPISIM_MAX_UIDS 16

/*
 * msstore's PR_MSSTORE_PATH: a provider-private profile property naming the
 * store's file. Every support object's profile section starts with a fresh
 * one (a scratch store, removed by mapisim_support_cleanup), as a profile
 * created for the session would; a host sets another to open a store it keeps.
 * Providers that keep no file never look at it.
 */
#define MAPISIM_STORE_PATH_PROP PROP_TAG(PT_UNICODE, 0x6601)

struct mapisim_support {
    IMAPISupport IMAPISupport_iface;
    LONG refs;       /* starts at 1: MAPI's own reference */
    LONG underflows; /* Release calls made at a count of zero: a provider bug */
    CRITICAL_SECTION lock;

    /* What the test (as MAPI) arranges. */
    HRESULT fail[MAPISIM_METHOD_COUNT]; /* nonzero: the method returns it, doing nothing */
    const char *dll_name;               /* for WrapStoreEntryID; "msstore.dll" by default */
    /* Called at the start of every method, on the provider's thread, before it fails or acts. */
    void (*hook)(struct mapisim_support *support, enum mapisim_method method);
    void *hook_context;
    /* Given one line per call the provider makes, in order: "Method(arguments) -> result". */
    void (*trace)(void *context, const char *line);
    void *trace_context;

    /* The provider's profile section (OpenProfileSection with a NULL UID). */
    struct mapisim_propbag profile;
    WCHAR scratch_store[MAX_PATH]; /* the fresh store file the profile names at first */

    /* What the provider did. */
    LONG calls[MAPISIM_METHOD_COUNT];
    struct mapisim_propbag status_row; /* as ModifyStatusRow left it */
    ULONG logoff_transports_flags;   /* the flags of the last StoreLogoffTransports */
    MAPIUID uids[MAPISIM_MAX_UIDS];  /* registered by SetProviderUID */
    ULONG uid_count;
    struct mapisim_subscription *subscriptions;
    ULONG_PTR last_connection;

    /* The IMSLogon MAPI holds, and what its final Release did with it. */
    IMSLogon *logon;
    LONG logoffs_in_release;
    HRESULT logoff_in_release_result;
    ULONG logon_release_result;
};

void mapisim_support_init(struct mapisim_support *support);
/*
 * Releases leftover subscriptions and the profile, and removes the scratch
 * store; returns how many subscriptions there were (0 for a correct provider).
 */
ULONG mapisim_support_cleanup(struct mapisim_support *support);
/* Points the profile at the store file path (kept: mapisim removes only its own scratch store). */
void mapisim_support_use_store(struct mapisim_support *support, const WCHAR *path);

/* A fresh store file name, %TEMP%\mapisim\<process>-<n>.msstore, with nothing there yet. */
void mapisim_scratch_store_path(WCHAR path[MAX_PATH]);
/* Removes a store file and what SQLite keeps beside it (-wal, -shm, -journal). */
void mapisim_remove_store(const WCHAR *path);

/* The provider's entry ID inside a wrapped store entry ID, or NULL if it is not one of ours. */
const ENTRYID *mapisim_unwrap_store_entryid(ULONG cbWrapped, const ENTRYID *wrapped, ULONG *cbEntryID);

/* MAPI's own reference, dropped once Logon returned (not traced as a call of the provider's). */
void mapisim_support_release_own(struct mapisim_support *support);

/* MAPI keeps the IMSLogon a Logon returned, to log it off at the final Release. */
void mapisim_support_hold_logon(struct mapisim_support *support, IMSLogon *logon);
/* MAPI takes the IMSLogon back to log it off itself (session logoff). */
IMSLogon *mapisim_support_take_logon(struct mapisim_support *support);

const char *mapisim_method_name(enum mapisim_method method);

/* How many subscriptions the provider has not unsubscribed. */
ULONG mapisim_support_subscription_count(struct mapisim_support *support);

/* ---- driving a provider as MAPI does ---- */

/* A provider DLL, loaded as MAPI loads it. */
struct mapisim_provider_dll {
    HMODULE module;
    MSPROVIDERINIT *init;
};

/* LoadLibrary and GetProcAddress("MSProviderInit"); on failure why says what went wrong. */
HRESULT mapisim_load_provider(const char *path, struct mapisim_provider_dll *dll, char *why, size_t size);
void mapisim_unload_provider(struct mapisim_provider_dll *dll);

/* IMSProvider::Logon at Microsoft's widths; frees the spool security and MAPIERROR as MAPI does. */
HRESULT mapisim_logon(IMSProvider *provider, IMAPISupport *support, ULONG flags, const char *profile_name,
                      ULONG cbEntryID, LPENTRYID lpEntryID, IMSLogon **logon, IMsgStore **store);

/* A provider and the stores logged on through one support object, as MAPI holds them. */
struct mapisim_session {
    struct mapisim_support support;
    struct mapisim_malloc malloc;
    IMSProvider *provider; /* NULL once the host released it */
    IMsgStore *store;      /* the client's reference; NULL once the host released it */
    ULONG stores_opened;   /* each owes exactly one StoreLogoffTransports */
    LONG blocks_at_start;  /* live MAPI blocks before the provider existed */
    LONG bad_frees_at_start;
};

/* A support object and MSProviderInit (through init, with mapisim's allocators and IMalloc). */
HRESULT mapisim_session_init(struct mapisim_session *s, MSPROVIDERINIT *init);
/* Logon as MAPI makes it: the support object keeps the IMSLogon, MAPI drops its own reference on it. */
HRESULT mapisim_session_logon(struct mapisim_session *s, ULONG flags, const char *profile_name);
/* MAPI's session logoff: takes the IMSLogon from the support object, Logoff(&0), Release. */
HRESULT mapisim_session_logoff(struct mapisim_session *s, ULONG *logon_release_result);
/*
 * Once the session is over (store, provider released): what it left that a
 * correct provider does not, appended to out as "; "-separated sentences.
 * Returns how many it found.
 */
ULONG mapisim_session_problems(struct mapisim_session *s, char *out, size_t size);
/* Appends one sentence to a "; "-separated report (out starts as ""). */
void mapisim_add_problem(char *out, size_t size, const char *format, ...);

#endif
