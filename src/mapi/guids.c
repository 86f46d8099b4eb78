/*
 * The MAPI interface IDs, defined once for everything built here: msstore and
 * mapisim (and the hosts on it) both link this file's library, so a program
 * with both has one definition of each.
 */
#include <msstore/mapi_abi.h>

#include <initguid.h> /* from here on DEFINE_GUID defines instead of declaring */
#define USES_IID_IMsgStore
#define USES_IID_IMAPIProp
#define USES_IID_IMAPIContainer
#define USES_IID_IMAPIFolder
#define USES_IID_IMessage
#define USES_IID_IAttachment
#define USES_PS_MAPI
#define USES_PS_PUBLIC_STRINGS
#define USES_IID_IMAPITable
#define USES_IID_IMSProvider
#define USES_IID_IMSLogon
#define USES_IID_IMAPIStatus
#define USES_IID_IMAPISup
#define USES_IID_IMAPIAdviseSink
#define USES_IID_IProfSect
#define USES_IID_IProviderAdmin
#include <mapiguid.h>

DEFINE_OLEGUID(IID_IMAPIProviderShutdown, 0x00020398, 0, 0);
