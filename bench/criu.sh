#!/bin/bash
# Frozen time of a checkpoint and restore with CRIU: from the start of
# `vzctl chkpnt` (which freezes the container first) to the end of
# `vzctl restore` (which thaws it last), run back to back, for an idle
# busybox container and for one whose process holds 256 MiB of RSS. The
# split between the two commands and the dump's size are shown too.
# Writes the "criu" section of bench/RESULTS.md.
#   VZCTL=/path/to/vzctl  binary to use (default: scripts/build-release.sh)
#   RUNS=5                runs per container (the median is reported)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
bash scripts/criu.sh >/dev/null
. bench/lib.sh
SMALL=990
BIG=991
bench_host $SMALL $BIG
trap bench_cleanup EXIT

vzctl --quiet create $SMALL --ostemplate busybox --ipadd 198.19.252.90
vzctl --quiet create $BIG --ostemplate busybox --ipadd 198.19.252.91
for ct in $SMALL $BIG; do vzctl --quiet start $ct; done
# 256 MiB of touched memory in one process (awk's string), waiting on a fifo.
vzctl exec $BIG 'mkfifo /tmp/hold; setsid awk "BEGIN { s = sprintf(\"%268435456s\", \"\"); while ((getline l < \"/tmp/hold\") > 0) {} }" </dev/null >/dev/null 2>&1 &'
for _ in $(seq 100); do
    rss=$(vzctl exec2 $BIG 'ps -o rss,comm' | awk '$2 == "awk" { print $1 }')
    [ "$rss" = 257m ] && break
    sleep 0.1
done
[ "$rss" = 257m ] || { echo "bench/criu.sh: the 256 MiB process did not come up (rss $rss)" >&2; exit 1; }

now() { date +%s%N; }
ms() { echo $((($2 - $1) / 1000000)); }

# measure CTID: one chkpnt+restore; prints "frozen chkpnt restore dumpKiB" in ms.
measure() {
    local ct=$1 t0 t1 t2 t3 size
    t0=$(now)
    vzctl --quiet chkpnt "$ct"
    t1=$(now)
    size=$(du -sk "$VZ_PREFIX/vz/dump/Dump.$ct" | cut -f1)
    t2=$(now)
    vzctl --quiet restore "$ct"
    t3=$(now)
    # du ran between the two: not frozen time of the tool's making.
    echo "$(($(ms "$t0" "$t3") - $(ms "$t1" "$t2"))) $(ms "$t0" "$t1") $(ms "$t2" "$t3") $size"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

row() {
    local ct=$1 name=$2 runs frozen chk rst size
    runs=$(for _ in $(seq "$RUNS"); do measure "$ct"; done)
    frozen=$(awk '{ print $1 }' <<<"$runs" | median)
    chk=$(awk '{ print $2 }' <<<"$runs" | median)
    rst=$(awk '{ print $3 }' <<<"$runs" | median)
    size=$(awk '{ print $4 }' <<<"$runs" | median)
    printf '| %s | %s ms | %s ms | %s ms | %s MiB |\n' "$name" "$frozen" "$chk" "$rst" "$((size / 1024))"
}

out=$(mktemp)
{
    echo "## Checkpoint and restore (CRIU $(criu --version | awk '/Version/ { print $2 }'))"
    echo
    echo "Frozen time: from the start of \`vzctl chkpnt\` (it freezes the container) to the end of"
    echo "\`vzctl restore\` (it thaws it), the two run back to back; median of $RUNS runs on this"
    echo "machine ($(nproc) cores, kernel $(uname -r)). The dump goes to /vz/dump on the host's disk;"
    echo "the time to measure its size is taken out. Each container has its own user namespace (the default)."
    echo
    echo "| container | frozen (freeze to resume) | chkpnt | restore | dump size |"
    echo "|---|---|---|---|---|"
    row $SMALL "busybox, idle"
    row $BIG "busybox + 256 MiB RSS"
} >"$out"
cat "$out"
write_section criu "$out"
rm -f "$out"
