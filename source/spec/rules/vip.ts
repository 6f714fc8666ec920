import {type ClusterSpec, vipHolders} from '../cluster.ts';
import {error, type Finding, show} from '../finding.ts';
import {
	blockSize,
	containsAddress,
	formatIpv4,
	formatNetwork,
	networkAround,
	parseIpv4,
	parseIpv4Cidr,
	unusableReason,
} from '../net.ts';
import {addressOf, parsedSubnet, parsedVip, subnetFacts, subnetFields, usesVip} from './networks.ts';
import {count, listNames, type Rule} from './rule.ts';

/** Who holds the VIP, for messages. */
const holderText = (spec: ClusterSpec): string =>
	spec.loadBalancer.mode === 'kube-vip'
		? 'kube-vip announces it from the leading control plane'
		: 'keepalived moves it between the load-balancer nodes';

/** The smallest VIP prefix that is not a mistake: a shorter one claims a route for most of the address space. */
const minVipPrefix = 8;

/**
A free address for the VIP, for fixes: the highest host address of the first VIP holder's network that no
node uses. The user still has to check that nothing else on the network uses it.
*/
export function suggestVip(spec: ClusterSpec, prefix?: number): string {
	const usablePrefix = prefix !== undefined && prefix >= minVipPrefix && prefix <= 30 ? prefix : 24;
	const holder = vipHolders(spec)
		.map(addressOf)
		.find((address) => address !== undefined);
	if (holder === undefined) {
		return `192.168.1.250/${usablePrefix}`;
	}

	const network = networkAround(holder, usablePrefix);
	const used = new Set(spec.nodes.map(addressOf));
	for (let candidate = network.last - 1; candidate > network.first; candidate--) {
		if (!used.has(candidate)) {
			return `${formatIpv4(candidate)}/${usablePrefix}`;
		}
	}

	return `${formatIpv4(network.last - 1)}/${usablePrefix}`;
}

const vipRequired: Rule = (spec) =>
	usesVip(spec) && spec.loadBalancer.vip === undefined
		? [
				error(
					'vip-required',
					'loadBalancer.vip',
					`loadBalancer.vip is missing, but loadBalancer.mode is ${show(spec.loadBalancer.mode)}, which serves the API on a virtual IP: ${holderText(spec)}`,
					`add \`vip: ${suggestVip(spec)}\` under loadBalancer: an address no host uses, in the nodes' network, with that network's prefix length (or set loadBalancer.mode: external and an endpoint).`,
				),
			]
		: [];

const vipAddress: Rule = (spec) => {
	const vip = spec.loadBalancer.vip;
	if (!usesVip(spec) || vip === undefined) {
		return [];
	}

	const path = 'loadBalancer.vip';
	const parsed = parseIpv4Cidr(vip);
	if (!parsed.ok) {
		const reasons = {
			ipv6: 'is an IPv6 address; kubeha does not support IPv6 yet',
			'no-prefix': `has no prefix length; ${holderText(spec)} and adds it to the interface with that netmask`,
			'bad-prefix': 'has a prefix length that is not a number from 0 to 32',
			malformed: 'is not an IPv4 address with a prefix length (address/prefix)',
		};
		const address = parseIpv4(vip.split('/')[0] ?? '');
		return [
			error(
				'vip-address',
				path,
				`${path} is ${show(vip)}, which ${reasons[parsed.problem]}`,
				address.ok
					? `write ${show(`${vip.split('/')[0]}/24`)}, with the prefix length of the nodes' network in place of 24.`
					: `write an unused IPv4 address in the nodes' network with that network's prefix length, e.g. ${show(suggestVip(spec))}.`,
			),
		];
	}

	const unusable = unusableReason(parsed.value.address);
	if (unusable) {
		return [
			error(
				'vip-address',
				path,
				`${path} is ${show(vip)}, whose address ${unusable}; clients could not reach the API on it`,
				`write an unused address in the nodes' network, e.g. ${show(suggestVip(spec, parsed.value.prefix))}.`,
			),
		];
	}

	if (parsed.value.prefix < minVipPrefix) {
		return [
			error(
				'vip-address',
				path,
				`${path} is ${show(vip)}, whose prefix /${parsed.value.prefix} covers ${blockSize(parsed.value.prefix).toLocaleString('en')} addresses; the node holding the VIP would route all of them to its interface`,
				`write the prefix length of the nodes' network, e.g. ${show(suggestVip(spec))}.`,
			),
		];
	}

	return [];
};

const vipHolderSubnet: Rule = (spec) => {
	const vip = parsedVip(spec);
	if (!vip) {
		return [];
	}

	const outside = vipHolders(spec).flatMap((node) => {
		const address = addressOf(node);
		return address !== undefined && !containsAddress(vip, address) ? [{node, address}] : [];
	});
	if (outside.length === 0) {
		return [];
	}

	const networks = new Set(
		outside.map(({address}) => formatNetwork(networkAround(address, vip.prefix > 30 ? 24 : vip.prefix))),
	);
	const names = listNames(outside.map(({node}) => `${node.name} (${node.address})`));
	return [
		error(
			'vip-holder-subnet',
			'loadBalancer.vip',
			`loadBalancer.vip is ${show(spec.loadBalancer.vip)} (network ${formatNetwork(vip)}), which does not contain ${names}; ${holderText(spec)}, and adds it next to the node's own address, so a VIP outside that network is unreachable from the node's neighbours`,
			networks.size === 1
				? `choose a free address in ${[...networks][0]}, e.g. ${show(suggestVip(spec, vip.prefix))}, or correct the prefix length.`
				: `the nodes that may hold the VIP are in ${count(networks.size, 'network')} (${listNames([...networks])}): put them on one network, or correct the prefix length of loadBalancer.vip.`,
		),
	];
};

const vipIsNodeAddress: Rule = (spec) => {
	const vip = parsedVip(spec);
	if (!vip) {
		return [];
	}

	const owner = spec.nodes.find((node) => addressOf(node) === vip.address);
	return owner
		? [
				error(
					'vip-is-node-address',
					'loadBalancer.vip',
					`loadBalancer.vip is ${show(spec.loadBalancer.vip)}, the address of ${owner.name}; the VIP must be an address of its own, since it moves between nodes while ${owner.name} keeps its address`,
					`choose an address no host uses, e.g. ${show(suggestVip(spec, vip.prefix))}.`,
				),
			]
		: [];
};

const vipNetworkAddress: Rule = (spec) => {
	const vip = parsedVip(spec);
	// /31 and /32 have no network or broadcast address (RFC 3021).
	if (!vip || vip.prefix > 30) {
		return [];
	}

	const which =
		vip.address === vip.first ? 'network address' : vip.address === vip.last ? 'broadcast address' : undefined;
	return which
		? [
				error(
					'vip-network-address',
					'loadBalancer.vip',
					`loadBalancer.vip is ${show(spec.loadBalancer.vip)}, which is the ${which} of ${formatNetwork(vip)}; hosts cannot use it as an address`,
					`choose a host address between ${formatIpv4(vip.first + 1)} and ${formatIpv4(vip.last - 1)}, e.g. ${show(suggestVip(spec, vip.prefix))}.`,
				),
			]
		: [];
};

const vipInClusterSubnet: Rule = (spec) => {
	const vip = parsedVip(spec);
	if (!vip) {
		return [];
	}

	return subnetFields.flatMap((field): Finding[] => {
		const subnet = parsedSubnet(spec, field);
		const path = `kubernetes.${field}`;
		return subnet && containsAddress(subnet, vip.address)
			? [
					error(
						'vip-in-cluster-subnet',
						'loadBalancer.vip',
						`loadBalancer.vip is ${show(spec.loadBalancer.vip)}, inside ${path} ${show(spec.kubernetes[field])}, whose addresses ${subnetFacts[field].routedBy} inside the cluster; traffic to the VIP from pods and nodes would not reach the load balancer`,
						`choose a VIP in the nodes' network, e.g. ${show(suggestVip(spec, vip.prefix))}, or move ${path} to a range no host network uses.`,
					),
				]
			: [];
	});
};

export const vipRules: readonly Rule[] = [
	vipRequired,
	vipAddress,
	vipHolderSubnet,
	vipIsNodeAddress,
	vipNetworkAddress,
	vipInClusterSubnet,
];
