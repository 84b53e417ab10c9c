#!/usr/bin/env bash
# Checks conf/vz.service the way install.sh installs it (@SBINDIR@ filled
# in, vz a link to vzctl) with systemd-analyze verify, and that the vz it
# calls answers its actions.
set -u

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
binary=$root/.build/debug/vzctl
[[ -x $binary ]] || (cd "$root" && swift build) || exit 1
work=$(mktemp -d "${TMPDIR:-/tmp}/vzkit-service.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/sbin" "$work/unit" "$work/host"
ln -s "$binary" "$work/sbin/vzctl"
ln -s vzctl "$work/sbin/vz"
sed "s|@SBINDIR@|$work/sbin|g" "$root/conf/vz.service" >"$work/unit/vz.service"

passed=0
failed=0
check() {
    local what=$1
    shift
    if "$@"; then ((passed++)); echo "ok - $what"; else ((failed++)); echo "FAIL - $what"; fi
}

if command -v systemd-analyze >/dev/null; then
    check "systemd-analyze verify vz.service" systemd-analyze verify --man=no "$work/unit/vz.service"
else
    echo "# systemd-analyze not found: unit not verified"
fi
check "no placeholder left" bash -c "! grep -q @ '$work/unit/vz.service'"
check "ExecStart runs vz start" grep -qx "ExecStart=$work/sbin/vz start" "$work/unit/vz.service"
check "ExecStop runs vz stop" grep -qx "ExecStop=$work/sbin/vz stop" "$work/unit/vz.service"
export VZ_PREFIX=$work/host
check "vz status on a fresh host: stopped, exit 3" bash -c '[[ $("$0/sbin/vz" status) == "OpenVZ is stopped." ]]; (( $? == 0 )) && "$0/sbin/vz" status >/dev/null; (( $? == 3 ))' "$work"
check "vz start with no containers: exit 0" "$work/sbin/vz" start
check "vz status after start: running" bash -c '[[ $("$0/sbin/vz" status) == "OpenVZ is running..." ]]' "$work"
check "vz stop: exit 0" "$work/sbin/vz" stop
out=$("$work/sbin/vz" 2>&1)
rc=$?
check "vz without an action: usage, exit 3" test "$out" = "Usage: vz {start|stop|status|restart|force-reload}" -a $rc = 3

mkdir -p "$VZ_PREFIX/etc/vz"
printf 'VIRTUOZZO=no\n' >"$VZ_PREFIX/etc/vz/vz.conf"
out=$("$work/sbin/vz" start 2>&1)
rc=$?
check "VIRTUOZZO=no: vz does nothing, exit 0" test -z "$out" -a $rc = 0 -a ! -e "$VZ_PREFIX/var/lock/vz"

echo "$passed passed, $failed failed"
((failed == 0))
