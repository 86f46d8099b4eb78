/*
 * The one case folding msstore sorts and compares strings by (restrictions,
 * table sorts, the store's sort keys): ASCII and Latin-1 letters to lower
 * case, every other code unit as it is. Plain C, for the native fuzz builds too.
 */
#ifndef MSSTORE_FOLD_H
#define MSSTORE_FOLD_H

static inline unsigned long mapi_fold_case(unsigned long c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 0x20;
    return c;
}

#endif
