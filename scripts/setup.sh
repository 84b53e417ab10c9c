#!/bin/bash
# README's first command: install everything, then run the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "setup.sh: run as root (containers need it)" >&2; exit 1; }
bash scripts/install.sh
bash scripts/criu.sh  # chkpnt/restore
export PATH="${PREFIX:-/usr/local}/sbin:$PATH"
bash scripts/demo.sh
