/* The MAPI interface IDs mapisim (and the hosts built on it) compare against. */
#include "mapisim.h"

#include <initguid.h> /* from here on DEFINE_GUID defines instead of declaring */
#define USES_IID_IMAPISup
#define USES_IID_IMAPIAdviseSink
#include <mapiguid.h>
