// Calls that Swift's Glibc module does not expose (no glibc wrapper, variadic,
// or a function-like macro). Each is a thin wrapper: -1 with errno on failure.
#ifndef VZ_SHIMS_H
#define VZ_SHIMS_H

#include <stdint.h>
#include <sys/types.h>

// Namespace flags, mirrored here so this header pulls in nothing that clashes
// with Swift's Glibc module; checked against <sched.h> in namespaces.c.
enum {
    VZ_CLONE_NEWTIME = 0x00000080,
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

// spawn.c
struct vz_attach {
    const int *ns_fds;      // namespaces to join, mount last
    const int *ns_types;
    int ns_count;
    int userns_fd;          // joined first (and ids set to its root), or -1
    const int *stdio;       // 3 descriptors for 0..2, or NULL to keep ours
    int controlling_tty;    // make stdio[0] the controlling tty of a new session
    const char *path;
    char *const *argv;
    char *const *envp;
};
/// Starts `path` in the given namespaces, posix_spawn-style (CLONE_VM |
/// CLONE_VFORK: no copy of our memory, returns once the child has exec'd;
/// with a user namespace to join, a copy: setns needs a memory of its own).
/// A PID namespace must already be joined by the caller (setns affects
/// only its children). On failure returns -1 with errno, and *stage names
/// the step that failed.
pid_t vz_attach_spawn(const struct vz_attach *spec, const char **stage);
/// posix_spawn_file_actions_addclosefrom_np on a posix_spawn_file_actions_t
/// (glibc declares it only with _GNU_SOURCE): the child keeps none of the
/// caller's descriptors from `from` up, whatever other threads opened.
int vz_spawn_close_from(void *actions, int from);
/// While we wait for `pid` (in a session of its own, so out of reach of our
/// terminal's job control), SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to us
/// go on to it; `pid` 0 puts back what they did before.
int vz_forward_signals(pid_t pid);

// mount.c
int vz_pivot_root(const char *new_root, const char *put_old);
unsigned long vz_makedev(unsigned int major, unsigned int minor);
unsigned int vz_major(unsigned long dev);
unsigned int vz_minor(unsigned long dev);
/// 1 if `path` is the root of a mount (statx STATX_ATTR_MOUNT_ROOT, which
/// also sees bind mounts within one file system), 0 if not, -1 on error.
int vz_is_mount_root(const char *path);
/// The file system magic of `path` (statfs f_type), or -1.
long vz_fs_type(const char *path);

// idmap.c: user namespaces
/// Clones the mount tree at `path` (recursively), makes it id-mapped
/// through user namespace `userns_fd` and mounts it over `path`. On failure
/// *stage names the step (mount_setattr fails with EINVAL on a file system
/// that cannot do id-mapped mounts).
int vz_idmapped_tree(const char *path, int userns_fd, const char **stage);
/// The same, mounted on `target` instead (the tree at `path` stays as it is).
int vz_idmapped_clone(const char *path, int userns_fd, const char *target, const char **stage);
/// setgroups(none), setresgid and setresuid to 0: the caller's user
/// namespace's root (after setns into one, the ids are still the host's).
int vz_become_root(void);
/// A close-on-exec AF_UNIX SOCK_SEQPACKET pair, and one descriptor over it.
int vz_socketpair_cloexec(int fds[2]);
int vz_send_fd(int sock, int fd);
int vz_recv_fd(int sock);
/// setfsgid and setfsuid: files the caller makes get these owners (an
/// id-mapped mount refuses to make files for ids it does not map).
void vz_set_fs_ids(uid_t uid, gid_t gid);

// loop.c
/// Attaches `image` to a free loop device (auto-clearing: it goes with its
/// last user), read-only when `read_only` is set, and writes the device's
/// path into `device`. Returns the open device, to be closed once it is mounted.
int vz_loop_attach(const char *image, int read_only, char *device, int device_size);

// fs.c
// lseek whences that Swift's Glibc module hides behind _GNU_SOURCE; checked in fs.c.
enum { VZ_SEEK_DATA = 3, VZ_SEEK_HOLE = 4 };
/// FIFREEZE/FITHAW on the file system that holds `fd` (ioctl is variadic).
int vz_fsfreeze(int fd);
int vz_fsthaw(int fd);
/// Forks a guard that thaws the file system of `dir_fd` once `*guard_fd`
/// (the write end of its pipe, kept by the caller) is closed: by the caller
/// after its own thaw, or by the kernel when the caller is killed.
/// Returns the guard's pid, to be waited for.
pid_t vz_thaw_guard(int dir_fd, int *guard_fd);
/// FICLONE: `dst` shares the blocks of `src` (reflink), where the file system can.
int vz_ficlone(int dst, int src);
/// copy_file_range(2) (glibc declares it only with _GNU_SOURCE).
ssize_t vz_copy_file_range(int in, off_t *in_offset, int out, off_t *out_offset, size_t length);
/// renameat2(RENAME_EXCHANGE): swaps two paths in one step.
int vz_rename_exchange(const char *a, const char *b);

// quota.c: project quota, the disk limit of a directory-tree (simfs) container
/// Puts directory `dir` in project `id`, inherited by what is made below it.
int vz_project_assign(const char *dir, uint32_t id);
/// The inherited project of `dir` (0 if none).
int vz_project_of(const char *dir, uint32_t *id);
/// Sets the limits of project `id` on the file system that holds `path`.
int vz_project_limit(const char *path, uint32_t id, uint64_t soft_kb, uint64_t hard_kb,
                     uint64_t soft_inodes, uint64_t hard_inodes);
/// Usage of project `id`; fails with ESRCH where project quota is off,
/// ENOSYS/EINVAL where the file system has none.
int vz_project_usage(const char *path, uint32_t id, uint64_t *bytes, uint64_t *inodes);

// ext4.c
/// Grows the mounted ext4 file system on loop `device` to `blocks` file
/// system blocks, after telling the device that its backing file grew.
/// Needs CAP_SYS_RESOURCE (EPERM without).
int vz_ext4_grow(const char *device, const char *mountpoint, uint64_t blocks);

// fd.c
/// Marks every descriptor >= first close-on-exec, so nothing of the host
/// survives exec but what the caller dup2'ed onto 0..2.
int vz_cloexec_from(unsigned int first);

/// Default dispositions for every signal and an empty mask (for a
/// container's init, which would otherwise inherit vzctl caller's).
int vz_reset_signals(void);

/// pipe2(O_CLOEXEC): both ends closed by exec.
int vz_pipe_cloexec(int fds[2]);

// tty.c
/// Opens a pty master through `ptmx` (a devpts ptmx node) and its peer,
/// without a path lookup of the slave.
int vz_open_pty(const char *ptmx, int *master, int *slave);
int vz_set_ctty(int fd);
int vz_get_winsize(int fd, unsigned short *rows, unsigned short *cols);
int vz_set_winsize(int fd, unsigned short rows, unsigned short cols);
/// Blocks SIGWINCH and returns a signalfd that reads it, so a poll loop can
/// pass terminal resizes on.
int vz_winch_fd(void);
/// Drains pending SIGWINCH records from a vz_winch_fd.
void vz_winch_drain(int fd);

// prctl.c
/// Drops from the bounding set (so from whatever the caller execs as root)
/// the capabilities no container process gets. Async-signal-safe.
int vz_drop_container_caps(void);

// seccomp.c
/// Installs the container's seccomp filter (EPERM for the syscalls that
/// reach the host's kernel). Async-signal-safe; no no_new_privs.
int vz_install_container_seccomp(void);

// bpf_cgroup.c: policies for cgroup v2, as BPF programs attached to the
// container's cgroup (replacing the ones attached there before).
enum { VZ_DEV_MKNOD = 1, VZ_DEV_READ = 2, VZ_DEV_WRITE = 4 };
struct vz_device_rule {
    char type;      // 'b', 'c' or 'a' (either)
    int major;      // -1: any
    int minor;      // -1: any
    int access;     // VZ_DEV_* bits allowed
};
/// Allows the devices `rules` grant, denies every other.
int vz_bpf_device_policy(int cgroup_fd, const struct vz_device_rule *rules, int count);
/// Denies writes to sysctls outside net/ (the container's network namespace).
int vz_bpf_sysctl_policy(int cgroup_fd);
int vz_set_pdeathsig(int sig);
/// prlimit(2) of RLIMIT_NOFILE for `pid` (0: the caller).
int vz_prlimit_nofile(pid_t pid, unsigned long long soft, unsigned long long hard);
int vz_prlimit_nofile_get(pid_t pid, unsigned long long *hard);

#endif
