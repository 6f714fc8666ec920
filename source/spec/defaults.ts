import {type ClusterSpec, hasRole, loadBalancerNodes} from './cluster.ts';
import {parseEndpoint} from './endpoint.ts';
import type {ParsedCluster} from './schema.ts';

/** The port haproxy listens on when it shares a node with kube-apiserver (which holds 6443 on every address). */
export const colocatedLoadBalancerPort = 8443;

/** The VRRP id most distributions ship; two clusters on one segment that both keep it fight over the VIP. */
export const commonVirtualRouterId = 51;

/**
A VRRP id from the cluster name (FNV-1a), so that clusters on one segment differ unless they share a name,
and never the 51 everyone collides on.
*/
export function virtualRouterIdFor(name: string): number {
	let hash = 0x81_1c_9d_c5;
	for (const byte of new TextEncoder().encode(name)) {
		hash ^= byte;
		hash = Math.imul(hash, 0x01_00_01_93) >>> 0;
	}

	const id = 1 + (hash % 255);
	return id === commonVirtualRouterId ? id + 1 : id;
}

/** True when some node runs both haproxy and kube-apiserver. */
export const sharesNodeWithApiServer = (spec: Pick<ParsedCluster, 'nodes' | 'loadBalancer'>): boolean =>
	spec.loadBalancer.mode === 'keepalived-haproxy' &&
	spec.nodes.some((node) => hasRole(node, 'load-balancer') && hasRole(node, 'control-plane'));

function defaultPort(spec: ParsedCluster): number {
	if (spec.loadBalancer.mode === 'external') {
		const endpoint = parseEndpoint(spec.loadBalancer.endpoint ?? '');
		return endpoint.ok ? endpoint.port : spec.apiServer.bindPort;
	}

	return sharesNodeWithApiServer(spec) ? colocatedLoadBalancerPort : spec.apiServer.bindPort;
}

/**
Priorities for load-balancer nodes that have none: in the order listed, 10 apart (1 apart past 16 nodes), ending
at 100, skipping every priority written by hand, so the first listed holds the VIP and no default ties a written one.
*/
export function defaultPriorities(count: number, written: ReadonlySet<number> = new Set()): number[] {
	const candidates = count + written.size;
	const step = candidates <= 16 ? 10 : 1;
	return Array.from({length: candidates}, (_, index) => 100 + step * (candidates - 1 - index))
		.filter((priority) => !written.has(priority))
		.slice(0, count);
}

/** Fills the defaults that depend on other fields. Pure: the same input gives the same spec. */
export function completeSpec(spec: ParsedCluster): ClusterSpec {
	const lbNodes = loadBalancerNodes(spec);
	const written = new Set(lbNodes.flatMap((node) => node.priority ?? []));
	const missing = lbNodes.filter((node) => node.priority === undefined);
	const priorities = defaultPriorities(missing.length, written);
	const priorityOf = new Map(missing.map((node, index) => [node, priorities[index]]));
	return {
		...spec,
		loadBalancer: {
			...spec.loadBalancer,
			port: spec.loadBalancer.port ?? defaultPort(spec),
			virtualRouterId: spec.loadBalancer.virtualRouterId ?? virtualRouterIdFor(spec.name),
		},
		nodes: spec.nodes.map((node) =>
			priorityOf.has(node) && spec.loadBalancer.mode === 'keepalived-haproxy'
				? {...node, priority: priorityOf.get(node)}
				: node,
		),
	};
}
