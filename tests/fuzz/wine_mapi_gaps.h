/*
 * What Wine's MAPI headers (/usr/include/wine/wine/windows) leave out and
 * tools/msg/msg_format.c uses, which MinGW-w64's headers and the Windows SDK
 * have: forced in front of the msg target's sources (-include, tests/fuzz/run.sh)
 * so that the native build needs no change to tools/. Each is defined only
 * if the headers do not define it, so a later Wine that has it wins.
 */
#ifndef WINE_MAPI_GAPS_H
#define WINE_MAPI_GAPS_H

#include <windows.h>
#include <mapidefs.h>

/* An attachment that is a message (PidTagAttachMethod, [MS-OXCMSG]): Wine's list stops at ATTACH_BY_VALUE. */
#ifndef ATTACH_EMBEDDED_MSG
#define ATTACH_EMBEDDED_MSG ((ULONG)0x00000005)
#endif

#endif
