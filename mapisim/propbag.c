/*
 * An in-memory IMAPIProp: what MAPI gives a provider as its profile section
 * (IProfSect adds nothing to IMAPIProp), and where mapisim keeps the status
 * row a provider sets. Values are deep copies on the process heap; GetProps
 * answers in MAPI memory, converting strings between widths as MAPI does.
 */
#include "mapisim.h"

#include <string.h>

static inline struct mapisim_propbag *impl_from_IMAPIProp(IMAPIProp *iface)
{
    return CONTAINING_RECORD(iface, struct mapisim_propbag, IMAPIProp_iface);
}

static HRESULT enter(struct mapisim_propbag *bag, enum mapisim_prop_method m)
{
    static const char *const names[MAPISIM_PROP_METHOD_COUNT] = {
        "IMAPIProp::GetProps", "IMAPIProp::SetProps", "IMAPIProp::DeleteProps", "IMAPIProp::SaveChanges"};
    InterlockedIncrement(&bag->calls[m]);
    if (mapisim_fault_here(names[m])) return MAPI_E_CALL_FAILED;
    return bag->fail[m];
}

static int find_locked(const struct mapisim_propbag *bag, ULONG tag)
{
    ULONG i;
    for (i = 0; i < bag->count; i++)
        if (PROP_ID(bag->values[i].ulPropTag) == PROP_ID(tag)) return (int)i;
    return -1;
}

static void free_value_data(SPropValue *v)
{
    switch (PROP_TYPE(v->ulPropTag)) {
    case PT_STRING8: HeapFree(GetProcessHeap(), 0, v->Value.lpszA); break;
    case PT_UNICODE: HeapFree(GetProcessHeap(), 0, v->Value.lpszW); break;
    case PT_BINARY: HeapFree(GetProcessHeap(), 0, v->Value.bin.lpb); break;
    }
}

/* A heap copy of src's data into dst; FALSE when out of memory or of an unsupported type. */
static BOOL copy_to_heap(SPropValue *dst, const SPropValue *src)
{
    size_t size = 0;
    const void *data = NULL;
    void *copy;
    *dst = *src;
    switch (PROP_TYPE(src->ulPropTag)) {
    case PT_STRING8: data = src->Value.lpszA; size = strlen(src->Value.lpszA) + 1; break;
    case PT_UNICODE: data = src->Value.lpszW; size = (wcslen(src->Value.lpszW) + 1) * sizeof(WCHAR); break;
    case PT_BINARY: data = src->Value.bin.lpb; size = src->Value.bin.cb; break;
    case PT_I2: case PT_LONG: case PT_BOOLEAN: case PT_I8: case PT_SYSTIME: case PT_ERROR: return TRUE;
    default: return FALSE;
    }
    if (!(copy = HeapAlloc(GetProcessHeap(), 0, size ? size : 1))) return FALSE;
    memcpy(copy, data, size);
    switch (PROP_TYPE(src->ulPropTag)) {
    case PT_STRING8: dst->Value.lpszA = copy; break;
    case PT_UNICODE: dst->Value.lpszW = copy; break;
    default: dst->Value.bin.lpb = copy; break;
    }
    return TRUE;
}

/* src as type `type` into dst, its data linked to parent; strings convert between widths. */
static HRESULT copy_out(SPropValue *dst, const SPropValue *src, ULONG type, void *parent)
{
    ULONG stored = PROP_TYPE(src->ulPropTag);
    dst->ulPropTag = PROP_TAG(type, PROP_ID(src->ulPropTag));
    dst->dwAlignPad = 0;
    if (type == PT_STRING8 && stored == PT_UNICODE) {
        int size = WideCharToMultiByte(CP_ACP, 0, src->Value.lpszW, -1, NULL, 0, NULL, NULL);
        if (mapisim_AllocateMore((ULONG)size, parent, (void **)&dst->Value.lpszA)) return MAPI_E_NOT_ENOUGH_MEMORY;
        WideCharToMultiByte(CP_ACP, 0, src->Value.lpszW, -1, dst->Value.lpszA, size, NULL, NULL);
    } else if (type == PT_UNICODE && stored == PT_STRING8) {
        int count = MultiByteToWideChar(CP_ACP, 0, src->Value.lpszA, -1, NULL, 0);
        if (mapisim_AllocateMore((ULONG)count * sizeof(WCHAR), parent, (void **)&dst->Value.lpszW))
            return MAPI_E_NOT_ENOUGH_MEMORY;
        MultiByteToWideChar(CP_ACP, 0, src->Value.lpszA, -1, dst->Value.lpszW, count);
    } else {
        const void *data = NULL;
        size_t size = 0;
        dst->Value = src->Value;
        switch (type) {
        case PT_STRING8: data = src->Value.lpszA; size = strlen(src->Value.lpszA) + 1; break;
        case PT_UNICODE: data = src->Value.lpszW; size = (wcslen(src->Value.lpszW) + 1) * sizeof(WCHAR); break;
        case PT_BINARY: data = src->Value.bin.lpb; size = src->Value.bin.cb; break;
        }
        if (data) {
            void *copy;
            if (mapisim_AllocateMore((ULONG)(size ? size : 1), parent, &copy)) return MAPI_E_NOT_ENOUGH_MEMORY;
            memcpy(copy, data, size);
            if (type == PT_BINARY) dst->Value.bin.lpb = copy;
            else dst->Value.lpszA = copy; /* the union's string pointers share storage */
        }
    }
    return S_OK;
}

/* The type a request for tag gets from a value stored as stored, or PT_ERROR. */
static ULONG answer_type(ULONG tag, ULONG stored, ULONG flags)
{
    ULONG asked = PROP_TYPE(tag);
    BOOL string = stored == PT_STRING8 || stored == PT_UNICODE;
    if (asked == PT_UNSPECIFIED) return string ? (flags & MAPI_UNICODE ? PT_UNICODE : PT_STRING8) : stored;
    if (asked == stored || (string && (asked == PT_STRING8 || asked == PT_UNICODE))) return asked;
    return PT_ERROR;
}

static HRESULT STDMETHODCALLTYPE bag_QueryInterface(IMAPIProp *iface, REFIID riid, void **ppv)
{
    if (!ppv) return E_INVALIDARG;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMAPIProp) || IsEqualIID(riid, &IID_IProfSect)) {
        *ppv = iface;
        iface->lpVtbl->AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE bag_AddRef(IMAPIProp *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IMAPIProp(iface)->refs);
}

static ULONG STDMETHODCALLTYPE bag_Release(IMAPIProp *iface)
{
    return (ULONG)InterlockedDecrement(&impl_from_IMAPIProp(iface)->refs);
}

static HRESULT STDMETHODCALLTYPE bag_GetLastError(IMAPIProp *iface, HRESULT hResult, ULONG ulFlags,
                                                  LPMAPIERROR *lppMAPIError)
{
    (void)iface, (void)hResult, (void)ulFlags;
    if (lppMAPIError) *lppMAPIError = NULL;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE bag_SaveChanges(IMAPIProp *iface, ULONG ulFlags)
{
    (void)ulFlags;
    return enter(impl_from_IMAPIProp(iface), MAPISIM_PROP_SaveChanges);
}

static HRESULT STDMETHODCALLTYPE bag_GetProps(IMAPIProp *iface, LPSPropTagArray lpPropTagArray, ULONG ulFlags,
                                              ULONG *lpcValues, LPSPropValue *lppPropArray)
{
    struct mapisim_propbag *bag = impl_from_IMAPIProp(iface);
    HRESULT hr = enter(bag, MAPISIM_PROP_GetProps);
    SPropValue *out;
    ULONG count, i;
    if (FAILED(hr)) return hr;
    if (!lpcValues || !lppPropArray) return MAPI_E_INVALID_PARAMETER;
    EnterCriticalSection(&bag->lock);
    count = lpPropTagArray ? lpPropTagArray->cValues : bag->count;
    if (mapisim_AllocateBuffer((count ? count : 1) * sizeof(SPropValue), (void **)&out)) {
        LeaveCriticalSection(&bag->lock);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    for (i = 0; i < count && SUCCEEDED(hr); i++) {
        ULONG tag = lpPropTagArray ? lpPropTagArray->aulPropTag[i] : PROP_TAG(PT_UNSPECIFIED, PROP_ID(bag->values[i].ulPropTag));
        int at = find_locked(bag, tag);
        ULONG type = at < 0 ? PT_ERROR : answer_type(tag, PROP_TYPE(bag->values[at].ulPropTag), ulFlags);
        if (type == PT_ERROR) {
            out[i].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tag));
            out[i].Value.err = MAPI_E_NOT_FOUND;
            hr = MAPI_W_ERRORS_RETURNED;
        } else if (FAILED(copy_out(&out[i], &bag->values[at], type, out))) {
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
        }
    }
    LeaveCriticalSection(&bag->lock);
    if (FAILED(hr)) {
        mapisim_FreeBuffer(out);
        return hr;
    }
    *lpcValues = count;
    *lppPropArray = out;
    return hr;
}

static HRESULT STDMETHODCALLTYPE bag_GetPropList(IMAPIProp *iface, ULONG ulFlags, LPSPropTagArray *lppPropTagArray)
{
    struct mapisim_propbag *bag = impl_from_IMAPIProp(iface);
    SPropTagArray *out;
    ULONG i;
    (void)ulFlags;
    if (!lppPropTagArray) return MAPI_E_INVALID_PARAMETER;
    EnterCriticalSection(&bag->lock);
    if (mapisim_AllocateBuffer(CbNewSPropTagArray(bag->count), (void **)&out)) {
        LeaveCriticalSection(&bag->lock);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    out->cValues = bag->count;
    for (i = 0; i < bag->count; i++) out->aulPropTag[i] = bag->values[i].ulPropTag;
    LeaveCriticalSection(&bag->lock);
    *lppPropTagArray = out;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE bag_OpenProperty(IMAPIProp *iface, ULONG ulPropTag, LPCIID lpiid,
                                                  ULONG ulInterfaceOptions, ULONG ulFlags, LPUNKNOWN *lppUnk)
{
    (void)iface, (void)ulPropTag, (void)lpiid, (void)ulInterfaceOptions, (void)ulFlags;
    if (lppUnk) *lppUnk = NULL;
    return MAPI_E_NO_SUPPORT;
}

HRESULT mapisim_propbag_set(struct mapisim_propbag *bag, ULONG cValues, const SPropValue *values)
{
    HRESULT hr = S_OK;
    ULONG i;
    EnterCriticalSection(&bag->lock);
    for (i = 0; i < cValues && SUCCEEDED(hr); i++) {
        int at = find_locked(bag, values[i].ulPropTag);
        SPropValue copy;
        if (!copy_to_heap(&copy, &values[i])) {
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
        } else if (at >= 0) {
            free_value_data(&bag->values[at]);
            bag->values[at] = copy;
        } else if (bag->count < MAPISIM_PROPBAG_SIZE) {
            bag->values[bag->count++] = copy;
        } else {
            free_value_data(&copy);
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
        }
    }
    LeaveCriticalSection(&bag->lock);
    return hr;
}

static HRESULT STDMETHODCALLTYPE bag_SetProps(IMAPIProp *iface, ULONG cValues, LPSPropValue lpPropArray,
                                              LPSPropProblemArray *lppProblems)
{
    struct mapisim_propbag *bag = impl_from_IMAPIProp(iface);
    HRESULT hr = enter(bag, MAPISIM_PROP_SetProps);
    if (lppProblems) *lppProblems = NULL;
    if (FAILED(hr)) return hr;
    if (!lpPropArray) return MAPI_E_INVALID_PARAMETER;
    return mapisim_propbag_set(bag, cValues, lpPropArray);
}

static HRESULT STDMETHODCALLTYPE bag_DeleteProps(IMAPIProp *iface, LPSPropTagArray lpPropTagArray,
                                                 LPSPropProblemArray *lppProblems)
{
    struct mapisim_propbag *bag = impl_from_IMAPIProp(iface);
    HRESULT hr = enter(bag, MAPISIM_PROP_DeleteProps);
    ULONG i;
    if (lppProblems) *lppProblems = NULL;
    if (FAILED(hr)) return hr;
    if (!lpPropTagArray) return MAPI_E_INVALID_PARAMETER;
    EnterCriticalSection(&bag->lock);
    for (i = 0; i < lpPropTagArray->cValues; i++) {
        int at = find_locked(bag, lpPropTagArray->aulPropTag[i]);
        if (at < 0) continue;
        free_value_data(&bag->values[at]);
        bag->values[at] = bag->values[--bag->count];
    }
    LeaveCriticalSection(&bag->lock);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE bag_CopyTo(IMAPIProp *iface, ULONG ciidExclude, LPCIID rgiidExclude,
                                            LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam,
                                            LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj,
                                            ULONG ulFlags, LPSPropProblemArray *lppProblems)
{
    (void)iface, (void)ciidExclude, (void)rgiidExclude, (void)lpExcludeProps, (void)ulUIParam;
    (void)lpProgress, (void)lpInterface, (void)lpDestObj, (void)ulFlags, (void)lppProblems;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE bag_CopyProps(IMAPIProp *iface, LPSPropTagArray lpIncludeProps,
                                               ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                               LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags,
                                               LPSPropProblemArray *lppProblems)
{
    (void)iface, (void)lpIncludeProps, (void)ulUIParam, (void)lpProgress, (void)lpInterface;
    (void)lpDestObj, (void)ulFlags, (void)lppProblems;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE bag_GetNamesFromIDs(IMAPIProp *iface, LPSPropTagArray *lppPropTags,
                                                     LPGUID lpPropSetGuid, ULONG ulFlags, ULONG *lpcPropNames,
                                                     LPMAPINAMEID **lpppPropNames)
{
    (void)iface, (void)lppPropTags, (void)lpPropSetGuid, (void)ulFlags, (void)lpcPropNames, (void)lpppPropNames;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE bag_GetIDsFromNames(IMAPIProp *iface, ULONG cPropNames,
                                                     LPMAPINAMEID *lppPropNames, ULONG ulFlags,
                                                     LPSPropTagArray *lppPropTags)
{
    (void)iface, (void)cPropNames, (void)lppPropNames, (void)ulFlags, (void)lppPropTags;
    return MAPI_E_NO_SUPPORT;
}

static const IMAPIPropAbiVtbl bag_vtbl = {
    bag_QueryInterface, bag_AddRef,   bag_Release,     bag_GetLastError, bag_SaveChanges,
    bag_GetProps,       bag_GetPropList, bag_OpenProperty, bag_SetProps,  bag_DeleteProps,
    bag_CopyTo,         bag_CopyProps,   bag_GetNamesFromIDs, bag_GetIDsFromNames,
};

void mapisim_propbag_init(struct mapisim_propbag *bag)
{
    memset(bag, 0, sizeof(*bag));
    bag->IMAPIProp_iface.lpVtbl = ABI_AS_VTBL(IMAPIProp, &bag_vtbl);
    bag->refs = 1;
    InitializeCriticalSection(&bag->lock);
}

void mapisim_propbag_cleanup(struct mapisim_propbag *bag)
{
    ULONG i;
    for (i = 0; i < bag->count; i++) free_value_data(&bag->values[i]);
    bag->count = 0;
    DeleteCriticalSection(&bag->lock);
}

const SPropValue *mapisim_propbag_find(struct mapisim_propbag *bag, ULONG tag)
{
    int at;
    EnterCriticalSection(&bag->lock);
    at = find_locked(bag, tag);
    LeaveCriticalSection(&bag->lock);
    return at < 0 ? NULL : &bag->values[at];
}
