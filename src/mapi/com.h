/* COM glue every msstore object shares. */
#ifndef MSSTORE_COM_H
#define MSSTORE_COM_H

#include <msstore/mapi_abi.h>

/* Whether riid is IUnknown or one of iids, a NULL-terminated list. */
static inline BOOL com_iid_listed(const IID *const *iids, REFIID riid)
{
    if (IsEqualIID(riid, &IID_IUnknown)) return TRUE;
    for (; *iids; iids++)
        if (IsEqualIID(riid, *iids)) return TRUE;
    return FALSE;
}

/* QueryInterface of an object with one interface pointer answering to IUnknown and each of iids. */
static inline HRESULT com_query_interface(IUnknown *object, const IID *const *iids, REFIID riid,
                                          void **ppv)
{
    if (!ppv) return MAPI_E_INVALID_PARAMETER;
    *ppv = NULL;
    if (!riid) return MAPI_E_INVALID_PARAMETER;
    if (!com_iid_listed(iids, riid)) return E_NOINTERFACE;
    *ppv = object;
    object->lpVtbl->AddRef(object);
    return S_OK;
}

#endif
