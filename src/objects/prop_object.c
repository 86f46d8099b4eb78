#include "objects/prop_object.h"

#include "model/model.h"
#include "objects/copy.h"

#define SAVE_CHANGES_FLAGS (KEEP_OPEN_READONLY | KEEP_OPEN_READWRITE | FORCE_SAVE | MAPI_DEFERRED_ERRORS)

HRESULT prop_object_get_props(struct prop_object *object, LPSPropTagArray lpPropTagArray,
                              ULONG ulFlags, ULONG *lpcValues, LPSPropValue *lppPropArray)
{
    struct prop_list props = {0, NULL};
    HRESULT hr;
    if (lpcValues) *lpcValues = 0;
    if (lppPropArray) *lppPropArray = NULL;
    if (FAILED(hr = open_store_enter(object->os))) return hr;
    if (!lpcValues || !lppPropArray) hr = MAPI_E_INVALID_PARAMETER;
    else if (ulFlags & ~MAPI_UNICODE) hr = MAPI_E_UNKNOWN_FLAGS;
    else hr = props_check_tags(lpPropTagArray, TRUE);
    if (SUCCEEDED(hr)) hr = object->ops->read(object, &props);
    if (SUCCEEDED(hr))
        hr = props_get(&object->os->alloc, &props, lpPropTagArray, ulFlags,
                       object->ops->codepage ? object->ops->codepage(object) : CP_ACP, lpcValues, lppPropArray);
    props_free(&object->os->alloc, &props);
    open_store_leave(object->os);
    return hr;
}

HRESULT prop_object_get_prop_list(struct prop_object *object, ULONG ulFlags,
                                  LPSPropTagArray *lppPropTagArray)
{
    struct prop_list props = {0, NULL};
    HRESULT hr;
    if (lppPropTagArray) *lppPropTagArray = NULL;
    if (FAILED(hr = open_store_enter(object->os))) return hr;
    if (!lppPropTagArray) hr = MAPI_E_INVALID_PARAMETER;
    else if (ulFlags & ~MAPI_UNICODE) hr = MAPI_E_UNKNOWN_FLAGS;
    if (SUCCEEDED(hr)) hr = object->ops->read(object, &props);
    if (SUCCEEDED(hr)) hr = props_get_tags(&object->os->alloc, &props, ulFlags, lppPropTagArray);
    props_free(&object->os->alloc, &props);
    open_store_leave(object->os);
    return hr;
}

/* Whether a write may go ahead on this object: S_OK, or why not. */
static HRESULT check_writable(const struct prop_object *object)
{
    if (!object->ops->set_props) return object->ops->refusal;
    return object->writable ? S_OK : MAPI_E_NO_ACCESS;
}

/* What SetProps or DeleteProps is asked to change: values to set, or tags to delete. */
struct prop_change {
    BOOL deleting;
    ULONG count;
    const SPropValue *values;
    const SPropTagArray *tags;
};

static ULONG change_tag(const struct prop_change *change, ULONG i)
{
    return change->deleting ? change->tags->aulPropTag[i] : change->values[i].ulPropTag;
}

/* The problems a change met into array, which has room for one per property. */
static void fill_problems(SPropProblemArray *array, const SCODE *problems, const struct prop_change *change)
{
    ULONG i;
    array->cProblem = 0;
    for (i = 0; i < change->count; i++) {
        SPropProblem *p;
        if (problems[i] == S_OK) continue;
        p = &array->aProblem[array->cProblem++];
        p->ulIndex = i;
        p->ulPropTag = change_tag(change, i);
        p->scode = problems[i];
    }
}

/*
 * Runs a change under the lock, then gives the problems it met as the
 * SPropProblemArray a client frees with one MAPIFreeBuffer (NULL when there
 * are none). The array is allocated before the change, so that a change is
 * never made and then reported as failed for want of memory.
 */
static HRESULT change_props(struct prop_object *object, const struct prop_change *change,
                            LPSPropProblemArray *lppProblems)
{
    const struct mapi_allocators *alloc = &object->os->alloc;
    SPropProblemArray *array = NULL;
    SCODE *problems = NULL;
    HRESULT hr;

    if (lppProblems) *lppProblems = NULL;
    if (FAILED(hr = open_store_enter(object->os))) return hr;
    if (SUCCEEDED(hr = check_writable(object)) &&
        (!(problems = mapi_alloc_zeroed(alloc, change->count * sizeof(SCODE))) ||
         (lppProblems && !(array = mapi_alloc_zeroed(alloc, CbNewSPropProblemArray(change->count))))))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr)) {
        open_store_begin_change(object->os);
        hr = change->deleting ? object->ops->delete_props(object, change->tags, problems)
                              : object->ops->set_props(object, change->count, change->values, problems);
        if (SUCCEEDED(hr)) open_store_publish(object->os);
    }
    open_store_leave(object->os);
    if (SUCCEEDED(hr) && array) fill_problems(array, problems, change);
    if (array && (FAILED(hr) || !array->cProblem)) mapi_free(alloc, array);
    else if (array) *lppProblems = array;
    mapi_free(alloc, problems);
    return hr;
}

HRESULT prop_object_set_props(struct prop_object *object, ULONG cValues, LPSPropValue lpPropArray,
                              LPSPropProblemArray *lppProblems)
{
    struct prop_change change = {FALSE, cValues, lpPropArray, NULL};
    if (lppProblems) *lppProblems = NULL;
    if (!lpPropArray || !cValues || cValues > PROPS_MAX_TAGS) return open_store_refuse(object->os, MAPI_E_INVALID_PARAMETER);
    return change_props(object, &change, lppProblems);
}

HRESULT prop_object_delete_props(struct prop_object *object, LPSPropTagArray lpPropTagArray,
                                 LPSPropProblemArray *lppProblems)
{
    struct prop_change change = {TRUE, 0, NULL, lpPropTagArray};
    HRESULT hr;
    if (lppProblems) *lppProblems = NULL;
    if (FAILED(hr = props_check_tags(lpPropTagArray, FALSE))) return open_store_refuse(object->os, hr);
    change.count = lpPropTagArray->cValues;
    return change_props(object, &change, lppProblems);
}

HRESULT prop_object_save_changes(struct prop_object *object, ULONG ulFlags)
{
    HRESULT hr = open_store_check_alive(object->os);
    if (FAILED(hr)) return hr;
    if (FAILED(hr = check_writable(object))) return hr;
    if (ulFlags & ~SAVE_CHANGES_FLAGS) return MAPI_E_UNKNOWN_FLAGS;
    if ((ulFlags & KEEP_OPEN_READONLY) && (ulFlags & KEEP_OPEN_READWRITE)) return MAPI_E_INVALID_PARAMETER;
    if (!object->ops->save) return S_OK; /* every SetProps and DeleteProps committed already (D16: folders are not transacted) */
    if (FAILED(hr = open_store_enter(object->os))) return hr;
    open_store_begin_change(object->os);
    if (SUCCEEDED(hr = object->ops->save(object, ulFlags))) open_store_publish(object->os);
    open_store_leave(object->os);
    return hr;
}

HRESULT prop_object_get_names_from_ids(struct prop_object *object, LPSPropTagArray *lppPropTags, LPGUID lpPropSetGuid,
                                       ULONG ulFlags, ULONG *lpcPropNames, LPMAPINAMEID **lpppPropNames)
{
    HRESULT hr;
    if (lpcPropNames) *lpcPropNames = 0;
    if (lpppPropNames) *lpppPropNames = NULL;
    if (FAILED(hr = open_store_check_alive(object->os))) return hr;
    if (!lppPropTags || !lpcPropNames || !lpppPropNames) return MAPI_E_INVALID_PARAMETER;
    if (ulFlags & ~(MAPI_NO_STRINGS | MAPI_NO_IDS)) return MAPI_E_UNKNOWN_FLAGS;
    if (FAILED(hr = open_store_enter(object->os))) return hr;
    hr = model_names_from_ids(object->os->model, lppPropTags, lpPropSetGuid, ulFlags, lpcPropNames, lpppPropNames);
    open_store_leave(object->os);
    return hr;
}

HRESULT prop_object_get_ids_from_names(struct prop_object *object, ULONG cPropNames, LPMAPINAMEID *lppPropNames,
                                       ULONG ulFlags, LPSPropTagArray *lppPropTags)
{
    HRESULT hr;
    if (lppPropTags) *lppPropTags = NULL;
    if (FAILED(hr = open_store_check_alive(object->os))) return hr;
    if (!lppPropTags) return MAPI_E_INVALID_PARAMETER;
    if (ulFlags & ~(MAPI_CREATE | MAPI_NO_STRINGS | MAPI_NO_IDS)) return MAPI_E_UNKNOWN_FLAGS;
    if (FAILED(hr = open_store_enter(object->os))) return hr;
    hr = model_ids_from_names(object->os->model, cPropNames, lppPropNames, (ulFlags & MAPI_CREATE) != 0, lppPropTags);
    open_store_leave(object->os);
    return hr;
}

#define COPY_FLAGS (MAPI_MOVE | MAPI_NOREPLACE | MAPI_DIALOG | MAPI_DECLINE_OK)

HRESULT prop_object_copy(struct prop_object *object, BOOL copy_props, const SPropTagArray *excluded,
                         const SPropTagArray *included, LPCIID iid, void *dest, ULONG flags,
                         SPropProblemArray **problems)
{
    struct open_store *os = object->os;
    struct copy_source *source = NULL;
    SPropTagArray *moved = NULL;
    HRESULT hr;
    if (problems) *problems = NULL;
    if (FAILED(hr = open_store_check_alive(os))) return hr;
    if (!object->ops->copy_source) return open_store_refuse(os, MAPI_E_NO_SUPPORT);
    if (!dest || (copy_props && !included)) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~COPY_FLAGS) return MAPI_E_UNKNOWN_FLAGS;
    if (iid && !IsEqualIID(iid, object->ops->copy_iid)) return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if ((flags & MAPI_MOVE) && !object->writable) return MAPI_E_NO_ACCESS;
    if (FAILED(hr = props_check_tags(excluded ? excluded : included, TRUE))) return hr;
    if (FAILED(hr = open_store_enter(os))) return hr;
    hr = object->ops->copy_source(object, &source);
    if (SUCCEEDED(hr) && (flags & MAPI_MOVE)) hr = copy_source_moved(os, source, excluded, included, &moved);
    open_store_leave(os);
    /* The destination's methods are called with the lock left: it may be this store's, or another's. */
    if (SUCCEEDED(hr)) hr = copy_source_write(os, source, (IUnknown *)dest, excluded, included, flags, problems);
    if (SUCCEEDED(hr) && moved && moved->cValues && SUCCEEDED(hr = open_store_enter(os))) {
        SCODE *scratch = mapi_alloc_zeroed(&os->alloc, moved->cValues * sizeof(SCODE));
        hr = scratch ? object->ops->delete_props(object, moved, scratch) : MAPI_E_NOT_ENOUGH_MEMORY;
        mapi_free(&os->alloc, scratch);
        open_store_leave(os);
    }
    mapi_free(&os->alloc, moved);
    copy_source_free(os, source);
    return hr;
}
