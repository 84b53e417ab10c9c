#!/bin/bash
# Builds the release vzctl and installs it with its vzlist/vzpkg links, the
# default /etc/vz/vz.conf and samples (never overwriting an existing vz.conf),
# man pages, shell completions and the boot-time service (vz.service, enabled
# where systemd runs).
#   PREFIX   where binaries and docs go (default /usr/local)
#   VZ_PREFIX  where /etc/vz lives, as vzctl itself reads it (default /)
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX=${PREFIX:-/usr/local}
etc="${VZ_PREFIX:-}/etc/vz"
bash scripts/deps.sh
binary=$(bash scripts/build-release.sh)
install -d "$PREFIX/sbin"
install -m 0755 "$binary" "$PREFIX/sbin/vzctl"
for link in vzlist vzpkg vzubc vzcpucheck vzsplit vzmemcheck vzcalc vzpid vzmigrate vz; do ln -sf vzctl "$PREFIX/sbin/$link"; done
install -d "$etc/conf" "$etc/names"
[ -e "$etc/vz.conf" ] || install -m 0644 conf/vz.conf "$etc/vz.conf"
for sample in conf/ve-*.conf-sample; do
    [ -e "$etc/conf/$(basename "$sample")" ] || install -m 0644 "$sample" "$etc/conf/"
done
for page in man/*.[0-9]; do
    [ -e "$page" ] || continue
    section=${page##*.}
    install -d "$PREFIX/share/man/man$section"
    install -m 0644 "$page" "$PREFIX/share/man/man$section/"
done
if [ -e completions/vzctl.bash ]; then
    dir="$PREFIX/share/bash-completion/completions"
    install -d "$dir"
    install -m 0644 completions/vzctl.bash "$dir/vzctl"
    for link in vzlist vzpkg vzubc vzcpucheck vzsplit vzmemcheck vzcalc vzpid vzmigrate vz; do ln -sf vzctl "$dir/$link"; done
fi
if [ -e completions/_vzctl ]; then
    install -d "$PREFIX/share/zsh/site-functions"
    install -m 0644 completions/_vzctl "$PREFIX/share/zsh/site-functions/"
fi
# Only on a host's real /etc (not under a VZ_PREFIX test tree).
if [ -z "${VZ_PREFIX:-}" ] && [ -d /etc/systemd/system ]; then
    sed "s|@SBINDIR@|$PREFIX/sbin|g" conf/vz.service > /etc/systemd/system/vz.service
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload
        systemctl enable vz.service
    fi
fi
echo "Installed $PREFIX/sbin/vzctl (with its links vzlist, vzpkg, vzubc, vzpid, vz, ...) and $etc"
