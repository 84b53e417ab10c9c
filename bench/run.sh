#!/bin/bash
# Measures vzkit (vzctl/vzlist) against crun, runc, LXC and the kernel floors
# (unshare+chroot, nsenter -a) side by side in one run, on the same busybox
# root file system, and writes bench/RESULTS.md. Raw hyperfine JSON goes to
# bench/out/ (git-ignored).
#
#   bash bench/run.sh
#
# Environment:
#   VZCTL=/path/to/vzctl   use this binary instead of building scripts/build-release.sh
#   RUNS=40                hyperfine runs for start/exec/list (lxc-ls -f uses fewer)
#   ROUNDS=4               start/exec run in this many interleaved rounds of RUNS/ROUNDS
#   SPACED_RUNS=20 SPACE=0.2  start/exec once more with SPACE seconds of idle before each
#                          run (in the prepare step): back-to-back runs keep the kernel's
#                          cgroup migration lock (cgroup_threadgroup_rwsem) in its fast
#                          mode, a command run now and then pays an RCU grace period
#   NDEF=200 NRUN=50       containers defined / running for the list and resident tests
#   MEM_CYCLES=5           start-all/stop-all cycles for the memory-per-CT figure
#   CRUN_NS_WORKAROUND=1   if crun refuses the host's hybrid cgroup layout, run it in a
#                          private mount namespace with /sys/fs/cgroup/unified unmounted
#                          (0: record the refusal and skip crun)
#
# Everything it creates (containers, cgroups, mounts, temp dirs) is removed on
# exit, also on failure or interrupt.
set -euo pipefail
shopt -s nullglob

cd "$(dirname "$0")/.."
REPO=$PWD
OUT=$REPO/bench/out
RESULTS_MD=$REPO/bench/RESULTS.md
RUNS=${RUNS:-40}
NDEF=${NDEF:-200}
NRUN=${NRUN:-50}
MEM_CYCLES=${MEM_CYCLES:-5}
SPACED_RUNS=${SPACED_RUNS:-20}
ROUNDS=${ROUNDS:-4}
ROUND=1
SPACE=${SPACE:-0.2}
CRUN_NS_WORKAROUND=${CRUN_NS_WORKAROUND:-1}
CT0=1000                      # first CTID; CTs are CT0 .. CT0+NDEF-1
SCRIPT_PID=$$

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root"
((NRUN <= NDEF)) || die "NRUN ($NRUN) must not exceed NDEF ($NDEF)"

# ---------------------------------------------------------------- packages
PKGS=(crun runc lxc hyperfine busybox-static)
missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
command -v python3 >/dev/null || missing+=(python3)
if ((${#missing[@]})); then
    log "installing (missing: ${missing[*]})"
    apt-get update >&2
    apt-get install -y --no-install-recommends --no-upgrade "${PKGS[@]}" \
        $(command -v python3 >/dev/null || echo python3) >&2
fi
for c in crun runc lxc-start lxc-attach lxc-ls lxc-stop hyperfine unshare nsenter python3; do
    command -v "$c" >/dev/null || die "$c not found after installation"
done

# ---------------------------------------------------------------- state
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.txt "$OUT"/*.log "$OUT"/*.err "$OUT"/*.times "$OUT"/*.failed "$OUT"/results.tsv
TSV=$OUT/results.tsv
: >"$TSV"
# rec KEY VALUE...: one result line (tabs and newlines in VALUE are flattened)
rec() { local k=$1; shift; printf '%s\t%s\n' "$k" "$(printf '%s' "$*" | tr '\t\n' '  ')" >>"$TSV"; }

WORK=$(mktemp -d /tmp/vzbench.XXXXXX)
chmod 755 "$WORK"  # a container's mapped root must reach its own files
# prefix of every peer container name, unique to this run (two runs may overlap)
TAG=vzbench-${WORK##*.}
export VZ_PREFIX=$WORK/vz
BIN=$WORK/bin
ROOTFS=$WORK/rootfs            # shared read-only by the OCI bundles
LXC_ROOTFS=$WORK/lxc-rootfs    # LXC's own copy (it mounts it read-write)
LXCP=$WORK/lxc                 # lxcpath
CRUN_BUNDLE=$WORK/crun-bundle
RUNC_BUNDLE=$WORK/runc-bundle
mkdir -p "$VZ_PREFIX/etc/vz/conf" "$BIN" "$ROOTFS" "$LXC_ROOTFS" "$LXCP" "$CRUN_BUNDLE" "$RUNC_BUNDLE"

# The cgroup directory vzkit uses for this prefix: "vz-" + FNV-1a of the prefix.
VZ_CG=$(python3 - "$VZ_PREFIX" <<'EOF'
import sys
h = 0xcbf29ce484222325
for b in sys.argv[1].rstrip('/').encode():
    h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
print("vz-%016x" % h)
EOF
)

# cgroup dirs at the top of each hierarchy before we start (to know what we created)
PRE_CGROUPS=$(ls -d /sys/fs/cgroup/*/*/ 2>/dev/null | sort || true)

CRUN_OK=0 RUNC_OK=0 LXC_OK=0 CRUN_NS=0
crun_() {     # crun, inside the cgroup workaround namespace if needed
    if ((CRUN_NS)); then
        unshare -m -- sh -c 'umount /sys/fs/cgroup/unified && exec "$@"' sh crun "$@"
    else
        crun "$@"
    fi
}
crun_wrap() { # any command (e.g. hyperfine) inside the same namespace
    if ((CRUN_NS)); then
        unshare -m -- sh -c 'umount /sys/fs/cgroup/unified && exec "$@"' sh "$@"
    else
        "$@"
    fi
}

# ---------------------------------------------------------------- cleanup
cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    log "cleaning up"
    if [ -x "$BIN/vzctl" ] && [ -d "$VZ_PREFIX/etc/vz/conf" ]; then
        local running
        running=$(timeout 60 "$BIN/vzlist" -H -o ctid 2>/dev/null)
        for id in $running; do timeout 30 "$BIN/vzctl" stop "$id" --fast >/dev/null 2>&1; done
        for f in "$VZ_PREFIX"/etc/vz/conf/[0-9]*.conf; do
            id=$(basename "$f" .conf)
            timeout 30 "$BIN/vzctl" stop "$id" --fast >/dev/null 2>&1
            timeout 30 "$BIN/vzctl" destroy "$id" >/dev/null 2>&1
        done
    fi
    # peers
    for id in $(crun_ list -q 2>/dev/null); do
        case $id in "$TAG"-*) crun_ delete -f "$id" >/dev/null 2>&1 ;; esac
    done
    for id in $(runc list -q 2>/dev/null); do
        case $id in "$TAG"-*) runc delete -f "$id" >/dev/null 2>&1 ;; esac
    done
    if [ -d "$LXCP" ]; then
        for n in $(lxc-ls -P "$LXCP" --running 2>/dev/null); do
            timeout 30 lxc-stop -P "$LXCP" -n "$n" -k >/dev/null 2>&1
        done
    fi
    # whatever survived in our cgroups: kill it
    for procs in /sys/fs/cgroup/*/"$VZ_CG"/*/cgroup.procs /sys/fs/cgroup/*/"$TAG"-*/cgroup.procs \
                 /sys/fs/cgroup/*/lxc.payload."$TAG"-*/cgroup.procs /sys/fs/cgroup/*/lxc.monitor."$TAG"-*/cgroup.procs; do
        for p in $(cat "$procs" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
    done
    sleep 0.2
    # mounts under WORK (deepest first)
    local m
    for m in $(awk -v w="$WORK" '$5 == w || index($5, w "/") == 1 {print $5}' /proc/self/mountinfo | sort -r); do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
    done
    # cgroups we created (only empty ones; rmdir never removes a live cgroup)
    local d
    for d in /sys/fs/cgroup/*/"${VZ_CG:?}" /sys/fs/cgroup/*/"${TAG:?}"-* /sys/fs/cgroup/*/lxc.payload."$TAG"-* \
             /sys/fs/cgroup/*/lxc.monitor."$TAG"-*; do
        find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
    done
    for d in /sys/fs/cgroup/*/lxc.pivot; do
        grep -qxF "$d/" <<<"$PRE_CGROUPS" || rmdir "$d" 2>/dev/null
    done
    if awk -v w="$WORK" 'index($5, w) == 1 {f=1} END {exit !f}' /proc/self/mountinfo; then
        log "WARNING: mounts left under $WORK; not removing it"
    else
        rm -rf --one-file-system "$WORK"
    fi
    local left=(/sys/fs/cgroup/*/"$VZ_CG" /sys/fs/cgroup/*/"$TAG"-*)
    ((${#left[@]} == 0)) || log "WARNING: cgroups left behind: ${left[*]}"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# leftovers of an earlier run that was killed hard: its containers are named
# vzbench-SUFFIX-* and its /tmp/vzbench.SUFFIX is gone (a live run still has it)
stale() {
    local suffix=${1#vzbench-}
    suffix=${suffix%%-*}
    [[ $1 == vzbench-?*-* && ! -e /tmp/vzbench.$suffix ]]
}
for id in $(crun list -q 2>/dev/null; unshare -m -- sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; crun list -q' 2>/dev/null); do
    stale "$id" && { unshare -m -- sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; crun delete -f "$1"' sh "$id" >/dev/null 2>&1 || true; }
done
for id in $(runc list -q 2>/dev/null); do
    stale "$id" && { runc delete -f "$id" >/dev/null 2>&1 || true; }
done

# ---------------------------------------------------------------- vzkit binary
if [ -n "${VZCTL:-}" ]; then
    [ -x "$VZCTL" ] || die "VZCTL=$VZCTL is not executable"
    log "using VZCTL=$VZCTL"
else
    log "building the release binary (scripts/build-release.sh)"
    VZCTL=$(scripts/build-release.sh | tail -n 1)
    [ -x "$VZCTL" ] || die "build did not produce a binary ($VZCTL)"
fi
VZCTL=$(readlink -f "$VZCTL")
for n in vzctl vzlist vzpkg; do ln -s "$VZCTL" "$BIN/$n"; done
export PATH=$BIN:$PATH

# ---------------------------------------------------------------- helpers
# bench NAME [hyperfine args...]: runs hyperfine, records NAME's median in ms
# (or the error). Uses $WRAP (a command prefix) if set.
bench() {
    local name=$1; shift
    [ -e "$OUT/$name.failed" ] && return 1
    local json=$OUT/$name.r$ROUND.json
    log "bench $name (round $ROUND)"
    echo "== round $ROUND" >>"$OUT/$name.txt"
    if ${WRAP:-} hyperfine -N --warmup 3 --export-json "$json" "$@" >>"$OUT/$name.txt" 2>&1; then
        python3 -c 'import json, sys; print("\n".join(str(t) for t in json.load(open(sys.argv[1]))["results"][0]["times"]))' \
            "$json" >>"$OUT/$name.times"
    else
        rec "err.$name" "hyperfine failed: $(grep -v '^\s*$' "$OUT/$name.txt" | tail -n 3)"
        log "  failed, see $OUT/$name.txt"
        touch "$OUT/$name.failed"
        rm -f "$json"
        return 1
    fi
}
bench_summary() { # median and min over all rounds of every benchmark that never failed
    local f name med min n
    for f in "$OUT"/*.times; do
        name=$(basename "$f" .times)
        [ -e "$OUT/$name.failed" ] && continue
        read -r med min n < <(python3 -c '
import statistics, sys
t = [float(x) * 1000 for x in open(sys.argv[1]) if x.strip()]
print("%.2f %.2f %d" % (statistics.median(t), min(t), len(t)))' "$f")
        rec "ms.$name" "$med"
        rec "min.$name" "$min"
        rec "n.$name" "$n"
    done
}

ct_procs() {  # cgroup.procs of a vzkit CT (v1 pids hierarchy, or v2)
    local f
    for f in /sys/fs/cgroup/pids/"$VZ_CG"/"$1"/cgroup.procs /sys/fs/cgroup/"$VZ_CG"/"$1"/cgroup.procs; do
        [ -r "$f" ] && { cat "$f"; return 0; }
    done
    return 1
}
ct_init_pid() { # host PID of a vzkit CT's init (the one that is PID 1 in its namespace)
    local p
    for p in $(ct_procs "$1"); do
        grep -Eq '^NSpid:.*[[:space:]]1$' "/proc/$p/status" 2>/dev/null && { echo "$p"; return 0; }
    done
    return 1
}
mem_avail_kib() { # median of 5 reads of MemAvailable over ~0.4 s
    local i v=()
    for i in 1 2 3 4 5; do
        v+=("$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)")
        sleep 0.1
    done
    printf '%s\n' "${v[@]}" | sort -n | sed -n 3p
}
lxc_conf() {  # lxc_conf NAME: define an LXC container on the shared busybox copy
    mkdir -p "$LXCP/$1"
    {
        [ -r /usr/share/lxc/config/common.conf ] && echo "lxc.include = /usr/share/lxc/config/common.conf"
        cat <<EOF
lxc.uts.name = $1
lxc.rootfs.path = dir:$LXC_ROOTFS
lxc.net.0.type = empty
lxc.init.cmd = /sbin/init
lxc.apparmor.profile = unconfined
lxc.tty.max = 0
lxc.console.path = none
lxc.log.file = $LXCP/$1/log
lxc.log.level = WARN
EOF
    } >"$LXCP/$1/config"
}
oci_bundle() { # oci_bundle RUNTIME DIR
    (cd "$2" && "$1" spec) >/dev/null
    python3 - "$2/config.json" "$ROOTFS" <<'EOF'
import json, sys
path, rootfs = sys.argv[1], sys.argv[2]
c = json.load(open(path))
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/sleep", "1000000"]
c["root"]["path"] = rootfs
c["root"]["readonly"] = True
json.dump(c, open(path, "w"), indent=1)
EOF
}
# Host processes that stay behind for running containers (sampled twice,
# only processes present both times count). Prints "COUNT<TAB>description".
resident_procs() { # resident_procs vzkit|crun|runc|lxc
    python3 - "$1" "$SCRIPT_PID" "$VZ_PREFIX" "$VZ_CG" "$VZCTL" "$LXCP" <<'EOF'
import os, sys, time
kind, script_pid, prefix, vzcg, vzctl, lxcp = sys.argv[1:]
def snap():
    procs = {}
    for d in os.listdir("/proc"):
        if not d.isdigit(): continue
        p = int(d)
        try:
            st = open(f"/proc/{p}/stat").read()
            fields = st[st.rindex(")") + 2:].split()
            ppid, start = int(fields[1]), fields[19]
            status = open(f"/proc/{p}/status").read()
            nspid = [l.split()[1:] for l in status.splitlines() if l.startswith("NSpid:")]
            cg = open(f"/proc/{p}/cgroup").read()
            cmd = open(f"/proc/{p}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace").strip()
            try: env = open(f"/proc/{p}/environ", "rb").read().split(b"\0")
            except OSError: env = []
            try: exe = os.readlink(f"/proc/{p}/exe")
            except OSError: exe = ""
        except (OSError, ValueError, IndexError):
            continue
        procs[(p, start)] = dict(pid=p, ppid=ppid, nspid=nspid[0] if nspid else [], cg=cg, cmd=cmd, env=env, exe=exe)
    return procs
def pick(procs):
    kids = {}
    for (p, _), i in procs.items(): kids.setdefault(i["ppid"], []).append(p)
    mine, todo = set(), [int(script_pid)]
    while todo:
        p = todo.pop()
        if p in mine: continue
        mine.add(p); todo += kids.get(p, [])
    out = {}
    for k, i in procs.items():
        if i["pid"] in mine or not i["cmd"]: continue      # the bench itself; kernel threads
        host_ns = len(i["nspid"]) == 1
        base = os.path.basename(i["exe"].replace(" (deleted)", ""))
        if kind == "vzkit":
            in_ct = f"/{vzcg}/" in i["cg"] and not host_ns
            ours = (b"VZ_PREFIX=" + prefix.encode()) in i["env"] or i["exe"] == vzctl
            hit = ours and not in_ct
        elif kind == "lxc":
            hit = host_ns and (i["cmd"].startswith("[lxc monitor]") or base.startswith("lxc-")) and lxcp in i["cmd"]
        else:
            hit = host_ns and (base == kind or i["cmd"].split()[0].endswith("/" + kind) or i["cmd"].split()[0] == kind)
        if hit: out[k] = f'{i["pid"]}:{i["cmd"][:60]}'
    return out
a = pick(snap()); time.sleep(0.5); b = pick(snap())
both = [a[k] for k in a if k in b]
print(f"{len(both)}|{'; '.join(both[:5])}")
EOF
}

# ---------------------------------------------------------------- machine info
rec date "$(date -u '+%Y-%m-%d %H:%M UTC')"
rec kernel "$(uname -r)"
rec nproc "$(nproc)"
rec memtotal "$(awk '/^MemTotal:/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
rec cpu "$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
rec loadavg "$(cut -d' ' -f1-3 /proc/loadavg)"
rec cgroups "$(if [ -d /sys/fs/cgroup/pids ]; then echo "v1 hierarchies; cgroup2 at /sys/fs/cgroup/unified with controllers: '$(cat /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null)'"; else echo "cgroup v2 only"; fi)"
rec v.vzkit "$("$BIN/vzctl" --version 2>&1 | head -n1)"
rec v.crun "$(crun --version | head -n1)"
rec v.runc "$(runc --version | head -n1)"
rec v.lxc "lxc $(lxc-start --version 2>&1 | head -n1)"
rec v.hyperfine "$(hyperfine --version)"
rec v.utillinux "$(unshare --version)"
rec runs "$RUNS"
rec rounds "$ROUNDS"
rec spaced_runs "$SPACED_RUNS"
rec space "$SPACE"
rec ndef "$NDEF"
rec nrun "$NRUN"

# ---------------------------------------------------------------- set up vzkit
log "vzkit: template cache and $NDEF containers under $VZ_PREFIX"
cp conf/ve-*.conf-sample "$VZ_PREFIX/etc/vz/conf/"
vzpkg create cache busybox >"$OUT/vzpkg.log" 2>&1 || die "vzpkg create cache busybox failed: $(cat "$OUT/vzpkg.log")"
CACHE=$VZ_PREFIX/vz/template/cache/busybox.tar.gz
[ -s "$CACHE" ] || die "no template cache at $CACHE"
t0=$(date +%s.%N)
for ((i = 0; i < NDEF; i++)); do
    vzctl create $((CT0 + i)) --ostemplate busybox >>"$OUT/vzctl-create.log" 2>&1 \
        || die "vzctl create $((CT0 + i)) failed: $(tail -n 3 "$OUT/vzctl-create.log")"
done
rec create.vzkit.each_ms "$(python3 -c "import sys; print('%.1f' % ((float(sys.argv[2]) - float(sys.argv[1])) * 1000 / $NDEF))" "$t0" "$(date +%s.%N)")"

# the same root file system for the peers
tar -xzf "$CACHE" -C "$ROOTFS"
tar -xzf "$CACHE" -C "$LXC_ROOTFS"
[ -x "$ROOTFS/sbin/init" ] || [ -L "$ROOTFS/sbin/init" ] || die "no /sbin/init in the busybox cache"

# ---------------------------------------------------------------- peers: can they run here?
oci_bundle crun "$CRUN_BUNDLE"
oci_bundle runc "$RUNC_BUNDLE"
probe=$TAG-crun-probe
# (stderr to a file, never a pipe: the detached container would keep the pipe open)
if crun run -d --bundle "$CRUN_BUNDLE" "$probe" </dev/null >/dev/null 2>"$OUT/probe.err"; then
    CRUN_OK=1
    crun delete -f "$probe" >/dev/null 2>&1
else
    err=$(cat "$OUT/probe.err")
    rec err.crun.direct "crun run -d: $err"
    log "crun refuses to run here: $err"
    crun delete -f "$probe" >/dev/null 2>&1 || true
    if ((CRUN_NS_WORKAROUND)) && grep -q 'hybrid' <<<"$err"; then
        CRUN_NS=1
        if crun_ run -d --bundle "$CRUN_BUNDLE" "$probe" </dev/null >/dev/null 2>"$OUT/probe.err"; then
            CRUN_OK=1
            rec note.crun.ns 1
            crun_ delete -f "$probe" >/dev/null 2>&1
            log "crun works with /sys/fs/cgroup/unified unmounted in a private mount namespace"
        else
            rec err.crun "crun run -d (with the namespace workaround too): $(cat "$OUT/probe.err")"
            crun_ delete -f "$probe" >/dev/null 2>&1 || true
            CRUN_NS=0
        fi
    else
        rec err.crun "crun run -d: $err"
    fi
fi
probe=$TAG-runc-probe
if runc run -d --bundle "$RUNC_BUNDLE" "$probe" </dev/null >/dev/null 2>"$OUT/probe.err"; then
    RUNC_OK=1
else
    err=$(cat "$OUT/probe.err")
    rec err.runc "runc run -d: $err"
    log "runc cannot run here: $err"
fi
runc delete -f "$probe" >/dev/null 2>&1 || true
lxc_conf "$TAG-lxc-probe"
if lxc-start -P "$LXCP" -n "$TAG-lxc-probe" </dev/null >/dev/null 2>"$OUT/probe.err" \
    && lxc-attach -P "$LXCP" -n "$TAG-lxc-probe" -- /bin/true </dev/null >/dev/null 2>>"$OUT/probe.err"; then
    LXC_OK=1
else
    err=$(cat "$OUT/probe.err")
    rec err.lxc "lxc-start/lxc-attach: $err $(tail -n 3 "$LXCP/$TAG-lxc-probe/log" 2>/dev/null)"
    log "LXC cannot run here: $err"
fi
lxc-stop -P "$LXCP" -n "$TAG-lxc-probe" -k >/dev/null 2>&1 || true
rm -rf "$LXCP/$TAG-lxc-probe"

# ---------------------------------------------------------------- 1+2. start and exec
# In ROUNDS interleaved rounds (every tool in each round, RUNS/ROUNDS runs each),
# so that a burst of load from other work on the machine hits all tools alike;
# the medians are over the runs of all rounds together.
C0=$CT0
vzctl start "$C0" >"$OUT/vzctl-start.log" 2>&1 || die "vzctl start $C0 failed: $(cat "$OUT/vzctl-start.log")"
if ((CRUN_OK)); then crun_ run -d --bundle "$CRUN_BUNDLE" "$TAG-crun-0" </dev/null >/dev/null 2>&1 || true; fi
if ((RUNC_OK)); then runc run -d --bundle "$RUNC_BUNDLE" "$TAG-runc-0" </dev/null >/dev/null 2>&1 || true; fi
if ((LXC_OK)); then
    lxc_conf "$TAG-lxc-0"
    lxc-start -P "$LXCP" -n "$TAG-lxc-0" >/dev/null 2>&1 || true
fi
R1=$(((RUNS + ROUNDS - 1) / ROUNDS))
S1=$(((SPACED_RUNS + ROUNDS - 1) / ROUNDS))
for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
    # 1. start: each command leaves its container running; the prepare step removes it
    bench start.vzkit --runs "$R1" --prepare "vzctl stop $C0 --fast" "vzctl start $C0" || true
    bench start.vzkit.spaced --runs "$S1" --prepare "sh -c 'vzctl stop $C0 --fast >/dev/null 2>&1; sleep $SPACE'" "vzctl start $C0" || true
    if ((CRUN_OK)); then
        id=$TAG-crun-0
        WRAP=crun_wrap bench start.crun --runs "$R1" --prepare "crun delete -f $id" "crun run -d --bundle $CRUN_BUNDLE $id" || true
        WRAP=crun_wrap bench start.crun.spaced --runs "$S1" --prepare "sh -c 'crun delete -f $id; sleep $SPACE'" "crun run -d --bundle $CRUN_BUNDLE $id" || true
    fi
    if ((RUNC_OK)); then
        id=$TAG-runc-0
        bench start.runc --runs "$R1" --prepare "runc delete -f $id" "runc run -d --bundle $RUNC_BUNDLE $id" || true
        bench start.runc.spaced --runs "$S1" --prepare "sh -c 'runc delete -f $id; sleep $SPACE'" "runc run -d --bundle $RUNC_BUNDLE $id" || true
    fi
    if ((LXC_OK)); then
        n=$TAG-lxc-0
        bench start.lxc --runs "$R1" --prepare "lxc-stop -P $LXCP -n $n -k" "lxc-start -P $LXCP -n $n" || true
        bench start.lxc.spaced --runs "$S1" --prepare "sh -c 'lxc-stop -P $LXCP -n $n -k; sleep $SPACE'" "lxc-start -P $LXCP -n $n" || true
    fi
    bench start.floor --runs "$R1" "unshare -fmuinp --mount-proc chroot $ROOTFS /bin/true" || true
    bench start.floor.spaced --runs "$S1" --prepare "sleep $SPACE" "unshare -fmuinp --mount-proc chroot $ROOTFS /bin/true" || true

    # 2. exec into the containers the start benchmarks left running
    if ! PID0=$(ct_init_pid "$C0"); then
        rec bug "after \`vzctl start $C0\` (round $ROUND) no process of cgroup $VZ_CG/$C0 is PID 1 of its namespace"
        vzctl start "$C0" >/dev/null 2>&1 || true
        PID0=$(ct_init_pid "$C0") || die "cannot find the init of CT $C0 (cgroup $VZ_CG)"
    fi
    bench exec.vzkit --runs "$R1" "vzctl exec $C0 /bin/true" || true
    bench exec.vzkit.spaced --runs "$S1" --prepare "sleep $SPACE" "vzctl exec $C0 /bin/true" || true
    bench exec.vzkit3 --runs "$R1" "vzctl exec3 $C0 /bin/true" || true
    bench exec.vzkit3.spaced --runs "$S1" --prepare "sleep $SPACE" "vzctl exec3 $C0 /bin/true" || true
    bench exec.floor --runs "$R1" "nsenter -a -t $PID0 /bin/true" || true
    bench exec.floor.spaced --runs "$S1" --prepare "sleep $SPACE" "nsenter -a -t $PID0 /bin/true" || true
    # the classic `vzctl exec` runs its command through `bash -c` (falling back to /bin/sh): the floor with that shell
    bench exec.floorsh --runs "$R1" "nsenter -a -t $PID0 /bin/sh -c /bin/true" || true
    bench exec.floorsh.spaced --runs "$S1" --prepare "sleep $SPACE" "nsenter -a -t $PID0 /bin/sh -c /bin/true" || true
    if ((CRUN_OK)); then
        crun_ state "$TAG-crun-0" >/dev/null 2>&1 || crun_ run -d --bundle "$CRUN_BUNDLE" "$TAG-crun-0" </dev/null >/dev/null 2>&1 || true
        WRAP=crun_wrap bench exec.crun --runs "$R1" "crun exec $TAG-crun-0 /bin/true" || true
        WRAP=crun_wrap bench exec.crun.spaced --runs "$S1" --prepare "sleep $SPACE" "crun exec $TAG-crun-0 /bin/true" || true
    fi
    if ((RUNC_OK)); then
        runc state "$TAG-runc-0" >/dev/null 2>&1 || runc run -d --bundle "$RUNC_BUNDLE" "$TAG-runc-0" </dev/null >/dev/null 2>&1 || true
        bench exec.runc --runs "$R1" "runc exec $TAG-runc-0 /bin/true" || true
        bench exec.runc.spaced --runs "$S1" --prepare "sleep $SPACE" "runc exec $TAG-runc-0 /bin/true" || true
    fi
    if ((LXC_OK)); then
        bench exec.lxc --runs "$R1" "lxc-attach -P $LXCP -n $TAG-lxc-0 -- /bin/true" || true
        bench exec.lxc.spaced --runs "$S1" --prepare "sleep $SPACE" "lxc-attach -P $LXCP -n $TAG-lxc-0 -- /bin/true" || true
    fi
done
rec pid.vzkit "$PID0"
ROUND=1

# ---------------------------------------------------------------- 3+4. NRUN running: memory, resident processes, list
# stop the single containers of the first two parts, so every tool starts from zero
vzctl stop "$C0" --fast >/dev/null 2>&1 || true
((CRUN_OK)) && { crun_ delete -f "$TAG-crun-0" >/dev/null 2>&1 || true; }
((RUNC_OK)) && { runc delete -f "$TAG-runc-0" >/dev/null 2>&1 || true; }
((LXC_OK)) && { lxc-stop -P "$LXCP" -n "$TAG-lxc-0" -k >/dev/null 2>&1 || true; }
if ((LXC_OK)); then
    for ((i = 0; i < NDEF; i++)); do [ -f "$LXCP/$TAG-lxc-$i/config" ] || lxc_conf "$TAG-lxc-$i"; done
fi

start_all() {
    local i
    case $1 in
    vzkit) for ((i = 0; i < NRUN; i++)); do vzctl start $((CT0 + i)) >>"$OUT/start-all.log" 2>&1 || return 1; done ;;
    crun) for ((i = 0; i < NRUN; i++)); do crun_ run -d --bundle "$CRUN_BUNDLE" "$TAG-crun-$i" </dev/null >/dev/null 2>>"$OUT/start-all.log" || return 1; done ;;
    runc) for ((i = 0; i < NRUN; i++)); do runc run -d --bundle "$RUNC_BUNDLE" "$TAG-runc-$i" </dev/null >/dev/null 2>>"$OUT/start-all.log" || return 1; done ;;
    lxc) for ((i = 0; i < NRUN; i++)); do lxc-start -P "$LXCP" -n "$TAG-lxc-$i" >>"$OUT/start-all.log" 2>&1 || return 1; done ;;
    noop) sleep 1 ;;
    esac
}
stop_all() {
    local i
    case $1 in
    vzkit) for ((i = 0; i < NRUN; i++)); do vzctl stop $((CT0 + i)) --fast >/dev/null 2>&1; done ;;
    crun) for ((i = 0; i < NRUN; i++)); do crun_ delete -f "$TAG-crun-$i" >/dev/null 2>&1; done ;;
    runc) for ((i = 0; i < NRUN; i++)); do runc delete -f "$TAG-runc-$i" >/dev/null 2>&1; done ;;
    lxc) for ((i = 0; i < NRUN; i++)); do lxc-stop -P "$LXCP" -n "$TAG-lxc-$i" -k >/dev/null 2>&1; done ;;
    esac
    return 0
}
# mem_cycles TOOL: MEM_CYCLES x (MemAvailable, start NRUN, settle, MemAvailable);
# records the median drop per container in MiB; leaves NRUN running.
mem_cycles() {
    local tool=$1 c before after deltas=()
    for ((c = 1; c <= MEM_CYCLES; c++)); do
        sleep 0.5
        before=$(mem_avail_kib)
        if ! start_all "$tool"; then
            rec "err.mem.$tool" "starting $NRUN failed: $(tail -n 3 "$OUT/start-all.log")"
            stop_all "$tool"
            return 1
        fi
        sleep 1
        after=$(mem_avail_kib)
        deltas+=("$((before - after))")
        ((c < MEM_CYCLES)) && stop_all "$tool"
    done
    rec "mem.$tool" "$(python3 -c 'import sys, statistics; d = [int(x) for x in sys.argv[2:]]; print("%.2f|%s" % (statistics.median(d) / 1024 / int(sys.argv[1]), " ".join("%.2f" % (x / 1024 / int(sys.argv[1])) for x in d)))' "$NRUN" "${deltas[@]}")"
}

# where vzlist's time goes: the same listing with nothing running (and below: config only)
bench list.vzkit0 --runs "$RUNS" "vzlist -a" || true

log "memory: no-op cycles (noise estimate)"
mem_cycles noop

log "vzkit: $NRUN of $NDEF running"
if mem_cycles vzkit; then
    nrunning=$( (vzlist -H -o ctid 2>/dev/null || true) | wc -l)
    ((nrunning == NRUN)) || rec bug "\`vzlist -H -o ctid\` shows $nrunning running CTs, expected $NRUN"
    res=$(resident_procs vzkit)
    rec resident.vzkit "$res"
    # the listing must be complete and correct before we time it
    vrc=0; vzlist -a >"$OUT/vzlist-a.txt" 2>&1 || vrc=$?
    nlines=$(($(wc -l <"$OUT/vzlist-a.txt") - 1))
    nrun_listed=$(grep -c ' running ' "$OUT/vzlist-a.txt" || true)
    ((vrc == 0 && nlines == NDEF && nrun_listed == NRUN)) \
        || rec bug "\`vzlist -a\` exit $vrc, $nlines rows ($nrun_listed running); expected exit 0, $NDEF rows ($NRUN running)"
    bench list.vzkit --runs "$RUNS" "vzlist -a" || true
    bench list.vzkitrun --runs "$RUNS" "vzlist" || true
    bench list.vzkitctid --runs "$RUNS" "vzlist -a -o ctid" || true
    stop_all vzkit
fi
if ((CRUN_OK)); then
    log "crun: $NRUN running"
    if mem_cycles crun; then
        rec resident.crun "$(resident_procs crun)"
        WRAP=crun_wrap bench list.crun --runs "$RUNS" "crun list" || true
        stop_all crun
    fi
fi
if ((RUNC_OK)); then
    log "runc: $NRUN running"
    if mem_cycles runc; then
        rec resident.runc "$(resident_procs runc)"
        bench list.runc --runs "$RUNS" "runc list" || true
        stop_all runc
    fi
fi
if ((LXC_OK)); then
    log "lxc: $NRUN of $NDEF running"
    if mem_cycles lxc; then
        rec resident.lxc "$(resident_procs lxc)"
        bench list.lxc --runs "$RUNS" "lxc-ls -P $LXCP" || true
        bench list.lxcf --runs $(((RUNS + 3) / 4)) "lxc-ls -P $LXCP -f" || true
        stop_all lxc
    fi
fi

# ---------------------------------------------------------------- RESULTS.md
bench_summary
log "writing $RESULTS_MD"
python3 "$(dirname "$0")/report.py" "$TSV" "$RESULTS_MD"
# Online migration between two hosts on this machine: its own section.
log "online migration (bench/migrate.sh)"
VZCTL=$VZCTL bash "$REPO/bench/migrate.sh" >"$OUT/migrate.log" 2>&1 \
    || log "bench/migrate.sh failed: $(tail -n 3 "$OUT/migrate.log")"
cat "$RESULTS_MD"
log "done"
