#include "vz_shims.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/quota.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef PRJQUOTA
#define PRJQUOTA 2
#endif

int vz_project_assign(const char *dir, uint32_t id) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct fsxattr attr;
    int result = ioctl(fd, FS_IOC_FSGETXATTR, &attr);
    if (result == 0) {
        attr.fsx_projid = id;
        // New files below take the directory's project.
        attr.fsx_xflags |= FS_XFLAG_PROJINHERIT;
        result = ioctl(fd, FS_IOC_FSSETXATTR, &attr);
    }
    int err = errno;
    close(fd);
    errno = err;
    return result;
}

int vz_project_of(const char *dir, uint32_t *id) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct fsxattr attr;
    int result = ioctl(fd, FS_IOC_FSGETXATTR, &attr);
    int err = errno;
    close(fd);
    if (result == 0)
        *id = (attr.fsx_xflags & FS_XFLAG_PROJINHERIT) ? attr.fsx_projid : 0;
    errno = err;
    return result;
}

// quotactl_fd(2) names the file system by any open file of it, so no
// device node is needed (Linux 5.14).
static int project_quotactl(const char *path, int cmd, uint32_t id, struct dqblk *q) {
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int result = (int)syscall(SYS_quotactl_fd, fd, QCMD(cmd, PRJQUOTA), id, q);
    int err = errno;
    close(fd);
    errno = err;
    return result;
}

int vz_project_limit(const char *path, uint32_t id, uint64_t soft_kb, uint64_t hard_kb,
                     uint64_t soft_inodes, uint64_t hard_inodes) {
    struct dqblk q;
    memset(&q, 0, sizeof q);
    // Block limits are in 1 KiB quota blocks (QIF_DQBLKSIZE).
    q.dqb_bsoftlimit = soft_kb;
    q.dqb_bhardlimit = hard_kb;
    q.dqb_isoftlimit = soft_inodes;
    q.dqb_ihardlimit = hard_inodes;
    q.dqb_valid = QIF_LIMITS;
    return project_quotactl(path, Q_SETQUOTA, id, &q);
}

int vz_project_usage(const char *path, uint32_t id, uint64_t *bytes, uint64_t *inodes) {
    struct dqblk q;
    memset(&q, 0, sizeof q);
    if (project_quotactl(path, Q_GETQUOTA, id, &q) < 0)
        return -1;
    *bytes = q.dqb_curspace;
    *inodes = q.dqb_curinodes;
    return 0;
}
