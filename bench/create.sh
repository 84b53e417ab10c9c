#!/bin/bash
# How long `vzctl create` takes from a cached template: the busybox template
# and debian-12-x86_64-minimal, on the directory layout (simfs) and the
# image layout (--layout ploop --diskspace 2G); the median of RUNS creates
# each (every one destroyed before the next). Writes the "create" section
# of bench/RESULTS.md.
#   VZCTL=/path/to/vzctl   binary to use (default: scripts/build-release.sh)
#   RUNS=7                 creates per case
#   DEBIAN_CACHE=FILE      a debian-12-x86_64-minimal.tar.gz to use instead
#                          of making one with vzpkg (about a minute)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh bc
RUNS=${RUNS:-7}
. bench/lib.sh
bench_host 780
trap bench_cleanup EXIT
debian=debian-12-x86_64-minimal
cache=$VZ_PREFIX/vz/template/cache
if [ -n "${DEBIAN_CACHE:-}" ]; then
    cp "$DEBIAN_CACHE" "$cache/$debian.tar.gz"
    made="taken from $DEBIAN_CACHE"
else
    t0=$(date +%s.%N)
    vzpkg create cache $debian >/dev/null
    made="made by \`vzpkg create cache $debian\` in $(printf '%.0f' "$(echo "$(date +%s.%N) - $t0" | bc -l)") s"
fi

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# create_time TEMPLATE ARGS...: the median seconds of RUNS creates of CT 780.
create_time() {
    local template=$1 i t0 t1; shift
    for i in $(seq "$RUNS"); do
        t0=$(date +%s.%N)
        vzctl --quiet create 780 --ostemplate "$template" "$@"
        t1=$(date +%s.%N)
        vzctl --quiet destroy 780
        echo "$t1 - $t0" | bc -l
    done | median
}
# tar_time TEMPLATE: the same for a bare `tar -x` of the archive (as vzctl
# unpacks it) into a directory beside the private areas: the file system's floor.
tar_time() {
    local floor=$VZ_PREFIX/vz/private/floor i t0 t1
    for i in $(seq "$RUNS"); do
        mkdir -p "$floor"
        t0=$(date +%s.%N)
        tar --numeric-owner -p --acls --xattrs --xattrs-include='*' -S -x -f "$cache/$1.tar.gz" -C "$floor"
        t1=$(date +%s.%N)
        rm -rf --one-file-system "$floor"
        echo "$t1 - $t0" | bc -l
    done | median
}
rows=()
for template in busybox $debian; do
    target=$([ $template = busybox ] && echo 1 || echo 10)
    size=$(du -m "$cache/$template.tar.gz" | cut -f1)
    for layout in simfs ploop; do
        args=()
        [ $layout = ploop ] && args=(--layout ploop --diskspace 2G)
        s=$(create_time $template "${args[@]}")
        floor=-
        [ $layout = simfs ] && floor="$(printf '%.3f' "$(tar_time $template)") s"
        rows+=("$template ($size MB archive)|$layout${args[*]:+ (${args[*]})}|$(printf '%.3f' "$s") s|$floor|< $target s|$(echo "$s < $target" | bc -l | sed 's/1/pass/;s/0/FAIL/')")
    done
done

{
    echo "## Container creation from a template cache"
    echo
    echo "\`bash bench/create.sh\`, $(date -u '+%Y-%m-%d %H:%M') UTC, kernel $(uname -r), $(nproc) CPUs; median of $RUNS creates per row (\`vzctl create\` to \"private area was created\", each destroyed before the next; the archive is in the page cache after the first). The Debian cache was $made. The bare \`tar -x\` column is the file system's own cost of writing the tree where simfs private areas live; the image layout writes into an ext4 image on a loop device instead."
    echo
    echo "| template | layout | create | bare \`tar -x\` beside it | target | result |"
    echo "|---|---|---:|---:|---|---|"
    for r in "${rows[@]}"; do echo "| ${r//|/ | } |"; done
} > "$WORK/section.md"
cat "$WORK/section.md"
write_section create "$WORK/section.md"
