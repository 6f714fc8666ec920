#!/bin/sh
# Rendered by kubeha: keepalived's check that haproxy accepts connections on port 8443 of this node.
# It fails only when nothing accepts them (curl's exit status 7) or curl is missing (127): whether the API
# answers through haproxy is check_apiserver.sh's question.
curl --silent --insecure --max-time 1 --output /dev/null https://127.0.0.1:8443/healthz
case $? in
7 | 127) exit 1 ;;
esac
