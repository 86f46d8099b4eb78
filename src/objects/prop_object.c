#include "objects/prop_object.h"

HRESULT prop_object_get_props(struct prop_object *object, LPSPropTagArray lpPropTagArray,
                              ULONG ulFlags, ULONG *lpcValues, LPSPropValue *lppPropArray)
{
    HRESULT hr = open_store_enter(object->os);
    if (FAILED(hr)) return hr;
    hr = props_get(&object->os->alloc, object->props, lpPropTagArray, ulFlags, lpcValues,
                   lppPropArray);
    open_store_leave(object->os);
    return hr;
}

HRESULT prop_object_get_prop_list(struct prop_object *object, ULONG ulFlags,
                                  LPSPropTagArray *lppPropTagArray)
{
    HRESULT hr = open_store_enter(object->os);
    if (FAILED(hr)) return hr;
    hr = props_get_tags(&object->os->alloc, object->props, ulFlags, lppPropTagArray);
    open_store_leave(object->os);
    return hr;
}
