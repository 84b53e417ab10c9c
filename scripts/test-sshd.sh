#!/bin/bash
# A second "host" on this machine for vzmigrate's tests and benchmark: an
# sshd in a network namespace of its own (so that the migrated container's
# host-side network ends, venetCTID, never meet the source's), reached over
# a veth pair, with root logins by a key made here, and in its sessions the
# VZ_PREFIX, PATH (the vzctl under test) and HOME (an empty one) of that "host".
#
#   test-sshd.sh start DIR NAME PREFIX BINDIR HOSTADDR PEERADDR
#       DIR: an empty directory for keys, config, pid and log; NAME: the
#       network namespace (veth ends NAME-h on the host, NAME-p inside; NAME
#       at most 12 characters); HOSTADDR/PEERADDR: a /30 pair for the veth.
#       Prints the --ssh options that log in (to root@PEERADDR).
#   test-sshd.sh stop DIR NAME
set -euo pipefail
cmd=$1; dir=$2; name=$3
case $cmd in
start)
    prefix=$4; bindir=$5; hostaddr=$6; peeraddr=$7
    command -v sshd >/dev/null || [ -x /usr/sbin/sshd ] || { echo "test-sshd.sh: no sshd (scripts/deps.sh openssh-server)" >&2; exit 1; }
    mkdir -p /run/sshd "$dir"
    if ip -o addr show | grep -qE " ($hostaddr|$peeraddr)/"; then
        echo "test-sshd.sh: $hostaddr or $peeraddr is in use (a test host left behind? ip netns list)" >&2
        exit 1
    fi
    ip netns add "$name"
    ip link add "$name-h" type veth peer name "$name-p"
    ip link set "$name-p" netns "$name"
    ip addr add "$hostaddr/30" dev "$name-h"
    ip link set "$name-h" up
    ip -n "$name" link set lo up
    ip -n "$name" addr add "$peeraddr/30" dev "$name-p"
    ip -n "$name" link set "$name-p" up
    ip -n "$name" route add default via "$hostaddr"
    ip netns exec "$name" sysctl -qw net.ipv4.ip_forward=1
    ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
    ssh-keygen -q -t ed25519 -N '' -f "$dir/id"
    cp "$dir/id.pub" "$dir/authorized_keys"
    # That host's root has a home of its own: this machine's ~/.bashrc
    # (bash reads it for ssh commands) is no business of the other host's
    # sessions, and here it costs 0.3 s each (pyenv init).
    mkdir -p "$dir/home"
    cat > "$dir/sshd_config" <<EOC
ListenAddress $peeraddr
Port 22
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxStartups 50
SetEnv VZ_PREFIX=$prefix PATH=$bindir:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=$dir/home
AcceptEnv VZ_PREFIX
EOC
    # nsenter --net only: the mount namespace stays the host's, so the
    # containers started there are mounted where both "hosts" see them.
    nsenter --net="/run/netns/$name" /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"
    for _ in $(seq 50); do [ -s "$dir/sshd.pid" ] && break; sleep 0.1; done
    echo "-i $dir/id -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o LogLevel=ERROR"
    ;;
stop)
    [ -s "$dir/sshd.pid" ] && kill "$(cat "$dir/sshd.pid")" 2>/dev/null || true
    ip netns del "$name" 2>/dev/null || true
    ip link del "$name-h" 2>/dev/null || true
    ;;
*) echo "usage: test-sshd.sh start|stop ..." >&2; exit 1 ;;
esac
