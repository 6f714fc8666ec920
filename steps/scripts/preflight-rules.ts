import {releaseOf} from '../../source/components/artifacts.ts';
import {etcdClientPort, etcdPeerPort} from '../../source/render/etcd.ts';
import {
	type ClusterSpec,
	etcdMembers,
	hasRole,
	interfaceOf,
	runsKubelet,
	vipAddress,
	vipHolders,
} from '../../source/spec/cluster.ts';
import {error, type Finding, warning} from '../../source/spec/finding.ts';
import {containsAddress, networkAround, parseIpv4} from '../../source/spec/net.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';
import {type HostFacts, stateFiles} from './facts.ts';
import {supportedSystems} from './os.ts';
import {kubernetesMinor} from './packages.ts';

/** What preflight checks one host with: its facts against the spec, and the other hosts' facts for the VIP. */
export type PreflightInput = {
	readonly spec: ClusterSpec;
	readonly host: NodeSpec;
	readonly facts: HostFacts;
	/** Every host's facts, this one's included. */
	readonly all: ReadonlyMap<string, HostFacts>;
	/** sha256 (hex) of this cluster's CA certificate. */
	readonly clusterCaSha256: string;
};

type Rule = (input: PreflightInput) => Finding[];

/** Architectures pkgs.k8s.io builds for, by `uname -m`. */
const architectures = ['x86_64', 'aarch64', 'ppc64le', 's390x'];
/** More than this between a host's clock and the operator's breaks certificates that are not yet valid. */
const maxClockSkewSeconds = 30;

const nodePath = ({spec, host}: PreflightInput) => `nodes[${spec.nodes.indexOf(host)}]`;

const system: Rule = (input) => {
	const {host, facts} = input;
	return [
		...(facts.family === undefined
			? [
					error(
						'supported-os',
						nodePath(input),
						`${host.name} runs ${facts.os.name} (ID ${facts.os.id || 'unknown'}), which kubeha does not install on`,
						`use ${supportedSystems} on ${host.name}.`,
					),
				]
			: []),
		...(architectures.includes(facts.arch)
			? []
			: [
					error(
						'supported-arch',
						nodePath(input),
						`${host.name} is ${facts.arch || 'of an unknown architecture'}; Kubernetes packages exist for ${architectures.join(', ')}`,
						`use a ${architectures.join(', ')} machine for ${host.name}.`,
					),
				]),
	];
};

const addressesOf = (facts: HostFacts) =>
	facts.interfaces.flatMap((item) => item.addresses.map(({address}) => address));

const nodeAddress: Rule = (input) => {
	const {host, facts} = input;
	const addresses = addressesOf(facts).filter((address) => !address.startsWith('127.'));
	return addresses.includes(host.address)
		? []
		: [
				error(
					'node-address',
					`${nodePath(input)}.address`,
					`${host.address} is on no interface of ${host.name} (it has ${addresses.join(', ') || 'no IPv4 address'})`,
					`set nodes[].address of ${host.name} to the address it is reached at, one of its own.`,
				),
			];
};

const vipInterface: Rule = (input) => {
	const {spec, host, facts} = input;
	const vip = vipAddress(spec);
	const name = interfaceOf(spec, host);
	if (vip === undefined || name === undefined || !vipHolders(spec).some((node) => node.name === host.name)) {
		return [];
	}

	const path = host.interface === undefined ? 'loadBalancer.interface' : `${nodePath(input)}.interface`;
	const networkInterface = facts.interfaces.find((item) => item.name === name);
	if (networkInterface === undefined) {
		return [
			error(
				'vip-interface',
				path,
				`${host.name} has no interface ${name} (it has ${facts.interfaces.map((item) => item.name).join(', ')}); the VIP goes on it`,
				`set ${path} to the interface of ${host.name} that carries ${host.address} (\`ip -brief address\` shows it).`,
			),
		];
	}

	const parsedVip = parseIpv4(vip);
	const inSubnet = networkInterface.addresses.some(({address, prefix}) => {
		const parsed = parseIpv4(address);
		return parsed.ok && parsedVip.ok && containsAddress(networkAround(parsed.value, prefix), parsedVip.value);
	});
	const addresses = networkInterface.addresses.map(({address, prefix}) => `${address}/${prefix}`);
	return inSubnet
		? []
		: [
				error(
					'vip-subnet',
					'loadBalancer.vip',
					`the VIP ${vip} is outside every subnet of ${name} on ${host.name} (${addresses.join(', ') || 'no IPv4 address'}), so its neighbours could not reach it there`,
					`choose a free address of ${name}'s subnet for loadBalancer.vip, or set ${path} to the interface in the VIP's subnet.`,
				),
			];
};

/** Something answers at the VIP before any node of this cluster holds it: another machine uses the address. */
const vipTaken: Rule = (input) => {
	const {spec, host, facts, all} = input;
	const vip = vipAddress(spec);
	if (vip === undefined || facts.vip === undefined) {
		return [];
	}

	const heldByOurs = [...all.values()].some((other) => addressesOf(other).includes(vip));
	if (facts.vip === 'answers' && !heldByOurs) {
		return [
			error(
				'vip-in-use',
				'loadBalancer.vip',
				`${vip} answers ping from ${host.name}, yet no node of cluster ${spec.name} holds it: another machine uses that address`,
				'choose an unused address for loadBalancer.vip (nothing may answer at it before the install), or free it.',
			),
		];
	}

	const firstProbe = vipHolders(spec)[0]?.name === host.name;
	return facts.vip === 'unknown' && firstProbe
		? [
				warning(
					'vip-in-use',
					'loadBalancer.vip',
					`kubeha could not check whether something already answers at ${vip}: ${host.name} has no ping`,
					`install ping (iputils-ping) on ${host.name}, or make sure yourself that nothing uses ${vip}.`,
				),
			]
		: [];
};

type PortNeed = {
	readonly port: number;
	/** The programs allowed to hold it (ss shows at most 15 characters of a name). */
	readonly owners: readonly string[];
	readonly what: string;
	/** The spec field that sets the port, when one does. */
	readonly field?: string;
};

function portsNeeded(spec: ClusterSpec, host: NodeSpec): PortNeed[] {
	const etcd = (what: string): PortNeed[] => [
		{port: etcdClientPort, owners: ['etcd'], what},
		{port: etcdPeerPort, owners: ['etcd'], what},
	];
	const controlPlane = hasRole(host, 'control-plane');
	const balancer = spec.loadBalancer.mode === 'keepalived-haproxy' && hasRole(host, 'load-balancer');
	const {statsPort} = spec.loadBalancer;
	return [
		...(controlPlane
			? [
					{
						port: spec.apiServer.bindPort,
						owners: ['kube-apiserver'],
						what: 'the API server',
						field: 'apiServer.bindPort',
					},
					{port: 10_257, owners: ['kube-controller'], what: 'the controller manager'},
					{port: 10_259, owners: ['kube-scheduler'], what: 'the scheduler'},
					...(spec.etcd.topology === 'stacked' ? etcd('stacked etcd') : []),
				]
			: []),
		...(runsKubelet(host) ? [{port: 10_250, owners: ['kubelet'], what: 'the kubelet'}] : []),
		...(spec.etcd.topology === 'external' && etcdMembers(spec).some((node) => node.name === host.name)
			? etcd('the etcd member')
			: []),
		...(balancer
			? [
					{port: spec.loadBalancer.port, owners: ['haproxy'], what: 'haproxy', field: 'loadBalancer.port'},
					...(statsPort === undefined
						? []
						: [{port: statsPort, owners: ['haproxy'], what: "haproxy's statistics", field: 'loadBalancer.statsPort'}]),
				]
			: []),
	];
}

/** Ports the host's part needs are free, or held by the program that belongs there (a rerun). */
const ports: Rule = (input) => {
	const {spec, host, facts} = input;
	return portsNeeded(spec, host).flatMap((need) => {
		const holder = facts.listening.find(
			(listener) => listener.port === need.port && !need.owners.includes(listener.program ?? ''),
		);
		if (holder === undefined) {
			return [];
		}

		const who = holder.program === undefined ? 'a program ss could not name' : holder.program;
		return [
			error(
				'port-in-use',
				need.field ?? nodePath(input),
				`port ${need.port} on ${host.name}, which ${need.what} needs, is in use by ${who} (${holder.address}:${holder.port})`,
				`stop ${who} on ${host.name}${need.field ? `, or choose another ${need.field}` : ''}.`,
			),
		];
	});
};

const clock: Rule = (input) => {
	const skew = Math.round(input.facts.clockSkewSeconds);
	return Math.abs(skew) > maxClockSkewSeconds
		? [
				error(
					'clock-skew',
					nodePath(input),
					`the clock of ${input.host.name} is ${Math.abs(skew)} s ${skew > 0 ? 'ahead of' : 'behind'} this machine's; certificates made here would not be valid there yet (or any more)`,
					`synchronise the clocks (chrony or systemd-timesyncd with NTP) on ${input.host.name} and this machine.`,
				),
			]
		: [];
};

const swap: Rule = (input) =>
	input.facts.swapOn && runsKubelet(input.host)
		? [
				warning(
					'swap-on',
					nodePath(input),
					`swap is on on ${input.host.name}; the kubelet does not start with swap on`,
					'nothing to do: the prerequisites step turns it off (swapoff -a) and comments it out of /etc/fstab.',
				),
			]
		: [];

/**
kubeha installs the table's containerd on every node with a kubelet: an older one (a distribution's 1.6 or 1.7) is
replaced, which the plan says; a newer one would be a downgrade, which kubeha refuses before anything changes.
*/
const containerd: Rule = (input) => {
	const {spec, host, facts} = input;
	const installed = facts.versions.containerd;
	const release = releaseOf(spec, 'containerd');
	if (!runsKubelet(host) || installed === undefined || release === undefined || installed === release.version) {
		return [];
	}

	const newer = compareVersions(installed, release.version) > 0;
	return [
		newer
			? error(
					'containerd-version',
					nodePath(input),
					`${host.name} has containerd ${installed}, newer than ${release.version}, the release kubeha installs for Kubernetes ${kubernetesMinor(spec)}; kubeha does not downgrade it`,
					`pin ${installed} in components.releases.containerd (version and the sha256 of its release file) in cluster.yaml, or remove it from ${host.name}.`,
				)
			: warning(
					'containerd-version',
					nodePath(input),
					`${host.name} has containerd ${installed}; kubeha replaces it with ${release.version} from the upstream release (in /usr/local/bin, with its own unit), since Kubernetes ${kubernetesMinor(spec)} needs ${release.version.split('.')[0]}.x`,
					`nothing to do; remove the distribution's containerd package from ${host.name} later if you like (it no longer runs).`,
				),
	];
};

/** -1, 0 or 1 as x.y.z `a` is older than, the same as or newer than `b`. */
function compareVersions(a: string, b: string): number {
	const [left, right] = [a, b].map((version) => version.split('.').map(Number));
	for (let index = 0; index < 3; index++) {
		const difference = (left?.[index] ?? 0) - (right?.[index] ?? 0);
		if (difference !== 0) return Math.sign(difference);
	}
	return 0;
}

/** kubeha installs the spec's version; moving a cluster to another one is `kubeadm upgrade`'s job. */
const kubeadmVersion: Rule = (input) => {
	const {spec, host, facts} = input;
	const installed = facts.versions.kubeadm;
	return runsKubelet(host) && installed !== undefined && installed !== spec.kubernetes.version
		? [
				error(
					'kubeadm-version',
					'kubernetes.version',
					`${host.name} has kubeadm ${installed}, the spec says ${spec.kubernetes.version}; kubeha installs, it does not upgrade`,
					`set kubernetes.version to ${installed}, or upgrade ${host.name} with kubeadm upgrade first.`,
				),
			]
		: [];
};

/** A node that kubeadm already set up for another cluster would be damaged by this one. */
const otherCluster: Rule = (input) => {
	const {spec, host, facts, clusterCaSha256} = input;
	return facts.caCertSha256 !== undefined && facts.caCertSha256 !== clusterCaSha256
		? [
				error(
					'other-cluster',
					nodePath(input),
					`${host.name} already belongs to another Kubernetes cluster: its /etc/kubernetes/pki/ca.crt is not the CA of ${spec.name}`,
					`run \`kubeadm reset -f\` on ${host.name} if that cluster may go, or take ${host.name} out of the spec.`,
				),
			]
		: [];
};

/** etcd data on a node that this spec does not make an etcd member, or a member that kubeha did not start. */
const strayEtcd: Rule = (input) => {
	const {spec, host, facts} = input;
	const member = spec.etcd.topology === 'external' && etcdMembers(spec).some((node) => node.name === host.name);
	const expected = member || (spec.etcd.topology === 'stacked' && hasRole(host, 'control-plane'));
	return facts.existing.includes(stateFiles.etcdMember) && !expected
		? [
				warning(
					'etcd-data',
					nodePath(input),
					`${host.name} has etcd data in /var/lib/etcd, though it is no etcd member of ${spec.name}`,
					`check what that etcd belongs to; remove /var/lib/etcd on ${host.name} if nothing needs it.`,
				),
			]
		: [];
};

const firewall: Rule = (input) =>
	input.facts.services['firewalld'] === 'active'
		? [
				warning(
					'firewall',
					nodePath(input),
					`firewalld is active on ${input.host.name}; it blocks the cluster's ports unless they are open`,
					`open the ports of ${input.host.name}'s roles (6443 or the API port, 2379-2380, 10250, 10257, 10259, the load-balancer port, VRRP) or stop firewalld.`,
				),
			]
		: [];

const rules: readonly Rule[] = [
	system,
	nodeAddress,
	vipInterface,
	vipTaken,
	ports,
	clock,
	swap,
	containerd,
	kubeadmVersion,
	otherCluster,
	strayEtcd,
	firewall,
];

/** What preflight finds on one host; errors stop the run before anything changes. Pure. */
export const preflightFindings = (input: PreflightInput): Finding[] => rules.flatMap((rule) => rule(input));
