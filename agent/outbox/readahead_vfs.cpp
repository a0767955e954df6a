#include "agent/outbox/readahead_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>

namespace prm::outbox {
namespace {

constexpr const char* kName = "prm-readahead";

sqlite3_vfs* g_root = nullptr;  // the default VFS this one wraps

// SQLite allocates szOsFile bytes per open file: this struct, then the root's file.
struct File {
  sqlite3_file base;
  sqlite3_file* real;
  bool main_db;
  std::unique_ptr<unsigned char[]> chunk;  // main_db only, allocated on first read-ahead
  sqlite3_int64 chunk_offset;
  int chunk_bytes;              // 0: no chunk held
  sqlite3_int64 last_read_end;  // where the last read ended: a read from here is in order
};

File* self(sqlite3_file* f) {
  return reinterpret_cast<File*>(f);
}
sqlite3_file* real(sqlite3_file* f) {
  return self(f)->real;
}
void forget_chunk(sqlite3_file* f) {
  self(f)->chunk_bytes = 0;
}

int read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
  File* file = self(f);
  if (!file->main_db) return file->real->pMethods->xRead(file->real, out, amount, offset);
  const sqlite3_int64 end = offset + amount;
  if (file->chunk_bytes > 0 && offset >= file->chunk_offset &&
      end <= file->chunk_offset + file->chunk_bytes) {
    std::memcpy(out, file->chunk.get() + (offset - file->chunk_offset), amount);
    file->last_read_end = end;
    return SQLITE_OK;
  }
  const bool in_order = offset == file->last_read_end && amount < kReadAheadBytes;
  file->last_read_end = end;
  sqlite3_int64 size = 0;
  if (!in_order || file->real->pMethods->xFileSize(file->real, &size) != SQLITE_OK || size < end)
    return file->real->pMethods->xRead(file->real, out, amount, offset);
  // Only what the file holds: a short read would come back zero-filled, not as data.
  const int bytes = static_cast<int>(std::min<sqlite3_int64>(kReadAheadBytes, size - offset));
  if (!file->chunk) file->chunk = std::make_unique<unsigned char[]>(kReadAheadBytes);
  file->chunk_bytes = 0;
  const int rc = file->real->pMethods->xRead(file->real, file->chunk.get(), bytes, offset);
  if (rc != SQLITE_OK) return file->real->pMethods->xRead(file->real, out, amount, offset);
  file->chunk_offset = offset;
  file->chunk_bytes = bytes;
  std::memcpy(out, file->chunk.get(), amount);
  return SQLITE_OK;
}

int close(sqlite3_file* f) {
  File* file = self(f);
  const int rc = file->real->pMethods->xClose(file->real);
  file->~File();
  return rc;
}
int write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  forget_chunk(f);
  return real(f)->pMethods->xWrite(real(f), data, amount, offset);
}
int truncate(sqlite3_file* f, sqlite3_int64 size) {
  forget_chunk(f);
  return real(f)->pMethods->xTruncate(real(f), size);
}
int sync(sqlite3_file* f, int flags) {
  return real(f)->pMethods->xSync(real(f), flags);
}
int file_size(sqlite3_file* f, sqlite3_int64* size) {
  return real(f)->pMethods->xFileSize(real(f), size);
}
int lock(sqlite3_file* f, int level) {
  forget_chunk(f);
  return real(f)->pMethods->xLock(real(f), level);
}
int unlock(sqlite3_file* f, int level) {
  return real(f)->pMethods->xUnlock(real(f), level);
}
int check_reserved_lock(sqlite3_file* f, int* out) {
  return real(f)->pMethods->xCheckReservedLock(real(f), out);
}
int file_control(sqlite3_file* f, int op, void* arg) {
  return real(f)->pMethods->xFileControl(real(f), op, arg);
}
int sector_size(sqlite3_file* f) {
  return real(f)->pMethods->xSectorSize(real(f));
}
int device_characteristics(sqlite3_file* f) {
  return real(f)->pMethods->xDeviceCharacteristics(real(f));
}
int shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return real(f)->pMethods->xShmMap(real(f), region, size, extend, out);
}
// A transaction begins by locking a slot of the WAL's shared memory: from here the
// database file may hold what another process checkpointed since the chunk was read.
int shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  forget_chunk(f);
  return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
}
void shm_barrier(sqlite3_file* f) {
  real(f)->pMethods->xShmBarrier(real(f));
}
int shm_unmap(sqlite3_file* f, int delete_flag) {
  return real(f)->pMethods->xShmUnmap(real(f), delete_flag);
}
// No memory-mapped pages (mmap_size is 0): SQLite then reads through xRead.
int fetch(sqlite3_file*, sqlite3_int64, int, void** out) {
  *out = nullptr;
  return SQLITE_OK;
}
int unfetch(sqlite3_file*, sqlite3_int64, void*) {
  return SQLITE_OK;
}

// Version 3, as the unix VFS's own files; the shared-memory calls exist only on those.
const sqlite3_io_methods kMethods = {
    3,
    close,
    read,
    write,
    truncate,
    sync,
    file_size,
    lock,
    unlock,
    check_reserved_lock,
    file_control,
    sector_size,
    device_characteristics,
    shm_map,
    shm_lock,
    shm_barrier,
    shm_unmap,
    fetch,
    unfetch,
};

int open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  File* file = new (f) File{};
  file->real = reinterpret_cast<sqlite3_file*>(file + 1);
  file->main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;
  const int rc = g_root->xOpen(g_root, name, file->real, flags, out_flags);
  // pMethods left null tells SQLite not to call xClose on a file that did not open.
  if (rc != SQLITE_OK || !file->real->pMethods) {
    file->~File();
    f->pMethods = nullptr;
    return rc;
  }
  if (file->real->pMethods->iVersion < 3) {
    file->real->pMethods->xClose(file->real);
    file->~File();
    f->pMethods = nullptr;
    return SQLITE_CANTOPEN;
  }
  f->pMethods = &kMethods;
  return SQLITE_OK;
}

int del(sqlite3_vfs*, const char* name, int sync_dir) {
  return g_root->xDelete(g_root, name, sync_dir);
}
int access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return g_root->xAccess(g_root, name, flags, out);
}
int full_pathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return g_root->xFullPathname(g_root, name, size, out);
}
void* dl_open(sqlite3_vfs*, const char* name) {
  return g_root->xDlOpen(g_root, name);
}
void dl_error(sqlite3_vfs*, int size, char* out) {
  g_root->xDlError(g_root, size, out);
}
void (*dl_sym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return g_root->xDlSym(g_root, handle, symbol);
}
void dl_close(sqlite3_vfs*, void* handle) {
  g_root->xDlClose(g_root, handle);
}
int randomness(sqlite3_vfs*, int size, char* out) {
  return g_root->xRandomness(g_root, size, out);
}
int sleep(sqlite3_vfs*, int microseconds) {
  return g_root->xSleep(g_root, microseconds);
}
int current_time(sqlite3_vfs*, double* out) {
  return g_root->xCurrentTime(g_root, out);
}
int get_last_error(sqlite3_vfs*, int size, char* out) {
  return g_root->xGetLastError ? g_root->xGetLastError(g_root, size, out) : 0;
}
int current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
  return g_root->xCurrentTimeInt64(g_root, out);
}

sqlite3_vfs g_vfs = {};

void register_vfs() {
  g_root = sqlite3_vfs_find(nullptr);
  if (!g_root || g_root->iVersion < 2)
    throw std::runtime_error("SQLite has no default VFS of version 2 or later to read through");
  g_vfs.iVersion = 2;
  g_vfs.szOsFile = static_cast<int>(sizeof(File)) + g_root->szOsFile;
  g_vfs.mxPathname = g_root->mxPathname;
  g_vfs.zName = kName;
  g_vfs.xOpen = open;
  g_vfs.xDelete = del;
  g_vfs.xAccess = access;
  g_vfs.xFullPathname = full_pathname;
  g_vfs.xDlOpen = dl_open;
  g_vfs.xDlError = dl_error;
  g_vfs.xDlSym = dl_sym;
  g_vfs.xDlClose = dl_close;
  g_vfs.xRandomness = randomness;
  g_vfs.xSleep = sleep;
  g_vfs.xCurrentTime = current_time;
  g_vfs.xGetLastError = get_last_error;
  g_vfs.xCurrentTimeInt64 = current_time_int64;
  const int rc = sqlite3_vfs_register(&g_vfs, 0);
  if (rc != SQLITE_OK)
    throw std::runtime_error(std::string("cannot register the read-ahead VFS: ") +
                             sqlite3_errstr(rc));
}

}  // namespace

const char* readahead_vfs() {
  static std::once_flag once;
  std::call_once(once, register_vfs);
  return kName;
}

}  // namespace prm::outbox
