#!/bin/bash
# Runs the probes of Tests/security/probes.tsv as root inside a container of
# each runtime: vzkit (its default, a user namespace; and vzkit0, a
# container with LOCAL_UID=0), crun, runc, LXC, systemd-nspawn (Debian's packages,
# installed here if missing), each probe in a fresh container, with each
# runtime's defaults. Prints a markdown table (SECURITY.md has the last one).
#
#   bash Tests/security/compare.sh [RUNTIME...]   (default: all five)
#   VZCTL=path   the vzctl to test (default: the debug build)
#
# A runtime that cannot be set up here is reported "not measured" with the
# reason, never guessed. Probes are harmless where they work (see probe.c).
set -uo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" = 0 ] || { echo "compare.sh: must run as root" >&2; exit 1; }
RUNTIMES=("${@:-vzkit vzkit0 crun runc lxc nspawn}")
read -r -a RUNTIMES <<<"${RUNTIMES[*]}"

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

bash scripts/deps.sh crun runc lxc systemd-container libc6-dev >&2 || { log "cannot install the peers"; exit 1; }

source bench/lib.sh  # cgroup_parent
WORK=$(mktemp -d /tmp/vzsec.XXXXXX)
TAG=vzsec-${WORK##*.}
ROOTFS=$WORK/rootfs
VZCTL=$(readlink -f "${VZCTL:-.build/debug/vzctl}")
export VZ_PREFIX=$WORK/vz

cleanup() {
    set +e
    for id in $(crun list -q 2>/dev/null) $(runc list -q 2>/dev/null); do
        case $id in "$TAG"-*) crun delete -f "$id" >/dev/null 2>&1; runc delete -f "$id" >/dev/null 2>&1 ;; esac
    done
    if [ -x "$WORK/bin/vzctl" ]; then
        for ct in 1190 1191; do
            "$WORK/bin/vzctl" stop $ct --fast >/dev/null 2>&1
            "$WORK/bin/vzctl" destroy $ct >/dev/null 2>&1
        done
        rmdir /sys/fs/cgroup/*/"$(cgroup_parent)" /sys/fs/cgroup/"$(cgroup_parent)" 2>/dev/null
    fi
    grep -o " $WORK/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null
    rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT

gcc -static -O1 -o "$WORK/vzprobe" Tests/security/probe.c || { log "cannot build the probe"; exit 1; }

# The peers' root: Debian's static busybox, its applets, the probe, and
# what systemd-nspawn and LXC look for in an OS tree.
mkdir -p "$ROOTFS"/{bin,sbin,etc,tmp,proc,sys,dev,root,usr/lib}
cp /bin/busybox "$ROOTFS/bin/busybox"
chroot "$ROOTFS" /bin/busybox --install -s /bin
cp "$WORK/vzprobe" "$ROOTFS/bin/vzprobe"
echo 'root:x:0:0:root:/root:/bin/sh' >"$ROOTFS/etc/passwd"
echo 'root:x:0:' >"$ROOTFS/etc/group"
printf 'ID=busybox\nNAME=busybox\n' >"$ROOTFS/etc/os-release"
ln -sf /bin/busybox "$ROOTFS/sbin/init"

# Each runner: run_RUNTIME INDEX COMMAND, the exit status of COMMAND run
# as root in a new container; setup_RUNTIME prints why it cannot run, if so.
# vzkit: CT 1190 as created by default (a user namespace); vzkit0: CT 1191,
# created with --local_uid 0.
setup_vzkit() {
    [ -x "$VZCTL" ] || { echo "no vzctl at $VZCTL (swift build)"; return 1; }
    if [ ! -x "$WORK/bin/vzctl" ]; then
        mkdir -p "$WORK/bin" "$VZ_PREFIX/etc/vz/conf"
        for n in vzctl vzpkg; do ln -s "$VZCTL" "$WORK/bin/$n"; done
        cp conf/ve-*.conf-sample "$VZ_PREFIX/etc/vz/conf/"
        PATH=$WORK/bin:$PATH vzpkg create cache busybox >/dev/null 2>&1 || { echo "vzpkg create cache failed"; return 1; }
    fi
    "$WORK/bin/vzctl" create "${1:-1190}" --ostemplate busybox ${2:+--local_uid "$2"} >/dev/null 2>&1 || { echo "vzctl create failed"; return 1; }
}
setup_vzkit0() { setup_vzkit 1191 0; }
run_vzkit() {
    local ct=${3:-1190}
    "$WORK/bin/vzctl" start $ct >/dev/null 2>&1 || return 125
    cp "$WORK/vzprobe" "$VZ_PREFIX/vz/root/$ct/bin/vzprobe"
    "$WORK/bin/vzctl" exec2 $ct "$2" >/dev/null 2>&1
    local rc=$?
    "$WORK/bin/vzctl" stop $ct --fast >/dev/null 2>&1
    return $rc
}
run_vzkit0() { run_vzkit "$1" "$2" 1191; }

# crun refuses this host's hybrid layout while cgroup2 at
# /sys/fs/cgroup/unified has no controllers: it runs where that is unmounted.
oci() {
    if [ "$1" = crun ] && mountpoint -q /sys/fs/cgroup/unified; then
        shift
        unshare -m -- sh -c 'umount /sys/fs/cgroup/unified && exec crun "$@"' sh "$@"
    else
        "$@"
    fi
}
setup_oci() {
    local rt=$1 dir=$WORK/$1
    mkdir -p "$dir"
    (cd "$dir" && "$rt" spec) || { echo "$rt spec failed"; return 1; }
    python3 - "$dir/config.json" "$ROOTFS" <<'EOF'
import json, sys
path, rootfs = sys.argv[1], sys.argv[2]
c = json.load(open(path))
c["process"]["terminal"] = False
c["root"] = {"path": rootfs, "readonly": False}
json.dump(c, open(path, "w"), indent=1)
EOF
    oci "$rt" run -b "$dir" "$TAG-check" </dev/null >/dev/null 2>"$WORK/$rt.err" || {
        echo "$rt run failed: $(tail -n 1 "$WORK/$rt.err")"; return 1; }
}
run_oci() {
    local rt=$1 dir=$WORK/$1
    python3 - "$dir/config.json" "$3" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["args"] = ["/bin/sh", "-c", sys.argv[2]]
json.dump(c, open(sys.argv[1], "w"), indent=1)
EOF
    oci "$rt" run -b "$dir" "$TAG-$2" </dev/null >/dev/null 2>&1
}
setup_crun() { setup_oci crun; }
setup_runc() { setup_oci runc; }
run_crun() { run_oci crun "$@"; }
run_runc() { run_oci runc "$@"; }

LXCP=$WORK/lxc
setup_lxc() {
    mkdir -p "$LXCP/$TAG"
    {
        [ -r /usr/share/lxc/config/common.conf ] && echo "lxc.include = /usr/share/lxc/config/common.conf"
        cat <<EOF
lxc.uts.name = $TAG
lxc.rootfs.path = dir:$ROOTFS
lxc.net.0.type = empty
lxc.tty.max = 0
lxc.console.path = none
lxc.log.file = $LXCP/$TAG/log
EOF
    } >"$LXCP/$TAG/config"
    lxc-execute -P "$LXCP" -n "$TAG" -- /bin/true </dev/null >/dev/null 2>"$WORK/lxc.err" || {
        echo "lxc-execute failed: $(tail -n 1 "$WORK/lxc.err")"; return 1; }
}
run_lxc() { lxc-execute -P "$LXCP" -n "$TAG" -- /bin/sh -c "$2" </dev/null >/dev/null 2>&1; }

# --private-network: a sysctl probe writes net/ipv4/ip_forward, which must
# be the container's own.
NSPAWN=(systemd-nspawn -q --register=no --keep-unit --private-network -D "$ROOTFS")
setup_nspawn() {
    "${NSPAWN[@]}" /bin/true </dev/null >/dev/null 2>"$WORK/nspawn.err" || {
        echo "systemd-nspawn failed: $(grep -v '^$' "$WORK/nspawn.err" | tail -n 1)"; return 1; }
}
run_nspawn() { "${NSPAWN[@]}" /bin/sh -c "$2" </dev/null >/dev/null 2>&1; }

mapfile -t LINES < <(grep -v '^#' Tests/security/probes.tsv)
declare -A RESULT NOTE
for rt in "${RUNTIMES[@]}"; do
    log "setting up $rt"
    if ! why=$("setup_$rt" 2>&1 | tail -n 1; exit "${PIPESTATUS[0]}"); then
        NOTE[$rt]="not measured: $why"
        log "  $rt: ${NOTE[$rt]}"
        continue
    fi
    i=0
    for line in "${LINES[@]}"; do
        IFS=$'\t' read -r kind name cmd <<<"$line"
        i=$((i + 1))
        "run_$rt" "$i" "$cmd"
        rc=$?
        rm -rf "${ROOTFS:?}"/tmp/* 2>/dev/null
        RESULT[$rt,$i]=$rc
    done
done

names=(vzkit vzkit0 crun runc lxc nspawn)
declare -A TITLE=([vzkit]="vzkit" [vzkit0]="vzkit LOCAL_UID=0" [crun]="crun $(crun --version 2>/dev/null | awk 'NR==1{print $3}')"
    [runc]="runc $(runc --version 2>/dev/null | awk 'NR==1{print $3}')" [lxc]="LXC $(lxc-execute --version 2>/dev/null)"
    [nspawn]="nspawn $(systemd-nspawn --version 2>/dev/null | awk 'NR==1{print $2}')")
printf '| probe (as root inside) | wanted |'
for rt in "${names[@]}"; do printf ' %s |' "${TITLE[$rt]}"; done
printf '\n|---|---|'
for rt in "${names[@]}"; do printf -- '---|'; done
printf '\n'
i=0
for line in "${LINES[@]}"; do
    IFS=$'\t' read -r kind name cmd <<<"$line"
    i=$((i + 1))
    case $kind in deny | locked) wanted=refused ;; work0) wanted="works (LOCAL_UID=0)" ;; *) wanted=works ;; esac
    printf '| %s | %s |' "$name" "$wanted"
    for rt in "${names[@]}"; do
        rc=${RESULT[$rt,$i]:-}
        if [ -z "$rc" ]; then cell="-"
        elif [ "$rc" = 125 ]; then cell="error"
        elif [ "$rc" = 3 ] && [[ $kind != work* ]]; then cell="absent here"
        elif [[ $kind == work* ]]; then [ "$rc" = 0 ] && cell="works" || cell="**fails**"
        else [ "$rc" = 0 ] && cell="**allowed**" || cell="refused"
        fi
        printf ' %s |' "$cell"
    done
    printf '\n'
done
for rt in "${names[@]}"; do
    [ -n "${NOTE[$rt]:-}" ] && printf '\n%s: %s\n' "${TITLE[$rt]}" "${NOTE[$rt]}"
    [[ " ${RUNTIMES[*]} " == *" $rt "* ]] || printf '\n%s: not measured (not asked for)\n' "${TITLE[$rt]}"
done
exit 0
