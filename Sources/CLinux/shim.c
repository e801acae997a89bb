#define _GNU_SOURCE
#include "CLinux.h"

#include <errno.h>
#include <fcntl.h>
#include <libintl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/vfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <zlib.h>

// Our own copies of the kernel ABI (include/uapi/linux/openat2.h, landlock.h,
// capability.h), so the build does not depend on how new the installed headers are.
struct csys_open_how {
    uint64_t flags;
    uint64_t mode;
    uint64_t resolve;
};
#define CSYS_RESOLVE_NO_MAGICLINKS 0x02
#define CSYS_RESOLVE_NO_SYMLINKS 0x04
#define CSYS_RESOLVE_BENEATH 0x08
#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

const int csys_O_TMPFILE = O_TMPFILE;
const int csys_O_PATH = O_PATH;
const int csys_AT_EMPTY_PATH = AT_EMPTY_PATH;

int csys_openat_beneath(int dirfd, const char *path, int flags, mode_t mode) {
    struct csys_open_how how = {
        .flags = (uint64_t)(unsigned)flags,
        .mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0,
        .resolve = CSYS_RESOLVE_BENEATH | CSYS_RESOLVE_NO_SYMLINKS | CSYS_RESOLVE_NO_MAGICLINKS,
    };
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

int csys_fallocate(int fd, int64_t offset, int64_t length) { return fallocate(fd, 0, offset, length); }
int csys_syncfs(int fd) { return syncfs(fd); }
int csys_pipe_cloexec(int ends[2]) { return pipe2(ends, O_CLOEXEC); }
int csys_set_pipe_size(int fd, int bytes) { return fcntl(fd, F_SETPIPE_SZ, bytes); }

#define CSYS_TMPFS_MAGIC 0x01021994
int csys_is_on_tmpfs(int fd) {
    struct statfs info;
    return fstatfs(fd, &info) == 0 && info.f_type == CSYS_TMPFS_MAGIC;
}
int csys_flock(int fd, int operation) { return flock(fd, operation); }
long csys_getrandom(void *buffer, size_t count) { return (long)getrandom(buffer, count, 0); }

int csys_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags) {
    return renameat2(olddirfd, oldpath, newdirfd, newpath, flags);
}

struct csys_landlock_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
};
struct csys_landlock_path_beneath_attr {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));

#define LL_EXECUTE (1ULL << 0)
#define LL_WRITE_FILE (1ULL << 1)
#define LL_READ_FILE (1ULL << 2)
#define LL_READ_DIR (1ULL << 3)
#define LL_REMOVE_DIR (1ULL << 4)
#define LL_REMOVE_FILE (1ULL << 5)
#define LL_MAKE_CHAR (1ULL << 6)
#define LL_MAKE_DIR (1ULL << 7)
#define LL_MAKE_REG (1ULL << 8)
#define LL_MAKE_SOCK (1ULL << 9)
#define LL_MAKE_FIFO (1ULL << 10)
#define LL_MAKE_BLOCK (1ULL << 11)
#define LL_MAKE_SYM (1ULL << 12)
#define LL_REFER (1ULL << 13)
#define LL_TRUNCATE (1ULL << 14)
#define LL_IOCTL_DEV (1ULL << 15)
#define LL_NET_BIND_TCP (1ULL << 0)
#define LL_NET_CONNECT_TCP (1ULL << 1)
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define LL_SCOPE_SIGNAL (1ULL << 1)
#define LANDLOCK_RULE_PATH_BENEATH 1

int csys_landlock_abi(void) {
    return (int)syscall(SYS_landlock_create_ruleset, NULL, 0, 1U /* VERSION */);
}

int csys_landlock_confine_to(int allowed_dirfd, int abi, int allow_remove_files) {
    if (abi < 1) {
        errno = EOPNOTSUPP;
        return -1;
    }
    uint64_t handled = (LL_MAKE_SYM << 1) - 1; // ABI 1: bits 0..12
    if (abi >= 2) handled |= LL_REFER;
    if (abi >= 3) handled |= LL_TRUNCATE;
    if (abi >= 5) handled |= LL_IOCTL_DEV;
    struct csys_landlock_ruleset_attr attr = {.handled_access_fs = handled};
    size_t attr_size = sizeof(uint64_t);
    if (abi >= 4) {
        attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
        attr_size = 2 * sizeof(uint64_t);
    }
    if (abi >= 6) {
        attr.scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL;
        attr_size = sizeof attr;
    }
    int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, attr_size, 0U);
    if (ruleset < 0) return -1;

    // Beneath the destination: read, write, create directories, regular files and symlinks,
    // link (O_TMPFILE publishing). Never execute, remove directories, or create devices, FIFOs
    // or sockets; remove files only when asked (temporary names without O_TMPFILE).
    uint64_t allowed = LL_WRITE_FILE | LL_READ_FILE | LL_READ_DIR | LL_MAKE_DIR | LL_MAKE_REG |
                       LL_MAKE_SYM | LL_REFER | LL_TRUNCATE;
    if (allow_remove_files) allowed |= LL_REMOVE_FILE;
    struct csys_landlock_path_beneath_attr beneath = {
        .allowed_access = handled & allowed,
        .parent_fd = allowed_dirfd,
    };
    int result = -1;
    if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &beneath, 0U) == 0 &&
        syscall(SYS_landlock_restrict_self, ruleset, 0U) == 0)
        result = 0;
    int saved = errno;
    close(ruleset);
    errno = saved;
    return result;
}

#ifndef SYS_close_range
#define SYS_close_range 436
#endif

void csys_close_from(int lowest) {
    if (syscall(SYS_close_range, (unsigned)lowest, ~0U, 0U) == 0) return;
    long limit = sysconf(_SC_OPEN_MAX);
    for (long fd = lowest; fd < limit; fd++) close((int)fd);
}

int csys_set_no_new_privs(void) { return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); }

struct csys_cap_header {
    uint32_t version;
    int pid;
};
struct csys_cap_data {
    uint32_t effective, permitted, inheritable;
};

int csys_drop_capability_bounding_set(void) {
    // Every capability still in the set, up to the kernel's last one (past it PR_CAPBSET_READ
    // answers EINVAL). One already gone needs no CAP_SETPCAP.
    for (unsigned long cap = 0;; cap++) {
        int present = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
        if (present < 0) return errno == EINVAL && cap > 0 ? 0 : -1;
        if (present && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) return -1;
    }
}

int csys_drop_all_capabilities(void) {
    // The bounding set needs CAP_SETPCAP, so it goes first; without it there is nothing to drop.
    (void)csys_drop_capability_bounding_set();
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) return -1;
    struct csys_cap_header header = {.version = 0x20080522 /* _LINUX_CAPABILITY_VERSION_3 */};
    struct csys_cap_data data[2];
    memset(data, 0, sizeof data);
    return (int)syscall(SYS_capset, &header, data);
}

int csys_unshare_user_and_mount(void) { return unshare(CLONE_NEWUSER | CLONE_NEWNS); }

uint32_t csys_crc32(uint32_t crc, const void *bytes, size_t count) {
    const Bytef *p = bytes;
    uLong value = crc;
    // zlib takes a 32-bit length: feed large buffers in slices.
    while (count > 0) {
        uInt slice = count > 0x40000000u ? 0x40000000u : (uInt)count;
        value = crc32(value, p, slice);
        p += slice;
        count -= slice;
    }
    return (uint32_t)value;
}

const char *csys_dgettext(const char *domain, const char *msgid) { return dgettext(domain, msgid); }
const char *csys_dngettext(const char *domain, const char *singular, const char *plural,
                           unsigned long n) {
    return dngettext(domain, singular, plural, n);
}
const char *csys_bindtextdomain(const char *domain, const char *dirname) {
    return bindtextdomain(domain, dirname);
}
const char *csys_bind_textdomain_codeset(const char *domain, const char *codeset) {
    return bind_textdomain_codeset(domain, codeset);
}
