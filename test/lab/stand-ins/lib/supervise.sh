#!/bin/sh
# Test fixture for the lab's systemctl stand-in (test/lab/stand-ins/lib/service.ts), not shipped.
# Runs a service's main process and records how it ended, the part of systemd's job a detached stand-in cannot do,
# then hands over to the unit's on-exit script (service-exited.ts: Restart= and the leftovers), as systemd acts
# when a main process ends.
# Usage: supervise.sh STATEDIR COMMAND [ARG...]
directory=$1
shift
# A child shell writes its own pid, then becomes the service (exec keeps the pid): the pidfile holds the main pid.
# It runs in the foreground on purpose: commands started with & would inherit SIGINT and SIGQUIT ignored.
sh -c 'echo $$ > "$0" && exec "$@"' "$directory/main.pid" "$@"
echo $? > "$directory/exit-status"
if [ -f "$directory/on-exit" ]; then exec /bin/sh "$directory/on-exit"; fi
