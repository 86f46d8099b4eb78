/*
 * The IMAPIProp half every msstore object with properties shares (the store,
 * folders, the status object, messages): its properties are what its read
 * op answers. Folders make each SetProps and DeleteProps one transaction,
 * not transacted further: SaveChanges has nothing left to save (D16).
 * Messages are transacted: SetProps and DeleteProps change the object's
 * copy, and its save op writes them.
 *
 * An object embeds a struct prop_object and generates its IMAPIProp vtable
 * entries with PROP_OBJECT_METHODS, so the behaviour exists once.
 */
#ifndef MSSTORE_PROP_OBJECT_H
#define MSSTORE_PROP_OBJECT_H

#include "lifecycle/open_store.h"

struct prop_object;
struct copy_source;

struct prop_object_ops {
    /* The object's properties now, with the lock held; MAPI_E_OBJECT_DELETED when it is gone. */
    HRESULT (*read)(struct prop_object *object, struct prop_list *out);
    /* SetProps and DeleteProps with the lock held, problems per property; NULL: refused with refusal. */
    HRESULT (*set_props)(struct prop_object *object, ULONG count, const SPropValue *values, SCODE *problems);
    HRESULT (*delete_props)(struct prop_object *object, const SPropTagArray *tags, SCODE *problems);
    HRESULT refusal; /* what an object without set_props answers to writes (MAPI_E_NO_ACCESS, MAPI_E_NO_SUPPORT) */
    /* SaveChanges with the lock held, for a transacted object (a message); NULL: every change is saved already. */
    HRESULT (*save)(struct prop_object *object, ULONG flags);
    /* What CopyTo and CopyProps copy, read with the lock held (objects/copy.h); NULL: MAPI_E_NO_SUPPORT. */
    HRESULT (*copy_source)(struct prop_object *object, struct copy_source **out);
    const IID *copy_iid; /* the interface of a copy's destination */
    /* The code page GetProps answers PT_STRING8 in (lock held); NULL: the system's. */
    UINT (*codepage)(struct prop_object *object);
};

struct prop_object {
    struct open_store *os;
    const struct prop_object_ops *ops;
    BOOL writable; /* opened for writing (MAPI_MODIFY) on a logon that writes */
};

HRESULT prop_object_get_props(struct prop_object *object, LPSPropTagArray lpPropTagArray,
                              ULONG ulFlags, ULONG *lpcValues, LPSPropValue *lppPropArray);
HRESULT prop_object_get_prop_list(struct prop_object *object, ULONG ulFlags,
                                  LPSPropTagArray *lppPropTagArray);
HRESULT prop_object_set_props(struct prop_object *object, ULONG cValues, LPSPropValue lpPropArray,
                              LPSPropProblemArray *lppProblems);
HRESULT prop_object_delete_props(struct prop_object *object, LPSPropTagArray lpPropTagArray,
                                 LPSPropProblemArray *lppProblems);
HRESULT prop_object_save_changes(struct prop_object *object, ULONG ulFlags);
/*
 * CopyTo (excluded, included NULL) and CopyProps (copy_props, included) through the
 * object's copy_source op: MAPI_MOVE deletes what was copied from the
 * source's copy, MAPI_NOREPLACE keeps the destination's values, MAPI_DIALOG
 * is ignored (no UI) and a progress object is not called.
 */
HRESULT prop_object_copy(struct prop_object *object, BOOL copy_props, const SPropTagArray *excluded,
                         const SPropTagArray *included, LPCIID iid, void *dest, ULONG flags,
                         SPropProblemArray **problems);
/* Named properties: the store's one mapping, the same from every object (model/names.c). */
HRESULT prop_object_get_names_from_ids(struct prop_object *object, LPSPropTagArray *lppPropTags, LPGUID lpPropSetGuid,
                                       ULONG ulFlags, ULONG *lpcPropNames, LPMAPINAMEID **lpppPropNames);
HRESULT prop_object_get_ids_from_names(struct prop_object *object, ULONG cPropNames, LPMAPINAMEID *lppPropNames,
                                       ULONG ulFlags, LPSPropTagArray *lppPropTags);

/*
 * Defines prefix_GetLastError ... prefix_GetIDsFromNames for Iface, implemented
 * by struct type, whose Iface##_iface member is the interface and whose member
 * `field` is its struct prop_object. OpenProperty stays the object's own.
 */
#define PROP_OBJECT_METHODS(prefix, Iface, type, field)                                    \
    static inline struct prop_object *prefix##_prop(Iface *iface)                          \
    {                                                                                      \
        return &CONTAINING_RECORD(iface, type, Iface##_iface)->field;                      \
    }                                                                                      \
    static HRESULT STDMETHODCALLTYPE prefix##_GetLastError(Iface *iface, HRESULT hResult,  \
                                                           ULONG ulFlags,                  \
                                                           LPMAPIERROR *lppMAPIError)      \
    {                                                                                      \
        return open_store_describe_error(prefix##_prop(iface)->os, hResult, ulFlags,       \
                                         lppMAPIError);                                    \
    }                                                                                      \
    static HRESULT STDMETHODCALLTYPE prefix##_SaveChanges(Iface *iface, ULONG ulFlags)     \
    {                                                                                      \
        return prop_object_save_changes(prefix##_prop(iface), ulFlags);                    \
    }                                                                                      \
    static HRESULT STDMETHODCALLTYPE prefix##_GetProps(Iface *iface, LPSPropTagArray tags, \
                                                       ULONG ulFlags, ULONG *lpcValues,    \
                                                       LPSPropValue *lppPropArray)         \
    {                                                                                      \
        return prop_object_get_props(prefix##_prop(iface), tags, ulFlags, lpcValues,       \
                                     lppPropArray);                                        \
    }                                                                                      \
    static HRESULT STDMETHODCALLTYPE prefix##_GetPropList(Iface *iface, ULONG ulFlags,     \
                                                          LPSPropTagArray *lppTags)        \
    {                                                                                      \
        return prop_object_get_prop_list(prefix##_prop(iface), ulFlags, lppTags);          \
    }                                                                                      \
    static HRESULT STDMETHODCALLTYPE prefix##_SetProps(Iface *iface, ULONG cValues,        \
                                                       LPSPropValue lpPropArray,           \
                                                       LPSPropProblemArray *lppProblems)   \
    {                                                                                      \
        return prop_object_set_props(prefix##_prop(iface), cValues, lpPropArray,          \
                                     lppProblems);                                         \
    }                                                                                      \
    static HRESULT STDMETHODCALLTYPE prefix##_DeleteProps(Iface *iface,                    \
                                                          LPSPropTagArray tags,            \
                                                          LPSPropProblemArray *lppProblems)\
    {                                                                                      \
        return prop_object_delete_props(prefix##_prop(iface), tags, lppProblems);         \
    }                                                                                      \
    static HRESULT STDMETHODCALLTYPE prefix##_CopyTo(                                      \
        Iface *iface, ULONG ciidExclude, LPCIID rgiidExclude, LPSPropTagArray excluded,    \
        ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress, LPCIID lpInterface,                \
        LPVOID lpDestObj, ULONG ulFlags, LPSPropProblemArray *lppProblems)                 \
    {                                                                                      \
        (void)ciidExclude, (void)rgiidExclude, (void)ulUIParam, (void)lpProgress;          \
        return prop_object_copy(prefix##_prop(iface), FALSE, excluded, NULL, lpInterface,  \
                                lpDestObj, ulFlags, lppProblems);                          \
    }                                                                                      \
    static HRESULT STDMETHODCALLTYPE prefix##_CopyProps(                                   \
        Iface *iface, LPSPropTagArray included, ULONG_PTR ulUIParam,                       \
        LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags,    \
        LPSPropProblemArray *lppProblems)                                                  \
    {                                                                                      \
        (void)ulUIParam, (void)lpProgress;                                                 \
        return prop_object_copy(prefix##_prop(iface), TRUE, NULL, included, lpInterface,   \
                                lpDestObj, ulFlags, lppProblems);                          \
    }                                                                                      \
    static HRESULT STDMETHODCALLTYPE prefix##_GetNamesFromIDs(                             \
        Iface *iface, LPSPropTagArray *lppPropTags, LPGUID lpPropSetGuid, ULONG ulFlags,   \
        ULONG *lpcPropNames, LPMAPINAMEID **lpppPropNames)                                 \
    {                                                                                      \
        return prop_object_get_names_from_ids(prefix##_prop(iface), lppPropTags,           \
                                              lpPropSetGuid, ulFlags, lpcPropNames,        \
                                              lpppPropNames);                              \
    }                                                                                      \
    static HRESULT STDMETHODCALLTYPE prefix##_GetIDsFromNames(                             \
        Iface *iface, ULONG cPropNames, LPMAPINAMEID *lppPropNames, ULONG ulFlags,         \
        LPSPropTagArray *lppPropTags)                                                      \
    {                                                                                      \
        return prop_object_get_ids_from_names(prefix##_prop(iface), cPropNames,            \
                                              lppPropNames, ulFlags, lppPropTags);         \
    }

/* The IMAPIProp vtable entries PROP_OBJECT_METHODS defined, OpenProperty being prefix's own. */
#define PROP_OBJECT_VTBL_ENTRIES(prefix)                                                   \
    prefix##_GetLastError, prefix##_SaveChanges, prefix##_GetProps, prefix##_GetPropList,   \
        prefix##_OpenProperty, prefix##_SetProps, prefix##_DeleteProps, prefix##_CopyTo,    \
        prefix##_CopyProps, prefix##_GetNamesFromIDs, prefix##_GetIDsFromNames

#endif
