#!/bin/bash
# Test fixture, not shipped: PID 1 of one lab host (see test/lab/README.md).
# lab.ts runs it as: ip netns exec NS unshare --mount --uts --pid --fork --kill-child --mount-proc
#   --propagation private bash host-init.sh HOSTNAME HOST_DIRECTORY KEPT_PATH...
# (KEPT_PATH: the repository and Node's directory, which the stand-ins run from)
# so the mounts, the hostname and every process below stay inside this host and die with it.
set -euo pipefail
name=$1
directory=$2
shift 2

# The host's own files: every directory under layers/ (etc, usr, var, root…) is an overlay whose lower layer is the
# machine's directory and whose upper layer is this host's, so writes stay in the host and reads fall through.
for layer in "$directory"/layers/*; do
	target=/$(basename "$layer")
	mount -t overlay "lab-$name" -o "lowerdir=$target,upperdir=$layer/upper,workdir=$layer/work" "$target"
done
# A fresh /run and /tmp, as after a boot. /tmp comes last because the lab's own directory may be under it.
# The stand-ins run from the repository with the machine's Node, which must stay visible: a kept path under /tmp or
# /run (a CI checkout, a Node from a cache) is bound at its own path inside the fresh directory (recursively bound,
# so the inner mount comes along).
for fresh in run tmp; do
	for kept in "$@"; do
		case $kept in
		/"$fresh"/*)
			mkdir -p "$directory/$fresh${kept#/"$fresh"}"
			mount --bind "$kept" "$directory/$fresh${kept#/"$fresh"}"
			;;
		esac
	done
	mount --rbind "$directory/$fresh" "/$fresh"
done
# At boot systemd-tmpfiles makes the runtime directories packages declare: Debian's haproxy gets /run/haproxy (its
# admin socket's directory) this way.
haproxy_tmpfiles=/usr/lib/tmpfiles.d/haproxy.conf
[ ! -f "$haproxy_tmpfiles" ] || systemd-tmpfiles --create "$haproxy_tmpfiles"
hostname "$name"

/usr/sbin/sshd -D -e -f /etc/ssh/sshd_config &

# As PID 1 this shell inherits every orphan (services the systemctl stand-in started) and bash reaps them while it
# waits. The loop keeps the host alive even if sshd dies, so that tests can still look inside it.
while true; do
	wait || true
	sleep 1
done
