#include "vz_shims.h"

#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef CLONE_NEWTIME
_Static_assert(VZ_CLONE_NEWTIME == CLONE_NEWTIME, "CLONE_NEWTIME");
#endif
_Static_assert(VZ_CLONE_NEWNS == CLONE_NEWNS, "CLONE_NEWNS");
_Static_assert(VZ_CLONE_NEWCGROUP == CLONE_NEWCGROUP, "CLONE_NEWCGROUP");
_Static_assert(VZ_CLONE_NEWUTS == CLONE_NEWUTS, "CLONE_NEWUTS");
_Static_assert(VZ_CLONE_NEWIPC == CLONE_NEWIPC, "CLONE_NEWIPC");
_Static_assert(VZ_CLONE_NEWUSER == CLONE_NEWUSER, "CLONE_NEWUSER");
_Static_assert(VZ_CLONE_NEWPID == CLONE_NEWPID, "CLONE_NEWPID");
_Static_assert(VZ_CLONE_NEWNET == CLONE_NEWNET, "CLONE_NEWNET");

int vz_unshare(int flags) { return unshare(flags); }

int vz_setns(int fd, int nstype) { return setns(fd, nstype); }

pid_t vz_clone_fork(int flags) {
    // The raw syscall (as crun does) gives fork semantics with new namespaces;
    // glibc's clone() would need a separate stack and entry function.
    return (pid_t)syscall(SYS_clone, (unsigned long)flags | SIGCHLD, 0, 0, 0, 0);
}
