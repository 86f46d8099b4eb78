/* A compound file's directory checked for loops before ole32 walks it (msg_cfb.h). */
#include "msg_cfb.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER_BYTES 512
#define HEADER_FAT_SECTORS 109 /* the sector table's first sectors, listed in the header */
#define ENTRY_BYTES 128
#define MOST_SECTOR 0xFFFFFFFAu /* MAXREGSECT: numbers above it mark chains' ends and the tables' own sectors */
#define END_OF_CHAIN 0xFFFFFFFEu
#define NO_ENTRY 0xFFFFFFFFu
#define TYPE_STORAGE 1
#define TYPE_STREAM 2
#define TYPE_ROOT 5
/* The directory read whole: 1,048,576 entries (128 MB) is more than the format's limits let a message need. */
#define MOST_ENTRIES (1u << 20)

struct cfb {
    msg_cfb_read_fn read;
    void *context;
    ULONG sector_bytes;
    ULONG sectors;     /* after the header's, the last one possibly cut short */
    ULONG *fat;        /* the sector table's sectors, in order */
    ULONG fat_sectors;
    unsigned char *fat_sector; /* the last sector of the table read, kept: chains mostly run through one */
    ULONG fat_sector_index;    /* which it is (an index into fat), fat_sectors when none */
    char *why;
    size_t why_size;
};

static ULONG u32_at(const unsigned char *p)
{
    return (ULONG)p[0] | (ULONG)p[1] << 8 | (ULONG)p[2] << 16 | (ULONG)p[3] << 24;
}

static int __attribute__((format(printf, 2, 3))) refuse(struct cfb *c, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(c->why, c->why_size, format, args);
    va_end(args);
    return MSG_BAD_FILE;
}

static int read_sector(struct cfb *c, ULONG sector, ULONG at, void *bytes, ULONG size)
{
    if (sector >= c->sectors)
        return refuse(c, "sector %lu is past the end of the file (%lu sectors)", (unsigned long)sector,
                      (unsigned long)c->sectors);
    if (c->read(c->context, (ULONGLONG)(sector + 1) * c->sector_bytes + at, bytes, size) != MSG_OK)
        return refuse(c, "sector %lu cannot be read", (unsigned long)sector);
    return MSG_OK;
}

/* The sector table's sectors: the header's 109, then the chain of sectors listing the rest. */
static int load_fat_sectors(struct cfb *c, const unsigned char *header)
{
    ULONG per_sector = c->sector_bytes / 4 - 1, filled, i, next = u32_at(header + 0x44), steps = 0;
    unsigned char *list;
    c->fat_sectors = u32_at(header + 0x2C);
    if (c->fat_sectors > c->sectors)
        return refuse(c, "its sector table claims %lu sectors, more than the file's %lu",
                      (unsigned long)c->fat_sectors, (unsigned long)c->sectors);
    if (!(c->fat = malloc((c->fat_sectors + 1) * sizeof(ULONG)))) return MSG_NO_MEMORY; /* + 1: never malloc(0) */
    for (filled = 0; filled < c->fat_sectors && filled < HEADER_FAT_SECTORS; filled++)
        c->fat[filled] = u32_at(header + 0x4C + 4 * filled);
    if (filled == c->fat_sectors) return MSG_OK;
    if (!(list = malloc(c->sector_bytes))) return MSG_NO_MEMORY;
    while (filled < c->fat_sectors) {
        int rc;
        if (steps++ == c->sectors) {
            free(list);
            return refuse(c, "the chain listing its sector table loops");
        }
        if ((rc = read_sector(c, next, 0, list, c->sector_bytes)) != MSG_OK) {
            free(list);
            return rc;
        }
        for (i = 0; i < per_sector && filled < c->fat_sectors; i++) c->fat[filled++] = u32_at(list + 4 * i);
        next = u32_at(list + 4 * per_sector);
    }
    free(list);
    return MSG_OK;
}

/* The sector after sector in its chain, from the sector table. */
static int next_sector(struct cfb *c, ULONG sector, ULONG *next)
{
    ULONG per_sector = c->sector_bytes / 4, index = sector / per_sector;
    int rc;
    if (index >= c->fat_sectors)
        return refuse(c, "sector %lu is past its sector table (%lu sectors of it)", (unsigned long)sector,
                      (unsigned long)c->fat_sectors);
    if (index != c->fat_sector_index) {
        c->fat_sector_index = c->fat_sectors;
        if ((rc = read_sector(c, c->fat[index], 0, c->fat_sector, c->sector_bytes)) != MSG_OK) return rc;
        c->fat_sector_index = index;
    }
    *next = u32_at(c->fat_sector + sector % per_sector * 4);
    return MSG_OK;
}

/* The directory's sectors' bytes, in chain order. */
static int load_directory(struct cfb *c, ULONG first, unsigned char **bytes, ULONG *entries)
{
    ULONG sector = first, count = 0, capacity = 0, *chain = NULL, i, run;
    int rc = MSG_OK;
    *bytes = NULL;
    while (rc == MSG_OK && sector != END_OF_CHAIN) {
        if (count == c->sectors) {
            rc = refuse(c, "its directory's chain of sectors loops");
        } else if ((ULONGLONG)(count + 1) * (c->sector_bytes / ENTRY_BYTES) > MOST_ENTRIES) {
            rc = refuse(c, "its directory has more than %lu entries", (unsigned long)MOST_ENTRIES);
        } else if (sector >= c->sectors) {
            rc = refuse(c, "its directory's sector %lu is past the end of the file (%lu sectors)",
                        (unsigned long)sector, (unsigned long)c->sectors);
        } else {
            if (count == capacity) {
                ULONG *grown = realloc(chain, (capacity = capacity ? 2 * capacity : 16) * sizeof(ULONG));
                if (!grown) {
                    rc = MSG_NO_MEMORY;
                    break;
                }
                chain = grown;
            }
            chain[count++] = sector;
            rc = next_sector(c, sector, &sector);
        }
    }
    if (rc == MSG_OK && !count) rc = refuse(c, "it has no directory");
    if (rc == MSG_OK && !(*bytes = malloc((size_t)count * c->sector_bytes))) rc = MSG_NO_MEMORY;
    for (i = 0; rc == MSG_OK && i < count; i += run) { /* sectors that follow each other read at once */
        for (run = 1; i + run < count && chain[i + run] == chain[i] + run; run++) {}
        rc = read_sector(c, chain[i], 0, *bytes + (size_t)i * c->sector_bytes, run * c->sector_bytes);
    }
    free(chain);
    *entries = count * (c->sector_bytes / ENTRY_BYTES);
    return rc;
}

struct walk {
    ULONG *pending, count, capacity;
    unsigned char *seen; /* a bit per entry */
};

static int push(struct walk *w, ULONG entry)
{
    if (entry == NO_ENTRY) return MSG_OK;
    if (w->count == w->capacity) {
        ULONG *grown = realloc(w->pending, (w->capacity = w->capacity ? 2 * w->capacity : 64) * sizeof(ULONG));
        if (!grown) return MSG_NO_MEMORY;
        w->pending = grown;
    }
    w->pending[w->count++] = entry;
    return MSG_OK;
}

/* Every entry reached from the root's tree, each at most once, each a stream or a storage. */
static int walk_tree(struct cfb *c, const unsigned char *directory, ULONG entries)
{
    struct walk w = {NULL, 0, 0, calloc(entries / 8 + 1, 1)};
    int rc = MSG_OK;
    if (!w.seen) return MSG_NO_MEMORY;
    if (directory[0x42] != TYPE_ROOT) rc = refuse(c, "its directory's first entry is not the root");
    w.seen[0] = 1;
    if (rc == MSG_OK) rc = push(&w, u32_at(directory + 0x4C));
    while (rc == MSG_OK && w.count) {
        ULONG entry = w.pending[--w.count];
        const unsigned char *e = directory + (size_t)entry * ENTRY_BYTES;
        if (entry >= entries)
            rc = refuse(c, "its directory links to entry %lu, past its %lu entries", (unsigned long)entry,
                        (unsigned long)entries);
        else if (w.seen[entry / 8] & 1 << entry % 8)
            rc = refuse(c, "its directory loops: entry %lu is reached twice", (unsigned long)entry);
        else if (e[0x42] != TYPE_STORAGE && e[0x42] != TYPE_STREAM)
            rc = refuse(c, "its directory links to entry %lu, which is neither a stream nor a storage (type %u)",
                        (unsigned long)entry, e[0x42]);
        else {
            w.seen[entry / 8] |= 1 << entry % 8;
            rc = push(&w, u32_at(e + 0x44));
            if (rc == MSG_OK) rc = push(&w, u32_at(e + 0x48));
            if (rc == MSG_OK && e[0x42] == TYPE_STORAGE) rc = push(&w, u32_at(e + 0x4C));
        }
    }
    free(w.pending);
    free(w.seen);
    return rc;
}

int msg_cfb_check_directory(msg_cfb_read_fn read, void *context, ULONGLONG file_size, char *why, size_t why_size)
{
    static const unsigned char signature[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    struct cfb c = {read, context, 0, 0, NULL, 0, NULL, 0, why, why_size};
    unsigned char header[HEADER_BYTES], *directory = NULL;
    ULONGLONG sectors;
    ULONG shift, entries = 0;
    int rc;
    if (file_size < HEADER_BYTES || read(context, 0, header, HEADER_BYTES) != MSG_OK ||
        memcmp(header, signature, sizeof(signature)))
        return refuse(&c, "not a compound file");
    shift = (ULONG)header[0x1E] | (ULONG)header[0x1F] << 8;
    if (shift != 9 && shift != 12)
        return refuse(&c, "its sectors are 2^%lu bytes, neither 512 nor 4096", (unsigned long)shift);
    c.sector_bytes = 1u << shift;
    /* Sectors past the header's (which takes a whole sector); a last one cut short still counts. */
    sectors = file_size <= c.sector_bytes ? 0 : (file_size - 1) >> shift;
    c.sectors = sectors > MOST_SECTOR ? MOST_SECTOR : (ULONG)sectors;
    rc = load_fat_sectors(&c, header);
    c.fat_sector_index = c.fat_sectors;
    if (rc == MSG_OK && !(c.fat_sector = malloc(c.sector_bytes))) rc = MSG_NO_MEMORY;
    if (rc == MSG_OK) rc = load_directory(&c, u32_at(header + 0x30), &directory, &entries);
    if (rc == MSG_OK) rc = walk_tree(&c, directory, entries);
    free(directory);
    free(c.fat_sector);
    free(c.fat);
    return rc;
}
