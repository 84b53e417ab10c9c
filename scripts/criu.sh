#!/bin/bash
# Installs a CRIU that works on the running kernel, once. Debian's own is
# taken if it passes `criu check` and can dump a process holding an inet
# socket; else criu >= 4.2 is built from Debian's source tarball and
# installed to /usr/local (design.md: bookworm's 3.17 fails on kernels with
# [vvar_vclock], 4.1 cannot dump inet sockets on 6.16+). Quick when a
# working criu is already on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
minimum=4.2
prefix=/usr/local
export PATH="$prefix/sbin:$PATH"

# works CRIU: checks the kernel, then dumps (and leaves running) a process
# that listens on 127.0.0.1.
works() {
    local criu=$1 dir pid ok=1
    [ -x "$criu" ] || return 1
    "$criu" check >/dev/null 2>&1 || return 1
    dir=$(mktemp -d /tmp/criu-check.XXXXXX)
    setsid perl -MIO::Socket::INET -e \
        '$s = IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1:0") or die; sleep 60' \
        </dev/null >/dev/null 2>&1 &
    pid=$!
    sleep 0.2
    "$criu" dump -t "$pid" -D "$dir" --leave-running -o dump.log >/dev/null 2>&1 && ok=0
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -rf "$dir"
    return $ok
}

for candidate in "$prefix/sbin/criu" /usr/sbin/criu; do
    if works "$candidate"; then
        echo "criu: $candidate works on this kernel"
        exit 0
    fi
done

bash scripts/deps.sh criu iptables nftables iproute2 perl-base
if works /usr/sbin/criu; then
    echo "criu: Debian's /usr/sbin/criu works on this kernel"
    exit 0
fi

echo "criu: building criu >= $minimum from Debian's source (the packaged one does not work here)"
bash scripts/deps.sh build-essential pkgconf libbsd-dev libcap-dev libgnutls28-dev libnet1-dev \
    libnftables-dev libnl-3-dev libprotobuf-c-dev libprotobuf-dev protobuf-c-compiler \
    protobuf-compiler uuid-dev python3 ca-certificates curl

work=$(mktemp -d /tmp/criu-build.XXXXXX)
chmod 755 "$work"  # apt fetches as _apt
trap 'rm -rf "$work"' EXIT

# The archive this system installs from (its first deb URI that is not a
# security mirror), asked for the newest source package in a private list.
archive=$(
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
        awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; break } }'
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -e "$f" ] && awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' "$f"
    done
)
archive=$(grep -v -e security -e '^$' <<<"$archive" | head -n1)
[ -n "$archive" ] || { echo "criu.sh: no Debian archive in the apt sources" >&2; exit 1; }
mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $archive sid main" >"$work/sources.list"
apt_private=(-o "Dir::Etc::sourcelist=$work/sources.list" -o Dir::Etc::sourceparts=- \
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=)
apt-get "${apt_private[@]}" update -qq
record=$(apt-cache "${apt_private[@]}" showsrc criu)
# The newest version's record: its Version, Directory and the orig tarball's sha256.
read -r version directory sha file < <(python3 - "$record" <<'PY'
import sys
best = None
for para in sys.argv[1].strip().split("\n\n"):
    fields, key = {}, None
    for line in para.splitlines():
        if line.startswith(" ") and key:
            fields[key] += "\n" + line.strip()
        elif ":" in line:
            key, value = line.split(":", 1)
            fields[key] = value.strip()
    upstream = fields["Version"].split(":")[-1].rsplit("-", 1)[0]
    for entry in fields.get("Checksums-Sha256", "").splitlines():
        parts = entry.split()
        if len(parts) == 3 and ".orig.tar." in parts[2]:
            key = [int(x) if x.isdigit() else x for x in upstream.replace("~", ".").split(".")]
            if best is None or key > best[0]:
                best = (key, upstream, fields["Directory"], parts[0], parts[2])
if best:
    print(*best[1:])
PY
)
[ -n "${version:-}" ] || { echo "criu.sh: no criu source in the archive's sid" >&2; exit 1; }
if [ "$(printf '%s\n%s\n' "$minimum" "$version" | sort -V | head -n1)" != "$minimum" ]; then
    echo "criu.sh: the archive has criu $version, older than $minimum" >&2
    exit 1
fi
curl -fsSL -o "$work/$file" "$archive/$directory/$file"
echo "$sha  $work/$file" | sha256sum -c --quiet - || { echo "criu.sh: checksum mismatch for $file" >&2; exit 1; }
tar -xf "$work/$file" -C "$work"
src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'criu*' | head -n1)
make -C "$src" -j"$(nproc)" criu >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; exit 1; }
install -D -m 0755 "$src/criu/criu" "$prefix/sbin/criu"
works "$prefix/sbin/criu" || { echo "criu.sh: the built criu $version does not work on this kernel" >&2; exit 1; }
echo "criu: installed criu $version to $prefix/sbin/criu"
