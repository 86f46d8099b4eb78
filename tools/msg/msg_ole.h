/* .msg files on disk, through ole32's structured storage. */
#ifndef MSG_OLE_H
#define MSG_OLE_H

#include "msg.h"

#include <objbase.h>

/* Reads the file at path; why says what is wrong with a file that is refused (MSG_BAD_FILE). */
int msg_ole_read(const WCHAR *path, struct msg_file *out, char *why, size_t why_size);

/* Writes file to path: to "path.partial" first, renamed over path only once complete. */
int msg_ole_write(const WCHAR *path, const struct msg_file *file);

#endif
