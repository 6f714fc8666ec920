import {type ClusterSpec, hasRole, loadBalancerNodes, runsKubelet} from '../cluster.ts';
import {commonVirtualRouterId, defaultPriorities} from '../defaults.ts';
import {error, type Finding, warning} from '../finding.ts';
import type {NodeSpec} from '../schema.ts';
import {listNames, nodePath, type Rule} from './rule.ts';

/** These rules are about keepalived and haproxy; other modes ignore the fields (see modes.ts). */
const keepalivedMode = (spec: ClusterSpec): boolean => spec.loadBalancer.mode === 'keepalived-haproxy';

/** Load-balancer nodes with their index in `nodes`, for paths. */
const indexedLoadBalancers = (spec: ClusterSpec): Array<{node: NodeSpec; index: number}> =>
	spec.nodes.flatMap((node, index) => (hasRole(node, 'load-balancer') ? [{node, index}] : []));

const virtualRouterId: Rule = (spec) => {
	if (!keepalivedMode(spec)) {
		return [];
	}

	const id = spec.loadBalancer.virtualRouterId;
	const path = 'loadBalancer.virtualRouterId';
	if (id < 1 || id > 255) {
		return [
			error(
				'virtual-router-id',
				path,
				`${path} is ${id}; VRRP router ids are 1 to 255`,
				'remove the field (kubeha derives an id from the cluster name), or write a number from 1 to 255 that no other VRRP router on the network uses.',
			),
		];
	}

	return id === commonVirtualRouterId
		? [
				warning(
					'virtual-router-id-common',
					path,
					`${path} is ${commonVirtualRouterId}, the id most keepalived packages ship; another cluster or appliance on the same network likely uses it too, and routers with the same id fight over the VIP`,
					'remove the field (kubeha derives an id from the cluster name), or pick another number from 1 to 255 that nothing else on the network uses.',
				),
			]
		: [];
};

/** keepalived reserves 255 for the address owner and sends 0 as "I am stopping" (RFC 3768). */
const maxPriority = 254;

const priorityRange: Rule = (spec) => {
	if (!keepalivedMode(spec)) {
		return [];
	}

	return indexedLoadBalancers(spec).flatMap(({node, index}): Finding[] => {
		const {priority} = node;
		if (priority === undefined || (priority >= 1 && priority <= maxPriority)) {
			return [];
		}

		const path = nodePath(index, 'priority');
		const reason =
			priority === 255
				? '255 is reserved for the router that owns the address, and the VIP belongs to no node'
				: priority === 0
					? '0 is what a stopping router sends to hand the VIP over'
					: `keepalived priorities are 1 to ${maxPriority}`;
		return [
			error(
				'priority-range',
				path,
				`${path} of ${node.name} is ${priority}; ${reason}`,
				`write a number from 1 to ${maxPriority} (higher holds the VIP first), or remove it for a default by list order.`,
			),
		];
	});
};

const priorityDuplicate: Rule = (spec) => {
	if (!keepalivedMode(spec)) {
		return [];
	}

	const lbNodes = indexedLoadBalancers(spec);
	const byPriority = Map.groupBy(
		lbNodes.filter(({node}) => node.priority !== undefined),
		({node}) => node.priority,
	);

	const example = defaultPriorities(lbNodes.length)
		.slice(0, 5)
		.map((priority, position) => `${lbNodes[position]?.node.name}: ${priority}`)
		.join(', ');
	return [...byPriority.entries()].flatMap(([priority, holders]) => {
		const second = holders[1];
		if (!second) {
			return [];
		}

		return [
			error(
				'priority-duplicate',
				nodePath(second.index, 'priority'),
				`${listNames(holders.map(({node}) => node.name))} all have keepalived priority ${priority}; on a tie keepalived picks the higher IP address, so which node holds the VIP is an accident`,
				`give each load-balancer node its own priority, highest on the node that should hold the VIP, e.g. ${example}.`,
			),
		];
	});
};

const priorityIgnored: Rule = (spec) => {
	if (!keepalivedMode(spec)) {
		return [];
	}

	return spec.nodes.flatMap((node, index) =>
		node.priority !== undefined && !hasRole(node, 'load-balancer')
			? [
					warning(
						'priority-ignored',
						nodePath(index, 'priority'),
						`${nodePath(index, 'priority')} of ${node.name} is ${node.priority}, but ${node.name} does not have the role load-balancer, so it runs no keepalived and the priority is ignored`,
						`remove the priority, or add load-balancer to ${node.name}'s roles if it should hold the VIP.`,
					),
				]
			: [],
	);
};

const loadBalancerCount: Rule = (spec) => {
	if (!keepalivedMode(spec)) {
		return [];
	}

	const lbNodes = loadBalancerNodes(spec);
	if (lbNodes.length === 0) {
		return [
			error(
				'load-balancer-count',
				'nodes',
				'loadBalancer.mode is "keepalived-haproxy", but no node has the role load-balancer, so nothing runs keepalived and haproxy to hold the VIP',
				'add load-balancer to the roles of the control planes (haproxy then listens on 8443 beside the API server), or add two dedicated load-balancer nodes.',
			),
		];
	}

	const only = lbNodes[0];
	return lbNodes.length === 1 && only
		? [
				warning(
					'load-balancer-count',
					'nodes',
					`only ${only.name} has the role load-balancer: when it fails the VIP has nowhere to move, and the API is unreachable although the control planes are up`,
					'give the role load-balancer to a second node (the other control planes are the natural choice).',
				),
			]
		: [];
};

const staticPodNeedsKubelet: Rule = (spec) => {
	if (!keepalivedMode(spec) || spec.loadBalancer.deploy !== 'static-pod') {
		return [];
	}

	const withoutKubelet = loadBalancerNodes(spec).filter((node) => !runsKubelet(node));
	return withoutKubelet.length > 0
		? [
				error(
					'static-pod-kubelet',
					'loadBalancer.deploy',
					`loadBalancer.deploy is "static-pod", but ${listNames(withoutKubelet.map((node) => `${node.name} (roles [${node.roles.join(', ')}])`))} run no kubelet, so nothing would start the keepalived and haproxy pods there`,
					'set loadBalancer.deploy: systemd, or give the role load-balancer only to control planes and workers.',
				),
			]
		: [];
};

/** keepalived refuses a vrrp_script weight beyond ±253. */
const maxCheckWeight = 253;

/**
The API check lowers a failed node by one more than the spread of priorities (so it drops below every healthy
node); a spread the weight cannot cover would leave the VIP on a node whose API is dead.
*/
const prioritySpread: Rule = (spec) => {
	const priorities = keepalivedMode(spec) ? loadBalancerNodes(spec).flatMap((node) => node.priority ?? []) : [];
	if (priorities.length < 2) {
		return [];
	}

	const spread = Math.max(...priorities) - Math.min(...priorities);
	return spread + 1 > maxCheckWeight
		? [
				error(
					'priority-spread',
					'nodes',
					`the load-balancer priorities run from ${Math.min(...priorities)} to ${Math.max(...priorities)}; a failed health check must lower a node by ${spread + 1} to hand the VIP on, but keepalived allows at most ${maxCheckWeight}`,
					'keep the priorities within 252 of each other, e.g. 120, 110, 100.',
				),
			]
		: [];
};

export const keepalivedRules: readonly Rule[] = [
	prioritySpread,
	virtualRouterId,
	priorityRange,
	priorityDuplicate,
	priorityIgnored,
	loadBalancerCount,
	staticPodNeedsKubelet,
];
