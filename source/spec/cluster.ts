import type {NodeRole, NodeSpec, ParsedCluster} from './schema.ts';

/**
The effective spec: cluster.yaml with every default filled, static and derived. This is the contract the
validator, the renderer, the wizard and the runner share.
*/
export type ClusterSpec = Omit<ParsedCluster, 'loadBalancer'> & {
	readonly loadBalancer: ParsedCluster['loadBalancer'] & {
		readonly port: number;
		readonly virtualRouterId: number;
	};
};

export const hasRole = (node: NodeSpec, role: NodeRole): boolean => node.roles.includes(role);

/** Nodes with a role, remembered per node list: renderers ask once per node, and clusters can be large. */
const byRole = new WeakMap<readonly NodeSpec[], Map<NodeRole, NodeSpec[]>>();

function nodesWithRole(nodes: readonly NodeSpec[], role: NodeRole): NodeSpec[] {
	let roles = byRole.get(nodes);
	if (!roles) {
		roles = new Map();
		byRole.set(nodes, roles);
	}

	let found = roles.get(role);
	if (!found) {
		found = nodes.filter((node) => hasRole(node, role));
		roles.set(role, found);
	}

	return [...found];
}

export const controlPlanes = (spec: Pick<ParsedCluster, 'nodes'>): NodeSpec[] =>
	nodesWithRole(spec.nodes, 'control-plane');

/** The control plane that runs `kubeadm init`: the first one listed. */
export const firstControlPlane = (spec: Pick<ParsedCluster, 'nodes'>): NodeSpec | undefined => controlPlanes(spec)[0];

export const workers = (spec: Pick<ParsedCluster, 'nodes'>): NodeSpec[] =>
	spec.nodes.filter((node) => hasRole(node, 'worker') && !hasRole(node, 'control-plane'));

export const etcdMembers = (spec: Pick<ParsedCluster, 'nodes' | 'etcd'>): NodeSpec[] =>
	spec.etcd.topology === 'external' ? nodesWithRole(spec.nodes, 'etcd') : controlPlanes(spec);

/** Nodes that run keepalived and haproxy (keepalived-haproxy mode). */
export const loadBalancerNodes = (spec: Pick<ParsedCluster, 'nodes'>): NodeSpec[] =>
	nodesWithRole(spec.nodes, 'load-balancer');

/** Nodes that may hold the VIP: keepalived nodes, or every control plane with kube-vip. */
export const vipHolders = (spec: Pick<ParsedCluster, 'nodes' | 'loadBalancer'>): NodeSpec[] => {
	switch (spec.loadBalancer.mode) {
		case 'keepalived-haproxy': {
			return loadBalancerNodes(spec);
		}

		case 'kube-vip': {
			return controlPlanes(spec);
		}

		case 'external': {
			return [];
		}
	}
};

/** Nodes that run a kubelet, so can run static pods. */
export const runsKubelet = (node: NodeSpec): boolean => hasRole(node, 'control-plane') || hasRole(node, 'worker');

/** The interface a node uses for VRRP/ARP. */
export const interfaceOf = (spec: Pick<ParsedCluster, 'loadBalancer'>, node: NodeSpec): string | undefined =>
	node.interface ?? spec.loadBalancer.interface;

/** The VIP address without its prefix length. */
export const vipAddress = (spec: Pick<ParsedCluster, 'loadBalancer'>): string | undefined =>
	spec.loadBalancer.vip?.split('/')[0];

/** host:port clients and kubeadm use to reach the API: the VIP or the external load balancer. */
export const controlPlaneEndpoint = (spec: ClusterSpec): string | undefined =>
	spec.loadBalancer.mode === 'external'
		? spec.loadBalancer.endpoint
		: vipAddress(spec) === undefined
			? undefined
			: `${vipAddress(spec)}:${spec.loadBalancer.port}`;
