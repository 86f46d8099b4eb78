/* The IMAPIStatus IMSLogon::OpenStatusEntry gives: the store's status row as an object. */
#ifndef MSSTORE_STATUS_H
#define MSSTORE_STATUS_H

#include "lifecycle/open_store.h"

/* IMSLogon::OpenStatusEntry: a new status object, registered for teardown. */
HRESULT status_open(struct open_store *os, LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType,
                    LPVOID *lppEntry);

#endif
