import {haproxyAdminSocket} from '../../source/render/haproxy.ts';
import {sh} from '../../source/runner/shell.ts';
import {type ClusterSpec, loadBalancerNodes} from '../../source/spec/cluster.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';

/** The load balancers whose haproxy sends to the API servers (none with kube-vip or an external one). */
export const haproxyNodes = (spec: ClusterSpec): NodeSpec[] =>
	spec.loadBalancer.mode === 'keepalived-haproxy' ? loadBalancerNodes(spec) : [];

const socket = `unix-connect:${haproxyAdminSocket}`;

/**
haproxy's runtime API: `drain` sends no new connection to the server (those open go on), `ready` sends again.
haproxy.cfg's server name is the control plane's node name, in the kube-apiserver backend.
*/
export const setServerStateScript = (server: string, state: 'drain' | 'ready'): string =>
	sh`echo ${`set server kube-apiserver/${server} state ${state}`} | socat stdio ${socket}`;

/**
Waits until haproxy's own health checks mark the server UP again (rise 2: about 2 s after it answers), for at
most a minute; prints haproxy's last status of it when it does not.
*/
export const waitServerUpScript = (server: string): string =>
	[
		'for attempt in $(seq 1 120); do',
		sh`  status=$(echo 'show stat' | socat stdio ${socket} | awk -F, -v server=${server} '$1 == "kube-apiserver" && $2 == server {print $18}')`,
		'  [ "$status" = UP ] && exit 0',
		'  sleep 0.5',
		'done',
		sh`echo "haproxy still has kube-apiserver/"${server}" $status after a minute" >&2`,
		'exit 1',
	].join('\n');
