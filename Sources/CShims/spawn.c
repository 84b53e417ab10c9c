#include "vz_shims.h"

#include <errno.h>
#include <sched.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

struct child_state {
    const struct vz_attach *spec;
    sigset_t mask;
    int err;
    const char *stage;
};

// Runs on its own stack in the parent's memory (CLONE_VM|CLONE_VFORK), so
// only async-signal-safe calls, and failures are written into `st`.
static int attach_child(void *arg) {
    struct child_state *st = arg;
    const struct vz_attach *a = st->spec;
    // The container's user namespace first: every other one of its
    // namespaces belongs to it. The ids stay the host's until set.
    if (a->userns_fd >= 0) {
        if (setns(a->userns_fd, CLONE_NEWUSER) < 0) {
            st->stage = "setns user";
            goto fail;
        }
        if (vz_become_root() < 0) {
            st->stage = "setresuid";
            goto fail;
        }
    }
    for (int i = 0; i < a->ns_count; i++) {
        if (setns(a->ns_fds[i], a->ns_types[i]) < 0) {
            st->stage = "setns";
            goto fail;
        }
    }
    if (chdir("/") < 0) {
        st->stage = "chdir /";
        goto fail;
    }
    // A session of its own, led from inside the container: CRIU cannot dump
    // a process (one left running by exec) whose session leader is outside
    // the container's PID namespace.
    setsid();
    if (a->stdio != NULL) {
        if (a->controlling_tty) {
            if (ioctl(a->stdio[0], TIOCSCTTY, 0) < 0) {
                st->stage = "ioctl TIOCSCTTY";
                goto fail;
            }
        }
        for (int fd = 0; fd < 3; fd++) {
            if (a->stdio[fd] != fd && dup2(a->stdio[fd], fd) < 0) {
                st->stage = "dup2";
                goto fail;
            }
        }
    }
    // Only 0..2 follow into the container.
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) < 0 && vz_cloexec_from(3) < 0) {
        st->stage = "close_range";
        goto fail;
    }
    if (vz_drop_container_caps() < 0) {
        st->stage = "prctl PR_CAPBSET_DROP";
        goto fail;
    }
    if (vz_install_container_seccomp() < 0) {
        st->stage = "prctl PR_SET_SECCOMP";
        goto fail;
    }
    sigprocmask(SIG_SETMASK, &st->mask, NULL);
    execve(a->path, a->argv, a->envp);
    st->stage = "execve";
fail:
    st->err = errno;
    _exit(127);
}

pid_t vz_attach_spawn(const struct vz_attach *spec, const char **stage) {
    const size_t stack_size = 64 * 1024;
    void *stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) {
        *stage = "mmap";
        return -1;
    }
    // Where the child reports a failure: shared even when it has a copy of
    // our memory (joining a user namespace takes a memory of one's own).
    struct child_state *shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) {
        munmap(stack, stack_size);
        *stage = "mmap";
        return -1;
    }
    struct child_state st = {.spec = spec, .err = 0, .stage = NULL};
    *shared = st;
    sigset_t all;
    sigfillset(&all);
    // No handler may run in the child while it shares our memory.
    pthread_sigmask(SIG_BLOCK, &all, &shared->mask);
    int flags = CLONE_VFORK | SIGCHLD | (spec->userns_fd >= 0 ? 0 : CLONE_VM);
    pid_t pid = clone(attach_child, (char *)stack + stack_size, flags, shared);
    int clone_errno = errno;
    pthread_sigmask(SIG_SETMASK, &shared->mask, NULL);
    munmap(stack, stack_size);
    st = *shared;
    munmap(shared, sizeof *shared);
    if (pid < 0) {
        *stage = "clone";
        errno = clone_errno;
        return -1;
    }
    if (st.err != 0) {
        // The child failed before exec and has exited: reap it, report why.
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        *stage = st.stage;
        errno = st.err;
        return -1;
    }
    return pid;
}

// The child of vz_forward_signals, and what the signals did before.
static volatile sig_atomic_t forward_pid;
static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
static struct sigaction saved[sizeof forwarded / sizeof forwarded[0]];

static void forward(int sig) {
    if (forward_pid > 0)
        kill((pid_t)forward_pid, sig);
}

int vz_forward_signals(pid_t pid) {
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) {
        if (pid > 0) {
            struct sigaction sa = {.sa_handler = forward, .sa_flags = SA_RESTART};
            sigemptyset(&sa.sa_mask);
            forward_pid = pid;
            if (sigaction(forwarded[i], &sa, &saved[i]) < 0)
                return -1;
        } else if (sigaction(forwarded[i], &saved[i], NULL) < 0) {
            return -1;
        }
    }
    if (pid <= 0)
        forward_pid = 0;
    return 0;
}

int vz_spawn_close_from(void *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np((posix_spawn_file_actions_t *)actions, from);
}
