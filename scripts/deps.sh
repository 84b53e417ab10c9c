#!/bin/bash
# Installs the Debian packages vzkit needs to build, run and test (debootstrap
# for vzpkg's Debian templates), once:
# apt-get runs only when something is missing. Extra package names may be
# given as arguments (the benchmarks and the v2 VM add theirs).
set -euo pipefail
packages=(libmnl-dev libmnl0 busybox-static tar gzip xz-utils zstd iproute2 gcc util-linux e2fsprogs acl attr debootstrap debian-archive-keyring "$@")
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "Installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends --no-upgrade "${missing[@]}" >/dev/null
fi
