/*
 * Driving a provider as MAPI does: load its DLL, call MSProviderInit, log on,
 * hold the IMSLogon in the support object, log off, and say what a session
 * left behind that a correct provider would not have.
 */
#include "mapisim.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

HRESULT mapisim_load_provider(const char *path, struct mapisim_provider_dll *dll, char *why, size_t size)
{
    memset(dll, 0, sizeof(*dll));
    if (!(dll->module = LoadLibraryA(path))) {
        snprintf(why, size, "cannot load %s (error %lu)", path, GetLastError());
        return MAPI_E_NOT_FOUND;
    }
    if (!(dll->init = (MSPROVIDERINIT *)(void *)GetProcAddress(dll->module, "MSProviderInit"))) {
        snprintf(why, size, "%s exports no MSProviderInit: it is not a MAPI store provider", path);
        FreeLibrary(dll->module);
        dll->module = NULL;
        return MAPI_E_NOT_FOUND;
    }
    return S_OK;
}

void mapisim_unload_provider(struct mapisim_provider_dll *dll)
{
    if (dll->module) FreeLibrary(dll->module);
    memset(dll, 0, sizeof(*dll));
}

HRESULT mapisim_session_init(struct mapisim_session *s, MSPROVIDERINIT *init)
{
    struct mapisim_alloc_stats stats;
    ULONG version = 0;
    memset(s, 0, sizeof(*s));
    mapisim_support_init(&s->support);
    mapisim_malloc_init(&s->malloc);
    mapisim_alloc_stats(&stats);
    s->blocks_at_start = stats.live_blocks;
    s->bad_frees_at_start = stats.bad_frees;
    return init(GetModuleHandleW(NULL), &s->malloc.IMalloc_iface, mapisim_AllocateBuffer, mapisim_AllocateMore,
                mapisim_FreeBuffer, 0, CURRENT_SPI_VERSION, &version, &s->provider);
}

HRESULT mapisim_logon(IMSProvider *provider, IMAPISupport *support, ULONG flags, const char *profile_name,
                      ULONG cbEntryID, LPENTRYID lpEntryID, IMSLogon **logon, IMsgStore **store)
{
    ULONG cb_spool = 0;
    BYTE *spool = NULL;
    MAPIERROR *error = NULL;
    HRESULT hr = ABI_VTBL(IMSProvider, provider)
                     ->Logon(provider, support, 0, (LPTSTR)profile_name, cbEntryID, lpEntryID, flags, NULL,
                             &cb_spool, &spool, &error, (LPMSLOGON *)logon, (LPMDB *)store);
    mapisim_FreeBuffer(spool); /* MAPI frees what Logon returned */
    mapisim_FreeBuffer(error);
    return hr;
}

HRESULT mapisim_session_logon(struct mapisim_session *s, ULONG flags, const char *profile_name)
{
    IMSLogon *logon = NULL;
    HRESULT hr = mapisim_logon(s->provider, &s->support.IMAPISupport_iface, flags, profile_name, 0, NULL, &logon,
                               &s->store);
    if (FAILED(hr)) return hr;
    s->stores_opened++;
    /* MAPI keeps the IMSLogon in the support object, and drops its own reference on that. */
    mapisim_support_hold_logon(&s->support, logon);
    mapisim_support_release_own(&s->support);
    return hr;
}

HRESULT mapisim_session_logoff(struct mapisim_session *s, ULONG *logon_release_result)
{
    ULONG zero = 0;
    IMSLogon *logon = mapisim_support_take_logon(&s->support);
    HRESULT hr;
    if (!logon) return MAPI_E_NOT_FOUND; /* the store's final Release already logged it off */
    hr = logon->lpVtbl->Logoff(logon, &zero);
    *logon_release_result = logon->lpVtbl->Release(logon);
    return hr;
}

void mapisim_add_problem(char *out, size_t size, const char *format, ...)
{
    size_t used = strlen(out);
    va_list args;
    if (used && used + 2 < size) strcpy(out + used, "; "), used += 2;
    va_start(args, format);
    vsnprintf(out + used, used < size ? size - used : 0, format, args);
    va_end(args);
}

#define problem(out, size, count, ...) ((*(count))++, mapisim_add_problem(out, size, __VA_ARGS__))

ULONG mapisim_session_problems(struct mapisim_session *s, char *out, size_t size)
{
    struct mapisim_alloc_stats stats;
    LONG mapi_reference = s->stores_opened ? 0 : 1; /* MAPI's own is dropped once a store opened */
    LONG left = s->support.refs - mapi_reference;
    ULONG count = 0, subscriptions = mapisim_support_subscription_count(&s->support);

    if (left > 0) problem(out, size, &count, "support object: %ld reference(s) never released", (long)left);
    if (s->support.underflows)
        problem(out, size, &count, "support object released %ld time(s) too many", (long)s->support.underflows);
    if (s->support.calls[MAPISIM_StoreLogoffTransports] != (LONG)s->stores_opened)
        problem(out, size, &count, "StoreLogoffTransports called %ld time(s) for %lu store(s)",
                (long)s->support.calls[MAPISIM_StoreLogoffTransports], (unsigned long)s->stores_opened);
    if (subscriptions) problem(out, size, &count, "%lu subscription(s) never unsubscribed", (unsigned long)subscriptions);
    mapisim_alloc_stats(&stats);
    if (stats.live_blocks != s->blocks_at_start)
        problem(out, size, &count, "%ld MAPI allocation(s) left live", (long)(stats.live_blocks - s->blocks_at_start));
    if (stats.bad_frees != s->bad_frees_at_start)
        problem(out, size, &count, "%ld bad MAPIFreeBuffer call(s)", (long)(stats.bad_frees - s->bad_frees_at_start));
    if (s->malloc.refs != 1) problem(out, size, &count, "IMalloc: %ld reference(s) unbalanced", (long)(s->malloc.refs - 1));
    if (s->malloc.live) problem(out, size, &count, "IMalloc: %ld block(s) never freed", (long)s->malloc.live);
    return count;
}
