import {type ClusterSpec, hasRole, runsKubelet} from '../cluster.ts';
import {colocatedLoadBalancerPort} from '../defaults.ts';
import {error, type Finding, warning} from '../finding.ts';
import type {NodeSpec} from '../schema.ts';
import {listNames, type Rule} from './rule.ts';

/** The ports cluster.yaml sets, in the order blame goes: a clash is reported on the later field. */
const portFields = ['ssh.port', 'apiServer.bindPort', 'loadBalancer.port', 'loadBalancer.statsPort'] as const;
type PortField = (typeof portFields)[number];

/** Where to start looking for a free port when suggesting one for a field. */
const preferredPorts: Record<PortField, number> = {
	'ssh.port': 22,
	'apiServer.bindPort': 6443,
	'loadBalancer.port': colocatedLoadBalancerPort,
	'loadBalancer.statsPort': 8404,
};

/** A TCP port a node listens on, and which program holds it; `field` when cluster.yaml sets it. */
type Listener = {readonly port: number; readonly owner: string; readonly field?: PortField};

/** kube-apiserver's default --service-node-port-range: kube-proxy opens these on every node. */
const nodePortRange = {first: 30_000, last: 32_767};

const inNodePortRange = (port: number): boolean => port >= nodePortRange.first && port <= nodePortRange.last;

const fixed = (port: number, owner: string): Listener => ({port, owner});

/** Every port kubeha's components listen on, per node (kubeadm's ports-and-protocols list plus our own). */
function listenersOf(spec: ClusterSpec, node: NodeSpec): Listener[] {
	const listeners: Listener[] = [{port: spec.ssh.port, owner: 'sshd', field: 'ssh.port'}];
	if (hasRole(node, 'control-plane')) {
		listeners.push(
			{port: spec.apiServer.bindPort, owner: 'kube-apiserver', field: 'apiServer.bindPort'},
			fixed(10_257, 'kube-controller-manager'),
			fixed(10_259, 'kube-scheduler'),
		);
	}

	const runsEtcd = spec.etcd.topology === 'stacked' ? hasRole(node, 'control-plane') : hasRole(node, 'etcd');
	if (runsEtcd) {
		listeners.push(fixed(2379, 'etcd (clients)'), fixed(2380, 'etcd (peers)'));
		if (spec.etcd.topology === 'stacked') {
			// kubeadm's etcd static pod serves metrics on 2381 (--listen-metrics-urls).
			listeners.push(fixed(2381, 'etcd (metrics)'));
		}
	}

	if (runsKubelet(node)) {
		listeners.push(
			fixed(10_250, 'kubelet'),
			fixed(10_248, 'kubelet (healthz)'),
			fixed(10_249, 'kube-proxy (metrics)'),
			fixed(10_256, 'kube-proxy (healthz)'),
		);
	}

	if (spec.loadBalancer.mode === 'keepalived-haproxy' && hasRole(node, 'load-balancer')) {
		listeners.push({port: spec.loadBalancer.port, owner: 'haproxy', field: 'loadBalancer.port'});
		if (spec.loadBalancer.statsPort !== undefined) {
			listeners.push({port: spec.loadBalancer.statsPort, owner: 'haproxy (stats)', field: 'loadBalancer.statsPort'});
		}
	}

	return listeners;
}

const fieldRank = (listener: Listener): number =>
	listener.field === undefined ? -1 : portFields.indexOf(listener.field);

/** kube-apiserver against haproxy on one node has a rule of its own, with the kubeadm preflight error. */
const isApiServerClash = (blamed: Listener, holder: Listener): boolean =>
	blamed.field === 'loadBalancer.port' && holder.field === 'apiServer.bindPort';

/** The first port from `start` up that none of the nodes uses and that kube-proxy leaves alone. */
function freePort(start: number, taken: ReadonlySet<number>): number {
	let port = start;
	while (taken.has(port) || inNodePortRange(port)) {
		port++;
	}

	return port;
}

const portValue = (spec: ClusterSpec, field: PortField): number | undefined => {
	switch (field) {
		case 'ssh.port': {
			return spec.ssh.port;
		}

		case 'apiServer.bindPort': {
			return spec.apiServer.bindPort;
		}

		case 'loadBalancer.port': {
			// In external mode the port comes from loadBalancer.endpoint, which external-endpoint checks.
			return spec.loadBalancer.mode === 'external' ? undefined : spec.loadBalancer.port;
		}

		case 'loadBalancer.statsPort': {
			return spec.loadBalancer.statsPort;
		}
	}
};

const portRange: Rule = (spec) =>
	portFields.flatMap((field) => {
		const port = portValue(spec, field);
		return port === undefined || (port >= 1 && port <= 65_535)
			? []
			: [
					error(
						'port-range',
						field,
						`${field} is ${port}; TCP ports are 1 to 65535`,
						`write a port from 1 to 65535, e.g. ${preferredPorts[field]}.`,
					),
				];
	});

type Clash = {readonly blamed: Listener; readonly holder: Listener; readonly nodes: NodeSpec[]};

/** Pairs of listeners on one port, grouped across nodes, each blamed on a field cluster.yaml sets. */
function findClashes(spec: ClusterSpec): Clash[] {
	const clashes = new Map<string, Clash>();
	for (const node of spec.nodes) {
		const byPort = Map.groupBy(listenersOf(spec, node), (listener) => listener.port);
		for (const group of byPort.values()) {
			for (const blamed of group) {
				for (const holder of group) {
					if (blamed.field === undefined || fieldRank(holder) >= fieldRank(blamed)) {
						continue;
					}

					const key = `${blamed.field}|${holder.owner}`;
					const clash = clashes.get(key) ?? {blamed, holder, nodes: []};
					clash.nodes.push(node);
					clashes.set(key, clash);
				}
			}
		}
	}

	return [...clashes.values()];
}

/** A port for `field` that nothing else uses on these nodes, for fixes. */
function suggestPort(spec: ClusterSpec, field: PortField, nodes: readonly NodeSpec[]): number {
	const taken = new Set(nodes.flatMap((node) => listenersOf(spec, node).map(({port}) => port)));
	return freePort(preferredPorts[field], taken);
}

const portConflicts: Rule = (spec) => {
	return findClashes(spec).map(({blamed, holder, nodes}): Finding => {
		const field = blamed.field ?? 'ssh.port';
		const where = listNames(nodes.map((node) => node.name));
		const free = suggestPort(spec, field, nodes);
		if (isApiServerClash(blamed, holder)) {
			return error(
				'apiserver-port-conflict',
				field,
				`loadBalancer.port is ${blamed.port}, the same as apiServer.bindPort, on ${where}, which run both haproxy and kube-apiserver: kube-apiserver binds 0.0.0.0:${holder.port}, so haproxy cannot listen there, and kubeadm's preflight fails with "Port ${holder.port} is in use"`,
				`use ${free} for loadBalancer.port (clients then reach the API at the VIP on ${free}), or give the role load-balancer to nodes that are not control planes.`,
			);
		}

		return error(
			'port-conflict',
			field,
			`${field} is ${blamed.port}, which ${holder.owner} already listens on, on ${where}; ${blamed.owner} could not bind it`,
			`use ${free} for ${field} (free on ${nodes.length === 1 ? 'that node' : 'those nodes'}).`,
		);
	});
};

const nodePortOverlap: Rule = (spec) => {
	const affected = new Map<PortField, {port: number; nodes: NodeSpec[]}>();
	for (const node of spec.nodes) {
		if (!runsKubelet(node)) {
			continue;
		}

		for (const {port, field} of listenersOf(spec, node)) {
			if (field !== undefined && inNodePortRange(port)) {
				const entry = affected.get(field) ?? {port, nodes: []};
				entry.nodes.push(node);
				affected.set(field, entry);
			}
		}
	}

	return [...affected.entries()].map(([field, {port, nodes}]) =>
		warning(
			'nodeport-range',
			field,
			`${field} is ${port}, inside the NodePort range ${nodePortRange.first}-${nodePortRange.last} on ${listNames(nodes.map((node) => node.name))}, which run kube-proxy: a Service of type NodePort may be given ${port}, and kube-proxy would then divert that port to the Service`,
			`use a port outside ${nodePortRange.first}-${nodePortRange.last}, e.g. ${suggestPort(spec, field, nodes)}.`,
		),
	);
};

const kubeVipPort: Rule = (spec) => {
	const {port} = spec.loadBalancer;
	const {bindPort} = spec.apiServer;
	return spec.loadBalancer.mode === 'kube-vip' && port !== bindPort
		? [
				error(
					'kube-vip-port',
					'loadBalancer.port',
					`loadBalancer.port is ${port}, but kube-vip only moves the VIP: connections to it go straight to kube-apiserver on apiServer.bindPort ${bindPort}, and nothing listens on ${port}`,
					`remove loadBalancer.port (it defaults to apiServer.bindPort with kube-vip), or set it to ${bindPort}.`,
				),
			]
		: [];
};

export const portRules: readonly Rule[] = [portRange, portConflicts, nodePortOverlap, kubeVipPort];
