#!/bin/bash
# How exactly the kernel holds vzkit's resource limits, measured on real
# containers: CPU cap and shares, process count, memory, disk bandwidth.
# Writes the "Resource limits" section of bench/RESULTS.md.
#   VZCTL=/path/to/vzctl  binary to use (default: scripts/build-release.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh bc
. bench/lib.sh
bench_host 3201 3202 3203 3204 3205 3206
trap bench_cleanup EXIT
for ct in 3201 3202 3203 3204 3205 3206; do vzctl --quiet create $ct --ostemplate busybox; done

parent=$(cgroup_parent)
cpu_seconds() {
    if [ -e /sys/fs/cgroup/cpuacct/$parent/$1/cpuacct.usage ]; then
        echo "$(cat /sys/fs/cgroup/cpuacct/$parent/$1/cpuacct.usage) / 1000000000" | bc -l
    else
        echo "$(awk '/^usage_usec/ {print $2}' /sys/fs/cgroup/$parent/$1/cpu.stat) / 1000000" | bc -l
    fi
}
# share SECONDS CTID...: CPU used per wall second by each container
share() {
    local secs=$1; shift
    local before=() ct i=0
    for ct in "$@"; do before+=("$(cpu_seconds $ct)"); done
    local t0; t0=$(date +%s.%N)
    sleep "$secs"
    local t1; t1=$(date +%s.%N)
    for ct in "$@"; do echo "($(cpu_seconds $ct) - ${before[$i]}) / ($t1 - $t0)" | bc -l; i=$((i + 1)); done
}
rows=()
row() { rows+=("$1|$2|$3|$4|$5"); }
within() { python3 -c "import sys; print('pass' if abs(float(sys.argv[1]) - float(sys.argv[2])) <= float(sys.argv[3]) else 'FAIL')" "$@"; }

# CPU cap: one busy loop under cpulimit 50, then 25 (live).
vzctl --quiet set 3201 --cpulimit 50 --save
vzctl --quiet start 3201
vzctl exec 3201 'while :; do :; done >/dev/null 2>&1 &'
sleep 0.5
s=$(share 5 3201)
row "--cpulimit 50" "one busy loop" "$(printf '%.3f' "$s") CPU" "0.50 +-0.05" "$(within "$s" 0.5 0.05)"
vzctl --quiet set 3201 --cpulimit 25
sleep 0.5
s=$(share 5 3201)
row "--cpulimit 25 (live)" "one busy loop" "$(printf '%.3f' "$s") CPU" "0.25 +-0.05" "$(within "$s" 0.25 0.05)"
vzctl --quiet stop 3201 --fast

# CPU shares: 1000 vs 2000 units, both pinned to CPU 0.
for ct in 3202 3203; do
    vzctl --quiet set $ct --cpumask 0 --cpuunits $([ $ct = 3202 ] && echo 1000 || echo 2000) --save
    vzctl --quiet start $ct
    vzctl exec $ct 'while :; do :; done >/dev/null 2>&1 &'
done
sleep 0.5
read -r a b < <(share 6 3202 3203 | paste -sd' ')
ratio=$(echo "$b / $a" | bc -l)
row "--cpuunits 1000 / 2000" "busy loops on CPU 0" "$(printf '%.3f : %.3f = 1 : %.2f' "$a" "$b" "$ratio")" "1 : 2 +-10%" "$(within "$ratio" 2 0.2)"
pinned=$(vzctl exec2 3202 'grep Cpus_allowed_list /proc/self/status' | awk '{print $2}')
row "--cpumask 0" "Cpus_allowed_list inside" "$pinned" "0" "$([ "$pinned" = 0 ] && echo pass || echo FAIL)"
vzctl --quiet stop 3202 --fast
vzctl --quiet stop 3203 --fast

# Processes: a fork bomb against numproc 20.
vzctl --quiet set 3204 --numproc 20 --save
vzctl --quiet start 3204
vzctl exec 3204 'for i in $(seq 1 100); do sleep 30 >/dev/null 2>&1 & done 2>/dev/null' || true
held=$(vzlist -H -o numproc 3204 | tr -d ' ')
fails=$(vzlist -H -o numproc.f 3204 | tr -d ' ')
row "--numproc 20" "100 forks" "held $held, failcnt $fails" "held <= 20, failcnt > 0" "$([ "$held" -le 20 ] && [ "$fails" -gt 0 ] && echo pass || echo FAIL)"
vzctl --quiet stop 3204 --fast

# Memory: a 64 MiB sort against 16 MiB of RAM and no swap.
vzctl --quiet set 3205 --ram 16M --swap 0 --save
vzctl --quiet start 3205
rc=0; vzctl exec2 3205 "head -c 67108864 /dev/zero | sort >/dev/null" 2>/dev/null || rc=$?
peak=$(vzlist -H -o physpages.m 3205 | tr -d ' ')
fails=$(vzlist -H -o physpages.f 3205 | tr -d ' ')
alive=$(vzctl exec2 3205 'echo alive' 2>/dev/null || true)
row "--ram 16M --swap 0" "64 MiB sort" "exit $rc, peak $((peak * 4)) KiB, failcnt $fails, CT $alive" "killed inside, peak <= 16384 KiB" \
    "$([ "$rc" -ne 0 ] && [ "$((peak * 4))" -le 16384 ] && [ "$alive" = alive ] && echo pass || echo FAIL)"
vzctl --quiet stop 3205 --fast

# Disk: reading 32 MiB under iolimit 8 MB/s.
vzctl --quiet start 3206
vzctl exec 3206 'dd if=/dev/urandom of=/big bs=1M count=32 2>/dev/null && sync'
vzctl --quiet set 3206 --iolimit 8 --save
sync; echo 3 > /proc/sys/vm/drop_caches
t0=$(date +%s.%N)
vzctl exec2 3206 'dd if=/big of=/dev/null bs=64k 2>/dev/null'
t1=$(date +%s.%N)
rate=$(echo "32 / ($t1 - $t0)" | bc -l)
row "--iolimit 8" "dd read of 32 MiB" "$(printf '%.2f' "$rate") MiB/s" "8 +-10%" "$(within "$rate" 8 0.8)"
vzctl --quiet stop 3206 --fast

{
    echo "## Resource limits"
    echo
    echo "\`bash bench/limits.sh\`, $(date -u '+%Y-%m-%d %H:%M') UTC, kernel $(uname -r), $(nproc) CPUs, cgroup $( [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] && echo v2 || echo v1 )."
    echo
    echo "| parameter | load | measured | target | result |"
    echo "|---|---|---|---|---|"
    for r in "${rows[@]}"; do echo "| ${r//|/ | } |"; done
} > "$WORK/section.md"
cat "$WORK/section.md"
write_section limits "$WORK/section.md"
