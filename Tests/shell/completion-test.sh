#!/usr/bin/env bash
# Drives the bash completion in completions/vzctl.bash the way readline
# would (COMP_WORDS, COMP_CWORD, COMP_LINE, COMP_POINT) against a fake host
# under a temporary VZ_PREFIX, and checks COMPREPLY.
set -u

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
prefix=$(mktemp -d "${TMPDIR:-/tmp}/vzkit-completion.XXXXXX")
trap 'rm -rf "$prefix"' EXIT

mkdir -p "$prefix/etc/vz/conf" "$prefix/etc/vz/names" "$prefix/vz/template/cache" "$prefix/vz/private"
printf 'HOSTNAME="ct101"\nNAME="web"\n' >"$prefix/etc/vz/conf/101.conf"
printf 'HOSTNAME="ct102"\n' >"$prefix/etc/vz/conf/102.conf"
printf 'ONBOOT="no"\n' >"$prefix/etc/vz/conf/ve-basic.conf-sample"
: >"$prefix/etc/vz/conf/103.conf.destroyed"
ln -s "$prefix/etc/vz/conf/101.conf" "$prefix/etc/vz/names/web"
mkdir -p "$prefix/vz/private/101"
printf '# snapshots\n{11111111-1111-4111-8111-111111111111}\t\t0\t2026-01-01 00:00:00\ta\t\n{22222222-2222-4222-8222-222222222222}\t{11111111-1111-4111-8111-111111111111}\t1\t2026-01-01 00:00:01\tb\t\n' >"$prefix/vz/private/101/Snapshots.tsv"
: >"$prefix/vz/template/cache/busybox.tar.gz"
export VZ_PREFIX=$prefix

# shellcheck source=../../completions/vzctl.bash
source "$root/completions/vzctl.bash"

passed=0
failed=0
n=0

# check EXPECTED WORD... : completes the last WORD of the command line made
# of the WORDs (the first one names the program) and compares the sorted
# COMPREPLY with EXPECTED (space-separated, sorted).
check() {
    local expected=$1 fn got line
    shift
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="${COMP_WORDS[*]}"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    case $1 in
    vzctl) fn=_vzctl ;;
    vzlist) fn=_vzlist ;;
    vzpkg) fn=_vzpkg ;;
    vzubc) fn=_vzubc ;;
    vzcpucheck) fn=_vzcpucheck ;;
    vzsplit) fn=_vzsplit ;;
    vzmemcheck) fn=_vzmemcheck ;;
    vzcalc) fn=_vzcalc ;;
    vzpid) fn=_vzpid ;;
    vzmigrate) fn=_vzmigrate ;;
    vz) fn=_vz ;;
    esac
    "$fn" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]:-}"
    got=$(printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | paste -sd' ' -)
    ((n++))
    line="$*<TAB>"
    if [[ $got == "$expected" ]]; then
        ((passed++))
        echo "ok $n - $line -> ${expected:-(nothing)}"
    else
        ((failed++))
        echo "FAIL $n - $line: expected '${expected}', got '${got}'"
    fi
}

# vzctl: flags and commands
check "chkpnt convert create delete destroy enter exec exec2 exec3 help mount restart restore resume runscript set snapshot snapshot-delete snapshot-list snapshot-mount snapshot-switch snapshot-umount start status stop suspend umount" vzctl ""
check "--quiet" vzctl --q
check "--verbose --version" vzctl --quiet --v
check "start status stop" vzctl help st
check "suspend" vzctl help su
check "" vzctl --version ""
# vzctl: container IDs and names
check "101 102 web" vzctl start ""
check "101 102" vzctl --quiet stop 10
check "web" vzctl exec w
check "" vzctl create ""
# vzctl: options and their values
check "--onboot" vzctl set 101 --onb
check "--ipadd" vzctl set 101 --ipa
check "--ipadd --ipdel" vzctl set 101 --ip
check "all" vzctl set 101 --ipdel ""
check "inherit" vzctl set 101 --nameserver ""
check "off on" vzctl set 101 --ifname eth0 --mac_filter ""
check "--netdev_add --netdev_del --netif_add --netif_del" vzctl set 101 --net
check "lo" vzctl set 101 --netdev_add l
check "no yes" vzctl set 101 --onboot ""
check "no yes" vzctl set web --onb ""
check "yes" vzctl set web --hostname x --disabled y
check "ignore restart" vzctl set 101 --setmode ""
check "" vzctl set 101 --hostname ""
check "busybox" vzctl create 103 --ostemplate ""
check "busybox" vzctl create 103 --ostemplate = ""
check "busybox" vzctl create 103 --ostemplate = bu
check "--ostemplate=busybox" vzctl create 103 --ostemplate=b
check "basic" vzctl create 103 --config ""
check "ploop simfs" vzctl create 103 --layout ""
check "busybox" vzctl set 101 --save --ostemplate ""
# vzctl set: resource options and their values
check "--cpuunits" vzctl set 101 --cpuu
check "--cpulimit --cpumask --cpus --cpuunits" vzctl set 101 --cpu
check "--iolimit --ioprio --iopslimit" vzctl set 101 --io
check "--numfile --numflock --numiptent --numothersock --numproc --numpty --numsiginfo --numtcpsock" vzctl set 101 --num
check "--swap --swappages" vzctl set web --sw
check "0 1 2 3 4 5 6 7" vzctl set 101 --ioprio ""
check "5" vzctl set 101 --iopr 5
check "--ioprio=6" vzctl set 101 --ioprio=6
check "all" vzctl set 101 --cpumask ""
check "all" vzctl set 101 --cpumask = a
check "all" vzctl set 101 --nodemask ""
check "--vm_overcommit --vmguarpages" vzctl set 101 --vm
check "" vzctl set 101 --ram ""
check "" vzctl set 101 --numproc ""
check "" vzctl set 101 -p ""
check "" vzctl set 101 --save --kmemsize ""
check "--ram" vzctl set 101 --cpus 2 --ra
check "--force --skip-fsck --skip-remount --wait" vzctl start 101 --
check "--fast --skip-umount" vzctl stop web --
check "--dump --dumpfile --kill --resume --suspend" vzctl chkpnt 101 --
check "--dump --dumpfile" vzctl suspend 101 --du
check "--dumpfile --kill --resume --skip-fsck --skip-remount --undump" vzctl resume web --
check "$prefix/vz/template" vzctl restore 101 --dumpf "$prefix/vz/templ"
check "" vzctl chkpnt 101 --context ""
check "--exec" vzctl enter 101 ""
check "snapshot snapshot-delete snapshot-list snapshot-mount snapshot-switch snapshot-umount" vzctl snaps
check "11111111-1111-4111-8111-111111111111 22222222-2222-4222-8222-222222222222" vzctl snapshot-switch web --id ""
check "22222222-2222-4222-8222-222222222222" vzctl snapshot-delete 101 --uuid 2
check "--id=11111111-1111-4111-8111-111111111111" vzctl snapshot-mount 101 --id=1
check "" vzctl snapshot 101 --id ""
check "" vzctl snapshot-list 102 --id ""
check "--skip-config --skip-resume" vzctl snapshot-switch 101 --skip-
check "--id --target" vzctl snapshot-mount 101 ""
check "current" vzctl snapshot-list 101 -o cur
check "ploop ploop:expanded ploop:plain ploop:raw" vzctl convert 101 --layout ""
check "" vzctl destroy 101 ""
# vzlist
check "ctid,hostname" vzlist -o ctid,ho
check "ctid,numproc.b,name ctid,numproc.b,nameserver" vzlist --output ctid,numproc.b,na
check "ctid,hostname" vzlist --output = ctid,ho
check "-octid,uptime" vzlist -octid,up
check "-hostname" vzlist -s -ho
check "numproc numproc.b numproc.f numproc.l numproc.m" vzlist -a --sort numpr
check "--name --name_filter --no-header --no-trim" vzlist --n
check "101 102 web" vzlist -a ""
check "" vzlist -h ""
# vzpkg
check "--help create help install list update" vzpkg ""
check "cache" vzpkg create ""
check "busybox" vzpkg create cache b
check "debian-12-aarch64 debian-12-aarch64-minimal debian-12-x86_64 debian-12-x86_64-minimal" vzpkg create cache debian-12
check "ubuntu-22.04-x86_64 ubuntu-22.04-x86_64-minimal" vzpkg create cache ubuntu-22.04-x
check "101 102 web" vzpkg update ""
check "web" vzpkg install w
check "" vzpkg install 101 ""
check "--userpasswd" vzctl set 101 --us
# vzubc
check "--color --help --incremental --quiet --raw --relative --verbose -R -c -h -i -ic -id -q -qh -qm -r -rc -rd -v" vzubc -
check "-q -qh -qm" vzubc -q
check "--raw --relative" vzubc --r
check "101 102 web" vzubc ""
check "101 102 web" vzubc -q -r ""
check "web" vzubc -v w
check "" vzubc -qh ""
check "" vzubc --help ""
# vzcpucheck
check "-v" vzcpucheck ""
check "-v" vzcpucheck -
check "" vzcpucheck -v ""
# vzsplit
check "-f -n -s" vzsplit -
check "-f -n -s" vzsplit ""
check "-f -s" vzsplit -n 4 ""
check "-s" vzsplit -n 4 -f half -
check "" vzsplit -n ""
check "" vzsplit -f ""
# vzmemcheck
check "-A -v" vzmemcheck -
# vzpid: flags, nothing after - or -h, process IDs otherwise
check "- -h -p" vzpid -
check "-" vzpid -p -
check "" vzpid - ""
check "" vzpid -p - ""
check "" vzpid -h ""
check "" vzpid 1 x
# Running processes' IDs (this shell's among them; the rest vary).
COMP_WORDS=(vzpid 1 "$$") COMP_CWORD=2 COMPREPLY=()
_vzpid vzpid "$$" 1
((n++))
if printf '%s\n' "${COMPREPLY[@]}" | grep -qx "$$"; then
    ((passed++))
    echo "ok $n - vzpid 1 $$<TAB> -> includes $$"
else
    ((failed++))
    echo "FAIL $n - vzpid 1 $$<TAB>: $$ not offered"
fi
# vz: the service's actions
check "force-reload restart start status stop" vz ""
check "start status stop" vz st
check "" vz start ""
# vzcalc
check "101 102 web" vzcalc -v ""
# vzmigrate: options, yes/no after -r, nothing for the host, then containers
check "--online" vzmigrate --on
check "--keep-dst" vzmigrate --online --k
check "no yes" vzmigrate -r ""
check "" vzmigrate --online ""
check "101 102 web" vzmigrate --online -r no host ""
check "101 102 web" vzmigrate --ssh "-p 2" host ""
check "" vzmigrate host 101 ""
# TEMPLATE from vz.conf moves the cache directory
mkdir -p "$prefix/srv/tpl/cache"
: >"$prefix/srv/tpl/cache/alpine.tar.xz"
: >"$prefix/srv/tpl/cache/alpine.tar.gz"
printf '# test\nTEMPLATE="/srv/tpl"\n' >"$prefix/etc/vz/vz.conf"
check "alpine" vzctl create 104 --ostemplate ""

echo "$passed passed, $failed failed"
((failed == 0))
