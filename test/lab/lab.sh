#!/bin/sh
# Test fixture: start or delete a kubeha lab by hand. See test/lab/README.md.
#   test/lab/lab.sh up [HOSTS]   hosts lab-h1… with sshd, reachable from this machine (default 3 hosts)
#   test/lab/lab.sh down         deletes labs started with `up` and leftovers of crashed test runs
set -eu
# Node >= 22.18 runs the TypeScript directly (type stripping); prefer the project's Node 22 when it is there.
node=$HOME/.cache/node22/node_modules/.bin/node
[ -x "$node" ] || node=node
exec "$node" "$(dirname "$0")/cli.ts" "$@"
