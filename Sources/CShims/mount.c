#include "vz_shims.h"

#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

int vz_pivot_root(const char *new_root, const char *put_old) {
    return (int)syscall(SYS_pivot_root, new_root, put_old);
}

unsigned long vz_makedev(unsigned int major, unsigned int minor) {
    return makedev(major, minor);
}
