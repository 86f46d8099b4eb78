/* The IMsgStore of an open store. */
#ifndef MSSTORE_STORE_H
#define MSSTORE_STORE_H

#include "lifecycle/open_store.h"

/* The store object of os, which then owns its memory; os->store points to it. */
HRESULT store_create(struct open_store *os, IMsgStore **out);

/* D14: the store AddRef'd, or NULL if its final Release has already begun. */
IMsgStore *store_reopen(struct store *store);

#endif
