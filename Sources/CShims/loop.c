#include "vz_shims.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int vz_loop_attach(const char *image, int read_only, char *device, int device_size) {
    int backing = open(image, (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    if (backing < 0)
        return -1;
    int control = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
    if (control < 0) {
        close(backing);
        return -1;
    }
    int result = -1;
    // Another process may take the free device first: try again then.
    for (int attempt = 0; attempt < 16; attempt++) {
        int n = ioctl(control, LOOP_CTL_GET_FREE);
        if (n < 0)
            break;
        snprintf(device, (size_t)device_size, "/dev/loop%d", n);
        int loop = open(device, O_RDWR | O_CLOEXEC);
        if (loop < 0)
            break;
        struct loop_config config;
        memset(&config, 0, sizeof config);
        config.fd = (unsigned int)backing;
        // Detached by the kernel once the last mount of it is gone.
        config.info.lo_flags = LO_FLAGS_AUTOCLEAR | (read_only ? LO_FLAGS_READ_ONLY : 0);
        if (ioctl(loop, LOOP_CONFIGURE, &config) == 0) {
            // Kept open: with AUTOCLEAR the last close of an unmounted
            // device detaches it, so the caller closes it after mounting.
            result = loop;
            break;
        }
        int err = errno;
        close(loop);
        if (err != EBUSY) {
            errno = err;
            break;
        }
    }
    int err = errno;
    close(control);
    close(backing);
    errno = err;
    return result;
}
