/* The IMAPIStatus IMSLogon::OpenStatusEntry gives: the store's status row as an object. */
#ifndef MSSTORE_STATUS_H
#define MSSTORE_STATUS_H

#include "lifecycle/open_store.h"

/* What the status row and the status object show (contract §3.3 step 5), into out. */
HRESULT status_build_props(const struct mapi_allocators *alloc, const WCHAR *display_name, struct prop_list *out);

/* IMSLogon::OpenStatusEntry: a new status object, registered for teardown. */
HRESULT status_open(struct open_store *os, LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType,
                    LPVOID *lppEntry);

#endif
