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
T=${SECONDS_PER_RUN:-4}
RUNS=${RUNS:-3}
bash scripts/deps.sh iperf3 iproute2 util-linux
. bench/lib.sh
A=3101
B=3102
C=3103
D=3104
bench_host $A $B $C $D
TAG=$(basename "$WORK" | tr -dc 'a-zA-Z0-9' | tail -c 6)
BR=vzbr$TAG
NSA=vznsa$TAG
NSB=vznsb$TAG
NSC=vznsc$TAG
NSD=vznsd$TAG
NSE=vznse$TAG
NSF=vznsf$TAG

cleanup() {
    bench_cleanup
    for ns in "$NSA" "$NSB" "$NSC" "$NSD" "$NSE" "$NSF"; do ip netns del "$ns" 2>/dev/null || true; done
    ip link del "$BR" 2>/dev/null || true
}
trap cleanup EXIT

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

# Raw figures for the two-hop container paths, with bare namespaces: two
# veth pairs through a host bridge, and two routed through the host.
for ns in "$NSC" "$NSD" "$NSE" "$NSF"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
i=0
for ns in "$NSC" "$NSD"; do
    i=$((i + 1))
    ip link add h$i$TAG type veth peer name c$i$TAG netns "$ns"
    ip link set h$i$TAG master "$BR" up
    ip -n "$ns" addr add 198.18.53.$i/24 dev c$i$TAG
    ip -n "$ns" link set c$i$TAG up
done
for ns in "$NSE" "$NSF"; do
    i=$((i + 1))
    ip link add h$i$TAG type veth peer name c$i$TAG netns "$ns"
    ip link set h$i$TAG up
    echo 1 > /proc/sys/net/ipv4/conf/h$i$TAG/forwarding
    echo 1 > /proc/sys/net/ipv4/conf/h$i$TAG/proxy_arp
    ip -n "$ns" addr add 198.18.54.$i/32 dev c$i$TAG
    ip -n "$ns" link set c$i$TAG up
    ip -n "$ns" route add default dev c$i$TAG
    ip route add 198.18.54.$i/32 dev h$i$TAG
done

in_ct() { local pid; pid=$(init_of "$1"); shift; nsenter --net=/proc/$pid/ns/net "$@"; }
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
host() { "$@"; }

# measure NAME SERVER-WRAPPER... -- CLIENT-WRAPPER... ADDRESS: Gbit/s received
measure() {
    local name=$1 port=$2 addr=$3 srv=$4 cli=$5 srvarg=${6:-} cliarg=${7:-}
    local bps all=""
    for _ in $(seq 1 "$RUNS"); do
        $srv $srvarg iperf3 -s -p "$port" -1 >/dev/null 2>&1 &
        local spid=$!
        sleep 0.3
        bps=$($cli $cliarg iperf3 -c "$addr" -p "$port" -t "$T" -J 2>/dev/null |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"])')
        wait $spid 2>/dev/null || true
        all="$all $bps"
    done
    # The median of the runs.
    python3 -c "import sys, statistics; print('%s\t%.2f' % (sys.argv[1], statistics.median(map(float, sys.argv[2:])) / 1e9))" "$name" $all
}

results=$(
    measure loopback 5201 127.0.0.1 host host
    measure veth 5202 198.18.52.2 in_ns in_ns "$NSB" "$NSA"
    measure veth-routed 5206 198.18.54.4 in_ns in_ns "$NSF" "$NSE"
    measure veth-bridged 5207 198.18.53.2 in_ns in_ns "$NSD" "$NSC"
    measure venet-host-ct 5203 198.18.50.2 in_ct host $B
    measure venet-ct-ct 5204 198.18.50.2 in_ct in_ct $B $A
    measure bridge-ct-ct 5205 198.18.51.2 in_ct in_ct $D $C
)
echo "$results"

python3 - "$results" "$T" > "$WORK/section.md" <<'PY'
import sys, datetime, os
rows = dict(line.split("\t") for line in sys.argv[1].strip().split("\n"))
g = {k: float(v) for k, v in rows.items()}
t = sys.argv[2]
label = {
    "loopback": "host loopback (127.0.0.1)",
    "veth": "raw veth pair between two bare namespaces",
    "venet-host-ct": "host -> CT over venet (routed veth)",
    "venet-ct-ct": "CT -> CT over venet (routed through the host)",
    "bridge-ct-ct": "CT -> CT over bridged veth (--netif_add)",
    "veth-routed": "raw: two veth pairs routed through the host",
    "veth-bridged": "raw: two veth pairs through a host bridge",
}
raw = {"venet-host-ct": "veth", "venet-ct-ct": "veth-routed", "bridge-ct-ct": "veth-bridged"}
out = ["## Network throughput (TCP, iperf3)", "",
       f"`bash bench/net.sh`, {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, kernel {os.uname().release}, "
       f"{os.cpu_count()} CPUs; one iperf3 stream for {t} s per path, median of several runs; iperf3 runs from the host inside each "
       "network namespace (nsenter --net), so only the path differs.", "",
       "| path | Gbit/s | vs one raw veth pair | vs the same path with bare namespaces | vs loopback |",
       "|---|---:|---:|---:|---:|"]
for k in ["loopback", "veth", "veth-routed", "veth-bridged", "venet-host-ct", "venet-ct-ct", "bridge-ct-ct"]:
    same = f"{g[k] / g[raw[k]]:.2f}" if k in raw else "-"
    out.append(f"| {label[k]} | {g[k]:.2f} | {g[k] / g['veth']:.2f} | {same} | {g[k] / g['loopback']:.2f} |")
ok = all(g[k] >= 0.9 * g[raw[k]] for k in raw)
out += ["", "Target: every container path within 10% of the raw veth figure for the same path "
        f"(one pair host->CT; two pairs, routed or bridged, CT->CT): {'pass' if ok else 'FAIL'}. "
        f"Against a single raw pair the two-hop paths give {g['venet-ct-ct'] / g['veth']:.2f} (venet) and "
        f"{g['bridge-ct-ct'] / g['veth']:.2f} (bridge): the second veth crossing is the kernel's cost, not vzkit's."]
print("\n".join(out))
PY
write_section net "$WORK/section.md"
