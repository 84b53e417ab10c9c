#!/bin/bash
# The main job, end to end, with the installed tools: a template cache, then
# a container created, started, used, listed, stopped and destroyed.
set -euo pipefail
CTID=${CTID:-101}
run() {
    echo "+ $*"
    "$@"
}
run vzpkg create cache busybox
run vzpkg list
run vzctl create "$CTID" --ostemplate busybox --hostname "ct$CTID.example.com" --ipadd 198.18.0.101
run vzctl set "$CTID" --ram 256M --swap 128M --numproc 100 --cpulimit 50 --save
run vzctl start "$CTID" --wait
run vzctl exec "$CTID" 'echo "hello from $(hostname), PID 1 is $(cat /proc/1/comm)"; ps; ip -o addr show venet0'
run vzlist -a
run vzlist -a -o ctid,status,hostname,ostemplate,uptime,numproc.l,physpages.l
run vzubc "$CTID"
run vzctl stop "$CTID"
run vzctl destroy "$CTID"
echo "Done: container $CTID went through its whole life cycle."
