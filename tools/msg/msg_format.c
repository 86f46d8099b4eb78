/* The .msg layout ([MS-OXMSG] 2.1-2.4) between a compound file and the plain model of msg.h. */
#include "msg.h"

#include <mapidefs.h>
#include <mapitags.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* {00020328-0000-0000-C000-000000000046}, {00020329-...}, and the root's class {00020D0B-...}. */
static const GUID ps_mapi = {0x00020328, 0, 0, {0xC0, 0, 0, 0, 0, 0, 0, 0x46}};
static const GUID ps_public_strings = {0x00020329, 0, 0, {0xC0, 0, 0, 0, 0, 0, 0, 0x46}};
static const GUID clsid_mail_message = {0x00020D0B, 0, 0, {0xC0, 0, 0, 0, 0, 0, 0, 0x46}};

#define PROPERTIES "__properties_version1.0"
#define NAMEID "__nameid_version1.0"
#define GUID_STREAM "__substg1.0_00020102"
#define ENTRY_STREAM "__substg1.0_00030102"
#define STRING_STREAM "__substg1.0_00040102"
#define EMBEDDED "__substg1.0_3701000D"
#define NAME_BUCKETS 0x1F

/* The property stream's header: the root's, an embedded message's, a recipient's or attachment's. */
enum { TOP_HEADER = 32, EMBEDDED_HEADER = 24, CHILD_HEADER = 8, ENTRY_SIZE = 16 };

static ULONG get32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (ULONG)p[3] << 24; }

static void put32(unsigned char *p, ULONG v)
{
    p[0] = (unsigned char)v, p[1] = (unsigned char)(v >> 8), p[2] = (unsigned char)(v >> 16), p[3] = (unsigned char)(v >> 24);
}

/* ---- the model ---- */


ULONG msg_fixed_size(ULONG type)
{
    switch (type & ~MV_FLAG) {
    case PT_I2: case PT_BOOLEAN: return 2;
    case PT_LONG: case PT_R4: case PT_ERROR: return 4;
    case PT_DOUBLE: case PT_CURRENCY: case PT_APPTIME: case PT_SYSTIME: case PT_I8: return 8;
    case PT_CLSID: return 16;
    default: return 0;
    }
}

static BOOL is_variable(ULONG type)
{
    type &= ~MV_FLAG;
    return type == PT_STRING8 || type == PT_UNICODE || type == PT_BINARY;
}

/* PT_CLSID is fixed-size but kept in a stream like the variable types. */
BOOL msg_type_in_stream(ULONG type) { return (type & MV_FLAG) || is_variable(type) || type == PT_CLSID; }

static BOOL known_type(ULONG type)
{
    if (type == PT_OBJECT) return TRUE;
    if ((type & MV_FLAG) && (type & ~MV_FLAG) == PT_ERROR) return FALSE;
    return msg_fixed_size(type) || is_variable(type);
}

int msg_set_value(struct msg_value *value, const void *bytes, ULONG size)
{
    value->size = size;
    value->bytes = NULL;
    if (!size) return MSG_OK;
    if (!(value->bytes = malloc(size))) return MSG_NO_MEMORY;
    memcpy(value->bytes, bytes, size);
    return MSG_OK;
}

struct msg_prop *msg_find_prop(const struct msg_object *object, ULONG tag)
{
    ULONG i;
    for (i = 0; i < object->prop_count; i++)
        if (object->props[i].tag == tag) return &object->props[i];
    return NULL;
}

struct msg_prop *msg_add_prop(struct msg_object *object, ULONG tag, ULONG count)
{
    struct msg_prop *prop;
    if (object->prop_count == object->prop_capacity) {
        ULONG capacity = object->prop_capacity ? 2 * object->prop_capacity : 32;
        struct msg_prop *props = realloc(object->props, capacity * sizeof(*props));
        if (!props) return NULL;
        object->props = props;
        object->prop_capacity = capacity;
    }
    prop = &object->props[object->prop_count];
    prop->tag = tag;
    prop->flags = MSG_PROP_READABLE | MSG_PROP_WRITABLE;
    prop->count = count;
    if (!(prop->values = calloc(count ? count : 1, sizeof(*prop->values)))) return NULL;
    object->prop_count++;
    return prop;
}

void msg_object_free(struct msg_object *object)
{
    ULONG i, j;
    if (!object) return;
    for (i = 0; i < object->prop_count; i++) {
        for (j = 0; j < object->props[i].count; j++) free(object->props[i].values[j].bytes);
        free(object->props[i].values);
    }
    free(object->props);
    for (i = 0; i < object->recipient_count; i++) msg_object_free(&object->recipients[i]);
    free(object->recipients);
    for (i = 0; i < object->attachment_count; i++) msg_object_free(&object->attachments[i]);
    free(object->attachments);
    msg_object_free(object->embedded);
    free(object->embedded);
    memset(object, 0, sizeof(*object));
}

void msg_file_free(struct msg_file *file)
{
    ULONG i;
    msg_object_free(&file->message);
    for (i = 0; i < file->name_count; i++) free(file->names[i].name);
    free(file->names);
    memset(file, 0, sizeof(*file));
}

const struct msg_name *msg_name_of(const struct msg_file *file, ULONG prop_id)
{
    if (prop_id < 0x8000 || prop_id - 0x8000 >= file->name_count) return NULL;
    return file->names[prop_id - 0x8000].defined ? &file->names[prop_id - 0x8000] : NULL;
}

ULONG msg_name_id(struct msg_file *file, const GUID *guid, BOOL is_string, ULONG id, const unsigned char *name,
                  ULONG name_size)
{
    struct msg_name *names, *n;
    ULONG i;
    for (i = 0; i < file->name_count; i++) {
        n = &file->names[i];
        if (n->defined && IsEqualGUID(&n->guid, guid) && n->is_string == is_string &&
            (is_string ? n->name_size == name_size && !memcmp(n->name, name, name_size) : n->id == id))
            return 0x8000 + i;
    }
    if (file->name_count == MSG_MOST_NAMES) return 0;
    if (!(names = realloc(file->names, (file->name_count + 1) * sizeof(*names)))) return 0;
    file->names = names;
    n = &names[file->name_count];
    memset(n, 0, sizeof(*n));
    n->guid = *guid;
    n->is_string = is_string;
    n->id = id;
    if (is_string && name_size) {
        if (!(n->name = malloc(name_size))) return 0;
        memcpy(n->name, name, name_size);
        n->name_size = name_size;
    }
    n->defined = TRUE;
    return 0x8000 + file->name_count++;
}

/* ---- reading ---- */

struct reader {
    const struct msg_backend *b;
    char *why;
    size_t why_size;
};

static int refuse(struct reader *r, const char *what, ULONG number)
{
    snprintf(r->why, r->why_size, what, (unsigned long)number);
    return MSG_BAD_FILE;
}

static int read_stream(struct reader *r, struct msg_storage *storage, const char *name, unsigned char **bytes,
                       ULONG *size)
{
    int rc = r->b->read_stream(r->b->context, storage, name, bytes, size);
    if (rc == MSG_NOT_FOUND) snprintf(r->why, r->why_size, "no stream %s", name);
    else if (rc == MSG_IO_ERROR) snprintf(r->why, r->why_size, "stream %s cannot be read", name);
    return rc;
}

/* A string value as kept in the model: up to its first terminator (files have none, one, or more). */
static ULONG string_size(ULONG type, const unsigned char *bytes, ULONG size)
{
    ULONG i;
    if ((type & ~MV_FLAG) == PT_UNICODE) {
        for (i = 0; i + 1 < size; i += 2)
            if (!bytes[i] && !bytes[i + 1]) return i;
        return size & ~1u;
    }
    if ((type & ~MV_FLAG) == PT_STRING8)
        for (i = 0; i < size; i++)
            if (!bytes[i]) return i;
    return size;
}

/* parent's storage of that name; a reason for any failure but MSG_NOT_FOUND, which the caller words. */
static int open_storage(struct reader *r, struct msg_storage *parent, const char *name, struct msg_storage **out)
{
    int rc = r->b->open_storage(r->b->context, parent, name, out);
    if (rc == MSG_IO_ERROR) snprintf(r->why, r->why_size, "storage %s cannot be opened", name);
    return rc;
}

static int read_value_stream(struct reader *r, struct msg_storage *storage, const char *name, ULONG type,
                             struct msg_value *value)
{
    unsigned char *bytes = NULL;
    ULONG size = 0;
    int rc = read_stream(r, storage, name, &bytes, &size);
    if (rc != MSG_OK) return rc;
    if ((type & ~MV_FLAG) == PT_UNICODE && (size & 1)) rc = refuse(r, "a UTF-16 string of an odd size (%lu bytes)", size);
    if ((type & ~MV_FLAG) == PT_CLSID && size != 16) rc = refuse(r, "a GUID of %lu bytes", size);
    value->bytes = bytes;
    value->size = rc == MSG_OK ? string_size(type, bytes, size) : 0;
    return rc;
}

static int read_multiple(struct reader *r, struct msg_storage *storage, ULONG tag, struct msg_prop *prop)
{
    ULONG type = PROP_TYPE(tag), element = msg_fixed_size(type), size = 0, i;
    unsigned char *bytes = NULL;
    char name[48];
    int rc;
    snprintf(name, sizeof(name), "__substg1.0_%08lX", (unsigned long)tag);
    if ((rc = read_stream(r, storage, name, &bytes, &size)) != MSG_OK) return rc;
    /* Fixed-size values back to back; variable ones: a length per value (8 bytes for binaries), each in a stream. */
    if (!element) element = (type & ~MV_FLAG) == PT_BINARY ? 8 : 4;
    if (size % element) rc = refuse(r, "a multi-valued property's stream of %lu bytes", size);
    else if (size / element > MSG_MOST_VALUES) rc = refuse(r, "a multi-valued property of %lu values", size / element);
    else if (!(prop->values = calloc(size / element + 1, sizeof(*prop->values)))) rc = MSG_NO_MEMORY;
    for (i = 0; rc == MSG_OK && i < size / element; i++, prop->count++) {
        if (!is_variable(type)) {
            rc = msg_set_value(&prop->values[i], bytes + i * element, element);
        } else {
            snprintf(name, sizeof(name), "__substg1.0_%08lX-%08lX", (unsigned long)tag, (unsigned long)i);
            rc = read_value_stream(r, storage, name, type, &prop->values[i]);
        }
    }
    free(bytes);
    return rc;
}

static int read_message(struct reader *r, struct msg_storage *storage, ULONG header, int depth,
                        struct msg_object *out);

/* The children of a message: recipients (storage prefix "recip") or attachments. */
static int read_children(struct reader *r, struct msg_storage *storage, const char *kind, ULONG count, ULONG most,
                         int depth, struct msg_object **out, ULONG *out_count)
{
    struct msg_storage *child;
    char name[48];
    ULONG i;
    int rc = MSG_OK;
    if (count > most) return refuse(r, kind[0] == 'r' ? "%lu recipients" : "%lu attachments", count);
    if (!count) return MSG_OK;
    if (!(*out = calloc(count, sizeof(**out)))) return MSG_NO_MEMORY;
    for (i = 0; rc == MSG_OK && i < count; i++) {
        snprintf(name, sizeof(name), "__%s_version1.0_#%08lX", kind, (unsigned long)i);
        rc = open_storage(r, storage, name, &child);
        if (rc == MSG_NOT_FOUND) return refuse(r, kind[0] == 'r' ? "recipient %lu is missing" : "attachment %lu is missing", i);
        if (rc != MSG_OK) return rc;
        *out_count = i + 1;
        rc = read_message(r, child, CHILD_HEADER, depth, &(*out)[i]);
        r->b->close_storage(r->b->context, child);
    }
    return rc;
}

/* An attachment's embedded message (PR_ATTACH_DATA_OBJ with ATTACH_EMBEDDED_MSG). */
static int read_embedded(struct reader *r, struct msg_storage *storage, int depth, struct msg_object *attachment)
{
    struct msg_prop *method = msg_find_prop(attachment, PR_ATTACH_METHOD);
    struct msg_storage *inner;
    int rc;
    if (!method || get32(method->values[0].bytes) != ATTACH_EMBEDDED_MSG)
        return refuse(r, "an OLE storage attachment (method %lu), which msstore does not keep",
                      method ? get32(method->values[0].bytes) : 0);
    if (depth + 1 > MSG_MOST_DEPTH) return refuse(r, "embedded messages nested deeper than %lu", MSG_MOST_DEPTH);
    if (attachment->embedded) return refuse(r, "two embedded messages in one attachment", 0);
    if ((rc = open_storage(r, storage, EMBEDDED, &inner)) == MSG_NOT_FOUND)
        return refuse(r, "an embedded message's storage is missing", 0);
    if (rc != MSG_OK) return rc;
    if (!(attachment->embedded = calloc(1, sizeof(*attachment->embedded)))) rc = MSG_NO_MEMORY;
    else rc = read_message(r, inner, EMBEDDED_HEADER, depth + 1, attachment->embedded);
    r->b->close_storage(r->b->context, inner);
    return rc;
}

/* One object's property stream and value streams, then (a message's) its recipients and attachments. */
static int read_message(struct reader *r, struct msg_storage *storage, ULONG header, int depth,
                        struct msg_object *out)
{
    unsigned char *stream = NULL, *seen;
    ULONG size = 0, i, recipients = 0, attachments = 0;
    BOOL has_object = FALSE;
    int rc;
    /* One bit per property id: an id twice (under one type or two) is refused, and checking costs no search. */
    if (!(seen = calloc(0x10000 / 8, 1))) return MSG_NO_MEMORY;
    if ((rc = read_stream(r, storage, PROPERTIES, &stream, &size)) != MSG_OK) {
        free(seen);
        return rc;
    }
    if (size < header || (size - header) % ENTRY_SIZE)
        rc = refuse(r, "a property stream of %lu bytes (a header and 16-byte entries)", size);
    if (rc == MSG_OK && header > CHILD_HEADER) {
        recipients = get32(stream + 16);
        attachments = get32(stream + 20);
    }
    for (i = 0; rc == MSG_OK && header + i * ENTRY_SIZE < size; i++) {
        const unsigned char *entry = stream + header + i * ENTRY_SIZE;
        ULONG tag = get32(entry), type = PROP_TYPE(tag);
        unsigned char bit = (unsigned char)(1 << (PROP_ID(tag) % 8)), *seen_byte = &seen[PROP_ID(tag) / 8];
        BOOL twice = (*seen_byte & bit) != 0;
        struct msg_prop *prop;
        char name[48];
        *seen_byte |= bit;
        if (!known_type(type)) {
            rc = refuse(r, "a property of an unknown type 0x%04lX", type);
        } else if (twice) {
            rc = refuse(r, "property 0x%04lX twice", PROP_ID(tag));
        } else if (type == PT_OBJECT) {
            has_object = TRUE; /* read once the other properties say what kind of object it is */
        } else if (!(prop = msg_add_prop(out, tag, 0))) {
            rc = MSG_NO_MEMORY;
        } else {
            prop->flags = get32(entry + 4);
            if (type & MV_FLAG) {
                free(prop->values);
                prop->values = NULL;
                rc = read_multiple(r, storage, tag, prop);
            } else if (!msg_type_in_stream(type)) {
                prop->count = 1;
                rc = msg_set_value(&prop->values[0], entry + 8, 8);
            } else {
                prop->count = 1;
                snprintf(name, sizeof(name), "__substg1.0_%08lX", (unsigned long)tag);
                rc = read_value_stream(r, storage, name, type, &prop->values[0]);
            }
        }
    }
    free(stream);
    free(seen);
    if (rc == MSG_OK && has_object) rc = read_embedded(r, storage, depth, out);
    if (rc == MSG_OK)
        rc = read_children(r, storage, "recip", recipients, MSG_MOST_RECIPIENTS, depth, &out->recipients,
                           &out->recipient_count);
    if (rc == MSG_OK)
        rc = read_children(r, storage, "attach", attachments, MSG_MOST_ATTACHMENTS, depth, &out->attachments,
                           &out->attachment_count);
    return rc;
}

/* The named-property mapping: entries say which GUID and name each id 0x8000 + index has. */
static int read_names(struct reader *r, struct msg_file *file)
{
    unsigned char *guids = NULL, *entries = NULL, *strings = NULL;
    ULONG guid_size = 0, entry_size = 0, string_size_ = 0, i;
    struct msg_storage *nameid;
    int rc = open_storage(r, NULL, NAMEID, &nameid);
    if (rc == MSG_NOT_FOUND) return MSG_OK; /* no named properties */
    if (rc != MSG_OK) return rc;
    rc = read_stream(r, nameid, GUID_STREAM, &guids, &guid_size);
    if (rc == MSG_OK) rc = read_stream(r, nameid, ENTRY_STREAM, &entries, &entry_size);
    if (rc == MSG_OK) rc = read_stream(r, nameid, STRING_STREAM, &strings, &string_size_);
    if (rc == MSG_OK && (guid_size % 16 || entry_size % 8))
        rc = refuse(r, "a named-property mapping of the wrong size (%lu)", guid_size % 16 ? guid_size : entry_size);
    for (i = 0; rc == MSG_OK && i < entry_size / 8; i++) {
        ULONG value = get32(entries + 8 * i), kind = get32(entries + 8 * i + 4);
        ULONG guid_index = (kind >> 1) & 0x7FFF, index = kind >> 16;
        struct msg_name *n;
        if (index >= MSG_MOST_NAMES) {
            rc = refuse(r, "a named property with index %lu", index);
            break;
        }
        if (index >= file->name_count) {
            struct msg_name *names = realloc(file->names, (index + 1) * sizeof(*names));
            if (!names) {
                rc = MSG_NO_MEMORY;
                break;
            }
            memset(names + file->name_count, 0, (index + 1 - file->name_count) * sizeof(*names));
            file->names = names;
            file->name_count = index + 1;
        }
        n = &file->names[index];
        if (n->defined) {
            rc = refuse(r, "named property 0x%04lX defined twice", 0x8000 + index);
            break;
        }
        if (guid_index == 1) n->guid = ps_mapi;
        else if (guid_index == 2) n->guid = ps_public_strings;
        else if (guid_index >= 3 && guid_index - 3 < guid_size / 16) memcpy(&n->guid, guids + 16 * (guid_index - 3), 16);
        else {
            rc = refuse(r, "a named property's GUID index %lu is not in the file", guid_index);
            break;
        }
        n->is_string = kind & 1;
        n->id = value;
        if (n->is_string) {
            ULONG length;
            if (value > string_size_ || string_size_ - value < 4 ||
                (length = get32(strings + value)) > string_size_ - value - 4 || (length & 1)) {
                rc = refuse(r, "a property name at %lu runs past the string stream", value);
                break;
            }
            if (length && !(n->name = malloc(length))) {
                rc = MSG_NO_MEMORY;
                break;
            }
            if (length) memcpy(n->name, strings + value + 4, length);
            n->name_size = length;
            n->id = 0;
        }
        n->defined = TRUE;
    }
    free(guids);
    free(entries);
    free(strings);
    r->b->close_storage(r->b->context, nameid);
    return rc;
}

int msg_read(const struct msg_backend *backend, struct msg_file *out, char *why, size_t why_size)
{
    struct reader r = {backend, why, why_size};
    int rc;
    memset(out, 0, sizeof(*out));
    if (why_size) why[0] = 0;
    rc = read_names(&r, out);
    if (rc == MSG_OK) rc = read_message(&r, NULL, TOP_HEADER, 0, &out->message);
    if (rc == MSG_NO_MEMORY && why_size) snprintf(why, why_size, "out of memory");
    return rc;
}

/* ---- writing ---- */

/* MS-OXMSG's CRC-32 of a string name: the usual reflected polynomial, but from 0 and with no final XOR. */
static ULONG name_crc(const unsigned char *bytes, ULONG size)
{
    ULONG crc = 0, i;
    int bit;
    for (i = 0; i < size; i++) {
        crc ^= bytes[i];
        for (bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
    }
    return crc;
}

struct buffer {
    unsigned char *bytes;
    ULONG size, capacity;
    BOOL failed;
};

static void append(struct buffer *b, const void *bytes, ULONG size)
{
    if (b->failed) return;
    if (b->size + size > b->capacity) {
        ULONG capacity = b->capacity ? b->capacity : 256;
        unsigned char *grown;
        while (capacity < b->size + size) capacity *= 2;
        if (!(grown = realloc(b->bytes, capacity))) {
            b->failed = TRUE;
            return;
        }
        b->bytes = grown;
        b->capacity = capacity;
    }
    if (size) memcpy(b->bytes + b->size, bytes, size);
    b->size += size;
}

static void append32(struct buffer *b, ULONG v)
{
    unsigned char bytes[4];
    put32(bytes, v);
    append(b, bytes, 4);
}

static int write_buffer(const struct msg_backend *w, struct msg_storage *storage, const char *name, struct buffer *b)
{
    int rc = b->failed ? MSG_NO_MEMORY : w->write_stream(w->context, storage, name, b->bytes, b->size);
    free(b->bytes);
    memset(b, 0, sizeof(*b));
    return rc;
}

/* The GUID index a name's entry carries: 1 PS_MAPI, 2 PS_PUBLIC_STRINGS, 3 + n the GUID stream's nth. */
static ULONG guid_index(const struct msg_name *name, struct buffer *guids)
{
    ULONG i;
    if (IsEqualGUID(&name->guid, &ps_mapi)) return 1;
    if (IsEqualGUID(&name->guid, &ps_public_strings)) return 2;
    for (i = 0; i + 16 <= guids->size; i += 16)
        if (!memcmp(guids->bytes + i, &name->guid, 16)) return 3 + i / 16;
    append(guids, &name->guid, 16);
    return 3 + (guids->size - 16) / 16;
}

static int write_names(const struct msg_backend *w, const struct msg_file *file)
{
    struct buffer guids = {0}, entries = {0}, strings = {0}, buckets[NAME_BUCKETS];
    struct msg_storage *nameid;
    char name[48];
    ULONG i;
    int rc;
    memset(buckets, 0, sizeof(buckets));
    if ((rc = w->create_storage(w->context, NULL, NAMEID, &nameid)) != MSG_OK) return rc;
    for (i = 0; i < file->name_count; i++) {
        const struct msg_name *n = &file->names[i];
        ULONG index, kind, key;
        struct buffer *bucket;
        if (!n->defined) continue; /* an id the file's mapping left out stays out */
        index = guid_index(n, &guids);
        kind = i << 16 | index << 1 | (n->is_string ? 1 : 0);
        key = n->is_string ? name_crc(n->name, n->name_size) : n->id;
        bucket = &buckets[(key ^ (index << 1 | (n->is_string ? 1 : 0))) % NAME_BUCKETS];
        if (n->is_string) {
            static const unsigned char zeros[3];
            append32(&entries, strings.size);
            append32(&strings, n->name_size);
            append(&strings, n->name, n->name_size);
            append(&strings, zeros, (4 - strings.size % 4) % 4);
        } else {
            append32(&entries, n->id);
        }
        append32(&entries, kind);
        append32(bucket, key);
        append32(bucket, kind);
    }
    rc = write_buffer(w, nameid, GUID_STREAM, &guids);
    if (rc == MSG_OK) rc = write_buffer(w, nameid, ENTRY_STREAM, &entries);
    if (rc == MSG_OK) rc = write_buffer(w, nameid, STRING_STREAM, &strings);
    for (i = 0; i < NAME_BUCKETS; i++) {
        snprintf(name, sizeof(name), "__substg1.0_%04lX0102", (unsigned long)(0x1000 + i));
        if (rc == MSG_OK && (buckets[i].size || buckets[i].failed)) rc = write_buffer(w, nameid, name, &buckets[i]);
        free(buckets[i].bytes);
    }
    w->close_storage(w->context, nameid);
    return rc;
}

/* A string value as a value stream of a multi-valued property holds it: with its terminator. */
static int write_terminated(const struct msg_backend *w, struct msg_storage *storage, const char *name, ULONG type,
                            const struct msg_value *value, ULONG *written)
{
    static const unsigned char zeros[2];
    struct buffer b = {0};
    ULONG terminator = (type & ~MV_FLAG) == PT_UNICODE ? 2 : (type & ~MV_FLAG) == PT_STRING8 ? 1 : 0;
    append(&b, value->bytes, value->size);
    append(&b, zeros, terminator);
    *written = b.size;
    return write_buffer(w, storage, name, &b);
}

/* One property's entry in props, and its streams. */
static int write_prop(const struct msg_backend *w, struct msg_storage *storage, const struct msg_prop *prop,
                      struct buffer *props)
{
    ULONG type = PROP_TYPE(prop->tag), size = 0, i;
    unsigned char value[8] = {0};
    char name[48];
    int rc = MSG_OK;
    append32(props, prop->tag);
    append32(props, prop->flags);
    snprintf(name, sizeof(name), "__substg1.0_%08lX", (unsigned long)prop->tag);
    if (type & MV_FLAG) {
        struct buffer lengths = {0};
        for (i = 0; rc == MSG_OK && i < prop->count; i++) {
            if (!is_variable(type)) {
                append(&lengths, prop->values[i].bytes, prop->values[i].size);
                continue;
            }
            snprintf(name, sizeof(name), "__substg1.0_%08lX-%08lX", (unsigned long)prop->tag, (unsigned long)i);
            rc = write_terminated(w, storage, name, type, &prop->values[i], &size);
            append32(&lengths, size);
            if ((type & ~MV_FLAG) == PT_BINARY) append32(&lengths, 0);
        }
        snprintf(name, sizeof(name), "__substg1.0_%08lX", (unsigned long)prop->tag);
        put32(value, lengths.size);
        if (rc == MSG_OK) rc = write_buffer(w, storage, name, &lengths);
        free(lengths.bytes);
    } else if (msg_type_in_stream(type)) {
        /* The size counts a string's terminator, which the stream leaves out ([MS-OXMSG] 2.4.2.2). */
        ULONG terminator = type == PT_UNICODE ? 2 : type == PT_STRING8 ? 1 : 0;
        put32(value, prop->values[0].size + terminator);
        rc = w->write_stream(w->context, storage, name, prop->values[0].bytes, prop->values[0].size);
    } else {
        memcpy(value, prop->values[0].bytes, prop->values[0].size < 8 ? prop->values[0].size : 8);
    }
    append(props, value, 8);
    return rc;
}

static int write_object(const struct msg_backend *w, struct msg_storage *storage, const struct msg_object *object,
                        ULONG header);

static int write_children(const struct msg_backend *w, struct msg_storage *storage, const char *kind,
                          const struct msg_object *children, ULONG count)
{
    struct msg_storage *child;
    char name[48];
    ULONG i;
    int rc = MSG_OK;
    for (i = 0; rc == MSG_OK && i < count; i++) {
        snprintf(name, sizeof(name), "__%s_version1.0_#%08lX", kind, (unsigned long)i);
        if ((rc = w->create_storage(w->context, storage, name, &child)) != MSG_OK) break;
        rc = write_object(w, child, &children[i], CHILD_HEADER);
        w->close_storage(w->context, child);
    }
    return rc;
}

static int write_object(const struct msg_backend *w, struct msg_storage *storage, const struct msg_object *object,
                        ULONG header)
{
    static const unsigned char zeros[8];
    struct buffer props = {0};
    ULONG i;
    int rc = MSG_OK;
    append(&props, zeros, 8);
    if (header > CHILD_HEADER) {
        append32(&props, object->recipient_count); /* the next ids: the children are numbered from 0 */
        append32(&props, object->attachment_count);
        append32(&props, object->recipient_count);
        append32(&props, object->attachment_count);
        if (header == TOP_HEADER) append(&props, zeros, 8);
    }
    for (i = 0; rc == MSG_OK && i < object->prop_count; i++) rc = write_prop(w, storage, &object->props[i], &props);
    if (rc == MSG_OK && object->embedded) {
        struct msg_storage *inner;
        unsigned char value[8];
        append32(&props, PR_ATTACH_DATA_OBJ);
        append32(&props, MSG_PROP_READABLE | MSG_PROP_WRITABLE);
        put32(value, 0xFFFFFFFF); /* [MS-OXMSG] 2.4.2.2: an embedded message's entry has no size */
        put32(value + 4, 0);
        append(&props, value, 8);
        if ((rc = w->create_storage(w->context, storage, EMBEDDED, &inner)) == MSG_OK) {
            rc = write_object(w, inner, object->embedded, EMBEDDED_HEADER);
            w->close_storage(w->context, inner);
        }
    }
    if (rc == MSG_OK) rc = write_children(w, storage, "recip", object->recipients, object->recipient_count);
    if (rc == MSG_OK) rc = write_children(w, storage, "attach", object->attachments, object->attachment_count);
    if (rc == MSG_OK) rc = write_buffer(w, storage, PROPERTIES, &props);
    free(props.bytes);
    return rc;
}

int msg_write(const struct msg_backend *backend, const struct msg_file *file)
{
    int rc = backend->set_class(backend->context, NULL, &clsid_mail_message);
    if (rc == MSG_OK) rc = write_names(backend, file);
    if (rc == MSG_OK) rc = write_object(backend, NULL, &file->message, TOP_HEADER);
    return rc;
}
