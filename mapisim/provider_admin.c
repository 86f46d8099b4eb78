/*
 * The IProviderAdmin MAPI passes to a message service's entry point: a service
 * with one store provider, its provider table (one row: PR_PROVIDER_UID,
 * PR_RESOURCE_TYPE, PR_DISPLAY_NAME), and that provider's profile section.
 */
#include "mapisim.h"

#include <string.h>

/* The provider table: SetColumns and QueryRows, the two calls a service entry needs. */
struct provider_table {
    IMAPITable IMAPITable_iface;
    LONG refs;
    struct mapisim_provider_admin *admin;
    ULONG column_count;
    ULONG columns[8];
    BOOL read; /* its one row has been returned */
};

static inline struct mapisim_provider_admin *impl_from_IProviderAdmin(IProviderAdmin *iface)
{
    return CONTAINING_RECORD(iface, struct mapisim_provider_admin, IProviderAdmin_iface);
}

static inline struct provider_table *impl_from_IMAPITable(IMAPITable *iface)
{
    return CONTAINING_RECORD(iface, struct provider_table, IMAPITable_iface);
}

static HRESULT enter(struct mapisim_provider_admin *admin, enum mapisim_admin_method m)
{
    InterlockedIncrement(&admin->calls[m]);
    return admin->fail[m];
}

static HRESULT STDMETHODCALLTYPE table_QueryInterface(IMAPITable *iface, REFIID riid, void **ppv)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMAPITable)) {
        *ppv = iface;
        iface->lpVtbl->AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE table_AddRef(IMAPITable *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IMAPITable(iface)->refs);
}

static ULONG STDMETHODCALLTYPE table_Release(IMAPITable *iface)
{
    struct provider_table *table = impl_from_IMAPITable(iface);
    LONG refs = InterlockedDecrement(&table->refs);
    if (!refs) {
        InterlockedDecrement(&table->admin->open_tables);
        HeapFree(GetProcessHeap(), 0, table);
    }
    return (ULONG)refs;
}

static HRESULT STDMETHODCALLTYPE table_SetColumns(IMAPITable *iface, LPSPropTagArray lpPropTagArray, ULONG ulFlags)
{
    struct provider_table *table = impl_from_IMAPITable(iface);
    (void)ulFlags;
    if (!lpPropTagArray || lpPropTagArray->cValues > ARRAYSIZE(table->columns)) return MAPI_E_INVALID_PARAMETER;
    table->column_count = lpPropTagArray->cValues;
    memcpy(table->columns, lpPropTagArray->aulPropTag, table->column_count * sizeof(ULONG));
    return S_OK;
}

/* The provider's row in the current columns, in MAPI memory (one block for the set, one per row). */
static HRESULT STDMETHODCALLTYPE table_QueryRows(IMAPITable *iface, LONG lRowCount, ULONG ulFlags, LPSRowSet *lppRows)
{
    struct provider_table *table = impl_from_IMAPITable(iface);
    struct mapisim_provider_admin *admin = table->admin;
    BOOL give_row = !table->read && lRowCount > 0;
    SRowSet *rows;
    SPropValue *values;
    ULONG i;
    (void)ulFlags;
    if (!lppRows) return MAPI_E_INVALID_PARAMETER;
    if (mapisim_AllocateBuffer(CbNewSRowSet(1), (void **)&rows)) return MAPI_E_NOT_ENOUGH_MEMORY;
    rows->cRows = 0;
    if (give_row) {
        if (mapisim_AllocateBuffer((table->column_count ? table->column_count : 1) * sizeof(SPropValue),
                                   (void **)&values)) {
            mapisim_FreeBuffer(rows);
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
        for (i = 0; i < table->column_count; i++) {
            ULONG tag = table->columns[i];
            values[i].ulPropTag = tag;
            values[i].dwAlignPad = 0;
            if (tag == PR_PROVIDER_UID) {
                values[i].Value.bin.cb = sizeof(MAPIUID);
                values[i].Value.bin.lpb = admin->provider_uid.ab;
            } else if (tag == PR_RESOURCE_TYPE) {
                values[i].Value.l = (LONG)admin->resource_type;
            } else {
                values[i].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tag));
                values[i].Value.err = MAPI_E_NOT_FOUND;
            }
        }
        rows->cRows = 1;
        rows->aRow[0].ulAdrEntryPad = 0;
        rows->aRow[0].cValues = table->column_count;
        rows->aRow[0].lpProps = values;
        table->read = TRUE;
    }
    *lppRows = rows;
    return S_OK;
}

/* What a service entry has no reason to call answers MAPI_E_NO_SUPPORT. */
#define NO_SUPPORT(iface) return (void)(iface), MAPI_E_NO_SUPPORT

static HRESULT STDMETHODCALLTYPE table_GetLastError(IMAPITable *iface, HRESULT hr, ULONG flags, LPMAPIERROR *error)
{ (void)hr, (void)flags, (void)error; NO_SUPPORT(iface); }
static HRESULT STDMETHODCALLTYPE table_Advise(IMAPITable *iface, ULONG mask, LPMAPIADVISESINK sink, ULONG_PTR *connection)
{ (void)mask, (void)sink, (void)connection; NO_SUPPORT(iface); }
static HRESULT STDMETHODCALLTYPE table_Unadvise(IMAPITable *iface, ULONG_PTR connection)
{ (void)connection; NO_SUPPORT(iface); }
static HRESULT STDMETHODCALLTYPE table_GetStatus(IMAPITable *iface, ULONG *status, ULONG *type)
{ (void)status, (void)type; NO_SUPPORT(iface); }
static HRESULT STDMETHODCALLTYPE table_QueryColumns(IMAPITable *iface, ULONG flags, LPSPropTagArray *columns)
{ (void)flags, (void)columns; NO_SUPPORT(iface); }
static HRESULT STDMETHODCALLTYPE table_GetRowCount(IMAPITable *iface, ULONG flags, ULONG *count)
{ (void)flags, (void)count; NO_SUPPORT(iface); }
static HRESULT STDMETHODCALLTYPE table_SeekRow(IMAPITable *iface, BOOKMARK_ABI origin, LONG count, LONG *sought)
{ (void)origin, (void)count, (void)sought; NO_SUPPORT(iface); }
static HRESULT STDMETHODCALLTYPE table_SeekRowApprox(IMAPITable *iface, ULONG numerator, ULONG denominator)
{ (void)numerator, (void)denominator; NO_SUPPORT(iface); }
static HRESULT STDMETHODCALLTYPE table_QueryPosition(IMAPITable *iface, ULONG *row, ULONG *numerator, ULONG *denominator)
{ (void)row, (void)numerator, (void)denominator; NO_SUPPORT(iface); }
static HRESULT STDMETHODCALLTYPE table_FindRow(IMAPITable *iface, LPSRestriction restriction, BOOKMARK_ABI origin, ULONG flags)
{ (void)restriction, (void)origin, (void)flags; NO_SUPPORT(iface); }
static HRESULT STDMETHODCALLTYPE table_Restrict(IMAPITable *iface, LPSRestriction restriction, ULONG flags)
{ (void)restriction, (void)flags; NO_SUPPORT(iface); }
static HRESULT STDMETHODCALLTYPE table_CreateBookmark(IMAPITable *iface, BOOKMARK_ABI *bookmark)
{ (void)bookmark; NO_SUPPORT(iface); }
static HRESULT STDMETHODCALLTYPE table_FreeBookmark(IMAPITable *iface, BOOKMARK_ABI bookmark)
{ (void)bookmark; NO_SUPPORT(iface); }
static HRESULT STDMETHODCALLTYPE table_SortTable(IMAPITable *iface, LPSSortOrderSet sort, ULONG flags)
{ (void)sort, (void)flags; NO_SUPPORT(iface); }
static HRESULT STDMETHODCALLTYPE table_QuerySortOrder(IMAPITable *iface, LPSSortOrderSet *sort)
{ (void)sort; NO_SUPPORT(iface); }
static HRESULT STDMETHODCALLTYPE table_Abort(IMAPITable *iface) { NO_SUPPORT(iface); }
static HRESULT STDMETHODCALLTYPE table_ExpandRow(IMAPITable *iface, ULONG cb, LPBYTE key, ULONG count, ULONG flags,
                                                 LPSRowSet *rows, ULONG *more)
{ (void)cb, (void)key, (void)count, (void)flags, (void)rows, (void)more; NO_SUPPORT(iface); }
static HRESULT STDMETHODCALLTYPE table_CollapseRow(IMAPITable *iface, ULONG cb, LPBYTE key, ULONG flags, ULONG *count)
{ (void)cb, (void)key, (void)flags, (void)count; NO_SUPPORT(iface); }
static HRESULT STDMETHODCALLTYPE table_WaitForCompletion(IMAPITable *iface, ULONG flags, ULONG timeout, ULONG *status)
{ (void)flags, (void)timeout, (void)status; NO_SUPPORT(iface); }
static HRESULT STDMETHODCALLTYPE table_GetCollapseState(IMAPITable *iface, ULONG flags, ULONG cb, LPBYTE key,
                                                        ULONG *cb_state, LPBYTE *state)
{ (void)flags, (void)cb, (void)key, (void)cb_state, (void)state; NO_SUPPORT(iface); }
static HRESULT STDMETHODCALLTYPE table_SetCollapseState(IMAPITable *iface, ULONG flags, ULONG cb, LPBYTE state,
                                                        BOOKMARK_ABI *location)
{ (void)flags, (void)cb, (void)state, (void)location; NO_SUPPORT(iface); }

static const IMAPITableAbiVtbl provider_table_vtbl = {
    table_QueryInterface,   table_AddRef,         table_Release,        table_GetLastError,
    table_Advise,           table_Unadvise,       table_GetStatus,      table_SetColumns,
    table_QueryColumns,     table_GetRowCount,    table_SeekRow,        table_SeekRowApprox,
    table_QueryPosition,    table_FindRow,        table_Restrict,       table_CreateBookmark,
    table_FreeBookmark,     table_SortTable,      table_QuerySortOrder, table_QueryRows,
    table_Abort,            table_ExpandRow,      table_CollapseRow,    table_WaitForCompletion,
    table_GetCollapseState, table_SetCollapseState,
};

/* ---- IProviderAdmin ---- */

static HRESULT STDMETHODCALLTYPE admin_QueryInterface(IProviderAdmin *iface, REFIID riid, void **ppv)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IProviderAdmin)) {
        *ppv = iface;
        iface->lpVtbl->AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE admin_AddRef(IProviderAdmin *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IProviderAdmin(iface)->refs);
}

static ULONG STDMETHODCALLTYPE admin_Release(IProviderAdmin *iface)
{
    return (ULONG)InterlockedDecrement(&impl_from_IProviderAdmin(iface)->refs);
}

static HRESULT STDMETHODCALLTYPE admin_GetLastError(IProviderAdmin *iface, HRESULT hResult, ULONG ulFlags,
                                                    LPMAPIERROR *lppMAPIError)
{
    (void)iface, (void)hResult, (void)ulFlags;
    if (lppMAPIError) *lppMAPIError = NULL;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE admin_GetProviderTable(IProviderAdmin *iface, ULONG ulFlags, LPMAPITABLE *lppTable)
{
    struct mapisim_provider_admin *admin = impl_from_IProviderAdmin(iface);
    struct provider_table *table;
    HRESULT hr = enter(admin, MAPISIM_ADMIN_GetProviderTable);
    (void)ulFlags;
    if (FAILED(hr)) return hr;
    if (!lppTable) return MAPI_E_INVALID_PARAMETER;
    if (!(table = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*table)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    table->IMAPITable_iface.lpVtbl = ABI_AS_VTBL(IMAPITable, &provider_table_vtbl);
    table->refs = 1;
    table->admin = admin;
    InterlockedIncrement(&admin->open_tables);
    *lppTable = &table->IMAPITable_iface;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE admin_CreateProvider(IProviderAdmin *iface, LPTSTR lpszProvider, ULONG cValues,
                                                      LPSPropValue lpProps, ULONG_PTR ulUIParam, ULONG ulFlags,
                                                      MAPIUID *lpUID)
{
    (void)lpszProvider, (void)cValues, (void)lpProps, (void)ulUIParam, (void)ulFlags, (void)lpUID;
    NO_SUPPORT(iface);
}

static HRESULT STDMETHODCALLTYPE admin_DeleteProvider(IProviderAdmin *iface, LPMAPIUID lpUID)
{
    (void)lpUID;
    NO_SUPPORT(iface);
}

static HRESULT STDMETHODCALLTYPE admin_OpenProfileSection(IProviderAdmin *iface, LPMAPIUID lpUID, LPCIID lpInterface,
                                                          ULONG ulFlags, LPPROFSECT *lppProfSect)
{
    struct mapisim_provider_admin *admin = impl_from_IProviderAdmin(iface);
    HRESULT hr = enter(admin, MAPISIM_ADMIN_OpenProfileSection);
    (void)lpInterface, (void)ulFlags;
    if (lppProfSect) *lppProfSect = NULL;
    if (FAILED(hr)) return hr;
    if (!lpUID || !lppProfSect) return MAPI_E_INVALID_PARAMETER;
    if (memcmp(lpUID, &admin->provider_uid, sizeof(MAPIUID))) return MAPI_E_NOT_FOUND;
    admin->section.IMAPIProp_iface.lpVtbl->AddRef(&admin->section.IMAPIProp_iface);
    *lppProfSect = (LPPROFSECT)&admin->section.IMAPIProp_iface;
    return S_OK;
}

static const IProviderAdminAbiVtbl admin_vtbl = {
    admin_QueryInterface,   admin_AddRef,         admin_Release,        admin_GetLastError,
    admin_GetProviderTable, admin_CreateProvider, admin_DeleteProvider, admin_OpenProfileSection,
};

void mapisim_provider_admin_init(struct mapisim_provider_admin *admin)
{
    static LONG counter;
    LONG n = InterlockedIncrement(&counter);
    memset(admin, 0, sizeof(*admin));
    admin->IProviderAdmin_iface.lpVtbl = ABI_AS_VTBL(IProviderAdmin, &admin_vtbl);
    admin->refs = 1;
    memcpy(admin->provider_uid.ab, "mapisim prov:", 12);
    memcpy(admin->provider_uid.ab + 12, &n, sizeof(n));
    admin->resource_type = MAPI_STORE_PROVIDER;
    mapisim_propbag_init(&admin->section);
}

void mapisim_provider_admin_cleanup(struct mapisim_provider_admin *admin)
{
    mapisim_propbag_cleanup(&admin->section);
}
