#include "vz_shims.h"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <stddef.h>
#include <sys/resource.h>

int vz_set_pdeathsig(int sig) { return prctl(PR_SET_PDEATHSIG, (unsigned long)sig, 0, 0, 0); }

int vz_prlimit_nofile(pid_t pid, unsigned long long soft, unsigned long long hard) {
    struct rlimit limit = {.rlim_cur = soft, .rlim_max = hard};
    return prlimit(pid, RLIMIT_NOFILE, &limit, NULL);
}

int vz_prlimit_nofile_get(pid_t pid, unsigned long long *hard) {
    struct rlimit limit;
    if (prlimit(pid, RLIMIT_NOFILE, NULL, &limit) < 0)
        return -1;
    *hard = limit.rlim_max;
    return 0;
}

int vz_drop_container_caps(void) {
    // CAP_SYS_RESOURCE would let the container's root past its disk quota
    // (the limits of a simfs container are project quota) and its rlimits.
    // The others reach the host's kernel, clock, hardware or security
    // policy, which a container's root does not own: modules, raw I/O ports
    // and /proc/kcore, the clock and its alarms, the kernel log, LSM policy,
    // audit rules and the audit log, BPF and perf, suspend. Kept: what root
    // of a real server uses on its own world (SYS_ADMIN for its mounts,
    // SYS_BOOT for reboot, which ends only its PID namespace, SYS_PTRACE,
    // NET_ADMIN, MKNOD, which the devices cgroup narrows).
    static const int denied[] = {
        CAP_SYS_RESOURCE, CAP_SYS_MODULE, CAP_SYS_RAWIO,   CAP_SYS_TIME,      CAP_WAKE_ALARM,
        CAP_SYSLOG,       CAP_MAC_ADMIN,  CAP_MAC_OVERRIDE, CAP_AUDIT_CONTROL, CAP_AUDIT_READ,
        CAP_BLOCK_SUSPEND, CAP_BPF,       CAP_PERFMON,
    };
    for (size_t i = 0; i < sizeof denied / sizeof denied[0]; i++) {
        if (prctl(PR_CAPBSET_DROP, (unsigned long)denied[i], 0, 0, 0) < 0)
            return -1;
    }
    return 0;
}
