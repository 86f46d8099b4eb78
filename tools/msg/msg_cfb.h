/*
 * A compound file's directory checked before ole32 walks it ([MS-CFB] 2.6).
 *
 * Wine's ole32 follows a storage's red-black tree of entries without
 * checking it: a file whose sibling or child links lead back to an entry
 * already on the way makes its name lookup loop forever (findElement in
 * storage32.c, inside OpenStorage). msg_cfb_check_directory reads the header,
 * the sector table and the directory itself and refuses a file whose
 * directory is not a tree: every entry reached from the root at most once,
 * every link to an entry the directory has, every sector within the file.
 * Plain C over a read callback, so it is fuzzed natively (tests/fuzz).
 */
#ifndef MSG_CFB_H
#define MSG_CFB_H

#include "msg.h"

/* Reads size bytes at offset into bytes: MSG_OK only when all of them were read. */
typedef int (*msg_cfb_read_fn)(void *context, ULONGLONG offset, void *bytes, ULONG size);

/*
 * MSG_OK when the directory of the compound file of file_size bytes is a tree,
 * MSG_BAD_FILE with why saying what is wrong, MSG_NO_MEMORY.
 */
int msg_cfb_check_directory(msg_cfb_read_fn read, void *context, ULONGLONG file_size, char *why, size_t why_size);

#endif
