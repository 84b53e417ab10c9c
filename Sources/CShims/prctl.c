#include "vz_shims.h"

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
