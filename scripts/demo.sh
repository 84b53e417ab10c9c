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
run vzctl create "$CTID" --ostemplate busybox --hostname "ct$CTID.example.com"
run vzctl start "$CTID" --wait
run vzctl exec "$CTID" 'echo "hello from $(hostname), PID 1 is $(cat /proc/1/comm)"; ps'
run vzlist -a
run vzlist -a -o ctid,status,hostname,ostemplate,uptime
run vzctl stop "$CTID"
run vzctl destroy "$CTID"
echo "Done: container $CTID went through its whole life cycle."
