/*
 * Fault points inside SQLite, for the fault-injection suite (storage.h,
 * storage_inject_faults): a VFS that passes every call to the system's
 * ("win32") but asks the hook first, and an allocator that wraps SQLite's.
 * Nothing here runs unless a test installs a hook.
 */
#include "storage/storage.h"

#include <sqlite3.h>
#include <string.h>

#define VFS_NAME "msstore-faults"

static BOOL (*fault_hook)(const char *what);
static sqlite3_vfs *system_vfs;
static sqlite3_mem_methods system_memory;
static DWORD busy_until; /* a lock fault holds every lock off until then, so the busy timeout runs out */

static BOOL fails(const char *what) { return fault_hook && fault_hook(what); }

/* ---- memory ---- */

static void *fault_malloc(int size) { return fails("SQLite malloc") ? NULL : system_memory.xMalloc(size); }
static void *fault_realloc(void *old, int size) { return fails("SQLite realloc") ? NULL : system_memory.xRealloc(old, size); }
static void fault_free(void *block) { system_memory.xFree(block); }
static int fault_size(void *block) { return system_memory.xSize(block); }
static int fault_roundup(int size) { return system_memory.xRoundup(size); }
static int fault_init(void *data) { return system_memory.xInit(data); }
static void fault_shutdown(void *data) { system_memory.xShutdown(data); }

/* ---- files: the system's file, behind ours ---- */

struct fault_file {
    sqlite3_file base;  /* methods: fault_io */
    sqlite3_file *real; /* the system's, allocated right after this struct */
};

static sqlite3_file *real(sqlite3_file *file) { return ((struct fault_file *)file)->real; }

static int fault_close(sqlite3_file *f) { return real(f)->pMethods->xClose(real(f)); }

static int fault_read(sqlite3_file *f, void *data, int amount, sqlite3_int64 offset)
{
    if (fails("SQLite xRead")) return SQLITE_IOERR_READ;
    return real(f)->pMethods->xRead(real(f), data, amount, offset);
}

static int fault_write(sqlite3_file *f, const void *data, int amount, sqlite3_int64 offset)
{
    static LONG writes;
    /* A write that fails is, in turn, a full disk and a failing one. */
    if (fails("SQLite xWrite")) return InterlockedIncrement(&writes) % 2 ? SQLITE_FULL : SQLITE_IOERR_WRITE;
    return real(f)->pMethods->xWrite(real(f), data, amount, offset);
}

static int fault_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    if (fails("SQLite xTruncate")) return SQLITE_IOERR_TRUNCATE;
    return real(f)->pMethods->xTruncate(real(f), size);
}

static int fault_sync(sqlite3_file *f, int flags)
{
    if (fails("SQLite xSync")) return SQLITE_IOERR_FSYNC;
    return real(f)->pMethods->xSync(real(f), flags);
}

static int fault_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    if (fails("SQLite xFileSize")) return SQLITE_IOERR_FSTAT;
    return real(f)->pMethods->xFileSize(real(f), size);
}

static int fault_lock(sqlite3_file *f, int level)
{
    if ((LONG)(busy_until - GetTickCount()) > 0) return SQLITE_BUSY;
    if (fails("SQLite xLock")) {
        busy_until = GetTickCount() + 2 * (DWORD)storage_busy_timeout_ms + 20;
        return SQLITE_BUSY;
    }
    return real(f)->pMethods->xLock(real(f), level);
}

static int fault_unlock(sqlite3_file *f, int level) { return real(f)->pMethods->xUnlock(real(f), level); }

static int fault_check_reserved(sqlite3_file *f, int *out)
{
    return real(f)->pMethods->xCheckReservedLock(real(f), out);
}

static int fault_file_control(sqlite3_file *f, int op, void *arg)
{
    return real(f)->pMethods->xFileControl(real(f), op, arg);
}

static int fault_sector_size(sqlite3_file *f) { return real(f)->pMethods->xSectorSize(real(f)); }
static int fault_characteristics(sqlite3_file *f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); }

static int fault_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **out)
{
    if (fails("SQLite xShmMap")) return SQLITE_IOERR_SHMMAP;
    return real(f)->pMethods->xShmMap(real(f), page, size, extend, out);
}

static int fault_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    if (!(flags & SQLITE_SHM_UNLOCK) && fails("SQLite xShmLock")) return SQLITE_BUSY;
    return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
}

static void fault_shm_barrier(sqlite3_file *f) { real(f)->pMethods->xShmBarrier(real(f)); }
static int fault_shm_unmap(sqlite3_file *f, int delete_flag) { return real(f)->pMethods->xShmUnmap(real(f), delete_flag); }

/* Version 2: no memory-mapped reads (xFetch), so that every read passes xRead. */
static const sqlite3_io_methods fault_io = {
    2, fault_close, fault_read, fault_write, fault_truncate, fault_sync, fault_file_size, fault_lock,
    fault_unlock, fault_check_reserved, fault_file_control, fault_sector_size, fault_characteristics,
    fault_shm_map, fault_shm_lock, fault_shm_barrier, fault_shm_unmap, NULL, NULL,
};

/* ---- the VFS ---- */

static int fault_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags, int *out_flags)
{
    struct fault_file *ours = (struct fault_file *)file;
    int rc;
    (void)vfs;
    ours->base.pMethods = NULL; /* SQLite calls no method of a file whose open failed */
    ours->real = (sqlite3_file *)(ours + 1);
    if (fails("SQLite xOpen")) return SQLITE_CANTOPEN;
    if ((rc = system_vfs->xOpen(system_vfs, name, ours->real, flags, out_flags)) != SQLITE_OK) return rc;
    ours->base.pMethods = &fault_io;
    return SQLITE_OK;
}

static int fault_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
    (void)vfs;
    if (fails("SQLite xDelete")) return SQLITE_IOERR_DELETE;
    return system_vfs->xDelete(system_vfs, name, sync_dir);
}

static int fault_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    if (fails("SQLite xAccess")) return SQLITE_IOERR_ACCESS;
    return system_vfs->xAccess(system_vfs, name, flags, out);
}

static int fault_full_pathname(sqlite3_vfs *vfs, const char *name, int size, char *out)
{
    (void)vfs;
    return system_vfs->xFullPathname(system_vfs, name, size, out);
}

static int fault_randomness(sqlite3_vfs *vfs, int size, char *out)
{
    (void)vfs;
    return system_vfs->xRandomness(system_vfs, size, out);
}

static int fault_sleep(sqlite3_vfs *vfs, int microseconds)
{
    (void)vfs;
    return system_vfs->xSleep(system_vfs, microseconds);
}

static int fault_current_time(sqlite3_vfs *vfs, double *now)
{
    (void)vfs;
    return system_vfs->xCurrentTime(system_vfs, now);
}

static int fault_last_error(sqlite3_vfs *vfs, int size, char *out)
{
    (void)vfs;
    return system_vfs->xGetLastError(system_vfs, size, out);
}

static int fault_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *now)
{
    (void)vfs;
    return system_vfs->xCurrentTimeInt64(system_vfs, now);
}

static sqlite3_vfs fault_vfs = {
    2, 0, 0, NULL, VFS_NAME, NULL, fault_open, fault_delete, fault_access, fault_full_pathname,
    NULL, NULL, NULL, NULL, fault_randomness, fault_sleep, fault_current_time, fault_last_error,
    fault_current_time64, NULL, NULL, NULL,
};

void storage_inject_faults(BOOL (*hook)(const char *what))
{
    static sqlite3_mem_methods faulting = {fault_malloc, fault_free, fault_realloc, fault_size,
                                           fault_roundup, fault_init, fault_shutdown, NULL};
    static BOOL installed;
    fault_hook = hook;
    busy_until = GetTickCount();
    if (installed || !hook) return;
    /* SQLite takes an allocator only before it starts; no store is open yet, so it may stop and start again. */
    sqlite3_shutdown();
    sqlite3_config(SQLITE_CONFIG_GETMALLOC, &system_memory);
    sqlite3_config(SQLITE_CONFIG_MALLOC, &faulting);
    sqlite3_initialize();
    system_vfs = sqlite3_vfs_find(NULL);
    fault_vfs.szOsFile = (int)sizeof(struct fault_file) + system_vfs->szOsFile;
    fault_vfs.mxPathname = system_vfs->mxPathname;
    sqlite3_vfs_register(&fault_vfs, 1); /* the default from now on, for every connection */
    installed = TRUE;
}
