/* The one translation unit that defines the MAPI interface IDs msstore compares against. */
#include <msstore/mapi_abi.h>

#include <initguid.h> /* from here on DEFINE_GUID defines instead of declaring */
#define USES_IID_IMsgStore
#define USES_IID_IMAPIProp
#define USES_IID_IMAPIContainer
#define USES_IID_IMAPIFolder
#define USES_IID_IMAPITable
#define USES_IID_IMSProvider
#define USES_IID_IMSLogon
#include <mapiguid.h>

DEFINE_OLEGUID(IID_IMAPIProviderShutdown, 0x00020398, 0, 0);
