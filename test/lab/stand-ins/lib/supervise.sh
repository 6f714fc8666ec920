#!/bin/sh
# Test fixture for the lab's systemctl stand-in (test/lab/stand-ins/lib/service.ts), not shipped.
# Runs a service's main process and records how it ended, the part of systemd's job a detached stand-in cannot do.
# Usage: supervise.sh PIDFILE EXITFILE COMMAND [ARG...]
pidfile=$1
exitfile=$2
shift 2
# A child shell writes its own pid, then becomes the service (exec keeps the pid): the pidfile holds the main pid.
# It runs in the foreground on purpose: commands started with & would inherit SIGINT and SIGQUIT ignored.
sh -c 'echo $$ > "$0" && exec "$@"' "$pidfile" "$@"
echo $? > "$exitfile"
