#!/bin/bash
# Container checks that must hold on a cgroup-v2-only kernel. Runs as root
# with vzctl/vzlist/vzpkg on PATH (run.sh boots the VM and calls this).
set -uo pipefail
export VZ_PREFIX=$(mktemp -d /tmp/vzkit-v2.XXXXXX)
passed=0
failed=0
check() {
    local name=$1
    shift
    if "$@"; then
        echo "ok: $name"
        passed=$((passed + 1))
    else
        echo "FAIL: $name"
        failed=$((failed + 1))
    fi
}
cgroot=/sys/fs/cgroup
check "host is cgroup v2 only" test "$(stat -fc %T $cgroot)" = cgroup2fs
mkdir -p "$VZ_PREFIX/etc/vz/conf"
cp "$(dirname "$0")"/../../conf/ve-*.conf-sample "$VZ_PREFIX/etc/vz/conf/"
check "vzpkg create cache busybox" vzpkg create cache busybox
# --local_uid 0: chkpnt/restore below needs a container without a user
# namespace (302-304 have one, the default).
check "create" vzctl create 301 --ostemplate busybox --hostname v2.test --ipadd 198.18.60.1 --local_uid 0
check "start" vzctl start 301 --wait
parent=$(ls -d $cgroot/vz-* | head -1)
cg="$parent/301"
check "container cgroup exists" test -d "$cg"
init=""
for pid in $(cat "$cg/cgroup.procs" 2>/dev/null); do
    grep -qE '^NSpid:.*[[:space:]]1$' /proc/$pid/status && init=$pid
done
check "init found in its cgroup" test -n "$init"
check "init's cgroup is named after the CTID" grep -qx "0::/$(basename "$parent")/301" /proc/$init/cgroup
check "controllers enabled for the container" test -e "$cg/pids.max" -a -e "$cg/memory.max" -a -e "$cg/cpu.weight"
check "hostname inside" test "$(vzctl exec2 301 hostname)" = v2.test
check "venet address inside" sh -c "vzctl exec2 301 'ip -o addr show venet0' | grep -q 198.18.60.1/32"
check "host route to the container" sh -c "ip route | grep -q '198.18.60.1 dev venet301'"
check "cgroup namespace: own cgroup is /" test "$(vzctl exec2 301 cat /proc/self/cgroup)" = "0::/"
vzctl exec 301 'sleep 60 >/dev/null 2>&1 &'
check "exec'd processes join the cgroup" test "$(wc -l < "$cg/cgroup.procs")" -ge 2
check "vzlist counts the container's tasks" test "$(vzlist -H -o numproc 301 | tr -d ' ')" -ge 2
check "live limits" vzctl set 301 --numproc 40 --ram 64M --swap 16M --cpulimit 50 --cpuunits 2000 --save
check "pids.max" test "$(cat "$cg/pids.max")" = 40
check "memory.max" test "$(cat "$cg/memory.max")" = 67108864
check "memory.swap.max" test "$(cat "$cg/memory.swap.max")" = 16777216
check "cpu.max" test "$(cat "$cg/cpu.max")" = "50000 100000"
check "cpu.weight" test "$(cat "$cg/cpu.weight")" = 200
vzctl exec 301 'for i in $(seq 1 60); do sleep 20 >/dev/null 2>&1 & done' >/dev/null 2>&1
check "numproc failcnt from pids.events" test "$(vzlist -H -o numproc.f 301 | tr -d ' ')" -gt 0
check "vzubc shows the container" sh -c "vzubc 301 | grep -q 'CT 301'"
# Checkpoint and restore through cgroup.freeze and the unified tree
# (scripts/test.sh installs criu before this runs).
if command -v criu >/dev/null || [ -x /usr/local/sbin/criu ]; then
    check "chkpnt" vzctl chkpnt 301
    check "suspended after chkpnt" test "$(vzctl status 301)" = "CTID 301 exist unmounted down suspended"
    check "restore" vzctl restore 301
    check "running after restore" test "$(vzctl status 301)" = "CTID 301 exist mounted running"
    check "not frozen after restore" test "$(cat "$cg/cgroup.freeze")" = 0
    check "pids.max after restore" test "$(cat "$cg/pids.max")" = 40
    check "memory.max after restore" test "$(cat "$cg/memory.max")" = 67108864
    check "venet address after restore" sh -c "vzctl exec2 301 'ip -o addr show venet0' | grep -q 198.18.60.1/32"
    check "host route after restore" sh -c "ip route | grep -q '198.18.60.1 dev venet301'"
fi
check "stop" vzctl stop 301 --fast
check "cgroup removed after stop" test ! -e "$cg"
for id in 302 303 304; do vzctl create $id --ostemplate busybox >/dev/null; done
for id in 302 303 304; do vzctl start $id >/dev/null & done
wait
check "three parallel starts" test "$(vzlist -H -o ctid | wc -l)" = 3
check "user namespace of its own" sh -c "vzctl exec2 302 cat /proc/self/uid_map | grep -qE '^ *0 +[1-9][0-9]* +65536'"
check "id-mapped root: made inside, owned by 0 in the image" sh -c "vzctl exec2 302 'touch /made && stat -c %u /made' | grep -qx 0"
check "cgroup namespace in a user namespace" test "$(vzctl exec2 302 cat /proc/self/cgroup)" = "0::/"
for id in 302 303 304; do vzctl stop $id --fast >/dev/null; vzctl destroy $id >/dev/null; done
vzctl destroy 301 >/dev/null
check "nothing left in the cgroup tree" test -z "$(ls -d "$parent"/[0-9]* 2>/dev/null)"
rmdir "$parent" 2>/dev/null
rm -rf "$VZ_PREFIX"
echo "v2: $passed passed, $failed failed"
[ "$failed" = 0 ]
