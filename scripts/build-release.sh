#!/bin/bash
# Builds the release vzctl: Swift runtime, libstdc++ and libgcc linked in
# statically, so the binary needs only glibc (and libmnl, which Debian ships
# only as a shared library). Prints the path of the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.build-static
shim="$scratch/ldshim"
mkdir -p "$shim"
# The toolchain's static-stdlib-args.lnk appends a plain -lstdc++; this linker
# script answers it with the static archives (swift-c-interop.md).
printf 'INPUT(%s %s)\n' "$(gcc -print-file-name=libstdc++.a)" "$(gcc -print-file-name=libgcc_eh.a)" > "$shim/libstdc++.so"
swift build -c release --static-swift-stdlib --scratch-path "$scratch" \
    -Xlinker -L"$PWD/$shim" -Xlinker -s >&2
echo "$PWD/$scratch/release/vzctl"
