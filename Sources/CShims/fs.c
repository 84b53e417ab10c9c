#include "vz_shims.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

_Static_assert(VZ_SEEK_DATA == SEEK_DATA && VZ_SEEK_HOLE == SEEK_HOLE, "lseek whences");

int vz_fsfreeze(int fd) { return ioctl(fd, FIFREEZE, 0); }

int vz_fsthaw(int fd) { return ioctl(fd, FITHAW, 0); }

pid_t vz_thaw_guard(int dir_fd, int *guard_fd) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        int err = errno;
        close(fds[0]);
        close(fds[1]);
        errno = err;
        return -1;
    }
    if (pid == 0) {
        // Async-signal-safe calls only. A Ctrl-C or TERM meant for vzctl
        // must not take the guard with it.
        signal(SIGINT, SIG_IGN);
        signal(SIGTERM, SIG_IGN);
        signal(SIGHUP, SIG_IGN);
        // Keep only the pipe (as 0) and the directory (as 1): an inherited
        // stdout would keep the caller's reader waiting for the guard.
        int pipe_in = fcntl(fds[0], F_DUPFD, 3);
        int dir = fcntl(dir_fd, F_DUPFD, 3);
        if (pipe_in < 0 || dir < 0 || dup2(pipe_in, 0) < 0 || dup2(dir, 1) < 0)
            _exit(1);
        if (syscall(SYS_close_range, 2, ~0U, 0) != 0)
            for (int fd = 2; fd < 1024; fd++)
                close(fd);
        char c;
        ssize_t n;
        while ((n = read(0, &c, 1)) != 0)
            if (n < 0 && errno != EINTR)
                break;
        ioctl(1, FITHAW, 0);
        _exit(0);
    }
    close(fds[0]);
    *guard_fd = fds[1];
    return pid;
}

int vz_ficlone(int dst, int src) { return ioctl(dst, FICLONE, src); }

ssize_t vz_copy_file_range(int in, off_t *in_offset, int out, off_t *out_offset, size_t length) {
    return copy_file_range(in, in_offset, out, out_offset, length, 0);
}

int vz_rename_exchange(const char *a, const char *b) {
    return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
}
