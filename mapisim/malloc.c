/* An IMalloc that counts its references and live blocks: what MSProviderInit's lpMalloc is. */
#include "mapisim.h"

static struct mapisim_malloc *impl_from_IMalloc(IMalloc *iface)
{
    return CONTAINING_RECORD(iface, struct mapisim_malloc, IMalloc_iface);
}

static HRESULT STDMETHODCALLTYPE malloc_QueryInterface(IMalloc *iface, REFIID riid, void **ppv)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMalloc)) {
        *ppv = iface;
        iface->lpVtbl->AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE malloc_AddRef(IMalloc *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IMalloc(iface)->refs);
}

static ULONG STDMETHODCALLTYPE malloc_Release(IMalloc *iface)
{
    return (ULONG)InterlockedDecrement(&impl_from_IMalloc(iface)->refs);
}

static void *STDMETHODCALLTYPE malloc_Alloc(IMalloc *iface, SIZE_T cb)
{
    void *p = mapisim_fault_here("IMalloc::Alloc") ? NULL : HeapAlloc(GetProcessHeap(), 0, cb ? cb : 1);
    if (p) InterlockedIncrement(&impl_from_IMalloc(iface)->live);
    return p;
}

static void *STDMETHODCALLTYPE malloc_Realloc(IMalloc *iface, void *pv, SIZE_T cb)
{
    if (!pv) return malloc_Alloc(iface, cb);
    if (mapisim_fault_here("IMalloc::Realloc")) return NULL;
    return HeapReAlloc(GetProcessHeap(), 0, pv, cb ? cb : 1);
}

static void STDMETHODCALLTYPE malloc_Free(IMalloc *iface, void *pv)
{
    if (pv && HeapFree(GetProcessHeap(), 0, pv)) InterlockedDecrement(&impl_from_IMalloc(iface)->live);
}

static SIZE_T STDMETHODCALLTYPE malloc_GetSize(IMalloc *iface, void *pv)
{
    (void)iface;
    return pv ? HeapSize(GetProcessHeap(), 0, pv) : (SIZE_T)-1;
}

static int STDMETHODCALLTYPE malloc_DidAlloc(IMalloc *iface, void *pv)
{
    (void)iface, (void)pv;
    return -1; /* "cannot tell", as IMalloc allows */
}

static void STDMETHODCALLTYPE malloc_HeapMinimize(IMalloc *iface) { (void)iface; }

static const IMallocVtbl malloc_vtbl = {
    malloc_QueryInterface, malloc_AddRef, malloc_Release,  malloc_Alloc,
    malloc_Realloc,        malloc_Free,   malloc_GetSize,  malloc_DidAlloc,
    malloc_HeapMinimize,
};

void mapisim_malloc_init(struct mapisim_malloc *malloc)
{
    malloc->IMalloc_iface.lpVtbl = &malloc_vtbl;
    malloc->refs = 1;
    malloc->live = 0;
}
