#include "vz_shims.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>

// Not in the exported headers (fs/ext4/ext4.h); the value is ABI.
#define VZ_EXT4_IOC_RESIZE_FS _IOW('f', 16, uint64_t)

int vz_ext4_grow(const char *device, const char *mountpoint, uint64_t blocks) {
    int loop = open(device, O_RDONLY | O_CLOEXEC);
    if (loop < 0)
        return -1;
    // The loop device learns the backing file's new size first.
    int result = ioctl(loop, LOOP_SET_CAPACITY, 0);
    int err = errno;
    close(loop);
    if (result < 0) {
        errno = err;
        return -1;
    }
    int dir = open(mountpoint, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
        return -1;
    result = ioctl(dir, VZ_EXT4_IOC_RESIZE_FS, &blocks);
    err = errno;
    close(dir);
    errno = err;
    return result;
}
