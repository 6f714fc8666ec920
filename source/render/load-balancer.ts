import {hasRole} from '../spec/cluster.ts';
import {haproxyFiles} from './haproxy.ts';
import {keepalivedFiles} from './keepalived.ts';
import {loadBalancerPodFiles} from './load-balancer-pods.ts';
import {serviceRestartFiles} from './service-restart.ts';
import type {NodeRenderer} from './types.ts';

/**
keepalived and haproxy on every load-balancer node (loadBalancer.mode: keepalived-haproxy). The configuration
files are the same for both deploys; with `static-pod` the manifests that run them come on top, and with
`systemd` the distribution's own keepalived and haproxy units read them, with drop-ins that restart them.
*/
export const loadBalancerFiles: NodeRenderer = (context, node) => {
	const {spec} = context;
	if (spec.loadBalancer.mode !== 'keepalived-haproxy' || !hasRole(node, 'load-balancer')) {
		return [];
	}

	return [
		...keepalivedFiles(context, node),
		...haproxyFiles(context, node),
		...(spec.loadBalancer.deploy === 'static-pod'
			? loadBalancerPodFiles(spec)
			: serviceRestartFiles(spec.name, node.name)),
	];
};
