// Calls that Swift's Glibc module does not expose (no glibc wrapper, variadic,
// or a function-like macro). Each is a thin wrapper: -1 with errno on failure.
#ifndef VZ_SHIMS_H
#define VZ_SHIMS_H

#include <sys/types.h>

// Namespace flags, mirrored here so this header pulls in nothing that clashes
// with Swift's Glibc module; checked against <sched.h> in namespaces.c.
enum {
    VZ_CLONE_NEWNS = 0x00020000,
    VZ_CLONE_NEWCGROUP = 0x02000000,
    VZ_CLONE_NEWUTS = 0x04000000,
    VZ_CLONE_NEWIPC = 0x08000000,
    VZ_CLONE_NEWUSER = 0x10000000,
    VZ_CLONE_NEWPID = 0x20000000,
    VZ_CLONE_NEWNET = 0x40000000,
};

// namespaces.c
int vz_unshare(int flags);
int vz_setns(int fd, int nstype);
/// clone(2) with fork semantics: 0 in the child, the child's pid in the parent.
pid_t vz_clone_fork(int flags);

// mount.c
int vz_pivot_root(const char *new_root, const char *put_old);
unsigned long vz_makedev(unsigned int major, unsigned int minor);

// fd.c
/// Marks every descriptor >= first close-on-exec, so nothing of the host
/// survives exec but what the caller dup2'ed onto 0..2.
int vz_cloexec_from(unsigned int first);

/// pipe2(O_CLOEXEC): both ends closed by exec.
int vz_pipe_cloexec(int fds[2]);

// tty.c
/// Opens a pty master through `ptmx` (a devpts ptmx node) and its peer,
/// without a path lookup of the slave.
int vz_open_pty(const char *ptmx, int *master, int *slave);
int vz_set_ctty(int fd);
int vz_get_winsize(int fd, unsigned short *rows, unsigned short *cols);
int vz_set_winsize(int fd, unsigned short rows, unsigned short cols);

// prctl.c
int vz_set_pdeathsig(int sig);

#endif
