// Thin wrappers over Linux system calls and C libraries that Swift cannot import directly
// (raw syscalls, function-like macros, variadic functions). No logic lives here.
#ifndef CLINUX_H
#define CLINUX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

// --- path resolution --------------------------------------------------------------------------

/// openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS.
/// Returns the fd, or -1 with errno set (ENOSYS where the kernel lacks openat2).
int csys_openat_beneath(int dirfd, const char *path, int flags, mode_t mode);

extern const int csys_O_TMPFILE;
extern const int csys_O_PATH;
extern const int csys_AT_EMPTY_PATH;

/// fallocate(2) with mode 0 and syncfs(2): GNU extensions Swift's Glibc module hides.
int csys_fallocate(int fd, int64_t offset, int64_t length);
int csys_syncfs(int fd);

/// pipe2(2) with O_CLOEXEC: both ends close-on-exec from the start, so a child that another
/// thread starts at the same moment cannot inherit one (pipe(2) then fcntl(2) leaves a gap).
int csys_pipe_cloexec(int ends[2]);

/// fcntl(F_SETPIPE_SZ): asks the pipe behind `fd` to hold `bytes`. Returns the new size, or -1
/// with errno (EBADF when `fd` is not a pipe, EPERM above /proc/sys/fs/pipe-max-size).
int csys_set_pipe_size(int fd, int bytes);

/// 1 when `fd` lives on tmpfs (fstatfs f_type TMPFS_MAGIC), 0 otherwise or on error.
int csys_is_on_tmpfs(int fd);

/// flock(2), which Swift cannot call: `struct flock` hides it.
int csys_flock(int fd, int operation);

/// getrandom(2) with no flags (blocks only until the kernel's pool is first initialised).
long csys_getrandom(void *buffer, size_t count);

/// renameat2(2) (flags: RENAME_NOREPLACE 1, RENAME_EXCHANGE 2), hidden from Swift by _GNU_SOURCE.
int csys_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);

// --- confinement ------------------------------------------------------------------------------

/// Landlock ABI version of the running kernel, or -1 (errno) where Landlock is unavailable.
int csys_landlock_abi(void);

/// Restricts the calling thread (and its future children) so that the file system is only
/// readable and writable beneath `allowed_dirfd`, with no execution, no device or socket
/// creation, no network and no signals or abstract sockets outside the domain (as far as
/// `abi` supports). Files may be removed beneath it only with `allow_remove_files`. Returns 0
/// or -1 with errno.
int csys_landlock_confine_to(int allowed_dirfd, int abi, int allow_remove_files);

/// Closes every descriptor from `lowest` up (close_range(2); a loop up to the descriptor limit
/// where the kernel lacks it).
void csys_close_from(int lowest);

/// prctl(PR_SET_NO_NEW_PRIVS, 1).
int csys_set_no_new_privs(void);

/// Drops every capability from the bounding set (prctl PR_CAPBSET_DROP), so that no later
/// execve can bring one back. Needs CAP_SETPCAP unless the set is empty already; returns 0 or
/// -1 with errno (EPERM without it).
int csys_drop_capability_bounding_set(void);

/// Clears every capability of the calling thread: the bounding set as far as it may
/// (`csys_drop_capability_bounding_set`), the ambient set, then effective, permitted and
/// inheritable (capset(2)). Returns 0 or -1 with errno.
int csys_drop_all_capabilities(void);

/// unshare(CLONE_NEWUSER | CLONE_NEWNS).
int csys_unshare_user_and_mount(void);

// --- data -------------------------------------------------------------------------------------

/// zlib's crc32(), chained: pass the previous value (0 to start).
uint32_t csys_crc32(uint32_t crc, const void *bytes, size_t count);

/// The same CRC-32 as csys_crc32, by carry-less multiplication (PCLMULQDQ) where the CPU has
/// it and the buffer is at least 64 bytes; csys_crc32 otherwise (crc32_fold.c).
uint32_t csys_crc32_fast(uint32_t crc, const void *bytes, size_t count);

// --- text -------------------------------------------------------------------------------------

const char *csys_dgettext(const char *domain, const char *msgid);
const char *csys_dngettext(const char *domain, const char *singular, const char *plural,
                           unsigned long n);
const char *csys_bindtextdomain(const char *domain, const char *dirname);
const char *csys_bind_textdomain_codeset(const char *domain, const char *codeset);

#endif
