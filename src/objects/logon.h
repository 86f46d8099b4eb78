/* The IMSLogon of an open store: the part of it MAPI calls directly. */
#ifndef MSSTORE_LOGON_H
#define MSSTORE_LOGON_H

#include "lifecycle/open_store.h"

HRESULT logon_create(struct open_store *os, IMSLogon **out);

#endif
