import {isDeepStrictEqual} from 'node:util';
import type {NodeRole, NodeSpec, ParsedCluster} from '../spec/schema.ts';
import {type Answers, groupOf, type NodeGroup, type Placement, type Topology, topologyOf} from './answers.ts';

/** The load-balancer mode a placement means. */
export const modeOf = (placement: Placement): ParsedCluster['loadBalancer']['mode'] =>
	placement === 'kube-vip' || placement === 'external' ? placement : 'keepalived-haproxy';

const namePrefix: Record<NodeGroup, string> = {
	'control-plane': 'cp',
	etcd: 'etcd',
	'load-balancer': 'lb',
	worker: 'worker',
};

/** Control planes, then etcd, then load balancers, then workers: the order `kubeadm init` and priorities follow. */
const groupOrder: readonly NodeGroup[] = ['control-plane', 'etcd', 'load-balancer', 'worker'];

function wanted(topology: Topology, external: boolean): Record<NodeGroup, number> {
	return {
		'control-plane': topology.controlPlanes,
		etcd: external ? topology.etcdNodes : 0,
		'load-balancer': topology.placement === 'dedicated' ? topology.loadBalancerNodes : 0,
		worker: topology.workers,
	};
}

/** The roles of a node of a group, where the placement puts the load balancer. */
export function rolesFor(group: NodeGroup, placement: Placement, node?: NodeSpec): NodeRole[] {
	if (group !== 'control-plane') {
		return [group];
	}

	// A control plane that was also a worker (schedulable) stays one; the load-balancer role follows the placement.
	return [
		'control-plane',
		...(placement === 'control-planes' ? (['load-balancer'] as const) : []),
		...(node?.roles.includes('worker') ? (['worker'] as const) : []),
	];
}

function shaped(node: NodeSpec, roles: NodeRole[], keepalived: boolean): NodeSpec {
	const {priority, ...rest} = node;
	// A priority means something only to keepalived on a load-balancer node.
	const keepsPriority = priority !== undefined && keepalived && roles.includes('load-balancer');
	return {...rest, roles, ...(keepsPriority ? {priority} : {})};
}

/** Whether the load-balancer roles are where the placement puts them. */
function rolesFit(spec: ParsedCluster, placement: Placement): boolean {
	const onControlPlanes = placement === 'control-planes';
	const anywhere = placement === 'control-planes' || placement === 'dedicated';
	return spec.nodes.every((node) =>
		node.roles.includes('control-plane')
			? node.roles.includes('load-balancer') === onControlPlanes
			: anywhere || !node.roles.includes('load-balancer'),
	);
}

/**
The nodes a topology asks for, keeping every node that still fits (its name, address and settings) and adding
`cp4`, `worker3`… with no address for the operator to fill in. A spec whose nodes already have this topology is
returned as it is, so that visiting the topology screen never rewrites hand-made roles.
*/
export function reconcileNodes(spec: ParsedCluster, topology: Topology): ParsedCluster {
	const withMode = {...spec, loadBalancer: {...spec.loadBalancer, mode: modeOf(topology.placement)}};
	const fits = isDeepStrictEqual(topologyOf(withMode), topology) && rolesFit(spec, topology.placement);
	if (spec.nodes.length > 0 && fits) {
		return withMode;
	}

	const counts = wanted(topology, spec.etcd.topology === 'external');
	const keepalived = withMode.loadBalancer.mode === 'keepalived-haproxy';
	const used = new Set(spec.nodes.map((node) => node.name));
	const freshName = (group: NodeGroup): string => {
		for (let index = 1; ; index++) {
			const name = `${namePrefix[group]}${index}`;
			if (!used.has(name)) {
				used.add(name);
				return name;
			}
		}
	};

	const nodes = groupOrder.flatMap((group) => {
		const existing = spec.nodes.filter((node) => groupOf(node) === group).slice(0, counts[group]);
		const kept = existing.map((node) => shaped(node, rolesFor(group, topology.placement, node), keepalived));
		const added = Array.from({length: counts[group] - kept.length}, () => ({
			name: freshName(group),
			address: '',
			roles: rolesFor(group, topology.placement),
		}));
		return [...kept, ...added];
	});
	return {...withMode, nodes};
}

/** Leaving the topology screen: the nodes follow the counts. */
export const settleTopology = (answers: Answers): Answers => ({
	...answers,
	spec: reconcileNodes(answers.spec, answers.topology),
});

/** Leaving the nodes screen: the counts follow the nodes, so going back shows what the table holds. */
export const settleNodes = (answers: Answers): Answers => ({...answers, topology: topologyOf(answers.spec)});

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** Quorum arithmetic for an etcd cluster of `members`, said plainly. */
export function quorumNote(members: number): string {
	if (members < 1) {
		return 'etcd needs at least one member.';
	}

	if (members === 1) {
		return '1 etcd member tolerates no failure: the cluster stops when that node does.';
	}

	const quorum = Math.floor(members / 2) + 1;
	const tolerated = members - quorum;
	const base = `${plural(members, 'etcd member')} tolerate ${plural(tolerated, 'failure')} (quorum ${quorum})`;
	if (members === 2) {
		return `${base}: either one failing stops the cluster, so 2 is worse than 1. Use 3.`;
	}

	return members % 2 === 0 ? `${base}: no more than ${members - 1} would; an odd number is better.` : `${base}.`;
}
