#!/usr/bin/env bash
# Drives vzctl and vzlist the way the classic management tools (control
# panels, billing and backup scripts) did: fixed column lists parsed with a
# fixed regex, --quiet changes that must print nothing, decisions made on
# exit codes and on `vzctl status` lines. Runs the debug build under the
# tool names, on its own VZ_PREFIX, with CTIDs 1030-1039.
set -u

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
binary=$root/.build/debug/vzctl
if [[ $(id -u) != 0 ]]; then
    echo "management-test: needs root (it starts containers)"
    exit 1
fi
[[ -x $binary ]] || (cd "$root" && swift build) || exit 1

work=$(mktemp -d "${TMPDIR:-/tmp}/vzkit-management.XXXXXX")
bin=$work/bin
mkdir -p "$bin"
for name in vzctl vzlist vzpkg vzpid; do ln -s "$binary" "$bin/$name"; done
export PATH=$bin:$PATH
export VZ_PREFIX=$work/host
mkdir -p "$VZ_PREFIX/etc/vz/conf" "$VZ_PREFIX/var/log"
cp "$root"/conf/*.conf-sample "$VZ_PREFIX/etc/vz/conf/"
cts="1030 1031 1032"
cleanup() {
    for ct in $cts; do
        vzctl --quiet stop "$ct" --fast
        vzctl --quiet destroy "$ct"
    done
    umount -R "$VZ_PREFIX/vz/root" 2>/dev/null
    [[ -n ${cgparent:-} ]] && for dir in /sys/fs/cgroup/"$cgparent" /sys/fs/cgroup/*/"$cgparent"; do
        [[ -d $dir ]] && rmdir "$dir"
    done
    rm -rf "$work"
}
trap cleanup EXIT

passed=0
failed=0
ok() { ((passed++)); echo "ok - $1"; }
fail() { ((failed++)); echo "FAIL - $1"; }
# check DESCRIPTION COMMAND...: the command must succeed.
check() {
    local what=$1
    shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}

# What a panel parses: ctid, status, first IP, hostname, process count.
row_re='^ *([0-9]+) +(running|stopped|mounted|suspended) +([0-9a-f.:]+|-) +([^ ]+) +([0-9]+|-)$'
status_re='^CTID ([0-9]+) (exist|deleted) (mounted|unmounted) (running|down)( suspended)?$'

# rows: CTID STATUS IP HOSTNAME NPROC per line, or a failure if a line does not parse.
rows() {
    local line
    vzlist -a -H -o ctid,status,ip,hostname,numproc | while IFS= read -r line; do
        if [[ $line =~ $row_re ]]; then
            echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]} ${BASH_REMATCH[3]} ${BASH_REMATCH[4]} ${BASH_REMATCH[5]}"
        else
            echo "UNPARSED: $line"
        fi
    done
}

# status CTID: "exist mounted running" and so on, from `vzctl status`.
status() {
    local line
    line=$(vzctl status "$1")
    [[ $line =~ $status_re ]] || { echo "UNPARSED: $line"; return; }
    echo "${BASH_REMATCH[2]} ${BASH_REMATCH[3]} ${BASH_REMATCH[4]}"
}

echo "# building the busybox template cache"
vzpkg create cache busybox >/dev/null 2>&1 || { fail "vzpkg create cache busybox"; exit 1; }

# Provisioning as a panel did it: create, configure quietly, start.
for ct in $cts; do
    check "create $ct" vzctl --quiet create "$ct" --ostemplate busybox --layout simfs
done
out=$(vzctl --quiet set 1030 --hostname web1030.example.com --ipadd 198.19.253.30 --onboot yes --save 2>&1)
check "--quiet set --save prints nothing" test -z "$out"
out=$(vzctl --quiet set 1031 --hostname db1031 --save 2>&1)
check "--quiet set --save prints nothing (2)" test -z "$out"
check "the saved hostname is in the config" grep -q '^HOSTNAME="web1030.example.com"$' "$VZ_PREFIX/etc/vz/conf/1030.conf"
out=$(vzctl --quiet start 1030 2>&1)
rc=$?
check "--quiet start prints nothing and exits 0" test -z "$out" -a $rc = 0
vzctl --quiet start 1031

# Listing, parsed.
mapfile -t listed < <(rows)
check "three rows parse" test "${#listed[@]}" = 3
check "running row with its IP and hostname" test "${listed[0]% *}" = "1030 running 198.19.253.30 web1030.example.com"
check "numproc is a number for a running CT" bash -c "[[ '${listed[0]##* }' =~ ^[0-9]+$ ]]"
check "stopped row: no IP, hostname, no numproc" test "${listed[2]}" = "1032 stopped - - -"
check "no line failed to parse" test -z "$(printf '%s\n' "${listed[@]}" | grep UNPARSED)"

# The classic "for every running CT" loop.
running=$(vzlist -H -o ctid | tr -d ' ' | tr '\n' ' ')
check "vzlist -H -o ctid lists the running ones" test "$running" = "1030 1031 "
check "vzlist -1 agrees" test "$(vzlist -1 | tr -d ' ' | tr '\n' ' ')" = "$running"
for ct in $running; do
    check "exec in $ct" test "$(vzctl exec "$ct" hostname)" = "$(vzlist -H -o hostname "$ct")"
done

# Decisions on exit codes and status lines.
check "status of a running CT" test "$(status 1030)" = "exist mounted running"
check "status of a stopped CT" test "$(status 1032)" = "exist unmounted down"
check "status of a CT that does not exist" test "$(status 1039)" = "deleted unmounted down"
vzctl start 1030 >/dev/null 2>&1
check "start of a running CT exits 32 (panel: 'already running')" test $? = 32
vzctl stop 1032 >/dev/null 2>&1
check "stop of a stopped CT exits 0" test $? = 0
vzctl exec 1030 false >/dev/null 2>&1
check "exec of a failing command exits 8" test $? = 8
vzctl exec2 1030 'exit 5' >/dev/null 2>&1
check "exec2 passes the command's code" test $? = 5
vzctl exec 1032 true >/dev/null 2>&1
check "exec in a stopped CT exits 8" test $? = 8
vzctl start 1039 >/dev/null 2>&1
check "start of a CT without config exits 14" test $? = 14
vzctl set 1030 --bogus 1 >/dev/null 2>&1
check "an unknown set option exits 21" test $? = 21
vzctl --quiet set 1030 --hostname x >/dev/null 2>&1
check "set without --save on a running CT still exits 0" test $? = 0
err=$(vzctl --quiet start 1030 2>&1)
check "--quiet keeps even errors off the console" test -z "$err"

# JSON, as newer panels read it.
check "vzlist -j parses, numbers as numbers" python3 -c '
import json, subprocess, sys
cts = json.loads(subprocess.run(["vzlist", "-a", "-j", "-o", "ctid,status,ip,numproc,onboot"], capture_output=True, text=True).stdout)
c = {x["ctid"]: x for x in cts}
sys.exit(0 if isinstance(c[1030]["ctid"], int) and c[1030]["ip"] == ["198.19.253.30"] and c[1030]["onboot"] is True and c[1032]["status"] == "stopped" else 1)'

# Which CT a process belongs to.
initpid=$(for p in $(pgrep -x init); do vzpid "$p" | awk -F'\t' 'NR > 1 && $2 == 1030 {print $1}'; done | head -1)
check "vzpid finds the CT of its init" test -n "$initpid"
# This prefix's cgroup parent (vz-HASH), for the cleanup to remove.
cgparent=$(awk -F: '{ n = split($3, p, "/"); if (n > 2 && p[2] ~ /^vz-/) { print p[2]; exit } }' "/proc/$initpid/cgroup")

# Stop everything, as a backup script does before copying.
for ct in $(vzlist -H -o ctid); do
    check "stop $ct quietly" test -z "$(vzctl --quiet stop "$ct" 2>&1)"
done
check "nothing runs" test -z "$(vzlist -H -o ctid 2>/dev/null)"
vzlist -H -o ctid >/dev/null 2>&1
check "an empty listing still exits 0" test $? = 0

echo "$passed passed, $failed failed"
((failed == 0))
