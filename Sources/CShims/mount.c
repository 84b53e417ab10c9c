#include "vz_shims.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

int vz_pivot_root(const char *new_root, const char *put_old) {
    return (int)syscall(SYS_pivot_root, new_root, put_old);
}

unsigned long vz_makedev(unsigned int major, unsigned int minor) {
    return makedev(major, minor);
}

unsigned int vz_major(unsigned long dev) { return major(dev); }
unsigned int vz_minor(unsigned long dev) { return minor(dev); }

#ifndef STATX_ATTR_MOUNT_ROOT
#define STATX_ATTR_MOUNT_ROOT 0x00002000
#endif

int vz_is_mount_root(const char *path) {
    struct statx st;
    if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, 0, &st) < 0)
        return -1;
    if (!(st.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT)) {
        errno = EOPNOTSUPP;
        return -1;
    }
    return (st.stx_attributes & STATX_ATTR_MOUNT_ROOT) ? 1 : 0;
}

long vz_fs_type(const char *path) {
    struct statfs st;
    if (statfs(path, &st) < 0)
        return -1;
    return (long)st.f_type;
}
