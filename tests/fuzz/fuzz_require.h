/* The fuzz targets' property check: a property that failed is said with the target's file and line,
   then abort() so that libFuzzer keeps the input. */
#ifndef FUZZ_REQUIRE_H
#define FUZZ_REQUIRE_H

#include <stdio.h>
#include <stdlib.h>

static inline void fuzz_fail(const char *file, int line, const char *property)
{
    fprintf(stderr, "%s:%d: property failed: %s\n", file, line, property);
    abort();
}
#define require(condition) ((condition) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #condition))

#endif
