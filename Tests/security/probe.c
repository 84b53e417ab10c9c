// One escape attempt per name, run as root inside a container. Built
// static (gcc -static) so it runs in any root file system, ours (busybox)
// and the peers'. Exit 0: the attempt WORKED; 1: refused (the reason on
// stdout); 2: cannot tell; 3: this kernel lacks the call. Attempts are harmless if they work: the clock
// is set to what it is, nothing loads, nothing is written.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kexec.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/klog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int refused(const char *what) {
    printf("refused: %s: %s\n", what, strerror(errno));
    return 1;
}

// A syscall refused before it looks at its (bad) arguments fails with
// EPERM; any other failure means the permission checks were passed, but
// ENOSYS that this kernel lacks the call (exit 3).
static int checked(const char *what, long rc) {
    if (rc < 0 && errno == ENOSYS) {
        printf("absent: %s: not in this kernel\n", what);
        return 3;
    }
    if (rc >= 0 || errno != EPERM) {
        printf("allowed: %s (%s)\n", what, rc >= 0 ? "ok" : strerror(errno));
        return 0;
    }
    return refused(what);
}

static int node(const char *path, mode_t type, unsigned major, unsigned minor) {
    unlink(path);
    if (mknod(path, type | 0600, makedev(major, minor)) < 0)
        return refused("mknod");
    int fd = open(path, O_RDONLY);
    unlink(path);
    if (fd < 0)
        return refused("open");
    close(fd);
    printf("allowed: mknod and open %u:%u\n", major, minor);
    return 0;
}

// Not an escape: takes as many of a kernel object as the container lets it
// (ptys, sockets), prints how many and what stopped it, and holds them until
// killed, so that a test can check what the host and other containers can
// still do meanwhile.
static _Noreturn void hold(const char *what) {
    int n = 0;
    for (; n < 100000; n++) {
        int fd = !strcmp(what, "ptys") ? open("/dev/ptmx", O_RDWR | O_NOCTTY) : socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0)
            break;
    }
    printf("%s %d: %s\n", what, n, strerror(errno));
    fflush(stdout);
    for (;;)
        pause();
}

int main(int argc, char **argv) {
    if (argc == 2 && !strncmp(argv[1], "hold-", 5))
        hold(argv[1] + 5);
    if (argc != 2) {
        fprintf(stderr, "usage: probe NAME\n");
        return 2;
    }
    const char *name = argv[1];
    if (!strcmp(name, "mknod-block")) // the host's first disk (virtio / sd)
        return node("/tmp/.probe-blk", S_IFBLK, 253, 0) && node("/tmp/.probe-blk", S_IFBLK, 8, 0);
    if (!strcmp(name, "mknod-char")) // /dev/mem
        return node("/tmp/.probe-chr", S_IFCHR, 1, 1);
    if (!strcmp(name, "init_module"))
        return checked("init_module", syscall(SYS_init_module, NULL, 0, ""));
    if (!strcmp(name, "finit_module")) {
        int fd = open("/proc/self/exe", O_RDONLY);
        return checked("finit_module", syscall(SYS_finit_module, fd, "", 0));
    }
    if (!strcmp(name, "settimeofday")) {
        struct timeval now;
        gettimeofday(&now, NULL);
        return checked("settimeofday", settimeofday(&now, NULL));
    }
    if (!strcmp(name, "clock_settime")) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        return checked("clock_settime", clock_settime(CLOCK_REALTIME, &now));
    }
    if (!strcmp(name, "kexec_load")) // no segments: a bare permission check
        return checked("kexec_load", syscall(SYS_kexec_load, 0UL, 0UL, NULL, KEXEC_ARCH_DEFAULT | 0xdead0000UL));
    if (!strcmp(name, "open_by_handle_at")) {
        // The "shocker" escape: a handle made up by hand opens any inode of
        // the file system, outside the container's root too.
        struct {
            struct file_handle h;
            unsigned char bytes[MAX_HANDLE_SZ];
        } fh = {.h.handle_bytes = MAX_HANDLE_SZ};
        int mount_id;
        if (name_to_handle_at(AT_FDCWD, "/", &fh.h, &mount_id, 0) < 0)
            return refused("name_to_handle_at");
        int fd = open_by_handle_at(open("/", O_RDONLY), &fh.h, O_RDONLY);
        if (fd < 0)
            return refused("open_by_handle_at");
        printf("allowed: open_by_handle_at\n");
        return 0;
    }
    if (!strcmp(name, "keyctl")) // uid 0's user keyring is the host root's without a user namespace
        return checked("keyctl", syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -4 /* USER */, 0));
    if (!strcmp(name, "iopl"))
        return checked("iopl", iopl(3));
    if (!strcmp(name, "ioperm"))
        return checked("ioperm", ioperm(0x80, 1, 1));
    if (!strcmp(name, "syslog")) {
        char buf[64];
        return checked("syslog", klogctl(3 /* READ_ALL */, buf, sizeof buf) < 0 ? -1 : 0);
    }
    if (!strcmp(name, "bpf"))
        return checked("bpf", syscall(SYS_bpf, 5 /* PROG_LOAD */, NULL, 0));
    if (!strcmp(name, "raw-socket")) {
        int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
        if (fd < 0)
            return refused("socket SOCK_RAW");
        printf("allowed: raw socket\n");
        return 0;
    }
    fprintf(stderr, "probe: unknown attempt %s\n", name);
    return 2;
}
