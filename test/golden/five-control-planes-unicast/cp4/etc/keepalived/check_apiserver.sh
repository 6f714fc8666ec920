#!/bin/sh
# Rendered by kubeha: keepalived's check that the API answers through this node's haproxy, which is what a
# client of the VIP gets here. Asking the apiserver directly would keep the VIP on a node whose haproxy is
# broken; asking only whether haproxy runs would keep it on a node that reaches no apiserver.
exec curl --silent --fail --insecure --max-time 2 --output /dev/null https://127.0.0.1:8443/healthz
