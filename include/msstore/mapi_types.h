/*
 * MAPI's data types, codes and property tags, plus the constants MinGW-w64
 * lacks: what msstore's plain-C parts (entry IDs, memory, restrictions) need.
 * No interfaces, so those parts also build natively against Wine's headers
 * (tests/fuzz); mapi_abi.h adds the SPI interfaces on top.
 */
#ifndef MSSTORE_MAPI_TYPES_H
#define MSSTORE_MAPI_TYPES_H

/* Interfaces point to const vtables, so msstore's can be static const (include this first). */
#ifndef CONST_VTABLE
#define CONST_VTABLE
#endif

#include <windows.h>
#include <objbase.h>
#include <mapidefs.h>
#include <mapicode.h>
#include <mapitags.h>
#include <stddef.h>

/* ---- constants MinGW-w64 lacks (Microsoft's MAPIAux.h / MAPIDefS.h) ---- */

#ifndef MDB_ONLINE
#define MDB_ONLINE ((ULONG)0x00000100)
#endif
#ifndef STORE_HTML_OK
#define STORE_HTML_OK ((ULONG)0x00010000)
#endif
#ifndef STORE_ANSI_OK
#define STORE_ANSI_OK ((ULONG)0x00020000)
#endif
#ifndef STORE_UNICODE_OK
#define STORE_UNICODE_OK ((ULONG)0x00040000)
#endif
/* OpenEntry flags of Microsoft's MAPIDefS.h. */
#ifndef SHOW_SOFT_DELETES
#define SHOW_SOFT_DELETES ((ULONG)0x00000002)
#endif
#ifndef MAPI_NO_CACHE
#define MAPI_NO_CACHE ((ULONG)0x00000200)
#endif
#ifndef MAPI_CACHE_ONLY
#define MAPI_CACHE_ONLY ((ULONG)0x00004000)
#endif
#ifndef MAPI_E_RECONNECTED
#define MAPI_E_RECONNECTED MAKE_MAPI_E(0x125)
#endif

/* Special-folder properties of the root folder and the Inbox (Microsoft's mapitags.h, [MS-OXPROPS]). */
#ifndef PR_IPM_APPOINTMENT_ENTRYID
#define PR_IPM_APPOINTMENT_ENTRYID PROP_TAG(PT_BINARY, 0x36D0)
#endif
#ifndef PR_IPM_CONTACT_ENTRYID
#define PR_IPM_CONTACT_ENTRYID PROP_TAG(PT_BINARY, 0x36D1)
#endif
#ifndef PR_IPM_JOURNAL_ENTRYID
#define PR_IPM_JOURNAL_ENTRYID PROP_TAG(PT_BINARY, 0x36D2)
#endif
#ifndef PR_IPM_NOTE_ENTRYID
#define PR_IPM_NOTE_ENTRYID PROP_TAG(PT_BINARY, 0x36D3)
#endif
#ifndef PR_IPM_TASK_ENTRYID
#define PR_IPM_TASK_ENTRYID PROP_TAG(PT_BINARY, 0x36D4)
#endif
#ifndef PR_IPM_DRAFTS_ENTRYID
#define PR_IPM_DRAFTS_ENTRYID PROP_TAG(PT_BINARY, 0x36D7)
#endif
#ifndef PR_ADDITIONAL_REN_ENTRYIDS
#define PR_ADDITIONAL_REN_ENTRYIDS PROP_TAG(PT_MV_BINARY, 0x36D8)
#endif

/* Message properties MinGW-w64's mapitags.h lacks ([MS-OXPROPS]). */
#ifndef PR_MESSAGE_CODEPAGE
#define PR_MESSAGE_CODEPAGE PROP_TAG(PT_LONG, 0x3FFD)
#endif
#ifndef PR_HTML
#define PR_HTML PROP_TAG(PT_BINARY, 0x1013)
#endif
#ifndef PR_CHANGE_KEY
#define PR_CHANGE_KEY PROP_TAG(PT_BINARY, 0x65E2)
#endif
#ifndef PR_SOURCE_KEY
#define PR_SOURCE_KEY PROP_TAG(PT_BINARY, 0x65E0)
#endif
#ifndef PR_PREDECESSOR_CHANGE_LIST
#define PR_PREDECESSOR_CHANGE_LIST PROP_TAG(PT_BINARY, 0x65E3)
#endif
#ifndef PR_ICON_INDEX
#define PR_ICON_INDEX PROP_TAG(PT_LONG, 0x1080)
#endif
#ifndef PR_FLAG_STATUS
#define PR_FLAG_STATUS PROP_TAG(PT_LONG, 0x1090)
#endif

#ifndef DELETE_HARD_DELETE
#define DELETE_HARD_DELETE ((ULONG)0x00000010)
#endif

/* ---- constants Wine's headers lack (the native fuzz build uses them) ---- */

#ifndef BMR_EQZ
#define BMR_EQZ ((ULONG)0x00000000)
#define BMR_NEZ ((ULONG)0x00000001)
#endif
#ifndef MAPI_ERROR_VERSION
#define MAPI_ERROR_VERSION 0x00000000L
#endif

#endif
