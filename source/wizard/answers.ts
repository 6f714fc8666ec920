import {controlPlanes, hasRole, loadBalancerNodes} from '../spec/cluster.ts';
import {apiVersion, clusterSchema, type NodeSpec, type ParsedCluster} from '../spec/schema.ts';

/** Where the API's load balancer runs: the choice the topology screen offers, which sets mode and roles. */
export const placements = ['control-planes', 'dedicated', 'kube-vip', 'external'] as const;
export type Placement = (typeof placements)[number];

/** The counts the nodes table is pre-filled from; not in cluster.yaml, which lists the nodes themselves. */
export type Topology = {
	readonly controlPlanes: number;
	/** External etcd only. */
	readonly etcdNodes: number;
	readonly workers: number;
	readonly placement: Placement;
	/** Dedicated load-balancer nodes only. */
	readonly loadBalancerNodes: number;
};

/** What the operator came to do, chosen on the start screen when a cluster.yaml exists. */
export type Intent = 'new' | 'edit' | 'review' | 'export' | 'add-node';

/** Everything the wizard has been told so far. */
export type Answers = {
	/** The draft cluster.yaml, static defaults filled; always of the schema's shape, not necessarily valid. */
	readonly spec: ParsedCluster;
	readonly topology: Topology;
	readonly intent: Intent;
	/** Adding a node only: the node as answered so far. It is not in `spec`: `kubeha add-node` writes it in. */
	readonly newNode?: NewNode;
};

/** The empty draft a new cluster starts from: the schema's defaults, no nodes, the name given (none by default). */
export const blankSpec = (name = ''): ParsedCluster =>
	clusterSchema.parse({apiVersion, kind: 'Cluster', name, nodes: []} satisfies Partial<ParsedCluster>);

/**
The name a new cluster is offered: its directory's name made a DNS label (`~/clusters/Prod_East` → `prod-east`),
or "prod" when nothing of it is left.
*/
export function suggestedClusterName(directoryName: string): string {
	const label = directoryName
		.toLowerCase()
		.replaceAll(/[^a-z0-9-]+/g, '-')
		.replaceAll(/^-+|-+$/g, '')
		.slice(0, 63)
		.replace(/-+$/, '');
	return label === '' ? 'prod' : label;
}

/** Three control planes sharing keepalived and haproxy, stacked etcd, two workers: the common HA shape. */
export const defaultTopology: Topology = {
	controlPlanes: 3,
	etcdNodes: 3,
	workers: 2,
	placement: 'control-planes',
	loadBalancerNodes: 2,
};

export const newAnswers = (name = ''): Answers => ({spec: blankSpec(name), topology: defaultTopology, intent: 'new'});

/** Answers for an existing cluster.yaml: the topology is read back from its nodes. */
export const answersFrom = (spec: ParsedCluster): Answers => ({spec, topology: topologyOf(spec), intent: 'edit'});

/** The group a node is counted in: what the topology screen asks a number of. */
export type NodeGroup = 'control-plane' | 'etcd' | 'load-balancer' | 'worker';

/** The node "Add a node" adds; its roles follow from its group and the topology, as on the topology screen. */
export type NewNode = {
	readonly name: string;
	readonly address: string;
	readonly group: NodeGroup;
	/** keepalived's, on a load-balancer node; absent: below every other, as `kubeha add-node` picks it. */
	readonly priority?: number;
};

export function groupOf(node: NodeSpec): NodeGroup {
	if (hasRole(node, 'control-plane')) {
		return 'control-plane';
	}

	if (hasRole(node, 'etcd')) {
		return 'etcd';
	}

	return hasRole(node, 'load-balancer') ? 'load-balancer' : 'worker';
}

const countOf = (spec: ParsedCluster, group: NodeGroup): number =>
	spec.nodes.filter((node) => groupOf(node) === group).length;

function placementOf(spec: ParsedCluster): Placement {
	switch (spec.loadBalancer.mode) {
		case 'external': {
			return 'external';
		}

		case 'kube-vip': {
			return 'kube-vip';
		}

		case 'keepalived-haproxy': {
			const dedicated = loadBalancerNodes(spec).some((node) => !hasRole(node, 'control-plane'));
			return dedicated ? 'dedicated' : 'control-planes';
		}
	}
}

/** The topology a spec's nodes have; the defaults stand in for what an empty spec does not say. */
export function topologyOf(spec: ParsedCluster): Topology {
	if (spec.nodes.length === 0) {
		return {...defaultTopology, placement: placementOf(spec)};
	}

	return {
		controlPlanes: controlPlanes(spec).length,
		etcdNodes: countOf(spec, 'etcd') || defaultTopology.etcdNodes,
		workers: countOf(spec, 'worker'),
		placement: placementOf(spec),
		loadBalancerNodes: countOf(spec, 'load-balancer') || defaultTopology.loadBalancerNodes,
	};
}
