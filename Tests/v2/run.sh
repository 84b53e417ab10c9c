#!/bin/bash
# Boots a cgroup-v2-only kernel (../shared/tools/run-in-v2vm.sh) and runs
# checks.sh there with the debug build of vzctl.
set -euo pipefail
cd "$(dirname "$0")/../.."
vm=../shared/tools/run-in-v2vm.sh
bash scripts/deps.sh qemu-system-x86 busybox-static
# The VM tool fetches Debian's kernel package on its first run: it needs lists.
[ -n "$(ls /var/lib/apt/lists/ 2>/dev/null | grep -v -e lock -e partial)" ] || apt-get update -qq
binary=$PWD/.build/debug/vzctl
[ -x "$binary" ] || swift build
bin=$(mktemp -d /tmp/vzkit-v2bin.XXXXXX)
trap 'rm -rf "$bin"' EXIT
for name in vzctl vzlist vzpkg vzubc; do ln -s "$binary" "$bin/$name"; done
PATH="$bin:$PATH" V2VM_MEM=${V2VM_MEM:-1024M} bash "$vm" "cd $PWD && bash $PWD/Tests/v2/checks.sh"
# The Swift suites that start real containers and check their limits, on
# the same cgroup-v2-only kernel (the test binary built by swift test).
tests=$PWD/.build/debug/vzkitPackageTests.xctest
if [ -x "$tests" ]; then
    echo "== Swift integration suites on cgroup v2"
    # quota_v2: Debian's kernel has the quota format that this host's lacks,
    # so the user-quota-inside tests run here.
    V2VM_MEM=${V2VM_MEM:-2048M} V2VM_TIMEOUT=900 V2VM_SHELL=/bin/bash \
        V2VM_MODULES="loop veth ext4 overlay bridge dummy tun quota_v2" bash "$vm" \
        "set -o pipefail; cd $PWD && $tests --testing-library swift-testing --filter '${V2VM_FILTER:-ResourceTests|LifecycleTests|InsideTests|QuotaTests|ActionScriptTests|VzpidTests|code62ProjectQuotaRefused|IsolationTests|counterGoesOnWithItsPIDLimitsAndAddresses}' 2>&1 | grep -vE '^.{0,12}(◇|↳)'"
fi
