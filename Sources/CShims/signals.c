#include "vz_shims.h"

#include <signal.h>

int vz_reset_signals(void) {
    // Ignored dispositions survive exec, and so does the mask; a
    // container's init must not inherit either from whoever ran vzctl.
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP)
            signal(sig, SIG_DFL);  // EINVAL for the few the C library reserves
    }
    sigset_t none;
    sigemptyset(&none);
    return sigprocmask(SIG_SETMASK, &none, NULL);
}
