#!/bin/bash
# README's second command (and CI's): every test there is.
#  1. unit tests and integration tests (real containers; root) with swift test
#  2. shell-level tests of completions and man pages
#  3. the same container checks on a cgroup-v2-only kernel in a VM
#     (skipped with VZ_SKIP_V2VM=1)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "test.sh: the integration tests start real containers: run as root" >&2; exit 1; }
bash scripts/deps.sh groff-base man-db bash-completion quota zsh python3 procps openssh-server openssh-client rsync
# The checkpoint tests need a CRIU that works on this kernel.
bash scripts/criu.sh
swift build --build-tests

# A hung test must fail with a picture of what hangs, long before CI's own
# limit cuts the run off with nothing to show. The suite takes 3-5 minutes.
bounded() {
    local limit=$1; shift
    # sleep holds none of our pipes, so a reader of this script's output
    # never waits for an orphaned one.
    ( sleep "$((limit - 15))" </dev/null >/dev/null 2>&1
      echo "test.sh: still running after $((limit - 15)) s: $*; processes:" >&2
      ps -eo pid,ppid,stat,wchan:24,etime,args --forest >&2 ) &
    local watch=$! status=0
    timeout -k 15 "$limit" "$@" || status=$?
    kill "$watch" 2>/dev/null; wait "$watch" 2>/dev/null || true
    [ "$status" != 124 ] || echo "test.sh: $* killed after $limit s" >&2
    return "$status"
}
# Without the per-test "started" lines; pipefail keeps swift test's status.
bounded "${VZ_TEST_TIMEOUT:-1800}" swift test --skip-build 2>&1 | grep -vE '^(◇|↳)'

for t in Tests/shell/*-test.sh; do
    [ -e "$t" ] || continue
    echo "== $t"
    bounded 600 bash "$t"
done
if [ "${VZ_SKIP_V2VM:-0}" != 1 ]; then
    echo "== cgroup v2 (VM)"
    bash Tests/v2/run.sh
fi
