/* The IMAPIFolder objects of an open store. */
#ifndef MSSTORE_FOLDER_H
#define MSSTORE_FOLDER_H

#include "lifecycle/open_store.h"

/*
 * IMsgStore/IMSLogon/IMAPIFolder::OpenEntry: a new folder object for the folder
 * the entry ID names, the root folder when there is none.
 */
HRESULT folder_open_entry(struct open_store *os, ULONG cbEntryID, LPENTRYID lpEntryID,
                          LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType,
                          LPUNKNOWN *lppUnk);

#endif
