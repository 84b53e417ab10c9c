#!/bin/bash
# TCP throughput through vzkit's container networking, side by side in one
# run: CT->CT and host->CT over venet (routed veth), CT->CT over a bridge,
# against a raw veth pair between two bare network namespaces and the host's
# loopback. iperf3 runs from the host's /usr/bin inside each network
# namespace (nsenter --net), so only the network path differs.
# Writes the "Network throughput" section of bench/RESULTS.md.
#   VZCTL=/path/to/vzctl  binary to use (default: scripts/build-release.sh)
#   SECONDS_PER_RUN=3     iperf3 -t
set -euo pipefail
cd "$(dirname "$0")/.."
T=${SECONDS_PER_RUN:-3}
bash scripts/deps.sh iperf3 iproute2 util-linux
VZCTL=${VZCTL:-$(bash scripts/build-release.sh)}
WORK=$(mktemp -d /tmp/vznet.XXXXXX)
BIN=$WORK/bin
mkdir -p "$BIN" "$WORK/root/etc/vz/conf"
for n in vzctl vzlist vzpkg; do ln -s "$VZCTL" "$BIN/$n"; done
export PATH="$BIN:$PATH" VZ_PREFIX=$WORK/root
TAG=$(basename "$WORK" | tr -dc 'a-zA-Z0-9' | tail -c 6)
BR=vzbr$TAG
NSA=vznsa$TAG
NSB=vznsb$TAG
A=3101
B=3102
C=3103
D=3104

cleanup() {
    for ct in $A $B $C $D; do vzctl stop $ct --fast >/dev/null 2>&1 || true; done
    ip netns del "$NSA" 2>/dev/null || true
    ip netns del "$NSB" 2>/dev/null || true
    ip link del "$BR" 2>/dev/null || true
    pkill -f "iperf3 -s -p 52" 2>/dev/null || true
    # This run's own cgroup parent (Layout.cgroupParent: FNV-1a of the prefix).
    local parent
    parent=vz-$(python3 -c 'import sys
h = 0xcbf29ce484222325
for b in sys.argv[1].encode():
    h = ((h ^ b) * 0x100000001b3) % 2**64
print("%016x" % h)' "$VZ_PREFIX")
    rmdir /sys/fs/cgroup/*/"$parent" /sys/fs/cgroup/"$parent" 2>/dev/null || true
    umount -R "$WORK/root/vz/root" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

cp conf/ve-*.conf-sample "$VZ_PREFIX/etc/vz/conf/"
vzpkg create cache busybox >/dev/null
vzctl --quiet create $A --ostemplate busybox --ipadd 198.18.50.1
vzctl --quiet create $B --ostemplate busybox --ipadd 198.18.50.2
ip link add "$BR" type bridge && ip link set "$BR" up
vzctl --quiet create $C --ostemplate busybox
vzctl --quiet create $D --ostemplate busybox
vzctl --quiet set $C --netif_add "eth0,,,,$BR" --save
vzctl --quiet set $D --netif_add "eth0,,,,$BR" --save
for ct in $A $B $C $D; do vzctl --quiet start $ct; done
vzctl exec $C 'ip addr add 198.18.51.1/24 dev eth0 && ip link set eth0 up'
vzctl exec $D 'ip addr add 198.18.51.2/24 dev eth0 && ip link set eth0 up'

# The raw figure: a veth pair between two bare namespaces.
ip netns add "$NSA"
ip netns add "$NSB"
ip link add va$TAG netns "$NSA" type veth peer name vb$TAG netns "$NSB"
ip -n "$NSA" addr add 198.18.52.1/24 dev va$TAG
ip -n "$NSB" addr add 198.18.52.2/24 dev vb$TAG
for ns in "$NSA" "$NSB"; do ip -n "$ns" link set lo up; done
ip -n "$NSA" link set va$TAG up
ip -n "$NSB" link set vb$TAG up

init_of() {
    local pid
    for pid in $(cat /sys/fs/cgroup/pids/vz-*/"$1"/cgroup.procs /sys/fs/cgroup/vz-*/"$1"/cgroup.procs 2>/dev/null); do
        grep -qE '^NSpid:.*[[:space:]]1$' /proc/$pid/status && { echo $pid; return; }
    done
}
in_ct() { local pid; pid=$(init_of "$1"); shift; nsenter --net=/proc/$pid/ns/net "$@"; }
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
host() { "$@"; }

# measure NAME SERVER-WRAPPER... -- CLIENT-WRAPPER... ADDRESS: Gbit/s received
measure() {
    local name=$1 port=$2 addr=$3 srv=$4 cli=$5 srvarg=${6:-} cliarg=${7:-}
    $srv $srvarg iperf3 -s -p "$port" -1 >/dev/null 2>&1 &
    local spid=$!
    sleep 0.5
    local bps
    bps=$($cli $cliarg iperf3 -c "$addr" -p "$port" -t "$T" -J 2>/dev/null |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"])')
    wait $spid 2>/dev/null || true
    python3 -c "print('%s\t%.2f' % ('$name', $bps / 1e9))"
}

results=$(
    measure loopback 5201 127.0.0.1 host host
    measure veth 5202 198.18.52.2 in_ns in_ns "$NSB" "$NSA"
    measure venet-host-ct 5203 198.18.50.2 in_ct host $B
    measure venet-ct-ct 5204 198.18.50.2 in_ct in_ct $B $A
    measure bridge-ct-ct 5205 198.18.51.2 in_ct in_ct $D $C
)
echo "$results"

python3 - "$results" bench/RESULTS.md "$T" <<'PY'
import sys, datetime, os, re
rows = dict(line.split("\t") for line in sys.argv[1].strip().split("\n"))
g = {k: float(v) for k, v in rows.items()}
path, t = sys.argv[2], sys.argv[3]
label = {
    "loopback": "host loopback (127.0.0.1)",
    "veth": "raw veth pair between two bare namespaces",
    "venet-host-ct": "host -> CT over venet (routed veth)",
    "venet-ct-ct": "CT -> CT over venet (routed through the host)",
    "bridge-ct-ct": "CT -> CT over bridged veth (--netif_add)",
}
out = ["<!-- network: written by bench/net.sh -->", "## Network throughput (TCP, iperf3)", "",
       f"`bash bench/net.sh`, {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, kernel {os.uname().release}, "
       f"{os.cpu_count()} CPUs; one iperf3 stream for {t} s per path; iperf3 runs from the host inside each "
       "network namespace (nsenter --net), so only the path differs.", "",
       "| path | Gbit/s | vs raw veth | vs loopback |", "|---|---:|---:|---:|"]
for k in ["loopback", "veth", "venet-host-ct", "venet-ct-ct", "bridge-ct-ct"]:
    out.append(f"| {label[k]} | {g[k]:.2f} | {g[k] / g['veth']:.2f} | {g[k] / g['loopback']:.2f} |")
ok = all(g[k] >= 0.9 * g["veth"] for k in ["venet-host-ct", "venet-ct-ct", "bridge-ct-ct"])
out += ["", f"Target: every container path within 10% of the raw veth figure: {'pass' if ok else 'FAIL'}.",
        "<!-- /network -->", ""]
text = open(path).read() if os.path.exists(path) else ""
block = "\n".join(out)
if "<!-- network:" in text:
    text = re.sub(r"<!-- network:.*?<!-- /network -->\n", block, text, flags=re.S)
else:
    text = text.rstrip("\n") + "\n\n" + block
open(path, "w").write(text)
PY
