/*
 * A .msg model into and out of any IMessage, through the calls a MAPI client
 * makes: nothing here knows msstore's internals, so it works on any store.
 */
#ifndef MSG_MAPI_H
#define MSG_MAPI_H

#include "msg.h"

#include <mapix.h>

/* The session's memory functions (ModifyRecipients takes an ADRLIST made with them). */
struct msg_allocator {
    LPALLOCATEBUFFER allocate;
    LPALLOCATEMORE allocate_more;
    LPFREEBUFFER free;
};

/*
 * Every property of message, its recipients and attachments (embedded
 * messages to any depth) into out, named properties renumbered for the file,
 * strings as PT_UNICODE (a Unicode file), or with ansi as PT_STRING8 in each
 * message's code page (PR_MESSAGE_CODEPAGE, else PR_INTERNET_CPID, else 1252;
 * MAPI_E_UNKNOWN_CPID when a string has a character the code page lacks).
 * Leaves out what only names the message in its store (its entry IDs, keys of
 * the store and provider, access, object type).
 */
HRESULT msg_from_message(IMessage *message, const struct msg_allocator *memory, BOOL ansi, struct msg_file *out);

/*
 * file's message into message (new and unsaved): properties (strings of an
 * ANSI file in its code page), named properties mapped through
 * GetIDsFromNames(MAPI_CREATE), recipients, attachments and embedded messages,
 * which it saves; the caller saves message. Properties the store computes
 * (MAPI_E_COMPUTED) are left to it. why says what failed.
 */
HRESULT msg_to_message(const struct msg_file *file, IMessage *message, const struct msg_allocator *memory,
                       char *why, size_t why_size);

#endif
