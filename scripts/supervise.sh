#!/usr/bin/env bash
# Keep one process alive, as systemd's Restart=always would: run the command, and when it exits
# (crash, kill -9, "database is locked") start it again after a short back-off (1 s, doubling up
# to 30 s; back to 1 s after a run of more than a minute). `make run` starts the task worker and
# the scheduler through this. SIGTERM/SIGINT stop the command and this loop.
#   scripts/supervise.sh NAME COMMAND [ARGS...]
set -u
name=$1; shift
child=""
stopping=0
stop() {
  stopping=1
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; fi
  exit 0
}
trap stop TERM INT HUP
delay=1
while [ "$stopping" = 0 ]; do
  started=$(date +%s)
  "$@" &
  child=$!
  wait "$child"
  code=$?
  child=""
  [ "$stopping" = 1 ] && break
  if [ $(( $(date +%s) - started )) -gt 60 ]; then delay=1; fi
  echo "supervise: $name exited with status $code; restarting in ${delay}s" >&2
  sleep "$delay" & wait $!
  delay=$(( delay * 2 > 30 ? 30 : delay * 2 ))
done
