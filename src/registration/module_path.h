/* Where this DLL is, as MAPISVC.INF and the profile name it (contract §1.1). */
#ifndef MSSTORE_MODULE_PATH_H
#define MSSTORE_MODULE_PATH_H

#include <msstore/mapi_abi.h>

/*
 * The full path of the module msstore's code is in, without the "32" MAPI
 * inserts before ".dll": C:\msstore\msstore32.dll gives C:\msstore\msstore.dll.
 * FALSE when the module's name does not end in "32.dll" (msstore linked into
 * another program) or the path does not fit.
 */
BOOL module_registered_path(WCHAR *out, DWORD size);

#endif
