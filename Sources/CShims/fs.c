#include "vz_shims.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

_Static_assert(VZ_SEEK_DATA == SEEK_DATA && VZ_SEEK_HOLE == SEEK_HOLE, "lseek whences");

int vz_fsfreeze(int fd) { return ioctl(fd, FIFREEZE, 0); }

int vz_fsthaw(int fd) { return ioctl(fd, FITHAW, 0); }

int vz_ficlone(int dst, int src) { return ioctl(dst, FICLONE, src); }

ssize_t vz_copy_file_range(int in, off_t *in_offset, int out, off_t *out_offset, size_t length) {
    return copy_file_range(in, in_offset, out, out_offset, length, 0);
}

int vz_rename_exchange(const char *a, const char *b) {
    return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
}
