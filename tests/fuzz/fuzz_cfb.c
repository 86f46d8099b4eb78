/*
 * libFuzzer target for the compound-file directory check (tools/msg/msg_cfb.c),
 * built natively with clang, AddressSanitizer and UndefinedBehaviorSanitizer
 * (tests/fuzz/run.sh).
 *
 * Input: a compound file, as the bytes of the file on disk.
 * Properties checked, besides the sanitizers' memory, leak and UB checks:
 *   - the check answers MSG_OK, MSG_BAD_FILE (and then says why) or MSG_NO_MEMORY;
 *   - it reads only within the file, and at most about four times the file's
 *     bytes in all: every chain it follows is bounded by the file's sectors,
 *     so no input can keep it reading (ole32's loop is what it exists to avoid).
 */
#include "msg/msg_cfb.h"
#include "fuzz_require.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct file {
    const uint8_t *bytes;
    size_t size;
    ULONGLONG bytes_read;
};

static int read_file(void *context, ULONGLONG offset, void *bytes, ULONG size)
{
    struct file *f = context;
    if (offset > f->size || size > f->size - offset) return MSG_IO_ERROR;
    memcpy(bytes, f->bytes + offset, size);
    f->bytes_read += size;
    return MSG_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct file f = {data, size, 0};
    char why[256] = "";
    int rc = msg_cfb_check_directory(read_file, &f, size, why, sizeof(why));
    require(rc == MSG_OK || rc == MSG_BAD_FILE || rc == MSG_NO_MEMORY);
    require(rc != MSG_BAD_FILE || why[0]);
    require(f.bytes_read <= 4 * (ULONGLONG)size + 512);
    return 0;
}
