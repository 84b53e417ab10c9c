# Shared by bench/net.sh and bench/limits.sh (sourced, not run): a
# throw-away vzkit "host" under its own VZ_PREFIX with the busybox template,
# its cleanup, and writing a section of bench/RESULTS.md.

# bench_host CTID...: builds (or takes $VZCTL), makes the prefix and the
# template; the CTIDs are stopped at exit.
bench_host() {
    VZCTL=${VZCTL:-$(bash scripts/build-release.sh)}
    WORK=$(mktemp -d /tmp/vzbench-lib.XXXXXX)
    # mktemp's 0700 would keep a container's mapped root from its own dump.
    chmod 755 "$WORK"
    BIN=$WORK/bin
    mkdir -p "$BIN" "$WORK/root/etc/vz/conf"
    for n in vzctl vzlist vzpkg vzubc; do ln -s "$VZCTL" "$BIN/$n"; done
    export PATH="$BIN:$PATH" VZ_PREFIX=$WORK/root
    BENCH_CTS="$*"
    cp conf/ve-*.conf-sample "$VZ_PREFIX/etc/vz/conf/"
    vzpkg create cache busybox >/dev/null
}

# cgroup_parent: this run's own cgroup parent (Layout.cgroupParent: FNV-1a
# of the prefix).
cgroup_parent() {
    python3 -c 'import sys
h = 0xcbf29ce484222325
for b in sys.argv[1].encode():
    h = ((h ^ b) * 0x100000001b3) % 2**64
print("vz-%016x" % h)' "$VZ_PREFIX"
}

bench_cleanup() {
    local ct parent dir pid
    for ct in ${BENCH_CTS:-}; do vzctl stop "$ct" --fast >/dev/null 2>&1 || true; done
    parent=$(cgroup_parent)
    # Whatever stop left running (a half-made run) is killed through its cgroup.
    for dir in /sys/fs/cgroup/*/"$parent"/* /sys/fs/cgroup/"$parent"/*; do
        [ -f "$dir/cgroup.procs" ] || continue
        for pid in $(cat "$dir/cgroup.procs"); do kill -9 "$pid" 2>/dev/null || true; done
    done
    sleep 0.2
    for dir in /sys/fs/cgroup/*/"$parent"/* /sys/fs/cgroup/"$parent"/*; do [ -d "$dir" ] && rmdir "$dir" 2>/dev/null; done
    rmdir /sys/fs/cgroup/*/"$parent" /sys/fs/cgroup/"$parent" 2>/dev/null || true
    # Every mount under the work dir, deepest first, before removing it.
    grep -o " $WORK/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    rm -rf --one-file-system "$WORK"
}

# init_of CTID: the host pid of the container's init.
init_of() {
    local pid
    for pid in $(cat /sys/fs/cgroup/pids/vz-*/"$1"/cgroup.procs /sys/fs/cgroup/vz-*/"$1"/cgroup.procs 2>/dev/null); do
        grep -qE '^NSpid:.*[[:space:]]1$' /proc/$pid/status && { echo $pid; return; }
    done
}

# write_section NAME FILE: puts FILE's text between <!-- NAME: ... --> and
# <!-- /NAME --> in bench/RESULTS.md (report.py keeps such sections).
write_section() {
    python3 - "$1" "$2" bench/RESULTS.md <<'PY'
import os, re, sys
name, body, path = sys.argv[1], open(sys.argv[2]).read().rstrip("\n"), sys.argv[3]
block = f"<!-- {name}: written by bench/{name}.sh -->\n{body}\n<!-- /{name} -->\n"
text = open(path).read() if os.path.exists(path) else ""
pattern = re.compile(rf"<!-- {name}:.*?<!-- /{name} -->\n", re.S)
text = pattern.sub(lambda m: block, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + block
open(path, "w").write(text)
PY
}
