/*
 * The .msg file format ([MS-OXMSG]): a message as a compound file.
 *
 * Two layers. msg_format.c reads and writes the format's layout (property
 * streams, value streams, recipient and attachment storages, embedded
 * messages, the named-property mapping) between a compound file and the plain
 * model below; it reaches the file only through struct msg_backend, so it
 * needs no Windows and is fuzzed natively over a byte buffer. msg_mapi.c
 * moves that model into and out of any IMessage through the MAPI interfaces
 * a client uses, and msg_ole.c is the backend over ole32's structured storage.
 *
 * The model keeps values as the file holds them: property tags with the
 * file's own named-property ids (0x8000 + index into names), fixed-size
 * values as their 8 raw bytes, strings without a terminator (PT_STRING8 in
 * the message's code page, PT_UNICODE as UTF-16LE), multi-valued properties
 * as one value per element.
 */
#ifndef MSG_H
#define MSG_H

#include <windows.h>

/* What every call answers. */
enum msg_result {
    MSG_OK = 0,
    MSG_NOT_FOUND,  /* (backend) no such stream or storage */
    MSG_NO_MEMORY,
    MSG_BAD_FILE,   /* the file breaks the format; the reason is in the caller's buffer */
    MSG_IO_ERROR,   /* (backend) the compound file could not be read or written */
};

/* The most embedded messages inside one another, recipients and attachments per message. */
#define MSG_MOST_DEPTH 32
#define MSG_MOST_RECIPIENTS 32768
#define MSG_MOST_ATTACHMENTS 2048
#define MSG_MOST_NAMES 0x7FFF
#define MSG_MOST_VALUES 65536
#define MSG_MOST_STREAM (256u * 1024 * 1024)

/* A property entry's flags ([MS-OXMSG] 2.4.2.1). */
#define MSG_PROP_MANDATORY 0x1
#define MSG_PROP_READABLE 0x2
#define MSG_PROP_WRITABLE 0x4

struct msg_value {
    ULONG size;
    unsigned char *bytes;
};

struct msg_prop {
    ULONG tag;
    ULONG flags; /* MSG_PROP_MANDATORY | MSG_PROP_READABLE | MSG_PROP_WRITABLE as the file says */
    ULONG count; /* values: 1 unless multi-valued */
    struct msg_value *values;
};

/* A message, a recipient or an attachment. */
struct msg_object {
    struct msg_prop *props;
    ULONG prop_count, prop_capacity;
    struct msg_object *recipients; /* a message's */
    ULONG recipient_count;
    struct msg_object *attachments; /* a message's */
    ULONG attachment_count;
    struct msg_object *embedded; /* an ATTACH_EMBEDDED_MSG attachment's message, or NULL */
};

/* A named property of the file: its id is 0x8000 + its index in msg_file.names. */
struct msg_name {
    BOOL defined;         /* FALSE for an id the file's mapping leaves out */
    GUID guid;
    BOOL is_string;
    ULONG id;             /* the name's long id (!is_string) */
    ULONG name_size;      /* the string name's bytes (is_string): UTF-16LE, no terminator */
    unsigned char *name;
};

struct msg_file {
    struct msg_object message;
    struct msg_name *names;
    ULONG name_count;
};

/*
 * A compound file as the format layer sees it. A storage is an opaque
 * handle the backend gives out (NULL is the root); names are ASCII. Every
 * stream is read or written whole.
 */
struct msg_storage;
struct msg_backend {
    void *context;
    /* MSG_NOT_FOUND when parent has no storage of that name. */
    int (*open_storage)(void *context, struct msg_storage *parent, const char *name, struct msg_storage **out);
    /* The stream's bytes, malloc'ed (NULL for none), or MSG_NOT_FOUND. At most MSG_MOST_STREAM. */
    int (*read_stream)(void *context, struct msg_storage *parent, const char *name, unsigned char **bytes,
                       ULONG *size);
    int (*create_storage)(void *context, struct msg_storage *parent, const char *name, struct msg_storage **out);
    int (*write_stream)(void *context, struct msg_storage *parent, const char *name, const unsigned char *bytes,
                        ULONG size);
    /* The storage's class ID (the writer sets only the root's: CLSID_MailMessage). */
    int (*set_class)(void *context, struct msg_storage *storage, const GUID *clsid);
    void (*close_storage)(void *context, struct msg_storage *storage);
};

/* Reads the whole file into out (zeroed first; msg_file_free it even on failure). */
int msg_read(const struct msg_backend *backend, struct msg_file *out, char *why, size_t why_size);

/* Writes file into the backend's empty root. */
int msg_write(const struct msg_backend *backend, const struct msg_file *file);

void msg_file_free(struct msg_file *file);
void msg_object_free(struct msg_object *object);

/* A property of object with that tag, or NULL. */
struct msg_prop *msg_find_prop(const struct msg_object *object, ULONG tag);

/* Adds a property of count empty values to object; its values for the caller to fill. */
struct msg_prop *msg_add_prop(struct msg_object *object, ULONG tag, ULONG count);

/* Sets value to a malloc'ed copy of size bytes. */
int msg_set_value(struct msg_value *value, const void *bytes, ULONG size);

/* Whether a property of this type keeps its values in streams (everything but a single fixed-size value). */
BOOL msg_type_in_stream(ULONG type);

/* The bytes of one value of a fixed-size type (PT_I2 2, PT_LONG 4, ..., PT_CLSID 16), 0 for a variable one. */
ULONG msg_fixed_size(ULONG type);

/* The name of a file's named property with that id, or NULL. */
const struct msg_name *msg_name_of(const struct msg_file *file, ULONG prop_id);

/* The file-local id of a name, added to file's names if new; 0 when there is no room. */
ULONG msg_name_id(struct msg_file *file, const GUID *guid, BOOL is_string, ULONG id, const unsigned char *name,
                  ULONG name_size);

#endif
