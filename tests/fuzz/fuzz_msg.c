/*
 * libFuzzer target for the .msg reader and writer (tools/msg/msg_format.c),
 * built natively with clang, AddressSanitizer and UndefinedBehaviorSanitizer
 * (tests/fuzz/run.sh). msg_format.c reaches the compound file only through
 * struct msg_backend; here that backend is a tree of named storages and
 * streams that the input describes.
 *
 * Input: the records of the root storage, one after another, in a container
 * format of this target's own (tests/fuzz/msg_seed.py turns a .msg file into
 * it):
 *
 *   record  = 'F' name data          a stream and its bytes
 *           | 'X' name               an entry that cannot be read: opening it as a
 *                                    stream or as a storage answers MSG_IO_ERROR
 *           | 'D' name record* 'E'   a storage and its children
 *   name    = length:u8 byte[length] (the format layer asks for ASCII names;
 *                                    found ignoring ASCII case, as a compound file does)
 *   data    = length:u32 (little-endian) byte[length]
 *
 * Reading never goes past the input: a stream whose length runs past the end
 * gets the bytes that are left, a name cut short ends the input, a storage
 * without its 'E' ends with the input, and any other byte where a record
 * starts (an 'E' at the root too) ends the input. Storages nest at most
 * MOST_LEVELS deep (a 'D' deeper ends the input): enough to go past the
 * reader's limit on embedded messages, at two storages a level (an attachment
 * and its message). Of two entries with the same name, the first is found.
 * Every name and stream is a malloc block of its own, so ASan sees exact
 * bounds.
 *
 * Properties checked, besides the sanitizers' memory, leak and UB checks:
 *   - msg_read answers one of msg.h's results, and says why whenever it fails;
 *   - it closes every storage it opens, once;
 *   - a model it reads keeps msg.h's promises (fixed-size values of their size,
 *     UTF-16 strings of even size, GUIDs of 16 bytes, counts within the limits,
 *     embedded messages at most MSG_MOST_DEPTH deep);
 *   - that model (unless it has more than MOST_ROUND_TRIP_NAMES named-property
 *     slots, see there) written with msg_write succeeds, into storages it has open,
 *     each name at most 31 characters (a compound file's limit) and written
 *     once in its storage, the root given CLSID_MailMessage; the tree it wrote, turned into the container format
 *     and parsed again, reads back with msg_read into the same model: the
 *     same properties (tags, flags, values) in the same order, the same
 *     recipients, attachments and embedded messages, the same named properties.
 */
#include "msg/msg.h"
#include "fuzz_require.h"

#include <mapidefs.h>
#include <mapitags.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MOST_LEVELS 256
#define MOST_NAME 31 /* UTF-16 characters of a compound file's entry name, its terminator left out */
/*
 * The most named-property slots a model may have for its round trip to be checked. One entry at a
 * high index makes that many slots, and msg_write writes an entry for each; read_names then grows
 * its array by one slot an entry, and ASan's realloc always moves the block: 32,767 slots cost
 * gigabytes of copying and seconds an input, which would leave the fuzzer doing little else.
 */
#define MOST_ROUND_TRIP_NAMES 4096

/* ---- the tree of storages and streams ---- */

enum entry_kind { STREAM, STORAGE, UNREADABLE };

struct entry {
    enum entry_kind kind;
    char *name;          /* exactly name_size bytes, no terminator */
    size_t name_size;
    unsigned char *data; /* a stream's bytes, exactly size of them (NULL for none) */
    size_t size;
    struct entry **children; /* a storage's, in their order */
    size_t child_count;
    struct entry *parent;
    unsigned open_count; /* the reader's or writer's handles on this storage not closed yet */
    BOOL has_class;
    GUID clsid;
};

static void *copy_of(const void *bytes, size_t size)
{
    void *copy;
    if (!size) return NULL;
    copy = malloc(size);
    require(copy != NULL);
    memcpy(copy, bytes, size);
    return copy;
}

static struct entry *add_child(struct entry *parent, enum entry_kind kind, const void *name, size_t name_size)
{
    struct entry *child = calloc(1, sizeof(*child)), **children;
    require(child != NULL);
    children = realloc(parent->children, (parent->child_count + 1) * sizeof(*children));
    require(children != NULL);
    parent->children = children;
    children[parent->child_count++] = child;
    child->kind = kind;
    child->name = copy_of(name, name_size);
    child->name_size = name_size;
    child->parent = parent;
    return child;
}

/* Frees a tree; its depth is at most MOST_LEVELS, so recursion is bounded. */
static void free_tree(struct entry *entry)
{
    size_t i;
    for (i = 0; i < entry->child_count; i++) free_tree(entry->children[i]);
    free(entry->children);
    free(entry->name);
    free(entry->data);
    free(entry);
}

static BOOL same_name(const struct entry *entry, const char *name)
{
    size_t i, size = strlen(name);
    if (entry->name_size != size) return FALSE;
    for (i = 0; i < size; i++) {
        char a = entry->name[i], b = name[i];
        if (a >= 'a' && a <= 'z') a = (char)(a - 'a' + 'A');
        if (b >= 'a' && b <= 'z') b = (char)(b - 'a' + 'A');
        if (a != b) return FALSE;
    }
    return TRUE;
}

static struct entry *child_named(const struct entry *parent, const char *name)
{
    size_t i;
    for (i = 0; i < parent->child_count; i++)
        if (same_name(parent->children[i], name)) return parent->children[i];
    return NULL;
}

/* Every storage of the tree closed as often as it was opened. */
static BOOL all_closed(const struct entry *entry)
{
    size_t i;
    if (entry->open_count) return FALSE;
    for (i = 0; i < entry->child_count; i++)
        if (!all_closed(entry->children[i])) return FALSE;
    return TRUE;
}

/* ---- the container format: parsed, and made from a tree ---- */

struct input {
    const uint8_t *data;
    size_t size, pos;
};

static BOOL take(struct input *in, size_t count, const uint8_t **bytes)
{
    if (in->size - in->pos < count) return FALSE;
    *bytes = in->data + in->pos;
    in->pos += count;
    return TRUE;
}

/* The tree the records describe (see the top of the file); never reads past the input. */
static struct entry *parse_tree(const uint8_t *data, size_t size)
{
    struct input in = {data, size, 0};
    struct entry *root = calloc(1, sizeof(*root)), *current;
    unsigned level = 0;
    const uint8_t *kind, *length, *name, *bytes;
    require(root != NULL);
    root->kind = STORAGE;
    current = root;
    while (take(&in, 1, &kind)) {
        if (*kind == 'E' && current != root) {
            current = current->parent;
            level--;
            continue;
        }
        if ((*kind != 'F' && *kind != 'X' && *kind != 'D') || !take(&in, 1, &length) || !take(&in, *length, &name))
            break;
        if (*kind == 'X') {
            add_child(current, UNREADABLE, name, *length);
        } else if (*kind == 'D') {
            if (level == MOST_LEVELS) break;
            current = add_child(current, STORAGE, name, *length);
            level++;
        } else {
            struct entry *stream = add_child(current, STREAM, name, *length);
            size_t claimed = 0;
            if (take(&in, 4, &bytes)) claimed = bytes[0] | bytes[1] << 8 | bytes[2] << 16 | (size_t)bytes[3] << 24;
            if (claimed > in.size - in.pos) claimed = in.size - in.pos;
            take(&in, claimed, &bytes);
            stream->data = copy_of(bytes, claimed);
            stream->size = claimed;
        }
    }
    return root;
}

struct output {
    unsigned char *bytes;
    size_t size, capacity;
};

static void emit(struct output *out, const void *bytes, size_t size)
{
    if (out->size + size > out->capacity) {
        size_t capacity = out->capacity ? out->capacity : 4096;
        while (capacity < out->size + size) capacity *= 2;
        out->bytes = realloc(out->bytes, capacity);
        require(out->bytes != NULL);
        out->capacity = capacity;
    }
    if (size) memcpy(out->bytes + out->size, bytes, size);
    out->size += size;
}

/* The records of a storage's children, as parse_tree reads them. */
static void emit_children(struct output *out, const struct entry *storage)
{
    size_t i;
    for (i = 0; i < storage->child_count; i++) {
        const struct entry *child = storage->children[i];
        unsigned char head[2] = {child->kind == STORAGE ? 'D' : child->kind == STREAM ? 'F' : 'X',
                                 (unsigned char)child->name_size};
        require(child->name_size <= MOST_NAME);
        emit(out, head, 2);
        emit(out, child->name, child->name_size);
        if (child->kind == STORAGE) {
            emit_children(out, child);
            emit(out, "E", 1);
        } else if (child->kind == STREAM) {
            unsigned char length[4] = {(unsigned char)child->size, (unsigned char)(child->size >> 8),
                                       (unsigned char)(child->size >> 16), (unsigned char)(child->size >> 24)};
            emit(out, length, 4);
            emit(out, child->data, child->size);
        }
    }
}

/* ---- the backend over a tree ---- */

struct tree {
    struct entry *root;
};

static struct entry *storage_of(void *context, struct msg_storage *storage)
{
    return storage ? (struct entry *)storage : ((struct tree *)context)->root;
}

static int tree_open_storage(void *context, struct msg_storage *parent, const char *name, struct msg_storage **out)
{
    struct entry *child = child_named(storage_of(context, parent), name);
    *out = NULL;
    if (!child || child->kind == STREAM) return MSG_NOT_FOUND;
    if (child->kind == UNREADABLE) return MSG_IO_ERROR;
    child->open_count++;
    *out = (struct msg_storage *)child;
    return MSG_OK;
}

static int tree_read_stream(void *context, struct msg_storage *parent, const char *name, unsigned char **bytes,
                            ULONG *size)
{
    struct entry *child = child_named(storage_of(context, parent), name);
    *bytes = NULL;
    *size = 0;
    if (!child || child->kind == STORAGE) return MSG_NOT_FOUND;
    if (child->kind == UNREADABLE) return MSG_IO_ERROR;
    *bytes = copy_of(child->data, child->size);
    *size = (ULONG)child->size;
    return MSG_OK;
}

/* The writer's side: each name a compound file can hold, written once, into a storage it has open. */
static struct entry *new_child(void *context, struct msg_storage *parent, enum entry_kind kind, const char *name)
{
    struct entry *storage = storage_of(context, parent);
    require(parent == NULL || storage->open_count > 0);
    require(strlen(name) <= MOST_NAME);
    require(child_named(storage, name) == NULL);
    return add_child(storage, kind, name, strlen(name));
}

static int tree_create_storage(void *context, struct msg_storage *parent, const char *name,
                               struct msg_storage **out)
{
    struct entry *child = new_child(context, parent, STORAGE, name);
    child->open_count++;
    *out = (struct msg_storage *)child;
    return MSG_OK;
}

static int tree_write_stream(void *context, struct msg_storage *parent, const char *name, const unsigned char *bytes,
                             ULONG size)
{
    struct entry *child = new_child(context, parent, STREAM, name);
    require(size == 0 || bytes != NULL);
    child->data = copy_of(bytes, size);
    child->size = size;
    return MSG_OK;
}

static int tree_set_class(void *context, struct msg_storage *storage, const GUID *clsid)
{
    struct entry *entry = storage_of(context, storage);
    require(storage == NULL || entry->open_count > 0);
    entry->has_class = TRUE;
    entry->clsid = *clsid;
    return MSG_OK;
}

static void tree_close_storage(void *context, struct msg_storage *storage)
{
    struct entry *entry = (struct entry *)storage;
    require(storage != NULL); /* the root is never opened, so never closed */
    require(entry->open_count > 0);
    entry->open_count--;
}

static void backend_over(struct tree *tree, struct msg_backend *b)
{
    b->context = tree;
    b->open_storage = tree_open_storage;
    b->read_stream = tree_read_stream;
    b->create_storage = tree_create_storage;
    b->write_stream = tree_write_stream;
    b->set_class = tree_set_class;
    b->close_storage = tree_close_storage;
}

/* msg_read over a tree, with the properties every read must keep. */
static int read_tree(struct entry *root, struct msg_file *file)
{
    struct tree tree = {root};
    struct msg_backend backend;
    char why[256];
    int rc;
    backend_over(&tree, &backend);
    memset(why, 'x', sizeof(why)); /* not a string until msg_read makes it one */
    rc = msg_read(&backend, file, why, sizeof(why));
    require(rc == MSG_OK || rc == MSG_NOT_FOUND || rc == MSG_NO_MEMORY || rc == MSG_BAD_FILE || rc == MSG_IO_ERROR);
    require(memchr(why, 0, sizeof(why)) != NULL);
    require(rc == MSG_OK || why[0] != 0);
    require(all_closed(root));
    return rc;
}

/* ---- what a read model promises ---- */

static void check_object(const struct msg_object *object, int depth)
{
    ULONG i, j;
    require(depth <= MSG_MOST_DEPTH);
    require(object->recipient_count <= MSG_MOST_RECIPIENTS && object->attachment_count <= MSG_MOST_ATTACHMENTS);
    for (i = 0; i < object->prop_count; i++) {
        const struct msg_prop *prop = &object->props[i];
        ULONG type = PROP_TYPE(prop->tag), element = msg_fixed_size(type);
        require(type != PT_OBJECT);
        require(msg_find_prop(object, prop->tag) == prop); /* no tag twice */
        require(prop->count <= MSG_MOST_VALUES);
        require((type & MV_FLAG) || prop->count == 1);
        for (j = 0; j < prop->count; j++) {
            const struct msg_value *value = &prop->values[j];
            require(value->size == 0 || value->bytes != NULL);
            if (!(type & MV_FLAG) && !msg_type_in_stream(type)) require(value->size == 8);
            else if (element) require(value->size == element);
            if ((type & ~MV_FLAG) == PT_UNICODE) require(value->size % 2 == 0);
        }
    }
    for (i = 0; i < object->recipient_count; i++) check_object(&object->recipients[i], depth);
    for (i = 0; i < object->attachment_count; i++) check_object(&object->attachments[i], depth);
    if (object->embedded) check_object(object->embedded, depth + 1);
}

static void check_file(const struct msg_file *file)
{
    ULONG i;
    require(file->name_count <= MSG_MOST_NAMES);
    for (i = 0; i < file->name_count; i++) {
        const struct msg_name *name = &file->names[i];
        require(msg_name_of(file, 0x8000 + i) == (name->defined ? name : NULL));
        require(!name->is_string || name->name_size % 2 == 0);
        require(name->name_size == 0 || name->name != NULL);
    }
    check_object(&file->message, 0);
}

/* ---- the round trip: the same model, said where it differs ---- */

static void differ(const char *path, const char *what, unsigned long a, unsigned long b)
{
    fprintf(stderr, "round trip: %s: %s differs: %lu, then %lu\n", path, what, a, b);
}

static BOOL same_object(const struct msg_object *a, const struct msg_object *b, const char *path)
{
    char inner[512];
    ULONG i, j;
    if (a->prop_count != b->prop_count) {
        differ(path, "the number of properties", a->prop_count, b->prop_count);
        return FALSE;
    }
    for (i = 0; i < a->prop_count; i++) {
        const struct msg_prop *pa = &a->props[i], *pb = &b->props[i];
        snprintf(inner, sizeof(inner), "%s property %lu (0x%08lX)", path, (unsigned long)i, (unsigned long)pa->tag);
        if (pa->tag != pb->tag) differ(inner, "the tag", pa->tag, pb->tag);
        else if (pa->flags != pb->flags) differ(inner, "the flags", pa->flags, pb->flags);
        else if (pa->count != pb->count) differ(inner, "the number of values", pa->count, pb->count);
        if (pa->tag != pb->tag || pa->flags != pb->flags || pa->count != pb->count) return FALSE;
        for (j = 0; j < pa->count; j++) {
            const struct msg_value *va = &pa->values[j], *vb = &pb->values[j];
            if (va->size != vb->size) {
                differ(inner, "a value's size", va->size, vb->size);
                return FALSE;
            }
            if (va->size && memcmp(va->bytes, vb->bytes, va->size)) {
                differ(inner, "the bytes of value (its index)", j, j);
                return FALSE;
            }
        }
    }
    if (a->recipient_count != b->recipient_count) {
        differ(path, "the number of recipients", a->recipient_count, b->recipient_count);
        return FALSE;
    }
    if (a->attachment_count != b->attachment_count) {
        differ(path, "the number of attachments", a->attachment_count, b->attachment_count);
        return FALSE;
    }
    for (i = 0; i < a->recipient_count; i++) {
        snprintf(inner, sizeof(inner), "%s/recip%lu", path, (unsigned long)i);
        if (!same_object(&a->recipients[i], &b->recipients[i], inner)) return FALSE;
    }
    for (i = 0; i < a->attachment_count; i++) {
        snprintf(inner, sizeof(inner), "%s/attach%lu", path, (unsigned long)i);
        if (!same_object(&a->attachments[i], &b->attachments[i], inner)) return FALSE;
    }
    if (!a->embedded != !b->embedded) {
        differ(path, "having an embedded message", !!a->embedded, !!b->embedded);
        return FALSE;
    }
    snprintf(inner, sizeof(inner), "%s/embedded", path);
    return !a->embedded || same_object(a->embedded, b->embedded, inner);
}

static BOOL same_names(const struct msg_file *a, const struct msg_file *b)
{
    ULONG i;
    if (a->name_count != b->name_count) {
        differ("names", "the number of names", a->name_count, b->name_count);
        return FALSE;
    }
    for (i = 0; i < a->name_count; i++) {
        const struct msg_name *na = &a->names[i], *nb = &b->names[i];
        if (na->defined != nb->defined) differ("names", "a name being defined (its index)", i, i);
        else if (na->defined && (memcmp(&na->guid, &nb->guid, sizeof(GUID)) || na->is_string != nb->is_string ||
                                 na->id != nb->id || na->name_size != nb->name_size ||
                                 (na->name_size && memcmp(na->name, nb->name, na->name_size))))
            differ("names", "a name (its index)", i, i);
        else continue;
        return FALSE;
    }
    return TRUE;
}

/* ---- the target ---- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const GUID clsid_mail_message = {0x00020D0B, 0, 0, {0xC0, 0, 0, 0, 0, 0, 0, 0x46}};
    struct entry *tree = parse_tree(data, size), *written, *again;
    struct msg_file first, second;
    struct tree out;
    struct msg_backend backend;
    struct output bytes = {NULL, 0, 0};
    BOOL readable = read_tree(tree, &first) == MSG_OK;

    if (readable) check_file(&first);
    if (readable && first.name_count <= MOST_ROUND_TRIP_NAMES) {
        written = calloc(1, sizeof(*written));
        require(written != NULL);
        written->kind = STORAGE;
        out.root = written;
        backend_over(&out, &backend);
        require(msg_write(&backend, &first) == MSG_OK);
        require(all_closed(written));
        require(written->has_class && !memcmp(&written->clsid, &clsid_mail_message, sizeof(GUID)));

        /* Back through the container format, so that what was written is what a file would hold. */
        emit_children(&bytes, written);
        again = parse_tree(bytes.bytes, bytes.size);
        require(read_tree(again, &second) == MSG_OK);
        require(same_names(&first, &second));
        require(same_object(&first.message, &second.message, "message"));
        msg_file_free(&second);
        free_tree(again);
        free_tree(written);
        free(bytes.bytes);
    }
    msg_file_free(&first);
    free_tree(tree);
    return 0;
}
