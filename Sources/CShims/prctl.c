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
    static const int denied[] = {CAP_SYS_RESOURCE};
    for (size_t i = 0; i < sizeof denied / sizeof denied[0]; i++) {
        if (prctl(PR_CAPBSET_DROP, (unsigned long)denied[i], 0, 0, 0) < 0)
            return -1;
    }
    return 0;
}
