#!/bin/bash
# Frozen time of an online migration (`vzmigrate --online`): from the freeze
# on the source to the end of the restore on the destination, as vzmigrate
# -t prints it, for an idle busybox container and for one whose process
# holds 256 MiB of RSS (default 2 GiB image). The destination is a second
# "host" on this machine (scripts/test-sshd.sh: its own VZ_PREFIX, and an
# sshd in its own network namespace); each run migrates a fresh container.
# Writes the "migrate" section of bench/RESULTS.md.
#   VZCTL=/path/to/vzctl  binary to use (default: scripts/build-release.sh)
#   RUNS=5                runs per container (the median is reported)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
bash scripts/deps.sh openssh-server openssh-client rsync >/dev/null
bash scripts/criu.sh >/dev/null
. bench/lib.sh
# CTIDs 3050-3069, addresses 198.18.30.150-169; the veth pair .253/.254.
CT0=3050
bench_host
ln -s "$VZCTL" "$BIN/vzmigrate"
DEST=$WORK/dst
mkdir -p "$DEST/etc/vz/conf"
cp conf/vz.conf "$DEST/etc/vz/vz.conf"
cp conf/ve-*.conf-sample "$DEST/etc/vz/conf/"
NETNS=vzmbench$$
PEER=198.18.30.254
SSH_OPTS=$(bash scripts/test-sshd.sh start "$WORK/sshd" "$NETNS" "$DEST" "$BIN" 198.18.30.253 $PEER)
on_dest() { timeout -k 5 120 ssh -o BatchMode=yes $SSH_OPTS root@$PEER "$@"; }
cleanup() {
    on_dest 'for c in "$VZ_PREFIX"/etc/vz/conf/*.conf; do [ -e "$c" ] || continue; id=${c##*/}; id=${id%.conf}; vzctl stop $id --fast; vzctl destroy $id; done' >/dev/null 2>&1 || true
    bash scripts/test-sshd.sh stop "$WORK/sshd" "$NETNS"
    bench_cleanup
}
trap cleanup EXIT

# 256 MiB of touched memory in one process (awk's string), waiting on a fifo
# (as bench/criu.sh).
hold_256m() {
    local ct=$1 rss=
    vzctl exec "$ct" 'mkfifo /tmp/hold; setsid awk "BEGIN { s = sprintf(\"%268435456s\", \"\"); while ((getline l < \"/tmp/hold\") > 0) {} }" </dev/null >/dev/null 2>&1 &'
    for _ in $(seq 100); do
        rss=$(vzctl exec2 "$ct" 'ps -o rss,comm' | awk '$2 == "awk" { print $1 }')
        [ "$rss" = 257m ] && return
        sleep 0.1
    done
    echo "bench/migrate.sh: the 256 MiB process did not come up (rss $rss)" >&2
    exit 1
}

# measure N BIG: migrates a fresh container online; prints "frozen dump copy+restore total" in ms.
measure() {
    local ct=$((CT0 + $1)) out
    vzctl --quiet create $ct --ostemplate busybox --ipadd 198.18.30.$((150 + $1))
    BENCH_CTS="$BENCH_CTS $ct"
    vzctl --quiet start $ct
    (($2)) && hold_256m $ct
    sleep 1
    out=$(timeout -k 5 300 vzmigrate --online -t --ssh="$SSH_OPTS" $PEER $ct) || { echo "bench/migrate.sh: vzmigrate failed: $out" >&2; exit 1; }
    on_dest "vzctl stop $ct --fast; vzctl destroy $ct" >/dev/null 2>&1
    awk '
        function ms(s) { return int(s * 1000 + 0.5) }
        /^Frozen time:/ { frozen = ms($3) }
        /^  \(suspend\+dump/ { gsub(/[(),]/, ""); for (i = 1; i < NF; i += 2) part[$i] = ms($(i + 1)) }
        /^Total time:/ { total = ms($3) }
        END { print frozen, part["suspend+dump"], part["copy+restore"], total }' <<<"$out"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

n=0
row() {
    local big=$1 name=$2 runs i
    runs=$(for i in $(seq "$RUNS"); do measure $n "$big"; n=$((n + 1)); done)
    n=$((n + RUNS))
    printf '| %s |' "$name"
    for i in 1 2 3 4; do printf ' %s ms |' "$(awk -v f=$i '{ print $f }' <<<"$runs" | median)"; done
    echo
}

out=$(mktemp)
{
    echo "## Online migration (vzmigrate --online, CRIU $(criu --version | awk '/Version/ { print $2 }'))"
    echo
    echo "Frozen time: from the freeze on the source to the end of \`vzctl restore\` on the"
    echo "destination, as \`vzmigrate -t\` measures it; median of $RUNS runs, a fresh container each,"
    echo "on this machine ($(nproc) cores, kernel $(uname -r)). The destination is a second vzkit"
    echo "host on the same machine (its own VZ_PREFIX, sshd in its own network namespace), so the"
    echo "copies go over ssh on a veth pair. Default 2 GiB image; while frozen, the image's data"
    echo "(tar --sparse, a few MiB) and the dump go in one tar stream, unpacked and restored in the"
    echo "same session of one multiplexed ssh connection, opened before the freeze; CRIU locks the"
    echo "network with nftables. Each container has its own user namespace (the default). Frozen = suspend + dump, then copy + restore."
    echo
    echo "| container | frozen | suspend + dump | copy + restore there | whole migration |"
    echo "|---|---|---|---|---|"
    row 0 "busybox, idle"
    row 1 "busybox + 256 MiB RSS"
} >"$out"
cat "$out"
write_section migrate "$out"
rm -f "$out"
