#include "vz_shims.h"

#include <sys/prctl.h>

int vz_set_pdeathsig(int sig) { return prctl(PR_SET_PDEATHSIG, (unsigned long)sig, 0, 0, 0); }
