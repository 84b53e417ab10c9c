#include "vz_shims.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
#define VZ_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define VZ_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "the container seccomp filter knows only x86_64 and aarch64 syscall numbers"
#endif

#define DENY BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM)
#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
// One denied syscall: on a match skip to the DENY right after, else over it.
#define REFUSE(nr) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), DENY

// The low 32 bits of an argument (little-endian: the first word); every
// flag tested below lives there.
#define ARG_LOW(n) (offsetof(struct seccomp_data, args) + (n) * sizeof(__u64))

// Syscalls that reach the host's kernel rather than the container's world.
// Most are also refused by a dropped capability; the filter keeps them
// refused whatever capabilities a later `--capability` grants, and gives
// keyctl (which no capability guards: the keyrings are not namespaced)
// its only barrier. Everything a root of a real server does stays allowed,
// mount(2) included, except a remount that clears read-only: it would make
// the container's sysfs (read-only at the superblock, so every sysfs it
// mounts is read-only too) or the read-only binds over /proc writable.
static struct sock_filter filter[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
    // Another ABI's numbers mean other syscalls: none of them pass.
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, VZ_AUDIT_ARCH, 1, 0),
    DENY,
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
#if defined(__x86_64__)
    BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1),  // x32
    DENY,
    REFUSE(__NR_iopl),
    REFUSE(__NR_ioperm),
#endif
    REFUSE(__NR_kexec_load),
    REFUSE(__NR_kexec_file_load),
    REFUSE(__NR_init_module),
    REFUSE(__NR_finit_module),
    REFUSE(__NR_delete_module),
    REFUSE(__NR_open_by_handle_at),
    REFUSE(__NR_keyctl),
    REFUSE(__NR_add_key),
    REFUSE(__NR_request_key),
    REFUSE(__NR_syslog),
    REFUSE(__NR_acct),
    REFUSE(__NR_swapon),
    REFUSE(__NR_swapoff),
    REFUSE(__NR_settimeofday),
    REFUSE(__NR_clock_settime),
    REFUSE(__NR_adjtimex),
    REFUSE(__NR_clock_adjtime),
    REFUSE(__NR_bpf),
    REFUSE(__NR_perf_event_open),
    REFUSE(__NR_userfaultfd),
    REFUSE(__NR_lookup_dcookie),
    // The new mount API's reconfigure, the one way around the mount rule.
    REFUSE(__NR_fspick),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mount, 1, 0),
    ALLOW,
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LOW(3)),
    BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, MS_REMOUNT, 1, 0),
    ALLOW,
    BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, MS_RDONLY, 0, 1),
    ALLOW,
    DENY,
};

int vz_install_container_seccomp(void) {
    struct sock_fprog prog = {.len = sizeof filter / sizeof filter[0], .filter = filter};
    // Without no_new_privs: setuid programs inside must keep working, and
    // the caller is still root with CAP_SYS_ADMIN here.
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}
