#!/usr/bin/env bash
# Renders every man/*.[0-9] page with groff, all warnings on; a page passes
# when groff exits 0 and writes nothing to standard error.
set -u

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if ! command -v groff >/dev/null; then
    echo "groff not found (install groff-base)"
    echo "0 passed, 1 failed"
    exit 1
fi

passed=0
failed=0
shopt -s nullglob
pages=("$root"/man/*.[0-9])
if ((${#pages[@]} == 0)); then
    echo "no pages in $root/man"
    echo "0 passed, 1 failed"
    exit 1
fi

errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
for page in "${pages[@]}"; do
    name=man/${page##*/}
    if groff -ww -man -Tutf8 "$page" >/dev/null 2>"$errors" && [[ ! -s $errors ]]; then
        ((passed++))
        echo "ok - $name"
    else
        ((failed++))
        echo "FAIL - $name"
        sed 's/^/    /' "$errors"
    fi
done

echo "$passed passed, $failed failed"
((failed == 0))
